// helm-render renders a Helm chart the way `helm template` does, for the chart's tests on a
// machine without helm (Debian 12 does not package it). It is a test tool, not a Helm
// replacement: it knows what deploy/helm/pharmasys uses and nothing more.
//
//	helm-render [-f values.yaml]... [--set a.b=c[,d=e]]... [--name R] [--namespace N] <chart-dir>
//
// What it does like Helm: Chart.yaml as .Chart (Name, Version, AppVersion, ...); values.yaml,
// then each -f file, then each --set merged in that order (maps merge deeply, null deletes a
// key); .Release (Name, Namespace, Service, Revision, IsInstall, IsUpgrade); .Template (Name,
// BasePath); .Capabilities (KubeVersion, APIVersions.Has); every template under templates/
// (recursively) parsed into one set, files whose name starts with "_" rendered to nothing;
// the sprig functions Helm keeps (not env/expandenv) plus include, tpl, required, fail,
// toYaml, fromYaml, toJson, fromJson, lookup (always an empty map: there is no cluster);
// numbers from YAML as float64, as Helm reads values through JSON; "<no value>" printed as
// ""; documents that are only whitespace or comments dropped; "# Source:" before each.
//
// What it does not implement: subcharts and dependencies, .Files, .Subcharts, values.schema.json
// validation (the tests do it with ajv), hooks (hook objects are printed like any other, without
// ordering or deletion policies), --set with list indexes, escaped dots or --set-string/--set-file,
// toToml/fromYamlArray/fromJsonArray, getHostByName, NOTES.txt, crds/, library charts, and
// Helm's post-render sorting of objects by kind.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// apiVersions answers .Capabilities.APIVersions.Has like a cluster that serves the built-in
// groups and whatever --api-versions adds.
type apiVersions []string

func (a apiVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

func main() {
	var valueFiles, sets, extraAPIs listFlag
	name := flag.String("name", "pharmasys", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.30.0", "Kubernetes version for .Capabilities")
	flag.Var(&valueFiles, "f", "values file (repeatable)")
	flag.Var(&sets, "set", "key=value pairs, comma separated (repeatable)")
	flag.Var(&extraAPIs, "api-versions", "an API version the pretend cluster serves (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: helm-render [-f values.yaml]... [--set k=v]... [--name R] [--namespace N] <chart>")
		os.Exit(2)
	}
	out, err := render(flag.Arg(0), *name, *namespace, *kubeVersion, valueFiles, sets, extraAPIs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm-render:", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(out)
}

func render(chartDir, name, namespace, kubeVersion string, valueFiles, sets, extraAPIs []string) (string, error) {
	chartMeta, err := readYAMLMap(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	values, err := readYAMLMap(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return "", err
	}
	for _, f := range valueFiles {
		override, err := readYAMLMap(f)
		if err != nil {
			return "", err
		}
		values = merge(values, override)
	}
	for _, s := range sets {
		if err := applySet(values, s); err != nil {
			return "", err
		}
	}

	major, minor := "1", "30"
	if parts := strings.SplitN(strings.TrimPrefix(kubeVersion, "v"), ".", 3); len(parts) >= 2 {
		major, minor = parts[0], parts[1]
	}
	apis := apiVersions{"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2",
		"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1"}
	apis = append(apis, extraAPIs...)
	top := map[string]interface{}{
		"Values": values,
		"Chart":  chartObject(chartMeta),
		"Release": map[string]interface{}{
			"Name": name, "Namespace": namespace, "Service": "Helm",
			"Revision": 1, "IsInstall": true, "IsUpgrade": false,
		},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{
				"Version": kubeVersion, "GitVersion": kubeVersion, "Major": major, "Minor": minor,
			},
			"APIVersions": apis,
		},
	}

	files, err := templateFiles(chartDir)
	if err != nil {
		return "", err
	}
	chartName, _ := chartMeta["name"].(string)
	t := template.New("chart").Option("missingkey=zero")
	t.Funcs(funcMap(t))
	for _, f := range files {
		text, err := os.ReadFile(filepath.Join(chartDir, f))
		if err != nil {
			return "", err
		}
		if _, err := t.New(chartName + "/" + f).Parse(string(text)); err != nil {
			return "", err
		}
	}

	var out strings.Builder
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "_") || !strings.HasSuffix(f, ".yaml") && !strings.HasSuffix(f, ".yml") {
			continue
		}
		full := chartName + "/" + f
		data := shallowCopy(top)
		data["Template"] = map[string]interface{}{"Name": full, "BasePath": chartName + "/templates"}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, full, data); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		for _, doc := range splitDocuments(text) {
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", full, doc)
		}
	}
	return out.String(), nil
}

