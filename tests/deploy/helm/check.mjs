// Validates deploy/helm/pharmasys without a cluster and without helm:
//   1. values.yaml and every examples/*.yaml against values.schema.json (ajv); the values
//      files in negative/ must be refused by it;
//   2. the chart rendered (tools/helm-render) with the defaults and with each example: every
//      object against its kind's schema (kubernetes-models), ServiceMonitor (a CRD) by hand;
//   3. the plant's policy on every rendering (policy() below);
//   4. that every policy check can fail: negative/no-limits.yaml rendered must be reported, and
//      each rule is shown a broken copy of a good rendering that it must report.
// usage: node check.mjs <helm-render binary> <chart dir>
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import YAML from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const [renderer, chart] = process.argv.slice(2);
if (!renderer || !chart) {
  console.error("usage: node check.mjs <helm-render> <chart dir>");
  process.exit(2);
}
const failures = [];
const fail = (message) => failures.push(message);

// ---------------------------------------------------------------- 1. values against the schema
const ajv = new Ajv({ allErrors: true, strict: false });
const validateValues = ajv.compile(JSON.parse(readFileSync(path.join(chart, "values.schema.json"), "utf8")));
const defaults = YAML.parse(readFileSync(path.join(chart, "values.yaml"), "utf8"));

// Helm validates the merged values; do the same (deep merge, null deletes).
function merge(dst, src) {
  const out = structuredClone(dst);
  for (const [k, v] of Object.entries(src ?? {})) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = merge(out[k], v);
    else out[k] = v;
  }
  return out;
}
const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

const exampleDir = path.join(chart, "examples");
const examples = readdirSync(exampleDir).filter((f) => f.endsWith(".yaml")).sort().map((f) => path.join(exampleDir, f));
const negativeDir = path.join(here, "negative");
const negatives = readdirSync(negativeDir).filter((f) => f.endsWith(".yaml")).sort().map((f) => path.join(negativeDir, f));

const valueSets = [{ label: "values.yaml", file: null }, ...examples.map((f) => ({ label: path.relative(chart, f), file: f }))];
for (const set of valueSets) {
  const merged = set.file ? merge(defaults, YAML.parse(readFileSync(set.file, "utf8"))) : defaults;
  if (!validateValues(merged)) fail(`${set.label}: values.schema.json: ${ajv.errorsText(validateValues.errors)}`);
}
for (const file of negatives) {
  if (validateValues(merge(defaults, YAML.parse(readFileSync(file, "utf8"))))) {
    fail(`${path.relative(here, file)}: values.schema.json accepts it, but it must be refused`);
  }
}

