{{/*
Names and labels, as Bitnami's common chart has them. Helpers that take a component are
called with (dict "root" $ "name" "<component>").
*/}}

{{- define "pharmasys.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pharmasys.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "pharmasys.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <fullname>-<component>: the name of a component's Deployment, Service, ConfigMap... */}}
{{- define "pharmasys.componentName" -}}
{{- printf "%s-%s" (include "pharmasys.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pharmasys.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pharmasys.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}
{{- end -}}

{{- define "pharmasys.labels" -}}
{{ include "pharmasys.selectorLabels" . }}
helm.sh/chart: {{ include "pharmasys.chart" .root }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: pharmasys
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* metadata: name, namespace, labels, annotations of a component's object. */}}
{{- define "pharmasys.metadata" -}}
name: {{ default (include "pharmasys.componentName" .) .objectName }}
namespace: {{ .root.Release.Namespace }}
labels:
  {{- include "pharmasys.labels" . | nindent 2 }}
  {{- with .extraLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with merge (dict) (.extraAnnotations | default dict) .root.Values.commonAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "pharmasys.serviceAccountName" -}}
{{- $sa := (index .root.Values .name).serviceAccount -}}
{{- if $sa.create -}}
{{- default (include "pharmasys.componentName" .) $sa.name -}}
{{- else -}}
{{- default "default" $sa.name -}}
{{- end -}}
{{- end -}}

{{/* <registry>/<repository>/<component>:<tag> or @<digest>; global.imageRegistry wins. */}}
{{- define "pharmasys.image" -}}
{{- $v := .root.Values -}}
{{- $own := (index $v .name).image | default dict -}}
{{- $registry := $v.global.imageRegistry | default $v.image.registry -}}
{{- $tag := $own.tag | default $v.image.tag | default .root.Chart.AppVersion | toString -}}
{{- if eq $tag "latest" -}}
{{- fail "image tag 'latest' is not allowed: name a release (image.tag)" -}}
{{- end -}}
{{- if $registry }}{{ $registry }}/{{ end }}{{ $v.image.repository }}/{{ .name }}
{{- if $own.digest }}@{{ $own.digest }}{{ else }}:{{ $tag }}{{ end }}
{{- end -}}


{{/*
callers: for each component, the components that open connections to it.
Gateway routes to all; Produção takes service tokens from Auth and consumes from Estoque;
Relatórios verifies every audit chain and reads the batch record; everyone fetches Auth's JWKS.
*/}}
{{- define "pharmasys.callers" -}}
auth: [gateway, producao, cq, estoque, relatorios]
producao: [gateway, relatorios]
cq: [gateway, relatorios]
estoque: [gateway, producao, relatorios]
relatorios: [gateway]
gateway: []
{{- end -}}

{{- define "pharmasys.hasDatabase" -}}
{{- if has .name (list "auth" "producao" "cq" "estoque" "relatorios") -}}true{{- end -}}
{{- end -}}

{{- define "pharmasys.url" -}}
http://{{ include "pharmasys.componentName" . }}:{{ (index .root.Values .name).port }}
{{- end -}}

{{/* The AMQP and Redis URLs; the passwords come from env vars set just before them. */}}
{{- define "pharmasys.amqpUrl" -}}
{{- $r := .root.Values.externalRabbitmq -}}
{{ if $r.tls }}amqps{{ else }}amqp{{ end }}://{{ $r.username | urlquery }}:$(AMQP_PASSWORD)@{{ $r.host }}:{{ $r.port }}/{{ $r.vhost | urlquery }}
{{- end -}}

{{- define "pharmasys.redisUrl" -}}
{{- $r := .root.Values.externalRedis -}}
redis://{{ if $r.existingSecret }}:$(REDIS_PASSWORD)@{{ end }}{{ $r.host }}:{{ $r.port }}
{{- end -}}

{{- define "pharmasys.dbUrl" -}}
{{- $v := .root.Values -}}
{{- $db := (index $v .name).database -}}
postgresql://{{ if .owner }}{{ $db.ownerUser }}:$(DB_OWNER_PASSWORD){{ else }}{{ $db.user }}:$(DB_PASSWORD){{ end }}@{{ $v.externalDatabase.host }}:{{ $v.externalDatabase.port }}/{{ $db.name }}?sslmode={{ $v.externalDatabase.sslMode }}
{{- end -}}

{{/* env entries: the runtime role's password and URL (and the owner's when .owner). */}}
{{- define "pharmasys.dbEnv" -}}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.externalDatabase.existingSecret }}
      key: {{ .name }}-password
{{- if .owner }}
- name: DB_OWNER_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.externalDatabase.existingSecret }}
      key: {{ .name }}-owner-password
- name: PHARMASYS_DB_OWNER_URL
  value: {{ include "pharmasys.dbUrl" . | quote }}
{{- end }}
- name: PHARMASYS_DB_URL
  value: {{ include "pharmasys.dbUrl" (dict "root" .root "name" .name) | quote }}
{{- end -}}

{{- define "pharmasys.brokerEnv" -}}
- name: AMQP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.externalRabbitmq.existingSecret }}
      key: {{ .root.Values.externalRabbitmq.passwordKey }}
- name: PHARMASYS_AMQP_URL
  value: {{ include "pharmasys.amqpUrl" . | quote }}
{{- with .root.Values.externalRedis.existingSecret }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.root.Values.externalRedis.passwordKey }}
{{- end }}
- name: PHARMASYS_REDIS_URL
  value: {{ include "pharmasys.redisUrl" . | quote }}
{{- end -}}

{{- define "pharmasys.podSecurityContext" -}}
{{- toYaml .root.Values.podSecurityContext -}}
{{- end -}}

{{- define "pharmasys.containerSecurityContext" -}}
{{- toYaml .root.Values.containerSecurityContext -}}
{{- end -}}

{{- define "pharmasys.imagePullSecrets" -}}
{{- with .root.Values.global.imagePullSecrets -}}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}
