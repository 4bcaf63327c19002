"""Terms (мерзімдер) and the reception schedule: due dates in calendar or working days, and whether
the authority kept them. The counting rules are in the README ("How a term is counted")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from validator.decision import workdays
from validator.decision.context import Ctx, applies_on_channel, citation, finding, holds, needs_data
from validator.decision.model import (
    CitationRef,
    DateParam,
    Finding,
    MomentParam,
    Param,
    RefParam,
    Severity,
    TermResult,
    build,
)
from validator.rules.compiler import CompiledRules
from validator.rules.model import Cited, Term


def as_datetime(value: datetime | date) -> datetime:
    """A day term's moment: a date counts from its day (the clock time never matters to a day term)."""
    return value if isinstance(value, datetime) else datetime.combine(value, time(0, 0))


def _day_or_moment(value: datetime | date) -> Param:
    """An event as the case gives it: a moment where it has a clock time, else a day."""
    if isinstance(value, datetime):
        return build(MomentParam, type="datetime", value=value)
    return build(DateParam, type="date", value=value)


def _when(value: datetime, unit: str) -> Param:
    """A term in hours or minutes is due at a clock time; one in days, on a day."""
    if unit in ("hours", "minutes"):
        return build(MomentParam, type="datetime", value=value)
    return build(DateParam, type="date", value=value.date())


# The events of a visit to the office (a queue, the service at the desk): they happen even when the
# documents are not accepted. Every other term runs on an accepted file.
_VISIT = frozenset(
    {"queue_joined", "service_started", "service_ended", "collection_queue_joined", "collection_service_started"}
)
# The outcome events: a term ending at one of them, where the case gives another (a decision date for a
# term that ends at the issue), is judged only where the order of events settles it (`_by_order`).
_OUTCOMES = ("decided", "notified", "issued")
# The order events come in whatever the standard (the case loader refuses a case that breaks it, with
# each term's own from → to): a decision before its notice, a forwarding before the registration…
IN_ORDER = (
    ("queue_joined", "service_started"),
    ("service_started", "service_ended"),
    ("queue_joined", "service_ended"),
    ("collection_queue_joined", "collection_service_started"),
    ("registered", "decided"),
    ("decided", "notified"),
    ("decided", "issued"),
    # A centre forwards the file; the authority then receives and registers it.
    ("forwarded", "registered"),
    ("forwarded", "received"),
)