// ---------------------------------------------------------------- 2. render and validate objects
function render(set) {
  const args = set.file ? ["-f", set.file] : [];
  if (set.release) args.push("--name", set.release.name, "--namespace", set.release.namespace);
  const text = execFileSync(renderer, [...args, chart], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return YAML.parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(`${set.label}: rendered YAML: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter((o) => o !== null);
}

// apiVersion -> module folder of kubernetes-models ("v1" for the core group).
const modelCache = new Map();
async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    try {
      const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
      modelCache.set(key, mod[kind]);
    } catch {
      modelCache.set(key, null);
    }
  }
  return modelCache.get(key);
}

// CRDs kubernetes-models does not carry, each with the reason and a minimal check of our own.
const customResources = {
  "monitoring.coreos.com/v1/ServiceMonitor": {
    reason: "a Prometheus Operator CRD, not in kubernetes-models",
    check(o) {
      const problems = [];
      if (!o.metadata?.name) problems.push("metadata.name missing");
      if (!isMap(o.spec?.selector?.matchLabels) || !Object.keys(o.spec.selector.matchLabels).length)
        problems.push("spec.selector.matchLabels missing");
      if (!Array.isArray(o.spec?.endpoints) || !o.spec.endpoints.length) problems.push("spec.endpoints missing");
      for (const e of o.spec?.endpoints ?? []) {
        if (typeof e.port !== "string" || !e.port) problems.push("endpoint without a named port");
        if (e.path !== undefined && !String(e.path).startsWith("/")) problems.push(`endpoint path ${e.path}`);
        if (e.interval !== undefined && !/^[0-9]+(ms|s|m|h)$/.test(e.interval)) problems.push(`interval ${e.interval}`);
      }
      return problems;
    },
  },
};
const skipped = new Map();

async function validateObject(o, where) {
  const id = `${where}: ${o.kind}/${o.metadata?.name}`;
  const key = `${o.apiVersion}/${o.kind}`;
  if (customResources[key]) {
    skipped.set(key, customResources[key].reason);
    const problems = customResources[key].check(o);
    problems.forEach((p) => fail(`${id}: ${p}`));
    return problems.length === 0;
  }
  const Model = await modelFor(o.apiVersion, o.kind);
  if (!Model) {
    fail(`${id}: no schema for ${key}`);
    return false;
  }
  try {
    new Model(o).validate();
    return true;
  } catch (e) {
    fail(`${id}: ${e.message}`);
    return false;
  }
}

// ---------------------------------------------------------------- 3. the policy
const podSpecOf = (o) =>
  o.kind === "Deployment" || o.kind === "Job" ? o.spec?.template?.spec : o.kind === "Pod" ? o.spec : null;

function policy(objects) {
  const v = [];
  const name = (o) => `${o.kind}/${o.metadata?.name}`;
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    if (pod.securityContext?.runAsNonRoot !== true) v.push(`${name(o)}: pod securityContext.runAsNonRoot is not true`);
    const all = [
      ...(pod.initContainers ?? []).map((c) => ({ c, init: true })),
      ...(pod.containers ?? []).map((c) => ({ c, init: false })),
    ];
    for (const { c, init } of all) {
      const where = `${name(o)} container ${c.name}`;
      const long = o.kind === "Deployment" && !init; // probes are for the serving containers
      if (long && !c.livenessProbe) v.push(`${where}: no livenessProbe`);
      if (long && !c.readinessProbe) v.push(`${where}: no readinessProbe`);
      for (const kind of ["requests", "limits"])
        for (const r of ["cpu", "memory"])
          if (c.resources?.[kind]?.[r] === undefined) v.push(`${where}: no resources.${kind}.${r}`);
      const sc = c.securityContext ?? {};
      if (sc.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true) v.push(`${where}: runAsNonRoot not set`);
      if (sc.runAsNonRoot === false) v.push(`${where}: runAsNonRoot false`);
      if (sc.readOnlyRootFilesystem !== true) v.push(`${where}: readOnlyRootFilesystem is not true`);
      if (sc.allowPrivilegeEscalation !== false) v.push(`${where}: allowPrivilegeEscalation is not false`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) v.push(`${where}: capabilities do not drop ALL`);
      const image = String(c.image ?? "");
      const tag = image.includes("@") ? "digest" : image.slice(image.lastIndexOf("/") + 1).split(":")[1];
      if (!tag || tag === "latest") v.push(`${where}: image ${image} has no tag or the tag latest`);
      // RULES A7 at the deployment level: the owner role's password reaches the Job, never a server.
      if (o.kind === "Deployment") {
        for (const e of c.env ?? [])
          if (/owner-password$/.test(e.valueFrom?.secretKeyRef?.key ?? "")) v.push(`${where}: gets ${e.valueFrom.secretKeyRef.key}`);
      }
    }
    if (o.kind === "Deployment") {
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      for (const c of pod.containers ?? []) {
        const sleep = Number((c.lifecycle?.preStop?.exec?.command ?? []).at(-1) ?? c.lifecycle?.preStop?.sleep?.seconds ?? NaN);
        if (!(sleep >= 0)) v.push(`${name(o)} container ${c.name}: no preStop drain`);
        const shutdown = objects.find((x) => x.kind === "ConfigMap" && c.envFrom?.some((f) => f.configMapRef?.name === x.metadata.name))?.data?.PHARMASYS_SHUTDOWN_GRACE ?? "20s";
        const graceSeconds = parseDuration(shutdown);
        if (sleep + graceSeconds >= grace) v.push(`${name(o)}: preStop ${sleep}s + shutdown ${graceSeconds}s is not within terminationGracePeriodSeconds ${grace}`);
      }
      const labels = o.spec?.template?.metadata?.labels ?? {};
      const pdb = objects.find((p) => p.kind === "PodDisruptionBudget" && matches(p.spec?.selector?.matchLabels, labels));
      if (!pdb) v.push(`${name(o)}: no PodDisruptionBudget selects its pods`);
    }
  }
  const denies = objects.filter((o) => o.kind === "NetworkPolicy" && ["Ingress", "Egress"].every((t) => o.spec?.policyTypes?.includes(t)) && !o.spec.ingress?.length && !o.spec.egress?.length);
  const podLabels = objects.map((o) => podSpecOf(o) && o.spec.template.metadata?.labels).filter(Boolean);
  if (!denies.length || !podLabels.every((l) => denies.some((d) => matches(d.spec.podSelector?.matchLabels ?? {}, l))))
    v.push("no default-deny NetworkPolicy (Ingress and Egress, no rule) covers every pod");
  for (const np of objects.filter((o) => o.kind === "NetworkPolicy"))
    for (const rule of np.spec?.ingress ?? [])
      if (!rule.from?.length) v.push(`NetworkPolicy/${np.metadata.name}: an ingress rule without 'from' admits every source`);
  for (const s of objects.filter((o) => o.kind === "Secret")) v.push(`Secret/${s.metadata?.name}: the chart makes a Secret; credentials come from existing Secrets only`);
  return v;
}
const matches = (selector, labels) => !!selector && Object.entries(selector).every(([k, val]) => labels[k] === val);
function parseDuration(text) {
  const m = /^([0-9]+)(ms|s|m|h)$/.exec(String(text));
  if (!m) return NaN;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
}

// ---------------------------------------------------------------- run
let objectCount = 0;
let validCount = 0;
let violations = 0;
let good = null;
const releases = { "examples/production.yaml": { name: "plant", namespace: "pharmasys" } };
for (const set of valueSets) {
  set.release = releases[set.label];
  let objects;
  try {
    objects = render(set);
  } catch (e) {
    fail(`${set.label}: rendering failed: ${e.stderr || e.message}`);
    continue;
  }
  good ??= objects;
  for (const o of objects) {
    objectCount++;
    if (await validateObject(o, set.label)) validCount++;
  }
  const found = policy(objects);
  violations += found.length;
  found.forEach((p) => fail(`${set.label}: policy: ${p}`));
}

// 4. Each check can fail. A rendering the policy must refuse:
for (const file of negatives) {
  const label = path.relative(here, file);
  const expect = /^# expect: (.+)$/m.exec(readFileSync(file, "utf8"))?.[1];
  let objects;
  try {
    objects = render({ label, file });
  } catch (e) {
    if (expect === "render fails") continue;
    fail(`${label}: rendering failed: ${e.stderr || e.message}`);
    continue;
  }
  if (expect === "render fails") fail(`${label}: rendered, but the chart must refuse it`);
  else if (!expect || !policy(objects).some((p) => p.includes(expect))) fail(`${label}: the policy does not report '${expect}'`);
}
// ...and every rule shown a good rendering broken in its own way.
const mutations = {
  "no livenessProbe": (os) => delete firstDeployment(os).containers[0].livenessProbe,
  "no readinessProbe": (os) => delete firstDeployment(os).containers[0].readinessProbe,
  "no resources.limits.memory": (os) => delete firstJob(os).containers[0].resources.limits.memory,
  "no resources.requests.cpu": (os) => delete firstDeployment(os).initContainers[0].resources.requests.cpu,
  "pod securityContext.runAsNonRoot": (os) => (firstDeployment(os).securityContext.runAsNonRoot = false),
  "runAsNonRoot false": (os) => (firstDeployment(os).containers[0].securityContext.runAsNonRoot = false),
  "readOnlyRootFilesystem": (os) => (firstJob(os).containers[0].securityContext.readOnlyRootFilesystem = false),
  "allowPrivilegeEscalation": (os) => delete firstDeployment(os).containers[0].securityContext.allowPrivilegeEscalation,
  "drop ALL": (os) => (firstDeployment(os).initContainers[0].securityContext.capabilities.drop = ["NET_RAW"]),
  "tag latest": (os) => (firstDeployment(os).containers[0].image = "registry.example.com/pharmasys/auth:latest"),
  "no PodDisruptionBudget": (os) => os.splice(os.findIndex((o) => o.kind === "PodDisruptionBudget"), 1),
  "no preStop drain": (os) => delete firstDeployment(os).containers[0].lifecycle,
  "not within terminationGracePeriodSeconds": (os) => (firstDeployment(os).terminationGracePeriodSeconds = 20),
  "default-deny": (os) => os.splice(os.findIndex((o) => o.metadata?.name?.endsWith("-default-deny")), 1),
  "without 'from'": (os) => os.find((o) => o.kind === "NetworkPolicy" && o.spec.ingress?.length).spec.ingress.push({ ports: [{ port: 1 }] }),
  "makes a Secret": (os) => os.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, data: { password: "cmFuZG9t" } }),
  "owner-password": (os) => firstDeployment(os).containers[0].env.push({ name: "X", valueFrom: { secretKeyRef: { name: "s", key: "auth-owner-password" } } }),
};
function firstDeployment(os) {
  return os.find((o) => o.kind === "Deployment" && o.spec.template.spec.initContainers).spec.template.spec;
}
function firstJob(os) {
  return os.find((o) => o.kind === "Job").spec.template.spec;
}
if (good) {
  if (policy(good).length) fail("the mutation self-check needs a clean rendering of values.yaml");
  for (const [expect, mutate] of Object.entries(mutations)) {
    const broken = structuredClone(good);
    mutate(broken);
    if (!policy(broken).some((p) => p.includes(expect))) fail(`policy self-check: a rendering with '${expect}' is not reported`);
  }
  // The schema validation can fail too: a Deployment with a port that is not a number.
  const broken = structuredClone(good.find((o) => o.kind === "Deployment"));
  broken.spec.template.spec.containers[0].ports[0].containerPort = "http";
  const before = failures.length;
  if (await validateObject(broken, "self-check")) fail("kubernetes-models self-check: a containerPort 'http' passes");
  failures.length = before;
}

for (const [key, reason] of skipped) console.log(`skipped kubernetes-models for ${key}: ${reason} (checked minimally here)`);
for (const f of failures) console.error(`FAIL ${f}`);
console.log(
  `helm chart: ${objectCount} objects rendered from ${valueSets.length} values files, ${validCount} valid, ${violations} policy violations` +
    (failures.length ? ` — ${failures.length} failures` : ""),
);
process.exit(failures.length ? 1 : 0);
