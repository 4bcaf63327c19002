"""The compiled pre-check: each rule file specialised once per channel into a plan that decides a case
with no per-case walk of the rule model.

`validator.decision.engine.evaluate_reference` is the evaluator that reads the rule model case by case; it
is the specification. A `ChannelPlan` is what that evaluator would re-derive for every case of a channel,
derived once: the document entries the channel lists, each with its condition compiled to a closure
(`validator.rules.conditions.compile_condition`, never source text), the ids that satisfy it, and the
checklist lines and findings that are the same in every case (a missing passport is the same finding in
each case that lacks it: built once, shared, as every decision model is immutable); the eligibility
requirements and the grounds a clerk can check, each with its finding; the venue requirements; the
versions. Per case the plan only evaluates conditions and compares what was handed in.

What the plan shares with the reference rather than re-deriving: the case's timeline check, the fit of a
document to its entry (`context.fit_in_case`), the terms, the fee, the reception schedule, the verdict and
the folding of open questions — one implementation each, no second copy to drift. The terms, the fee and
an incomplete set's consequences are memoised on everything they read of a case (`_Reads` for their
conditions; the days, events and payment), within one budget for the process (`Budget`, `MEMOS`). A plan
covers the clerk's pre-check; a review, and a channel that serves information only, are decided by the
reference. tests/test_compiled.py holds the two evaluators to identical decisions on every bundled case,
on generated cases for every rule file and on runs of neighbouring cases that probe each memo's key.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from validator.decision import engine
from validator.decision.case import Case
from validator.decision.context import (
    APPLIES_RANK,
    FIT_OK,
    FIT_UNSTATED,
    FIT_WRONG,
    FORM_UNKNOWN,
    Ctx,
    accepted_ids,
    finding,
    fit_in_case,
    missing_documents,
    needs_data,
    office_zone,
)
from validator.decision.fees import evaluate_fee
from validator.decision.intake import (
    AuthorityPending,
    by_authority,
    handed_elsewhere,
    incomplete_consequences,
    not_in_order,
    uses_missing,
)
from validator.decision.model import (
    ChecklistItem,
    CitationRef,
    Decision,
    FeeResult,
    Finding,
    Severity,
    TermResult,
    build,
)
from validator.decision.papers import papers_due
from validator.decision.terms import evaluate_schedule, evaluate_terms
from validator.errors import InputErrors
from validator.rules import conditions
from validator.rules.compiler import CompiledRules
from validator.rules.model import (
    Condition,
    DocumentTest,
    FactTest,
    MissingTest,
    RefusalGround,
    RequiredDocument,
    Requirement,
)

Tri = conditions.Tri
_T = TypeVar("_T")


def _compile(cond: Condition | None) -> conditions.Compiled | None:
    return None if cond is None else conditions.compile_condition(cond)


def _no_documents_missing() -> Tri:
    return False  # replaced per case once the Ctx exists, as in the reference


class Budget:
    """How many entries of one kind (`name`) the live owners of this process keep together (compiled rules
    for the memos; a registry of shared values for the pieces rendered of them), at most `limit`: one
    budget, not one per plan or rule file, since a batch over all 29 standards has ~70 plans and its
    memory must level off early and stay flat (bench/scale.py). The total is kept as entries are taken
    (asked on every memo and piece kept: summing the owners' counts there was a tenth of a report's
    time); an owner's count leaves it when the owner is released or gone."""

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit
        # By id: compiled rules compare by value, so they cannot be a dict's keys; a gone one leaves (finalize).
        self._counts: dict[int, int] = {}
        self._owners: dict[int, weakref.ref[Any]] = {}
        self._used = 0
        # The service decides large bodies in threads: the total and the counts change together or not at
        # all (unguarded, a race left the total full with nothing kept, or below what is kept). Re-entrant:
        # a collection inside `take` may run `_gone` on this thread.
        self._lock = threading.RLock()

    def used(self) -> int:
        return self._used

    def count(self, owner: object) -> int:
        """The entries `owner` holds against this budget."""
        return self._counts.get(id(owner), 0)

    def take(self, owner: object) -> bool:
        """Count one more entry for `owner`, if the budget allows; whether it did."""
        with self._lock:
            if self._used >= self.limit:
                return False
            key = id(owner)
            if key not in self._owners:
                self._owners[key] = weakref.ref(owner)
                weakref.finalize(owner, self._gone, key)
            self._counts[key] = self._counts.get(key, 0) + 1
            self._used += 1
            return True

    def release(self, owner: object) -> None:
        """`owner` dropped what it kept of this kind: its entries no longer count."""
        with self._lock:
            self._used -= self._counts.pop(id(owner), 0)

    def owners(self) -> list[Any]:
        with self._lock:
            found = [ref() for ref in self._owners.values()]
        return [c for c in found if c is not None]

    def _gone(self, key: int) -> None:
        with self._lock:
            self._owners.pop(key, None)
            self._used -= self._counts.pop(key, 0)


