{{/*
The objects every component has, called from templates/<component>.yaml with
(dict "root" $ "name" "<component>"). A component file defines what is its own:
  pharmasys.<component>.config  ConfigMap entries (plain settings)
  pharmasys.<component>.env     env entries (secrets, and URLs built from them)
*/}}

{{- define "pharmasys.component" -}}
{{- $svc := index .root.Values .name -}}
{{ include "pharmasys.serviceAccount" . }}
---
{{ include "pharmasys.configMap" . }}
---
{{ include "pharmasys.deployment" . }}
---
{{ include "pharmasys.service" . }}
{{- if $svc.pdb.create }}
---
{{ include "pharmasys.pdb" . }}
{{- end }}
{{- if $svc.autoscaling.enabled }}
---
{{ include "pharmasys.hpa" . }}
{{- end }}
{{- if .root.Values.networkPolicy.enabled }}
---
{{ include "pharmasys.networkPolicy" . }}
{{- end }}
{{- if .root.Values.metrics.serviceMonitor.enabled }}
---
{{ include "pharmasys.serviceMonitor" . }}
{{- end }}
{{- if include "pharmasys.hasDatabase" . }}
---
{{ include "pharmasys.migrationJob" . }}
{{- if .root.Values.networkPolicy.enabled }}
---
{{ include "pharmasys.migrationNetworkPolicy" . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "pharmasys.serviceAccount" -}}
{{- if (index .root.Values .name).serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "pharmasys.metadata" (dict "root" .root "name" .name "objectName" (include "pharmasys.serviceAccountName" .)) | nindent 2 }}
# No process of PharmaSys talks to the Kubernetes API.
automountServiceAccountToken: false
{{- end -}}
{{- end -}}

{{- define "pharmasys.configData" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .name -}}
LANG: C.UTF-8
TZ: UTC
PHARMASYS_HTTP_ADDRESS: "0.0.0.0"
PHARMASYS_HTTP_PORT: {{ $svc.port | quote }}
PHARMASYS_LOG_LEVEL: {{ $v.logLevel | quote }}
PHARMASYS_SHUTDOWN_GRACE: {{ $v.shutdownGrace | quote }}
PHARMASYS_JWT_ISSUER: {{ $v.issuer | quote }}
{{- if ne .name "auth" }}
PHARMASYS_JWT_JWKS_URL: {{ printf "%s/v1/auth/jwks" (include "pharmasys.url" (dict "root" .root "name" "auth")) | quote }}
{{- end }}
{{- if include "pharmasys.hasDatabase" . }}
PHARMASYS_AUDIT_KEY_DIR: /var/lib/pharmasys/audit-keys
{{- end }}
{{- if $v.demo }}
PHARMASYS_DEMO: "1"
{{- end }}
{{- if $v.tlsCa.existingConfigMap }}
PHARMASYS_TLS_CA_FILE: /var/lib/pharmasys/ca/ca.crt
PHARMASYS_AMQP_CA_FILE: /var/lib/pharmasys/ca/ca.crt
PGSSLROOTCERT: /var/lib/pharmasys/ca/ca.crt
{{- end }}
{{- include (printf "pharmasys.%s.config" .name) . }}
{{- end -}}

