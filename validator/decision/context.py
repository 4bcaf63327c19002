"""What the evaluation of one case shares across its parts: the case, the compiled rules, the
conditions' environment, and how a finding is built (typed parameters, citations, rule location)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any, Literal

from validator.decision import workdays
from validator.decision.case import Case
from validator.decision.mci import mci_on
from validator.decision.model import (
    CitationRef,
    Finding,
    Param,
    RefsParam,
    RuleRef,
    Severity,
    Subject,
    build,
)
from validator.rules import conditions
from validator.rules.compiler import CompiledRules
from validator.rules.forms import form_satisfied
from validator.rules.model import Cited, Condition, RequiredDocument
from validator.rules.zones import DEFAULT_TIMEZONE, zone

Mode = Literal["check", "review"]


@dataclass
class Ctx:
    """One evaluation: immutable inputs, plus values computed once per case on first use."""

    compiled: CompiledRules
    case: Case
    mode: Mode
    env: conditions.Env
    on: date
    required: list[tuple[RequiredDocument, bool | None, list[str]]] | None = None
    missing: tuple[bool | None, list[str]] | None = None  # documents missing (three-valued), the facts lacked
    by_id: dict[str, list[Any]] | None = None  # handed-in documents by id


def office_zone(compiled: CompiledRules, channel: str) -> tzinfo:
    """The time zone of the office the case went to: the channel's, else the rule file's, else the default
    (Asia/Almaty). The names were checked when the rule file loaded."""
    key = ("zone", channel)
    found = compiled.cache.get(key)
    if found is None:
        ch = next((c for c in compiled.rules.channels if c.id == channel), None)
        found = zone((ch.timezone if ch else None) or compiled.rules.timezone or DEFAULT_TIMEZONE)
        compiled.cache[key] = found
    return found


def citation(compiled: CompiledRules, item: Cited) -> CitationRef:
    # The same for every case: built once per rule item (the compiled rules are immutable).
    key = ("citation", item.cite, item.quote)
    cached = compiled.cache.get(key)
    if cached is None:
        cached = compiled.cache[key] = build(CitationRef, unit=item.cite, quote=item.quote)
    return cached


@functools.lru_cache(maxsize=8192)
def _subject(kind: str, id_: str) -> Subject:
    return build(Subject, kind=kind, id=id_)


def rule_ref(compiled: CompiledRules, section: str, item_id: str) -> RuleRef:
    key = ("rule-ref", section, item_id)
    ref = compiled.cache.get(key)
    if ref is None:
        loc = compiled.locate(section, item_id)
        ref = compiled.cache[key] = build(
            RuleRef, file=compiled.rule_file or compiled.file, line=loc.line, path=loc.path
        )
    return ref


def finding(
    ctx: Ctx,
    code: str,
    severity: Severity,
    subject: tuple[str, str],
    cited: Iterable[Cited | CitationRef | None],
    case_path: str,
    section: str | None = None,
    params: Mapping[str, Param] | None = None,
    facts_needed: list[str] | None = None,
) -> Finding:
    """A finding citing `cited` in order: the primary first; absent items and a unit cited twice dropped
    (two list items may quote one subparagraph; the unit is the citation, its first quote stands)."""
    cites: list[CitationRef] = []
    for item in cited:
        if item is None:
            continue
        ref = item if isinstance(item, CitationRef) else citation(ctx.compiled, item)
        if all(c.unit != ref.unit for c in cites):
            cites.append(ref)
    return build(
        Finding,
        code=code,
        severity=severity,
        subject=_subject(*subject),
        params=dict(params or {}),
        citations=cites,
        case_path=case_path,
        rule=rule_ref(ctx.compiled, section, subject[1]) if section else None,
        facts_needed=sorted(facts_needed or []),
    )


# In the unknowns of a condition: the form of this document, which the case leaves out.
FORM_UNKNOWN = "form:"


def needs_data(
    ctx: Ctx,
    severity: Severity,
    subject: tuple[str, str],
    item: Cited,
    case_path: str,
    section: str,
    unknown: list[str],
) -> Finding:
    """A decision that hangs on facts the case does not give: name the facts (and the documents whose
    form it leaves out), never pass silently."""
    params: dict[str, Param] = {
        "facts": build(RefsParam, type="refs", kind="fact", ids=[f for f in unknown if f in ctx.compiled.facts])
    }
    forms = [u[len(FORM_UNKNOWN) :] for u in unknown if u.startswith(FORM_UNKNOWN)]
    if forms:
        params["forms_of"] = build(RefsParam, type="refs", kind="document", ids=forms)
    facts_needed = [u for u in unknown if not u.startswith(FORM_UNKNOWN)]
    return finding(ctx, "needs-data", severity, subject, [item], case_path, section, params, facts_needed)


def holds(ctx: Ctx, cond: Condition | None) -> tuple[bool | None, list[str]]:
    """Whether `cond` holds for the case (true, false or unknown) and the facts it lacked."""
    if cond is None:
        return True, []
    key = ("condition", id(cond))  # the compiled rules keep `cond` alive, so its id is stable
    fn = ctx.compiled.cache.get(key)
    if fn is None:
        fn = ctx.compiled.cache[key] = conditions.compile_condition(cond)
    return conditions.run(fn, ctx.env)


def applies_on_channel(channels: list[str] | None, channel: str) -> bool:
    return channels is None or channel in channels


def accepted_ids(compiled: CompiledRules, doc: RequiredDocument) -> frozenset[str]:
    """The ids a handed-in document may have to satisfy `doc`: its own, its alternatives', their former ids."""
    key = ("accepts", doc.id, id(doc))
    ids: frozenset[str] | None = compiled.cache.get(key)
    if ids is None:
        own = {doc.id, *(a.id for a in doc.alternatives)}
        old = (o for o, new in compiled.deprecated.items() if new in own)
        ids = compiled.cache[key] = frozenset({*own, *old})
    return ids


