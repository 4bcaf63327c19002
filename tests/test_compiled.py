"""The compiled pre-check (`validator.decision.compiled`) decides exactly as the reference evaluator.

Differential: every bundled case, and generated cases for every rule file, are decided by both
(`engine.evaluate`, which uses the rule file's compiled plan, and `engine.evaluate_reference`, which reads
the rule model case by case); the decisions must be equal field by field, findings in the same order.
Plans share findings and checklist lines between cases: each decision is rendered in every language
and format before the next is compared, so a renderer that changed a shared value would show here.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import json
import math
import shutil
from datetime import date, timedelta
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
from validator.rules.conditions import facts_used
from validator.surfaces.jobs import RuleSet, load_case

from .strategies import cases

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").rglob("*.yaml"))
RULES = RuleSet.lazy()
SLUGS = sorted(RULES.files)


@pytest.fixture(autouse=True)
def _room_in_the_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Room in the process's budgets whatever ran before in this process: the memos and kept pieces must be
    filled and found here, not skipped because other tests spent the budget."""
    from validator.decision.compiled import MEMOS
    from validator.report.render import CONTENT_PIECES, SHARED_PIECES

    for budget in (MEMOS, CONTENT_PIECES, SHARED_PIECES):
        monkeypatch.setattr(budget, "limit", budget.used() + 8192)


def _both(compiled: CompiledRules, case: Case) -> tuple[Decision | InputErrors, Decision | InputErrors]:
    out: list[Decision | InputErrors] = []
    for fn in (evaluate, evaluate_reference):
        try:
            out.append(fn(compiled, case, "check"))
        except InputErrors as e:
            out.append(e)
    return out[0], out[1]


def _same(compiled: CompiledRules, case: Case, where: str, render_too: bool = True) -> Decision | None:
    fast, reference = _both(compiled, case)
    if isinstance(reference, InputErrors) or isinstance(fast, InputErrors):
        assert isinstance(fast, InputErrors) and isinstance(reference, InputErrors), where
        assert [p.message for p in fast.problems] == [p.message for p in reference.problems], where
        return None
    assert isinstance(fast, Decision)
    # As JSON text, not as Python values: -0.0 and 0.0, 1 and 1.0 and true are equal values and
    # different answers (an outside fuzzer's finding).
    assert fast.model_dump_json() == reference.model_dump_json(), where
    # The compiled plan's decision renders as the reference's, byte for byte, in every language.
    for lang in ("kk", "ru", "en") if render_too else ():
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


def _neighbours(raw: dict[str, Any], compiled: CompiledRules) -> list[dict[str, Any]]:
    """Cases one step from `raw`: each fact left out or changed, each document left out, other evaluation
    days, a decision and an issue on other days, the duty paid later or not at all. Decided one after
    another by the same plan, they probe every memo's key: a key that missed something the step reads
    would hand one case its neighbour's terms, fee or consequences."""
    out: list[dict[str, Any]] = []
    day = date.fromisoformat(raw["submitted_on"])

    def variant(**changes: Any) -> None:
        out.append({**copy.deepcopy(raw), **changes})

    # A complete set too (every document of the channel, in its first form), whose neighbours leave the
    # answer to "documents missing" unknown on different facts.
    complete = [
        {"id": d.id, **({"form": d.forms[0]} if d.forms else {})}
        for d in compiled.entries
        if d.channels is None or raw["channel"] in d.channels
    ]
    complete = list({d["id"]: d for d in complete}.values())
    variant(documents=complete)
    for fid in sorted(raw["facts"]):
        variant(documents=complete, facts={k: v for k, v in raw["facts"].items() if k != fid})
    # A document left out whose condition is unknown: "documents missing" is unknown on its facts.
    for entry in compiled.entries:
        if entry.when is not None and (entry.channels is None or raw["channel"] in entry.channels):
            read = facts_used(entry.when)
            facts = {k: v for k, v in raw["facts"].items() if k not in read}
            variant(documents=[d for d in complete if d["id"] != entry.id], facts=facts)
    for fid in sorted(raw["facts"]):
        variant(facts={k: v for k, v in raw["facts"].items() if k != fid})
        value = raw["facts"][fid]
        fact = compiled.facts[fid]
        other = (
            (not value)
            if isinstance(value, bool)
            else (fact.values or [None, value])[-1 if fact.values and fact.values[0] == value else 0]
        )
        if other is not None and other != value:
            variant(facts={**raw["facts"], fid: other})
    for i in range(len(raw["documents"])):
        variant(documents=[d for j, d in enumerate(raw["documents"]) if j != i])
    events = {k: v for k, v in raw["events"].items() if k != "decided"}
    for later in (0, 3, 12, 31, 45, 400):
        variant(evaluated_on=(day + timedelta(days=later)).isoformat(), events=events)
        variant(events={**events, "decided": (day + timedelta(days=later)).isoformat()})
        variant(events={**events, "issued": (day + timedelta(days=later)).isoformat()})
    if "payment" in raw:
        variant(payment={**raw["payment"], "date": (day + timedelta(days=20)).isoformat()}, events=events)
        variant(payment={**raw["payment"], "date": (day + timedelta(days=20)).isoformat()},
                events={**events, "decided": (day + timedelta(days=10)).isoformat()})  # fmt: skip
        variant(payment={**raw["payment"], "amount": raw["payment"]["amount"] + 1})
        out.append({k: v for k, v in copy.deepcopy(raw).items() if k != "payment"})
    return out


