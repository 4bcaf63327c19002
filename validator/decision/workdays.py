"""Counting terms (мерзім) on Kazakhstan's calendar.

The convention (README, "How a term is counted"; research in ../shared/research/terms.md):
- R1 a term in days runs from the day AFTER its start event, unless the rule says the first day
  counts (the standards' own «қабылдау күні … мерзімге кірмейді», «өтініш жасаған күннен кейінгі»);
- R2 a working day is Monday–Friday, except public holidays (Law of 13.12.2001 «Қазақстан
  Республикасындағы мерекелер туралы»), the day off that follows a holiday falling on a weekend,
  and days off the Government transferred; a Saturday the Government made a working day counts;
- R3 a calendar-day term whose last day is not a working day ends on the next working day;
- R5 hours and minutes are counted from the start event's clock time.
The holiday data comes from the `holidays` package (KZ, with the transfer decrees it cites).
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any

import holidays

from validator.rules.model import TermUnit


@functools.lru_cache(maxsize=1)
def _kz() -> Any:
    # The standards' years; other years are added by the package on first use (expand=True).
    # English names, pinned: `works_as` reads the substituted day off's label («Day off (substituted from …)»).
    return holidays.country_holidays("KZ", years=range(2010, 2016), language="en_US")


@functools.lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    return bool(_kz().is_working_day(day))


def holiday_name(day: date) -> str | None:
    name = _kz().get(day)
    return str(name) if name else None


@functools.lru_cache(maxsize=512)
def works_as(day: date) -> date:
    """The day whose office hours apply on `day`: itself, or, for a Saturday or Sunday the Government
    made a working day, the day off it was exchanged for (its work moves to the weekend day; a decree
    «демалыс күнін … ауыстыру туралы» binds every employer's schedule, so a reception schedule of
    Monday to Friday is open that Saturday with the hours of the Monday it replaces)."""
    kz = _kz()
    if day.weekday() < 5 or day not in kz.weekend_workdays:
        return day
    mark = day.strftime("%m/%d/%Y")  # the package's substituted_date_format in en_US
    for other, name in kz.items():
        if mark in str(name):
            return other  # type: ignore[no-any-return]
    return day


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int, first_day_counts: bool = False) -> date:
    """The n-th working day after `start` (or counting `start` itself when it is a working day)."""
    day = start
    count = 0
    if first_day_counts and is_working_day(day):
        count = 1
        if count == n:
            return day
    while count < n:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return day


def due(start: datetime, duration: int, unit: TermUnit, first_day_counts: bool = False) -> datetime:
    """The last moment a term allows: for day terms the end of the due day, else the exact instant."""
    if unit == "minutes":
        return start + timedelta(minutes=duration)
    if unit == "hours":
        return start + timedelta(hours=duration)
    return _due_day(start.date(), duration, unit, first_day_counts)


@functools.lru_cache(maxsize=8192)
def _due_day(start: date, duration: int, unit: TermUnit, first_day_counts: bool) -> datetime:
    """The end of the last day of a term in days or months from `start` (the same for every case started
    that day: kept, bounded)."""
    if unit == "working-days":
        last = add_working_days(start, duration, first_day_counts)
    elif unit == "months":
        last = next_working_day(add_months(start, duration))
    else:
        last = start + timedelta(days=duration - (1 if first_day_counts else 0))
        last = next_working_day(last)
    return datetime.combine(last, datetime.max.time())


def add_months(start: date, n: int) -> date:
    """The same date n months later, or the last day of that month (art. 12-1 p. 3 of Law No. 107-II)."""
    import calendar

    month = start.month - 1 + n
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    n = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            n += 1
    return n
