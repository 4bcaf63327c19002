"""Rendering a decision for people: text for a terminal, Markdown for a ticket, JSON for a client.

`render(decision, compiled, lang, fmt)` is a function of the decision and the language, plus the
compiled rules and the standard for names and paragraph texts. Every word comes from the catalogue
or from the rule file, in the requested language. What is shown verbatim — the law's quotes and
paragraph texts (official spelling) and what the user typed — is marked as such in the spans the
text and Markdown renderers build, so a test can prove that nothing else leaks another language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic_core import to_json as to_json_bytes

from validator.decision.compiled import Budget, SharedValues, shared_values
from validator.decision.model import (
    ChecklistItem,
    CitationRef,
    Decision,
    FeeResult,
    Finding,
    PaperDue,
    Param,
    RefsParam,
    TermResult,
    build,
)
from validator.report import locale
from validator.report.catalogue import DURATIONS, MESSAGES, WORDS
from validator.report.locale import LANGS, Lang
from validator.rules.compiler import CompiledRules
from validator.rules.model import Alternative, Text

Format = Literal["text", "md", "json"]
SCHEMA_VERSION = 2
# The JSON report's fields that hold text in the report's language (an object of all three with
# `--lang all`); everything else is the same whatever the language.
RENDERED_KEYS = frozenset({"lang", "message", "name", "label"})
RENDERED_SUFFIXES = ("_label", "_name")


class Spans(list[tuple[str, bool]]):
    """A line of text as pieces, each marked verbatim (the law's words, the user's) or not."""

    def add(self, text: str, verbatim: bool = False) -> Spans:
        if text:
            self.append((text, verbatim))
        return self

    def extend_spans(self, other: Iterable[tuple[str, bool]]) -> Spans:
        self.extend(other)
        return self

    def text(self) -> str:
        return "".join(t for t, _ in self)


class Renderer:
    """The words of one report: names from the rule file, the rest from the catalogue, in one language."""

    def __init__(self, compiled: CompiledRules, lang: Lang, channel: str | None = None) -> None:
        self.compiled = compiled
        self.lang = lang
        self.idx = LANGS.index(lang)
        self.names = _names(compiled)
        self.channel = channel  # a document is named as the entry of this channel names it

    # --- words -------------------------------------------------------------------------------------

    def word(self, kind: str, id_: str) -> str:
        return WORDS[kind][id_][self.idx]

    def heading(self, key: str) -> str:
        return WORDS["heading"][key][self.idx]

    def label(self, unit: str) -> str:
        return locale.citation_label(self.lang, _as_read(self.compiled, unit))

    def name(self, kind: str, id_: str, cite: str | None = None) -> Spans:
        """The name of a rule item in the report's language; an id the rules do not know is shown as typed.
        A document is named as the entry that applies names it (`cite`: that entry's unit), else as its
        entry on the report's channel names it."""
        if kind in ("form", "ground-kind", "outcome", "event"):
            return Spans().add(self.word(kind, id_))
        if kind in ("unit", "amendment"):
            return Spans().add(self.label(id_))
        if kind == "fee":
            return Spans().add(self.word("heading", "fee"))
        # Two entries may cite one list item (the branch's and the centre's): the case's channel picks its own.
        text = self.names.get((kind, id_, "@" + cite, self.channel or "")) if kind == "document" and cite else None
        text = text or (self.names.get((kind, id_, "@" + cite)) if kind == "document" and cite else None)
        text = text or (self.names.get((kind, id_, self.channel)) if kind == "document" and self.channel else None)
        text = text or self.names.get((kind, id_))
        if text is None:
            return Spans().add("«").add(_shown(id_), verbatim=True).add("»")
        return Spans().add(getattr(text, self.lang))

    def alternatives(self, id_: str, cite: str | None) -> list[Alternative]:
        """What the list item citing `cite` (else the document's entry on the report's channel) takes instead
        of document `id_` (its alternatives), in the rules' order."""
        if id_ not in self.compiled.documents:
            return []  # an id the case made up: nothing to offer, and nothing of the request enters a cache
        key = ("alternatives", id_, cite, self.channel)
        found = self.compiled.cache.get(key)
        if found is None:
            entries = [e for e in self.compiled.entries if e.id == id_]
            here = [e for e in entries if not e.channels or (self.channel or "") in e.channels]
            entry = next((e for e in entries if e.cite == cite), None) if cite else None
            entry = entry or next(iter(here), None) or next(iter(entries), None)
            found = self.compiled.cache[key] = list(entry.alternatives) if entry is not None else []
        return list(found)  # a copy: the cached list is shared by every report of these rules

    def paper_name(self, paper: PaperDue) -> str:
        """The paper's name: the rule file's for a paper of acceptance, the catalogue's for the receipt of a
        refusal to accept (named by what it carries) and for «no written confirmation»."""
        if paper.purpose == "refusal-to-accept":
            return self.word("paper", "refusal-receipt")
        if paper.kind == "none":
            return self.word("paper", "none-given")
        return getattr(self.names[("paper", paper.id)], self.lang)  # type: ignore[no-any-return]

    def duration(self, n: int, unit: str) -> str:
        forms = DURATIONS[unit]
        pattern = forms.get(locale.plural(self.lang, n), forms["other"])
        return pattern[self.idx].format(n=locale.number(self.lang, n))

    def day(self, d: Any) -> str:
        """06.05.2013 (kk: 06.05.2013 ж., as a Kazakh date is written before a case ending or «дейін»)."""
        return f"{locale.day(d)} ж." if self.lang == "kk" else locale.day(d)

    def moment(self, d: Any) -> str:
        """06.05.2013 10:30, with the seconds where the case gives any (10:20:45), so a breach by seconds
        never reads as «due 10:20, done 10:20»."""
        return f"{self.day(d.date())} {d.strftime('%H:%M:%S' if d.second else '%H:%M')}"

    def when(self, value: Any, unit: str) -> str:
        return self.moment(value) if unit in ("hours", "minutes") else self.day(value.date())

    # --- findings ----------------------------------------------------------------------------------

    def param(self, p: Param) -> Spans:
        if p.type == "date":
            return Spans().add(self.day(p.value))
        if p.type == "datetime":
            return Spans().add(self.moment(p.value))
        if p.type == "money":
            return Spans().add(locale.money(self.lang, p.value))
        if p.type == "number":
            if p.kind == "year":
                return Spans().add(str(int(p.value)))
            text = locale.number(self.lang, p.value)
            return Spans().add(f"{text}%" if p.kind == "percent" else text)
        if p.type == "ref":
            return self.name(p.kind, p.id)
        if p.type == "refs":
            # Forms are alternatives (any one of them will do); facts and others are listed.
            sep = f" {self.heading('or')} " if p.kind == "form" else ", "
            out = Spans()
            for i, id_ in enumerate(p.ids):
                named = self.item_name(id_, None) if p.kind == "document" else self.name(p.kind, id_)
                out.add(sep if i else "").extend_spans(named)
                fact = self.compiled.facts.get(id_) if p.kind == "fact" else None
                if fact is not None and fact.type == "boolean":
                    # A yes/no fact is labelled as a statement: say it is the question, not the finding.
                    out.add(f" ({self.heading('yes-or-no')})")
            return out
        if p.type == "text":
            return Spans().add("«").add(_shown(p.value), verbatim=True).add("»")
        return Spans().add(locale.decree(self.lang, p.number, p.date))

    def message(self, f: Finding) -> Spans:
        """The finding's message: its code's template, filled with its subject's name and parameters;
        a sentence, so it starts with a capital letter whatever its first word (a citation label)."""
        code = f.code
        amount = f.params.get("amount")
        if code == "fee-demanded-unlawfully" and amount is not None and amount.type == "money" and not amount.value:
            code = "fee-demanded-when-free"
        facts = f.params.get("facts")
        no_facts = facts is not None and facts.type == "refs" and not facts.ids
        if code == "needs-data" and no_facts and "forms_of" in f.params:
            code = "needs-data.forms"  # only a document's form is lacking
        if code == "ineligible" and f.subject.id in _venues(self.compiled):
            code = "ineligible.venue"  # where to file, not who the applicant is
        document = f.params.get("document")
        if code == "document-demanded-beyond-list" and document is not None and document.type == "ref":
            code = "document-demanded-beyond-list.elsewhere"  # on the standard's list, not for this case
        out = Spans() if code == "also-not-stated" and no_facts else self._fill(MESSAGES[code][self.idx], f)
        if code == "not-in-force" and "repeal" in f.params:
            out.add(" ").extend_spans(self._fill(MESSAGES["repealed-by"][self.idx], f))
        if code == "acceptance-refused" and "receipt" in f.params:
            out.add(" ").extend_spans(self._fill(MESSAGES["acceptance-refused.receipt"][self.idx], f))
        if code in ("needs-data", "also-not-stated") and "forms_of" in f.params:
            out.add(" " if out else "").extend_spans(self._fill(MESSAGES["forms-not-stated"][self.idx], f))
        if out and not out[0][1] and out[0][0][:1].islower():
            out[0] = (out[0][0][:1].upper() + out[0][0][1:], False)
        return out

    def _fill(self, template: str, f: Finding) -> Spans:
        out = Spans()
        rest = template
        while "{" in rest:
            before, _, tail = rest.partition("{")
            key, _, rest = tail.partition("}")
            value = self.subject_name(f) if key == "name" else self.param(f.params[key])
            shown = value.text()
            if before.endswith("«") and rest.startswith("»") and shown.startswith("«") and shown.endswith("»"):
                # A name that carries its own guillemets is not quoted again («…«…»»).
                before, rest = before[:-1], rest[1:]
            out.add(before).extend_spans(value)
        if rest.startswith(".") and out and out[-1][0].endswith(".") and not out[-1][1]:
            rest = rest[1:]  # «… 20.06.2013 ж.» ends the sentence already: no second full stop
        return out.add(rest)

    def subject_name(self, f: Finding) -> Spans:
        """A finding's subject by name: a document as its entry cited first (the one that applies) names it,
        with what the list item takes instead (a missing «military ID» is «military ID or the temporary
        certificate in lieu of it»: the clerk must not turn away the holder of the other)."""
        cite = f.citations[0].unit if f.subject.kind == "document" and f.citations else None
        if f.subject.kind == "document" and cite is not None:
            return self.item_name(f.subject.id, cite)
        return self.name(f.subject.kind, f.subject.id, cite)

    def item_name(self, id_: str, cite: str | None) -> Spans:
        """A document as its list item names it: its name, and its alternatives where the name does not
        already say them («… не …», «… или …»)."""
        name = self.name("document", id_, cite)
        alternatives = self.alternatives(id_, cite)
        text = name.text().lower()
        if (
            not alternatives
            or any(w in f" {text} " for w in _OR_WORDS[self.lang])
            or all(getattr(a.name, self.lang).lower() in text for a in alternatives)
        ):
            return name
        return name.add(f" ({self.heading('or')}: " + "; ".join(getattr(a.name, self.lang) for a in alternatives) + ")")

    def citations(self, cites: list[CitationRef]) -> str:
        return "; ".join(self.label(c.unit) for c in cites)

    def citation_json(self, c: CitationRef) -> dict[str, Any]:
        """A citation as the JSON report writes it; the same for every report of these rules in this
        language, so built once (the dict is only ever serialised, never changed)."""
        key = ("citation-json", self.lang, c.unit, c.quote)
        cached = self.compiled.cache.get(key)
        if cached is None:
            cached = self.compiled.cache[key] = self._citation_json(c)
        return cached

    def _citation_json(self, c: CitationRef) -> dict[str, Any]:
        cit = locale.parse_citation(c.unit)
        return {
            "standard": self.compiled.standard.slug,
            "unit": c.unit,
            "paragraph": cit.paragraph,
            "subparagraph": cit.subparagraph,
            "label": self.label(c.unit),
            "label_kk": cit.kazakh(),
            "text": _unit_text(self.compiled, c.unit),
            "quote": c.quote,
        }

    # --- checklist, terms, fee -----------------------------------------------------------------------

    def forms(self, forms: list[str] | None) -> str:
        """The forms a document may come in: alternatives, any one will do."""
        return f" {self.heading('or')} ".join(self.word("form", f) for f in forms or ())

    def forms_shown(self, forms: list[str] | None, name: str) -> str:
        """The forms, unless the document's name already says them («Копия документа…» is not followed by «(копия)»)."""
        words = [self.word("form", f) for f in forms or ()]
        if words and all(w.lower() in name.lower() for w in words):
            return ""
        return self.forms(forms)

    def term_line(self, t: TermResult) -> Spans:
        out = Spans().extend_spans(self.name("term", t.id)).add(f": {self.duration(t.duration, t.unit)}")
        if t.due is not None:
            out.add(f", {self.word('heading', 'due').lower()} {self.when(t.due, t.unit)}")
        if t.latest_due is not None and t.latest_due != t.due:
            out.add(f", {self.word('heading', 'latest')} {self.when(t.latest_due, t.unit)}")
        return out.add(f" — {self.word('status', t.status)} ({self.label(t.citation.unit)})")

    def fee_line(self, fee: FeeResult) -> str:
        cite = self.label(fee.citation.unit)
        if fee.kind == "free":
            return f"{self.word('heading', 'free')} — {cite}"
        duty, mci = self.word("heading", "state-duty"), self.word("heading", "mci")
        pct = f"{locale.number(self.lang, fee.mci_percent or 0)}%"
        if fee.due_amount is None or fee.mci_value is None:
            return f"{duty}: {pct} {mci} ({self.word('heading', 'unknown-mci')}) — {cite}"
        mci_value = locale.money(self.lang, fee.mci_value)
        return f"{duty} {locale.money(self.lang, fee.due_amount)} ({mci} {mci_value} × {pct}) — {cite}"


def _shown(typed: str) -> str:
    """What the user typed, shown on one line: a line break or other control character in a ground's
    text must not start a line of its own that reads like a finding (it is shown escaped, \\n)."""
    if typed.isprintable():
        return typed
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in typed)


