"""Terms on Kazakhstan's calendar: holidays, transferred days off, working Saturdays."""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from validator.decision.workdays import add_working_days, due, is_working_day, next_working_day, works_as


def test_transferred_day_off_and_working_saturday_2013() -> None:
    # Government decree: Saturday 12 Oct 2013 worked, Monday 14 Oct off; Kurban Ait on 15 Oct.
    assert is_working_day(date(2013, 10, 12))
    assert not is_working_day(date(2013, 10, 14))
    assert not is_working_day(date(2013, 10, 15))
    # From Thu 10 Oct: Fri 11 (1), Sat 12 (2, working), Wed 16 (3).
    assert add_working_days(date(2013, 10, 10), 3) == date(2013, 10, 16)


def test_weekend_holiday_gives_next_day_off() -> None:
    # Nauryz fell on Saturday 23 Mar 2013; Monday 25 Mar was a day off.
    assert not is_working_day(date(2013, 3, 25))


def test_calendar_term_ending_on_a_holiday_runs_to_next_working_day() -> None:
    # 30 calendar days from 2 Dec 2013 end on Wed 1 Jan 2014 (holiday), then 2, 3 Jan (holidays): Mon 6 Jan.
    end = due(datetime(2013, 12, 2, 10, 0), 30, "calendar-days")
    assert end.date() == date(2014, 1, 6)
    assert end.time() == time.max


def test_minutes_are_exact() -> None:
    assert due(datetime(2013, 5, 6, 9, 50), 20, "minutes") == datetime(2013, 5, 6, 10, 10)


def test_first_day_counts() -> None:
    assert add_working_days(date(2013, 10, 10), 1, first_day_counts=True) == date(2013, 10, 10)
    assert add_working_days(date(2013, 10, 10), 1) == date(2013, 10, 11)


@given(st.dates(min_value=date(2011, 1, 1), max_value=date(2014, 12, 1)), st.integers(min_value=1, max_value=30))
def test_working_day_terms_end_on_working_days_and_grow(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end) and end > start
    assert add_working_days(start, n + 1) > end
    assert next_working_day(end) == end


def test_month_terms_end_on_the_same_date_or_the_month_end() -> None:
    from validator.decision.workdays import add_months

    assert add_months(date(2013, 9, 2), 1) == date(2013, 10, 2)
    assert add_months(date(2013, 1, 31), 1) == date(2013, 2, 28)
    assert add_months(date(2013, 11, 30), 3) == date(2014, 2, 28)
    # 1 month from Mon 2 Dec 2013 ends Thu 2 Jan 2014, a holiday, so Mon 6 Jan 2014.
    assert due(datetime(2013, 12, 2, 9, 0), 1, "months").date() == date(2014, 1, 6)


def test_a_working_saturday_keeps_the_hours_of_the_day_off_it_replaces() -> None:
    # Decree of 2013: Saturday 12 Oct worked in place of Monday 14 Oct; Saturday 4 May in place of Friday 10 May.
    assert works_as(date(2013, 10, 12)) == date(2013, 10, 14)
    assert works_as(date(2013, 5, 4)) == date(2013, 5, 10)
    # An ordinary weekend day and a weekday are themselves.
    assert works_as(date(2013, 10, 13)) == date(2013, 10, 13)
    assert works_as(date(2013, 10, 16)) == date(2013, 10, 16)
