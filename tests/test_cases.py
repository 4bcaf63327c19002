"""Every example case under cases/ gives what its `expect:` block says, and matches its golden report."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.report.render import to_text
from validator.surfaces.jobs import RuleSet, report_json, run_expectations

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").rglob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT / "cases")) for p in CASES])
def test_case_meets_expectation(path: Path, ruleset: RuleSet) -> None:
    results = run_expectations(path, ruleset)
    assert results, "no expectations"
    for r in results:
        assert r.ok, f"{r.mode}: " + "; ".join(r.problems)


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT / "cases")) for p in CASES])
def test_golden_reports(path: Path, ruleset: RuleSet, update_golden: bool) -> None:
    """The whole report (JSON and text) is pinned; `pytest --update-golden` rewrites it for review."""
    for r in run_expectations(path, ruleset):
        assert r.report is not None
        rel = path.relative_to(ROOT / "cases").with_suffix("")
        for suffix, text in ((".json", report_json(r.report) + "\n"), (".txt", to_text(r.report, "kk"))):
            golden = GOLDEN / rel.parent / f"{rel.name}.{r.mode}{suffix}"
            if update_golden or not golden.exists():
                if not update_golden:
                    pytest.fail(f"no golden file {golden}; run pytest --update-golden and review it")
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text(text, encoding="utf-8")
            assert golden.read_text(encoding="utf-8") == text, f"{golden} differs; review and --update-golden"