# Words by which a document's own name already offers a choice (its alternatives need no second mention).
_OR_WORDS = {"kk": (" не ", " немесе ", " я "), "ru": (" или ", " либо "), "en": (" or ",)}


def _venues(compiled: CompiledRules) -> frozenset[str]:
    """The requirements that say where to file (kind venue), not who may apply."""
    found = compiled.cache.get("venues")
    if found is None:
        found = compiled.cache["venues"] = frozenset(r.id for r in compiled.rules.eligibility if r.kind == "venue")
    return found


def _as_read(compiled: CompiledRules, unit: str) -> str:
    """The unit id as a reader counts the lists of its paragraph (`Standard.as_read`)."""
    return compiled.standard.as_read(unit) if "~" in unit else unit


def _names(compiled: CompiledRules) -> dict[tuple[str, ...], Text]:
    """(kind, id) → name, for every item a finding's subject or parameter can name (built once)."""
    cached = compiled.cache.get("names")
    if cached is not None:
        return cached  # type: ignore[no-any-return]  # read only: shared by every report of these rules
    rules = compiled.rules
    names: dict[tuple[str, ...], Text] = {("document", k): v for k, v in compiled.document_names.items()}
    # One document listed for several channels may be worded for each ("Notarised copy of …" at a centre).
    shared = compiled.document_names
    for entry in compiled.entries:
        for channel in entry.channels or [c.id for c in rules.channels]:
            names.setdefault(("document", entry.id, channel), entry.name or shared[entry.id])
        names.setdefault(("document", entry.id, "@" + entry.cite), entry.name or shared[entry.id])
        for channel in entry.channels or [c.id for c in rules.channels]:
            names.setdefault(("document", entry.id, "@" + entry.cite, channel), entry.name or shared[entry.id])
    names.update({("ground", g.id): g.name for g in rules.refusals.grounds})
    names.update({("eligibility", r.id): r.message for r in rules.eligibility})
    names.update({("term", t.id): t.name for t in rules.terms})
    names.update({("channel", c.id): c.name for c in rules.channels})
    names.update({("schedule", c.id): c.name for c in rules.channels})
    names.update({("fact", f.id): f.label for f in compiled.facts.values()})
    names.update({("paper", p.id): p.name for p in rules.papers})
    names[("standard", compiled.standard.slug)] = compiled.rules.title
    compiled.cache["names"] = names
    return names


