"""Evaluate a case against compiled rules: the clerk's pre-check and the complaint reviewer's review.

Pure: no I/O, no clock. The evaluation date is the case's `evaluated_on` (or, failing that, the
latest event or the submission date). The result is a `Decision`: findings as typed values, no
sentence in any language (the report stage renders them). The verdict is decided from the findings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from validator import __version__
from validator.decision import intake
from validator.decision.case import Case, local
from validator.decision.context import (
    Ctx,
    Mode,
    finding,
    missing_documents,
    office_zone,
)
from validator.decision.fees import evaluate_fee
from validator.decision.model import (
    CitationRef,
    DateParam,
    Decision,
    DecreeParam,
    Finding,
    PaperDue,
    Param,
    RefParam,
    RefsParam,
    RuleRef,
    Severity,
    Subject,
    Versions,
    build,
)
from validator.decision.papers import papers_due
from validator.decision.review import review_decision
from validator.decision.terms import IN_ORDER, evaluate_schedule, evaluate_terms, event_order
from validator.errors import InputErrors, Problem, did_you_mean, json_path
from validator.law.citation import parse_citation
from validator.rules import conditions
from validator.rules.compiler import CompiledRules, iter_cited
from validator.rules.model import EVENTS
from validator.rules.yamlload import JsonPath

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
# Per-day results kept in the compiled rules' cache stop being added past this many entries (a batch of
# years of cases must not grow the cache without bound; the rest is computed as before).
CACHE_BOUND = 200_000


# --- case validation against the rules (bad input, not findings) ---------------------------------


def validate_case(case: Case, compiled: CompiledRules, file: str, lines: dict[Any, int] | None = None) -> None:
    """Refuse a case that names a channel, fact or document the rules do not know, gives a fact a value
    its declaration does not allow, or tells of events in an order that cannot happen."""
    rules = compiled.rules
    problems: list[Problem] = []

    def line(path: tuple[str | int, ...]) -> int | None:
        if not lines:
            return None
        p = path
        while p and p not in lines:
            p = p[:-1]
        return lines.get(p)

    channels = compiled.cache.get("channel-ids")
    if channels is None:
        channels = compiled.cache["channel-ids"] = frozenset(c.id for c in rules.channels)
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
        elif value is None or ((value is True or value is False) and fact.type == "boolean"):
            continue  # most answers: allowed, as `type_problem` would say, said without the call
        else:
            why = conditions.type_problem(fact, value)
            if why:
                problems.append(
                    Problem(file, line(("facts", fid)), f"fact {fid!r}: {why}", ("facts", fid), "fact-type")
                )
    # One document may be listed once per form (an original and its copy as two entries are an original
    # with its copy, docs/rules.md); the same document in the same form twice is a slip to point out.
    seen: set[tuple[str, str | None]] = set()
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
        same = (compiled.deprecated.get(d.id, d.id), d.form)  # a former id names the same document
        if same in seen:
            problems.append(
                Problem(
                    file,
                    line(("documents", i)),
                    f"document {d.id!r} listed twice" + (f" as {d.form!r}" if d.form else " with no form"),
                    ("documents", i, "id"),
                    "duplicate-document",
                )
            )
        seen.add(same)
        if d.issued_on is not None and d.issued_on > case.submitted_on:
            problems.append(
                Problem(
                    file,
                    line(("documents", i)),
                    f"document {d.id!r} issued on {d.issued_on} is dated after the submission "
                    f"({case.submitted_on}): a document handed in was issued on or before that day",
                    ("documents", i, "issued_on"),
                    "impossible-timeline",
                )
            )
    submitted = case.events.get("submitted")
    if case.paper is not None and case.paper.accepted_at is not None and isinstance(submitted, datetime):
        problems.append(
            Problem(
                file,
                line(("paper", "accepted_at")),
                f"paper.accepted_at ({case.paper.accepted_at}) and events.submitted ({_shown(submitted, submitted)}) "
                "both give the time of acceptance: give it once (paper.accepted_at is for a submission given "
                "by its day only)",
                ("paper", "accepted_at"),
                "time-given-twice",
            )
        )
    problems += timeline_problems(case.with_accepted_at(), compiled, file, line)
    if problems:
        raise InputErrors(problems)


# --- the timeline: events in an order that can happen --------------------------------------------

# A visit to the office: the submission's own (earlier that day) or a later one (to collect the result),
# never on a day before the submission.
_VISIT = ("queue_joined", "service_started")
# Every other event comes on or after the submission (a decision, its notice, the result, the end of a
# visit, a visit to collect).
_AFTER_SUBMISSION = tuple(e for e in EVENTS if e not in ("submitted", *_VISIT))
# Pairs that come in this order whatever the standard; the terms of the rule file add their own
# (a term runs from its `from` event to its `to` event).


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _before(a: date, b: date) -> bool:
    """Whether `a` is before `b`, at the precision both have: the clock where both have one, else the day."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a < b
    return _day(a) < _day(b)


