"""The compiled pre-check (`validator.decision.compiled`) decides exactly as the reference evaluator.

Differential: every bundled case, and generated cases for every rule file, are decided by both
(`engine.evaluate`, which uses the rule file's compiled plan, and `engine.evaluate_reference`, which reads
the rule model case by case); the decisions must be equal field by field, findings in the same order.
Plans share findings and checklist lines between cases: each decision is rendered in every language
and format before the next is compared, so a renderer that changed a shared value would show here.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.decision.case import Case
from validator.decision.compiled import ChannelPlan, plan_for
from validator.decision.engine import evaluate, evaluate_reference
from validator.decision.model import Decision
from validator.errors import InputErrors
from validator.report.render import render
from validator.rules.compiler import CompiledRules
from validator.surfaces.jobs import RuleSet, load_case

from .strategies import cases

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").rglob("*.yaml"))
RULES = RuleSet.lazy()
SLUGS = sorted(RULES.files)


def _both(compiled: CompiledRules, case: Case) -> tuple[Decision | InputErrors, Decision | InputErrors]:
    out: list[Decision | InputErrors] = []
    for fn in (evaluate, evaluate_reference):
        try:
            out.append(fn(compiled, case, "check"))
        except InputErrors as e:
            out.append(e)
    return out[0], out[1]


def _same(compiled: CompiledRules, case: Case, where: str) -> Decision | None:
    fast, reference = _both(compiled, case)
    if isinstance(reference, InputErrors) or isinstance(fast, InputErrors):
        assert isinstance(fast, InputErrors) and isinstance(reference, InputErrors), where
        assert [p.message for p in fast.problems] == [p.message for p in reference.problems], where
        return None
    assert isinstance(fast, Decision)
    assert fast.model_dump() == reference.model_dump(), where
    # The compiled plan's decision renders as the reference's, byte for byte, in every language.
    for lang in ("kk", "ru", "en"):
        for fmt in ("json", "text"):
            assert render(fast, compiled, lang, fmt) == render(reference, compiled, lang, fmt), (where, lang, fmt)
    return fast


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(ROOT / "cases")) for p in CASES])
def test_bundled_case_decided_as_the_reference_decides(path: Path) -> None:
    case, compiled = load_case(path, RULES)
    decision = _same(compiled, case, str(path))
    if decision is not None and plan_for(compiled, case.channel) is not None:
        # The plan was used, not the reference twice.
        assert isinstance(compiled.cache[("plan", case.channel)], ChannelPlan)


@pytest.mark.parametrize("slug", SLUGS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_cases_decided_as_the_reference_decides(slug: str, data: st.DataObject) -> None:
    compiled = RULES.get(slug, slug, None)
    raw = data.draw(cases(compiled))
    # Some cases with documents handed twice, in another form, or under an id the channel does not ask for.
    if raw["documents"] and data.draw(st.booleans()):
        extra = copy.deepcopy(data.draw(st.sampled_from(raw["documents"])))
        extra["form"] = data.draw(st.sampled_from(["original", "copy", "notarised-copy", "electronic"]))
        if all((d["id"], d.get("form")) != (extra["id"], extra["form"]) for d in raw["documents"]):
            raw["documents"].append(extra)
    if data.draw(st.booleans()):
        raw["evaluated_on"] = raw["submitted_on"]
    try:
        case = Case.model_validate(raw)
    except ValueError:
        return  # not a case (the loader refuses it): nothing to decide
    _same(compiled, case, f"{slug}: {raw}")


def test_a_long_run_of_cases_keeps_every_shared_value(ruleset: RuleSet) -> None:
    """Decisions that share findings stay equal to the reference after many cases (nothing shared was
    changed in place by an evaluation or a rendering)."""
    seen: list[tuple[CompiledRules, Case, Any]] = []
    for path in CASES:
        case, compiled = load_case(path, ruleset)
        try:
            decision = evaluate(compiled, case, "check")
        except InputErrors:
            continue
        for lang in ("kk", "ru", "en"):
            render(decision, compiled, lang, "json")
            render(decision, compiled, lang, "markdown")
        seen.append((compiled, case, decision.model_dump()))
    assert len(seen) > 300
    for compiled, case, dumped in seen:
        assert evaluate(compiled, case, "check").model_dump() == dumped
        assert evaluate_reference(compiled, case, "check").model_dump() == dumped


def test_a_review_and_an_information_only_channel_are_left_to_the_reference() -> None:
    info_only = [
        (slug, ch.id) for slug in SLUGS for ch in RULES.get(slug, slug, None).rules.channels if ch.information_only
    ]
    assert info_only, "no information-only channel to check"
    for slug, channel in info_only:
        assert plan_for(RULES.get(slug, slug, None), channel) is None
    assert plan_for(RULES.get(SLUGS[0], SLUGS[0], None), "no-such-channel") is None