// templateFiles lists templates/ recursively, relative to the chart, sorted like Helm does.
func templateFiles(chartDir string) ([]string, error) {
	var files []string
	root := filepath.Join(chartDir, "templates")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(chartDir, path)
		if strings.HasSuffix(rel, ".tpl") || strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml") {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// splitDocuments cuts a rendered file at "---" lines and drops the documents that hold only
// whitespace and comments, as Helm does.
func splitDocuments(text string) []string {
	var docs []string
	var cur []string
	flush := func() {
		doc := strings.TrimSpace(strings.Join(cur, "\n"))
		cur = nil
		for _, line := range strings.Split(doc, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
				docs = append(docs, doc)
				return
			}
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimRight(line, " \t") == "---" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return docs
}

func funcMap(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	includeDepth := 0
	f["include"] = func(name string, data interface{}) (string, error) {
		if includeDepth > 1000 {
			return "", fmt.Errorf("include %q: too deeply nested", name)
		}
		includeDepth++
		defer func() { includeDepth-- }()
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := parsed.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(message string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(message)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(message)
		}
		return v, nil
	}
	f["fail"] = func(message string) (string, error) { return "", errors.New(message) }
	f["toYaml"] = func(v interface{}) string {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
	f["fromYaml"] = func(text string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(text), &m); err != nil {
			m["Error"] = err.Error()
		}
		return normalize(m).(map[string]interface{})
	}
	f["toJson"] = func(v interface{}) string {
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
	f["fromJson"] = func(text string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["lookup"] = func(apiVersion, kind, namespace, name string) map[string]interface{} {
		return map[string]interface{}{}
	}
	return f
}

func chartObject(meta map[string]interface{}) map[string]interface{} {
	c := map[string]interface{}{}
	for k, v := range meta {
		if k == "" {
			continue
		}
		c[strings.ToUpper(k[:1])+k[1:]] = v
	}
	return c
}

func readYAMLMap(path string) (map[string]interface{}, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(text, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return normalize(m).(map[string]interface{}), nil
}

// normalize gives values the types Helm gives them after its trip through JSON: string-keyed
// maps, []interface{} lists, every number a float64.
func normalize(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, e := range x {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []interface{}:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	default:
		return v
	}
}

// merge lays src over dst: maps merge key by key, anything else replaces, null deletes.
func merge(dst, src map[string]interface{}) map[string]interface{} {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		sm, sok := v.(map[string]interface{})
		dm, dok := dst[k].(map[string]interface{})
		if sok && dok {
			dst[k] = merge(dm, sm)
		} else {
			dst[k] = v
		}
	}
	return dst
}

// applySet applies "a.b.c=v,d=w" like helm --set for plain dotted keys: integers become
// int64 (as Helm's strvals does), true/false bools, null deletes, anything else a string.
func applySet(values map[string]interface{}, expr string) error {
	for _, pair := range strings.Split(expr, ",") {
		eq := strings.Index(pair, "=")
		if eq <= 0 {
			return fmt.Errorf("--set %q: expected key=value", pair)
		}
		path := strings.Split(pair[:eq], ".")
		raw := pair[eq+1:]
		var value interface{} = raw
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
			value = n
		} else if raw == "true" || raw == "false" {
			value = raw == "true"
		} else if raw == "null" {
			value = nil
		}
		m := values
		for _, key := range path[:len(path)-1] {
			next, ok := m[key].(map[string]interface{})
			if !ok {
				next = map[string]interface{}{}
				m[key] = next
			}
			m = next
		}
		last := path[len(path)-1]
		if value == nil {
			delete(m, last)
		} else {
			m[last] = value
		}
	}
	return nil
}

func shallowCopy(m map[string]interface{}) map[string]interface{} {
	c := make(map[string]interface{}, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
