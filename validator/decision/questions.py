"""Which facts (мән-жайлар) a case's form asks now: only those the decision waits for or rests on.

A clerk's form that lists every fact of a standard asks a 35-year-old whether his other parent consents
to his leaving. Here a question is shown only while the current decision needs it, as Docassemble's
interviews ask only what their goal needs:

- an **unanswered** fact is asked where the decision waits for it — a `needs-data` finding, the folded
  `also-not-stated` line or what the authority will verify names it (`facts_needed`), or a document is
  listed "if the authority finds" it (`facts`) — and where its answer can change the decision: some value
  of it gives another decision than another value. The engine names every fact a condition met unanswered
  on its way, also in a part already settled (`all` of «married» and «age ≥ 16» for a 15-year-old is false
  whatever «married» is); trying the fact's values leaves such a fact unasked until it can matter;
- an **answered** fact stays shown where the evaluation read its answer on the way to the decision: a
  condition reached it before its outcome was settled (`all` stops at its first false part, `any` at its
  first true one, in the rule file's order). So an answer that decides something stays in view to be
  corrected, and an answer never hides its own question: a question reached while unanswered is reached
  again once answered. Removing an answer instead and asking whether the fact becomes needed would hide
  both of two answers that each settle a condition (a minor not leaving with one parent, and the other
  parent abroad): neither alone changes the decision, and neither could be corrected.

Answers of hidden questions stay in the case: hiding is the form's business, never the case's.
The questions come in the form's order (the compiled facts': shared vocabularies first, then the rule
file's), each with who establishes it (`Fact.established_by`): the applicant's to state, or the
authority's to establish from its registries (a reviewer's question more than a clerk's).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from validator.decision.case import Case
from validator.decision.context import Mode
from validator.decision.engine import evaluate
from validator.decision.model import Decision
from validator.rules import conditions
from validator.rules.compiler import CompiledRules
from validator.rules.model import Fact, FactTest


@dataclass(frozen=True)
class Question:
    """One fact the form asks now: its id, who establishes it, and whether the case answers it already."""

    fact: str
    established_by: Literal["applicant", "authority"]
    answered: bool


class _ReadFacts(dict[str, Any]):
    """The case's facts, noting every fact whose value a condition looks up (conditions read facts only
    through `get`; the other lookups are noted too, so a change there cannot silently hide a question)."""

    def __init__(self, facts: Mapping[str, Any]) -> None:
        super().__init__(facts)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)


def waited_for(decision: Decision) -> set[str]:
    """The facts the decision waits for: named by its findings and by its checklist's conditional lines."""
    needed = {fact for f in decision.findings for fact in f.facts_needed}
    return needed | {fact for item in decision.checklist for fact in item.facts}


def questions(compiled: CompiledRules, case: Case, mode: Mode = "check") -> list[Question]:
    """The questions the form shows for `case` as it stands (its answers, documents and events), in the
    form's order. Raises `InputErrors` where `evaluate` would (a review without its decision)."""
    facts = _ReadFacts({k: v for k, v in case.facts.items() if v is not None})
    answered = set(dict.keys(facts))
    decision = evaluate(compiled, case.model_copy(update={"facts": facts}), mode)
    read, needed = set(facts.read), waited_for(decision)
    plain = case.model_copy(update={"facts": dict(facts)})
    shown = []
    for fact in compiled.facts.values():
        if fact.id in answered:
            asked = fact.id in read
        else:
            asked = fact.id in needed and could_change(compiled, plain, mode, fact)
        if asked:
            shown.append(Question(fact.id, fact.established_by, fact.id in answered))
    return shown


def could_change(compiled: CompiledRules, case: Case, mode: Mode, fact: Fact) -> bool:
    """Whether some answer to the unanswered `fact` gives another decision than another answer: the values
    an enum or a boolean can take, and for a number or a date each value a condition compares it with and
    its neighbours. A fact no condition compares with a value it could take is taken to matter."""
    trials = trial_values(compiled, fact)
    if len(trials) < 2:
        return True
    seen: Decision | None = None
    for value in trials:
        decided = evaluate(compiled, case.model_copy(update={"facts": {**case.facts, fact.id: value}}), mode)
        if seen is not None and decided != seen:
            return True
        seen = decided
    return False


def trial_values(compiled: CompiledRules, fact: Fact) -> list[Any]:
    """The answers worth trying for `fact`: every value of a boolean or an enum; around every constant the
    rules compare a number, a date or a text with (one below, itself, one above). Cached per rule file."""
    key = ("question-trials", fact.id)
    found = compiled.cache.get(key)
    if found is None:
        found = compiled.cache[key] = _trials(compiled, fact)
    return list(found)


def _trials(compiled: CompiledRules, fact: Fact) -> tuple[Any, ...]:
    if fact.type == "boolean":
        return (True, False)
    if fact.type == "enum":
        return tuple(fact.values or ())
    values: list[Any] = []
    for test in _fact_tests(compiled):
        if test.fact != fact.id:
            continue
        op, expected = test.operator()
        for constant in expected if op in ("in", "not_in") else [expected]:
            values += _around(fact, constant)
    values.append("-" if fact.type == "string" else None)  # a text no condition names
    unique = list(dict.fromkeys(v for v in values if v is not None and conditions.type_problem(fact, v) is None))
    return tuple(unique)


def _around(fact: Fact, constant: Any) -> list[Any]:
    """`constant` and its neighbours in the fact's type (a whole number, a number, an ISO date, a text)."""
    if fact.type in ("integer", "number") and isinstance(constant, int | float) and not isinstance(constant, bool):
        return [constant - 1, constant, constant + 1]
    if fact.type == "date" and isinstance(constant, str):
        try:
            day = date.fromisoformat(constant)
        except ValueError:
            return []
        return [(day + timedelta(days=d)).isoformat() for d in (-1, 0, 1)]
    return [constant]


def _fact_tests(compiled: CompiledRules) -> Iterator[FactTest]:
    """Every comparison of a fact in the rule file and its shared vocabularies' documents."""
    stack: list[Any] = [compiled.rules, *compiled.entries]
    while stack:
        node = stack.pop()
        if isinstance(node, FactTest):
            yield node
        elif isinstance(node, BaseModel):
            stack += [getattr(node, name) for name in type(node).model_fields]
        elif isinstance(node, list | tuple):
            stack += node
        elif isinstance(node, dict):
            stack += node.values()


__all__ = ["Question", "could_change", "questions", "trial_values", "waited_for"]
