"""Which days a due date (соңғы күн) passed over, so a clerk can see why it falls where it does.

A term counted in working days steps over the public holidays and the days off the Government
transferred (README, "How a term is counted", R2); a term in calendar days or months whose last day is
not a working day moves to the next one (R3, R4). A clerk who tells the applicant "come on the 13th"
must be able to say why not the 9th: these are the days, from the term's start and due date, on the
project's calendar (`validator.decision.workdays`). Nothing here is a word of any language: a holiday
is an id (`victory-day`), a transferred day off names the weekend day worked instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from validator.decision import workdays
from validator.decision.model import Decision
from validator.rules.compiler import CompiledRules
from validator.rules.model import TermUnit

# holiday: a public holiday (мереке) on a working weekday; observed: the day off after a holiday that fell on
# a weekend (Law «Қазақстан Республикасындағы мерекелер туралы», art. 5); transferred: a day off a decree
# moved from a weekend day that was worked instead; weekend: a Saturday or Sunday (only where a calendar
# term's last day moved past it).
SkipKind = Literal["holiday", "observed", "transferred", "weekend"]

# The holidays package's English names (the calendar is pinned to en_US) → language-free ids.
HOLIDAY_IDS = {
    "New Year's Day": "new-year",
    "Orthodox Christmas": "orthodox-christmas",
    "International Women's Day": "womens-day",
    "Nowruz Holiday": "nauryz",
    "Kazakhstan's People Solidarity Holiday": "unity-day",
    "Defender of the Fatherland Day": "defender-day",
    "Victory Day": "victory-day",
    "Capital Day": "capital-day",
    "Constitution Day": "constitution-day",
    "Eid al-Adha": "kurban-ait",
    "First President Day": "first-president-day",
    "Independence Day": "independence-day",
}
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")
_DAY_UNITS = ("working-days", "calendar-days", "months")


@dataclass(frozen=True)
class SkippedDay:
    """A day the count passed over: what kind of day off, the holiday (its id), the weekend day worked."""

    day: date
    kind: SkipKind
    holiday: str | None = None
    worked_on: date | None = None


@dataclass(frozen=True)
class DueDate:
    """A term's due date and the days off it stepped over (`nominal`: the last day a calendar or month term
    would have ended on, had it been a working day)."""

    term: str
    unit: str
    start: date
    due: date
    nominal: date | None
    skipped: list[SkippedDay] = field(default_factory=list)
    worked: list[date] = field(default_factory=list)


def holiday_id(name: str) -> str:
    """The id of a holiday by the calendar's English name (an unknown one by its name, as an id)."""
    base = name.split(";")[0].replace("(observed)", "").strip()
    return HOLIDAY_IDS.get(base) or re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")


def day_off(day: date) -> SkippedDay:
    """What kind of day off `day` is, on the project's calendar (a day that is not a working day)."""
    name = workdays.holiday_name(day)
    if name is None:
        return SkippedDay(day, "weekend")
    moved = _SUBSTITUTED.search(name)
    if moved:
        month, dom, year = (int(g) for g in moved.groups())
        return SkippedDay(day, "transferred", worked_on=date(year, month, dom))
    kind: SkipKind = "observed" if "(observed)" in name else "holiday"
    return SkippedDay(day, kind, holiday_id(name))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def skipped_days(start: date, due: date, duration: int, unit: TermUnit, first_day_counts: bool = False) -> DueDate:
    """The days off a term from `start` to `due` stepped over: for working days, every holiday or day off
    on a weekday it did not count (weekends go without saying) and the weekend days it counted as worked;
    for calendar days and months, the days off its last day moved past."""
    if unit == "working-days":
        first = start if first_day_counts else start + timedelta(days=1)
        days = _days(first, due)
        skipped = [day_off(d) for d in days if d.weekday() < 5 and not workdays.is_working_day(d)]
        worked = [d for d in days if d.weekday() >= 5 and workdays.is_working_day(d)]
        return DueDate("", unit, start, due, None, skipped, worked)
    if unit == "months":
        nominal = workdays.add_months(start, duration)
    else:
        nominal = start + timedelta(days=duration - (1 if first_day_counts else 0))
    skipped = [day_off(d) for d in _days(nominal, due - timedelta(days=1))]
    return DueDate("", unit, start, due, nominal, skipped)


def due_dates(compiled: CompiledRules, decision: Decision) -> list[DueDate]:
    """Each term of the decision counted in days that has a start and a due date, with the days it skipped."""
    rules = {t.id: t for t in compiled.rules.terms}
    out = []
    for result in decision.terms:
        term = rules.get(result.id)
        if term is None or result.unit not in _DAY_UNITS or result.start is None or result.due is None:
            continue
        start = result.start.date() if isinstance(result.start, datetime) else result.start
        found = skipped_days(start, result.due.date(), term.duration, term.unit, term.first_day_counts)
        out.append(DueDate(result.id, found.unit, found.start, found.due, found.nominal, found.skipped, found.worked))
    return out


__all__ = ["HOLIDAY_IDS", "DueDate", "SkippedDay", "day_off", "due_dates", "holiday_id", "skipped_days"]