def _unit_text(compiled: CompiledRules, unit: str) -> str:
    key = ("unit-text", unit)
    text = compiled.cache.get(key)
    if text is None:
        text = compiled.cache[key] = compiled.standard.full_text(unit)
    return str(text)


# --- text ----------------------------------------------------------------------------------------------


def text_lines(decision: Decision, compiled: CompiledRules, lang: Lang) -> list[Spans]:
    """The text report as lines of spans (the verbatim ones marked). Long because it is the report's
    whole layout, top to bottom, in the order a clerk reads it."""
    r = Renderer(compiled, lang, decision.channel)
    lines: list[Spans] = [
        Spans()
        .add(f"{r.heading('case')}: ")
        .add(_shown(decision.case) if decision.case else r.heading("none"), verbatim=decision.case is not None),
        Spans().add(f"{r.heading('standard')}: ").extend_spans(r.name("standard", decision.standard)),
        Spans()
        .add(f"{r.word('mode', decision.kind)} · {r.heading('channel')}: ")
        .extend_spans(r.name("channel", decision.channel))
        .add(f" · {r.heading('submitted').lower()} {r.day(decision.submitted_on)}")
        .add(
            ""
            if decision.evaluated_on == decision.submitted_on
            else f" · {r.heading('evaluated').lower()} {r.day(decision.evaluated_on)}"
        ),
        Spans().add(f"{r.heading('verdict')}: {r.word('verdict', decision.verdict)}"),
    ]
    if decision.checklist:
        lines.append(Spans().add(f"{r.heading('checklist')}:"))
        lines += [_checklist_line(r, item) for item in decision.checklist]
    if decision.findings:
        width = max(len(r.word("severity", f.severity)) for f in decision.findings)
        lines.append(Spans().add(f"{r.heading('findings')}:"))
        for f in decision.findings:
            line = Spans().add(f"  {r.word('severity', f.severity).ljust(width)}  ").extend_spans(r.message(f))
            if f.citations:
                line.add(f" — {r.citations(f.citations)}")
            lines.append(line)
        quoted = _quoted(decision.findings)
        if quoted:
            lines.append(Spans().add(f"{r.heading('law')}:"))
            for unit, quotes in quoted.items():
                line = Spans().add(f"  {r.label(unit)}: ")
                for i, quote in enumerate(quotes):
                    line.add(" … " if i else "").add("«").add(quote, verbatim=True).add("»")
                lines.append(line)
    if decision.terms:
        lines.append(Spans().add(f"{r.heading('terms')}:"))
        lines += [Spans().add("  ").extend_spans(r.term_line(t)) for t in decision.terms]
    if decision.fee:
        lines.append(Spans().add(f"{r.heading('fee')}: {r.fee_line(decision.fee)}"))
    for paper in decision.papers:
        lines.append(
            Spans().add(f"{r.heading('paper')}: ").add(r.paper_name(paper)).add(f" — {r.label(paper.citation.unit)}")
        )
    return lines


