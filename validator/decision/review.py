"""The complaint reviewer's questions about an authority's decision (шағымды қарау): was each ground
among the standard's grounds and do the facts support it, were documents demanded beyond the list,
was a fee demanded that the standard does not set.

A decision names its grounds and documents as the authority wrote them: by id, or by a name of the
rule file in any of kk/ru/en, or by an alias. Each is resolved through the compiled rules' index
(`CompiledRules.lookup`, exact after normalising case, spacing, invisible characters and Latin
look-alikes) and then judged as its id would be; the finding's subject is the id, and a `given`
parameter keeps the wording where it differs from the id. A wording a small edit away from a listed
one is not matched: it is reported as unclear (did you mean …?), a warning that leaves the verdict to
the reviewer (needs-data), never judged lawful or unlawful on a guess.
"""

from __future__ import annotations

from validator.decision.context import Ctx, finding, handed, holds, needs_data, required
from validator.decision.fees import duty_due
from validator.decision.intake import uses_missing
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


# The kind of ground each decision needs.
KIND_OF_OUTCOME = {
    "refused": "refusal",
    "refused-acceptance": "refuse-acceptance",
    "suspended": "suspension",
    "terminated": "termination",
}


def _closed(ctx: Ctx) -> Cited | None:
    """What the decision's grounds are measured against: the text's sentence that a decision of this kind
    has no ground at all (no suspension, say), else the clause that closes the list of grounds, or else
    the list itself (its first ground)."""
    refusals = ctx.compiled.rules.refusals
    decision = ctx.case.decision
    kind = KIND_OF_OUTCOME.get(decision.outcome) if decision is not None else None
    stated = next((n for n in refusals.none_for if n.kind == kind), None)
    return stated or refusals.closed_basis or (refusals.grounds[0] if refusals.grounds else None)


def _given(f: Finding, given: str) -> Finding:
    """The finding with what the decision wrote (`given`), where that is not the subject's id itself."""
    if given == f.subject.id:
        return f
    return f.model_copy(update={"params": {**f.params, "given": build(TextParam, type="text", value=given)}})


def _review_ground(ctx: Ctx, given: str, path: str) -> Finding:
    compiled = ctx.compiled
    rules = compiled.rules
    refs = compiled.lookup.resolve("grounds", given)
    if refs:
        # One item at most: the compiler refuses two grounds (or requirements) of one name.
        kind, item_id = refs[0]
        if kind == "ground":
            ground = next(g for g in rules.refusals.grounds if g.id == item_id)
            return _given(_listed_ground(ctx, ground, path), given)
        requirement = next(r for r in rules.eligibility if r.id == item_id)
        return _given(_requirement_as_ground(ctx, requirement, path), given)
    params: dict[str, Param] = {"given": build(TextParam, type="text", value=given)}
    near = compiled.lookup.near("grounds", given)
    if near is not None:
        kind, item_id = near
        params["candidate"] = build(
            RefParam, type="ref", kind="ground" if kind == "ground" else "eligibility", id=item_id
        )
        return finding(ctx, "ground-unclear", "warning", ("ground", given), [_closed(ctx)], path, params=params)
    sev: Severity = "error" if rules.refusals.closed else "warning"
    return finding(ctx, "ground-not-listed", sev, ("ground", given), [_closed(ctx)], path, params=params)


