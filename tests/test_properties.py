"""Invariants of the engine and the loaders, over generated cases and arbitrary input."""

from __future__ import annotations

import json
import random
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
    doc = compiled.documents[data.draw(st.sampled_from(missing))]
    form = doc.forms[0] if doc.forms else None
    raw2 = {**raw, "documents": [*raw["documents"], {"id": doc.id, **({"form": form} if form else {})}]}
    after = evaluate(compiled, Case.model_validate(raw2))
    assert _keys(after) <= _keys(before), _keys(after) - _keys(before)
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
