"""What stands before the authority decides: who may apply, the documents, the grounds a clerk can see,
what the standard attaches to an incomplete set, and what only the authority can establish.

A clerk at the centre (ХҚО) cannot know a tax debt, a criminal case or a medical finding: facts a rule
file marks `established_by: authority` are not questions for the clerk. Where only such facts are
unknown, a pre-check does not stop at needs-data; it lists them once, as what the authority will
verify (`authority-will-verify`), and a document that rests on one is listed as required if the
authority finds it. A known authority fact still counts (a known tax debt is a ground of refusal).
"""

from __future__ import annotations

from typing import Any

from validator.decision.context import (
    FIT_OK,
    FIT_WRONG,
    FORM_UNKNOWN,
    Ctx,
    finding,
    fit_in_case,
    handed,
    holds,
    missing_documents,
    needs_data,
    required,
    valid_from,
)
from validator.decision.model import (
    ChecklistItem,
    DateParam,
    Finding,
    NumberParam,
    Param,
    RefParam,
    RefsParam,
    Severity,
    TextParam,
    build,
)
from validator.law.citation import parse_citation
from validator.rules import conditions
from validator.rules.compiler import CompiledRules
from validator.rules.model import Cited, MissingTest, RefusalGround, RequiredDocument


class AuthorityPending:
    """The items of a pre-check that hang only on facts the authority establishes, gathered into one finding."""

    def __init__(self) -> None:
        self.items: list[Cited] = []
        self.facts: set[str] = set()

    def add(self, item: Cited, facts: list[str]) -> None:
        self.items.append(item)
        self.facts.update(facts)

    def finding(self, ctx: Ctx) -> list[Finding]:
        if not self.items:
            return []
        order = {fid: i for i, fid in enumerate(ctx.compiled.facts)}
        facts = sorted(self.facts, key=lambda f: (order.get(f, len(order)), f))
        cited = sorted(self.items, key=lambda i: (parse_citation(i.cite).sort_key(), i.quote))
        params: dict[str, Param] = {"facts": build(RefsParam, type="refs", kind="fact", ids=facts)}
        subject = ("standard", ctx.compiled.standard.slug)
        return [finding(ctx, "authority-will-verify", "info", subject, cited, "$.facts", None, params, facts)]


def by_authority(ctx: Ctx, unknown: list[str]) -> bool:
    """Whether every fact `unknown` names is one the authority establishes (so no clerk can supply it)."""
    facts = ctx.compiled.facts
    return bool(unknown) and all(
        not u.startswith(FORM_UNKNOWN) and u in facts and facts[u].established_by == "authority" for u in unknown
    )


def eligibility(ctx: Ctx, pending: AuthorityPending) -> list[Finding]:
    """Who may apply (кімге көрсетіледі): each requirement met, not met, or hanging on facts."""
    pre: Severity = "error" if ctx.mode == "check" else "info"
    pre_warn: Severity = "warning" if ctx.mode == "check" else "info"
    out = []
    for req in ctx.compiled.rules.eligibility:
        value, unknown = holds(ctx, req.require)
        if value is False:
            out.append(finding(ctx, "ineligible", pre, ("eligibility", req.id), [req], "$.facts", "eligibility"))
        elif value is None and ctx.mode == "check" and by_authority(ctx, unknown):
            pending.add(req, unknown)
        elif value is None:
            out.append(needs_data(ctx, pre_warn, ("eligibility", req.id), req, "$.facts", "eligibility", unknown))
    return out


def documents(ctx: Ctx, pending: AuthorityPending) -> tuple[list[ChecklistItem], list[Finding]]:
    """The checklist of the case's channel and situation, and what is missing, in the wrong form, or in
    a form the case does not state (forms compare as `validator.rules.forms` says)."""
    pre: Severity = "error" if ctx.mode == "check" else "info"
    pre_warn: Severity = "warning" if ctx.mode == "check" else "info"
    checklist: list[ChecklistItem] = []
    out: list[Finding] = []
    for doc, value, unknown in required(ctx):
        given = handed(ctx, doc)
        subject = ("document", doc.id)
        forms: list[str] | None = list(doc.forms) if doc.forms else None
        if value is None and not given:
            if ctx.mode == "check" and by_authority(ctx, unknown):
                status = "if-authority-finds"
                checklist.append(_item(doc.id, forms, False, status, doc.cite, unknown))
                pending.add(doc, unknown)
            else:
                out.append(needs_data(ctx, pre_warn, subject, doc, "$.facts", "document", unknown))
            continue
        if value is None and fit_in_case(ctx, doc, given) != FIT_OK:
            # Handed in but not in order, and whether it is required hangs on facts the case leaves out:
            # those facts decide whether the set is complete (never passed as an accept).
            out.append(needs_data(ctx, pre_warn, subject, doc, "$.facts", "document", unknown))
            continue
        if value is None:
            # Handed in and in order: on the checklist whether or not the facts will make it required.
            checklist.append(_item(doc.id, forms, True, FIT_OK, doc.cite, []))
            continue
        if value is not True:
            continue
        status = fit_in_case(ctx, doc, given) if given else "missing"
        checklist.append(_item(doc.id, forms, bool(given), status, doc.cite, []))
        if not given:
            out.append(finding(ctx, "document-missing", pre, subject, [doc], "$.documents", "document"))
        elif status != FIT_OK and status != "underpaid":  # the fee reports the payment (fee-underpaid)
            out.append(not_in_order(ctx, doc, given, status, pre, pre_warn))
    return checklist, out + handed_elsewhere(ctx)