_CHECK_MARK = {
    "handed-in": "✓",
    "missing": " ",
    "wrong-form": "!",
    "short": "!",
    "expired": "!",
    "underpaid": "!",
    "form-unstated": "?",
    "count-unstated": "?",
    "date-unstated": "?",
    "if-authority-finds": "?",
}


def _named_with_alternatives(r: Renderer, item: ChecklistItem) -> Spans:
    """A checklist line's document: what the list item takes instead is said where it is not handed in
    in order (a clerk told only «military ID missing» would turn away the holder of the certificate)."""
    if item.status == "handed-in":
        return r.name("document", item.id, item.cite)
    return r.item_name(item.id, item.cite)


def _checklist_line(r: Renderer, item: ChecklistItem) -> Spans:
    name = _named_with_alternatives(r, item)
    line = Spans().add(f"  [{_CHECK_MARK[item.status]}] ").extend_spans(name)
    forms = r.forms_shown(item.forms, name.text())
    if forms:
        line.add(f" ({forms})")
    if item.status not in ("handed-in", "missing", "if-authority-finds"):
        line.add(f" — {r.word('checklist-status', item.status)}")
    elif item.status == "if-authority-finds":
        facts = build(RefsParam, type="refs", kind="fact", ids=item.facts)
        line.add(f" — {r.word('checklist-status', item.status)}: ").extend_spans(r.param(facts))
    return line.add(f" — {r.label(item.cite)}")