def _shown(original: date, value: date) -> str:
    """A date or time as the case gave it, and as the office's local time where it had an offset."""
    if isinstance(value, datetime):
        text = value.isoformat(timespec="seconds" if value.second else "minutes")
        if isinstance(original, datetime) and original.tzinfo is not None:
            return f"{original.isoformat(timespec='minutes')}, {text} office time"
        return text
    return value.isoformat()


def _in_order(events: dict[str, date], first: str, then: str, wrong: Callable[..., None]) -> None:
    a, b = events.get(first), events.get(then)
    if a is not None and b is not None and _before(b, a):
        wrong(("events", then), b, "is before", ("events", first), a, f"`{then}` comes after `{first}`")


def timeline_problems(
    case: Case, compiled: CompiledRules, file: str, line: Callable[[JsonPath], int | None] = lambda path: None
) -> list[Problem]:
    """Events in an order that cannot happen: bad input, never a term judged on them.

    Times with an offset are compared in the office's local time; a date without a clock time is
    compared by its day. Each problem names both paths and says what would be right.
    """
    given: dict[str, date] = {str(k): v for k, v in case.events.items()}
    events = given
    if any(isinstance(v, datetime) and v.tzinfo is not None for v in given.values()):
        zone = office_zone(compiled, case.channel)
        events = {str(k): local(v, zone) for k, v in given.items()}
    problems: list[Problem] = []

    def as_given(path: JsonPath, value: date) -> date:
        return given.get(str(path[1]), value) if path[0] == "events" else value

    def wrong(path: JsonPath, value: date, why: str, other: JsonPath, other_value: date, right: str) -> None:
        if any(p.path == path for p in problems):
            return  # one problem a value: the first, most specific, says what to correct
        this, that = _shown(as_given(path, value), value), _shown(as_given(other, other_value), other_value)
        message = f"{json_path(path)} ({this}) {why} {json_path(other)} ({that}); {right}: correct one of the two"
        problems.append(Problem(file, line(path), message, path, "impossible-timeline"))

    submitted = events.get("submitted")
    if submitted is not None and _day(submitted) != case.submitted_on:
        wrong(
            ("events", "submitted"),
            submitted,
            "is not on the day of",
            ("submitted_on",),
            case.submitted_on,
            "the application is handed in on the day `submitted_on` states",
        )
    for first, then in IN_ORDER:
        _in_order(events, first, then, wrong)
    origin: JsonPath = ("events", "submitted") if submitted is not None else ("submitted_on",)
    start: date = submitted if submitted is not None else case.submitted_on
    for event in _AFTER_SUBMISSION:
        value = events.get(event)
        if value is not None and _before(value, start):
            wrong(("events", event), value, "is before the submission", origin, start, f"`{event}` comes after it")
    for event in _VISIT:
        value = events.get(event)
        if value is not None and _day(value) < _day(start):
            right = "a visit to the office is on the day of the submission or later"
            wrong(("events", event), value, "is on a day before the submission", origin, start, right)
    # Each term's own pair, then what follows from all of them (IN_ORDER, first in the list, was checked
    # above): the most specific problem comes first.
    for first, then in event_order(compiled, case.channel)[len(IN_ORDER) :]:
        _in_order(events, first, then, wrong)
    if case.evaluated_on is not None and case.evaluated_on < _day(start):
        right = "a case is evaluated on the day of its submission or later"
        wrong(("evaluated_on",), case.evaluated_on, "is before the submission", origin, start, right)
    elif case.evaluated_on is not None:
        # A case is evaluated once what it records has happened: no event after the evaluation date.
        for event, value in sorted(events.items()):
            if _day(value) > case.evaluated_on:
                right = "`evaluated_on` is on or after every event the case records"
                wrong(("evaluated_on",), case.evaluated_on, "is before an event", ("events", event), value, right)
                break
    return problems