# The plans' memos: each entry a step's results (a few kB); past the budget a step is computed as the
# reference computes it, and nothing already kept is dropped. (Measured and dropped: starting the memos
# again when the budget is spent. It gained 6-19 % on a run in date order but lost 8-24 % on the bench's
# batch over all standards, where each restart re-decides and re-renders what the memos held.)
MEMOS = Budget("memo-entries", 8192)


@dataclass(frozen=True)
class _Reads:
    """What some conditions read of a case: facts, handed-in documents, the missing-documents answer.
    Part of a memo's key: a step whose conditions read nothing else gives the same for the same key."""

    facts: tuple[str, ...]
    documents: tuple[str, ...]
    missing: bool

    @classmethod
    def of(cls, conds: list[Condition | None]) -> _Reads:
        parts = [c for cond in conds if cond is not None for c in conditions.walk(cond)]
        return cls(
            tuple(sorted({c.fact for c in parts if isinstance(c, FactTest)})),
            tuple(sorted({c.document for c in parts if isinstance(c, DocumentTest)})),
            any(isinstance(c, MissingTest) for c in parts),
        )

    def key(self, ctx: Ctx) -> tuple[Any, ...]:
        facts, handed = ctx.case.facts, ctx.env.documents
        # The type beside the value: `true` and `1` are equal keys in Python, not equal facts.
        values = tuple((type(v), v) for v in map(facts.get, self.facts))
        missing = (ctx.missing[0], tuple(ctx.missing[1])) if self.missing and ctx.missing is not None else None
        return values, tuple(d in handed for d in self.documents), missing


@dataclass(frozen=True)
class _Entry:
    """A document entry of the channel, and what every case that meets it shares."""

    doc: RequiredDocument
    when: conditions.Compiled | None
    accepts: tuple[str, ...]  # the ids that satisfy it, in the reference's order (`accepted_ids`)
    forms: list[str] | None
    missing_item: ChecklistItem
    in_order_item: ChecklistItem
    missing: Finding  # document-missing, for a clerk


@dataclass(frozen=True)
class _Check:
    """A requirement of who may apply (found when its condition is false) or a ground a clerk can see
    (found when true), its finding, and how an open question on it is reported (severity, section)."""

    item: Requirement | RefusalGround
    when: conditions.Compiled | None
    found_when: bool
    finding: Finding
    open_severity: Severity
    section: str

    def judge(self, ctx: Ctx, env: conditions.Env, pending: AuthorityPending, findings: list[Finding]) -> None:
        """`intake.eligibility` / `intake.grounds_at_intake` for this one item, in a pre-check."""
        value, unknown = conditions.run(self.when, env)
        if value is self.found_when:
            findings.append(self.finding)
        elif value is None and by_authority(ctx, unknown):
            pending.add(self.item, unknown)
        elif value is None:
            subject = (self.section, self.item.id)
            findings.append(needs_data(ctx, self.open_severity, subject, self.item, "$.facts", self.section, unknown))


def _item(doc: RequiredDocument, forms: list[str] | None, handed_in: bool, status: str) -> ChecklistItem:
    return build(ChecklistItem, id=doc.id, forms=forms, handed_in=handed_in, status=status, cite=doc.cite, facts=[])


