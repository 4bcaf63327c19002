"""The decision (шешім): what the evaluation of one case found, with no word of any language in it.

A `Decision` holds the verdict, the checklist, the terms, the fee and the findings. Each `Finding`
is a code, a severity, a subject, typed parameters (dates, amounts, ids, what the user typed —
never pre-formatted text), the case path, the rule location and one or more citations, the primary
first. The report stage (`validator.report`) turns a decision into text people read, in one
language; it needs nothing the decision does not hold, plus the compiled rules and the standard for
names and paragraph texts. A decision serialised to JSON and read back renders the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
CheckVerdict = Literal["accept", "incomplete", "ineligible", "refuse", "not-in-force", "needs-data"]
ReviewVerdict = Literal["lawful", "unlawful", "needs-data", "not-in-force"]
# How a document of the checklist stands (see validator.decision.context.fit).
ChecklistStatus = Literal[
    "handed-in",
    "missing",
    "wrong-form",
    "form-unstated",
    "short",
    "count-unstated",
    "expired",
    "date-unstated",
    "underpaid",  # the proof of payment shows less than the duty (or no payment at all)
    "if-authority-finds",
]
TermStatus = Literal[
    "kept",
    "breached",
    "running",
    "overdue",
    "not-started",
    "end-not-given",
    "not-known",
    "not-judged",
    "start-not-given",
]
SubjectKind = Literal[
    "document", "ground", "term", "fact", "fee", "eligibility", "channel", "standard", "amendment", "schedule"
]
# What a `ref` parameter names; the renderer looks its name up in the rules or the catalogue.
RefKind = Literal[
    "document", "ground", "term", "fact", "eligibility", "channel", "form", "ground-kind", "outcome", "unit", "event"
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


M = TypeVar("M", bound=BaseModel)


def build(cls: type[M], **fields: Any) -> M:
    """Construct a decision model from values the engine already typed, without re-validating them.

    Every field must be given (no defaults are filled in): this is pydantic's `model_construct`
    without its per-field default handling, which costs ~50x more. tests/test_properties.py
    validates built decisions against the models, so a wrong field cannot go unnoticed.
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    object.__setattr__(obj, "__pydantic_fields_set__", set(fields))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


# --- typed parameters of a finding ------------------------------------------------------------------


class DateParam(_Model):
    """A calendar day (rendered 06.05.2013)."""

    type: Literal["date"] = "date"
    value: date


class MomentParam(_Model):
    """A day and a clock time, the office's local time (rendered 06.05.2013 10:30)."""

    type: Literal["datetime"] = "datetime"
    value: datetime


class MoneyParam(_Model):
    """An amount in tenge (rendered 1 731 ₸)."""

    type: Literal["money"] = "money"
    value: float


class NumberParam(_Model):
    """A number: a percentage (100%), a year (2013, never grouped) or a plain count."""

    type: Literal["number"] = "number"
    value: float | int
    kind: Literal["plain", "percent", "year"] = "plain"


class RefParam(_Model):
    """Something the rules or the catalogue name: a document, a ground, a form, a unit of the standard…"""

    type: Literal["ref"] = "ref"
    kind: RefKind
    id: str


class RefsParam(_Model):
    """Several things of one kind (the facts a decision needs, the forms a document came in)."""

    type: Literal["refs"] = "refs"
    kind: RefKind
    ids: list[str]


class TextParam(_Model):
    """Text as the user typed it (a ground or document the rules do not know): quoted verbatim."""

    type: Literal["text"] = "text"
    value: str


class DecreeParam(_Model):
    """A decree (қаулы) by number and date: the one that amended or repealed the standard."""

    type: Literal["decree"] = "decree"
    number: str
    date: date


Param = Annotated[
    DateParam | MomentParam | MoneyParam | NumberParam | RefParam | RefsParam | TextParam | DecreeParam,
    Field(discriminator="type"),
]


# --- the parts of a decision ---------------------------------------------------------------------------


