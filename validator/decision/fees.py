"""The fee (төлем): the state duty of a case, measured by the monthly calculation index (validator.decision.mci)."""

from __future__ import annotations

from datetime import datetime

from validator.decision.context import Ctx, applies_on_channel, citation, finding, proof_handed, required
from validator.decision.mci import mci_on
from validator.decision.model import DateParam, FeeResult, Finding, MoneyParam, NumberParam, Param, build

# --- the fee of a case ------------------------------------------------------------------------------


def evaluate_fee(ctx: Ctx) -> tuple[FeeResult | None, list[Finding]]:
    """The fee due on the case's channel, and what the payment (or its absence) means for a clerk."""
    fee = ctx.compiled.rules.fee
    if not applies_on_channel(fee.channels, ctx.case.channel):
        return None, []
    payment = ctx.case.payment
    findings: list[Finding] = []
    cit = citation(ctx.compiled, fee)
    paid = {"paid_amount": payment.amount if payment else None, "paid_on": payment.date if payment else None}
    if fee.kind == "free":
        if payment and payment.amount > 0 and ctx.mode == "check":
            paid_param: dict[str, Param] = {"paid": _money(payment.amount)}
            findings.append(
                finding(ctx, "fee-not-due", "warning", ("fee", "fee"), [fee], "$.payment", "fee", paid_param)
            )
        free = build(
            FeeResult,
            kind="free",
            mci_percent=None,
            mci_value=None,
            mci_law=None,
            due_amount=None,
            **paid,
            citation=cit,
        )
        return free, findings
    on = payment.date if payment else ctx.case.submitted_on
    mci = mci_on(on)
    pct = fee.mci_percent or 0
    amount = round(mci.value * pct / 100, 2) if mci else None
    result = build(
        FeeResult,
        kind="state-duty",
        mci_percent=pct,
        mci_value=mci.value if mci else None,
        mci_law=mci.law if mci else None,
        due_amount=amount,
        **paid,
        citation=cit,
    )
    findings += _paid_after_decision(ctx)
    if mci is None or amount is None:
        # Outside the series the duty cannot be measured: never a pass. A clerk's check needs the value;
        # a review cannot find a demanded fee lawful (nor unlawful) without it.
        demanded = ctx.case.decision.demanded_fee if ctx.case.decision else None
        if pct and (ctx.mode == "check" or (demanded is not None and demanded > 0)):
            unknown: dict[str, Param] = {
                "on": build(DateParam, type="date", value=on),
                "percent": build(NumberParam, type="number", value=pct, kind="percent"),
            }
            path = "$.payment.date" if payment else "$.submitted_on"
            if ctx.mode == "review":
                path = "$.decision.demanded_fee"
            findings.append(finding(ctx, "mci-unknown", "warning", ("fee", "fee"), [fee], path, "fee", unknown))
        return result, findings
    if not mci.verified:
        params: dict[str, Param] = {
            "year": build(NumberParam, type="number", value=on.year, kind="year"),
            "mci": _money(mci.value),
        }
        findings.append(finding(ctx, "mci-unverified", "info", ("fee", "fee"), [fee], "$.payment.date", "fee", params))
    if ctx.mode != "check":
        return result, findings
    info: dict[str, Param] = {
        "amount": _money(amount),
        "mci": _money(mci.value),
        "percent": build(NumberParam, type="number", value=pct, kind="percent"),
        "on": build(DateParam, type="date", value=on),
    }
    # The document proving payment is the basis a clerk measures the payment against.
    # Its entry on the case's channel and situation (the list item the clerk holds), else its first.
    here = [doc for doc, _, _ in required(ctx) if doc.id == fee.proof_document]
    proof = here[0] if here else ctx.compiled.documents.get(fee.proof_document) if fee.proof_document else None
    if payment is None and proof_handed(ctx):
        # A receipt handed in with no payment recorded: its amount and date are the clerk's to read off it.
        findings.append(
            finding(ctx, "fee-payment-unstated", "warning", ("fee", "fee"), [fee, proof], "$.payment", "fee", info)
        )
    elif payment is None:
        findings.append(finding(ctx, "fee-unpaid", "error", ("fee", "fee"), [fee, proof], "$.payment", "fee", info))
    elif round(payment.amount, 2) < amount:  # compared in tiyn, as the amounts are shown
        info["paid"] = _money(payment.amount)
        findings.append(
            finding(ctx, "fee-underpaid", "error", ("fee", "fee"), [fee, proof], "$.payment.amount", "fee", info)
        )
    else:
        findings.append(finding(ctx, "fee-due", "info", ("fee", "fee"), [fee], "$.payment", "fee", info))
    return result, findings


def _paid_after_decision(ctx: Ctx) -> list[Finding]:
    """A duty paid after the decision (or, lacking its date, after the result was issued): not bad input
    (it happens), but the duty is paid for the application, before it is decided."""
    payment, events = ctx.case.payment, ctx.case.events
    decided = events.get("decided") or events.get("issued")
    if payment is None or decided is None:
        return []
    day = decided.date() if isinstance(decided, datetime) else decided
    if payment.date <= day:
        return []
    params: dict[str, Param] = {
        "paid_on": build(DateParam, type="date", value=payment.date),
        "decided": build(DateParam, type="date", value=day),
    }
    fee = ctx.compiled.rules.fee
    return [finding(ctx, "fee-paid-after-decision", "warning", ("fee", "fee"), [fee], "$.payment.date", "fee", params)]


def duty_due(ctx: Ctx) -> float:
    """The state duty due for the case (0 for a free service; infinite where the MCI is unknown: no
    demanded fee is then found unlawful here, and `evaluate_fee` reports `mci-unknown`, so a review is
    needs-data, never lawful, on it)."""
    fee = ctx.compiled.rules.fee
    if fee.kind != "state-duty" or not applies_on_channel(fee.channels, ctx.case.channel):
        return 0.0  # no duty on this channel: any fee demanded there is beyond the standard
    on = ctx.case.payment.date if ctx.case.payment else ctx.case.submitted_on
    mci = mci_on(on)
    return round(mci.value * (fee.mci_percent or 0) / 100, 2) if mci else float("inf")


def _money(x: float) -> MoneyParam:
    return build(MoneyParam, type="money", value=x)