def _quoted(findings: list[Finding]) -> dict[str, list[str]]:
    """The quotes the error findings rest on, by unit (one line a unit, however many findings quote
    it), each once and none contained in another, in the order of the findings."""
    out: dict[str, list[str]] = {}
    for f in findings:
        if f.severity != "error":
            continue
        for c in f.citations:
            quotes = out.setdefault(c.unit, [])
            if any(c.quote in q for q in quotes):
                continue
            quotes[:] = [q for q in quotes if q not in c.quote] + [c.quote]
    return out


def to_text(decision: Decision, compiled: CompiledRules, lang: Lang) -> str:
    return "\n".join(line.text() for line in text_lines(decision, compiled, lang)) + "\n"


# --- Markdown ------------------------------------------------------------------------------------------


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"} | {"&": "&amp;"})


def _md(text: str) -> str:
    """Verbatim text in Markdown: every character that Markdown or HTML would interpret is escaped."""
    return text.translate(_MD_SPECIAL)


def _cell(spans: Spans) -> Spans:
    """Spans in a Markdown table cell: our own words keep their form (only `|` escaped); verbatim
    text (what the user typed, the law's quotes) is escaped whole. Markup the renderer adds (<br>) is
    added after this, as markup."""
    return Spans((_md(t) if v else t.replace("|", "\\|"), v) for t, v in spans)


def markdown_lines(decision: Decision, compiled: CompiledRules, lang: Lang) -> list[Spans]:
    """The Markdown report as lines of spans: a heading, the verdict, then tables."""
    r = Renderer(compiled, lang, decision.channel)
    title = Spans().add("## ").extend_spans(r.name("standard", decision.standard))
    lines = [title, Spans()]
    lines.append(
        Spans()
        .add(f"**{r.heading('case')}:** ")
        .add(_md(_shown(decision.case)) if decision.case else r.heading("none"), verbatim=decision.case is not None)
        .add(f" · {r.word('mode', decision.kind)} · ")
        .extend_spans(r.name("channel", decision.channel))
        .add(f" · {r.day(decision.submitted_on)}")
    )
    lines += [Spans(), Spans().add(f"**{r.heading('verdict')}:** {r.word('verdict', decision.verdict)}"), Spans()]
    if decision.checklist:
        lines.append(
            Spans().add(
                f"| {r.heading('handed')} | {r.heading('document')} | {r.heading('form')} | {r.heading('citation')} |"
            )
        )
        lines.append(Spans().add("|---|---|---|---|"))
        for item in decision.checklist:
            yes = Spans().add(r.word("checklist-status", item.status))
            if item.facts:
                yes.add(": ").extend_spans(r.param(build(RefsParam, type="refs", kind="fact", ids=item.facts)))
            lines.append(
                Spans()
                .add("| ")
                .extend_spans(_cell(yes))
                .add(" | ")
                .extend_spans(_cell(_named_with_alternatives(r, item)))
                .add(f" | {r.forms(item.forms)} | {r.label(item.cite)} |")
            )
        lines.append(Spans())
    if decision.findings:
        lines.append(Spans().add(f"| {r.heading('severity')} | {r.heading('message')} | {r.heading('citation')} |"))
        lines.append(Spans().add("|---|---|---|"))
        for f in decision.findings:
            quotes = Spans()
            for c in f.citations:
                if quotes:
                    quotes.add("<br>", verbatim=True)  # markup, not words
                quotes.add(f"{r.label(c.unit)}: «").add(_md(c.quote), verbatim=True).add("»")
            lines.append(
                Spans()
                .add(f"| {r.word('severity', f.severity)} | ")
                .extend_spans(_cell(r.message(f)))
                .add(" | ")
                .extend_spans(quotes)
                .add(" |")
            )
        lines.append(Spans())
    if decision.terms:
        lines.append(
            Spans().add(
                f"| {r.heading('term')} | {r.heading('duration')} | {r.heading('due')} | {r.heading('status')} |"
            )
        )
        lines.append(Spans().add("|---|---|---|---|"))
        for t in decision.terms:
            due = r.when(t.due, t.unit) if t.due else r.heading("none")
            if t.latest_due is not None and t.latest_due != t.due:
                due += f" ({r.heading('latest')} {r.when(t.latest_due, t.unit)})"
            lines.append(
                Spans()
                .add("| ")
                .extend_spans(_cell(r.name("term", t.id)))
                .add(f" | {r.duration(t.duration, t.unit)} | {due} | {r.word('status', t.status)} |")
            )
        lines.append(Spans())
    if decision.fee:
        lines += [Spans().add(f"**{r.heading('fee')}:** {r.fee_line(decision.fee)}"), Spans()]
    for paper in decision.papers:
        name = _cell(Spans().add(r.paper_name(paper)))
        line = Spans().add(f"**{r.heading('paper')}:** ").extend_spans(name)
        lines += [line.add(f" — {r.label(paper.citation.unit)}"), Spans()]
    return lines


def to_markdown(decision: Decision, compiled: CompiledRules, lang: Lang) -> str:
    return "\n".join(line.text() for line in markdown_lines(decision, compiled, lang)).rstrip("\n") + "\n"


# --- JSON ----------------------------------------------------------------------------------------------