class CitationRef(_Model):
    """One unit of the decision's standard a finding rests on, and the excerpt of it the rule quotes."""

    unit: str
    quote: str


class Subject(_Model):
    kind: SubjectKind
    id: str


class RuleRef(_Model):
    """Where in the rule file the finding comes from: the file relative to the rules root, line, path."""

    file: str
    line: int | None
    path: str


class Finding(_Model):
    """One thing the evaluation found (анықталған жай): a stable code, what it is about, and its basis.

    `citations` lists the units it rests on, the primary first (the rule broken), then the basis it
    is measured against (the list, the requirement, the closed list of grounds).
    """

    code: str
    severity: Severity
    subject: Subject
    params: dict[str, Param] = Field(default_factory=dict)
    citations: list[CitationRef] = Field(default_factory=list)
    case_path: str
    rule: RuleRef | None = None
    facts_needed: list[str] = Field(default_factory=list)


class TermResult(_Model):
    """A term (мерзім) of this case: from which event, until when, and whether it was kept."""

    id: str
    duration: int
    unit: str
    start_event: str
    start: datetime | None
    end_event: str
    due: datetime | None
    ended: datetime | None
    status: TermStatus
    citation: CitationRef
    # Where the authority may extend the term (a pre-check cannot know it will): the latest due date,
    # and the extension that sets it.
    latest_due: datetime | None = None
    latest_citation: CitationRef | None = None
    # Where the case gives another event than the one the term ends at (a decision date for a term that
    # ends at the issue): which, and when.
    other_event: str | None = None
    other_on: datetime | None = None


class FeeResult(_Model):
    """The fee (төлем): free, or the state duty due on the day of payment."""

    kind: Literal["free", "state-duty"]
    mci_percent: float | None = None
    mci_value: float | None = None
    mci_law: str | None = None
    due_amount: float | None = None
    paid_amount: float | None = None
    paid_on: date | None = None
    citation: CitationRef


class ChecklistItem(_Model):
    """A document that applies to this case (құжат), and whether it was handed in."""

    id: str
    forms: list[str] | None
    handed_in: bool
    # wrong-form: handed in, not in a form allowed; form-unstated: handed in, the case does not say in which
    # form; if-authority-finds: required only if the authority finds what `facts` name (a clerk cannot know).
    status: ChecklistStatus
    cite: str
    facts: list[str] = Field(default_factory=list)


PaperPurpose = Literal["acceptance", "refusal-to-accept"]


class PaperDue(_Model):
    """A paper the officer hands the applicant (талон, қолхат): on accepting the documents, the channel's
    paper of the rule file (`id` its paper id); on refusing to accept an incomplete set, the receipt
    naming the missing documents (`id` the refuse-acceptance ground). `citation` is the sentence that
    prescribes it."""

    purpose: PaperPurpose
    id: str
    kind: Literal["talon", "tear-off-talon", "receipt", "portal-notice", "none"]
    citation: CitationRef


class Versions(_Model):
    """Which Ereje, rules and law a decision rests on: origins and hashes, never a path of the machine."""

    ereje: str
    rules: str  # the rule set in use: its origin and hash, e.g. "bundled 3f2a9c1b07de"
    standards: str  # the standards in use, likewise
    rules_file: str  # relative to the rules root
    rules_sha256: str
    standard_sha256: str


class Decision(_Model):
    """The outcome of `evaluate`: language-free, and all a report needs besides the rules' names and texts."""

    kind: Literal["check", "review"]
    standard: str
    case: str | None
    channel: str
    submitted_on: date
    evaluated_on: date
    verdict: str
    findings: list[Finding]
    checklist: list[ChecklistItem] = Field(default_factory=list)
    terms: list[TermResult] = Field(default_factory=list)
    fee: FeeResult | None = None
    papers: list[PaperDue] = Field(default_factory=list)
    versions: Versions

    def to_json(self) -> str:
        """The decision as stable JSON (the models' field order, ISO dates), read back by `Decision.from_json`."""
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Decision:
        return cls.model_validate_json(text)
