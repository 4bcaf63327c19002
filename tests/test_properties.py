"""Invariants of the engine and the loaders, over generated cases and arbitrary input."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.decision.case import Case
from validator.decision.engine import evaluate
from validator.decision.model import Decision
from validator.errors import InputError, InputErrors
from validator.law.citation import parse_citation
from validator.law.standard import load_standard
from validator.report.render import render, text_lines
from validator.rules.compiler import CompiledRules
from validator.rules.yamlload import load_yaml_text
from validator.surfaces.jobs import RuleSet, case_from_text

from .strategies import cases

RULES = RuleSet.lazy()
SLUGS = sorted(RULES.files)


def _compiled(data: st.DataObject) -> CompiledRules:
    slug = data.draw(st.sampled_from(SLUGS))
    return RULES.get(slug, slug, None)


def _keys(report: Decision) -> set[tuple[str, str, str]]:
    """The problems of a report about the application itself (errors and warnings on documents,
    eligibility, grounds, fee). Terms are left out on purpose: several only start running once the
    file is complete (a centre forwards only an accepted file), so completing it can start one."""
    return {
        (f.code, f.subject.kind, f.subject.id)
        for f in report.findings
        if f.severity != "info" and f.subject.kind != "term"
    }


@given(st.data())
def test_adding_a_missing_document_never_adds_a_finding(data: st.DataObject) -> None:
    compiled = _compiled(data)
    raw = data.draw(cases(compiled))
    case = Case.model_validate(raw)
    before = evaluate(compiled, case)
    missing = [f.subject.id for f in before.findings if f.code == "document-missing"]
    if not missing:
        return
    doc_id = data.draw(st.sampled_from(missing))
    # The form the list asks for here: the entry of this channel and situation (the checklist line).
    forms = next(item.forms for item in before.checklist if item.id == doc_id)
    doc = compiled.documents[doc_id]
    form = forms[0] if forms else None
    entry = next(
        e
        for e in compiled.entries
        if e.id == doc_id and e.cite == next(i.cite for i in before.checklist if i.id == doc_id)
    )
    extra: dict[str, Any] = {"form": form} if form else {}
    if entry.count is not None:
        extra["count"] = entry.count
    if entry.valid_for is not None:
        extra["issued_on"] = raw["submitted_on"]
    raw2 = {**raw, "documents": [*raw["documents"], {"id": doc.id, **extra}]}
    if doc.id == compiled.rules.fee.proof_document and "payment" not in raw:
        # The receipt handed in full says what was paid: without it the amount is a question for the clerk.
        raw2["payment"] = {"amount": 1_000_000, "date": raw["submitted_on"]}
    after = evaluate(compiled, Case.model_validate(raw2))
    # A question folded into `also-not-stated` beside a decided verdict (it could not change it) is
    # asked again once the set is complete and the verdict is no longer decided: it was there before.
    folded = {fact for f in before.findings if f.code == "also-not-stated" for fact in f.facts_needed}
    reasked = {
        (f.code, f.subject.kind, f.subject.id)
        for f in after.findings
        if f.code == "needs-data" and f.facts_needed and set(f.facts_needed) <= folded
    }
    assert _keys(after) - reasked <= _keys(before), _keys(after) - reasked - _keys(before)
    assert ("document-missing", "document", doc.id) not in _keys(after)


@given(st.data(), st.randoms(use_true_random=False))
def test_order_of_documents_and_rules_never_changes_the_report(data: st.DataObject, rnd: random.Random) -> None:
    compiled = _compiled(data)
    mode = data.draw(st.sampled_from(["check", "review"]))
    raw = data.draw(cases(compiled, mode))
    case = Case.model_validate(raw)
    report = render(evaluate(compiled, case, mode), compiled, "en", "json")  # type: ignore[arg-type]
    shuffled_docs = list(raw["documents"])
    rnd.shuffle(shuffled_docs)
    case2 = Case.model_validate({**raw, "documents": shuffled_docs})
    rules = compiled.rules
    docs, grounds = list(rules.documents), list(rules.refusals.grounds)
    rnd.shuffle(docs)
    rnd.shuffle(grounds)
    reordered = rules.model_copy(
        update={"documents": docs, "refusals": rules.refusals.model_copy(update={"grounds": grounds})}
    )
    compiled2 = CompiledRules(**{**compiled.__dict__, "rules": reordered})
    report2 = evaluate(compiled2, case2, mode)  # type: ignore[arg-type]
    # The checklist follows the rule file's order by design; findings, terms, fee and verdict do not.
    a, b = json.loads(report), json.loads(render(report2, compiled2, "en", "json"))
    a.pop("checklist"), b.pop("checklist")
    assert a == b


@given(st.data())
def test_decision_survives_a_json_round_trip_and_cites_real_units(data: st.DataObject) -> None:
    compiled = _compiled(data)
    mode = data.draw(st.sampled_from(["check", "review"]))
    decision = evaluate(compiled, Case.model_validate(data.draw(cases(compiled, mode))), mode)  # type: ignore[arg-type]
    again = Decision.from_json(decision.to_json())
    assert again == decision
    lang = data.draw(st.sampled_from(["kk", "ru", "en"]))
    assert render(again, compiled, lang, "json") == render(decision, compiled, lang, "json")
    std = load_standard(decision.standard)
    report = json.loads(render(decision, compiled, lang, "json"))
    for f, rendered in zip(decision.findings, report["findings"], strict=True):
        for c, shown in zip(f.citations, rendered["citations"], strict=True):
            assert std.unit(c.unit) is not None
            assert shown["text"] == std.full_text(c.unit)
            assert parse_citation(c.unit).kazakh() == shown["label_kk"]


@given(st.data())
def test_generated_cases_render_without_english_words_in_kazakh_and_russian(data: st.DataObject) -> None:
    """Whatever the case, a kk or ru report has no Latin-letter word outside its verbatim spans."""
    import re

    compiled = _compiled(data)
    mode = data.draw(st.sampled_from(["check", "review"]))
    decision = evaluate(compiled, Case.model_validate(data.draw(cases(compiled, mode))), mode)  # type: ignore[arg-type]
    for lang in ("kk", "ru"):
        for line in text_lines(decision, compiled, lang):
            for text, verbatim in line:
                words = [] if verbatim else re.findall(r"[A-Za-z]{2,}", text)
                assert not [w for w in words if not re.fullmatch(r"[IVX]+", w)], (lang, line.text())


@given(st.text(max_size=300))
def test_yaml_loader_raises_only_its_own_errors(text: str) -> None:
    try:
        load_yaml_text(text, "fuzz.yaml")
    except InputError:
        pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.sampled_from(
            ["standard", "channel", "submitted_on", "facts", "documents", "events", "decision", "payment", "x"]
        ),
        json_values,
        max_size=8,
    )
)
def test_case_loader_raises_only_its_own_errors(data: dict[str, Any]) -> None:
    try:
        case_from_text(json.dumps(data), RULES)
    except (InputError, InputErrors):
        pass


@pytest.mark.parametrize("slug", SLUGS)
def test_every_compiled_citation_resolves(slug: str) -> None:
    compiled = RULES.get(slug, slug, None)
    from validator.rules.compiler import iter_cited

    for _, item in iter_cited(compiled.rules):
        unit = parse_citation(item.cite).unit
        assert compiled.standard.unit(unit) is not None
        assert compiled.standard.contains_quote(unit, item.quote)


# --- what a clerk cannot know, and unknown facts (issue "all that the law says", points 3 and 6) ------


def _bundled(mode: str) -> list[tuple[str, dict[str, Any]]]:
    """Every bundled case that has an expectation for `mode`, as (file, raw mapping)."""
    import yaml

    root = Path(__file__).resolve().parents[1] / "cases"
    out = []
    for path in sorted(root.glob("*/*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if mode in (raw.get("expect") or {}) and (mode == "check" or raw.get("decision")):
            raw.pop("expect", None)
            out.append((f"{path.parent.name}/{path.name}", raw))
    return out


CHECK_CASES = _bundled("check")
REVIEW_CASES = _bundled("review")


def _verdict(raw: dict[str, Any], mode: str) -> str:
    compiled = RULES.get(raw["standard"], raw["standard"], None)
    return evaluate(compiled, Case.model_validate(raw), mode).verdict  # type: ignore[arg-type]


def _authority_facts(slug: str) -> set[str]:
    compiled = RULES.get(slug, slug, None)
    return {fid for fid, f in compiled.facts.items() if f.established_by == "authority"}


@pytest.mark.parametrize(("name", "raw"), CHECK_CASES, ids=[n for n, _ in CHECK_CASES])
def test_an_unknown_authority_fact_never_unsettles_an_accept(name: str, raw: dict[str, Any]) -> None:
    """A clerk cannot know what the authority establishes: leaving any such fact out of an acceptable
    case (one at a time, and all at once) leaves it acceptable."""
    if _verdict(raw, "check") != "accept":
        return
    given = sorted(_authority_facts(raw["standard"]) & set(raw.get("facts") or {}))
    for drop in [[f] for f in given] + ([given] if len(given) > 1 else []):
        facts = {k: v for k, v in raw["facts"].items() if k not in drop}
        assert _verdict({**raw, "facts": facts}, "check") == "accept", f"{name} without {drop}"


def _flipping(cond: Any, authority: set[str]) -> tuple[str, Any] | None:
    """A single authority fact and a value that make `cond` true, where `cond` is one plain test."""
    from validator.rules.model import FactTest

    if isinstance(cond, FactTest) and cond.fact in authority:
        op, value = cond.operator()
        if op == "eq":
            return cond.fact, value
        if op == "in":
            return cond.fact, value[0]
    return None


@pytest.mark.parametrize(("name", "raw"), CHECK_CASES, ids=[n for n, _ in CHECK_CASES])
def test_a_known_authority_fact_still_counts(name: str, raw: dict[str, Any]) -> None:
    """A tax debt the case does state is a ground of refusal all the same: setting an authority fact so
    that a refusal ground holds turns an acceptable pre-check into `refuse`."""
    if _verdict(raw, "check") != "accept":
        return
    compiled = RULES.get(raw["standard"], raw["standard"], None)
    authority = _authority_facts(raw["standard"])
    for ground in compiled.rules.refusals.grounds:
        if ground.kind not in ("refusal", "suspension"):
            continue
        flip = _flipping(ground.when, authority)
        if flip is None:
            continue
        facts = {**(raw.get("facts") or {}), flip[0]: flip[1]}
        assert _verdict({**raw, "facts": facts}, "check") == "refuse", f"{name} with {flip}"


@pytest.mark.parametrize(("name", "raw"), REVIEW_CASES, ids=[n for n, _ in REVIEW_CASES])
def test_an_unknown_fact_never_settles_a_review_the_other_way(name: str, raw: dict[str, Any]) -> None:
    """Reviews are three-valued all the way: taking a fact out of a case can leave its verdict or make
    it needs-data (the answer hangs on that fact), never turn lawful into unlawful or back."""
    before = _verdict(raw, "review")
    for fact in sorted(raw.get("facts") or {}):
        facts = {k: v for k, v in raw["facts"].items() if k != fact}
        after = _verdict({**raw, "facts": facts}, "review")
        assert after in (before, "needs-data"), f"{name}: {before} became {after} without {fact}"


@given(st.data())
def test_unknown_facts_in_generated_reviews_are_needs_data_not_a_guess(data: st.DataObject) -> None:
    """The same over generated cases of every rule file, and: a needs-data review names what it needs."""
    compiled = _compiled(data)
    raw = data.draw(cases(compiled, "review"))
    decision = evaluate(compiled, Case.model_validate(raw), "review")
    if decision.verdict == "needs-data":
        open_questions = [f for f in decision.findings if f.severity == "warning"]
        assert any(f.facts_needed or "forms_of" in f.params or f.code != "needs-data" for f in open_questions)
    if raw["facts"]:
        fact = data.draw(st.sampled_from(sorted(raw["facts"])))
        facts = {k: v for k, v in raw["facts"].items() if k != fact}
        after = evaluate(compiled, Case.model_validate({**raw, "facts": facts}), "review").verdict
        assert after in (decision.verdict, "needs-data"), f"{decision.verdict} became {after} without {fact}"


_JUDGED = {
    "term-breached",
    "term-kept",
    "term-overdue",
    "term-due",
    "term-due-latest",
    "term-breached-latest",
    "term-overdue-latest",
    "term-end-other-event",
    "term-kept-by-later-event",
    "term-breached-by-earlier-event",
}


@given(st.data())
def test_a_date_is_a_date(data: st.DataObject) -> None:
    """An event given as a date has no clock time: over every rule file, a case whose events are all
    days never gets a reception-schedule warning nor a term in minutes or hours judged on a time (kept,
    running, due, breached at a due moment) — only a breach the days alone prove; the same case handed
    in at 03:00 is outside every schedule of its channel."""
    from datetime import date, timedelta

    compiled = _compiled(data)
    mode = data.draw(st.sampled_from(["check", "review"]))
    raw = data.draw(cases(compiled, mode))
    day = date.fromisoformat(raw["submitted_on"])
    later = (day + timedelta(days=data.draw(st.integers(0, 40)))).isoformat()
    events: dict[str, str] = {"submitted": day.isoformat()}
    for event in ("queue_joined", "service_started", "service_ended"):
        if data.draw(st.booleans()):
            events[event] = day.isoformat()
    for event in ("decided", "issued", "collection_queue_joined", "collection_service_started"):
        if data.draw(st.booleans()):
            events[event] = later
    raw = {**raw, "events": events}
    decision = evaluate(compiled, Case.model_validate(raw), mode)  # type: ignore[arg-type]
    clocked = {t.id for t in compiled.rules.terms if t.unit in ("hours", "minutes")}
    # Only a day with no reception at all (a holiday, a day off, a weekday without hours) is closed on a date.
    from validator.decision import workdays

    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[workdays.works_as(day).weekday()]
    closed_all_day = {
        s.channel
        for s in compiled.rules.schedules
        if not s.hours.get(weekday) or (s.closed_on_holidays and workdays.holiday_name(day) is not None)  # type: ignore[call-overload]
    }
    for f in decision.findings:
        if f.code.startswith("outside-schedule"):
            assert f.subject.id in closed_all_day and f.params["when"].type == "date", f
    judged = [f.code for f in decision.findings if f.subject.id in clocked and f.code in _JUDGED]
    assert not judged, judged
    for t in decision.terms:
        if t.id in clocked and t.status not in ("not-started", "not-judged"):
            # Only a breach the days alone prove: the end on a day after the last the term could end on.
            assert t.status == "breached" and t.due is None and t.ended is not None, t
            assert t.ended.date() > day, t
    if decision.verdict == "not-in-force":
        return
    at_night = {**raw, "events": {**events, "submitted": f"{day.isoformat()}T03:00"}}
    decision = evaluate(compiled, Case.model_validate(at_night), mode)  # type: ignore[arg-type]
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    for sched in compiled.rules.schedules:
        hours = sched.hours.get(weekday, [])  # type: ignore[call-overload]
        if sched.channel == raw["channel"] and not any(h.split("-")[0] <= "03:00" for h in hours):
            assert [f for f in decision.findings if f.code.startswith("outside-schedule")], sched.channel
