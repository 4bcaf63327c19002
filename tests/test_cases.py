"""Every example case under cases/ gives what its `expect:` block says, and matches its golden reports:
the language-free decision (JSON) and the text report in each of kk, ru and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.report.render import to_text
from validator.surfaces.jobs import RuleSet, load_case, run_expectations

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
    """The decision and its text in three languages are pinned; `pytest --update-golden` rewrites them."""
    _, compiled = load_case(path, ruleset)
    for r in run_expectations(path, ruleset):
        assert r.decision is not None
        rel = path.relative_to(ROOT / "cases").with_suffix("")
        outputs = [(".decision.json", r.decision.to_json() + "\n")]
        outputs += [(f".{lang}.txt", to_text(r.decision, compiled, lang)) for lang in ("kk", "ru", "en")]
        for suffix, text in outputs:
            golden = GOLDEN / rel.parent / f"{rel.name}.{r.mode}{suffix}"
            if update_golden or not golden.exists():
                if not update_golden:
                    pytest.fail(f"no golden file {golden}; run pytest --update-golden and review it")
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text(text, encoding="utf-8")
            assert golden.read_text(encoding="utf-8") == text, f"{golden} differs; review and --update-golden"


def test_no_stale_golden_files() -> None:
    """A golden file whose case is gone (or renamed) is removed, not left to look like coverage."""
    names = {p.relative_to(ROOT / "cases").with_suffix("").as_posix() for p in CASES}
    for golden in GOLDEN.rglob("*.*"):
        rel = golden.relative_to(GOLDEN).as_posix()
        stem = rel.split(".")[0]
        assert stem in names, f"{golden} belongs to no case"