# --- evaluation -----------------------------------------------------------------------------------


def evaluate(compiled: CompiledRules, case: Case, mode: Mode = "check") -> Decision:
    """Evaluate `case` and return its decision (`mode` is 'check' for a clerk, 'review' for a reviewer).

    A pre-check is decided by the rule file's compiled plan for the case's channel
    (`validator.decision.compiled`), held to `evaluate_reference`'s decisions by tests/test_compiled.py;
    a review, and a channel no plan covers, by `evaluate_reference` itself."""
    if mode == "check":
        plan = compiled.cache.get(("plan", case.channel))
        if plan is None:
            plan = _plans.plan_for(compiled, case.channel)
        if plan:
            return plan.decide(case)
    return evaluate_reference(compiled, case, mode)


def evaluate_reference(compiled: CompiledRules, case: Case, mode: Mode = "check") -> Decision:
    """The reference evaluator: reads the rule model case by case, the specification the compiled plans
    are held to (it decides every review itself)."""
    if mode == "review" and case.decision is None:
        problem = Problem(
            case.id or "case", None, "a review needs a `decision` (outcome, grounds)", ("decision",), "missing-decision"
        )
        raise InputErrors([problem])
    # Every time on the office's clock; a timeline that cannot happen is never judged (the case loader
    # refuses it with lines; this guards a case built in code).
    case = case.with_accepted_at().in_zone(office_zone(compiled, case.channel))
    impossible = timeline_problems(case, compiled, case.id or "case")
    if impossible:
        raise InputErrors(impossible)
    handed_ids = frozenset(d.id for d in case.documents).union(
        *(compiled.satisfies.get(d.id, ()) for d in case.documents)
    )
    env = conditions.Env(case.facts, case.channel, handed_ids, lambda: False)
    ctx = Ctx(compiled, case, mode, env, evaluation_date(case))
    env.documents_missing = lambda: missing_documents(ctx)

    rules = compiled.rules
    if not (rules.in_force.start <= case.submitted_on <= rules.in_force.end):
        return decision_of(ctx, "not-in-force", [not_in_force(ctx)], [], [], None, [])

    findings = amended_after_case(ctx)
    channel = next(c for c in rules.channels if c.id == case.channel)
    # In a review these are the facts behind the decision, not the authority's faults: info only.
    pre: Severity = "error" if mode == "check" else "info"
    if channel.information_only:
        findings.append(
            finding(ctx, "channel-information-only", pre, ("channel", channel.id), [channel], "$.channel", "channel")
        )
    pending = intake.AuthorityPending()
    findings += intake.eligibility(ctx, pending)
    # Nothing is filed on an information-only channel, so there is no checklist there.
    checklist, document_findings = ([], []) if channel.information_only else intake.documents(ctx, pending)
    findings += document_findings
    if mode == "check":
        findings += intake.grounds_at_intake(ctx, pending)
        findings += intake.incomplete_consequences(ctx, checklist)
    else:
        judged = review_decision(ctx)
        # A question the review asks of the decision (a warning) is not asked again as the facts' note.
        asked = {(f.code, f.subject.kind, f.subject.id) for f in judged if f.severity == "warning"}
        findings = [f for f in findings if f.severity != "info" or (f.code, f.subject.kind, f.subject.id) not in asked]
        findings += judged
    # A file the officer does not accept starts no term of the service (only its visit's): one refused
    # for an incomplete set, or one handed in where or by whom the standard does not take it (a venue or
    # a submitter requirement: «делдал … тұлғалардан қабылдауға тыйым салынады», «жеке өзінің баруы арқылы»).
    venue = {r.id for r in rules.eligibility if r.kind in ("venue", "submitter")}
    refused_at_intake = next(
        (
            f
            for f in findings
            if f.code == "acceptance-refused" or (mode == "check" and f.code == "ineligible" and f.subject.id in venue)
        ),
        None,
    )
    not_accepted = refused_at_intake.citations[:1] if refused_at_intake is not None else None
    if mode == "review" and case.decision is not None and case.decision.outcome == "refused-acceptance":
        not_accepted = []
    terms, term_findings = evaluate_terms(ctx, not_accepted)
    findings += term_findings
    fee, fee_findings = (None, []) if channel.information_only else evaluate_fee(ctx)
    findings += fee_findings
    findings += evaluate_schedule(ctx)
    findings += pending.finding(ctx)
    verdict = verdict_of(mode, findings)
    if mode == "check":
        findings = fold_undeciding(ctx, verdict, findings)
    return decision_of(ctx, verdict, findings, checklist, terms, fee, papers_due(ctx, verdict, findings, checklist))


