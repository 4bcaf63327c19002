"""Evaluate a case against compiled rules: the clerk's pre-check and the complaint reviewer's review.

Pure: no I/O, no clock. The evaluation date is the case's `evaluated_on` (or, failing that, the
latest event or the submission date). Findings are values; the verdict is decided from them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

from validator import __version__
from validator.decision import workdays
from validator.decision.case import Case
from validator.decision.fees import mci_on
from validator.decision.report import (
    ChecklistItem,
    CitationRef,
    FeeResult,
    Finding,
    Messages,
    Report,
    RuleRef,
    Severity,
    Subject,
    TermResult,
    Versions,
    build,
)
from validator.errors import InputErrors, Problem, did_you_mean
from validator.law.citation import parse_citation
from validator.report.catalogue import KIND_WORDS, OUTCOME_WORDS, render
from validator.rules import conditions
from validator.rules.compiler import CompiledRules, iter_cited
from validator.rules.model import Cited, Condition, RequiredDocument, Text

Mode = Literal["check", "review"]
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


# --- case validation against the rules (bad input, not findings) ---------------------------------


def validate_case(case: Case, compiled: CompiledRules, file: str, lines: dict[Any, int] | None = None) -> None:
    """Refuse a case that names a channel, fact or document the rules do not know."""
    rules = compiled.rules
    problems: list[Problem] = []

    def line(path: tuple[str | int, ...]) -> int | None:
        if not lines:
            return None
        p = path
        while p and p not in lines:
            p = p[:-1]
        return lines.get(p)

    channels = {c.id for c in rules.channels}
    if case.channel not in channels:
        problems.append(
            Problem(
                file,
                line(("channel",)),
                f"unknown channel {case.channel!r} for {rules.standard}"
                f"{did_you_mean(case.channel, channels)}; channels: {', '.join(sorted(channels))}",
                ("channel",),
                "unknown-channel",
            )
        )
    for fid, value in case.facts.items():
        fact = compiled.facts.get(fid)
        if fact is None:
            problems.append(
                Problem(
                    file,
                    line(("facts", fid)),
                    f"unknown fact {fid!r}{did_you_mean(fid, compiled.facts)}",
                    ("facts", fid),
                    "unknown-fact",
                )
            )
        elif value is not None:
            why = conditions.type_problem(fact, value)
            if why:
                problems.append(
                    Problem(file, line(("facts", fid)), f"fact {fid!r}: {why}", ("facts", fid), "fact-type")
                )
    seen: set[str] = set()
    for i, d in enumerate(case.documents):
        if d.id not in compiled.aliases:
            problems.append(
                Problem(
                    file,
                    line(("documents", i)),
                    f"unknown document {d.id!r}{did_you_mean(d.id, compiled.aliases)}",
                    ("documents", i, "id"),
                    "unknown-document",
                )
            )
        if d.id in seen:
            problems.append(
                Problem(
                    file,
                    line(("documents", i)),
                    f"document {d.id!r} listed twice",
                    ("documents", i, "id"),
                    "duplicate-document",
                )
            )
        seen.add(d.id)
    if problems:
        raise InputErrors(problems)


# --- evaluation -----------------------------------------------------------------------------------


@dataclass
class _Ctx:
    compiled: CompiledRules
    case: Case
    mode: Mode
    env: conditions.Env
    on: date
    required: list[tuple[RequiredDocument, bool | None, list[str]]] | None = None
    missing: bool | None = None
    by_id: dict[str, list[Any]] | None = None  # handed-in documents by id


def _citation(compiled: CompiledRules, item: Cited) -> CitationRef:
    # Citations are the same for every case: built once per rule item (the compiled rules are immutable).
    key = (item.cite, item.quote)
    cached = compiled.cache.get(key)
    if cached is None:
        cached = compiled.cache[key] = _make_citation(compiled, item)
    return cached


def _make_citation(compiled: CompiledRules, item: Cited) -> CitationRef:
    cit = parse_citation(item.cite)
    return build(
        CitationRef,
        standard=compiled.standard.slug,
        unit=cit.unit,
        paragraph=cit.paragraph,
        subparagraph=cit.subparagraph,
        label_kk=cit.kazakh(),
        text=compiled.standard.full_text(cit.unit),
        quote=item.quote,
    )


@functools.lru_cache(maxsize=8192)
def _subject(subject: tuple[str, str]) -> Subject:
    return build(Subject, kind=subject[0], id=subject[1])


def _messages(compiled: CompiledRules, name: Text) -> Messages:
    key = ("messages", id(name))  # the compiled rules keep `name` alive, so its id is stable
    cached = compiled.cache.get(key)
    if cached is None:
        cached = compiled.cache[key] = build(Messages, kk=name.kk, ru=name.ru, en=name.en)
    return cached


def _rule_ref(compiled: CompiledRules, section: str, item_id: str) -> RuleRef:
    key = ("rule-ref", section, item_id)
    ref = compiled.cache.get(key)
    if ref is None:
        loc = compiled.locate(section, item_id)
        ref = compiled.cache[key] = build(RuleRef, file=compiled.file, line=loc.line, path=loc.path)
    return ref


def _finding(
    ctx: _Ctx,
    code: str,
    severity: Severity,
    subject: tuple[str, str],
    message: Messages,
    item: Cited | CitationRef | None,
    case_path: str,
    section: str | None = None,
    facts_needed: list[str] | None = None,
) -> Finding:
    return build(
        Finding,
        code=code,
        severity=severity,
        subject=_subject(subject),
        message=message,
        citation=item if isinstance(item, CitationRef) else (_citation(ctx.compiled, item) if item else None),
        case_path=case_path,
        rule=_rule_ref(ctx.compiled, section, subject[1]) if section else None,
        facts_needed=sorted(facts_needed or []),
    )


def _holds(ctx: _Ctx, cond: Condition | None) -> tuple[bool | None, list[str]]:
    if cond is None:
        return True, []
    key = ("condition", id(cond))  # the compiled rules keep `cond` alive, so its id is stable
    fn = ctx.compiled.cache.get(key)
    if fn is None:
        fn = ctx.compiled.cache[key] = conditions.compile_condition(cond)
    ctx.env.unknown = set()
    value = fn(ctx.env)
    return value, sorted(ctx.env.unknown)


def _needs_data(
    ctx: _Ctx,
    severity: Severity,
    subject: tuple[str, str],
    name: Text,
    item: Cited,
    case_path: str,
    section: str,
    unknown: list[str],
) -> Finding:
    """A decision that hangs on facts the case does not give: name the facts, never pass silently."""
    ctxv = {"what": _what(name), "facts": _fact_labels(ctx, unknown)}
    return _finding(ctx, "needs-data", severity, subject, render("needs-data", ctxv), item, case_path, section, unknown)


def _fact_labels(ctx: _Ctx, facts: list[str]) -> dict[str, str]:
    out = {}
    for lang in ("kk", "ru", "en"):
        out[lang] = ", ".join(getattr(ctx.compiled.facts[f].label, lang) for f in facts if f in ctx.compiled.facts)
    return out


def _applies_on_channel(channels: list[str] | None, channel: str) -> bool:
    return channels is None or channel in channels


def _handed(ctx: _Ctx, doc: RequiredDocument) -> list[Any]:
    """The handed-in documents that satisfy `doc` (itself or one of its alternatives), in case order."""
    key = ("accepts", doc.id)
    ids = ctx.compiled.cache.get(key)
    if ids is None:
        ids = ctx.compiled.cache[key] = frozenset({doc.id, *(a.id for a in doc.alternatives)})
    if ctx.by_id is None:
        ctx.by_id = {}
        for d in ctx.case.documents:
            ctx.by_id.setdefault(d.id, []).append(d)
    return [d for i in ids for d in ctx.by_id.get(i, ())]


def _required(ctx: _Ctx) -> list[tuple[RequiredDocument, bool | None, list[str]]]:
    """The documents of the case's channel, each with whether its condition holds (computed once)."""
    if ctx.required is None:
        ctx.required = []
        for listed in ctx.compiled.rules.documents:
            doc = ctx.compiled.documents[listed.id]  # with the alternatives a shared vocabulary gives
            if _applies_on_channel(doc.channels, ctx.case.channel):
                holds, unknown = _holds(ctx, doc.when)
                ctx.required.append((doc, holds, unknown))
    return ctx.required