class _Piece:
    """One finding's, checklist line's or term's JSON, and that JSON written out (made once, kept with it):
    a report is written by joining its pieces' texts to the text of the rest."""

    __slots__ = ("_compact", "_pretty", "keep", "value")

    def __init__(self, value: dict[str, Any], keep: bool = True) -> None:
        self.value = value
        self.keep = keep  # keep the text too (a piece of a shared value), or write it at each use
        self._pretty: bytes | None = None
        self._compact: bytes | None = None

    def text(self, compact: bool) -> bytes:
        """The piece as JSON: on one line, or indented as an item of a list in the report (depth 2)."""
        if compact:
            found = self._compact or to_json_bytes(self.value)
            if self.keep:
                self._compact = found
            return found
        found = self._pretty or b"    " + to_json_bytes(self.value, indent=2).replace(b"\n", b"\n    ")
        if self.keep:
            self._pretty = found
        return found


_LISTED = ("findings", "checklist", "terms")


def _report_parts(
    decision: Decision, compiled: CompiledRules, lang: Lang
) -> tuple[dict[str, Any], dict[str, list[_Piece]], dict[str, Any]]:
    """The JSON report in one language as its three parts, in the report's order: the fields before the
    lists, the lists of findings, checklist lines and terms (as pieces), and the fields after them.

    A finding's and a checklist line's JSON is a function of its own fields, the language and the channel:
    the same missing passport renders the same way in every case, so each is built once and kept (bounded,
    `_rendered`; a value the compiled plans share, by its id); the pieces are only ever written, never changed."""
    r = Renderer(compiled, lang, decision.channel)
    d = decision.model_dump(mode="json", exclude={"findings", "checklist", "terms"})
    rendered = _rendered(compiled)
    shared = shared_values(compiled)
    head = {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "kind": d["kind"],
        "standard": d["standard"],
        "standard_name": r.name("standard", decision.standard).text(),
        "case": d["case"],
        "channel": d["channel"],
        "channel_name": r.name("channel", decision.channel).text(),
        "submitted_on": d["submitted_on"],
        "evaluated_on": d["evaluated_on"],
        "verdict": d["verdict"],
        "verdict_label": r.word("verdict", decision.verdict),
    }
    lists = {
        "findings": [_finding_json_cached(r, f, rendered, shared) for f in decision.findings],
        "checklist": [_checklist_json_cached(r, i, rendered, shared) for i in decision.checklist],
        "terms": [_term_json_cached(r, t, shared) for t in decision.terms],
    }
    tail = {
        "fee": None if decision.fee is None else _fee_json_cached(r, decision.fee, d["fee"], shared),
        "papers": [
            {**pd, "name": r.paper_name(p), "citation": r.citation_json(p.citation)}
            for p, pd in zip(decision.papers, d["papers"], strict=True)
        ],
        "versions": d["versions"],
    }
    return head, lists, tail


def report_dict(decision: Decision, compiled: CompiledRules, lang: Lang) -> dict[str, Any]:
    """The JSON report in one language: the decision's fields, with names, labels and messages beside them."""
    head, lists, tail = _report_parts(decision, compiled, lang)
    return {**head, **{k: [p.value for p in pieces] for k, pieces in lists.items()}, **tail}


def report_bytes(
    decision: Decision, compiled: CompiledRules, lang: Lang | Literal["all"], compact: bool = False
) -> bytes:
    """The stable JSON report as UTF-8 (what `to_json` returns as text): `report_dict` written out, the
    findings, checklist lines and terms joined from their kept texts instead of written again.

    pydantic-core's serializer (Rust) writes indented JSON ~5x faster than json.dumps, whose C encoder is
    off as soon as `indent` is given; UTF-8, key order kept. The joining leans on what that writer
    produces: an object opens with `{` and a new line, closes with a new line and `}` (one line and no
    spaces when compact); a string never holds a raw new line. tests/test_render.py holds the result to
    `report_dict` written whole, byte for byte."""
    if lang == "all":
        return to_json_bytes(report_json_obj(decision, compiled, lang), indent=None if compact else 2)
    head, lists, tail = _report_parts(decision, compiled, lang)
    if compact:
        out = [to_json_bytes(head)[:-1]]
        for key in _LISTED:
            out.append(b',"%s":[' % key.encode() + b",".join(p.text(True) for p in lists[key]) + b"]")
        out.append(b"," + to_json_bytes(tail)[1:])
        return b"".join(out)
    out = [to_json_bytes(head, indent=2)[:-2]]  # without the closing "\n}"
    for key in _LISTED:
        pieces = lists[key]
        body = b"[\n" + b",\n".join(p.text(False) for p in pieces) + b"\n  ]" if pieces else b"[]"
        out.append(b',\n  "%s": ' % key.encode() + body)
    out.append(b",\n" + to_json_bytes(tail, indent=2)[2:])  # without the opening "{\n"
    return b"".join(out)


# Pieces kept by their fields (findings, checklist lines), and pieces of the values the compiled plans share,
# kept by id: each under a budget for the whole process (`Budget`), so a batch over every standard levels
# off early (bench/scale.py) and what requests can put there is bounded (tests/test_load.py holds the
# server's memory to it). Pieces by fields start again, in every rule file, when their budget is spent;
# pieces by id are kept while it lasts, then made at each use.
CONTENT_PIECES = Budget("rendered-count", 8192)
SHARED_PIECES = Budget("rendered-shared-count", 8192)


