"""The report (қорытынды): the verdict, the findings with their citations, terms, fee, versions.

This is the output contract shared by the CLI, the HTTP service and the golden files; its JSON is
stable (sorted findings, no clock, no hash order).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
CheckVerdict = Literal["accept", "incomplete", "ineligible", "refuse", "not-in-force", "needs-data"]
ReviewVerdict = Literal["lawful", "unlawful", "needs-data", "not-in-force"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


M = TypeVar("M", bound=BaseModel)


def build(cls: type[M], **fields: Any) -> M:
    """Construct a report model from values the engine already typed, without re-validating them.

    Every field must be given (no defaults are filled in): this is pydantic's `model_construct`
    without its per-field default handling, which costs ~50x more. tests/test_properties.py
    validates built reports against the models, so a wrong field cannot go unnoticed.
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    object.__setattr__(obj, "__pydantic_fields_set__", set(fields))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class Messages(_Model):
    kk: str
    ru: str
    en: str


class CitationRef(_Model):
    """Where a finding comes from in the law: standard, unit, and the unit's own Kazakh text."""

    standard: str
    unit: str
    paragraph: str | None
    subparagraph: str | None
    label_kk: str
    text: str
    quote: str


class Subject(_Model):
    kind: Literal[
        "document", "ground", "term", "fact", "fee", "eligibility", "channel", "standard", "amendment", "schedule"
    ]
    id: str


class RuleRef(_Model):
    file: str
    line: int | None
    path: str


class Finding(_Model):
    """One thing the evaluation found, with a stable code and the paragraph it rests on."""

    code: str
    severity: Severity
    subject: Subject
    message: Messages
    citation: CitationRef | None = None
    case_path: str
    rule: RuleRef | None = None
    facts_needed: list[str] = Field(default_factory=list)


class TermResult(_Model):
    id: str
    name: Messages
    duration: int
    unit: str
    start_event: str
    start: datetime | None
    end_event: str
    due: datetime | None
    ended: datetime | None
    status: Literal["kept", "breached", "running", "overdue", "not-started"]
    citation: CitationRef


class FeeResult(_Model):
    kind: Literal["free", "state-duty"]
    mci_percent: float | None = None
    mci_value: float | None = None
    mci_law: str | None = None
    due_amount: float | None = None
    paid_amount: float | None = None
    paid_on: date | None = None
    citation: CitationRef


class ChecklistItem(_Model):
    """A document that applies to this case, and whether it was handed in."""

    id: str
    name: Messages
    forms: list[str] | None
    handed_in: bool
    cite: str


class Versions(_Model):
    ereje: str
    rules_file: str
    rules_sha256: str
    standard_sha256: str


class Report(_Model):
    kind: Literal["check", "review"]
    standard: str
    case: str | None
    channel: str
    submitted_on: date
    verdict: str
    findings: list[Finding]
    checklist: list[ChecklistItem] = Field(default_factory=list)
    terms: list[TermResult] = Field(default_factory=list)
    fee: FeeResult | None = None
    versions: Versions