# A pre-check's verdicts in the order one overrides another, and the verdict each kind of open
# question could lead to once answered.
_VERDICT_RANK = {"ineligible": 3, "refuse": 2, "incomplete": 1}
_COULD_LEAD_TO = {"eligibility": 3, "ground": 2, "document": 1}


def fold_undeciding(ctx: Ctx, verdict: str, findings: list[Finding]) -> list[Finding]:
    """On a verdict already decided (ineligible, refuse, incomplete), the open questions whose answer
    cannot change it fold into one line naming their facts (`also-not-stated`), citing what they
    concern: a clerk who must refuse acceptance need not chase them now.

    An unknown eligibility fact is kept beside an incomplete set (the answer could make it ineligible);
    an unknown document condition beside a refusal is folded (it could make it incomplete, not better).
    """
    rank = _VERDICT_RANK.get(verdict)
    if rank is None:
        return findings
    folded = [f for f in findings if f.code == "needs-data" and _COULD_LEAD_TO.get(f.subject.kind, 0) <= rank]
    if not folded:
        return findings
    facts = sorted({fact for f in folded for fact in f.params["facts"].ids})  # type: ignore[union-attr]
    forms = sorted({d for f in folded if "forms_of" in f.params for d in f.params["forms_of"].ids})  # type: ignore[union-attr]
    params: dict[str, Param] = {"facts": build(RefsParam, type="refs", kind="fact", ids=facts)}
    if forms:
        params["forms_of"] = build(RefsParam, type="refs", kind="document", ids=forms)
    cited = sorted((c for f in folded for c in f.citations), key=lambda c: (_unit_key(c.unit), c.quote))
    one = finding(
        ctx,
        "also-not-stated",
        "info",
        ("standard", ctx.compiled.standard.slug),
        cited,
        "$.facts",
        None,
        params,
        sorted({n for f in folded for n in f.facts_needed}),
    )
    kept = [f for f in findings if not any(f is g for g in folded)]
    return [*kept, one]


def evaluation_date(case: Case) -> date:
    """The case's `evaluated_on`, else its latest event's day (office time) or the submission date."""
    if case.evaluated_on:
        return case.evaluated_on
    return max([case.submitted_on, *(_day(v) for v in case.events.values())])


def not_in_force(ctx: Ctx) -> Finding:
    rules, std = ctx.compiled.rules, ctx.compiled.standard
    params: dict[str, Param] = {
        "date": build(DateParam, type="date", value=ctx.case.submitted_on),
        "start": build(DateParam, type="date", value=rules.in_force.start),
        "end": build(DateParam, type="date", value=rules.in_force.end),
    }
    if std.repealed_by:
        params["repeal"] = build(DecreeParam, type="decree", number=std.repealed_by.number, date=std.repealed_by.date)
    return build(
        Finding,
        code="not-in-force",
        severity="error",
        subject=build(Subject, kind="standard", id=std.slug),
        params=params,
        citations=[],
        case_path="$.submitted_on",
        rule=build(
            RuleRef,
            file=ctx.compiled.rule_file or ctx.compiled.file,
            line=ctx.compiled.locate("in_force", "in_force").line,
            path="$.in_force",
        ),
        facts_needed=[],
    )


