"""Which paper the officer hands over (талон, қолхат): the decision's part of the papers the standard prescribes.

On a set the officer accepts, the channel's paper of acceptance (`papers:` of the rule file; a channel
whose standard says no written confirmation is given has one of kind `none`); on an incomplete set the
officer must refuse to accept, the receipt of the refusal (`refusals.grounds[].receipt`), which names
the missing documents. A review hands over no paper (its conclusion is the reviewer's own).
"""

from __future__ import annotations

from validator.decision.context import Ctx
from validator.decision.model import CitationRef, Finding, PaperDue, build

# A set is accepted on these verdicts: every document in order (accept), or only the authority's facts
# or the clerk's reading left open (needs-data: the open questions are no reason to refuse acceptance).
_ACCEPTED = ("accept", "needs-data")


def papers_due(ctx: Ctx, verdict: str, findings: list[Finding]) -> list[PaperDue]:
    """The papers due on this case's channel, given its verdict and findings (a pre-check only)."""
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
    if verdict not in _ACCEPTED:
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


__all__ = ["papers_due"]