def with_consequences(direct: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs in order, then what follows from them (registered ≤ decided ≤ notified gives
    registered ≤ notified, which must hold even where the case leaves the decision out)."""
    out = list(dict.fromkeys(direct))
    known = set(out)
    grew = True
    while grew:
        grew = False
        for a, b in list(out):
            for c, d in list(out):
                if b == c and a != d and (a, d) not in known:
                    known.add((a, d))
                    out.append((a, d))
                    grew = True
    return out


# A term in these states, were it to apply, is no fault of the authority's.
_NOT_LATE = frozenset({"kept", "running"})  # not "not-started": a term with no start known may be late


def evaluate_terms(ctx: Ctx, not_accepted: list[CitationRef] | None = None) -> tuple[list[TermResult], list[Finding]]:
    """Every term of the case's channel, chained where one runs from another.

    The case's times are the office's local time (the case loader converted any offset). A term in
    hours or minutes is judged only on clock times: where its start or end event is a date without one,
    it is not judged (never kept or breached on an invented 00:00) and a `term-not-judged` note says so.
    A file not accepted (`not_accepted`: the citations of the refusal to accept it) starts no term but
    those of the visit.
    An ordinary term with extensions (`extends`) whose choice hangs only on what the authority will
    establish is shown with its ordinary and its latest due date (`_extended`).
    """
    results: dict[str, TermResult] = {}
    findings: list[Finding] = []
    events: dict[str, datetime | date] = {str(k): v for k, v in ctx.case.events.items()}
    events.setdefault("submitted", ctx.case.submitted_on)
    terms = [t for t in ctx.compiled.rules.terms if applies_on_channel(t.channels, ctx.case.channel)]
    if not_accepted is not None:
        stopped = [t for t in terms if not (t.start in _VISIT and t.end in _VISIT)]
        if stopped:
            subject = ("standard", ctx.compiled.standard.slug)
            cited: list[Cited | CitationRef | None] = [*not_accepted, *stopped]
            findings.append(finding(ctx, "terms-not-running", "info", subject, cited, "$.documents", "term"))
        terms = [t for t in terms if t not in stopped]
    extensions: dict[str, list[Term]] = {}
    for t in terms:
        if t.extends is not None:
            extensions.setdefault(t.extends, []).append(t)
    grouped = _grouped(ctx, terms, extensions)
    for term in terms:
        if term.id in grouped:
            if term.extends is None:
                result, extended = _extended(ctx, term, extensions[term.id], events, results)
                results[term.id] = result
                findings += extended
            continue
        value, unknown = holds(ctx, term.when)
        if value is None:
            # Which term applies hangs on a fact the case does not give: say so, do not skip silently.
            # In a review a term that could run (its start is in the case) may be the one the authority
            # broke: the verdict cannot be "lawful" while the facts choosing it are missing (a warning
            # makes it needs-data). A term with nothing to run from stays a note.
            could_run = term.start == "submitted" or term.start in ctx.case.events or term.start_fallback
            severity: Severity = "warning" if ctx.mode == "review" and could_run else "info"
            if severity == "warning":
                tentative, unclocked = _term_result(ctx, term, events, results)
                if tentative.status in _NOT_LATE and unclocked is None:
                    severity = "info"  # kept even if it applies: which term applies cannot change the review
            findings.append(needs_data(ctx, severity, ("term", term.id), term, "$.facts", "term", unknown))
        if value is not True:
            continue
        result, unclocked = _term_result(ctx, term, events, results)
        results[term.id] = result
        if unclocked is not None:
            path = f"$.events.{unclocked}"
            code = "term-end-not-recorded" if unclocked not in ctx.case.events else "term-not-judged"
            # A review cannot call a wait kept whose start and end the case gives only as days: the
            # reviewer must find the times (needs-data). An end not recorded at all stays a note.
            open_: Severity = "warning" if ctx.mode == "review" and code == "term-not-judged" else "info"
            findings.append(finding(ctx, code, open_, ("term", term.id), [term], path, "term"))
        found = _term_finding(ctx, term, result)
        if found is not None:
            findings.append(found)
    return list(results.values()), findings


def _grouped(ctx: Ctx, terms: list[Term], extensions: dict[str, list[Term]]) -> set[str]:
    """The ordinary terms (and their extensions) none of which is known to apply, where what is unknown
    is only what the authority establishes: no clerk can say which will run, so the report gives the
    ordinary due date and the latest one instead of a question."""
    from validator.decision.intake import by_authority  # intake builds on terms' neighbours; no cycle at import

    out: set[str] = set()
    for base in terms:
        exts = extensions.get(base.id)
        if base.extends is not None or not exts:
            continue
        values = [holds(ctx, t.when) for t in (base, *exts)]
        unknown = sorted({u for v, us in values if v is None for u in us})
        if values[0][0] is None and not any(v is True for v, _ in values) and by_authority(ctx, unknown):
            out.update(t.id for t in (base, *exts))
    return out


def _extended(
    ctx: Ctx, base: Term, exts: list[Term], events: dict[str, datetime | date], earlier: dict[str, TermResult]
) -> tuple[TermResult, list[Finding]]:
    """An ordinary term that the authority may extend, its choice unknown: the ordinary due date and the
    latest possible one, both cited. A review judges it where the choice cannot matter: done by the
    ordinary due date (kept whatever the authority chose), or after the latest (breached whatever it
    chose); in between it asks which term applied."""
    result, unclocked = _term_result(ctx, base, events, earlier)
    subject = ("term", base.id)
    if unclocked is not None or result.due is None:
        found = _term_finding(ctx, base, result)  # a start the case does not give: not known either way
        asked = needs_data(ctx, "info", subject, base, "$.facts", "term", _facts(ctx, base, exts))
        return result, [*([found] if found is not None else []), asked]
    latest, latest_term = result.due, base
    for ext in exts:
        r, _ = _term_result(ctx, ext, events, earlier)
        if r.due is not None and r.due > latest:
            latest, latest_term = r.due, ext
    result = result.model_copy(update={"latest_due": latest, "latest_citation": citation(ctx.compiled, latest_term)})
    due = result.due
    assert due is not None  # checked above, before the copy
    params: dict[str, Param] = {"due": _when(due, base.unit), "latest": _when(latest, latest_term.unit)}
    late: Severity = "error" if ctx.mode == "review" else "warning"
    path = f"$.events.{base.end}"
    if result.status in ("kept", "running"):
        found = _term_finding(ctx, base, result)
        if result.status == "running":
            found = finding(ctx, "term-due-latest", "info", subject, [base, latest_term], path, "term", params)
        return result, [found] if found is not None else []
    ended = result.ended
    if ended is not None and ended.date() > latest.date():
        params["ended"] = _when(ended, base.unit)
        return result, [finding(ctx, "term-breached-latest", late, subject, [base, latest_term], path, "term", params)]
    if ended is None and result.status == "overdue" and ctx.on > latest.date():
        params["on"] = build(DateParam, type="date", value=ctx.on)
        return result, [finding(ctx, "term-overdue-latest", late, subject, [base, latest_term], path, "term", params)]
    # Late by the ordinary term, in time by an extension: which applied decides it.
    result = result.model_copy(update={"status": "running" if ended is None else "not-known"})
    severity: Severity = "warning" if ctx.mode == "review" else "info"
    return result, [needs_data(ctx, severity, subject, base, "$.facts", "term", _facts(ctx, base, exts))]


def _facts(ctx: Ctx, base: Term, exts: list[Term]) -> list[str]:
    return sorted({u for t in (base, *exts) for u in holds(ctx, t.when)[1]})


def _term_result(
    ctx: Ctx, term: Term, events: dict[str, datetime | date], earlier: dict[str, TermResult]
) -> tuple[TermResult, str | None]:
    """The term's result, and the event that has no clock time where a term in hours or minutes needs one.

    A stage chained to an earlier one (`or_from_due_of`) starts at its own start event where the case
    gives it; else at the actual end of the earlier stage where the case gives that; else at the earlier
    stage's due date.
    """
    clocked = term.unit in ("hours", "minutes")
    given = events.get(term.start)
    start_event: str = term.start
    if clocked and term.start not in ctx.case.events:
        given = None  # `submitted_on` is a day: a term in minutes runs from `events.submitted` only
    start: datetime | None = None
    if given is not None:
        start = as_datetime(given)
    elif term.start_fallback is not None:
        # The previous stage's actual end counts even where which terms apply is unknown (it happened).
        before_end_event = _terms_by_id(ctx)[term.start_fallback].end
        before_end = events.get(before_end_event)
        before = earlier.get(term.start_fallback)
        if before_end is not None and (not clocked or isinstance(before_end, datetime)):
            start, start_event = as_datetime(before_end), before_end_event
        # A day term's due is the end of a day, not a clock time: it cannot start a term in minutes.
        elif before is not None and before.due is not None and (not clocked or before.unit in ("hours", "minutes")):
            start = before.due
    ended_given = events.get(term.end)
    unclocked = None
    if clocked:
        if given is not None and not isinstance(given, datetime):
            unclocked = term.start
        elif start is not None and ended_given is not None and not isinstance(ended_given, datetime):
            unclocked = term.end
    if unclocked is not None:
        across = _breached_across_days(ctx, term, given if given is not None else start, ended_given)
        if across is not None:
            return across, None
        return _result(ctx, term, None, None, None, "not-judged", start_event), unclocked
    if start is None and not clocked and ctx.mode == "review" and ended_given is not None:
        return _start_not_given(ctx, term, ended_given), None
    due = workdays.due(start, term.duration, term.unit, term.first_day_counts) if start else None
    ended = as_datetime(ended_given) if ended_given is not None else None
    if due is None:
        status = "not-started"
    elif ended is not None:
        # A term in hours or minutes is compared to the second the case gives (a report shows the
        # seconds where there are any); a term in days by the day.
        compare = ended if clocked else datetime.combine(ended.date(), time(0, 0))
        status = "kept" if compare <= due else "breached"
    elif not clocked and (settled := _by_order(ctx, term, due)) is not None:
        status, other = settled
        result = _result(ctx, term, start, due, None, status, start_event)
        on = as_datetime(ctx.case.events[other])  # type: ignore[index]
        return result.model_copy(update={"other_event": other, "other_on": on}), None
    elif not clocked and _happened_undated(ctx, term):
        # The decision under review is in the case, not its day: never "not done" (overdue). Kept where
        # the case is evaluated by the due date (it records nothing later), else not known.
        evaluated = ctx.case.evaluated_on
        status = "kept" if evaluated is not None and evaluated <= due.date() else "end-not-given"
        return _result(ctx, term, start, due, None, status, start_event), None
    elif clocked and datetime.combine(ctx.on, time(0, 0)) > due:
        # A wait or a service in minutes whose end was not recorded is not known to be overdue: the
        # evaluation date has no clock time, and an unrecorded end is not a late one.
        return _result(ctx, term, start, due, None, "not-started", start_event), term.end
    else:
        status = "overdue" if datetime.combine(ctx.on, time(0, 0)) > due else "running"
    return _result(ctx, term, start, due, ended, status, start_event), None


def _breached_across_days(
    ctx: Ctx, term: Term, began: datetime | date | None, ended: datetime | date | None
) -> TermResult | None:
    """A term in minutes or hours whose end falls on a day after the last day it could end, whatever the
    clock times the case leaves out (15 minutes from some moment of 19.02, ended on 21.02): breached,
    from the days alone. Otherwise None: without the times it cannot be judged."""
    if began is None or ended is None:
        return None
    step = timedelta(minutes=term.duration) if term.unit == "minutes" else timedelta(hours=term.duration)
    last_due = (began if isinstance(began, datetime) else datetime.combine(began, time(23, 59, 59))) + step
    ended_day = ended.date() if isinstance(ended, datetime) else ended
    if ended_day <= last_due.date():
        return None
    start = began if isinstance(began, datetime) else None  # a day is not a moment: no invented 00:00
    return _result(ctx, term, start, None, as_datetime(ended), "breached")


def _terms_by_id(ctx: Ctx) -> dict[str, Term]:
    found = ctx.compiled.cache.get("terms-by-id")
    if found is None:
        found = ctx.compiled.cache["terms-by-id"] = {t.id: t for t in ctx.compiled.rules.terms}
    return found


def _happened_undated(ctx: Ctx, term: Term) -> bool:
    """Whether the review's decision says the term's end event happened (a result issued or refused was
    decided; an issued one was issued) while the case gives no date for it."""
    decision = ctx.case.decision
    if ctx.mode != "review" or decision is None or term.end in ctx.case.events:
        return False
    if term.end == "decided":
        # A suspension (or a refusal to accept) is not the decision on the application: the term runs on.
        return decision.outcome in ("issued", "refused", "terminated")
    return term.end == "issued" and decision.outcome == "issued"


def _start_not_given(ctx: Ctx, term: Term, ended: datetime | date) -> TermResult:
    """A review of a term the case gives the end of but not the start (the day the documents reached
    the authority from a centre): counted from the earliest day it could have started — the latest
    event the case gives that must come before the start, else the submission — it is kept if it ended
    within the term even so; otherwise whether it was kept hangs on the start (start-not-given)."""
    events = ctx.case.events
    before = [a for a, b in _order(ctx) if b == term.start and a in events]
    days = [as_datetime(events[a]) for a in before]
    earliest = max(days, default=as_datetime(ctx.case.submitted_on))
    bound = workdays.due(earliest, term.duration, term.unit, term.first_day_counts)
    end = as_datetime(ended)
    if end.date() <= bound.date():
        return _result(ctx, term, None, bound, end, "kept")
    return _result(ctx, term, None, None, end, "start-not-given")


def event_order(compiled: CompiledRules, channel: str) -> list[tuple[str, str]]:
    """Every pair of events in the order they must come on a channel: `IN_ORDER` first, then each term's
    own from → to, then what follows from them (cached per channel; the case loader checks a case's
    timeline against it, and a term judged without its end event is settled by it)."""
    key = ("event-order", channel)
    pairs = compiled.cache.get(key)
    if pairs is None:
        own = [(t.start, t.end) for t in compiled.rules.terms if applies_on_channel(t.channels, channel)]
        pairs = compiled.cache[key] = with_consequences([*IN_ORDER, *own])
    return pairs


def _order(ctx: Ctx) -> list[tuple[str, str]]:
    return event_order(ctx.compiled, ctx.case.channel)


def _by_order(ctx: Ctx, term: Term, due: datetime) -> tuple[str, str] | None:
    """Where the case does not give the term's end but gives events that must come after or before it:
    the status the order settles, and the event it rests on. An event that must come after the end, on or
    before the due day, means the end was in time (kept); one that must come before it, after the due
    day, means the end was late (breached); an event after it otherwise, or an outcome before it (a
    decision date for a term that ends at the issue), leaves it not known (end-not-given). None: the
    case gives nothing that bears on it (the term runs, or is overdue)."""
    events = ctx.case.events

    def day(event: str) -> date:
        value = events[event]  # type: ignore[index]
        return value.date() if isinstance(value, datetime) else value

    pairs = _order(ctx)
    later = sorted((day(b), b) for a, b in pairs if a == term.end and b != term.start and b in events)
    earlier = sorted((day(a), a) for a, b in pairs if b == term.end and a != term.start and a in events)
    if later and later[0][0] <= due.date():
        return "kept", later[0][1]
    if earlier and earlier[-1][0] > due.date():
        return "breached", earlier[-1][1]
    if later:
        return "end-not-given", later[0][1]
    outcomes = [e for e in earlier if e[1] in _OUTCOMES]
    return ("end-not-given", outcomes[-1][1]) if outcomes else None


def _result(
    ctx: Ctx,
    term: Term,
    start: datetime | None,
    due: datetime | None,
    ended: datetime | None,
    status: str,
    start_event: str | None = None,
) -> TermResult:
    return build(
        TermResult,
        id=term.id,
        duration=term.duration,
        unit=term.unit,
        start_event=start_event or term.start,
        start=start,
        end_event=term.end,
        due=due,
        ended=ended,
        status=status,
        citation=citation(ctx.compiled, term),
        latest_due=None,
        latest_citation=None,
        other_event=None,
        other_on=None,
    )


def _term_finding(ctx: Ctx, term: Term, result: TermResult) -> Finding | None:
    late: Severity = "error" if ctx.mode == "review" else "warning"
    if result.due is None and result.status == "breached" and result.ended is not None:
        # Breached from the days alone (`_breached_across_days`): the days, as the case gives them.
        began: datetime | date = result.start or ctx.case.events.get(term.start) or ctx.case.submitted_on
        ended: datetime | date = ctx.case.events.get(term.end) or result.ended
        params_days: dict[str, Param] = {"start": _day_or_moment(began), "ended": _day_or_moment(ended)}
        path = f"$.events.{term.end}"
        return finding(ctx, "term-breached-across-days", late, ("term", term.id), [term], path, "term", params_days)
    if result.status == "start-not-given" and result.ended is not None:
        params_start: dict[str, Param] = {
            "start_event": build(RefParam, type="ref", kind="event", id=term.start),
            "ended": _when(result.ended, term.unit),
        }
        path = f"$.events.{term.start}"
        return finding(ctx, "term-start-not-given", "warning", ("term", term.id), [term], path, "term", params_start)
    if result.due is None:
        return None
    params: dict[str, Param] = {"due": _when(result.due, term.unit)}
    subject = ("term", term.id)
    if result.status == "end-not-given" and result.other_event is None:
        params["end_event"] = build(RefParam, type="ref", kind="event", id=term.end)
        path = f"$.events.{term.end}"
        return finding(ctx, "term-end-date-not-given", "warning", subject, [term], path, "term", params)
    if result.other_event is not None and result.other_on is not None:
        # The case gives another outcome than the term's end: say which and what follows from it.
        params["end_event"] = build(RefParam, type="ref", kind="event", id=term.end)
        params["given_event"] = build(RefParam, type="ref", kind="event", id=result.other_event)
        params["given"] = build(DateParam, type="date", value=result.other_on.date())
        path = f"$.events.{result.other_event}"
        code, severity = {
            "kept": ("term-kept-by-later-event", "info"),
            "breached": ("term-breached-by-earlier-event", late),
        }.get(result.status, ("term-end-other-event", "warning" if ctx.mode == "review" else "info"))
        if code == "term-kept-by-later-event" and ctx.mode == "check":
            return None
        return finding(ctx, code, severity, subject, [term], path, "term", params)
    if result.status == "breached":
        assert result.ended is not None
        params["ended"] = _when(result.ended, term.unit)
        return finding(ctx, "term-breached", late, subject, [term], f"$.events.{term.end}", "term", params)
    if result.status == "overdue":
        params["on"] = build(DateParam, type="date", value=ctx.on)
        return finding(ctx, "term-overdue", late, subject, [term], f"$.events.{term.end}", "term", params)
    if result.status == "kept" and ctx.mode == "review":
        return finding(ctx, "term-kept", "info", subject, [term], f"$.events.{term.end}", "term", params)
    if result.status == "running":
        return finding(ctx, "term-due", "info", subject, [term], f"$.events.{term.start}", "term", params)
    return None


def evaluate_schedule(ctx: Ctx) -> list[Finding]:
    """An application handed in outside the channel's reception hours (қабылдау кестесі).

    With a clock time, the hours of the day decide. A date alone has no time (it is never read as
    midnight), but a day with no reception at all (a holiday, a day off, a weekday without hours) is
    closed whatever the time: that the date alone proves."""
    submitted = ctx.case.events.get("submitted", ctx.case.submitted_on)
    out = []
    for sched in ctx.compiled.rules.schedules:
        if sched.channel != ctx.case.channel:
            continue
        day = submitted.date() if isinstance(submitted, datetime) else submitted
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[workdays.works_as(day).weekday()]
        hours = sched.hours.get(weekday, [])  # type: ignore[call-overload]
        holiday = sched.closed_on_holidays and workdays.holiday_name(day) is not None
        if not isinstance(submitted, datetime):
            if holiday or not hours:
                code = "outside-schedule-holiday" if holiday else "outside-schedule-closed-day"
                when_day = build(DateParam, type="date", value=day)
                path = "$.events.submitted" if "submitted" in ctx.case.events else "$.submitted_on"
                out.append(
                    finding(ctx, code, "warning", ("schedule", sched.channel), [sched], path, params={"when": when_day})
                )
            continue
        open_now = not holiday and any(
            _hhmm(h.split("-")[0]) <= submitted.time() < _hhmm(h.split("-")[1]) for h in hours
        )
        if not open_now:
            when = build(MomentParam, type="datetime", value=submitted)
            # Say why where it is a holiday or a transferred day off: a clerk reading only the hours of
            # a weekday would take the warning for a false alarm.
            code = "outside-schedule-holiday" if holiday else "outside-schedule"
            out.append(
                finding(
                    ctx,
                    code,
                    "warning",
                    ("schedule", sched.channel),
                    [sched],
                    "$.events.submitted",
                    params={"when": when},
                )
            )
    return out


def _hhmm(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m)) if int(h) < 24 else time(23, 59, 59)
