"""A standard's case vocabulary (кейс сөздігі): what an integrator or a clerk's system needs to build a
case without reading the rule file — channels, facts with their types, values and who establishes them,
documents with their ids, forms and conditions per channel, grounds with ids and aliases, terms and the
events they run between, the fee. In English, every name given in kk, ru and en. `ereje standards
vocabulary SLUG` prints it; docs/standards/<slug>.md keeps it for every bundled rule file (a test
keeps them current).
"""

from __future__ import annotations

from collections.abc import Iterable

from validator.report.catalogue import WORDS
from validator.report.render import Renderer
from validator.rules.compiler import CompiledRules
from validator.rules.model import (
    AllOf,
    AnyOf,
    ChannelTest,
    Condition,
    DocumentTest,
    FactTest,
    MissingTest,
    NotOf,
    Text,
)

_OPERATORS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "in": "in", "not_in": "not in"}


def describe(cond: Condition | None) -> str:
    """A condition as a reader writes it: `age ≥ 18 and channel in [centre]`."""
    if cond is None:
        return "always"
    if isinstance(cond, FactTest):
        op, value = cond.operator()
        shown = "[" + ", ".join(_scalar(v) for v in value) + "]" if isinstance(value, list) else _scalar(value)
        return f"{cond.fact} {_OPERATORS[op]} {shown}"
    if isinstance(cond, ChannelTest):
        return "channel in [" + ", ".join(cond.channel) + "]"
    if isinstance(cond, DocumentTest):
        return f"{cond.document} handed in"
    if isinstance(cond, MissingTest):
        return "a required document is missing" if cond.documents_missing else "no required document is missing"
    if isinstance(cond, AllOf):
        return " and ".join(_grouped(c) for c in cond.all)
    if isinstance(cond, AnyOf):
        return " or ".join(_grouped(c) for c in cond.any)
    assert isinstance(cond, NotOf)
    return f"not ({describe(cond.not_)})"


def _grouped(cond: Condition) -> str:
    text = describe(cond)
    return f"({text})" if isinstance(cond, AllOf | AnyOf) else text


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _names(text: Text | None) -> str:
    return "" if text is None else _cell(f"{text.kk} / {text.ru} / {text.en}")


def _table(head: list[str], rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def vocabulary_markdown(compiled: CompiledRules) -> str:
    """The vocabulary page of one compiled rule file, in Markdown. Long because it is the page, section
    by section, in the order a case is written (channel, facts, documents, events, decision)."""
    rules, std = compiled.rules, compiled.standard
    lines = [
        f"# {rules.standard}: case vocabulary",
        "",
        f"{_names(rules.title)}",
        "",
        f"In force {rules.in_force.start} – {rules.in_force.end}. "
        f"Generated from `{compiled.rule_file or compiled.file}` "
        f"by `ereje standards vocabulary {std.slug}`; the citations are units of the standard "
        f"(`ereje standards show {std.slug} UNIT`).",
        "",
        "## Channels (`channel:`)",
        "",
    ]
    lines += _table(
        ["id", "kind", "name kk / ru / en", "cite"],
        (
            [c.id, c.kind + (", information only" if c.information_only else ""), _names(c.name), c.cite]
            for c in rules.channels
        ),
    )
    lines += ["## Facts (`facts:`)", ""]
    rows = []
    for f in compiled.facts.values():
        values = ""
        if f.values:
            labels = f.value_labels or {}
            values = "; ".join(f"`{v}` ({labels[v].en})" if v in labels else f"`{v}`" for v in f.values)
        kind = f.type + (f" ({f.unit})" if f.unit else "")
        rows.append([f.id, kind, values, f.established_by, _names(f.label)])
    lines += _table(["id", "type", "values", "established by", "label kk / ru / en"], rows)
    lines += [
        "A fact the authority establishes is not asked of the clerk: a pre-check lists it as what the "
        "authority will verify.",
        "",
        "## Documents (`documents: [{id, form}]`)",
        "",
        "Forms: original, copy, original-and-copy, notarised-copy, notarised, electronic (docs/rules.md says "
        "which satisfies which). One row per entry: the same id on another channel or in another situation "
        "is the same document.",
        "",
    ]
    rows = []
    for d in compiled.entries:
        alternatives = ", ".join(
            a.id + (f" (formerly {', '.join(a.deprecated_ids)})" if a.deprecated_ids else "") for a in d.alternatives
        )
        extra = "; ".join(
            part
            for part in (
                f"or: {alternatives}" if alternatives else "",
                f"formerly: {', '.join(d.deprecated_ids)}" if d.deprecated_ids else "",
                f"aliases: {'; '.join(d.aliases)}" if d.aliases else "",
            )
            if part
        )
        channels = ", ".join(d.channels) if d.channels else "all"
        forms = " or ".join(d.forms) if d.forms else "any"
        if d.forms_basis is not None:
            forms += f" ({d.forms_basis.cite})"
        name = d.name or compiled.document_names.get(d.id)
        rows.append([d.id, channels, describe(d.when), forms, d.cite, _names(name), extra])
    lines += _table(["id", "channels", "required when", "forms", "cite", "name kk / ru / en", "also"], rows)
    if rules.eligibility:
        lines += ["## Who may apply (eligibility)", ""]
        lines += _table(
            ["id", "requires", "cite", "aliases"],
            ([r.id, describe(r.require), r.cite, "; ".join(r.aliases)] for r in rules.eligibility),
        )
    lines += ["## Grounds (`decision.grounds`)", ""]
    closed = rules.refusals.closed_basis
    lines += [
        ("The list of grounds is closed" + (f" ({closed.cite})." if closed else ".")) if rules.refusals.closed else "",
        "",
    ]
    for stated in rules.refusals.none_for:
        lines += [f"No ground of {stated.kind} ({stated.cite}).", ""]
    rows = []
    for g in rules.refusals.grounds:
        kind = ", ".join([g.kind, *g.also_for])
        rows.append(
            [
                g.id,
                kind,
                describe(g.when) if g.when else "rests on another law",
                g.cite,
                _names(g.name),
                "; ".join(g.aliases),
            ]
        )
    lines += _table(["id", "kind", "when", "cite", "name kk / ru / en", "aliases"], rows)
    lines += ["## Terms", ""]
    english = Renderer(compiled, "en")
    rows = []
    for t in rules.terms:
        span = f"{t.start} → {t.end}" + (f" (or from the end of {t.start_fallback})" if t.start_fallback else "")
        extra = f"extends {t.extends}" if t.extends else ""
        rows.append(
            [
                t.id,
                english.duration(t.duration, t.unit),
                span,
                ", ".join(t.channels) if t.channels else "all",
                describe(t.when),
                t.cite,
                _names(t.name),
                extra,
            ]
        )
    lines += _table(["id", "duration", "from → to", "channels", "when", "cite", "name kk / ru / en", "also"], rows)
    lines += ["## Events (`events:`, a date or a date and time)", ""]
    lines += _table(["id", "name kk / ru / en"], ([e, " / ".join(WORDS["event"][e])] for e in WORDS["event"]))
    fee = rules.fee
    lines += ["## Fee (`payment: {amount, date}`)", ""]
    if fee.kind == "free":
        lines += [f"Free ({fee.cite}).", ""]
    else:
        proof = f"; proof of payment: `{fee.proof_document}`" if fee.proof_document else ""
        lines += [f"State duty of {fee.mci_percent:g}% of the MCI on the day of payment ({fee.cite}{proof}).", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


__all__ = ["describe", "vocabulary_markdown"]