def _missing_documents(ctx: _Ctx) -> bool:
    if ctx.missing is None:
        ctx.missing = False
        for doc, holds, _ in _required(ctx):
            if holds is not True:
                continue
            handed = _handed(ctx, doc)
            if not handed or (doc.forms and not any(d.form in doc.forms for d in handed)):
                ctx.missing = True
                break
    return ctx.missing


def _uses_missing(compiled: CompiledRules, cond: Condition | None) -> bool:
    from validator.rules.model import MissingTest

    if cond is None:
        return False
    key = ("uses-missing", id(cond))  # the compiled rules keep `cond` alive, so its id is stable
    if key not in compiled.cache:
        compiled.cache[key] = any(isinstance(c, MissingTest) for c in conditions.walk(cond))
    return bool(compiled.cache[key])


def _evaluation_date(case: Case) -> date:
    if case.evaluated_on:
        return case.evaluated_on
    dates = [case.submitted_on] + [v.date() if isinstance(v, datetime) else v for v in case.events.values()]
    return max(dates)


def _as_datetime(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time(0, 0))


def _fmt(value: datetime, unit: str) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if unit in ("hours", "minutes") else value.date().isoformat()


def _terms(ctx: _Ctx) -> tuple[list[TermResult], list[Finding]]:
    results: dict[str, TermResult] = {}
    findings: list[Finding] = []
    events = {k: _as_datetime(v) for k, v in ctx.case.events.items()}
    events.setdefault("submitted", _as_datetime(ctx.case.submitted_on))
    for term in ctx.compiled.rules.terms:
        if not _applies_on_channel(term.channels, ctx.case.channel):
            continue
        holds, unknown = _holds(ctx, term.when)
        if holds is None:
            # Which term applies hangs on a fact the case does not give: say so, do not skip silently.
            findings.append(_needs_data(ctx, "info", ("term", term.id), term.name, term, "$.facts", "term", unknown))
        if holds is not True:
            continue
        start = events.get(term.start)
        if start is None and term.start_fallback in results:
            start = results[term.start_fallback].due
        clocked = term.unit in ("hours", "minutes")
        if clocked and start is not None and not isinstance(ctx.case.events.get(term.start), datetime):
            start = None  # a date without a clock time cannot start a term in minutes
        due = workdays.due(start, term.duration, term.unit, term.first_day_counts) if start else None
        ended = events.get(term.end)
        if due is None:
            status = "not-started"
        elif ended is not None:
            compare = ended if clocked else datetime.combine(ended.date(), time(0, 0))
            status = "kept" if compare <= due else "breached"
        else:
            status = "overdue" if datetime.combine(ctx.on, time(0, 0)) > due else "running"
        result = build(
            TermResult,
            id=term.id,
            name=_messages(ctx.compiled, term.name),
            duration=term.duration,
            unit=term.unit,
            start_event=term.start,
            start=start,
            end_event=term.end,
            due=due,
            ended=ended,
            status=status,
            citation=_citation(ctx.compiled, term),
        )
        results[term.id] = result
        if due is None:
            continue
        ctxv = {"due": _fmt(due, term.unit), "ended": _fmt(ended, term.unit) if ended else "", "on": ctx.on.isoformat()}
        if status == "breached":
            sev: Severity = "error" if ctx.mode == "review" else "warning"
            findings.append(
                _finding(
                    ctx,
                    "term-breached",
                    sev,
                    ("term", term.id),
                    render("term-breached", ctxv, term.name),
                    term,
                    f"$.events.{term.end}",
                    "term",
                )
            )
        elif status == "overdue":
            sev = "error" if ctx.mode == "review" else "warning"
            findings.append(
                _finding(
                    ctx,
                    "term-overdue",
                    sev,
                    ("term", term.id),
                    render("term-overdue", ctxv, term.name),
                    term,
                    f"$.events.{term.end}",
                    "term",
                )
            )
        elif status == "kept" and ctx.mode == "review":
            findings.append(
                _finding(
                    ctx,
                    "term-kept",
                    "info",
                    ("term", term.id),
                    render("term-kept", ctxv, term.name),
                    term,
                    f"$.events.{term.end}",
                    "term",
                )
            )
        elif status == "running":
            findings.append(
                _finding(
                    ctx,
                    "term-due",
                    "info",
                    ("term", term.id),
                    render("term-due", ctxv, term.name),
                    term,
                    f"$.events.{term.start}",
                    "term",
                )
            )
    return list(results.values()), findings


