#!/usr/bin/env python3
"""Guards the traceability matrix generator (report.py) without the full validation run.

On the real checkout: every `proves:` tag names a rule RULES.md defines, and every tagged C++
test is a test of the build tree (PHARMASYS_BUILD_DIR, `ctest -N`). On a small synthetic
checkout and run: the matrix rows, the verdicts, the unmapped list, the unknown ids, the tagged
tests missing from the run, the SHA-256 of the raw files and the exit status.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import report  # noqa: E402

REAL_ROOT = HERE.parents[1]

RULES = """\
# rules

## Business rules

- **B1 Quarantine by default.** Every lot is created with status
  `quarentena`.
- **B2 FEFO.** Earliest expiry first.

## Security

- **X1** Forged tokens are refused.
- **X9** Nobody tests this one.
"""

CPP = """\
// proves: B1
TEST(Lots, AreBornInQuarantine) {}

// proves: B1 X1
TEST_F(Plant, ForgedTokensAndQuarantine) {}

// proves: B2
TEST_P(Fefo, EarliestFirst) {}

// proves: Z7
TEST(Ghost, NamesNoRule) {}

TEST(Untagged, IsNotInTheMatrix) {}
"""

CMAKE = """\
foreach(name a b)
  # proves: X1
  add_test(NAME smoke_${name} COMMAND true)
endforeach()
"""

SPEC = """\
test("a lot in quarantine", { tag: ["@B1"] }, async ({ page }) => {});
test("untagged", async ({ page }) => {});
test("fefo in the browser", { tag: ["@B2", "@X1"] }, async ({ page }) => {});
"""

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Linux" tests="6" failures="1" disabled="0" skipped="1" hostname="" time="3">
  <testcase name="Lots.AreBornInQuarantine" classname="Lots.AreBornInQuarantine" time="0.1" status="run"/>
  <testcase name="Plant.ForgedTokensAndQuarantine" classname="Plant.ForgedTokensAndQuarantine" time="1" status="fail">
    <failure message="Failed"/>
  </testcase>
  <testcase name="Each/Fefo.EarliestFirst/0" classname="Each/Fefo.EarliestFirst/0" time="0.1" status="run"/>
  <testcase name="Each/Fefo.EarliestFirst/1" classname="Each/Fefo.EarliestFirst/1" time="0.1" status="run"/>
  <testcase name="smoke_a" classname="smoke_a" time="0.1" status="run"/>
  <testcase name="smoke_b" classname="smoke_b" time="0" status="notrun"><skipped message="Skipped"/></testcase>
  <testcase name="Untagged.IsNotInTheMatrix" classname="Untagged.IsNotInTheMatrix" time="0.1" status="run"/>
</testsuite>
"""

PLAYWRIGHT = {
    "suites": [{
        "title": "x.spec.ts", "file": "x.spec.ts", "specs": [
            {"title": "a lot in quarantine", "file": "x.spec.ts", "tags": ["@B1"],
             "tests": [{"status": "expected", "results": [{"status": "passed", "duration": 1200, "errors": []}]}]},
            {"title": "untagged", "file": "x.spec.ts", "tags": [],
             "tests": [{"status": "expected", "results": [{"status": "passed", "duration": 10, "errors": []}]}]},
        ], "suites": []}]
}


class RealCheckout(unittest.TestCase):
    def test_every_tag_names_a_rule_and_every_tagged_test_exists(self):
        try:
            report.find_rules(REAL_ROOT)
        except report.InputError as e:
            self.skipTest(str(e))
        build = os.environ.get("PHARMASYS_BUILD_DIR")
        errors = report.check(REAL_ROOT, Path(build) if build else None)
        self.assertEqual(errors, [], "\n".join(errors))

    def test_the_sources_carry_tags(self):
        tagged, problems = report.scan(REAL_ROOT)
        self.assertEqual([f"{p.file}:{p.line}: {p.message}" for p in problems], [])
        kinds = {t.kind for t in tagged}
        self.assertEqual(kinds, {"gtest", "ctest", "script", "playwright"})
        self.assertGreater(len(tagged), 100)