def _rendered(compiled: CompiledRules) -> dict[tuple[Any, ...], _Piece]:
    """The pieces kept for `compiled` by their fields (the pieces kept by id are in the registry's
    `derived`, and go with it)."""
    store: dict[tuple[Any, ...], _Piece] | None = compiled.cache.get("rendered")
    if store is None:
        store = compiled.cache["rendered"] = {}
    return store


def _keep_content(compiled: CompiledRules, store: dict[tuple[Any, ...], _Piece], key: Any, piece: _Piece) -> _Piece:
    if not CONTENT_PIECES.take(compiled):
        for owner in CONTENT_PIECES.owners():  # spent: every store starts again
            owner.cache.pop("rendered", None)
            CONTENT_PIECES.release(owner)
        store = _rendered(compiled)
        CONTENT_PIECES.take(compiled)
    store[key] = piece
    return piece


def _kept_by_id(r: Renderer, shared: SharedValues, value: Any, make: Callable[[], _Piece]) -> _Piece:
    """The piece of a value the compiled plans share, keyed by its id (the registry keeps the value alive,
    so the id names it alone): found, or made and kept with the registry while the process's budget lasts."""
    key = (r.lang, r.channel, id(value))
    found: _Piece | None = shared.derived.get(key)
    if found is None:
        found = make()
        if SHARED_PIECES.take(shared):
            shared.derived[key] = found
    return found


def forget_pieces(compiled: CompiledRules) -> None:
    """Drop the report pieces kept for `compiled` (by fields and by id), and their counts."""
    compiled.cache.pop("rendered", None)
    CONTENT_PIECES.release(compiled)
    shared = compiled.cache.get("shared-values")
    if shared is not None:
        shared.derived.clear()
        SHARED_PIECES.release(shared)