def _listed_ground(ctx: Ctx, g: RefusalGround, path: str) -> Finding:
    decision = ctx.case.decision
    assert decision is not None
    subject = ("ground", g.id)
    if not g.kinds & KINDS_FOR_OUTCOME[decision.outcome]:
        params: dict[str, Param] = {
            "kind": build(RefParam, type="ref", kind="ground-kind", id=g.kind),
            "outcome": build(RefParam, type="ref", kind="outcome", id=decision.outcome),
        }
        cited = [g, _closed(ctx), *g.rests_on]
        return finding(ctx, "ground-kind-mismatch", "error", subject, cited, path, "ground", params)
    if g.when is None:
        return finding(ctx, "ground-not-verifiable", "warning", subject, [g], path, "ground")
    value, unknown = holds(ctx, g.when)
    if value is True:
        return finding(ctx, "ground-supported", "info", subject, [g, *g.rests_on], path, "ground")
    if value is False:
        # A refusal for an incomplete set when the set was complete: the list items the documents handed
        # in satisfy are the basis, beside the closed list of grounds.
        basis = _handed_items(ctx) if uses_missing(ctx.compiled, g.when) else []
        cited = [g, _closed(ctx), *g.rests_on, *basis]
        return finding(ctx, "ground-not-supported", "error", subject, cited, path, "ground")
    return needs_data(ctx, "warning", subject, g, path, "ground", unknown)


def _handed_items(ctx: Ctx) -> list[Cited]:
    """The list items of this case that the documents handed in satisfy, in the standard's order."""
    items = [doc for doc, value, _ in required(ctx) if value is True and handed(ctx, doc)]
    return sorted(items, key=lambda d: (parse_citation(d.cite).sort_key(), d.quote))


def _requirement_as_ground(ctx: Ctx, r: Requirement, path: str) -> Finding:
    """A refusal whose stated ground is an eligibility requirement: measured against the requirement,
    and citing the closed list of grounds it is invoked under. An unmet requirement is a ground for
    refusing the service, nothing else: it cannot support a suspension, a termination or a refusal to
    accept the documents."""
    decision = ctx.case.decision
    assert decision is not None
    subject = ("eligibility", r.id)
    if "refusal" not in KINDS_FOR_OUTCOME[decision.outcome]:
        params: dict[str, Param] = {
            "kind": build(RefParam, type="ref", kind="ground-kind", id="refusal"),
            "outcome": build(RefParam, type="ref", kind="outcome", id=decision.outcome),
        }
        return finding(ctx, "ground-kind-mismatch", "error", subject, [r, _closed(ctx)], path, "eligibility", params)
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
    # A document whose condition hangs on a fact the case does not give may or may not be on the list.
    undecided = {doc.id: (doc, unknown) for doc, value, unknown in required(ctx) if value is None}
    closed: Cited | None = rules.documents_closed or (rules.documents[0] if rules.documents else None)
    out = []
    for i, demanded in enumerate(decision.demanded_documents):
        path = f"$.decision.demanded_documents[{i}]"
        typed = build(TextParam, type="text", value=demanded)
        # A wording may name several twins (one document listed for two channels): it is on the list if
        # any of them applies to this case.
        ids = [item_id for _, item_id in compiled.lookup.resolve("documents", demanded)]
        listed = {req for item_id in ids for req in compiled.satisfies.get(item_id, set())}
        if listed & (applicable_ids - set(undecided)):
            continue
        if listed & set(undecided):
            # On the list only if the facts say so: needs-data naming them, never lawful on a guess.
            doc, unknown = undecided[sorted(listed & set(undecided))[0]]
            out.append(needs_data(ctx, "warning", ("document", doc.id), doc, path, "document", unknown))
            continue
        near = None if ids else compiled.lookup.near("documents", demanded)
        params: dict[str, Param]
        severity: Severity
        if near is not None:
            params = {"given": typed, "candidate": build(RefParam, type="ref", kind="document", id=near[1])}
            code, severity, subject = "document-unclear", "warning", demanded
        elif ids:
            subject = ids[0]
            params = {"document": build(RefParam, type="ref", kind="document", id=subject)}
            if demanded != subject:
                params["given"] = typed
            code, severity = "document-demanded-beyond-list", "error"
        else:
            params = {"document": typed}
            code, severity, subject = "document-demanded-beyond-list", "error", demanded
        out.append(finding(ctx, code, severity, ("document", subject), [closed, *applicable], path, params=params))
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