def _fee(ctx: _Ctx) -> tuple[FeeResult | None, list[Finding]]:
    fee = ctx.compiled.rules.fee
    if not _applies_on_channel(fee.channels, ctx.case.channel):
        return None, []
    payment = ctx.case.payment
    findings: list[Finding] = []
    cit = _citation(ctx.compiled, fee)
    if fee.kind == "free":
        if payment and payment.amount > 0 and ctx.mode == "check":
            findings.append(
                _finding(
                    ctx,
                    "fee-not-due",
                    "warning",
                    ("fee", "fee"),
                    render("fee-not-due", {"paid": _money(payment.amount)}),
                    fee,
                    "$.payment",
                    "fee",
                )
            )
        return build(
            FeeResult,
            kind="free",
            mci_percent=None,
            mci_value=None,
            mci_law=None,
            due_amount=None,
            citation=cit,
            paid_amount=payment.amount if payment else None,
            paid_on=payment.date if payment else None,
        ), findings
    on = payment.date if payment else ctx.case.submitted_on
    mci = mci_on(on)
    pct = fee.mci_percent or 0
    amount = round(mci.value * pct / 100, 2) if mci else None
    result = build(
        FeeResult,
        kind="state-duty",
        mci_percent=pct,
        mci_value=mci.value if mci else None,
        mci_law=mci.law if mci else None,
        due_amount=amount,
        paid_amount=payment.amount if payment else None,
        paid_on=payment.date if payment else None,
        citation=cit,
    )
    if mci is None or amount is None:
        return result, findings
    if not mci.verified:
        findings.append(
            _finding(
                ctx,
                "mci-unverified",
                "info",
                ("fee", "fee"),
                render("mci-unverified", {"year": on.year, "mci": _money(mci.value)}),
                fee,
                "$.payment.date",
                "fee",
            )
        )
    info = {"amount": _money(amount), "mci": _money(mci.value), "percent": _money(pct), "on": on.isoformat()}
    if payment is None:
        if ctx.mode == "check":
            findings.append(
                _finding(
                    ctx, "fee-unpaid", "error", ("fee", "fee"), render("fee-unpaid", info), fee, "$.payment", "fee"
                )
            )
    elif payment.amount + 1e-9 < amount:
        if ctx.mode == "check":
            findings.append(
                _finding(
                    ctx,
                    "fee-underpaid",
                    "error",
                    ("fee", "fee"),
                    render("fee-underpaid", {**info, "paid": _money(payment.amount)}),
                    fee,
                    "$.payment.amount",
                    "fee",
                )
            )
    elif ctx.mode == "check":
        findings.append(
            _finding(ctx, "fee-due", "info", ("fee", "fee"), render("fee-due", info), fee, "$.payment", "fee")
        )
    return result, findings