def _value_key(value: Any) -> Any:
    """A hashable stand-in for a finding's parameter value (lists become tuples; dates stay as they are).

    Values equal in Python but written differently are kept apart: -0.0 and 0.0, 1 and 1.0 and true."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, float):
        return (float, value, math.copysign(1.0, value))
    return (type(value), value)


def _finding_key(r: Renderer, f: Finding) -> tuple[Any, ...]:
    """Everything a finding's JSON depends on: its fields, the language and the report's channel (a
    document is named as its channel's entry names it)."""
    params = tuple((k, tuple(_value_key(v) for v in p.__dict__.values())) for k, p in f.params.items())
    rule = (f.rule.file, f.rule.line, f.rule.path) if f.rule is not None else None
    cites = tuple((c.unit, c.quote) for c in f.citations)
    return (r.lang, r.channel, f.code, f.severity, f.subject.kind, f.subject.id, f.case_path, cites, rule,
            tuple(f.facts_needed), params)  # fmt: skip


def _finding_json_cached(
    r: Renderer,
    f: Finding,
    store: dict[tuple[Any, ...], _Piece],
    shared: SharedValues,
) -> _Piece:
    # A finding the compiled plans share is named by its id (the registry keeps it alive); any other by
    # its fields.
    if id(f) in shared:
        return _kept_by_id(r, shared, f, lambda: _Piece(_finding_json(r, f, f.model_dump(mode="json"))))
    if any(p.type == "text" for p in f.params.values()):
        # It quotes what a user typed: it will not recur, and requests must not fill the store with it.
        return _Piece(_finding_json(r, f, f.model_dump(mode="json")), keep=False)
    key = _finding_key(r, f)
    found = store.get(key)
    if found is None:
        found = _keep_content(
            r.compiled, store, key, _Piece(_finding_json(r, f, f.model_dump(mode="json")), keep=False)
        )
    return found


def _checklist_json_cached(
    r: Renderer,
    i: ChecklistItem,
    store: dict[tuple[Any, ...], _Piece],
    shared: SharedValues,
) -> _Piece:
    if id(i) in shared:
        return _kept_by_id(r, shared, i, lambda: _checklist_piece(r, i))
    key = ("item", r.lang, r.channel, i.id, _value_key(i.forms), i.handed_in, i.status, i.cite, tuple(i.facts))
    found = store.get(key)
    if found is None:
        found = _keep_content(r.compiled, store, key, _checklist_piece(r, i))
    return found


def _checklist_piece(r: Renderer, i: ChecklistItem) -> _Piece:
    return _Piece(
        {
            "id": i.id,
            "name": r.name("document", i.id, i.cite).text(),
            "alternatives": [{"id": a.id, "name": getattr(a.name, r.lang)} for a in r.alternatives(i.id, i.cite)],
            "forms": list(i.forms) if i.forms is not None else None,
            "forms_label": r.forms(i.forms) or None,
            "handed_in": i.handed_in,
            "status": i.status,
            "status_label": r.word("checklist-status", i.status),
            "facts": list(i.facts),
            "cite": i.cite,
            "cite_label": r.label(i.cite),
        }
    )


def _finding_json(r: Renderer, f: Finding, fd: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity,
        "severity_label": r.word("severity", f.severity),
        "subject": {**fd["subject"], "name": r.subject_name(f).text()},
        "params": fd["params"],
        "message": r.message(f).text(),
        "citations": [r.citation_json(c) for c in f.citations],
        "case_path": f.case_path,
        "rule": fd["rule"],
        "facts_needed": fd["facts_needed"],
    }


def _term_json_cached(r: Renderer, t: TermResult, shared: SharedValues) -> _Piece:
    """A term's JSON: kept for a term the compiled plans share, made afresh for any other."""

    def make() -> _Piece:
        return _Piece(_term_json(r, t, t.model_dump(mode="json")))

    return _kept_by_id(r, shared, t, make) if id(t) in shared else make()


def _term_json(r: Renderer, t: TermResult, td: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": r.name("term", t.id).text(),
        "duration": t.duration,
        "unit": t.unit,
        "duration_label": r.duration(t.duration, t.unit),
        "start_event": t.start_event,
        "start": td["start"],
        "end_event": t.end_event,
        "due": td["due"],
        "ended": td["ended"],
        "status": t.status,
        "status_label": r.word("status", t.status),
        "citation": r.citation_json(t.citation),
        "latest_due": td["latest_due"],
        "latest_citation": r.citation_json(t.latest_citation) if t.latest_citation else None,
        "other_event": t.other_event,
        "other_event_label": r.word("event", t.other_event) if t.other_event else None,
        "other_on": td["other_on"],
    }


def _fee_json_cached(r: Renderer, fee: FeeResult, fd: dict[str, Any], shared: SharedValues) -> dict[str, Any]:
    """A fee's JSON: kept for a fee the compiled plans share (its line is worded with Babel's money format
    each time otherwise), made afresh for any other."""
    if id(fee) in shared:
        return _kept_by_id(r, shared, fee, lambda: _Piece(_fee_json(r, fee, fd))).value
    return _fee_json(r, fee, fd)


def _fee_json(r: Renderer, fee: FeeResult, fd: dict[str, Any]) -> dict[str, Any]:
    return {**fd, "label": r.fee_line(fee), "citation": r.citation_json(fee.citation)}


def _merge(per_lang: dict[Lang, Any], key: str | None = None) -> Any:
    """Three one-language reports → one whose rendered fields are objects of all three."""
    kk = per_lang["kk"]
    if key is not None and (key in RENDERED_KEYS or key.endswith(RENDERED_SUFFIXES)):
        return None if kk is None else {lang: per_lang[lang] for lang in LANGS}
    if isinstance(kk, dict):
        return {k: _merge({lang: per_lang[lang][k] for lang in LANGS}, k) for k in kk}
    if isinstance(kk, list):
        return [_merge({lang: per_lang[lang][i] for lang in LANGS}) for i in range(len(kk))]
    return kk


def report_json_obj(decision: Decision, compiled: CompiledRules, lang: Lang | Literal["all"]) -> dict[str, Any]:
    if lang != "all":
        return report_dict(decision, compiled, lang)
    merged = _merge({lang_: report_dict(decision, compiled, lang_) for lang_ in LANGS})
    merged["lang"] = "all"
    return dict(merged)


def to_json(decision: Decision, compiled: CompiledRules, lang: Lang | Literal["all"], compact: bool = False) -> str:
    """The stable JSON report: fields in a fixed order, UTF-8, no clock; ISO dates and plain numbers.
    `compact` writes it on one line (batch mode: one report per line)."""
    return report_bytes(decision, compiled, lang, compact).decode("utf-8")


def brief_bytes(decision: Decision) -> bytes:
    """One line for an auditor's pipeline (DuckDB, pandas): the case, standard, channel and verdict;
    each finding's code, severity, subject and citation units; the due date of each term that has one.
    No words in any language and no paragraph texts: what a table of a year's decisions needs."""
    return to_json_bytes(
        {
            "case": decision.case,
            "standard": decision.standard,
            "channel": decision.channel,
            "kind": decision.kind,
            "verdict": decision.verdict,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "subject": f"{f.subject.kind}:{f.subject.id}",
                    "cites": [c.unit for c in f.citations],
                }
                for f in decision.findings
            ],
            "due": {
                t.id: (t.due.date().isoformat() if t.unit.endswith("days") or t.unit == "months" else t.due.isoformat())
                for t in decision.terms
                if t.due is not None
            },
        }
    )


def render(
    decision: Decision, compiled: CompiledRules, lang: Lang | Literal["all"] = "en", fmt: Format = "text"
) -> str:
    """The report people read, in `lang` (kk, ru, en; JSON also takes 'all') and `fmt` (text, md, json)."""
    if fmt == "json":
        return to_json(decision, compiled, lang)
    if lang == "all":
        raise ValueError("--lang all is for JSON output only; text and Markdown are in one language")
    return to_text(decision, compiled, lang) if fmt == "text" else to_markdown(decision, compiled, lang)


__all__ = [
    "RENDERED_KEYS",
    "RENDERED_SUFFIXES",
    "SCHEMA_VERSION",
    "Format",
    "Renderer",
    "Spans",
    "brief_bytes",
    "forget_pieces",
    "markdown_lines",
    "render",
    "report_bytes",
    "report_dict",
    "text_lines",
    "to_json",
    "to_markdown",
    "to_text",
]
