"""An application case (өтініш ісі): what was handed in, when, and — for a review — what was decided."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

from validator.rules.model import EVENTS, DocumentForm, Event, Scalar

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]


def _iso_text(value: object) -> object:
    # Dates are written as text (2013-04-01, 2013-04-01T10:00); a bare number is not silently read
    # as a Unix timestamp.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("expected a date as text, e.g. 2013-04-01 (or 2013-04-01T10:00)")
    return value


def _in_range(value: date) -> date:
    # The standards run 2011–2014; anything outside 1900–2100 is a typo, and year 9999 would
    # overflow term arithmetic.
    if not 1900 <= value.year <= 2100:
        raise ValueError("the year must be between 1900 and 2100")
    return value


Day = Annotated[date, BeforeValidator(_iso_text), AfterValidator(_in_range)]
Moment = Annotated[datetime | date, BeforeValidator(_iso_text), AfterValidator(_in_range)]
# The schema says number for amounts: neither `false` nor "1731" may become a number silently.
Tenge = Annotated[float, Strict()]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HandedDocument(_Model):
    """A document handed in, and in which form."""

    id: Id
    form: DocumentForm | None = None


class Payment(_Model):
    amount: Tenge = Field(ge=0, description="Tenge.")
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
    demanded_fee: Tenge | None = Field(default=None, ge=0, description="A fee the authority demanded, tenge.")


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
    expect: dict[Literal["check", "review"], Expectation] = Field(
        default_factory=dict, description="For example cases: what `check` and `review` must give."
    )

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def document_ids(self) -> set[str]:
        return {d.id for d in self.documents}


__all__ = ["EVENTS", "Case", "Decision", "Expectation", "HandedDocument", "Payment"]

Expectation.model_rebuild()
Case.model_rebuild()
