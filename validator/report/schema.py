"""The JSON report's shape, as the service documents it (OpenAPI) and a test holds every report to.

The renderer writes plain dicts (faster than building models); these models only describe them.
A rendered field is a string in the requested language, or an object of all three with `lang: all`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from validator.decision.model import ChecklistStatus, Param, RuleRef, Severity, TermStatus, Versions


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Localized(_Model):
    kk: str
    ru: str
    en: str


Rendered = str | Localized


class CitationJson(_Model):
    standard: str
    unit: str
    paragraph: str | None
    subparagraph: str | None
    label: Rendered
    label_kk: str
    text: str
    quote: str


class SubjectJson(_Model):
    kind: str
    id: str
    name: Rendered


class FindingJson(_Model):
    code: str
    severity: Severity
    severity_label: Rendered
    subject: SubjectJson
    params: dict[str, Param]
    message: Rendered
    citations: list[CitationJson]
    case_path: str
    rule: RuleRef | None
    facts_needed: list[str]


class AlternativeJson(_Model):
    id: str
    name: Rendered


class ChecklistItemJson(_Model):
    id: str
    name: Rendered
    alternatives: list[AlternativeJson]  # what the list item takes instead («не», «немесе»)
    forms: list[str] | None
    forms_label: Rendered | None
    handed_in: bool
    status: ChecklistStatus
    status_label: Rendered
    facts: list[str]
    cite: str
    cite_label: Rendered


class TermJson(_Model):
    id: str
    name: Rendered
    duration: int
    unit: str
    duration_label: Rendered
    start_event: str
    start: str | None
    end_event: str
    due: str | None
    ended: str | None
    status: TermStatus
    status_label: Rendered
    citation: CitationJson
    latest_due: str | None
    latest_citation: CitationJson | None
    other_event: str | None
    other_event_label: Rendered | None
    other_on: str | None


class FeeJson(_Model):
    kind: Literal["free", "state-duty"]
    mci_percent: float | None
    mci_value: float | None
    mci_law: str | None
    due_amount: float | None
    paid_amount: float | None
    paid_on: str | None
    label: Rendered
    citation: CitationJson


class PaperJson(_Model):
    """A paper the officer hands over (талон, қолхат): print it with `?paper=` / `--paper`."""

    purpose: Literal["acceptance", "refusal-to-accept"]
    id: str
    kind: Literal["talon", "tear-off-talon", "receipt", "portal-notice", "none"]
    name: Rendered
    citation: CitationJson


class ReportJson(_Model):
    """The report of `ereje check|review --format json` and of POST /check and /review (schema_version 2)."""

    schema_version: Literal[2]
    lang: Literal["kk", "ru", "en", "all"]
    kind: Literal["check", "review"]
    standard: str
    standard_name: Rendered
    case: str | None
    channel: str
    channel_name: Rendered
    submitted_on: str
    evaluated_on: str
    verdict: str
    verdict_label: Rendered
    findings: list[FindingJson]
    checklist: list[ChecklistItemJson]
    terms: list[TermJson]
    fee: FeeJson | None
    papers: list[PaperJson]
    versions: Versions


def check_report(data: dict[str, Any]) -> ReportJson:
    """Validate a rendered report against the documented shape (used by tests)."""
    return ReportJson.model_validate(data)
