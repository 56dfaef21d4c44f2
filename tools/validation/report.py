#!/usr/bin/env python3
"""The OQ traceability matrix: which test proves which rule of RULES.md, and how it went.

Tests name the rules they prove with one tag form (docs/operations/validation.md):

  C++ (GoogleTest)   a line `// proves: B1 B2` directly above TEST( / TEST_F( / TEST_P(
  CMake add_test     a line `# proves: X4` directly above add_test(NAME ...
  Python test        a line `# proves: G3` directly above `def main(` of tests/*/*_test.py; the
                     test is the file's stem (`restore_test`), as its own JUnit file names it
  Playwright         the test's own option: test("title", { tag: ["@B1", "@B2"] }, ...)

  report.py scan   [--root DIR]                        the tags found, one line each
  report.py check  [--root DIR] [--build-dir DIR]      tags name real rules and real tests
  report.py report --junit FILE [--junit FILE...] [--playwright FILE] --out DIR [--root DIR] [--no-pdf]
                   [--raw FILE...]                     report.html (+ report.pdf, matrix.json)

`report` exits 1 when a test of the run failed, 2 on a usage or input error, else 0.
Python 3 standard library only; the PDF is the HTML printed by headless Chromium.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import fnmatch
import hashlib
import html
import json
import os
import platform
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PHARMASYS_CHROMIUM", "/usr/bin/chromium")

RULE_LINE = re.compile(r"^- \*\*([A-Z][0-9]+)(?:\s+([^*]+?))?\*\*\s*(.*)$")
CPP_TAG = re.compile(r"^\s*//\s*proves:(.*)$")
CPP_TEST = re.compile(r"^\s*(TEST|TEST_F|TEST_P)\(\s*(\w+)\s*,\s*(\w+)\s*\)")
CMAKE_TAG = re.compile(r"^\s*#\s*proves:(.*)$")
CMAKE_TEST = re.compile(r"^\s*add_test\(\s*NAME\s+([^\s)]+)")
PY_MAIN = re.compile(r"^def main\(")
# test("title", { tag: [...] }, async ...) or test("title", { tag: "@B1" }, ...), in one line.
PW_TEST = re.compile(r"""^\s*test\(\s*(["'`])((?:\\.|(?!\1).)*)\1\s*,\s*\{([^}]*)\}\s*,""")
PW_TAGS = re.compile(r"tag\s*:\s*(\[[^\]]*\]|[\"'][^\"']*[\"'])")
PW_ANY_TEST = re.compile(r"""^\s*test\(\s*(["'`])((?:\\.|(?!\1).)*)\1\s*,""")
RULE_ID = re.compile(r"^[A-Z][0-9]+$")


class InputError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# RULES.md


@dataclasses.dataclass
class Rule:
    id: str
    title: str  # the bold words after the id, if any
    text: str
    section: str


def find_rules(root: Path) -> Path:
    """RULES.md: PHARMASYS_RULES, else shared/spec/RULES.md in the checkout or a folder above."""
    explicit = os.environ.get("PHARMASYS_RULES")
    if explicit:
        return Path(explicit)
    for folder in [root, *root.parents]:
        for candidate in (folder / "shared" / "spec" / "RULES.md", folder / "spec" / "RULES.md"):
            if candidate.is_file():
                return candidate
    raise InputError("RULES.md not found (shared/spec/ beside or above the checkout); set PHARMASYS_RULES")


def parse_rules(text: str) -> list[Rule]:
    rules: list[Rule] = []
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        m = RULE_LINE.match(line)
        if m:
            title = (m.group(2) or "").strip().rstrip(".")
            rules.append(Rule(m.group(1), title, m.group(3).strip(), section))
        elif rules and line.startswith("  ") and line.strip():
            rules[-1].text += " " + line.strip()
        elif not line.strip() and rules:
            rules[-1].text = rules[-1].text.strip()
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise InputError(f"RULES.md defines {r.id} twice")
        seen.add(r.id)
    return rules


# ---------------------------------------------------------------------------------------------
# tags in the sources


@dataclasses.dataclass
class Tagged:
    kind: str  # "gtest", "ctest", "script" or "playwright"
    name: str  # Suite.Case, the ctest name (may hold *), the script's stem, or the Playwright title
    file: str  # relative to the root
    line: int
    ids: list[str]
    parameterised: bool = False

    @property
    def label(self) -> str:
        return self.name if self.kind != "playwright" else f"{Path(self.file).name} › {self.name}"


@dataclasses.dataclass
class Problem:
    file: str
    line: int
    message: str


def _ids(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", text.strip()) if t]


def _source_files(root: Path):
    for pattern in ("libs/*/tests/*_test.cpp", "gateway/tests/*_test.cpp", "services/*/tests/*_test.cpp",
                    "tests/*/*_test.cpp"):
        yield from sorted(root.glob(pattern))


def scan(root: Path) -> tuple[list[Tagged], list[Problem]]:
    tagged: list[Tagged] = []
    problems: list[Problem] = []
    for path in _source_files(root):
        rel = str(path.relative_to(root))
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = CPP_TAG.match(line)
            if not m:
                continue
            nxt = CPP_TEST.match(lines[i + 1]) if i + 1 < len(lines) else None
            if not nxt:
                problems.append(Problem(rel, i + 1, "a `proves:` tag not directly above TEST(, TEST_F( or TEST_P("))
                continue
            tagged.append(Tagged("gtest", f"{nxt.group(2)}.{nxt.group(3)}", rel, i + 2, _ids(m.group(1)),
                                 nxt.group(1) == "TEST_P"))
    for path in sorted(root.glob("**/CMakeLists.txt")):
        if any(part in ("build", "node_modules", ".run", ".git") for part in path.relative_to(root).parts):
            continue
        rel = str(path.relative_to(root))
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = CMAKE_TAG.match(line)
            if not m:
                continue
            nxt = CMAKE_TEST.match(lines[i + 1]) if i + 1 < len(lines) else None
            if not nxt:
                problems.append(Problem(rel, i + 1, "a `proves:` tag not directly above add_test(NAME ..."))
                continue
            name = re.sub(r"\$\{[^}]*\}", "*", nxt.group(1))
            tagged.append(Tagged("ctest", name, rel, i + 2, _ids(m.group(1))))
    for path in sorted(root.glob("tests/*/*_test.py")):
        rel = str(path.relative_to(root))
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = CMAKE_TAG.match(line)
            if not m:
                continue
            if i + 1 < len(lines) and PY_MAIN.match(lines[i + 1]):
                tagged.append(Tagged("script", path.stem, rel, i + 2, _ids(m.group(1))))
            else:
                problems.append(Problem(rel, i + 1, "a `proves:` tag not directly above `def main(`"))
    for path in sorted((root / "web" / "e2e").glob("*.spec.ts")):
        rel = str(path.relative_to(root))
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            m = PW_TEST.match(line)
            if m and "tag" in m.group(3):
                t = PW_TAGS.search(m.group(3))
                if not t:
                    problems.append(Problem(rel, i + 1, "a Playwright `tag:` this scanner cannot read"))
                    continue
                words = re.findall(r"[\"']([^\"']*)[\"']", t.group(1))
                ids = [w[1:] for w in words if w.startswith("@")]
                if len(ids) != len(words):
                    problems.append(Problem(rel, i + 1, "a Playwright tag that does not start with @"))
                tagged.append(Tagged("playwright", m.group(2), rel, i + 1, ids))
            elif PW_ANY_TEST.match(line) is None and re.search(r"\btest\([^)]*tag\s*:", line):
                problems.append(Problem(rel, i + 1, "a tagged Playwright test written in a form this scanner cannot read"))
    for t in tagged:
        if not t.ids:
            problems.append(Problem(t.file, t.line, "a `proves:` tag naming no rule"))
        for i in t.ids:
            if not RULE_ID.match(i):
                problems.append(Problem(t.file, t.line, f"`{i}` is not a rule id (a letter and a number)"))
    return tagged, problems


# ---------------------------------------------------------------------------------------------
# results of a run


@dataclasses.dataclass
class Result:
    name: str
    status: str  # passed, failed, not run
    seconds: float = 0.0
    message: str = ""


def read_junit(path: Path) -> dict[str, Result]:
    try:
        tree = ET.parse(path)
    except (ET.ParseError, OSError) as e:
        raise InputError(f"{path}: not a JUnit XML file ({e})") from e
    results: dict[str, Result] = {}
    for case in tree.getroot().iter("testcase"):
        name = case.get("name") or ""
        status_attr = (case.get("status") or "").lower()
        failure = case.find("failure")
        error = case.find("error")
        if failure is not None or error is not None or status_attr == "fail":
            node = failure if failure is not None else error
            status = "failed"
            message = node.get("message", "") if node is not None else ""
        elif case.find("skipped") is not None or status_attr in ("notrun", "disabled", "skipped"):
            status, message = "not run", (case.find("skipped").get("message", "") if case.find("skipped") is not None else status_attr)
        else:
            status, message = "passed", ""
        try:
            seconds = float(case.get("time") or 0)
        except ValueError:
            seconds = 0.0
        results[name] = Result(name, status, seconds, message)
    return results


def read_playwright(path: Path) -> dict[tuple[str, str], Result]:
    """(spec file name, title) -> result, from Playwright's JSON reporter."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: not Playwright JSON reporter output ({e})") from e
    results: dict[tuple[str, str], Result] = {}

    def walk(suite, file_name):
        file_name = suite.get("file") or file_name
        for spec in suite.get("specs", []):
            statuses = [t.get("status") for t in spec.get("tests", [])]
            runs = [r for t in spec.get("tests", []) for r in t.get("results", [])]
            seconds = sum(r.get("duration", 0) for r in runs) / 1000
            if any(s in ("unexpected", "flaky") for s in statuses):
                status = "failed"
            elif statuses and all(s == "expected" for s in statuses):
                status = "passed"
            else:
                status = "not run"
            errors = [e.get("message", "") for r in runs for e in r.get("errors", [])]
            key = (Path(spec.get("file") or file_name or "").name, spec.get("title", ""))
            results[key] = Result(key[1], status, seconds, (errors[0] if errors else "")[:500])
        for child in suite.get("suites", []):
            walk(child, file_name)

    for suite in data.get("suites", []):
        walk(suite, suite.get("file"))
    return results


def match(t: Tagged, junit: dict[str, Result], pw: dict[tuple[str, str], Result] | None) -> list[Result]:
    if t.kind == "playwright":
        if pw is None:
            return []
        r = pw.get((Path(t.file).name, t.name))
        return [r] if r else []
    if t.kind == "script" or (t.kind == "gtest" and not t.parameterised):
        r = junit.get(t.name)
        return [r] if r else []
    pattern = t.name if t.kind == "ctest" else f"*/{t.name}/*"
    return [r for n, r in sorted(junit.items()) if fnmatch.fnmatchcase(n, pattern)]


def overall(results: list[Result]) -> str:
    if not results:
        return "not found"
    statuses = {r.status for r in results}
    if "failed" in statuses:
        return "failed"
    if statuses == {"passed"}:
        return "passed"
    return "not run"


# ---------------------------------------------------------------------------------------------
# the build and the machine


def git(root: Path, *args: str, strip: bool = True) -> str:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=True)
        return out.stdout.strip() if strip else out.stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def build_facts(root: Path) -> dict:
    commit = git(root, "rev-parse", "HEAD") or "unknown"
    porcelain = git(root, "status", "--porcelain", "--untracked-files=normal", strip=False)
    changed = [line[3:] for line in porcelain.splitlines() if line.strip()]
    os_name = ""
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    now = datetime.datetime.now(datetime.timezone.utc)
    return {
        "commit": commit,
        "branch": git(root, "rev-parse", "--abbrev-ref", "HEAD"),
        "commit_subject": git(root, "log", "-1", "--format=%s"),
        "commit_date": git(root, "log", "-1", "--format=%cI"),
        "dirty": bool(changed),
        "changed_files": changed,
        "generated_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generated_local": now.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
        "host": socket.gethostname(),
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
        "os": os_name,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# the matrix


def build_matrix(rules: list[Rule], tagged: list[Tagged], junit: dict[str, Result],
                 pw: dict[tuple[str, str], Result] | None) -> dict:
    known = {r.id for r in rules}
    rows = []
    for rule in rules:
        proofs = []
        for t in tagged:
            if rule.id not in t.ids:
                continue
            results = match(t, junit, pw)
            proofs.append({"test": t.label, "kind": t.kind, "file": t.file, "line": t.line,
                           "result": overall(results),
                           "runs": [dataclasses.asdict(r) for r in results]})
        results = {p["result"] for p in proofs}
        if not proofs:
            verdict = "unmapped"
        elif "failed" in results:
            verdict = "failed"
        elif results == {"passed"}:
            verdict = "passed"
        else:
            verdict = "incomplete"
        rows.append({"id": rule.id, "title": rule.title, "text": rule.text, "section": rule.section,
                     "verdict": verdict, "tests": proofs})
    unknown = [{"id": i, "test": t.label, "file": t.file, "line": t.line}
               for t in tagged for i in t.ids if i not in known]
    missing = [{"test": t.label, "file": t.file, "line": t.line, "ids": t.ids}
               for t in tagged if not match(t, junit, pw)]
    counts = {s: sum(1 for r in junit.values() if r.status == s) for s in ("passed", "failed", "not run")}
    if pw is not None:
        for r in pw.values():
            counts[r.status] += 1
    verdicts = {v: sum(1 for r in rows if r["verdict"] == v) for v in ("passed", "failed", "incomplete", "unmapped")}
    return {
        "rows": rows,
        "unmapped": [r["id"] for r in rows if r["verdict"] == "unmapped"],
        "unknown_ids": unknown,
        "not_in_run": missing,
        "summary": {"requirements": len(rows), "mapped": len(rows) - verdicts["unmapped"], "verdicts": verdicts,
                    "tests": counts, "tagged_tests": len(tagged),
                    "failed_tests": sorted([r.name for r in junit.values() if r.status == "failed"] +
                                           ([f"{k[0]} › {k[1]}" for k, r in pw.items() if r.status == "failed"]
                                            if pw else []))},
    }


# ---------------------------------------------------------------------------------------------
# HTML


CSS = """
@page { size: A4; margin: 16mm 12mm 16mm 12mm;
  @top-left { content: "PharmaSys — OQ traceability matrix"; font: 8pt sans-serif; color: #555; }
  @top-right { content: "commit @SHORT@ · @GENERATED@"; font: 8pt sans-serif; color: #555; }
  @bottom-center { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; } }
body { font: 9.5pt/1.35 "DejaVu Sans", "Liberation Sans", sans-serif; color: #111; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 14pt 0 5pt; border-bottom: 1px solid #999; }
h2, h3 { break-after: avoid; } h3 { font-size: 10.5pt; margin: 10pt 0 3pt; }
table { border-collapse: collapse; width: 100%; margin: 3pt 0 8pt; }
th, td { border: 1px solid #bbb; padding: 2.5pt 4pt; vertical-align: top; text-align: left; }
th { background: #eee; } tr { break-inside: avoid; }
.facts th { width: 28%; } code, .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
.passed { color: #0a6b24; font-weight: bold; } .failed { color: #b00020; font-weight: bold; }
.incomplete, .not-run, .not-found { color: #9a5b00; font-weight: bold; } .unmapped { color: #b00020; font-weight: bold; }
.rule { break-inside: avoid; margin-bottom: 6pt; } .rule p { margin: 2pt 0 3pt; }
.alert { border: 2px solid #b00020; padding: 4pt 8pt; margin: 8pt 0; break-inside: avoid; }
.alert h2 { color: #b00020; border: 0; margin-top: 2pt; } .ok { border-color: #0a6b24; } .ok h2 { color: #0a6b24; }
.small { font-size: 8pt; color: #444; }
"""


def esc(s) -> str:
    return html.escape(str(s), quote=True)


def cls(status: str) -> str:
    return status.replace(" ", "-")


def render_html(matrix: dict, facts: dict, raw: list[dict], rules_file: dict) -> str:
    s = matrix["summary"]
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>PharmaSys OQ traceability matrix "
           f"{esc(facts['commit'][:12])}</title><style>"
           + CSS.replace("@SHORT@", esc(facts["commit"][:12])).replace("@GENERATED@", esc(facts["generated_utc"]))
           + "</style></head><body>"]
    out.append("<h1>PharmaSys — Operational Qualification: traceability matrix</h1>")
    out.append("<p class='small'>Every requirement of RULES.md, the automated tests that prove it, and each "
               "test's result in the run this report was made from (GAMP 5 OQ evidence).</p>")
    dirty = "yes — built from uncommitted changes" if facts["dirty"] else "no (clean tree)"
    rows = [("Commit", f"<code>{esc(facts['commit'])}</code> ({esc(facts['branch'])})"),
            ("Commit subject", esc(facts["commit_subject"])), ("Commit date", esc(facts["commit_date"])),
            ("Working tree modified", ("<span class='failed'>" if facts["dirty"] else "") + esc(dirty)
             + ("</span>" if facts["dirty"] else "")),
            ("Report generated", f"{esc(facts['generated_utc'])} (local {esc(facts['generated_local'])})"),
            ("Machine", f"{esc(facts['host'])} — {esc(facts['os'])}, {esc(facts['machine'])}, {facts['cpus']} CPUs"),
            ("Requirements source", f"{esc(rules_file['name'])} — SHA-256 <code>{esc(rules_file['sha256'])}</code>")]
    out.append("<table class='facts'>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>")
    if facts["dirty"] and facts["changed_files"]:
        shown = ", ".join(esc(f) for f in facts["changed_files"][:20])
        more = len(facts["changed_files"]) - 20
        out.append(f"<p class='small'>Modified files: {shown}{f' and {more} more' if more > 0 else ''}</p>")
    out.append("<h3>Raw test output this report was made from</h3><table><tr><th>File</th><th>Bytes</th>"
               "<th>SHA-256</th></tr>")
    for f in raw:
        out.append(f"<tr><td><code>{esc(f['name'])}</code></td><td>{f['bytes']}</td>"
                   f"<td><code>{esc(f['sha256'])}</code></td></tr>")
    out.append("</table>")

    v = s["verdicts"]
    t = s["tests"]
    out.append("<h2>Summary</h2><table>")
    out.append(f"<tr><th>Requirements mapped to a test</th><td>{s['mapped']} / {s['requirements']}</td></tr>")
    out.append(f"<tr><th>Requirement verdicts</th><td><span class='passed'>{v['passed']} passed</span>, "
               f"<span class='failed'>{v['failed']} failed</span>, <span class='incomplete'>{v['incomplete']} "
               f"incomplete</span>, <span class='unmapped'>{v['unmapped']} unmapped</span></td></tr>")
    out.append(f"<tr><th>Tests in the run</th><td><span class='passed'>{t['passed']} passed</span>, "
               f"<span class='failed'>{t['failed']} failed</span>, {t['not run']} not run</td></tr>")
    out.append(f"<tr><th>Tagged tests (proofs)</th><td>{s['tagged_tests']}</td></tr></table>")
    out.append("<p class='small'>Verdicts: <b>passed</b> — every test proving the requirement passed; <b>failed</b> "
               "— at least one failed; <b>incomplete</b> — none failed but at least one was not run or not found "
               "in the run; <b>unmapped</b> — no test names the requirement.</p>")
    if s["failed_tests"]:
        out.append("<div class='alert'><h2>Failed tests</h2><ul>" +
                   "".join(f"<li><code>{esc(n)}</code></li>" for n in s["failed_tests"]) + "</ul></div>")

    gaps = matrix["unmapped"] or matrix["unknown_ids"] or matrix["not_in_run"]
    out.append(f"<div class='alert{'' if gaps else ' ok'}'><h2>Gaps</h2>")
    out.append("<h3>Requirements with no test (unmapped)</h3>")
    if matrix["unmapped"]:
        by_id = {r["id"]: r for r in matrix["rows"]}
        out.append("<ul>" + "".join(f"<li><b>{esc(i)}</b> {esc(by_id[i]['title'])} — "
                                    f"{esc(by_id[i]['text'][:160])}…</li>" for i in matrix["unmapped"]) + "</ul>")
    else:
        out.append("<p>None.</p>")
    out.append("<h3>Tags naming an id that RULES.md does not define</h3>")
    out.append("<ul>" + "".join(f"<li><b>{esc(u['id'])}</b> on <code>{esc(u['test'])}</code> "
                                f"({esc(u['file'])}:{u['line']})</li>" for u in matrix["unknown_ids"]) + "</ul>"
               if matrix["unknown_ids"] else "<p>None.</p>")
    out.append("<h3>Tagged tests not found in the run</h3>")
    out.append("<ul>" + "".join(f"<li><code>{esc(m['test'])}</code> ({esc(m['file'])}:{m['line']}; "
                                f"{esc(' '.join(m['ids']))})</li>" for m in matrix["not_in_run"]) + "</ul>"
               if matrix["not_in_run"] else "<p>None.</p>")
    out.append("</div>")

    out.append("<h2>Matrix: requirement → tests</h2>")
    section = None
    for r in matrix["rows"]:
        if r["section"] != section:
            section = r["section"]
            out.append(f"<h3>{esc(section)}</h3>")
        title = f" {esc(r['title'])}" if r["title"] else ""
        out.append(f"<div class='rule'><table><tr><th style='width:70%'>{esc(r['id'])}{title}</th>"
                   f"<th>Verdict: <span class='{cls(r['verdict'])}'>{esc(r['verdict'].upper())}</span></th></tr>"
                   f"<tr><td colspan='2'><p>{esc(r['text'])}</p></td></tr></table>")
        if r["tests"]:
            out.append("<table><tr><th>Test</th><th style='width:34%'>Source</th><th style='width:11%'>Result</th></tr>")
            for p in r["tests"]:
                name = p["test"]
                if len(p["runs"]) > 1:
                    name += f" ({len(p['runs'])} instances)"
                out.append(f"<tr><td><code>{esc(name)}</code></td><td><code>{esc(p['file'])}:{p['line']}</code></td>"
                           f"<td class='{cls(p['result'])}'>{esc(p['result'])}</td></tr>")
            out.append("</table>")
        out.append("</div>")
    out.append("<p class='small'>Generated by tools/validation/report.py from the files listed above; "
               "matrix.json beside this report holds the same data.</p></body></html>")
    return "\n".join(out)


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
           "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.SubprocessError) as e:
        raise InputError(f"could not run {CHROMIUM}: {e}") from e
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise InputError(f"Chromium did not print {pdf_path} (status {done.returncode}): {done.stderr[-800:]}")


# ---------------------------------------------------------------------------------------------
# commands


def ctest_names(build_dir: Path) -> set[str]:
    # json-v1: a parameterised test's name may hold spaces ("Prefix/Suite.Case/Name  # GetParam() = ...").
    try:
        out = subprocess.run(["ctest", "--test-dir", str(build_dir), "--show-only=json-v1"], capture_output=True,
                             text=True, timeout=120, check=True).stdout
        return {t["name"] for t in json.loads(out).get("tests", [])}
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as e:
        raise InputError(f"ctest --show-only in {build_dir} failed: {e}") from e


def check(root: Path, build_dir: Path | None) -> list[str]:
    rules = parse_rules(find_rules(root).read_text(encoding="utf-8"))
    known = {r.id for r in rules}
    tagged, problems = scan(root)
    errors = [f"{p.file}:{p.line}: {p.message}" for p in problems]
    for t in tagged:
        for i in t.ids:
            if RULE_ID.match(i) and i not in known:
                errors.append(f"{t.file}:{t.line}: {t.label} names {i}, which RULES.md does not define")
    if build_dir is not None:
        names = ctest_names(build_dir)
        results = {n: Result(n, "passed") for n in names}
        for t in tagged:
            # Scripts run outside ctest (their JUnit file is their own): they are found by the scan.
            if t.kind not in ("playwright", "script") and not match(t, results, None):
                errors.append(f"{t.file}:{t.line}: {t.label} is not a test of {build_dir} (ctest -N)")
    return errors


def cmd_scan(args) -> int:
    tagged, problems = scan(args.root)
    for t in tagged:
        print(f"{t.file}:{t.line}\t{t.kind}\t{t.label}\t{' '.join(t.ids)}")
    for p in problems:
        print(f"{p.file}:{p.line}: {p.message}", file=sys.stderr)
    return 1 if problems else 0


def cmd_check(args) -> int:
    errors = check(args.root, args.build_dir)
    for e in errors:
        print(e, file=sys.stderr)
    tagged, _ = scan(args.root)
    print(f"{len(tagged)} tagged tests, {len(errors)} problems")
    return 1 if errors else 0


def cmd_report(args) -> int:
    root: Path = args.root
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rules_path = find_rules(root)
    rules = parse_rules(rules_path.read_text(encoding="utf-8"))
    tagged, problems = scan(root)
    for p in problems:
        print(f"warning: {p.file}:{p.line}: {p.message}", file=sys.stderr)
    junit: dict[str, Result] = {}
    for path in args.junit:
        junit.update(read_junit(path))
    pw = read_playwright(args.playwright) if args.playwright and args.playwright.is_file() else None
    matrix = build_matrix(rules, tagged, junit, pw)
    raw_paths = list(args.junit) + ([args.playwright] if pw is not None else []) + [p for p in args.raw if p.is_file()]
    raw = []
    for p in dict.fromkeys(raw_paths):
        try:
            shown = str(p.resolve().relative_to(out.resolve()))
        except ValueError:
            shown = str(p)
        raw.append({"name": shown, "bytes": p.stat().st_size, "sha256": sha256(p)})
    facts = build_facts(root)
    rules_file = {"name": "RULES.md", "sha256": sha256(rules_path)}
    html_path = out / "report.html"
    html_path.write_text(render_html(matrix, facts, raw, rules_file), encoding="utf-8")
    (out / "matrix.json").write_text(json.dumps({"build": facts, "raw_files": raw, "rules_file": rules_file,
                                                 **matrix}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.no_pdf:
        print_pdf(html_path, out / "report.pdf")
    s = matrix["summary"]
    v, t = s["verdicts"], s["tests"]
    target = out / ("report.html" if args.no_pdf else "report.pdf")
    print(f"validation: {s['mapped']}/{s['requirements']} requirements mapped ({v['passed']} passed, "
          f"{v['failed']} failed, {v['incomplete']} incomplete, {v['unmapped']} unmapped"
          f"{': ' + ' '.join(matrix['unmapped']) if matrix['unmapped'] else ''}); tests {t['passed']} passed, "
          f"{t['failed']} failed, {t['not run']} not run; {target}")
    return 1 if t["failed"] else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("scan", "check", "report"):
        p = sub.add_parser(name)
        p.add_argument("--root", type=Path, default=ROOT, help="the checkout (default: this file's)")
        if name == "check":
            p.add_argument("--build-dir", type=Path, help="a built tree: tagged C++ tests must be in its ctest -N")
        if name == "report":
            p.add_argument("--junit", type=Path, action="append", required=True,
                           help="ctest --output-junit file, and any other JUnit file of the run (repeatable)")
            p.add_argument("--playwright", type=Path, help="Playwright JSON reporter output")
            p.add_argument("--out", type=Path, required=True, help="folder for report.html, report.pdf, matrix.json")
            p.add_argument("--raw", type=Path, nargs="*", default=[], help="further raw output files to hash")
            p.add_argument("--no-pdf", action="store_true", help="HTML and JSON only")
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        return {"scan": cmd_scan, "check": cmd_check, "report": cmd_report}[args.command](args)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
