"""The papers a clerk or a reviewer prints, as HTML in one language (PDF: `validator.report.pdf`).

- the paper of acceptance (талон, қолхат, өтініштің үзбелі талоны) carrying what the standard says it
  carries (`papers[].carries` of the rule file), each line with the unit that asks for it;
- the receipt of a refusal to accept an incomplete set (жетіспейтін құжаттар көрсетілген қолхат), naming the
  missing documents, the ground and the sentence that prescribes the receipt;
- the report as a printable page: a clerk's pre-check, or a reviewer's conclusion (қорытынды) on a
  complaint, each point with its citations and the quoted Kazakh text.

What the decision does not hold (the talon's number, the officer, the names, the time on a date-only
submission) comes from the case's optional `paper` block; what it leaves out is a blank line to fill in
by hand, never a guess. The law's words are Kazakh whatever the language (the official text); `en` is
marked as a translation. Every value is escaped: the case's text is never markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal

from validator.decision.case import Case, PaperDetails
from validator.decision.model import Decision, Finding, PaperDue, TermResult
from validator.report.locale import Lang
from validator.report.render import Renderer, Spans, _named_with_alternatives
from validator.rules.compiler import CompiledRules
from validator.rules.model import Paper, PaperItem

PaperChoice = Literal["acceptance", "refusal", "conclusion", "report"]
# The names the CLI and the API take: the words (talon, receipt) beside the purpose's.
PAPER_ALIASES: dict[str, PaperChoice] = {
    "acceptance": "acceptance",
    "talon": "acceptance",
    "refusal": "refusal",
    "receipt": "refusal",
    "conclusion": "conclusion",
    "report": "report",
}


def paper_choice(name: str | None, mode: str) -> PaperChoice:
    """The paper a CLI `--paper` or an API `?paper=` names (`None`: the printout of the report itself,
    a review's conclusion or a pre-check's report)."""
    if name is None:
        return "conclusion" if mode == "review" else "report"
    return PAPER_ALIASES[name]


BLANK = "\u00a0" * 40  # a line to write on by hand (underlined by the style)

# The papers' style, one file for the CLI's and the API's pages (inlined) and the clerk's page (linked):
# every rule scoped to `.ereje-paper`, so it can sit beside the page's own.
PAPER_STYLE = (Path(__file__).with_name("paper.css")).read_text(encoding="utf-8")
# The inline style's hash, for the Content-Security-Policy of a paper served over HTTP (style-src).
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(PAPER_STYLE.encode("utf-8")).digest()).decode("ascii")


class PaperNotDue(ValueError):
    """The case does not call for the paper asked for (a talon for a set refused at intake, say): the
    message says which paper it does call for."""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _spans(spans: Spans) -> str:
    """Spans as HTML: our words and the verbatim ones alike escaped (the verbatim ones are the law's or
    the user's, never markup)."""
    return _e(spans.text())


def _document(r: Renderer, title: str, body: Iterable[str]) -> str:
    lang = r.lang
    note = f'<p class="translation">{_e(r.word("paper", "translation"))}</p>' if lang == "en" else ""
    head = f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n'
    content = "\n".join(body)
    article = f'<article class="ereje-paper">\n{note}{content}\n</article>'
    return f"{head}<style>{PAPER_STYLE}</style>\n</head>\n<body>\n{article}\n</body>\n</html>\n"


def _line(r: Renderer, label: str, value: str | None, cites: Iterable[str] = (), hour: bool = False) -> str:
    """One line of a paper: its label, the value (escaped) or a blank to fill in, and the units asking for it;
    `hour`: the text asks for the time too and the value is a day: a blank for the hour follows it."""
    shown = _e(value) if value else f'<span class="blank">{BLANK}</span>'
    if hour and value:
        shown += f', <span class="blank hour">{BLANK[:12]}</span> ({_e(r.word("paper", "hour"))})'
    units = sorted(set(cites))
    cite = f' <span class="cite">({_e(", ".join(r.label(u) for u in units))})</span>' if units else ""
    return f"<dt>{_e(label)}{cite}</dt><dd>{shown}</dd>"


def _law(r: Renderer, cited: Iterable[tuple[str, str]]) -> str:
    """The units a paper rests on with their words (Kazakh, the official text), each once."""
    seen: list[tuple[str, str]] = []
    for unit, quote in cited:
        if (unit, quote) not in seen:
            seen.append((unit, quote))
    items = "".join(f"<li>{_e(r.label(u))}: <q>{_e(q)}</q></li>" for u, q in seen)
    return f'<section class="law"><p>{_e(r.word("paper", "law"))}:</p><ul lang="kk">{items}</ul></section>'


def _sign(r: Renderer, who: str, signer: str | None) -> str:
    name = _e(signer) if signer else ""
    return (
        f'<div class="sign"><div>{_e(who)}<span>{name}</span></div>'
        f"<div>{_e(r.word('paper', 'signature'))}<span></span></div></div>"
    )


# --- the paper of acceptance -------------------------------------------------------------------------------


# The events by which the result reaches the applicant (a decision, its notice, the issue).
_RESULT_EVENTS = ("decided", "notified", "issued")


def _result_terms(terms: list[TermResult]) -> list[TermResult]:
    """The terms that end in the result (decided, notified, issued) and have a due date, from whichever event
    they run (a centre's chain: forwarded, registered, decided, notified), the latest due first."""
    bringing = [t for t in terms if t.due is not None and t.end_event in _RESULT_EVENTS]
    return sorted(bringing, key=lambda t: t.due, reverse=True)  # type: ignore[arg-type, return-value]


def _accepted_at(case: Case, details: PaperDetails) -> str | None:
    submitted = case.events.get("submitted")
    if isinstance(submitted, datetime):
        return submitted.strftime("%H:%M")
    return details.accepted_at


def _values(r: Renderer, decision: Decision, case: Case, details: PaperDetails) -> dict[str, str | None]:
    """What each item of a paper of acceptance says for this case (None: left blank to fill in by hand)."""
    submitted = case.events.get("submitted")
    accepted_on = submitted.date() if isinstance(submitted, datetime) else decision.submitted_on
    bringing = _result_terms(decision.terms)
    due = r.when(bringing[0].due, bringing[0].unit) if bringing else None  # the latest due date of them
    return {
        "number": details.number,
        "accepted-on": r.day(accepted_on),
        "accepted-at": _accepted_at(case, details),
        "service": r.name("standard", decision.standard).text(),
        "result-due": due,
        "result-place": details.result_place,
        "officer": details.officer,
        "applicant": details.applicant,
        "representative": details.representative,
        "phones": details.phones,
        "acceptance-mark": r.word("paper", "accepted-mark"),
    }


def _handed_names(r: Renderer, decision: Decision, case: Case) -> list[str]:
    """The documents accepted, as they were handed in: each checklist line handed in, named by what was
    given for it (the list item's document, or the alternative it takes instead) and in which form."""
    compiled = r.compiled
    names: list[str] = []
    for item in decision.checklist:
        if not item.handed_in:
            continue
        alternatives = {a.id: a for a in r.alternatives(item.id, item.cite)}
        for d in case.documents:
            own = compiled.deprecated.get(d.id, d.id)
            if own == item.id:
                name = r.name("document", item.id, item.cite).text()
            elif own in alternatives:
                name = getattr(alternatives[own].name, r.lang)
            else:
                continue
            form = r.word("form", d.form) if d.form else ""
            names.append(f"{name} ({form})" if form and form.lower() not in name.lower() else name)
    return names


def _documents_block(r: Renderer, decision: Decision, case: Case, cites: list[str]) -> str:
    handed = _handed_names(r, decision, case)
    items = "".join(f"<li>{_e(name)}</li>" for name in handed)
    count = f"{r.word('paper', 'count')}: {len(handed)}"
    label = _line(r, r.word("paper", "documents"), count, cites)
    return label.replace("</dd>", f"<ol>{items}</ol></dd>") if handed else label


def acceptance_html(decision: Decision, compiled: CompiledRules, case: Case, papers: list[Paper], lang: Lang) -> str:
    """The papers of acceptance of the channel (one, or a centre's tear-off talon and its receipt), in
    `lang`, each on a page of its own with the lines the standard lists."""
    r = Renderer(compiled, lang, decision.channel)
    pages = [_acceptance_page(r, decision, case, paper) for paper in papers]
    title = pages[0][0]
    body = [f'<section class="paper">{"".join(b)}</section>' for _, b in pages]
    return _document(r, title, body)


def _acceptance_page(r: Renderer, decision: Decision, case: Case, paper: Paper) -> tuple[str, list[str]]:
    lang = r.lang
    details = case.paper or PaperDetails()
    values = _values(r, decision, case, details)
    by_item: dict[str, list[PaperItem]] = {}
    for item in paper.carries:
        by_item.setdefault(item.item, []).append(item)
    title = getattr(paper.name, lang)
    # The number goes in the heading only of a paper that carries one.
    heading = f"{title} № {details.number}" if details.number and "number" in by_item else title
    body = [f'<p class="service">{_e(values["service"] or "")}</p>', f"<h1>{_e(heading)}</h1>", "<dl>"]
    for kind, items in by_item.items():
        cites = [i.cite for i in items]
        if kind == "documents":
            body.append(_documents_block(r, decision, case, cites))
            continue
        bringing = _result_terms(decision.terms) if kind == "result-due" else []
        # «беру күні (уақыты)», «күні мен уақыты»: where the text asks for the hour and the term gives a day
        asks_hour = any("уақыт" in i.quote.lower() for i in items)
        hour = bool(bringing) and asks_hour and bringing[0].unit not in ("hours", "minutes")
        cites += [t.citation.unit for t in bringing]
        body.append(_line(r, r.word("paper", kind), values[kind], cites, hour))
    body.append("</dl>")
    if paper.kind != "portal-notice":  # a notice in the portal's cabinet is signed by no one
        body.append(_sign(r, r.word("paper", "officer"), details.officer))
    cited = [(paper.cite, paper.quote), *((i.cite, i.quote) for i in paper.carries)]
    if paper.form is not None:
        cited.append((paper.form.cite, paper.form.quote))
    body.append(_law(r, cited))
    return heading, body


# --- the receipt of a refusal to accept ---------------------------------------------------------------------


def refusal_html(decision: Decision, compiled: CompiledRules, case: Case, due: PaperDue, lang: Lang) -> str:
    """The receipt (қолхат) naming the missing documents, for a set the officer refuses to accept."""
    r = Renderer(compiled, lang, decision.channel)
    details = case.paper or PaperDetails()
    refused = next(f for f in decision.findings if f.code == "acceptance-refused" and f.subject.id == due.id)
    named = refused.params["documents"]
    ids = named.ids if named.type == "refs" else []
    lines = {i.id: i for i in decision.checklist}
    missing = [lines[d] for d in ids if d in lines]  # the documents the refusal names, as the receipt must
    title = r.word("paper", "refusal-receipt")
    rows = "".join(
        f'<li>{_spans(_named_with_alternatives(r, i))} <span class="cite">({_e(r.label(i.cite))})</span></li>'
        for i in missing
    )
    ground = r.name("ground", due.id).text()
    body = [
        f'<p class="service">{_e(r.name("standard", decision.standard).text())}</p>',
        f"<h1>{_e(title)}</h1>",
        "<dl>",
        _line(r, r.word("paper", "date"), r.day(decision.submitted_on)),
        _line(r, r.word("paper", "applicant"), details.applicant),
        _line(r, r.word("paper", "missing"), f"{r.word('paper', 'count')}: {len(missing)}").replace(
            "</dd>", f"<ol>{rows}</ol></dd>"
        ),
        _line(r, r.word("paper", "ground"), ground, [refused.citations[0].unit]),
        "</dl>",
        _sign(r, r.word("paper", "officer"), details.officer),
        _law(r, ((c.unit, c.quote) for c in refused.citations)),
    ]
    return _document(r, title, body)


# --- the report: a pre-check, or a reviewer's conclusion ----------------------------------------------------


def _point(r: Renderer, f: Finding) -> str:
    quotes = "".join(f'<li>{_e(r.label(c.unit))}: <q lang="kk">{_e(c.quote)}</q></li>' for c in f.citations)
    basis = f"<p>{_e(r.word('paper', 'basis'))}:</p><ul>{quotes}</ul>" if quotes else ""
    return f"<li><p><strong>{_e(r.word('severity', f.severity))}.</strong> {_spans(r.message(f))}</p>{basis}</li>"


def _ground_name(r: Renderer, given: str) -> str:
    """A ground the decision gave: a ground of the rules by its name, an eligibility requirement by its
    own, anything else as typed."""
    if ("ground", given) in r.names:
        return r.name("ground", given).text()
    if ("eligibility", given) in r.names:
        return r.name("eligibility", given).text()
    return f"«{given}»"


def _under_review(r: Renderer, case: Case) -> list[str]:
    """The decision complained of, as the case states it: outcome, grounds and documents demanded (ids by
    their names in the rules, anything else as typed)."""
    if case.decision is None:
        return []
    d = case.decision
    lines = [_line(r, r.word("paper", "decision"), r.word("outcome", d.outcome))]
    if d.grounds:
        grounds = "; ".join(_ground_name(r, g) for g in d.grounds)
        lines.append(_line(r, r.word("paper", "grounds-given"), grounds))
    if d.demanded_documents:
        names = "; ".join(r.name("document", x).text() for x in d.demanded_documents)
        lines.append(_line(r, r.word("paper", "demanded"), names))
    return lines


def report_html(decision: Decision, compiled: CompiledRules, case: Case, lang: Lang) -> str:
    """The report as a printable page: for a review, the conclusion on the complaint (each point with its
    citations and quoted Kazakh text); for a pre-check, the clerk's report (checklist, findings, terms)."""
    r = Renderer(compiled, lang, decision.channel)
    details = case.paper or PaperDetails()
    title = r.word("paper", "conclusion" if decision.kind == "review" else "report")
    body = [
        f'<p class="service">{_e(r.name("standard", decision.standard).text())}</p>',
        f"<h1>{_e(title)}</h1>",
        "<dl>",
        *([_line(r, r.heading("case"), decision.case)] if decision.case else []),
        _line(r, r.heading("channel"), r.name("channel", decision.channel).text()),
        _line(r, r.heading("submitted"), r.day(decision.submitted_on)),
        _line(r, r.heading("evaluated"), r.day(decision.evaluated_on)),
        *(_under_review(r, case) if decision.kind == "review" else []),
        "</dl>",
        f'<p class="verdict">{_e(r.heading("verdict"))}: {_e(r.word("verdict", decision.verdict))}</p>',
    ]
    if decision.checklist:
        rows = "".join(
            f"<tr><td>{_e(r.word('checklist-status', i.status))}</td><td>{_spans(_named_with_alternatives(r, i))}</td>"
            f"<td>{_e(r.label(i.cite))}</td></tr>"
            for i in decision.checklist
        )
        head = "".join(f"<th>{_e(r.heading(k))}</th>" for k in ("handed", "document", "citation"))
        head = f"<tr>{head}</tr>"
        body.append(f"<h2>{_e(r.heading('checklist'))}</h2><table>{head}{rows}</table>")
    points = [f for f in decision.findings if f.severity != "info"] or decision.findings
    if points:
        body.append(f"<h2>{_e(r.heading('findings'))}</h2><ol>" + "".join(_point(r, f) for f in points) + "</ol>")
    if decision.terms:
        rows = "".join(f"<li>{_spans(r.term_line(t))}</li>" for t in decision.terms)
        body.append(f"<h2>{_e(r.heading('terms'))}</h2><ul>{rows}</ul>")
    if decision.fee:
        body.append(f"<p><strong>{_e(r.heading('fee'))}:</strong> {_e(r.fee_line(decision.fee))}</p>")
    for paper in decision.papers:
        body.append(f"<p><strong>{_e(r.heading('paper'))}:</strong> {_e(r.paper_name(paper))} "
                    f"({_e(r.label(paper.citation.unit))})</p>")  # fmt: skip
    if decision.kind == "review":
        body.append(_sign(r, r.word("paper", "reviewer"), details.reviewer))
    else:
        body.append(_sign(r, r.word("paper", "officer"), details.officer))
    return _document(r, title, body)


# --- choosing ------------------------------------------------------------------------------------------------


def paper_html(decision: Decision, compiled: CompiledRules, case: Case, choice: PaperChoice, lang: Lang) -> str:
    """The paper `choice` for this decision, in `lang`; `PaperNotDue` (saying which paper is due, if any)
    where the case does not call for it. `refusal` (alias `receipt`) is the receipt of a refusal to accept,
    or, where the set is accepted with a receipt of acceptance (a centre's қолхат), that receipt."""
    if choice in ("conclusion", "report"):
        if (choice == "conclusion") != (decision.kind == "review"):
            want = "a review" if choice == "conclusion" else "a pre-check"
            raise PaperNotDue(f"the paper {choice!r} is the printout of {want}")
        return report_html(decision, compiled, case, lang)
    if decision.kind == "review":
        raise PaperNotDue(f"a review hands over no {choice!r} paper; its printout is the conclusion")
    printable = [p for p in decision.papers if p.kind != "none"]
    refusal = [p for p in printable if p.purpose == "refusal-to-accept"]
    acceptance = [p for p in printable if p.purpose == "acceptance"]
    if choice == "refusal" and refusal:
        return refusal_html(decision, compiled, case, refusal[0], lang)
    if choice == "refusal" and any(p.kind == "receipt" for p in acceptance):
        acceptance = [p for p in acceptance if p.kind == "receipt"]
    elif choice == "refusal" or not acceptance:
        raise PaperNotDue(_not_due(decision, compiled, choice))
    ids = [p.id for p in acceptance]
    papers = [p for p in compiled.rules.papers if p.id in ids]
    return acceptance_html(decision, compiled, case, papers, lang)


def _not_due(decision: Decision, compiled: CompiledRules, choice: PaperChoice) -> str:
    """Why the paper asked for is not due, and what is."""
    none_given = next((p for p in decision.papers if p.kind == "none"), None)
    if none_given is not None:
        unit = none_given.citation.unit
        return f"no written confirmation of acceptance is given on this channel ({unit}: «{none_given.citation.quote}»)"
    due = [p for p in decision.papers if p.kind != "none"]
    if due:
        other = "acceptance" if due[0].purpose == "acceptance" else "refusal"
        return f"the {choice!r} paper is not due on this case: the paper due is {other!r}"
    channel_papers = [p for p in compiled.rules.papers if decision.channel in p.channels]
    if choice == "acceptance" and not channel_papers:
        return f"the standard gives no paper of acceptance on the channel {decision.channel!r}"
    if choice == "acceptance" and decision.verdict == "needs-data":
        return "the case leaves questions for the clerk open (verdict needs-data): settle them before accepting"
    if choice == "acceptance":
        return f"the documents are not accepted on this case (verdict {decision.verdict})"
    return f"the set is not refused at intake with a receipt on this case (verdict {decision.verdict})"


__all__ = [
    "PAPER_ALIASES",
    "PaperChoice",
    "PaperNotDue",
    "acceptance_html",
    "paper_choice",
    "paper_html",
    "refusal_html",
    "report_html",
]
