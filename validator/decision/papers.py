"""Which paper the officer hands over (талон, қолхат): the decision's part of the papers the standard prescribes.

The channel's papers of acceptance (`papers:` of the rule file) are due when the officer accepts the set:
every document that applies handed in and in order, and nothing left for the clerk to settle — the verdict
is accept, or refuse (a complete set the authority will refuse on a ground of §16 is still accepted and
answered within the term: exit §14 gives the talon «барлық құжаттарды қабылдағаннан кейін»). A clerk's
open question (needs-data) comes first, an incomplete or ineligible set gets none. On an incomplete set the
officer must refuse to accept, the receipt of the refusal (`refusals.grounds[].receipt`), which names the
missing documents, is due. A channel whose standard says no written confirmation is given has a paper of
kind `none`: it is named (the clerk must know), never printed. A review hands over no paper.
"""

from __future__ import annotations

from validator.decision.context import Ctx
from validator.decision.model import ChecklistItem, CitationRef, Finding, PaperDue, build

# The verdicts on which the set is accepted: in order, the clerk has nothing left to settle.
ACCEPTED_ON = ("accept", "refuse")
# Checklist states of a document that is in order, or whose need only the authority can establish.
_IN_ORDER = ("handed-in", "if-authority-finds")


def papers_due(ctx: Ctx, verdict: str, findings: list[Finding], checklist: list[ChecklistItem]) -> list[PaperDue]:
    """The papers due on this case's channel, given its verdict, findings and checklist (a pre-check only)."""
    if ctx.mode != "check":
        return []
    rules = ctx.compiled.rules
    refused = next((f for f in findings if f.code == "acceptance-refused"), None)
    if refused is not None:
        ground = next(g for g in rules.refusals.grounds if g.id == refused.subject.id)
        if ground.receipt is None:
            return []
        cited = build(CitationRef, unit=ground.receipt.cite, quote=ground.receipt.quote)
        return [build(PaperDue, purpose="refusal-to-accept", id=ground.id, kind="receipt", citation=cited)]
    if verdict not in ACCEPTED_ON or any(item.status not in _IN_ORDER for item in checklist):
        return []
    return [
        build(
            PaperDue,
            purpose="acceptance",
            id=paper.id,
            kind=paper.kind,
            citation=build(CitationRef, unit=paper.cite, quote=paper.quote),
        )
        for paper in rules.papers
        if ctx.case.channel in paper.channels
    ]


__all__ = ["ACCEPTED_ON", "papers_due"]