def amended_after_case(ctx: Ctx) -> list[Finding]:
    """Amendments later than the case, on paragraphs the rules rely on: the text then in force may differ."""
    compiled, std = ctx.compiled, ctx.compiled.standard
    # The same for every case submitted on one day (and severity, paths and citations depend on nothing
    # else): built once per day, shared (findings are immutable).
    key = ("amended-after", ctx.case.submitted_on)
    known = compiled.cache.get(key)
    if known is not None:
        return list(known)
    relied = compiled.cache.get("relied")
    if relied is None:
        relied = compiled.cache["relied"] = {
            parse_citation(i.cite).unit.split(".")[0] for _, i in iter_cited(compiled.rules)
        }
    out = []
    for am in std.amendments:
        if not (am.unit and am.unit.split(".")[0] in relied and am.decree.date > ctx.case.submitted_on):
            continue
        para = am.unit.split(".")[0]
        params: dict[str, Param] = {
            "unit": build(RefParam, type="ref", kind="unit", id=para),
            "decree": build(DecreeParam, type="decree", number=am.decree.number, date=am.decree.date),
            "date": build(DateParam, type="date", value=ctx.case.submitted_on),
        }
        cited = build(CitationRef, unit=para, quote=am.text)
        out.append(
            finding(
                ctx, "amended-after-case", "warning", ("amendment", am.unit), [cited], "$.submitted_on", params=params
            )
        )
    if len(compiled.cache) < CACHE_BOUND:
        compiled.cache[key] = tuple(out)
    return out


def verdict_of(mode: Mode, findings: list[Finding]) -> str:
    codes = {f.code for f in findings if f.severity == "error"}
    if mode == "review":
        if codes:
            return "unlawful"
        # A ground resting on another law cannot be confirmed from the standard: the reviewer must
        # establish it, so the refusal is not declared lawful.
        # A wording a small edit from a listed ground or document (*-unclear) is the reviewer's to settle too.
        # A fee demanded where the MCI is unknown cannot be found lawful either (mci-unknown).
        # A term whose end the case does not give, only another outcome (term-end-other-event), is open too.
        unsettled = (
            "needs-data",
            "ground-not-verifiable",
            "ground-unclear",
            "document-unclear",
            "mci-unknown",
            "term-end-other-event",
            "term-end-date-not-given",
            "term-start-not-given",
            "term-not-judged",
        )
        if any(f.code in unsettled and f.severity == "warning" for f in findings):
            return "needs-data"
        return "lawful"
    if "ineligible" in codes or "channel-information-only" in codes:
        return "ineligible"
    if codes & {"refusal-ground-applies", "suspension-ground-applies"}:
        return "refuse"
    if codes & {
        "document-missing",
        "document-wrong-form",
        "document-short",
        "document-expired",
        "fee-unpaid",
        "fee-underpaid",
    }:
        return "incomplete"
    # The duty cannot be measured where the MCI is unknown (mci-unknown): never an accept; nor can a
    # document whose form the case leaves out be taken as in order.
    open_questions = (
        "needs-data",
        "mci-unknown",
        "fee-payment-unstated",
        "document-form-unstated",
        "document-count-unstated",
        "document-date-unstated",
    )
    if any(f.code in open_questions and f.severity == "warning" for f in findings):
        return "needs-data"
    return "accept"


@functools.lru_cache(maxsize=4096)
def _unit_key(unit: str) -> tuple[tuple[int, str], ...]:
    return parse_citation(unit).sort_key()


def _sorted(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[Any, ...]:
        unit = _unit_key(f.citations[0].unit) if f.citations else ()
        return (_SEVERITY_RANK[f.severity], unit, f.code, f.subject.kind, f.subject.id, f.case_path)

    return sorted(findings, key=key)


def decision_of(
    ctx: Ctx,
    verdict: str,
    findings: list[Finding],
    checklist: list[Any],
    terms: list[Any],
    fee: Any,
    papers: list[PaperDue],
) -> Decision:
    compiled = ctx.compiled
    versions = compiled.cache.get("versions")  # the same for every case of the rule file
    if versions is None:
        versions = compiled.cache["versions"] = build(
            Versions,
            ereje=__version__,
            rules=compiled.rules_origin,
            standards=compiled.standards_origin,
            rules_file=compiled.rule_file or compiled.file,
            rules_sha256=compiled.sha256,
            standard_sha256=compiled.standard_sha256,
        )
    return build(
        Decision,
        kind=ctx.mode,
        standard=compiled.standard.slug,
        case=ctx.case.id,
        channel=ctx.case.channel,
        submitted_on=ctx.case.submitted_on,
        evaluated_on=ctx.on,
        verdict=verdict,
        findings=_sorted(findings),
        checklist=checklist,
        terms=terms,
        fee=fee,
        papers=papers,
        versions=versions,
    )


__all__ = ["Mode", "evaluate", "evaluate_reference", "validate_case"]

# The compiled plans build on this module's steps (imported last: it reads them at call time).
from validator.decision import compiled as _plans  # noqa: E402