def _money(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _schedule(ctx: _Ctx) -> list[Finding]:
    submitted = ctx.case.events.get("submitted")
    if not isinstance(submitted, datetime):
        return []
    out = []
    for sched in ctx.compiled.rules.schedules:
        if sched.channel != ctx.case.channel:
            continue
        day = submitted.date()
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
        hours = sched.hours.get(weekday, [])  # type: ignore[call-overload]
        holiday = sched.closed_on_holidays and workdays.holiday_name(day) is not None
        open_now = not holiday and any(
            _hhmm(h.split("-")[0]) <= submitted.time() < _hhmm(h.split("-")[1]) for h in hours
        )
        if not open_now:
            out.append(
                _finding(
                    ctx,
                    "outside-schedule",
                    "warning",
                    ("schedule", sched.channel),
                    render("outside-schedule", {"when": submitted.strftime("%Y-%m-%d %H:%M")}),
                    sched,
                    "$.events.submitted",
                )
            )
    return out


def _hhmm(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m)) if int(h) < 24 else time(23, 59, 59)


@functools.lru_cache(maxsize=4096)
def _unit_key(unit: str) -> tuple[tuple[int, str], ...]:
    return parse_citation(unit).sort_key()


def _sorted(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[Any, ...]:
        unit = _unit_key(f.citation.unit) if f.citation else ()
        return (_SEVERITY_RANK[f.severity], unit, f.code, f.subject.kind, f.subject.id, f.case_path)

    return sorted(findings, key=key)


def evaluate(compiled: CompiledRules, case: Case, mode: Mode = "check") -> Report:
    """Evaluate `case` and return its report (`mode` is 'check' for a clerk, 'review' for a reviewer)."""
    rules = compiled.rules
    std = compiled.standard
    handed_ids = frozenset(d.id for d in case.documents).union(
        *(compiled.satisfies.get(d.id, ()) for d in case.documents)
    )
    ctx = _Ctx(
        compiled, case, mode, conditions.Env({}, case.channel, handed_ids, lambda: False), _evaluation_date(case)
    )
    ctx.env.facts = case.facts
    ctx.env.documents_missing = lambda: _missing_documents(ctx)
    findings: list[Finding] = []
    checklist: list[ChecklistItem] = []

    if mode == "review" and case.decision is None:
        raise InputErrors(
            [
                Problem(
                    case.id or "case",
                    None,
                    "a review needs a `decision` (outcome, grounds)",
                    ("decision",),
                    "missing-decision",
                )
            ]
        )

    # period in force
    if not (rules.in_force.start <= case.submitted_on <= rules.in_force.end):
        repeal = ""
        if std.repealed_by:
            repeal = f"№ {std.repealed_by.number} ({std.repealed_by.date.isoformat()})"
        msg = render(
            "not-in-force",
            {
                "date": case.submitted_on.isoformat(),
                "start": rules.in_force.start.isoformat(),
                "end": rules.in_force.end.isoformat(),
                "repeal": repeal,
            },
        )
        findings.append(
            build(
                Finding,
                code="not-in-force",
                severity="error",
                subject=build(Subject, kind="standard", id=std.slug),
                message=msg,
                citation=None,
                case_path="$.submitted_on",
                rule=build(
                    RuleRef, file=compiled.file, line=compiled.locate("in_force", "in_force").line, path="$.in_force"
                ),
                facts_needed=[],
            )
        )
        return _report(ctx, "not-in-force", findings, [], [], None)

    # amendments later than the case, on paragraphs the rules rely on
    relied = compiled.cache.get("relied")
    if relied is None:
        relied = compiled.cache["relied"] = {
            parse_citation(i.cite).unit.split(".")[0] for _, i in iter_cited(compiled.rules)
        }
    for am in std.amendments:
        if am.unit and am.unit.split(".")[0] in relied and am.decree.date > case.submitted_on:
            para = am.unit.split(".")[0]
            amended = compiled.cache.get(("amended", para, am.text))
            if amended is None:
                amended = compiled.cache[("amended", para, am.text)] = build(
                    CitationRef,
                    standard=std.slug,
                    unit=para,
                    paragraph=para,
                    subparagraph=None,
                    label_kk=parse_citation(para).kazakh(),
                    text=std.full_text(para),
                    quote=am.text,
                )
            findings.append(
                _finding(
                    ctx,
                    "amended-after-case",
                    "warning",
                    ("amendment", am.unit),
                    render(
                        "amended-after-case",
                        {
                            "unit": parse_citation(am.unit).kazakh(),
                            "decree": f"№ {am.decree.number} ({am.decree.date.isoformat()})",
                            "date": case.submitted_on.isoformat(),
                        },
                    ),
                    amended,
                    "$.submitted_on",
                )
            )

    # In a review these are the facts behind the decision, not the authority's faults: info only.
    pre: Severity = "error" if mode == "check" else "info"
    pre_warn: Severity = "warning" if mode == "check" else "info"

    # channel
    channel = next(c for c in rules.channels if c.id == case.channel)
    if channel.information_only:
        findings.append(
            _finding(
                ctx,
                "channel-information-only",
                pre,
                ("channel", channel.id),
                render("channel-information-only", {}, channel.name),
                channel,
                "$.channel",
                "channel",
            )
        )

    # eligibility
    for req in rules.eligibility:
        holds, unknown = _holds(ctx, req.require)
        if holds is False:
            findings.append(
                _finding(
                    ctx,
                    "ineligible",
                    pre,
                    ("eligibility", req.id),
                    render("ineligible", {}, req.message),
                    req,
                    "$.facts",
                    "eligibility",
                )
            )
        elif holds is None:
            findings.append(
                _needs_data(ctx, pre_warn, ("eligibility", req.id), req.message, req, "$.facts", "eligibility", unknown)
            )

    # documents (nothing is filed on an information-only channel, so there is no checklist there)
    for doc, holds, unknown in _required(ctx) if not channel.information_only else ():
        handed = _handed(ctx, doc)
        name = compiled.document_names[doc.id]
        if holds is None and not handed:
            findings.append(_needs_data(ctx, pre_warn, ("document", doc.id), name, doc, "$.facts", "document", unknown))
            continue
        if holds is not True:
            continue
        checklist.append(
            build(
                ChecklistItem,
                id=doc.id,
                name=_messages(compiled, name),
                forms=list(doc.forms) if doc.forms else None,
                handed_in=bool(handed),
                cite=doc.cite,
            )
        )
        if not handed:
            findings.append(
                _finding(
                    ctx,
                    "document-missing",
                    pre,
                    ("document", doc.id),
                    render("document-missing", {}, name),
                    doc,
                    "$.documents",
                    "document",
                )
            )
        elif doc.forms and not any(d.form in doc.forms for d in handed):
            given = ", ".join(sorted({d.form or "form not stated" for d in handed}))
            # A filter path, not an index: it names the document and stays true however the list is ordered.
            first = min(d.id for d in handed)
            findings.append(
                _finding(
                    ctx,
                    "document-wrong-form",
                    pre,
                    ("document", doc.id),
                    render("document-wrong-form", {"given": given, "forms": ", ".join(doc.forms)}, name),
                    doc,
                    f'$.documents[?(@.id=="{first}")].form',
                    "document",
                )
            )

    # refusal and suspension grounds
    if mode == "check":
        for ground in rules.refusals.grounds:
            if (
                ground.when is None
                or _uses_missing(compiled, ground.when)
                or ground.kind in ("refuse-acceptance", "termination")
            ):
                continue
            holds, unknown = _holds(ctx, ground.when)
            code = "suspension-ground-applies" if ground.kind == "suspension" else "refusal-ground-applies"
            if holds is True:
                findings.append(
                    _finding(
                        ctx,
                        code,
                        "error",
                        ("ground", ground.id),
                        render(code, {}, ground.name),
                        ground,
                        "$.facts",
                        "ground",
                    )
                )
            elif holds is None:
                findings.append(
                    _needs_data(ctx, "info", ("ground", ground.id), ground.name, ground, "$.facts", "ground", unknown)
                )
    else:
        findings += _review_decision(ctx)

    terms, term_findings = _terms(ctx)
    findings += term_findings
    fee, fee_findings = _fee(ctx) if not channel.information_only else (None, [])
    findings += fee_findings
    findings += _schedule(ctx)

    return _report(ctx, _verdict(mode, findings), findings, checklist, terms, fee)


def _what(name: Text) -> dict[str, str]:
    return name.model_dump()


# Which kinds of ground can support which decision (a termination ground cannot justify refusing a
# new application, and a refusal ground cannot justify stopping a payment already assigned).
_KINDS_FOR_OUTCOME: dict[str, set[str]] = {
    "refused": {"refusal"},
    "refused-acceptance": {"refuse-acceptance"},
    "suspended": {"suspension"},
    "terminated": {"termination"},
    "issued": set(),
}


def _review_decision(ctx: _Ctx) -> list[Finding]:
    compiled, case = ctx.compiled, ctx.case
    rules = compiled.rules
    decision = case.decision
    assert decision is not None
    out: list[Finding] = []
    grounds = {g.id: g for g in rules.refusals.grounds}
    requirements = {r.id: r for r in rules.eligibility}
    closed_item: Cited | None = rules.refusals.closed_basis or (
        rules.refusals.grounds[0] if rules.refusals.grounds else None
    )
    if decision.outcome in ("refused", "suspended", "refused-acceptance", "terminated"):
        if not decision.grounds:
            out.append(
                _finding(
                    ctx,
                    "refusal-without-ground",
                    "error",
                    ("ground", "-"),
                    render("refusal-without-ground", {}),
                    closed_item,
                    "$.decision.grounds",
                )
            )
        for i, given in enumerate(decision.grounds):
            path = f"$.decision.grounds[{i}]"
            if given in grounds:
                g = grounds[given]
                if g.kind not in _KINDS_FOR_OUTCOME[decision.outcome]:
                    out.append(
                        _finding(
                            ctx,
                            "ground-kind-mismatch",
                            "error",
                            ("ground", g.id),
                            render(
                                "ground-kind-mismatch",
                                {**KIND_WORDS[g.kind], **OUTCOME_WORDS[decision.outcome]},
                                g.name,
                            ),
                            g,
                            path,
                            "ground",
                        )
                    )
                    continue
                if g.when is None:
                    out.append(
                        _finding(
                            ctx,
                            "ground-not-verifiable",
                            "warning",
                            ("ground", g.id),
                            render("ground-not-verifiable", {}, g.name),
                            g,
                            path,
                            "ground",
                        )
                    )
                    continue
                holds, unknown = _holds(ctx, g.when)
                if holds is True:
                    out.append(
                        _finding(
                            ctx,
                            "ground-supported",
                            "info",
                            ("ground", g.id),
                            render("ground-supported", {}, g.name),
                            g,
                            path,
                            "ground",
                        )
                    )
                elif holds is False:
                    out.append(
                        _finding(
                            ctx,
                            "ground-not-supported",
                            "error",
                            ("ground", g.id),
                            render("ground-not-supported", {}, g.name),
                            g,
                            path,
                            "ground",
                        )
                    )
                else:
                    out.append(_needs_data(ctx, "warning", ("ground", g.id), g.name, g, path, "ground", unknown))
            elif given in requirements:
                r = requirements[given]
                holds, unknown = _holds(ctx, r.require)
                name = r.message
                if holds is False:
                    out.append(
                        _finding(
                            ctx,
                            "ground-supported",
                            "info",
                            ("eligibility", r.id),
                            render("ground-supported", {}, name),
                            r,
                            path,
                            "eligibility",
                        )
                    )
                elif holds is True:
                    out.append(
                        _finding(
                            ctx,
                            "ground-not-supported",
                            "error",
                            ("eligibility", r.id),
                            render("ground-not-supported", {}, name),
                            r,
                            path,
                            "eligibility",
                        )
                    )
                else:
                    out.append(
                        _needs_data(ctx, "warning", ("eligibility", r.id), name, r, path, "eligibility", unknown)
                    )
            else:
                label = Text(kk=given, ru=given, en=given)
                sev: Severity = "error" if rules.refusals.closed else "warning"
                out.append(
                    _finding(
                        ctx,
                        "ground-not-listed",
                        sev,
                        ("ground", given),
                        render("ground-not-listed", {}, label),
                        closed_item,
                        path,
                    )
                )
    # documents demanded beyond the list
    applicable = {doc.id for doc, holds, _ in _required(ctx) if holds is not False}
    closed_doc: Cited | None = rules.documents_closed or (rules.documents[0] if rules.documents else None)
    for i, demanded in enumerate(decision.demanded_documents):
        if compiled.satisfies.get(demanded, set()) & applicable:
            continue
        name = compiled.document_names.get(demanded, Text(kk=demanded, ru=demanded, en=demanded))
        out.append(
            _finding(
                ctx,
                "document-demanded-beyond-list",
                "error",
                ("document", demanded),
                render("document-demanded-beyond-list", {}, name),
                closed_doc,
                f"$.decision.demanded_documents[{i}]",
            )
        )
    if decision.demanded_fee is not None:
        fee = rules.fee
        due = 0.0
        if fee.kind == "state-duty":
            on = case.payment.date if case.payment else case.submitted_on
            mci = mci_on(on)
            due = round(mci.value * (fee.mci_percent or 0) / 100, 2) if mci else float("inf")
        if decision.demanded_fee > due + 1e-9:
            out.append(
                _finding(
                    ctx,
                    "fee-demanded-unlawfully",
                    "error",
                    ("fee", "fee"),
                    render(
                        "fee-demanded-unlawfully", {"demanded": _money(decision.demanded_fee), "amount": _money(due)}
                    ),
                    fee,
                    "$.decision.demanded_fee",
                    "fee",
                )
            )
    return out


def _verdict(mode: Mode, findings: list[Finding]) -> str:
    codes = {f.code for f in findings if f.severity == "error"}
    if mode == "review":
        if any(f.severity == "error" for f in findings):
            return "unlawful"
        # A ground resting on another law cannot be confirmed from the standard: the reviewer must
        # establish it, so the refusal is not declared lawful.
        if any(f.code in ("needs-data", "ground-not-verifiable") and f.severity == "warning" for f in findings):
            return "needs-data"
        return "lawful"
    if "ineligible" in codes or "channel-information-only" in codes:
        return "ineligible"
    if codes & {"refusal-ground-applies", "suspension-ground-applies"}:
        return "refuse"
    if codes & {"document-missing", "document-wrong-form", "fee-unpaid", "fee-underpaid"}:
        return "incomplete"
    if any(f.code == "needs-data" and f.severity == "warning" for f in findings):
        return "needs-data"
    return "accept"


def _report(
    ctx: _Ctx,
    verdict: str,
    findings: list[Finding],
    checklist: list[ChecklistItem],
    terms: list[TermResult],
    fee: FeeResult | None,
) -> Report:
    compiled = ctx.compiled
    return build(
        Report,
        kind=ctx.mode,
        standard=compiled.standard.slug,
        case=ctx.case.id,
        channel=ctx.case.channel,
        submitted_on=ctx.case.submitted_on,
        verdict=verdict,
        findings=_sorted(findings),
        checklist=checklist,
        terms=terms,
        fee=fee,
        versions=build(
            Versions,
            ereje=__version__,
            rules_file=compiled.file,
            rules_sha256=compiled.sha256,
            standard_sha256=compiled.standard_sha256,
        ),
    )


__all__ = ["Mode", "evaluate", "validate_case"]
