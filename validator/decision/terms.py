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
    return value if isinstance(value, datetime) else datetime.combine(value, time(0, 0))


def _when(value: datetime, unit: str) -> Param:
    """A term in hours or minutes is due at a clock time; one in days, on a day."""
    if unit in ("hours", "minutes"):
        return build(MomentParam, type="datetime", value=value)
    return build(DateParam, type="date", value=value.date())


def evaluate_terms(ctx: Ctx) -> tuple[list[TermResult], list[Finding]]:
    """Every term of the case's channel, chained where one runs from another's due date."""
    results: dict[str, TermResult] = {}
    findings: list[Finding] = []
    events: dict[str, datetime] = {k: as_datetime(v) for k, v in ctx.case.events.items()}
    events.setdefault("submitted", as_datetime(ctx.case.submitted_on))
    for term in ctx.compiled.rules.terms:
        if not applies_on_channel(term.channels, ctx.case.channel):
            continue
        value, unknown = holds(ctx, term.when)
        if value is None:
            # Which term applies hangs on a fact the case does not give: say so, do not skip silently.
            findings.append(needs_data(ctx, "info", ("term", term.id), term, "$.facts", "term", unknown))
        if value is not True:
            continue
        result = _term_result(ctx, term, events, results)
        results[term.id] = result
        found = _term_finding(ctx, term, result)
        if found is not None:
            findings.append(found)
    return list(results.values()), findings


def _term_result(ctx: Ctx, term: Term, events: dict[str, datetime], earlier: dict[str, TermResult]) -> TermResult:
    start = events.get(term.start)
    if start is None and term.start_fallback in earlier:
        start = earlier[term.start_fallback].due
    clocked = term.unit in ("hours", "minutes")
    if clocked and start is not None and not isinstance(ctx.case.events.get(term.start), datetime):
        start = None  # a date without a clock time cannot start a term in minutes
    due = workdays.due(start, term.duration, term.unit, term.first_day_counts) if start else None
    ended = events.get(term.end)
    if due is None:
        status = "not-started"
    elif ended is not None:
        # Compared at the precision shown: minutes for a term in hours or minutes, days otherwise.
        compare = ended.replace(second=0, microsecond=0) if clocked else datetime.combine(ended.date(), time(0, 0))
        status = "kept" if compare <= due else "breached"
    else:
        status = "overdue" if datetime.combine(ctx.on, time(0, 0)) > due else "running"
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
