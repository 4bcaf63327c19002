"""The complaint reviewer's questions about an authority's decision (шағымды қарау): was each ground
among the standard's grounds and do the facts support it, were documents demanded beyond the list,
was a fee demanded that the standard does not set."""

from __future__ import annotations

from validator.decision.context import Ctx, finding, holds, needs_data, required
from validator.decision.fees import duty_due
from validator.decision.model import Finding, MoneyParam, Param, RefParam, Severity, TextParam, build
from validator.law.citation import parse_citation
from validator.rules.model import Cited, RefusalGround, Requirement

# Which kinds of ground can support which decision (a termination ground cannot justify refusing a
# new application, and a refusal ground cannot justify stopping a payment already assigned).
KINDS_FOR_OUTCOME: dict[str, set[str]] = {
    "refused": {"refusal"},
    "refused-acceptance": {"refuse-acceptance"},
    "suspended": {"suspension"},
    "terminated": {"termination"},
    "issued": set(),
}


def review_decision(ctx: Ctx) -> list[Finding]:
    decision = ctx.case.decision
    assert decision is not None
    out: list[Finding] = []
    if decision.outcome in ("refused", "suspended", "refused-acceptance", "terminated"):
        if not decision.grounds:
            out.append(
                finding(ctx, "refusal-without-ground", "error", ("ground", "-"), [_closed(ctx)], "$.decision.grounds")
            )
        for i, given in enumerate(decision.grounds):
            out.append(_review_ground(ctx, given, f"$.decision.grounds[{i}]"))
    out += _demanded_documents(ctx)
    out += _demanded_fee(ctx)
    return out


def _closed(ctx: Ctx) -> Cited | None:
    """The clause that closes the list of grounds, or else the list itself (its first ground)."""
    refusals = ctx.compiled.rules.refusals
    return refusals.closed_basis or (refusals.grounds[0] if refusals.grounds else None)


def _review_ground(ctx: Ctx, given: str, path: str) -> Finding:
    rules = ctx.compiled.rules
    ground = next((g for g in rules.refusals.grounds if g.id == given), None)
    if ground is not None:
        return _listed_ground(ctx, ground, path)
    requirement = next((r for r in rules.eligibility if r.id == given), None)
    if requirement is not None:
        return _requirement_as_ground(ctx, requirement, path)
    sev: Severity = "error" if rules.refusals.closed else "warning"
    params: dict[str, Param] = {"given": build(TextParam, type="text", value=given)}
    return finding(ctx, "ground-not-listed", sev, ("ground", given), [_closed(ctx)], path, params=params)


def _listed_ground(ctx: Ctx, g: RefusalGround, path: str) -> Finding:
    decision = ctx.case.decision
    assert decision is not None
    subject = ("ground", g.id)
    if g.kind not in KINDS_FOR_OUTCOME[decision.outcome]:
        params: dict[str, Param] = {
            "kind": build(RefParam, type="ref", kind="ground-kind", id=g.kind),
            "outcome": build(RefParam, type="ref", kind="outcome", id=decision.outcome),
        }
        return finding(ctx, "ground-kind-mismatch", "error", subject, [g, _closed(ctx)], path, "ground", params)
    if g.when is None:
        return finding(ctx, "ground-not-verifiable", "warning", subject, [g], path, "ground")
    value, unknown = holds(ctx, g.when)
    if value is True:
        return finding(ctx, "ground-supported", "info", subject, [g], path, "ground")
    if value is False:
        return finding(ctx, "ground-not-supported", "error", subject, [g], path, "ground")
    return needs_data(ctx, "warning", subject, g, path, "ground", unknown)


def _requirement_as_ground(ctx: Ctx, r: Requirement, path: str) -> Finding:
    """A refusal whose stated ground is an eligibility requirement: measured against the requirement,
    and citing the closed list of grounds it is invoked under."""
    subject = ("eligibility", r.id)
    value, unknown = holds(ctx, r.require)
    if value is False:
        return finding(ctx, "ground-supported", "info", subject, [r, _closed(ctx)], path, "eligibility")
    if value is True:
        return finding(ctx, "ground-not-supported", "error", subject, [r, _closed(ctx)], path, "eligibility")
    return needs_data(ctx, "warning", subject, r, path, "eligibility", unknown)


def _demanded_documents(ctx: Ctx) -> list[Finding]:
    """Documents demanded beyond the list: the closed-list clause, and the list items of the channel."""
    decision = ctx.case.decision
    assert decision is not None
    rules, compiled = ctx.compiled.rules, ctx.compiled
    # The list, in the standard's order (not the rule file's): the basis a reviewer reads.
    applicable = sorted(
        (doc for doc, value, _ in required(ctx) if value is not False),
        key=lambda d: (parse_citation(d.cite).sort_key(), d.quote),
    )
    applicable_ids = {doc.id for doc in applicable}
    closed: Cited | None = rules.documents_closed or (rules.documents[0] if rules.documents else None)
    out = []
    for i, demanded in enumerate(decision.demanded_documents):
        if compiled.satisfies.get(demanded, set()) & applicable_ids:
            continue
        known = demanded in compiled.document_names
        params: dict[str, Param] = {
            "document": build(RefParam, type="ref", kind="document", id=demanded)
            if known
            else build(TextParam, type="text", value=demanded)
        }
        out.append(
            finding(
                ctx,
                "document-demanded-beyond-list",
                "error",
                ("document", demanded),
                [closed, *applicable],
                f"$.decision.demanded_documents[{i}]",
                params=params,
            )
        )
    return out


def _demanded_fee(ctx: Ctx) -> list[Finding]:
    decision = ctx.case.decision
    assert decision is not None
    if decision.demanded_fee is None:
        return []
    due = duty_due(ctx)
    if round(decision.demanded_fee, 2) <= due:  # compared in tiyn, as the amounts are shown
        return []
    params: dict[str, Param] = {
        "demanded": build(MoneyParam, type="money", value=decision.demanded_fee),
        "amount": build(MoneyParam, type="money", value=due),
    }
    fee = ctx.compiled.rules.fee
    return [
        finding(
            ctx, "fee-demanded-unlawfully", "error", ("fee", "fee"), [fee], "$.decision.demanded_fee", "fee", params
        )
    ]