def not_in_order(
    ctx: Ctx, doc: RequiredDocument, given: list[Any], status: str, pre: Severity, pre_warn: Severity
) -> Finding:
    """A document handed in that does not meet its list entry (wrong form, too few, too old: the set is
    incomplete), or whose form, count or date the case leaves out (a question for the clerk, never a
    wrong document). The path names the document by a filter, true however the list is ordered."""
    subject = ("document", doc.id)
    where = f'$.documents[?(@.id=="{min(d.id for d in given)}")]'
    params: dict[str, Param] = {}
    if status in ("wrong-form", "form-unstated"):
        assert doc.forms is not None
        params["given"] = build(RefsParam, type="refs", kind="form", ids=sorted({d.form or "unstated" for d in given}))
        params["forms"] = build(RefsParam, type="refs", kind="form", ids=list(doc.forms))
        code = "document-wrong-form" if status == "wrong-form" else "document-form-unstated"
        severity = pre if status == "wrong-form" else pre_warn
        # The list item, then the sentence that sets its forms where that is another one.
        cited = [doc, doc.forms_basis]
        return finding(ctx, code, severity, subject, cited, f"{where}.form", "document", params)
    if status in ("short", "count-unstated"):
        assert doc.count is not None
        params["count"] = build(NumberParam, type="number", value=doc.count, kind="plain")
        params["given"] = build(NumberParam, type="number", value=sum(d.count or 0 for d in given), kind="plain")
        code = "document-short" if status == "short" else "document-count-unstated"
        return finding(
            ctx, code, pre if status == "short" else pre_warn, subject, [doc], f"{where}.count", "document", params
        )
    assert doc.valid_for is not None
    cited = [doc, doc.valid_for]
    params["valid_from"] = build(DateParam, type="date", value=valid_from(doc, ctx.case.submitted_on))
    if status == "expired":
        issued = max(d.issued_on for d in given if d.issued_on is not None)
        params["issued_on"] = build(DateParam, type="date", value=issued)
        return finding(ctx, "document-expired", pre, subject, cited, f"{where}.issued_on", "document", params)
    return finding(ctx, "document-date-unstated", pre_warn, subject, cited, f"{where}.issued_on", "document", params)


def handed_elsewhere(ctx: Ctx) -> list[Finding]:
    """Documents handed in under an id the document had before (the report names the id now), and
    documents the standard knows but does not ask for on this channel or in this situation (cited where
    it does ask for them). Neither changes the verdict: a warning for the clerk, a note in a review."""
    compiled = ctx.compiled
    severity: Severity = "warning" if ctx.mode == "check" else "info"
    asked_here = {doc.id for doc, value, _ in required(ctx) if value is not False}
    out: list[Finding] = []
    seen: set[str] = set()
    for d in ctx.case.documents:
        if d.id in seen:
            continue
        seen.add(d.id)
        path = f'$.documents[?(@.id=="{d.id}")].id'
        new = compiled.deprecated.get(d.id)
        if new is not None:
            params: dict[str, Param] = {
                "given": build(TextParam, type="text", value=d.id),
                "id": build(TextParam, type="text", value=new),
            }
            # The entry of this channel and situation, else the first that names the document.
            here = [doc for doc, _, _ in required(ctx) if new == doc.id or new in {a.id for a in doc.alternatives}]
            cited = (
                here[:1] or [e for e in compiled.entries if new == e.id or new in {a.id for a in e.alternatives}][:1]
            )
            out.append(
                finding(ctx, "document-id-deprecated", severity, ("document", new), cited, path, "document", params)
            )
        asked_for = compiled.satisfies.get(d.id, set())
        # Where nothing at all is asked (the channel does not serve this case), the eligibility finding
        # says why; a warning on every document would repeat it.
        if asked_here and asked_for and not asked_for & asked_here:
            cited = [e for e in compiled.entries if e.id in asked_for]
            subject = ("document", new or d.id)
            out.append(finding(ctx, "document-not-asked-here", severity, subject, cited, path, "document"))
    return out


