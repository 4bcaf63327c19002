"""An application case (өтініш ісі): what was handed in, when, and — for a review — what was decided."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

from validator.rules.model import EVENTS, DocumentForm, Event, Scalar

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]

# Dates and times are ISO 8601 text, and nothing else: 2013-04-01 is a date; 2013-04-01T10:30 a
# date and a clock time (seconds optional), with an optional offset (Z, +06:00). A bare number or a
# string of digits ("20131115") is never read as a Unix timestamp, a space is not a `T`, and a date
# stays a date: it is never given an invented clock time of 00:00.
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)  # ASCII digits only (not ٢٠١٣)
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?", re.ASCII)
DATE_EXAMPLE = "an ISO date such as 2013-04-01"
MOMENT_EXAMPLE = (
    "an ISO date (2013-04-01) or date and time (2013-04-01T10:30, seconds and an offset such as +06:00 optional)"
)

# The standards run 2011–2014; anything outside 1900–2100 is a typo, and year 9999 would overflow
# term arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 2100


def _in_range(value: date) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError(f"the offset {text} is beyond ±14:00")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_day(value: object) -> date:
    """An ISO date (2013-04-01), and nothing else; ValueError says what would be right."""
    if isinstance(value, date) and not isinstance(value, datetime):
        _in_range(value)
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected {DATE_EXAMPLE} as text, got {value!r}")
    m = _DATE.fullmatch(value)
    if m is None:
        if _DATETIME.fullmatch(value):
            raise ValueError(f"expected a date without a clock time, {DATE_EXAMPLE}; got {value!r}")
        raise ValueError(f"{value!r} is not a valid date; expected {DATE_EXAMPLE}")
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as e:
        raise ValueError(f"{value!r} is not a valid date ({e}); expected {DATE_EXAMPLE}") from None
    _in_range(day)
    return day


def parse_moment(value: object) -> datetime | date:
    """An ISO date, or an ISO date and clock time with an optional offset; ValueError says what would be right.

    A date stays a `date` (it has no clock time); a date and time is a `datetime`, aware when it has an
    offset (the case loader converts it to the office's local time, see `Case.in_zone`).
    """
    if isinstance(value, datetime):
        _in_range(value)
        return value
    if isinstance(value, date):
        return parse_day(value)
    if not isinstance(value, str):
        raise ValueError(f"expected {MOMENT_EXAMPLE} as text, got {value!r}")
    if _DATE.fullmatch(value):
        return parse_day(value)
    m = _DATETIME.fullmatch(value)
    if m is None:
        raise ValueError(f"{value!r} is not a valid date or date-time; expected {MOMENT_EXAMPLE}")
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
        clock = time(int(m[4]), int(m[5]), int(m[6] or 0))
        tz = _offset(m[7]) if m[7] else None
    except ValueError as e:
        raise ValueError(f"{value!r} is not a valid date-time ({e}); expected {MOMENT_EXAMPLE}") from None
    _in_range(day)
    return datetime.combine(day, clock, tz)


def local(value: datetime | date, zone: tzinfo) -> datetime | date:
    """A time with an offset converted to the office's local time (`zone`) and made naive; anything
    else as it is (a naive time is already local; a date has no clock time)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def _finite(value: Any) -> float:
    # The schema says number for amounts: neither `false` nor "1731" may become a number silently,
    # and neither infinity nor an absurd amount may count as paid.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected an amount in tenge (a number), got {value!r}")
    if not math.isfinite(value) or not 0 <= value <= MAX_AMOUNT:
        raise ValueError(f"an amount is between 0 and {MAX_AMOUNT:,} tenge".replace(",", " ") + f", got {value!r}")
    return float(value) or 0.0  # -0.0 (a JSON artefact) is the amount 0: never shown as "-0"


# An amount of tenge: finite, 0 ≤ x ≤ 10^12 (a trillion tenge is beyond any fee or benefit).
MAX_AMOUNT = 10**12

Day = Annotated[date, PlainValidator(parse_day), WithJsonSchema({"type": "string", "format": "date"})]
Moment = Annotated[
    datetime | date,
    PlainValidator(parse_moment),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}),
]
Tenge = Annotated[
    float,
    PlainValidator(_finite),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": MAX_AMOUNT}),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HandedDocument(_Model):
    """A document handed in, and in which form; how many (photographs) and when it was issued, where the
    text asks for a count or a validity."""

    id: Id
    form: DocumentForm | None = None
    count: Annotated[int, Strict()] | None = Field(
        default=None, ge=1, le=1000, description="How many were handed in (e.g. 2 photographs): a whole number."
    )
    issued_on: Day | None = Field(default=None, description="The day the document was issued or drawn up.")


class Payment(_Model):
    amount: Tenge = Field(description="Tenge: 0 to 10^12.")
    date: Day


class Decision(_Model):
    """What the authority decided, for a review (шағымды қарау)."""

    outcome: Literal["issued", "refused", "suspended", "refused-acceptance", "terminated"]
    grounds: list[str] = Field(
        default_factory=list, description="The grounds the authority gave: ground ids of the rule file, or text."
    )
    demanded_documents: list[str] = Field(
        default_factory=list, description="Documents the authority demanded: document ids, or text."
    )
    demanded_fee: Tenge | None = Field(default=None, description="A fee the authority demanded, tenge: 0 to 10^12.")


# Characters a line printed on a paper may not hold: control characters (a NUL, a line break: one line is
# one line), and the bidirectional controls that reorder what is printed (a name shown reversed on a signed
# paper is a forgery risk); and a line must show something (not only spaces or zero-width characters).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*")


def _paper_line(value: str) -> str:
    bad = _UNPRINTABLE.search(value)
    if bad:
        raise ValueError(
            f"U+{ord(bad.group()):04X} cannot be printed on a paper (a control or direction character); "
            "give the text as it is written, on one line"
        )
    if _INVISIBLE.fullmatch(value):
        raise ValueError("the line is empty (only spaces or invisible characters): leave it out to get a blank line")
    return value


_Line = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_paper_line)]