class SyntheticRun(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        base = Path(self.tmp.name)
        self.root = base / "checkout"
        files = {
            base / "shared/spec/RULES.md": RULES,
            self.root / "services/lab/tests/lab_test.cpp": CPP,
            self.root / "services/lab/CMakeLists.txt": CMAKE,
            self.root / "web/e2e/x.spec.ts": SPEC,
            base / "run/ctest-junit.xml": JUNIT,
            base / "run/playwright.json": json.dumps(PLAYWRIGHT),
            base / "run/ctest-output.log": "100% tests passed\n",
        }
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.run_dir = base / "run"
        env = {k: v for k, v in os.environ.items() if k != "PHARMASYS_RULES"}
        self.done = subprocess.run(
            [sys.executable, str(HERE / "report.py"), "report", "--root", str(self.root), "--no-pdf",
             "--junit", str(self.run_dir / "ctest-junit.xml"), "--playwright", str(self.run_dir / "playwright.json"),
             "--raw", str(self.run_dir / "ctest-output.log"), "--out", str(self.run_dir)],
            capture_output=True, text=True, env=env, timeout=60)
        self.matrix = json.loads((self.run_dir / "matrix.json").read_text(encoding="utf-8"))
        self.rows = {r["id"]: r for r in self.matrix["rows"]}

    def tearDown(self):
        self.tmp.cleanup()

    def test_a_failed_test_fails_the_report(self):
        self.assertEqual(self.done.returncode, 1, self.done.stderr)
        self.assertIn("validation: 3/4 requirements mapped", self.done.stdout)
        self.assertIn("unmapped: X9", self.done.stdout)

    def test_the_rules_come_from_rules_md_with_their_text(self):
        self.assertEqual(list(self.rows), ["B1", "B2", "X1", "X9"])
        self.assertEqual(self.rows["B1"]["title"], "Quarantine by default")
        self.assertEqual(self.rows["B1"]["text"], "Every lot is created with status `quarentena`.")
        self.assertEqual(self.rows["X1"]["title"], "")
        self.assertEqual(self.rows["X1"]["section"], "Security")

    def test_each_row_lists_its_tests_with_source_and_result(self):
        b1 = {t["test"]: (t["file"], t["line"], t["result"]) for t in self.rows["B1"]["tests"]}
        self.assertEqual(b1, {
            "Lots.AreBornInQuarantine": ("services/lab/tests/lab_test.cpp", 2, "passed"),
            "Plant.ForgedTokensAndQuarantine": ("services/lab/tests/lab_test.cpp", 5, "failed"),
            "x.spec.ts › a lot in quarantine": ("web/e2e/x.spec.ts", 1, "passed"),
        })
        self.assertEqual(self.rows["B1"]["verdict"], "failed")

    def test_parameterised_and_cmake_tests_match_every_instance(self):
        b2 = {t["test"]: t for t in self.rows["B2"]["tests"]}
        self.assertEqual(len(b2["Fefo.EarliestFirst"]["runs"]), 2)
        self.assertEqual(b2["Fefo.EarliestFirst"]["result"], "passed")
        self.assertEqual(b2["x.spec.ts › fefo in the browser"]["result"], "not found")
        self.assertEqual(self.rows["B2"]["verdict"], "incomplete")
        smoke = [t for t in self.rows["X1"]["tests"] if t["test"] == "smoke_*"][0]
        self.assertEqual([r["name"] for r in smoke["runs"]], ["smoke_a", "smoke_b"])
        self.assertEqual(smoke["result"], "not run")

    def test_gaps_are_listed(self):
        self.assertEqual(self.matrix["unmapped"], ["X9"])
        self.assertEqual(self.rows["X9"]["verdict"], "unmapped")
        self.assertEqual([(u["id"], u["test"]) for u in self.matrix["unknown_ids"]], [("Z7", "Ghost.NamesNoRule")])
        self.assertEqual(sorted(m["test"] for m in self.matrix["not_in_run"]),
                         ["Ghost.NamesNoRule", "x.spec.ts › fefo in the browser"])

    def test_the_summary_counts_every_test_of_the_run(self):
        s = self.matrix["summary"]
        self.assertEqual(s["tests"], {"passed": 7, "failed": 1, "not run": 1})
        self.assertEqual(s["failed_tests"], ["Plant.ForgedTokensAndQuarantine"])
        self.assertEqual(s["verdicts"], {"passed": 0, "failed": 2, "incomplete": 1, "unmapped": 1})

    def test_the_raw_files_are_named_with_their_sha256(self):
        hashes = {f["name"]: f["sha256"] for f in self.matrix["raw_files"]}
        for name in ("ctest-junit.xml", "playwright.json", "ctest-output.log"):
            self.assertEqual(hashes[name], hashlib.sha256((self.run_dir / name).read_bytes()).hexdigest())
        page = (self.run_dir / "report.html").read_text(encoding="utf-8")
        self.assertIn(hashes["ctest-junit.xml"], page)
        self.assertIn("Requirements with no test (unmapped)", page)
        self.assertIn("<b>X9</b>", page)
        self.assertIn("services/lab/tests/lab_test.cpp:5", page)


class ScriptWithItsOwnJunit(unittest.TestCase):
    """A test run outside ctest (tests/restore) proves its rule from the JUnit file it writes."""

    def test_its_rule_is_mapped_and_its_result_read(self):
        with tempfile.TemporaryDirectory() as d:
            base = Path(d)
            root = base / "checkout"
            files = {
                base / "shared/spec/RULES.md": RULES,
                root / "tests/restore/restore_test.py": "import sys\n\n\n# proves: X9\ndef main():\n    pass\n",
                base / "run/ctest-junit.xml": JUNIT,
                base / "run/restore-junit.xml": '<testsuite><testcase name="restore_test" time="200"/>'
                                                '<testcase name="restore_test/a check"/></testsuite>',
            }
            for path, text in files.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if k != "PHARMASYS_RULES"}
            done = subprocess.run(
                [sys.executable, str(HERE / "report.py"), "report", "--root", str(root), "--no-pdf",
                 "--junit", str(base / "run/ctest-junit.xml"), "--junit", str(base / "run/restore-junit.xml"),
                 "--out", str(base / "run")],
                capture_output=True, text=True, env=env, timeout=60)
            self.assertIn(done.returncode, (0, 1), done.stderr)
            matrix = json.loads((base / "run/matrix.json").read_text(encoding="utf-8"))
            x9 = {r["id"]: r for r in matrix["rows"]}["X9"]
            self.assertEqual([(t["test"], t["file"], t["line"], t["result"]) for t in x9["tests"]],
                             [("restore_test", "tests/restore/restore_test.py", 5, "passed")])
            self.assertEqual(x9["verdict"], "passed")
            self.assertNotIn("X9", matrix["unmapped"])
            names = [f["name"] for f in matrix["raw_files"]]
            self.assertIn("restore-junit.xml", names)


class Scanner(unittest.TestCase):
    def test_a_tag_that_is_not_above_a_test_is_a_problem(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "libs/x/tests/x_test.cpp"
            path.parent.mkdir(parents=True)
            path.write_text(textwrap.dedent("""\
                // proves: B1

                TEST(A, B) {}
                // proves:
                TEST(A, C) {}
                """), encoding="utf-8")
            tagged, problems = report.scan(Path(d))
            self.assertEqual([(p.line, p.message.split(" ")[0]) for p in problems], [(1, "a"), (5, "a")])
            self.assertEqual([t.name for t in tagged], ["A.C"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