@pytest.mark.parametrize("slug", SLUGS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_neighbouring_cases_decided_as_the_reference_decides(slug: str, data: st.DataObject) -> None:
    compiled = RULES.get(slug, slug, None)
    raw = data.draw(cases(compiled))
    for neighbour in [raw, *_neighbours(raw, compiled)]:
        try:
            case = Case.model_validate(neighbour)
        except ValueError:
            continue
        _same(compiled, case, f"{slug}: {neighbour}", render_too=False)


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


def _rules_variant(tmp_path: Path, slug: str, change: Any) -> CompiledRules:
    """The bundled rule file of `slug`, changed by `change(data)`, loaded and checked as any rule file is."""
    import yaml

    from validator.rules.compiler import load_rules

    data = yaml.safe_load((ROOT / "rules" / f"{slug}.yaml").read_text(encoding="utf-8"))
    change(data)
    shutil.copytree(ROOT / "rules" / "_shared", tmp_path / "_shared")  # the shared vocabularies it uses
    path = tmp_path / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_rules(path)


def test_a_consequence_that_reads_a_fact_is_not_handed_to_a_case_with_the_other_value(tmp_path: Path) -> None:
    """The memo of an incomplete set's consequences keys on what the grounds read: with a fact added to the
    centre's refusal to accept, two incomplete sets alike but for that fact get different consequences."""
    slug = "mod-conscripts-registration-2012"
    label = {"kk": "Сынақ белгісі", "ru": "Признак для проверки", "en": "A flag for the test"}

    def change(data: dict[str, Any]) -> None:
        data["facts"].append({"id": "test_flag", "type": "boolean", "label": label})
        ground = next(g for g in data["refusals"]["grounds"] if g["id"] == "acceptance-refused-incomplete")
        ground["when"] = {"all": [ground["when"], {"fact": "test_flag", "eq": True}]}

    compiled = _rules_variant(tmp_path, slug, change)
    bundled, _ = load_case(ROOT / "cases" / slug / "04-missing-instruction-and-military-id.yaml", RULES)
    refused = []
    for flag in (True, False, True):
        case = bundled.model_copy(update={"facts": {**bundled.facts, "test_flag": flag}})
        decision = _same(compiled, case, f"test_flag={flag}", render_too=False)
        assert decision is not None
        refused.append(any(f.code == "acceptance-refused" for f in decision.findings))
    assert refused == [True, False, True]


def test_the_proof_of_payment_is_cited_as_the_entry_that_applies(tmp_path: Path) -> None:
    """The memo of the fee keys on the entry of the proof of payment that applies: with two entries chosen
    by a fact (each citing its own sentence), the fee's findings cite the one of each case."""
    slug = "exit-permanent-residence-2011"

    def change(data: dict[str, Any]) -> None:
        docs = data["documents"]
        proof = next(d for d in docs if d["id"] == "state-duty-receipt-copy")
        passport = next(d for d in docs if d["id"] == "passport")
        other = {**copy.deepcopy(proof), "cite": passport["cite"], "quote": passport["quote"]}
        proof["when"] = {"fact": "married", "eq": True}
        other["when"] = {"fact": "married", "eq": False}
        docs.append(other)

    compiled = _rules_variant(tmp_path, slug, change)
    cited = []
    for married in (True, False, True):
        base = {"standard": slug, "channel": "migration-police", "submitted_on": "2013-03-04", "documents": []}
        case = Case.model_validate({**base, "facts": {"married": married}})
        decision = _same(compiled, case, f"married={married}", render_too=False)
        assert decision is not None
        unpaid = next(f for f in decision.findings if f.code == "fee-unpaid")
        cited.append([c.unit for c in unpaid.citations])
    assert cited[0] == cited[2] != cited[1]


HOSTILE = "\"\"\"'); __import__('os').system('touch {sentinel}') #{{0.__class__}}\\n${{x}}"


def test_a_rule_file_with_hostile_text_is_compiled_as_data(tmp_path: Path) -> None:
    """A plan is built from the rule model's values, never from source text: names, labels and notes that
    look like code are carried as text into the decision's report and nothing in them runs."""
    sentinel = tmp_path / "ran"
    text = HOSTILE.format(sentinel=sentinel)
    slug = "exit-permanent-residence-2011"

    def change(data: dict[str, Any]) -> None:
        for doc in data["documents"]:
            if "name" in doc:
                doc["name"] = {"kk": text, "ru": text, "en": text}
        for ground in data["refusals"]["grounds"]:
            ground["note"] = text

    compiled = _rules_variant(tmp_path, slug, change)
    base = {"standard": slug, "channel": "migration-police", "submitted_on": "2013-03-04", "documents": []}
    decision = _same(compiled, Case.model_validate({**base, "facts": {"citizen": True}}), "hostile")
    assert decision is not None and any(f.code == "document-missing" for f in decision.findings)
    report = json.loads(render(decision, compiled, "en", "json"))
    assert text in _strings(report), "the hostile name is not in the report as it was written"
    assert not sentinel.exists()


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def test_the_memos_stop_growing_at_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """What cases can put in the plans' memos is bounded: past the `MEMOS` budget (all plans of the
    process together) a step is computed as the reference computes it, nothing more is kept, and the
    decisions stay the reference's."""
    from validator.decision import compiled as plans

    gc.collect()  # rules other tests left behind are gone now, not while this one counts
    monkeypatch.setattr(plans.MEMOS, "limit", plans.MEMOS.used() + 10)
    slug = "exit-permanent-residence-2011"
    from validator.rules.compiler import load_rules

    compiled = load_rules(ROOT / "rules" / f"{slug}.yaml")  # its own compiled rules: no plan yet
    for i in range(60):
        day = date(2012, 1, 1) + timedelta(days=i)
        payment = {"amount": 1618 - i, "date": day.isoformat()}
        raw = {"standard": slug, "channel": "migration-police", "submitted_on": day.isoformat(), "payment": payment}
        _same(compiled, Case.model_validate({**raw, "facts": {"citizen": True, "age": 30}}), str(i), render_too=False)
    plan = plan_for(compiled, "migration-police")
    assert plan is not None
    assert len(plan._terms) + len(plan._fee) + len(plan._consequences) + len(plan._amended) == 10
    assert len(plans.shared_values(compiled)) < 200


def test_a_payment_of_minus_zero_is_not_taken_for_zero() -> None:
    """The fee memo keys on the amount as given: -0.0 equals 0.0 in Python, but the fee shows the amount
    paid, so a case paying -0.0 must not be handed the fee of one paying 0 (found by an outside fuzzer)."""
    from validator.rules.compiler import load_rules

    slug = "active-employment-referral-2012"
    compiled = load_rules(ROOT / "rules" / f"{slug}.yaml")
    base = {"standard": slug, "channel": "authority", "submitted_on": "2013-07-04", "facts": {}}
    for amount in (0.0, -0.0, 0.0):
        case = Case.model_validate({**base, "payment": {"amount": amount, "date": "2013-07-04"}})
        _same(compiled, case, repr(amount))
        # The loader reads -0 as the amount 0 it is (a report never says "-0" tenge paid).
        assert case.payment is not None and math.copysign(1.0, case.payment.amount) == 1.0
        # A case built in code with -0.0 still is not handed another case's fee.
        built = case.model_copy(update={"payment": case.payment.model_copy(update={"amount": amount})})
        _same(compiled, built, f"built {amount!r}")


def test_a_finding_with_minus_zero_is_not_rendered_as_one_with_zero() -> None:
    """The kept report pieces key on a parameter's value as written: a decision read back from JSON with
    -0.0 (as an older Ereje wrote it) is not rendered with the piece of one with 0.0 (found by the fuzzer)."""
    slug = "exit-permanent-residence-2011"
    compiled = RULES.get(slug, slug, None)
    case = Case.model_validate(
        {
            "standard": slug,
            "channel": "migration-police",
            "submitted_on": "2013-07-04",
            "facts": {"citizen": True},
            "payment": {"amount": 0, "date": "2013-07-04"},
        }
    )
    decision = evaluate_reference(compiled, case, "check")
    underpaid = next(f for f in decision.findings if f.code == "fee-underpaid")
    assert underpaid.params["paid"].value == 0.0  # type: ignore[union-attr]
    text = decision.to_json()
    minus = Decision.from_json(text.replace('"value": 0.0', '"value": -0.0'))
    for d, shown in ((decision, "0.0"), (minus, "-0.0"), (decision, "0.0")):
        report = json.loads(render(d, compiled, "en", "json"))
        paid = next(f for f in report["findings"] if f["code"] == "fee-underpaid")["params"]["paid"]["value"]
        assert repr(paid) == shown


def test_a_budget_counts_what_its_owners_hold_and_forgets_the_gone() -> None:
    """The process's budget: taken up to its limit, an owner's entries released (a plan forgotten, a store
    started again) or gone with the owner; the total is what the live owners hold."""
    from validator.decision.compiled import Budget
    from validator.rules.compiler import load_rules

    budget = Budget("test-entries", 5)
    a = load_rules(ROOT / "rules" / "exit-permanent-residence-2011.yaml")
    b = load_rules(ROOT / "rules" / "exit-permanent-residence-2011.yaml")
    assert all(budget.take(a) for _ in range(3)) and budget.take(b) and budget.take(b)
    assert not budget.take(a) and budget.used() == 5
    assert (budget.count(a), budget.count(b)) == (3, 2) and len(budget.owners()) == 2
    budget.release(a)
    assert budget.used() == 2 and budget.count(a) == 0 and budget.take(a)
    del b
    gc.collect()
    assert budget.used() == 1 and budget.owners() == [a]


def test_pieces_rendered_by_id_go_with_the_registry_that_names_them() -> None:
    """A piece kept by a shared value's id must not outlive the value: once the plans are forgotten, a new
    value may get the old one's id. The pieces live in the registry and go with it; their count too."""
    from validator.decision.compiled import forget, shared_values
    from validator.report.render import SHARED_PIECES, report_bytes
    from validator.rules.compiler import load_rules

    slug = "exit-permanent-residence-2011"
    compiled = load_rules(ROOT / "rules" / f"{slug}.yaml")
    cases = [load_case(p, RULES)[0] for p in sorted((ROOT / "cases" / slug).glob("*.yaml"))[:6]]
    first = [report_bytes(evaluate(compiled, c), compiled, "kk") for c in cases]
    registry = shared_values(compiled)
    assert registry.derived and SHARED_PIECES.count(registry) == len(registry.derived)
    forget(compiled)
    del registry
    gc.collect()
    assert not shared_values(compiled).derived
    again = [report_bytes(evaluate(compiled, c), compiled, "kk") for c in cases]
    assert again == first


def test_threads_deciding_and_rendering_keep_the_budgets_true(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service decides large bodies in threads: plans forgotten and memos, pieces and counts changed
    from four threads at once (switching as often as the interpreter can) give the reference's decisions
    and reports, no error, and budgets whose totals are what their owners hold (an outside tester found
    the total drifting, and a forget racing a new plan)."""
    import random
    import sys
    import threading

    from validator.decision import compiled as plans
    from validator.report import render as rendering

    interval = sys.getswitchinterval()
    monkeypatch.setattr(plans.MEMOS, "limit", plans.MEMOS.used() + 20)
    monkeypatch.setattr(rendering.CONTENT_PIECES, "limit", rendering.CONTENT_PIECES.used() + 50)
    items, expected = [], {}
    for path in CASES[::7]:
        case, compiled = load_case(path, RULES)
        with contextlib.suppress(InputErrors):
            expected[id(case)] = evaluate_reference(compiled, case, "check").model_dump_json()
            items.append((case, compiled))
    errors: list[BaseException] = []
    mismatches: list[str] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(300):
            case, compiled = rng.choice(items)
            try:
                decision = evaluate(compiled, case, "check")
            except BaseException as e:  # every error is the finding
                errors.append(e)
                return
            if decision.model_dump_json() != expected[id(case)]:
                mismatches.append(case.id or "")
            lang = rng.choice(["kk", "en"])
            if rendering.report_bytes(decision, compiled, lang, True) != rendering.report_bytes(
                evaluate_reference(compiled, case, "check"), compiled, lang, True
            ):
                mismatches.append(f"{case.id} report {lang}")

    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors and not mismatches, (errors[:1], mismatches[:5])
    for budget in (plans.MEMOS, rendering.CONTENT_PIECES, rendering.SHARED_PIECES):
        assert budget.used() == sum(budget._counts.values()), budget.name
