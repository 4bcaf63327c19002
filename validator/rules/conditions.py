"""Conditions: checked against the declared facts when rules load, evaluated with three values.

`evaluate` returns True, False or None (unknown). Unknown means a fact the condition needs is not
in the case; the facts that were needed are collected so a finding can name them. `all` is false
as soon as one part is false, `any` true as soon as one part is true, whatever else is unknown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from validator.rules.model import (
    AllOf,
    AnyOf,
    ChannelTest,
    Condition,
    DocumentTest,
    Fact,
    FactTest,
    MissingTest,
    NotOf,
)

Tri = bool | None


@dataclass
class Env:
    """What a condition may read: the case's facts, channel, documents, and the missing-documents test."""

    facts: Mapping[str, Any]
    channel: str
    documents: frozenset[str]
    documents_missing: Callable[[], bool | None]  # None: unknown (a document's condition is)
    unknown: set[str] = field(default_factory=set)


def evaluate(cond: Condition, env: Env) -> Tri:
    if isinstance(cond, AllOf):
        result: Tri = True
        for c in cond.all:
            v = evaluate(c, env)
            if v is False:
                return False
            if v is None:
                result = None
        return result
    if isinstance(cond, AnyOf):
        result = False
        for c in cond.any:
            v = evaluate(c, env)
            if v is True:
                return True
            if v is None:
                result = None
        return result
    if isinstance(cond, NotOf):
        v = evaluate(cond.not_, env)
        return None if v is None else not v
    if isinstance(cond, ChannelTest):
        return env.channel in cond.channel
    if isinstance(cond, DocumentTest):
        return cond.document in env.documents
    if isinstance(cond, MissingTest):
        missing = env.documents_missing()
        return None if missing is None else missing == cond.documents_missing
    if isinstance(cond, FactTest):
        value = env.facts.get(cond.fact)
        if value is None:
            env.unknown.add(cond.fact)
            return None
        return _compare(value, *cond.operator())
    raise TypeError(f"not a condition: {cond!r}")


Compiled = Callable[[Env], Tri]


def compile_condition(cond: Condition) -> Compiled:
    """Turn a checked condition into a closure (built from data, never from source text): the same
    three-valued semantics as `evaluate`, without re-dispatching on the condition's type per case."""
    if isinstance(cond, AllOf):
        parts = [compile_condition(c) for c in cond.all]

        def all_of(env: Env) -> Tri:
            result: Tri = True
            for part in parts:
                v = part(env)
                if v is False:
                    return False
                if v is None:
                    result = None
            return result

        return all_of
    if isinstance(cond, AnyOf):
        parts = [compile_condition(c) for c in cond.any]

        def any_of(env: Env) -> Tri:
            result: Tri = False
            for part in parts:
                v = part(env)
                if v is True:
                    return True
                if v is None:
                    result = None
            return result

        return any_of
    if isinstance(cond, NotOf):
        inner = compile_condition(cond.not_)

        def not_of(env: Env) -> Tri:
            v = inner(env)
            return None if v is None else not v

        return not_of
    if isinstance(cond, ChannelTest):
        channels = frozenset(cond.channel)
        return lambda env: env.channel in channels
    if isinstance(cond, DocumentTest):
        document = cond.document
        return lambda env: document in env.documents
    if isinstance(cond, MissingTest):
        wanted = cond.documents_missing

        def missing_test(env: Env) -> Tri:
            missing = env.documents_missing()
            return None if missing is None else missing == wanted

        return missing_test
    if isinstance(cond, FactTest):
        fact = cond.fact
        op, expected = cond.operator()
        compare = _OPERATORS[op]
        if op in ("in", "not_in"):
            expected = list(expected)

        def fact_test(env: Env) -> Tri:
            value = env.facts.get(fact)
            if value is None:
                env.unknown.add(fact)
                return None
            return compare(value, expected)

        return fact_test
    raise TypeError(f"not a condition: {cond!r}")


def run(fn: Compiled | None, env: Env) -> tuple[Tri, list[str]]:
    """A compiled condition's value for `env` (no condition: true), and the facts it lacked, sorted."""
    if fn is None:
        return True, []
    env.unknown = set()
    value = fn(env)
    return value, sorted(env.unknown) if env.unknown else []


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda v, e: bool(v == e),
    "ne": lambda v, e: bool(v != e),
    "in": lambda v, e: v in e,
    "not_in": lambda v, e: v not in e,
    "lt": lambda v, e: bool(v < e),
    "le": lambda v, e: bool(v <= e),
    "gt": lambda v, e: bool(v > e),
    "ge": lambda v, e: bool(v >= e),
}