def _item(
    id_: str, forms: list[str] | None, handed_in: bool, status: str, cite: str, facts: list[str]
) -> ChecklistItem:
    return build(ChecklistItem, id=id_, forms=forms, handed_in=handed_in, status=status, cite=cite, facts=sorted(facts))


def grounds_at_intake(ctx: Ctx, pending: AuthorityPending) -> list[Finding]:
    """Refusal and suspension grounds whose facts a clerk can check before accepting the case (those of
    an incomplete set are its consequence, `incomplete_consequences`)."""
    out = []
    for ground in ctx.compiled.rules.refusals.grounds:
        if ground.when is None or uses_missing(ctx.compiled, ground.when):
            continue
        if ground.kind in ("refuse-acceptance", "termination"):
            continue
        value, unknown = holds(ctx, ground.when)
        code = "suspension-ground-applies" if ground.kind == "suspension" else "refusal-ground-applies"
        if value is True:
            cited = [ground, *ground.rests_on]
            out.append(finding(ctx, code, "error", ("ground", ground.id), cited, "$.facts", "ground"))
        elif value is None and by_authority(ctx, unknown):
            pending.add(ground, unknown)
        elif value is None:
            out.append(needs_data(ctx, "info", ("ground", ground.id), ground, "$.facts", "ground", unknown))
    return out


def incomplete_consequences(ctx: Ctx, checklist: list[ChecklistItem]) -> list[Finding]:
    """What the standard attaches to an incomplete set on this channel, for the clerk who holds it.

    Where the receiving officer must refuse to accept it («құжаттарды қабылдаудан бас тартады»), that
    ground, the receipt (қолхат) the officer hands over and the documents it must name; else the
    grounds on which the authority refuses (or suspends) the service for an incomplete set. Each cites
    the ground, then the receipt, then the list items of what is missing.
    """
    if missing_documents(ctx) is not True:
        return []
    docs = {doc.id: doc for doc, _, _ in required(ctx)}
    # In the standard's order (not the rule file's), as the receipt lists them.
    listed = sorted(
        (docs[item.id] for item in checklist if item.status == "missing" or item.status in FIT_WRONG),
        key=lambda d: (parse_citation(d.cite).sort_key(), d.quote, d.id),
    )
    missing: dict[str, Param] = {
        "documents": build(RefsParam, type="refs", kind="document", ids=[doc.id for doc in listed])
    }
    consequences: list[tuple[RefusalGround, str]] = []
    for ground in ctx.compiled.rules.refusals.grounds:
        if ground.kind == "termination" or ground.when is None or not uses_missing(ctx.compiled, ground.when):
            continue
        if holds(ctx, ground.when)[0] is True:
            code = "acceptance-refused" if ground.kind == "refuse-acceptance" else "incomplete-set-ground"
            consequences.append((ground, code))
    if any(code == "acceptance-refused" for _, code in consequences):
        # The set never reaches the authority: its grounds of refusal do not come into play.
        consequences = [(g, code) for g, code in consequences if code == "acceptance-refused"]
    out = []
    for ground, code in consequences:
        params = dict(missing)
        if code == "incomplete-set-ground":
            params["kind"] = build(RefParam, type="ref", kind="ground-kind", id=ground.kind)
        if ground.receipt is not None:
            params["receipt"] = build(RefParam, type="ref", kind="unit", id=ground.receipt.cite)
        cited = [ground, ground.receipt, *ground.rests_on, *listed]
        out.append(finding(ctx, code, "error", ("ground", ground.id), cited, "$.documents", "ground", params))
    return out


def uses_missing(compiled: CompiledRules, cond: object) -> bool:
    """Whether a condition reads `documents_missing` (so it is about an incomplete set)."""
    key = ("uses-missing", id(cond))  # the compiled rules keep `cond` alive, so its id is stable
    if key not in compiled.cache:
        compiled.cache[key] = any(isinstance(c, MissingTest) for c in conditions.walk(cond))  # type: ignore[arg-type]
    return bool(compiled.cache[key])


__all__ = [
    "AuthorityPending",
    "by_authority",
    "documents",
    "eligibility",
    "grounds_at_intake",
    "incomplete_consequences",
    "uses_missing",
]