class ChannelPlan:
    """A rule file's pre-check on one channel, compiled (see the module's docstring)."""

    def __init__(self, compiled: CompiledRules, channel: str) -> None:
        self.compiled = compiled
        self.channel = channel
        rules = compiled.rules
        self.zone = office_zone(compiled, channel)
        # Findings are built through the reference's `finding` with a context that has no case: what they
        # hold here (code, subject, citations, rule location) depends on the rule file alone.
        shell = Ctx(compiled, None, "check", None, date.min)  # type: ignore[arg-type]
        entries = []
        for doc in compiled.entries:
            if doc.channels is not None and channel not in doc.channels:
                continue
            forms: list[str] | None = list(doc.forms) if doc.forms else None
            entries.append(
                _Entry(
                    doc,
                    _compile(doc.when),
                    tuple(accepted_ids(compiled, doc)),
                    forms,
                    _item(doc, forms, False, "missing"),
                    _item(doc, forms, True, FIT_OK),
                    finding(shell, "document-missing", "error", ("document", doc.id), [doc], "$.documents", "document"),
                )
            )
        self.entries = entries
        self.eligibility = [
            _Check(
                req,
                _compile(req.require),
                False,
                finding(shell, "ineligible", "error", ("eligibility", req.id), [req], "$.facts", "eligibility"),
                "warning",
                "eligibility",
            )
            for req in rules.eligibility
        ]
        self.grounds: list[_Check] = []
        for ground in rules.refusals.grounds:
            if ground.when is None or uses_missing(compiled, ground.when):
                continue
            if ground.kind in ("refuse-acceptance", "termination"):
                continue
            code = "suspension-ground-applies" if ground.kind == "suspension" else "refusal-ground-applies"
            cited = [ground, *ground.rests_on]
            applies = finding(shell, code, "error", ("ground", ground.id), cited, "$.facts", "ground")
            self.grounds.append(_Check(ground, _compile(ground.when), True, applies, "info", "ground"))
        self.venue = frozenset(r.id for r in rules.eligibility if r.kind in ("venue", "submitter"))
        self.in_force = (rules.in_force.start, rules.in_force.end)
        self._shell = shell
        self._not_asked_here: dict[str, Finding] = {}
        # The steps shared with the reference, memoised on everything they read of a case (`_Reads` for
        # their conditions): the same terms for every case of a day with the same events and facts.
        channel_terms = [t for t in rules.terms if t.channels is None or channel in t.channels]
        self._term_reads = _Reads.of([t.when for t in channel_terms])
        self._terms: dict[tuple[Any, ...], tuple[list[TermResult], list[Finding]]] = {}
        fee = rules.fee
        self._fee_applies = fee.channels is None or channel in fee.channels
        self._fee: dict[tuple[Any, ...], tuple[FeeResult | None, list[Finding]]] = {}
        self._consequence_reads = _Reads.of(
            [g.when for g in rules.refusals.grounds if g.when is not None and uses_missing(compiled, g.when)]
        )
        self._consequences: dict[tuple[Any, ...], list[Finding]] = {}
        self._amended: dict[date, list[Finding]] = {}
        for e in entries:
            _share(compiled, e.missing_item, e.in_order_item, e.missing)
        _share(compiled, *(c.finding for c in (*self.eligibility, *self.grounds)))

    # --- one case --------------------------------------------------------------------------------------

    def decide(self, case: Case) -> Decision:
        """The pre-check's decision on `case` (its channel is this plan's): the reference's, built faster.

        Long because it is the reference's `evaluate_reference` in one piece, each step in the same order
        (the order findings are gathered in is the order equal-ranked ones are reported in)."""
        compiled = self.compiled
        case = case.with_accepted_at()
        if case.events:
            case = case.in_zone(self.zone)
        if case.events or case.evaluated_on is not None:
            impossible = engine.timeline_problems(case, compiled, case.id or "case")
            if impossible:
                raise InputErrors(impossible)
        documents = case.documents
        satisfies = compiled.satisfies
        handed_ids = frozenset(d.id for d in documents).union(*(satisfies.get(d.id, ()) for d in documents))
        env = conditions.Env(case.facts, self.channel, handed_ids, _no_documents_missing)
        ctx = Ctx(compiled, case, "check", env, engine.evaluation_date(case))
        env.documents_missing = lambda: missing_documents(ctx)
        start, end = self.in_force
        if not (start <= case.submitted_on <= end):
            return engine.decision_of(ctx, "not-in-force", [engine.not_in_force(ctx)], [], [], None, [])

        findings = self._amended_after(ctx)
        pending = AuthorityPending()
        for check in self.eligibility:
            check.judge(ctx, env, pending, findings)
        checklist, chosen = self._documents(ctx, env, pending, findings)
        for check in self.grounds:
            check.judge(ctx, env, pending, findings)
        if ctx.missing is not None and ctx.missing[0] is True:
            findings += self._incomplete(ctx, checklist, chosen)
        venue = self.venue
        refused_at_intake = next(
            (
                f
                for f in findings
                if f.code == "acceptance-refused" or (f.code == "ineligible" and f.subject.id in venue)
            ),
            None,
        )
        not_accepted = refused_at_intake.citations[:1] if refused_at_intake is not None else None
        terms, term_findings = self._terms_of(ctx, not_accepted)
        findings += term_findings
        fee, fee_findings = self._fee_of(ctx, chosen)
        findings += fee_findings
        findings += evaluate_schedule(ctx)
        findings += pending.finding(ctx)
        verdict = engine.verdict_of("check", findings)
        findings = engine.fold_undeciding(ctx, verdict, findings)
        papers = papers_due(ctx, verdict, findings, checklist)
        return engine.decision_of(ctx, verdict, findings, checklist, terms, fee, papers)

    def _required(self, env: conditions.Env) -> list[tuple[_Entry, Tri, list[str]]]:
        """`context.required` on the plan's entries: per document, the entry that applies."""
        chosen: dict[str, tuple[_Entry, Tri, list[str]]] = {}
        for entry in self.entries:
            value, unknown = conditions.run(entry.when, env)
            before = chosen.get(entry.doc.id)
            if before is None or APPLIES_RANK[value] > APPLIES_RANK[before[1]]:
                chosen[entry.doc.id] = (entry, value, unknown)
        return list(chosen.values())

    def _documents(
        self, ctx: Ctx, env: conditions.Env, pending: AuthorityPending, findings: list[Finding]
    ) -> tuple[list[ChecklistItem], dict[str, _Entry]]:
        """`intake.documents` (checklist and findings, appended to `findings`) and, from the same fits,
        `context.missing_documents`'s answer, kept in `ctx` for the conditions that read it."""
        chosen = self._required(env)
        ctx.required = [(e.doc, value, unknown) for e, value, unknown in chosen]
        by_id: dict[str, list[Any]] = {}
        for d in ctx.case.documents:
            by_id.setdefault(d.id, []).append(d)
        ctx.by_id = by_id
        checklist: list[ChecklistItem] = []
        missing: Tri = False
        lacked: set[str] = set()
        decided = False  # the missing-documents answer is settled (a required document is not in order)
        for entry, value, unknown in chosen:
            if value is False:
                continue
            doc = entry.doc
            given = [d for i in entry.accepts for d in by_id.get(i, ())]
            state = fit_in_case(ctx, doc, given) if given else "missing"
            # The reference's `missing_documents`, folded into this pass.
            if not decided and state != FIT_OK:
                if value is True and state not in FIT_UNSTATED:
                    missing, lacked, decided = True, set(), True
                else:
                    missing = None
                    lacked.update(unknown if value is None else ())
                    if state in FIT_UNSTATED:
                        lacked.add(FORM_UNKNOWN + doc.id)
            subject = ("document", doc.id)
            if value is None and not given:
                if by_authority(ctx, unknown):
                    checklist.append(
                        build(
                            ChecklistItem,
                            id=doc.id,
                            forms=entry.forms,
                            handed_in=False,
                            status="if-authority-finds",
                            cite=doc.cite,
                            facts=sorted(unknown),
                        )
                    )
                    pending.add(doc, unknown)
                else:
                    findings.append(
                        needs_data(ctx, "warning", ("document", doc.id), doc, "$.facts", "document", unknown)
                    )
                continue
            if value is None and state != FIT_OK:
                findings.append(needs_data(ctx, "warning", subject, doc, "$.facts", "document", unknown))
                continue
            if value is None or state == FIT_OK:
                checklist.append(entry.in_order_item)
                continue
            if not given:
                checklist.append(entry.missing_item)
                findings.append(entry.missing)
                continue
            checklist.append(_item(doc, entry.forms, True, state))
            if state != "underpaid":  # the fee reports the payment (fee-underpaid)
                findings.append(not_in_order(ctx, doc, given, state, "error", "warning"))
        ctx.missing = (missing, sorted(lacked))
        findings += self._handed_elsewhere(ctx, chosen)
        return checklist, {e.doc.id: e for e, _, _ in chosen}

    # --- the steps shared with the reference, memoised --------------------------------------------------

    def _memoised(self, memo: dict[Any, _T], key: Any, step: Callable[[], _T], values: Callable[[_T], Any]) -> _T:
        """`memo[key]`, or what `step` gives, kept under the process's budget with the decision values in it
        (`values`) registered as shared."""
        found = memo.get(key)
        if found is None:
            found = step()
            if MEMOS.take(self.compiled):
                memo[key] = found
                _share(self.compiled, *values(found))
        return found

    def _amended_after(self, ctx: Ctx) -> list[Finding]:
        """`engine.amended_after_case`, which reads the submission day alone: kept and shared per day, so a
        report finds their pieces by id (by their fields, they were most of the findings a report made
        again: +5 % cases/s decided and rendered)."""
        found = self._memoised(self._amended, ctx.case.submitted_on, lambda: engine.amended_after_case(ctx), list)
        return list(found)

    def _terms_of(self, ctx: Ctx, not_accepted: list[CitationRef] | None) -> tuple[list[TermResult], list[Finding]]:
        """`terms.evaluate_terms`, for everything it reads of a pre-check: the submission and evaluation
        days, the events, the facts (and documents, and the missing-documents answer) its conditions read,
        and whether the file was accepted."""
        case = ctx.case
        refused = None if not_accepted is None else tuple((c.unit, c.quote) for c in not_accepted)
        key = (refused, tuple(case.events.items()), case.submitted_on, ctx.on, self._term_reads.key(ctx))
        found = self._memoised(self._terms, key, lambda: evaluate_terms(ctx, not_accepted), lambda f: [*f[0], *f[1]])
        return list(found[0]), list(found[1])

    def _fee_of(self, ctx: Ctx, chosen: dict[str, _Entry]) -> tuple[FeeResult | None, list[Finding]]:
        """`fees.evaluate_fee`, for everything it reads of a pre-check: the payment, the submission day, the
        decision's and the issue's dates, and whether (and under which entry) the proof of payment came."""
        if not self._fee_applies:
            return None, []
        case, proof = ctx.case, self.compiled.rules.fee.proof_document
        payment = case.payment
        # The amount's sign too: -0.0 equals 0.0 as a key, and the fee result shows the amount as given.
        paid = None if payment is None else (payment.amount, math.copysign(1.0, payment.amount), payment.date)
        entry = chosen.get(proof) if proof is not None else None
        events = case.events
        key = (
            paid,
            case.submitted_on,
            events.get("decided"),
            events.get("issued"),
            proof is not None and proof in ctx.env.documents,
            id(entry.doc) if entry is not None else None,
        )
        found = self._memoised(
            self._fee, key, lambda: evaluate_fee(ctx), lambda f: [v for v in (f[0], *f[1]) if v is not None]
        )
        return found[0], list(found[1])

    def _incomplete(self, ctx: Ctx, checklist: list[ChecklistItem], chosen: dict[str, _Entry]) -> list[Finding]:
        """`intake.incomplete_consequences` on an incomplete set, for everything it reads: the entries of the
        documents missing or not in order, and what the grounds of an incomplete set read."""
        listed = tuple(
            (item.id, item.status, id(chosen[item.id].doc))
            for item in checklist
            if item.status == "missing" or item.status in FIT_WRONG
        )
        key = (listed, self._consequence_reads.key(ctx))
        found = self._memoised(self._consequences, key, lambda: incomplete_consequences(ctx, checklist), list)
        return list(found)

    def _handed_elsewhere(self, ctx: Ctx, chosen: list[tuple[_Entry, Tri, list[str]]]) -> list[Finding]:
        """`intake._handed_elsewhere`: a document under a former id goes to the reference; a document the
        channel or situation does not ask for gets its finding, the same in every case (kept)."""
        compiled = self.compiled
        documents = ctx.case.documents
        if any(d.id in compiled.deprecated for d in documents):
            return handed_elsewhere(ctx)
        asked_here = {e.doc.id for e, value, _ in chosen if value is not False}
        if not asked_here:
            return []
        out: list[Finding] = []
        seen: set[str] = set()
        for d in documents:
            if d.id in seen:
                continue
            seen.add(d.id)
            asked_for = compiled.satisfies.get(d.id)
            if asked_for and asked_for.isdisjoint(asked_here):
                found = self._not_asked_here.get(d.id)
                if found is None:
                    cited = [e for e in compiled.entries if e.id in asked_for]
                    path = f'$.documents[?(@.id=="{d.id}")].id'
                    subject = ("document", d.id)
                    found = finding(self._shell, "document-not-asked-here", "warning", subject, cited, path, "document")
                    self._not_asked_here[d.id] = found
                    _share(compiled, found)
                out.append(found)
        return out


