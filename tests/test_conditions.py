"""Three-valued conditions: unknown facts are named, never a silent pass."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from validator.rules.conditions import Env, check, evaluate
from validator.rules.model import Condition, Fact, Text

COND: TypeAdapter[Any] = TypeAdapter(Condition)
L = Text(kk="x", ru="x", en="x")
FACTS = {
    "age": Fact(id="age", type="integer", label=L),
    "married": Fact(id="married", type="boolean", label=L),
    "status": Fact(id="status", type="enum", values=["a", "b"], value_labels={"a": L, "b": L}, label=L),
}


def env(**facts: Any) -> Env:
    return Env(facts, "authority", frozenset({"passport"}), lambda: False)


def c(data: Any) -> Any:
    return COND.validate_python(data)


def test_unknown_fact_is_unknown_and_named() -> None:
    e = env()
    assert evaluate(c({"fact": "age", "ge": 18}), e) is None
    assert e.unknown == {"age"}


def test_all_and_any_decide_past_unknown() -> None:
    assert (
        evaluate(c({"all": [{"fact": "age", "ge": 18}, {"fact": "married", "eq": True}]}), env(married=False)) is False
    )
    assert evaluate(c({"any": [{"fact": "age", "ge": 18}, {"fact": "married", "eq": True}]}), env(married=True)) is True
    assert (
        evaluate(c({"any": [{"fact": "age", "ge": 18}, {"fact": "married", "eq": True}]}), env(married=False)) is None
    )
    assert evaluate(c({"not": {"fact": "age", "lt": 18}}), env(age=18)) is True


def test_channel_and_document_tests() -> None:
    assert evaluate(c({"channel": ["authority", "portal"]}), env()) is True
    assert evaluate(c({"document": "passport"}), env()) is True
    assert evaluate(c({"document": "visa"}), env()) is False


def test_check_reports_undeclared_facts_and_wrong_types() -> None:
    msgs = list(
        check(
            c(
                {
                    "all": [
                        {"fact": "aeg", "ge": 18},
                        {"fact": "married", "eq": "yes"},
                        {"fact": "status", "in": ["a", "c"]},
                        {"channel": ["centre"]},
                    ]
                }
            ),
            FACTS,
            {"authority"},
            {"passport"},
        )
    )
    text = "\n".join(msgs)
    assert "undeclared fact 'aeg'; did you mean 'age'?" in text
    assert "expected true or false" in text
    assert "expected one of ['a', 'b'], got 'c'" in text
    assert "unknown channel 'centre'" in text


def test_a_fact_test_takes_one_operator() -> None:
    with pytest.raises(ValueError, match="exactly one operator"):
        c({"fact": "age", "ge": 1, "lt": 3})


tri = st.sampled_from([True, False, None])


@given(st.lists(st.one_of(st.none(), st.booleans()), min_size=1, max_size=5))
def test_all_any_agree_with_kleene_logic(values: list[bool | None]) -> None:
    facts = {f"f{i}": v for i, v in enumerate(values)}
    parts = [{"fact": f"f{i}", "eq": True} for i in range(len(values))]
    e = Env(facts, "x", frozenset(), lambda: False)
    all_v = evaluate(c({"all": parts}), e)
    any_v = evaluate(c({"any": parts}), e)
    if False in values:
        assert all_v is False
    elif None in values:
        assert all_v is None
    else:
        assert all_v is True
    if True in values:
        assert any_v is True
    elif None in values:
        assert any_v is None
    else:
        assert any_v is False


@given(st.data())
def test_compiled_conditions_agree_with_the_interpreter(data: st.DataObject) -> None:
    """Differential test: every condition of every rule file, two evaluators, random facts."""
    from validator.rules.conditions import compile_condition, walk
    from validator.surfaces.jobs import RuleSet

    rules = _RULES or _load_rules()
    slug = data.draw(st.sampled_from(sorted(rules.files)))
    compiled = rules.get(slug, slug, None)
    conds = [d.when for d in compiled.rules.documents if d.when] + [
        g.when for g in compiled.rules.refusals.grounds if g.when
    ]
    conds += [r.require for r in compiled.rules.eligibility]
    if not conds:
        return
    cond = data.draw(st.sampled_from(conds))
    facts: dict[str, Any] = {}
    for c in walk(cond):
        if hasattr(c, "fact") and data.draw(st.booleans()):
            f = compiled.facts[c.fact]
            facts[c.fact] = data.draw(
                st.booleans()
                if f.type == "boolean"
                else st.integers(0, 90)
                if f.type in ("integer", "number")
                else st.sampled_from(f.values or ["x"])
            )
    missing = data.draw(st.booleans())
    e1 = Env(facts, compiled.rules.channels[0].id, frozenset(), lambda: missing)
    e2 = Env(facts, compiled.rules.channels[0].id, frozenset(), lambda: missing)
    assert evaluate(cond, e1) == compile_condition(cond)(e2)
    assert e1.unknown == e2.unknown
    assert isinstance(rules, RuleSet)


_RULES = None


def _load_rules():  # type: ignore[no-untyped-def]
    global _RULES
    from validator.surfaces.jobs import RuleSet

    _RULES = RuleSet.lazy()
    return _RULES