def handed(ctx: Ctx, doc: RequiredDocument) -> list[Any]:
    """The handed-in documents that satisfy `doc` (itself or one of its alternatives), in case order."""
    ids = accepted_ids(ctx.compiled, doc)
    if ctx.by_id is None:
        ctx.by_id = {}
        for d in ctx.case.documents:
            ctx.by_id.setdefault(d.id, []).append(d)
    return [d for i in ids for d in ctx.by_id.get(i, ())]


# Which of a document's entries applies: one whose condition holds, else one whose condition is unknown.
APPLIES_RANK: dict[bool | None, int] = {True: 2, None: 1, False: 0}


def required(ctx: Ctx) -> list[tuple[RequiredDocument, bool | None, list[str]]]:
    """The documents of the case's channel, each with whether its condition holds (computed once).

    A document listed in several entries (one a channel or situation) is one document: the entry that
    applies gives its forms and citation — the first whose condition holds, else the first unknown one,
    else (none applies) the first on the channel, so it is known not to be required."""
    if ctx.required is None:
        chosen: dict[str, tuple[RequiredDocument, bool | None, list[str]]] = {}
        rank = APPLIES_RANK
        for doc in ctx.compiled.entries:  # with the alternatives a shared vocabulary gives
            if applies_on_channel(doc.channels, ctx.case.channel):
                value, unknown = holds(ctx, doc.when)
                before = chosen.get(doc.id)
                if before is None or rank[value] > rank[before[1]]:
                    chosen[doc.id] = (doc, value, unknown)
        ctx.required = list(chosen.values())
    return ctx.required


# How a document handed in stands against its list entry: in order, or what is wrong (the set is
# incomplete), or what the case does not say (a question for the clerk).
FIT_OK = "handed-in"
FIT_WRONG = ("wrong-form", "short", "expired", "underpaid")
FIT_UNSTATED = ("form-unstated", "count-unstated", "date-unstated")


def fit(doc: RequiredDocument, given: list[Any], submitted_on: date, canonical: Mapping[str, str] | None = None) -> str:
    """Whether what was handed in for `doc` meets it: the form (`validator.rules.forms`), then the count
    the text asks for (two photographs), then how recent it must be (issued no earlier than the validity
    before the submission). The first that fails decides; a count or a date the case leaves out is a
    question, never a pass."""
    # A former id is the document it names now: its entries combine with the new id's (an original under
    # one, its copy under the other, is an original with its copy).
    names = canonical or {}
    in_form = form_satisfied(doc.forms, [(names.get(d.id, d.id), d.form) for d in given])
    if in_form is not True:
        return "wrong-form" if in_form is False else "form-unstated"
    if doc.count is not None:
        known = sum(d.count for d in given if d.count is not None)
        if known < doc.count:
            return "count-unstated" if any(d.count is None for d in given) else "short"
    if doc.valid_for is not None:
        earliest = valid_from(doc, submitted_on)
        dates = [d.issued_on for d in given]
        if not any(day is not None and day >= earliest for day in dates):
            return "date-unstated" if None in dates else "expired"
    return FIT_OK