class SharedValues(dict[int, Any]):
    """The findings, checklist lines, terms and fees the plans of one compiled rules hand to many decisions,
    by id. The registry holds each value, so while it is listed its id names it alone (no other object can
    get that id). What a renderer makes of a value, keyed on its id, it keeps in `derived`, which goes with
    the registry (`forget`): a piece never outlives the value whose id names it, so it cannot be handed
    to a new value that got the old one's id."""

    __slots__ = ("__weakref__", "derived")

    def __init__(self) -> None:
        super().__init__()
        self.derived: dict[tuple[Any, ...], Any] = {}


def shared_values(compiled: CompiledRules) -> SharedValues:
    """The registry of the values the plans of `compiled` share (`SharedValues`): only added to (the plans
    and their memos keep the values for the life of the rules), dropped whole by `forget`."""
    found: SharedValues | None = compiled.cache.get("shared-values")
    if found is None:
        found = compiled.cache["shared-values"] = SharedValues()
    return found


def _share(compiled: CompiledRules, *values: Any) -> None:
    registry = shared_values(compiled)
    for value in values:
        registry[id(value)] = value


def forget(compiled: CompiledRules) -> None:
    """Drop the plans of `compiled`, their memos and the registry of shared values (a fresh start, as in a
    new process: the benchmark times each pass from here). The pieces a renderer made of the shared values
    go with their registry; its pieces kept by fields stay (`validator.report.render.forget_pieces`)."""
    # `list()` copies the keys at once (other threads may be adding plans); `pop`: one may forget it first.
    for key in [k for k in list(compiled.cache) if isinstance(k, tuple) and k[0] == "plan"]:
        compiled.cache.pop(key, None)
    compiled.cache.pop("shared-values", None)
    MEMOS.release(compiled)


def plan_for(compiled: CompiledRules, channel: str) -> ChannelPlan | None:
    """The compiled pre-check of `channel` (built on first use, kept with the rules), or None where the
    reference decides: a channel the rules do not know (the reference says so), or one that serves
    information only (nothing is filed there)."""
    key = ("plan", channel)
    plan: ChannelPlan | bool | None = compiled.cache.get(key)
    if plan is None:
        ch = next((c for c in compiled.rules.channels if c.id == channel), None)
        plan = False if ch is None or ch.information_only else ChannelPlan(compiled, channel)
        compiled.cache[key] = plan
    return plan if isinstance(plan, ChannelPlan) else None


__all__ = ["MEMOS", "Budget", "ChannelPlan", "SharedValues", "forget", "plan_for", "shared_values"]
