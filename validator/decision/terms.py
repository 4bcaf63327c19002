"""Terms (мерзімдер) and the reception schedule: due dates in calendar or working days, and whether
the authority kept them. The counting rules are in the README ("How a term is counted")."""

from __future__ import annotations

from datetime import date, datetime, time

from validator.decision import workdays
from validator.decision.context import Ctx, applies_on_channel, citation, finding, holds, needs_data
from validator.decision.model import (
    DateParam,
    Finding,
    MomentParam,
    Param,
    Severity,
    TermResult,
    build,
)
from validator.rules.model import Term


def as_datetime(value: datetime | date) -> datetime:
    """A day term's moment: a date counts from its day (the clock time never matters to a day term)."""
    return value if isinstance(value, datetime) else datetime.combine(value, time(0, 0))


def _when(value: datetime, unit: str) -> Param:
    """A term in hours or minutes is due at a clock time; one in days, on a day."""
    if unit in ("hours", "minutes"):
        return build(MomentParam, type="datetime", value=value)
    return build(DateParam, type="date", value=value.date())


def evaluate_terms(ctx: Ctx) -> tuple[list[TermResult], list[Finding]]:
    """Every term of the case's channel, chained where one runs from another's due date.

    The case's times are the office's local time (the case loader converted any offset). A term in
    hours or minutes is judged only on clock times: where its start or end event is a date without one,
    it is not judged (never kept or breached on an invented 00:00) and a `term-not-judged` note says so.
    """
    results: dict[str, TermResult] = {}
    findings: list[Finding] = []
    events: dict[str, datetime | date] = {str(k): v for k, v in ctx.case.events.items()}
    events.setdefault("submitted", ctx.case.submitted_on)
    for term in ctx.compiled.rules.terms:
        if not applies_on_channel(term.channels, ctx.case.channel):
            continue
        value, unknown = holds(ctx, term.when)
        if value is None:
            # Which term applies hangs on a fact the case does not give: say so, do not skip silently.
            # In a review a term that could run (its start is in the case) may be the one the authority
            # broke: the verdict cannot be "lawful" while the facts choosing it are missing (a warning
            # makes it needs-data). A term with nothing to run from stays a note.
            could_run = term.start == "submitted" or term.start in ctx.case.events or term.start_fallback
            severity: Severity = "warning" if ctx.mode == "review" and could_run else "info"
            findings.append(needs_data(ctx, severity, ("term", term.id), term, "$.facts", "term", unknown))
        if value is not True:
            continue
        result, unclocked = _term_result(ctx, term, events, results)
        results[term.id] = result
        if unclocked is not None:
            path = f"$.events.{unclocked}"
            code = "term-end-not-recorded" if unclocked not in ctx.case.events else "term-not-judged"
            findings.append(finding(ctx, code, "info", ("term", term.id), [term], path, "term"))
        found = _term_finding(ctx, term, result)
        if found is not None:
            findings.append(found)
    return list(results.values()), findings


def _term_result(
    ctx: Ctx, term: Term, events: dict[str, datetime | date], earlier: dict[str, TermResult]
) -> tuple[TermResult, str | None]:
    """The term's result, and the event that has no clock time where a term in hours or minutes needs one."""
    clocked = term.unit in ("hours", "minutes")
    given = events.get(term.start)
    if clocked and term.start not in ctx.case.events:
        given = None  # `submitted_on` is a day: a term in minutes runs from `events.submitted` only
    start: datetime | None = None
    if given is not None:
        start = as_datetime(given)
    elif term.start_fallback in earlier:
        before = earlier[term.start_fallback]
        # A day term's due is the end of a day, not a clock time: it cannot start a term in minutes.
        if not clocked or before.unit in ("hours", "minutes"):
            start = before.due
    ended_given = events.get(term.end)
    unclocked = None
    if clocked:
        if given is not None and not isinstance(given, datetime):
            unclocked = term.start
        elif start is not None and ended_given is not None and not isinstance(ended_given, datetime):
            unclocked = term.end
    if unclocked is not None:
        return _result(ctx, term, None, None, None, "not-started"), unclocked
    due = workdays.due(start, term.duration, term.unit, term.first_day_counts) if start else None
    ended = as_datetime(ended_given) if ended_given is not None else None
    if due is None:
        status = "not-started"
    elif ended is not None:
        # A term in hours or minutes is compared to the second the case gives (a report shows the
        # seconds where there are any); a term in days by the day.
        compare = ended if clocked else datetime.combine(ended.date(), time(0, 0))
        status = "kept" if compare <= due else "breached"
    elif clocked and datetime.combine(ctx.on, time(0, 0)) > due:
        # A wait or a service in minutes whose end was not recorded is not known to be overdue: the
        # evaluation date has no clock time, and an unrecorded end is not a late one.
        return _result(ctx, term, start, due, None, "not-started"), term.end
    else:
        status = "overdue" if datetime.combine(ctx.on, time(0, 0)) > due else "running"
    return _result(ctx, term, start, due, ended, status), None


def _result(
    ctx: Ctx, term: Term, start: datetime | None, due: datetime | None, ended: datetime | None, status: str
) -> TermResult:
    return build(
        TermResult,
        id=term.id,
        duration=term.duration,
        unit=term.unit,
        start_event=term.start,
        start=start,
        end_event=term.end,
        due=due,
        ended=ended,
        status=status,
        citation=citation(ctx.compiled, term),
    )


def _term_finding(ctx: Ctx, term: Term, result: TermResult) -> Finding | None:
    if result.due is None:
        return None
    params: dict[str, Param] = {"due": _when(result.due, term.unit)}
    late: Severity = "error" if ctx.mode == "review" else "warning"
    subject = ("term", term.id)
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
    """An application handed in outside the channel's reception hours (қабылдау кестесі)."""
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
            when = build(MomentParam, type="datetime", value=submitted)
            out.append(
                finding(
                    ctx,
                    "outside-schedule",
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