{{- define "pharmasys.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "pharmasys.metadata" . | nindent 2 }}
data:
  {{- include "pharmasys.configData" . | nindent 2 }}
{{- end -}}

{{- define "pharmasys.deployment" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .name -}}
{{- $db := include "pharmasys.hasDatabase" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "pharmasys.metadata" . | nindent 2 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 10
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "pharmasys.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "pharmasys.labels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "pharmasys.configData" . | sha256sum }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "pharmasys.serviceAccountName" . }}
      automountServiceAccountToken: false
      {{- with include "pharmasys.imagePullSecrets" . }}
      {{- . | nindent 6 }}
      {{- end }}
      securityContext:
        {{- include "pharmasys.podSecurityContext" . | nindent 8 }}
      # preStop sleep, then PHARMASYS_SHUTDOWN_GRACE of draining, all within this.
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- if $db }}
      initContainers:
        # Starts the service only once its migration Job has brought the schema to the
        # version this image expects (the Job holds an advisory lock; this only reads).
        - name: wait-schema
          image: {{ include "pharmasys.image" . }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          args: [wait-schema]
          env:
            - name: PHARMASYS_LOG_LEVEL
              value: {{ $v.logLevel | quote }}
            - name: PHARMASYS_SCHEMA_WAIT_TIMEOUT
              value: {{ $v.migrations.waitSchemaTimeout | quote }}
            {{- include "pharmasys.dbEnv" (dict "root" .root "name" .name) | nindent 12 }}
            {{- include "pharmasys.caEnv" . | nindent 12 }}
          resources:
            {{- toYaml $v.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "pharmasys.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- include "pharmasys.caMount" . | nindent 12 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "pharmasys.image" . }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          args: [serve]
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
            {{- if $svc.metricsPort }}
            - name: metrics
              containerPort: {{ $svc.metricsPort }}
              protocol: TCP
            {{- end }}
            {{- if include "pharmasys.gatewayTls" . }}
            - name: https
              containerPort: {{ $svc.tls.port }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "pharmasys.componentName" . }}
          env:
            {{- if $db }}
            {{- include "pharmasys.dbEnv" (dict "root" .root "name" .name) | nindent 12 }}
            {{- end }}
            {{- include "pharmasys.brokerEnv" . | nindent 12 }}
            {{- include (printf "pharmasys.%s.env" .name) . | nindent 12 }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $svc.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet: {path: /healthz, port: http}
            {{- toYaml $v.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            {{- toYaml $v.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: {path: /readyz, port: http}
            {{- toYaml $v.probes.readiness | nindent 12 }}
          lifecycle:
            preStop:
              exec:
                command: [sleep, {{ $v.preStopSleepSeconds | quote }}]
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- include "pharmasys.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $db }}
            - name: audit-keys
              mountPath: /var/lib/pharmasys/audit-keys
              readOnly: true
            {{- end }}
            {{- if $svc.trustedKeys }}
            - name: trusted-keys
              mountPath: /var/lib/pharmasys/trusted-keys
              readOnly: true
            {{- end }}
            {{- include "pharmasys.caMount" . | nindent 12 }}
            {{- if include "pharmasys.gatewayTls" . }}
            - name: gateway-tls
              mountPath: /var/lib/pharmasys/tls
              readOnly: true
            {{- end }}
      volumes:
        # The only writable folder (the root filesystem is read-only).
        - name: tmp
          emptyDir:
            sizeLimit: {{ $v.tmpSizeLimit }}
        {{- if $db }}
        - name: audit-keys
          secret:
            secretName: {{ $svc.auditKeys.existingSecret }}
            # group-readable for fsGroup 10001; the private halves stay 0440 inside the pod.
            defaultMode: 288  # 0440
        {{- end }}
        {{- if $svc.trustedKeys }}
        - name: trusted-keys
          configMap:
            name: {{ $svc.trustedKeys.existingConfigMap | default (printf "%s-trusted-keys" (include "pharmasys.componentName" .)) }}
            defaultMode: 292  # 0444
            {{- with $svc.trustedKeys.keys }}
            items:
              {{- range . }}
              - key: {{ printf "%s.%s.pub" .service .id }}
                path: {{ printf "%s/%s.pub" .service .id }}
              {{- end }}
            {{- end }}
        {{- end }}
        {{- include "pharmasys.caVolume" . | nindent 8 }}
        {{- if include "pharmasys.gatewayTls" . }}
        - name: gateway-tls
          secret:
            secretName: {{ $svc.tls.existingSecret }}
            defaultMode: 288  # 0440, readable through fsGroup 10001
            items:
              - {key: tls.crt, path: tls.crt}
              - {key: tls.key, path: tls.key}
        {{- end }}
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "pharmasys.service" -}}
{{- $svc := index .root.Values .name -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "pharmasys.metadata" . | nindent 2 }}
spec:
  type: ClusterIP
  selector:
    {{- include "pharmasys.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $svc.port }}
      targetPort: http
      protocol: TCP
    {{- if $svc.metricsPort }}
    - name: metrics
      port: {{ $svc.metricsPort }}
      targetPort: metrics
      protocol: TCP
    {{- end }}
    {{- if include "pharmasys.gatewayTls" . }}
    - name: https
      port: {{ $svc.tls.port }}
      targetPort: https
      protocol: TCP
    {{- end }}
{{- end -}}

{{- define "pharmasys.pdb" -}}
{{- $pdb := (index .root.Values .name).pdb -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "pharmasys.metadata" . | nindent 2 }}
spec:
  {{- if hasKey $pdb "maxUnavailable" }}
  maxUnavailable: {{ $pdb.maxUnavailable }}
  {{- else }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "pharmasys.selectorLabels" . | nindent 6 }}
{{- end -}}

{{- define "pharmasys.hpa" -}}
{{- $a := (index .root.Values .name).autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "pharmasys.metadata" . | nindent 2 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "pharmasys.componentName" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
{{- end -}}

{{/* Ingress from whoever calls the component; egress to whoever it calls, DNS and the servers. */}}
{{- define "pharmasys.networkPolicy" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .name -}}
{{- $np := $v.networkPolicy -}}
{{- $callers := include "pharmasys.callers" . | fromYaml -}}
{{- $name := .name -}}
{{- $root := .root -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "pharmasys.metadata" . | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "pharmasys.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- with index $callers $name }}
    - from:
        {{- range . }}
        - podSelector:
            matchLabels:
              {{- include "pharmasys.selectorLabels" (dict "root" $root "name" .) | nindent 14 }}
        {{- end }}
      ports:
        - port: {{ $svc.port }}
          protocol: TCP
    {{- end }}
    {{- if eq $name "gateway" }}
    - from:
        - namespaceSelector:
            matchLabels:
              {{- toYaml $np.ingressController.namespaceSelector | nindent 14 }}
          podSelector:
            {{- if $np.ingressController.podSelector }}
            matchLabels:
              {{- toYaml $np.ingressController.podSelector | nindent 14 }}
            {{- else }} {}
            {{- end }}
      ports:
        - port: {{ $svc.port }}
          protocol: TCP
        {{- if include "pharmasys.gatewayTls" . }}
        - port: {{ $svc.tls.port }}
          protocol: TCP
        {{- end }}
    {{- end }}
    # Prometheus scrapes /metrics.
    - from:
        - namespaceSelector:
            matchLabels:
              {{- toYaml $np.prometheus.namespaceSelector | nindent 14 }}
          podSelector:
            {{- if $np.prometheus.podSelector }}
            matchLabels:
              {{- toYaml $np.prometheus.podSelector | nindent 14 }}
            {{- else }} {}
            {{- end }}
      ports:
        - port: {{ $svc.metricsPort | default $svc.port }}
          protocol: TCP
  egress:
    {{- range $callee, $who := $callers }}
    {{- if has $name $who }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "pharmasys.selectorLabels" (dict "root" $root "name" $callee) | nindent 14 }}
      ports:
        - port: {{ (index $v $callee).port }}
          protocol: TCP
    {{- end }}
    {{- end }}
    {{- include "pharmasys.dnsEgress" . | nindent 4 }}
    {{- if include "pharmasys.hasDatabase" . }}
    {{- include "pharmasys.serverEgress" (dict "to" $np.postgresql.to "port" $v.externalDatabase.port) | nindent 4 }}
    {{- end }}
    {{- include "pharmasys.serverEgress" (dict "to" $np.rabbitmq.to "port" $v.externalRabbitmq.port) | nindent 4 }}
    {{- include "pharmasys.serverEgress" (dict "to" $np.redis.to "port" $v.externalRedis.port) | nindent 4 }}
{{- end -}}

{{- define "pharmasys.dnsEgress" -}}
{{- $dns := .root.Values.networkPolicy.dns -}}
- to:
    - namespaceSelector:
        matchLabels:
          {{- toYaml $dns.namespaceSelector | nindent 10 }}
      podSelector:
        {{- if $dns.podSelector }}
        matchLabels:
          {{- toYaml $dns.podSelector | nindent 10 }}
        {{- else }} {}
        {{- end }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}

{{/* An external server: its peers when given, any address otherwise; only its port. */}}
{{- define "pharmasys.serverEgress" -}}
- ports:
    - port: {{ .port }}
      protocol: TCP
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- define "pharmasys.serviceMonitor" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .name -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  {{- include "pharmasys.metadata" (dict "root" .root "name" .name "extraLabels" $v.metrics.serviceMonitor.labels) | nindent 2 }}
spec:
  selector:
    matchLabels:
      {{- include "pharmasys.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames: [{{ .root.Release.Namespace }}]
  endpoints:
    - port: {{ if $svc.metricsPort }}metrics{{ else }}http{{ end }}
      path: /metrics
      interval: {{ $v.metrics.serviceMonitor.interval }}
{{- end -}}

{{/*
The migration Job: `migrate` as the owner role, on every install and upgrade. Its name carries
the release revision (a Job's pod template cannot be changed in place); the Deployment's
wait-schema init container holds the new pods until it is done. Concurrent runs are safe:
migrate takes a PostgreSQL advisory lock.
*/}}
{{- define "pharmasys.migrationJob" -}}
{{- $v := .root.Values -}}
{{- $job := dict "root" .root "name" (printf "%s-migrate" .name) "objectName" (printf "%s-migrate-%v" (include "pharmasys.componentName" .) .root.Release.Revision) -}}
apiVersion: batch/v1
kind: Job
metadata:
  {{- include "pharmasys.metadata" $job | nindent 2 }}
spec:
  backoffLimit: {{ $v.migrations.backoffLimit }}
  activeDeadlineSeconds: {{ $v.migrations.activeDeadlineSeconds }}
  ttlSecondsAfterFinished: {{ $v.migrations.ttlSecondsAfterFinished }}
  template:
    metadata:
      labels:
        {{- include "pharmasys.labels" $job | nindent 8 }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "pharmasys.serviceAccountName" . }}
      automountServiceAccountToken: false
      {{- with include "pharmasys.imagePullSecrets" . }}
      {{- . | nindent 6 }}
      {{- end }}
      securityContext:
        {{- include "pharmasys.podSecurityContext" . | nindent 8 }}
      containers:
        - name: migrate
          image: {{ include "pharmasys.image" . }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          args: [migrate]
          env:
            - name: LANG
              value: C.UTF-8
            - name: TZ
              value: UTC
            - name: PHARMASYS_LOG_LEVEL
              value: {{ $v.logLevel | quote }}
            {{- include "pharmasys.dbEnv" (dict "root" .root "name" .name "owner" true) | nindent 12 }}
            {{- include "pharmasys.caEnv" . | nindent 12 }}
          resources:
            {{- toYaml $v.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "pharmasys.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- include "pharmasys.caMount" . | nindent 12 }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- include "pharmasys.caVolume" . | nindent 8 }}
{{- end -}}

{{- define "pharmasys.migrationNetworkPolicy" -}}
{{- $v := .root.Values -}}
{{- $job := dict "root" .root "name" (printf "%s-migrate" .name) -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "pharmasys.metadata" $job | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "pharmasys.selectorLabels" $job | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress: []
  egress:
    {{- include "pharmasys.dnsEgress" . | nindent 4 }}
    {{- include "pharmasys.serverEgress" (dict "to" $v.networkPolicy.postgresql.to "port" $v.externalDatabase.port) | nindent 4 }}
{{- end -}}

{{- /* The CA bundle every client of the pod trusts (tlsCa): https://, amqps:// and libpq. */ -}}
{{- define "pharmasys.caEnv" -}}
{{- if .root.Values.tlsCa.existingConfigMap }}
- name: PHARMASYS_TLS_CA_FILE
  value: /var/lib/pharmasys/ca/ca.crt
- name: PHARMASYS_AMQP_CA_FILE
  value: /var/lib/pharmasys/ca/ca.crt
- name: PGSSLROOTCERT
  value: /var/lib/pharmasys/ca/ca.crt
{{- end }}
{{- end -}}

{{- define "pharmasys.caMount" -}}
{{- if .root.Values.tlsCa.existingConfigMap }}
- name: tls-ca
  mountPath: /var/lib/pharmasys/ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "pharmasys.caVolume" -}}
{{- if .root.Values.tlsCa.existingConfigMap }}
- name: tls-ca
  configMap:
    name: {{ .root.Values.tlsCa.existingConfigMap }}
    defaultMode: 292  # 0444
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end -}}

{{- /* The gateway's own HTTPS listener (gateway.tls). */ -}}
{{- define "pharmasys.gatewayTls" -}}
{{- if and (eq .name "gateway") .root.Values.gateway.tls.enabled -}}true{{- end -}}
{{- end -}}