def _compare(value: Any, op: str, expected: Any) -> bool:
    if op == "eq":
        return bool(value == expected)
    if op == "ne":
        return bool(value != expected)
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    if op == "lt":
        return bool(value < expected)
    if op == "le":
        return bool(value <= expected)
    if op == "gt":
        return bool(value > expected)
    if op == "ge":
        return bool(value >= expected)
    raise ValueError(op)


def walk(cond: Condition) -> Iterator[Condition]:
    yield cond
    if isinstance(cond, AllOf):
        for c in cond.all:
            yield from walk(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            yield from walk(c)
    elif isinstance(cond, NotOf):
        yield from walk(cond.not_)


_NUMERIC = {"integer", "number"}


def check(cond: Condition, facts: Mapping[str, Fact], channels: set[str], documents: set[str]) -> Iterator[str]:
    """Yield a message for every reference or type error in the condition (checked at load time)."""
    from validator.errors import did_you_mean

    for c in walk(cond):
        if isinstance(c, ChannelTest):
            for ch in c.channel:
                if ch not in channels:
                    yield f"unknown channel {ch!r}{did_you_mean(ch, channels)}"
        elif isinstance(c, DocumentTest):
            if c.document not in documents:
                yield f"unknown document {c.document!r}{did_you_mean(c.document, documents)}"
        elif isinstance(c, FactTest):
            fact = facts.get(c.fact)
            if fact is None:
                yield f"undeclared fact {c.fact!r}{did_you_mean(c.fact, facts)}"
                continue
            op, value = c.operator()
            values = value if op in ("in", "not_in") else [value]
            for v in values:
                problem = type_problem(fact, v)
                if problem:
                    yield f"fact {c.fact!r}: {problem}"
            if op in ("lt", "le", "gt", "ge") and fact.type not in _NUMERIC | {"date"}:
                yield f"fact {c.fact!r} is {fact.type}; '{op}' needs a number"


# Numbers a case or a rule may state: finite, and at most 10^12 in size (a count or an amount beyond it
# is a typo); an age — an integer fact in years, or one named `age` / `*_age` — lies in 0–150.
MAX_NUMBER = 10**12
AGE_RANGE = (0, 150)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def is_age(fact: Fact) -> bool:
    """An integer fact that is an age: its unit is years, or its id is `age` or ends in `_age`."""
    unit = (fact.unit or "").strip().lower()
    return fact.type == "integer" and (unit in ("year", "years", "жыл") or re.search(r"(^|_)age$", fact.id) is not None)


def type_problem(fact: Fact, value: Any) -> str | None:
    """Why `value` cannot be a value of `fact`, or None."""
    t = fact.type
    if t == "boolean" and not isinstance(value, bool):
        return f"expected true or false, got {value!r}"
    if t == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"expected a whole number, got {value!r}"
    if t == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"expected a number, got {value!r}"
    if t in ("integer", "number"):
        if isinstance(value, float) and not math.isfinite(value):
            return f"expected a finite number, got {value!r}"
        if t == "integer" and is_age(fact):
            low, high = AGE_RANGE
            if not low <= value <= high:
                shown = repr(value) if abs(value) < 10**30 else "a larger number"
                return f"an age in years is between {low} and {high}, got {shown}"
        elif not -MAX_NUMBER <= value <= MAX_NUMBER:
            shown = repr(value) if abs(value) < 10**30 else "a larger one"  # no 4 300-digit message
            return f"a number is between -10^12 and 10^12, got {shown}"
    if t in ("string", "date") and not isinstance(value, str):
        return f"expected a string, got {value!r}"
    if t == "date" and not _valid_date(value):
        return f"expected an ISO date such as 2013-04-01, got {value!r}"
    if t == "enum" and value not in (fact.values or []):
        from validator.errors import did_you_mean

        return f"expected one of {fact.values}, got {value!r}{did_you_mean(str(value), fact.values or [])}"
    return None


def _valid_date(value: str) -> bool:
    # ISO text compares as dates do (the conditions compare it as text): exactly YYYY-MM-DD, a real day.
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def facts_used(cond: Condition | None) -> set[str]:
    if cond is None:
        return set()
    return {c.fact for c in walk(cond) if isinstance(c, FactTest)}
