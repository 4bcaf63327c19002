"""A decision's grounds and documents as the authority wrote them: by id, by a kk/ru/en name of the
rule file or by an alias, in any letter case, spacing or with invisible characters — each resolves to
its id and is judged as the id would be (validator.rules.compiler.NameIndex, validator.decision.review).
A wording a small edit away from a listed one is not matched: it is unclear (did you mean …?) and
leaves the verdict to the reviewer; anything else is an unlisted ground, as before. A requirement given
as the ground of a suspension, termination or refusal to accept is of the wrong kind."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from validator.decision.case import Case
from validator.decision.engine import evaluate
from validator.decision.model import Decision
from validator.errors import InputErrors
from validator.report.render import render
from validator.rules.compiler import CompiledRules, NameIndex, bounded_distance, load_rules, name_key, near_limit
from validator.surfaces.jobs import RuleSet

ROOT = Path(__file__).resolve().parent.parent
EXIT = "exit-permanent-residence-2011"
EXIT_RULES = ROOT / "rules" / f"{EXIT}.yaml"
TAX_DEBT_CASE = ROOT / "cases" / EXIT / "08-refuse-tax-debt.yaml"  # refused for tax debt: lawful
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202c"]
SPACES = [" ", "  ", "\t", "\u00a0", "\n", "\u2009", "\u3000"]


def _case(path: Path, **decision: Any) -> Case:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("expect", None)
    data["decision"] = {**data.get("decision", {}), **decision}
    return Case.model_validate(data)


def _review(compiled: CompiledRules, path: Path, **decision: Any) -> Decision:
    return evaluate(compiled, _case(path, **decision), "review")


def _judged(d: Decision) -> list[tuple[str, str, str, str]]:
    """What a review decides, without what the reviewer typed."""
    return [(f.code, f.severity, f.subject.kind, f.subject.id) for f in d.findings]


@pytest.fixture(scope="module")
def exit_rules(ruleset: RuleSet) -> CompiledRules:
    return ruleset.get(EXIT, "t", None)


# --- names resolve to ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Салықтық берешек (ол болған кезде)",  # the kk name
        "Налоговая задолженность (при её наличии)",  # ru
        "Tax debt (while it exists)",  # en
        "Tax-Debt",  # the id in another letter case
        "tax-debt ",  # a trailing space
        "tax\u200b-debt",  # a zero-width space inside
        "\ufeffСАЛЫҚТЫҚ  БЕРЕШЕК\u00a0(ол болған кезде)",  # BOM, capitals, double and no-break spaces
        "Салықтық берешек (ол бoлған кезде)",  # a Latin 'o' inside a Kazakh word
    ],
)
def test_a_ground_named_in_any_wording_is_judged_as_its_id(exit_rules: CompiledRules, typed: str) -> None:
    by_id = _review(exit_rules, TAX_DEBT_CASE, grounds=["tax-debt"])
    by_name = _review(exit_rules, TAX_DEBT_CASE, grounds=[typed])
    assert by_id.verdict == by_name.verdict == "lawful"
    assert _judged(by_name) == _judged(by_id)
    [ground] = [f for f in by_name.findings if f.code == "ground-supported"]
    assert ground.subject.id == "tax-debt"
    given_param = ground.params["given"]
    assert given_param.type == "text" and given_param.value == typed  # the decision keeps the wording
    assert Decision.from_json(by_name.to_json()).model_dump() == by_name.model_dump()  # a valid decision
    # ...and the id alone adds nothing: the findings of a decision naming ids are unchanged.
    assert "given" not in next(f for f in by_id.findings if f.code == "ground-supported").params


def test_a_document_named_by_its_name_is_on_the_list(exit_rules: CompiledRules) -> None:
    for typed in ["Азаматтың паспорты", "паспорт гражданина", "CITIZEN'S PASSPORT", "Citizen’s\u200b passport"]:
        d = _review(exit_rules, TAX_DEBT_CASE, grounds=["tax-debt"], demanded_documents=[typed])
        assert d.verdict == "lawful", (typed, _judged(d))
        assert not [f for f in d.findings if f.subject.kind == "document"]


def test_a_document_named_but_not_on_the_list_is_beyond_it_by_its_id(exit_rules: CompiledRules) -> None:
    # 11.3 applies only where persons entitled to alimony live in Kazakhstan; the case says they do not.
    typed = (
        "Нотариально удостоверенное заявление лиц, имеющих право на алименты, об отсутствии возражений против выезда"
    )
    d = _review(exit_rules, TAX_DEBT_CASE, grounds=["tax-debt"], demanded_documents=[typed.upper()])
    assert d.verdict == "unlawful"
    [f] = [f for f in d.findings if f.code == "document-demanded-beyond-list"]
    assert f.subject.id == "alimony-no-objection"
    assert f.params["document"].type == "ref" and f.params["given"].type == "text"


def test_one_document_on_two_channels_is_one_id(ruleset: RuleSet) -> None:
    """state-special-benefit-2012 lists the work record book for the branch and for the centre: one
    document, one id (`work-record-book`; the centre's former id `work-record-book-centre` still names
    it). Demanded at a centre by its id, its former id or its name, it is on the list."""
    compiled = ruleset.get("state-special-benefit-2012", "t", None)
    case = ROOT / "cases" / "state-special-benefit-2012" / "02-centre-liquidated-archive-certificate-accept.yaml"
    base = _review(compiled, case, outcome="issued")
    assert [i.cite for i in base.checklist if i.id == "work-record-book"] == ["11.5"]  # the centre's item
    for typed in [
        "work-record-book",
        "work-record-book-centre",
        "Копия трудовой книжки",
        "еңбек кітапшасының көшірмесі",
    ]:
        d = _review(compiled, case, outcome="issued", demanded_documents=[typed])
        assert _judged(d) == _judged(base), typed


# --- near misses: unclear, never judged on a guess ------------------------------------------------------


@pytest.mark.parametrize("typed", ["Tax dbt (while it exists)", "tax-dept", "Салықтық берешек (ол болған кезеде)"])
def test_a_near_miss_of_a_ground_is_unclear_and_needs_the_reviewer(exit_rules: CompiledRules, typed: str) -> None:
    d = _review(exit_rules, TAX_DEBT_CASE, grounds=[typed])
    assert d.verdict == "needs-data"
    [f] = [f for f in d.findings if f.subject.kind == "ground"]
    assert (f.code, f.severity, f.subject.id) == ("ground-unclear", "warning", typed)
    candidate = f.params["candidate"]
    assert candidate.type == "ref" and (candidate.kind, candidate.id) == ("ground", "tax-debt")
    texts = {lang: render(d, exit_rules, lang) for lang in ("kk", "ru", "en")}
    assert f"«{typed}»" in texts["en"] and "Tax debt (while it exists)" in texts["en"]
    assert "Салықтық берешек (ол болған кезде)" in texts["kk"]
    assert "Налоговая задолженность (при её наличии)" in texts["ru"]


def test_a_near_miss_of_a_document_is_unclear(exit_rules: CompiledRules) -> None:
    d = _review(exit_rules, TAX_DEBT_CASE, grounds=["tax-debt"], demanded_documents=["pasport"])
    assert d.verdict == "needs-data"
    [f] = [f for f in d.findings if f.subject.kind == "document"]
    assert (f.code, f.severity) == ("document-unclear", "warning")
    assert f.params["candidate"].type == "ref" and f.params["candidate"].id == "passport"
    assert "Citizen's passport" in render(d, exit_rules, "en")


def test_a_near_miss_does_not_hide_an_error(exit_rules: CompiledRules) -> None:
    d = _review(exit_rules, TAX_DEBT_CASE, grounds=["tax-dept", "unpaid parking fines"])
    assert d.verdict == "unlawful"
    assert sorted(f.code for f in d.findings if f.subject.kind == "ground") == ["ground-not-listed", "ground-unclear"]


def test_a_wording_far_from_every_name_is_an_unlisted_ground(exit_rules: CompiledRules) -> None:
    d = _review(exit_rules, TAX_DEBT_CASE, grounds=["has not paid the parking fines"])
    assert d.verdict == "unlawful"
    assert [f.code for f in d.findings if f.subject.kind == "ground"] == ["ground-not-listed"]


# --- a requirement is a ground for refusal only -------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["suspended", "terminated", "refused-acceptance"])
def test_a_requirement_cannot_support_another_outcome(ruleset: RuleSet, outcome: str) -> None:
    compiled = ruleset.get("mod-reserve-officers-registration-2012", "t", None)
    case = ROOT / "cases" / "mod-reserve-officers-registration-2012" / "11-review-refusal-on-eligibility.yaml"
    assert _review(compiled, case).verdict == "lawful"  # refused: the requirement (§6.2) is unmet
    d = _review(compiled, case, outcome=outcome)
    assert d.verdict == "unlawful"
    [f] = [f for f in d.findings if f.severity == "error"]
    assert (f.code, f.subject.kind, f.subject.id) == ("ground-kind-mismatch", "eligibility", "not-exempted")
    assert f.params["outcome"].type == "ref" and f.params["outcome"].id == outcome
    for lang in ("kk", "ru", "en"):
        render(d, compiled, lang)


# --- aliases --------------------------------------------------------------------------------------------


def _rules_with(tmp_path: Path, edit: Any) -> Path:
    data = yaml.safe_load(EXIT_RULES.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / EXIT_RULES.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _ground(data: dict[str, Any], gid: str) -> dict[str, Any]:
    return next(g for g in data["refusals"]["grounds"] if g["id"] == gid)


def _document(data: dict[str, Any], did: str) -> dict[str, Any]:
    return next(d for d in data["documents"] if d["id"] == did)


def test_an_alias_resolves_like_a_name(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        _ground(data, "tax-debt")["aliases"] = ["Салық берешегінің болуы"]
        _document(data, "passport")["aliases"] = ["Шетелге шығуға арналған паспорт"]

    compiled = load_rules(_rules_with(tmp_path, edit))
    assert compiled.lookup.resolve("grounds", "САЛЫҚ  берешегінің болуы") == (("ground", "tax-debt"),)
    assert compiled.lookup.resolve("documents", "шетелге шығуға арналған паспорт") == (("document", "passport"),)
    d = _review(compiled, TAX_DEBT_CASE, grounds=["Салық берешегінің болуы"])
    assert d.verdict == "lawful" and [f.subject.id for f in d.findings if f.code == "ground-supported"] == ["tax-debt"]


@pytest.mark.parametrize(
    ("where", "alias", "fragment"),
    [
        ("convicted", "Tax debt (while it exists)", "is the id or name of ground 'tax-debt'"),
        ("convicted", "TAX-DEBT", "is the id or name of ground 'tax-debt'"),
        ("convicted", "Citizen's passport", "is the id or name of document 'passport'"),
        ("convicted", "\u200b \u00ad", "is empty once normalised"),
        ("tax-debt", "салық   берешегі", "is given twice"),
    ],
)
def test_lint_refuses_an_alias_that_is_empty_repeated_or_another_items(
    tmp_path: Path, where: str, alias: str, fragment: str
) -> None:
    def edit(data: dict[str, Any]) -> None:
        _ground(data, "tax-debt")["aliases"] = ["Салық берешегі"]
        g = _ground(data, where)
        g["aliases"] = [*g.get("aliases", []), alias]

    with pytest.raises(InputErrors) as e:
        load_rules(_rules_with(tmp_path, edit))
    assert any(p.code == "alias" and fragment in p.message and p.line for p in e.value.problems), e.value.problems


def test_lint_refuses_two_grounds_of_one_name(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        _ground(data, "convicted")["name"]["en"] = "tax debt  (WHILE it exists)"

    with pytest.raises(InputErrors) as e:
        load_rules(_rules_with(tmp_path, edit))
    assert [p.code for p in e.value.problems] == ["ambiguous-name"], e.value.problems


# --- the property: every wording of every item of every rule file ----------------------------------------


def _items(compiled: CompiledRules) -> list[tuple[str, tuple[str, str], list[str]]]:
    """(space, (kind, id), the texts that name it) for every ground, requirement, document and alternative."""
    rules = compiled.rules
    out: list[tuple[str, tuple[str, str], list[str]]] = []
    for g in rules.refusals.grounds:
        out.append(("grounds", ("ground", g.id), [g.id, g.name.kk, g.name.ru, g.name.en, *g.aliases]))
    for r in rules.eligibility:
        out.append(("grounds", ("eligibility", r.id), [r.id, r.message.kk, r.message.ru, r.message.en, *r.aliases]))
    for d in compiled.documents.values():
        n = compiled.document_names[d.id]
        out.append(("documents", ("document", d.id), [d.id, n.kk, n.ru, n.en, *d.aliases]))
        for a in d.alternatives:
            out.append(("documents", ("document", a.id), [a.id, a.name.kk, a.name.ru, a.name.en]))
    return out


@pytest.fixture(scope="module")
def every_item() -> list[tuple[NameIndex, str, tuple[str, str], str]]:
    all_rules = RuleSet.load([ROOT / "rules"])
    return [
        (compiled.lookup, space, ref, text)
        for compiled in all_rules.by_slug.values()
        for space, ref, texts in _items(compiled)
        for text in texts
    ]


def test_every_id_and_name_of_every_rule_file_resolves_to_its_item(every_item: Any) -> None:
    assert len(every_item) > 1000
    for lookup, space, ref, text in every_item:
        assert ref in lookup.resolve(space, text), (ref, text)
        if space == "grounds":
            assert lookup.resolve(space, text) == (ref,)


@st.composite
def variants(draw: st.DrawFn, text: str) -> str:
    """The same wording as typed carelessly: letter case, extra or other spaces, invisible characters."""
    out = []
    for ch in text:
        if ch == " ":
            out.append(draw(st.sampled_from(SPACES)))
            continue
        out.append(draw(st.sampled_from([ch, ch.upper(), ch.lower()])))
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    lead = draw(st.lists(st.sampled_from(SPACES + INVISIBLE), max_size=3))
    trail = draw(st.lists(st.sampled_from(SPACES + INVISIBLE), max_size=3))
    return "".join(lead) + "".join(out) + "".join(trail)


@given(data=st.data())
def test_any_careless_variant_of_a_name_resolves_to_the_same_item(every_item: Any, data: st.DataObject) -> None:
    lookup, space, ref, text = data.draw(st.sampled_from(every_item))
    typed = data.draw(variants(text))
    assert ref in lookup.resolve(space, typed), (ref, text, typed)


@given(data=st.data())
def test_a_wording_far_from_every_name_never_resolves(every_item: Any, data: st.DataObject) -> None:
    lookup, space, _, _ = data.draw(st.sampled_from(every_item))
    typed = data.draw(st.text(alphabet=string.ascii_letters + "әіңғүұқөһ  -.,", max_size=60))
    key = name_key(typed)
    listed = lookup.table(space)
    far = all(bounded_distance(key, k, near_limit(min(len(key), len(k)))) is None for k in listed)
    if key not in listed:
        assert lookup.resolve(space, typed) == ()
    if far:
        assert lookup.resolve(space, typed) == () and lookup.near(space, typed) is None


@given(data=st.data())
def test_a_name_with_words_added_never_resolves(every_item: Any, data: st.DataObject) -> None:
    lookup, space, ref, text = data.draw(st.sampled_from(every_item))
    extra = data.draw(st.sampled_from([" немесе басқа да құжат", " и иные документы", " or any other paper"]))
    typed = text + extra
    if name_key(typed) not in lookup.table(space):
        assert ref not in lookup.resolve(space, typed)


@given(data=st.data())
def test_one_letter_changed_in_a_long_name_is_a_near_miss_not_a_match(every_item: Any, data: st.DataObject) -> None:
    lookup, space, ref, text = data.draw(st.sampled_from([i for i in every_item if len(i[3]) >= 12]))
    i = data.draw(st.integers(0, len(text) - 1))
    if not text[i].isalpha():
        return
    if text[i] in string.ascii_letters:
        other = "q" if text[i].casefold() != "q" else "z"  # a Latin letter for a Latin one
    else:
        other = "ж" if text[i].casefold() != "ж" else "ш"  # a Cyrillic one for a Cyrillic one
    typed = text[:i] + other + text[i + 1 :]
    if name_key(typed) in lookup.table(space):
        return  # another item's name (twins differ by a letter): an exact match of that one
    assert lookup.resolve(space, typed) == ()
    assert lookup.near(space, typed) is not None


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@given(st.text(alphabet="abcә ", max_size=12), st.text(alphabet="abcә ", max_size=12), st.integers(0, 6))
def test_the_edit_distance_is_exact_within_its_limit(a: str, b: str, limit: int) -> None:
    d = _levenshtein(a, b)
    assert bounded_distance(a, b, limit) == (d if d <= limit else None)
    assert bounded_distance("tax-debt", "tax-dept", 2) == 1
