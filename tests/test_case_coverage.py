"""Each standard's bundled cases exercise the whole rule file (issue 13): at least ten cases, every
document entry (each channel's and situation's sub-list) on some checklist, every ground in some finding,
every term counted in some case, and the fee judged (a payment given where there is a duty)."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.decision.engine import evaluate
from validator.surfaces.jobs import RuleSet, load_case

ROOT = Path(__file__).resolve().parent.parent
RULES = RuleSet.lazy([ROOT / "rules"])
SLUGS = sorted(RULES.files)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_cases_exercise_every_part_of_the_rule_file(slug: str) -> None:
    compiled = RULES.get(slug, slug, None)
    paths = sorted((ROOT / "cases" / slug).glob("*.yaml"))
    assert len(paths) >= 10, f"{slug}: {len(paths)} cases; at least ten"
    documents: set[tuple[str, str]] = set()
    grounds: set[str] = set()
    terms: set[str] = set()
    fee = False
    for path in paths:
        case, _ = load_case(path, RULES)
        for mode in ("check", "review") if case.decision is not None else ("check",):
            decision = evaluate(compiled, case, mode)  # type: ignore[arg-type]
            documents |= {(item.id, item.cite) for item in decision.checklist}
            grounds |= {f.subject.id for f in decision.findings if f.subject.kind == "ground"}
            terms |= {t.id for t in decision.terms if t.status != "not-started"}
            fee = fee or (decision.fee is not None and (compiled.rules.fee.kind == "free" or case.payment is not None))
    gaps = {
        "document entries": [f"{e.id} ({e.cite})" for e in compiled.entries if (e.id, e.cite) not in documents],
        "grounds": [g.id for g in compiled.rules.refusals.grounds if g.id not in grounds],
        "terms": [t.id for t in compiled.rules.terms if t.id not in terms],
        "fee": [] if fee else [compiled.rules.fee.kind],
    }
    assert not any(gaps.values()), {k: v for k, v in gaps.items() if v}
