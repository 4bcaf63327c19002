"""The rule model: what a rule file (`rules/<slug>.yaml`) states about one standard.

Every item that carries law carries `cite` (a unit id of the standard: "11.3") and `quote`
(a short verbatim Kazakh excerpt that must be found in that unit). The JSON Schema published in
`validator/schemas/rule-file.schema.json` is generated from these models.

Conditions (`when`) are data, never code: `all` / `any` / `not` over comparisons of declared
facts, the channel and the documents handed in. They are evaluated with three values (true, false,
unknown): a condition that needs a fact the case does not give is unknown, never a silent pass.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from validator.rules.zones import zone_problem

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
# A shared vocabulary lives in rules/_shared/: no other path can be named (no '..', no absolute path).
SharedPath = Annotated[str, StringConstraints(pattern=r"^_shared/[a-z0-9][a-z0-9_-]*\.yaml$", max_length=120)]
CiteStr = Annotated[str, StringConstraints(min_length=1, max_length=40)]
QuoteStr = Annotated[str, StringConstraints(min_length=3, max_length=600)]
# Another wording a decision may use for a ground, a requirement or a document (the annex form's, say).
AliasStr = Annotated[str, StringConstraints(min_length=1, max_length=600)]
ALIASES_DESCRIPTION = (
    "Other wordings a decision may use for it (e.g. the annex form's); matched like its id and names: "
    "ignoring case, spacing, invisible characters and Latin look-alike letters. Unique within the file."
)


class _Model(BaseModel):
    # strict: no coercion ("yes" is not true, "10" is not 10), so whatever the model accepts the published
    # schema accepts too; dates are the one exception (YAML keeps them as text for the model to read).
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class Text(_Model):
    """A label in the three languages of the report (kk is the legal one)."""

    kk: str
    ru: str
    en: str


class Cited(_Model):
    """Anything that states law: the unit it comes from and a verbatim excerpt of it."""

    cite: CiteStr = Field(description="Unit id of the standard: '11', '11.3', '7.1.а', '11.u1', 'annex-2'.")
    quote: QuoteStr = Field(description="A short verbatim Kazakh excerpt found in the cited unit.")


class Citing(Cited):
    """An optional reading note: why the text was read this way (shown by `ereje lint`)."""

    note: str | None = Field(default=None, description="Why this reading, where the text is ambiguous.")


# --- conditions ---------------------------------------------------------------------------------

Scalar = bool | int | float | str


class FactTest(_Model):
    """A comparison of one declared fact: {fact: age, ge: 18}."""

    fact: Id
    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: int | float | None = None
    le: int | float | None = None
    gt: int | float | None = None
    ge: int | float | None = None
    # An empty list is "never" (or "always"): a condition nobody meant, so it is refused.
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    not_in: list[Scalar] | None = Field(default=None, min_length=1)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_operator(self) -> FactTest:
        ops = [k for k in ("eq", "ne", "lt", "le", "gt", "ge", "in_", "not_in") if getattr(self, k) is not None]
        if len(ops) != 1:
            raise ValueError("a fact test takes exactly one operator: eq, ne, lt, le, gt, ge, in, not_in")
        return self

    def operator(self) -> tuple[str, Any]:
        for k in ("eq", "ne", "lt", "le", "gt", "ge", "in_", "not_in"):
            v = getattr(self, k)
            if v is not None:
                return k.rstrip("_"), v
        raise AssertionError("validated")


class ChannelTest(_Model):
    """True when the case came through one of these channels: {channel: [service-centre]}."""

    channel: list[Id] = Field(min_length=1)


class DocumentTest(_Model):
    """True when the document (or one of its alternatives) was handed in: {document: passport}."""

    document: Id


class MissingTest(_Model):
    """True when some required document is missing (or, with `false`, when none is)."""

    documents_missing: bool


class AllOf(_Model):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Model):
    any: list[Condition] = Field(min_length=1)


class NotOf(_Model):
    not_: Condition = Field(alias="not")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False)


Condition = AllOf | AnyOf | NotOf | FactTest | ChannelTest | DocumentTest | MissingTest


# --- declarations --------------------------------------------------------------------------------

ChannelKind = Literal["authority", "service-centre", "portal", "mobile-centre", "post", "other"]


def _known_zone(name: str) -> str:
    problem = zone_problem(name)
    if problem:
        raise ValueError(problem)
    return name


# An IANA time zone name (Asia/Almaty), checked against the bundled tzdata when the rule file loads.
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_known_zone)]


class Channel(Citing):
    """A way to hand in the application (authority, ХҚО, portal, mobile centre, post)."""

    id: Id
    kind: ChannelKind
    name: Text
    information_only: bool = Field(
        default=False, description="The channel gives information only; no application is filed there."
    )
    timezone: TimeZone | None = Field(
        default=None,
        description="The office's time zone (IANA name) for this channel's clock times, if not the rule file's.",
    )


FactType = Literal["boolean", "integer", "number", "string", "date", "enum"]


class Fact(_Model):
    """A fact a case must supply to be decided (applicant's age, marital status, …)."""

    id: Id
    type: FactType
    label: Text
    values: list[str] | None = Field(default=None, description="The allowed values of an enum fact.")
    value_labels: dict[str, Text] | None = Field(
        default=None, description="Each enum value's name in kk, ru and en, keyed by the value (what a report shows)."
    )
    unit: str | None = None
    established_by: Literal["applicant", "authority"] = Field(
        default="applicant",
        description="'authority' for facts the authority establishes from registries, not from documents.",
    )

    @model_validator(mode="after")
    def _enum_values(self) -> Fact:
        if (self.type == "enum") != bool(self.values):
            raise ValueError("an enum fact lists its `values`; other types do not")
        if self.type == "enum" and self.value_labels is None:
            raise ValueError("an enum fact names each of its `values` in `value_labels` ({value: {kk, ru, en}})")
        if self.value_labels is not None and set(self.value_labels) != set(self.values or ()):
            raise ValueError("`value_labels` names each of `values` once, and nothing else")
        return self


class Requirement(Citing):
    """An eligibility requirement (who may receive the service, who may hand in)."""

    id: Id
    kind: Literal["recipient", "submitter", "venue", "other"] = "recipient"
    require: Condition
    message: Text
    aliases: list[AliasStr] = Field(default_factory=list, description=ALIASES_DESCRIPTION)


DocumentForm = Literal["original", "copy", "original-and-copy", "notarised-copy", "notarised", "electronic"]


class Alternative(_Model):
    """Another document that satisfies the same requirement ('identity card or passport')."""

    id: Id
    name: Text
    deprecated_ids: list[Id] = Field(default_factory=list, description="Ids this alternative had before.")


class Validity(Citing):
    """How recent a document must be: issued no earlier than this before the submission («ресімделген
    күнінен бастап бір айдан кешіктірмей», «берілгеніне екі жыл өтпеген»). One of days, months, years."""

    days: int | None = Field(default=None, ge=1, le=3650)
    months: int | None = Field(default=None, ge=1, le=120)
    years: int | None = Field(default=None, ge=1, le=10)

    @model_validator(mode="after")
    def _one_period(self) -> Validity:
        if sum(v is not None for v in (self.days, self.months, self.years)) != 1:
            raise ValueError("a validity gives exactly one of days, months, years")
        return self


class RequiredDocument(Citing):
    """A document the applicant hands in (құжат)."""

    id: Id
    name: Text | None = Field(default=None, description="Absent only when a shared vocabulary names it.")
    channels: list[Id] | None = Field(
        default=None, min_length=1, description="Channels it is required on; all if absent (never empty)."
    )
    when: Condition | None = Field(default=None, description="Required only when this holds.")
    forms: list[DocumentForm] | None = Field(
        default=None,
        min_length=1,
        description="Acceptable forms; any form if absent (never empty). E.g. [original-and-copy, notarised-copy].",
    )
    alternatives: list[Alternative] = Field(default_factory=list)
    aliases: list[AliasStr] = Field(default_factory=list, description=ALIASES_DESCRIPTION)
    deprecated_ids: list[Id] = Field(
        default_factory=list,
        description=(
            "Ids this document had before (one id per document: `identity-card-centre` became `identity-card`): "
            "a case may still give them; the report warns and names the id to use."
        ),
    )
    forms_basis: Cited | None = Field(
        default=None,
        description=(
            "The sentence that sets the forms, where it is not the list item itself («Салыстырып тексеру үшін "
            "құжаттардың түпнұсқалары мен көшірмелері … ұсынылады»): a finding on the form cites it too."
        ),
    )
    count: int | None = Field(
        default=None, ge=2, le=100, description="How many the text asks for, where more than one («екі фотосурет»: 2)."
    )
    valid_for: Validity | None = Field(
        default=None, description="How recent it must be on the day of submission, with the sentence that says so."
    )


class RefusalGround(Citing):
    """A ground for refusal (бас тарту негізі), suspension (тоқтата тұру) or termination, and when it applies."""

    id: Id
    kind: Literal["refusal", "suspension", "refuse-acceptance", "termination"] = Field(
        default="refusal",
        description="termination: a ground to stop a payment already assigned (тоқтату); not checked at intake.",
    )
    name: Text
    when: Condition | None = Field(
        default=None,
        description="The facts that make the ground apply. Absent means the text gives no checkable condition.",
    )
    external: bool = Field(
        default=False, description="The ground rests on another law; its facts cannot be checked from this text."
    )
    aliases: list[AliasStr] = Field(default_factory=list, description=ALIASES_DESCRIPTION)
    receipt: Cited | None = Field(
        default=None,
        description=(
            "refuse-acceptance only: the sentence by which the officer who refuses to accept the documents hands "
            "the applicant a receipt (қолхат) naming the missing documents. Absent where the text gives none."
        ),
    )
    rests_on: list[Cited] = Field(
        default_factory=list,
        description=(
            "Other units the ground's condition is measured against (the list item that says the referral is "
            "valid for a month, for a ground of an expired referral): every finding on the ground cites them."
        ),
    )
    also_for: list[Literal["refusal", "suspension"]] = Field(
        default_factory=list,
        description=(
            "Other decisions the text lists this ground for, where one list serves both "
            "(«тоқтата тұру немесе … бас тарту үшін»): a decision of any of these kinds on it is on a listed ground."
        ),
    )

    @model_validator(mode="after")
    def _receipt_on_refused_acceptance(self) -> RefusalGround:
        if self.receipt is not None and self.kind != "refuse-acceptance":
            raise ValueError(f"a receipt belongs to a refuse-acceptance ground; this ground's kind is {self.kind!r}")
        if self.kind in self.also_for:
            raise ValueError(f"also_for repeats the ground's own kind {self.kind!r}")
        return self

    @property
    def kinds(self) -> frozenset[str]:
        """Every kind of decision the ground serves: its own and those of `also_for`."""
        return frozenset({self.kind, *self.also_for})


class DocumentsClosed(Cited):
    """The rule that no documents other than those listed may be demanded."""

    basis: Literal["explicit", "implicit"]
    note: str | None = None


GroundKind = Literal["refusal", "suspension", "refuse-acceptance", "termination"]


class NoGrounds(Citing):
    """The text's own statement that a decision of one kind has no ground at all (e.g. «Мемлекеттік қызмет
    көрсетуді тоқтата тұру үшін негіздеме жоқ»): what a review of such a decision is measured against."""

    kind: GroundKind


class Refusals(_Model):
    closed: bool = Field(description="Whether the list of grounds is closed (no other ground is lawful).")
    closed_basis: Cited | None = None
    grounds: list[RefusalGround] = Field(default_factory=list)
    none_for: list[NoGrounds] = Field(
        default_factory=list, description="Kinds of decision the text says have no ground (no suspension, say)."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _none_means_none(self) -> Refusals:
        for stated in self.none_for:
            clash = [g.id for g in self.grounds if stated.kind in g.kinds]
            if clash:
                raise ValueError(
                    f"the text says there is no {stated.kind} ground ({stated.cite}), yet grounds {clash} are of that kind"
                )
        return self


Event = Literal[
    "submitted",
    "registered",
    "forwarded",
    "received",
    "decided",
    "notified",
    "issued",
    "queue_joined",
    "service_started",
    "service_ended",
    "collection_queue_joined",
    "collection_service_started",
]
EVENTS: tuple[str, ...] = Event.__args__  # type: ignore[attr-defined]

TermUnit = Literal["calendar-days", "working-days", "months", "hours", "minutes"]
# The longest term a standard can mean, by unit: ten years (or 10 000 hours); a longer one is a typo.
MAX_DURATION: dict[str, int] = {
    "calendar-days": 3650,
    "working-days": 3650,
    "months": 120,
    "hours": 10_000,
    "minutes": 600_000,
}


class Term(Citing):
    """A term (мерзім): a duration from one event to another, on some channels."""

    id: Id
    name: Text
    duration: int = Field(gt=0, le=600_000, description="At most 3650 days, 120 months, 10 000 hours.")
    unit: TermUnit
    start: Event = Field(alias="from")
    end: Event = Field(alias="to")
    start_fallback: Id | None = Field(
        default=None,
        alias="or_from_due_of",
        description="When the case lacks the start event, run from the due date of this earlier term (chaining).",
    )
    channels: list[Id] | None = Field(default=None, min_length=1, description="Channels it runs on; all if absent.")
    first_day_counts: bool = Field(
        default=False, description="Whether the day of the start event is day 1 (default: the day after)."
    )
    extends: Id | None = Field(
        default=None,
        description=(
            "The ordinary term this one extends when the authority decides so (ұзартылады): a pre-check that "
            "cannot know the authority's choice shows the ordinary due date and the latest possible one."
        ),
    )
    when: Condition | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _span(self) -> Term:
        if self.start == self.end:
            raise ValueError(f"a term runs from one event to another; `from` and `to` are both {self.start!r}")
        if self.duration > MAX_DURATION[self.unit]:
            most = MAX_DURATION[self.unit]
            raise ValueError(f"a duration of {self.duration} {self.unit} is out of range (at most {most})")
        return self


class Fee(Citing):
    """The fee: free, or state duty as a percentage of the monthly calculation index (АЕК)."""

    kind: Literal["free", "state-duty"]
    # A duty is a share of the MCI: 0.5% to a few hundred percent in the standards; 10 000% is a typo.
    mci_percent: float | None = Field(default=None, gt=0, le=10_000)
    law: str | None = Field(default=None, description="The law that sets the duty (e.g. Tax Code art. 538).")
    proof_document: Id | None = Field(default=None, description="The document that proves payment.")
    channels: list[Id] | None = Field(default=None, min_length=1, description="Channels it is due on; all if absent.")

    @model_validator(mode="after")
    def _percent(self) -> Fee:
        if (self.kind == "state-duty") != (self.mci_percent is not None):
            raise ValueError("a state duty states `mci_percent`; a free service does not")
        return self


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Office hours HH:MM-HH:MM of one day: hours 00-23, minutes 00-59; the end may be 24:00 (midnight).
HOURS_PATTERN = r"^(?:[01]\d|2[0-3]):[0-5]\d-(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$"


def _forward_span(span: str) -> str:
    start, end = span.split("-")
    if start >= end:
        raise ValueError(f"office hours {span!r} end before they start (or where they start)")
    return span


HoursStr = Annotated[str, StringConstraints(pattern=HOURS_PATTERN), AfterValidator(_forward_span)]


class Schedule(Citing):
    """The reception schedule of a channel (қабылдау кестесі), where the text fixes one."""

    channel: Id
    hours: dict[Weekday, list[HoursStr]]
    closed_on_holidays: bool = True


PaperKind = Literal["talon", "tear-off-talon", "receipt", "portal-notice", "none"]
# What a paper of acceptance carries, as the standards list it (§14): one id per listed line.
PaperItemKind = Literal[
    "number",  # сұраудың / өтінішті қабылдау нөмірі, құжаттардың нөмірлері
    "accepted-on",  # қабылдаған күні
    "accepted-at",  # қабылдау уақыты
    "service",  # сұратылған мемлекеттік қызмет түрі
    "documents",  # қоса берілген құжаттардың саны мен атаулары
    "result-due",  # мемлекеттік қызметті алатын / құжаттарды беру күні (уақыты)
    "result-place",  # … мен орны
    "officer",  # өтінішті қабылдаған қызметкердің тегі, аты, әкесінің аты (or initials)
    "applicant",  # мемлекеттік қызмет алушының тегі, аты, әкесінің аты
    "representative",  # уәкілетті өкілдің тегі, аты, әкесінің аты
    "phones",  # олардың байланыс телефондары
    "acceptance-mark",  # құжаттардың қабылданғаны туралы белгі
]


class PaperItem(Cited):
    """One thing the standard says the paper carries, with the words that say so."""

    item: PaperItemKind


class Paper(Citing):
    """The paper the officer hands the applicant on accepting the documents (талон, қолхат, үзбелі талон),
    as the standard prescribes it for a channel, with what it must carry; `kind: none` where the text says
    no written confirmation is given («жазбаша растама бермейді»). The receipt of a refusal to accept is the
    ground's own (`refusals.grounds[].receipt`)."""

    id: Id
    kind: PaperKind
    channels: list[Id] = Field(
        min_length=1, description="The channels where this paper is handed over (a channel may hand over two)."
    )
    name: Text = Field(description="The paper's name as the standard words it (kk), with ru and en.")
    carries: list[PaperItem] = Field(
        default_factory=list, description="What the paper must carry, each with the words of the standard."
    )
    form: Cited | None = Field(
        default=None, description="The annex that gives the paper's form, where the standard gives one."
    )


class Note(Cited):
    """A note on how a defective or ambiguous text was read."""

    id: Id
    text: str


class InForce(_Model):
    """The period the standard was in force, as the rule file relies on it."""

    start: date = Field(alias="from", strict=False)
    end: date = Field(alias="to", strict=False)
    note: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _forward(self) -> InForce:
        if self.start > self.end:
            raise ValueError(f"the period in force is reversed: from {self.start} is after to {self.end}")
        return self


class RuleFile(_Model):
    """One standard encoded as rules (ережелер)."""

    schema_: str | None = Field(default=None, alias="$schema")
    schema_version: Literal[1] = 1
    standard: Slug = Field(description="The slug of the standard in `standards/`.")
    title: Text = Field(description="The service's name in kk, ru and en, as a report's heading shows it.")
    in_force: InForce
    timezone: TimeZone | None = Field(
        default=None,
        description="The offices' time zone (IANA name) in which the cases' clock times are read; "
        "default Asia/Almaty. A channel may name its own.",
    )
    uses: list[SharedPath] = Field(
        default_factory=list, description="Shared vocabulary files (rules/_shared/*.yaml) whose facts it uses."
    )
    channels: list[Channel] = Field(min_length=1)
    facts: list[Fact] = Field(default_factory=list)
    eligibility: list[Requirement] = Field(default_factory=list)
    documents: list[RequiredDocument] = Field(default_factory=list)
    documents_closed: DocumentsClosed | None = None
    refusals: Refusals
    terms: list[Term] = Field(default_factory=list)
    fee: Fee
    schedules: list[Schedule] = Field(default_factory=list)
    papers: list[Paper] = Field(
        default_factory=list, description="The papers handed over on accepting the documents, per channel (§14)."
    )
    notes: list[Note] = Field(default_factory=list)
    excluded: list[Exclusion] = Field(
        default_factory=list, description="Paragraphs deliberately left without a rule, with the reason."
    )

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False)


class Exclusion(_Model):
    cite: CiteStr
    reason: str


class SharedDocument(_Model):
    """A document named once for all standards of a template; each rule file still cites its own text."""

    id: Id
    name: Text
    alternatives: list[Alternative] = Field(default_factory=list)


class SharedVocabulary(_Model):
    """A shared file of facts and document names for standards of one decree template."""

    schema_: str | None = Field(default=None, alias="$schema")
    description: str | None = None
    facts: list[Fact] = Field(default_factory=list)
    documents: list[SharedDocument] = Field(default_factory=list)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False)


for _m in (AllOf, AnyOf, NotOf, RuleFile):
    _m.model_rebuild()
