"""Hypothesis strategies: cases for a compiled rule file, built from its declared facts and documents."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from validator.rules.compiler import CompiledRules
from validator.rules.model import Fact


def fact_values(fact: Fact) -> st.SearchStrategy[Any]:
    if fact.type == "boolean":
        return st.booleans()
    if fact.type == "integer":
        return st.integers(min_value=0, max_value=100)
    if fact.type == "number":
        return st.floats(min_value=0, max_value=1e6, allow_nan=False)
    if fact.type == "enum":
        return st.sampled_from(fact.values or [""])
    return st.text(max_size=10)


@st.composite
def cases(draw: st.DrawFn, compiled: CompiledRules, mode: str = "check") -> dict[str, Any]:
    rules = compiled.rules
    start, end = rules.in_force.start, rules.in_force.end
    submitted = draw(st.dates(min_value=start - timedelta(days=60), max_value=end + timedelta(days=60)))
    channel = draw(st.sampled_from([c.id for c in rules.channels]))
    facts = {}
    for fid, fact in sorted(compiled.facts.items()):
        if draw(st.integers(0, 9)) > 0:  # mostly given, sometimes unknown
            facts[fid] = draw(fact_values(fact))
    docs = []
    # One document, one id: handed in once, in a form an entry of the drawn channel allows (else any entry's).
    forms: dict[str, list[str] | None] = {}
    for d in rules.documents:
        here = d.channels is None or channel in d.channels
        if d.id not in forms or (here and d.forms and not forms[d.id]):
            forms[d.id] = d.forms if here or d.id not in forms else forms[d.id]
    for doc_id, allowed in forms.items():
        if draw(st.booleans()):
            form = draw(st.sampled_from(allowed)) if allowed else None
            docs.append({"id": doc_id, **({"form": form} if form else {})})
    events: dict[str, Any] = {"submitted": datetime.combine(submitted, datetime.min.time()) + timedelta(hours=10)}
    if draw(st.booleans()):
        events["decided"] = (submitted + timedelta(days=draw(st.integers(0, 60)))).isoformat()
    case: dict[str, Any] = {
        "standard": rules.standard,
        "channel": channel,
        "submitted_on": submitted.isoformat(),
        "facts": facts,
        "documents": docs,
        "events": {k: (v.isoformat() if isinstance(v, datetime | date) else v) for k, v in events.items()},
    }
    if rules.fee.kind == "state-duty" and draw(st.booleans()):
        case["payment"] = {"amount": draw(st.sampled_from([0, 1000, 1731, 5000])), "date": submitted.isoformat()}
    if mode == "review":
        grounds = [g.id for g in rules.refusals.grounds] + ["not a ground"]
        case["decision"] = {
            "outcome": draw(st.sampled_from(["issued", "refused"])),
            "grounds": draw(st.lists(st.sampled_from(grounds), max_size=2, unique=True)),
            "demanded_documents": draw(
                st.lists(st.sampled_from([d.id for d in rules.documents] + ["x-doc"]), max_size=2, unique=True)
            ),
        }
    return case