def fit_in_case(ctx: Ctx, doc: RequiredDocument, given: list[Any]) -> str:
    """`fit`, and for the document that proves the duty's payment (`fee.proof_document`) in a pre-check,
    whether it proves the duty: a receipt for less than the duty, or handed in with no payment the case
    records, does not confirm that «мемлекеттік баж» was paid (11.7 «… төлегенін растайтын құжат»), so
    the set is incomplete as with a document missing (its acceptance is refused where the standard says).
    The payment itself is reported by the fee (`fee-underpaid`, `fee-unpaid`)."""
    state = fit(doc, given, ctx.case.submitted_on, ctx.compiled.deprecated)
    fee = ctx.compiled.rules.fee
    if state == FIT_OK and ctx.mode == "check" and doc.id == fee.proof_document and duty_short(ctx) is True:
        return "underpaid"
    return state


def duty_short(ctx: Ctx) -> bool | None:
    """Whether the payment the case records falls short of the state duty due on its channel; None where
    that cannot be said: no MCI for the day, or no payment recorded beside a handed-in proof of payment
    (the receipt's amount is the clerk's to read, never guessed: `fee-payment-unstated`)."""
    fee = ctx.compiled.rules.fee
    if fee.kind != "state-duty" or not applies_on_channel(fee.channels, ctx.case.channel):
        return False
    payment = ctx.case.payment
    if payment is None:
        return None if proof_handed(ctx) else True
    mci = mci_on(payment.date)
    if mci is None:
        return None
    return round(payment.amount, 2) < round(mci.value * (fee.mci_percent or 0) / 100, 2)


def proof_handed(ctx: Ctx) -> bool:
    """Whether the document proving the duty's payment (`fee.proof_document`) is among those handed in."""
    proof = ctx.compiled.rules.fee.proof_document
    return proof is not None and proof in ctx.env.documents


def valid_from(doc: RequiredDocument, submitted_on: date) -> date:
    """The earliest issue date that is still valid on the day of submission. The period runs forward
    from the issue («ресімделген күнінен бастап бір айдан кешіктірмей»: a month from 30.04 ends on 30.05,
    counted as a term in months), so the earliest valid day is the first whose period reaches the
    submission — not the submission day less a month, which differs at the ends of months."""
    v = doc.valid_for
    assert v is not None
    if v.days is not None:
        return submitted_on - timedelta(days=v.days)
    months = v.months if v.months is not None else 12 * (v.years or 0)
    day = workdays.add_months(submitted_on, -months) - timedelta(days=3)
    while workdays.add_months(day, months) < submitted_on:
        day += timedelta(days=1)
    return day


def missing_documents(ctx: Ctx) -> bool | None:
    """Whether some document the case needs was not handed in, or not in a form the text allows: true,
    false, or unknown (None) when only a document whose condition is unknown is lacking (whether it
    was required hangs on facts the case does not give) or one whose form the case leaves out; those
    facts, and `form:<document id>` for each unstated form, are added to `ctx.env.unknown`."""
    if ctx.missing is None:
        outer = ctx.env.unknown  # `required` evaluates conditions of its own: keep the caller's unknowns
        value: bool | None = False
        lacked: set[str] = set()
        for doc, applies, unknown in required(ctx):
            if applies is False:
                continue
            given = handed(ctx, doc)
            state = fit_in_case(ctx, doc, given) if given else "missing"
            if state == FIT_OK:
                continue
            if applies is True and state not in FIT_UNSTATED:
                value, lacked = True, set()
                break
            value = None
            lacked.update(unknown if applies is None else ())
            if state in FIT_UNSTATED:
                lacked.add(FORM_UNKNOWN + doc.id)
        ctx.env.unknown = outer
        ctx.missing = (value, sorted(lacked))
    value, lacked_facts = ctx.missing
    if value is None:
        ctx.env.unknown.update(lacked_facts)
    return value