class PaperDetails(_Model):
    """What a paper (талон, қолхат) or a review's conclusion carries that the decision does not hold, as
    the clerk or the reviewer fills it in: the talon's number, the officer who accepted the documents, the
    applicant, the representative, their phones, the place the result is handed over, the reviewer who
    signs a conclusion, and the time of acceptance where the submission has only a date. Whatever is left
    out the paper leaves blank, to be filled in by hand."""

    number: Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(_paper_line)] | None = None
    officer: _Line | None = Field(default=None, description="The officer who accepted the documents.")
    applicant: _Line | None = None
    representative: _Line | None = None
    phones: _Line | None = None
    result_place: _Line | None = Field(default=None, description="Where the result is handed over.")
    reviewer: _Line | None = Field(default=None, description="Who reviewed the complaint (signs a conclusion).")
    accepted_at: Annotated[str, StringConstraints(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$")] | None = Field(
        default=None,
        description="The clock time of acceptance, HH:MM, where `events.submitted` gives only the day (or is "
        "absent): read as the submission's time by the terms and the reception schedule, and printed on the "
        "papers. Refused beside a submission that has its time.",
    )


class Expectation(_Model):
    """What an example case must give: the verdict, and findings (code + citation) that must appear."""

    verdict: str
    findings: list[ExpectedFinding] = Field(default_factory=list)
    exhaustive: Annotated[bool, Strict()] = Field(
        default=True, description="No error or warning findings other than those listed."
    )


class ExpectedFinding(_Model):
    code: str
    cite: str | None = None
    subject: str | None = None


class Case(_Model):
    """One case: the standard, the channel, the date, facts, documents, payment, events, decision."""

    schema_: str | None = Field(default=None, alias="$schema")
    id: str | None = None
    description: str | None = None
    standard: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
    channel: Id
    submitted_on: Day
    evaluated_on: Day | None = Field(
        default=None, description="The date of the evaluation (for terms still running); never the clock."
    )
    facts: dict[Id, Scalar | None] = Field(default_factory=dict)
    documents: list[HandedDocument] = Field(default_factory=list)
    payment: Payment | None = None
    events: dict[Event, Moment] = Field(default_factory=dict)
    decision: Decision | None = None
    paper: PaperDetails | None = Field(
        default=None, description="What the papers carry that the decision does not: number, officer, names, phones."
    )
    expect: dict[Literal["check", "review"], Expectation] = Field(
        default_factory=dict, description="For example cases: what `check` and `review` must give."
    )

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def document_ids(self) -> set[str]:
        return {d.id for d in self.documents}

    def with_accepted_at(self) -> Case:
        """The case with `paper.accepted_at` as the submission's clock time where the events give only its
        day, or none: the time of acceptance is a fact the terms and the reception schedule read wherever
        the case gives it. (Beside a submission with its own time it is refused by the case loader.)"""
        at = self.paper.accepted_at if self.paper is not None else None
        submitted = self.events.get("submitted")
        if at is None or isinstance(submitted, datetime):
            return self
        day = submitted if submitted is not None else self.submitted_on
        moment = datetime.combine(day, time(int(at[:2]), int(at[3:])))
        return self.model_copy(update={"events": {**self.events, "submitted": moment}})

    def in_zone(self, zone: tzinfo) -> Case:
        """The case with every time that has an offset converted to the office's local time (`zone`)
        and made naive: then every time of the case is on one clock. Itself when there is none."""
        if not any(isinstance(v, datetime) and v.tzinfo is not None for v in self.events.values()):
            return self
        return self.model_copy(update={"events": {k: local(v, zone) for k, v in self.events.items()}})


__all__ = [
    "EVENTS",
    "MAX_AMOUNT",
    "Case",
    "Decision",
    "Expectation",
    "HandedDocument",
    "PaperDetails",
    "Payment",
    "local",
    "parse_day",
    "parse_moment",
]

Expectation.model_rebuild()
Case.model_rebuild()
