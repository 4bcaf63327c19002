"""Rendering a report for people: text for a terminal, Markdown for a page or a ticket."""

from __future__ import annotations

from validator.decision.report import Finding, Report

_VERDICT = {
    "accept": {"kk": "қабылдауға болады", "ru": "можно принять", "en": "accept"},
    "incomplete": {"kk": "құжаттар толық емес", "ru": "документы неполные", "en": "incomplete"},
    "ineligible": {"kk": "алушы талапқа сай емес", "ru": "заявитель не соответствует", "en": "ineligible"},
    "refuse": {"kk": "бас тарту негізі бар", "ru": "есть основание для отказа", "en": "refuse"},
    "not-in-force": {"kk": "стандарт қолданыста емес", "ru": "стандарт не действовал", "en": "not in force"},
    "needs-data": {"kk": "деректер жетіспейді", "ru": "недостаточно данных", "en": "needs data"},
    "lawful": {"kk": "заңды", "ru": "законно", "en": "lawful"},
    "unlawful": {"kk": "заңсыз", "ru": "незаконно", "en": "unlawful"},
}
_LABELS = {
    "verdict": {"kk": "Қорытынды", "ru": "Вердикт", "en": "Verdict"},
    "findings": {"kk": "Анықталғандар", "ru": "Выводы", "en": "Findings"},
    "terms": {"kk": "Мерзімдер", "ru": "Сроки", "en": "Terms"},
    "fee": {"kk": "Төлем", "ru": "Плата", "en": "Fee"},
    "free": {"kk": "тегін", "ru": "бесплатно", "en": "free"},
    "checklist": {"kk": "Құжаттар", "ru": "Документы", "en": "Documents"},
}


def _money(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")


def verdict_label(verdict: str, lang: str) -> str:
    return _VERDICT.get(verdict, {}).get(lang, verdict)


def _finding_line(f: Finding, lang: str) -> str:
    msg = getattr(f.message, lang)
    cite = f" [{f.citation.standard} {f.citation.unit}: {f.citation.label_kk}]" if f.citation else ""
    return f"  {f.severity.upper():7} {f.code}: {msg}{cite}"


def to_text(report: Report, lang: str = "en") -> str:
    lines = [
        f"{report.case or '-'} · {report.standard} · {report.kind} · {report.channel} · {report.submitted_on}",
        f"{_LABELS['verdict'][lang]}: {report.verdict}"
        + (
            "" if verdict_label(report.verdict, lang) == report.verdict else f" ({verdict_label(report.verdict, lang)})"
        ),
    ]
    if report.checklist:
        lines.append(f"{_LABELS['checklist'][lang]}:")
        for item in report.checklist:
            mark = "x" if item.handed_in else " "
            forms = f" ({', '.join(item.forms)})" if item.forms else ""
            lines.append(f"  [{mark}] {getattr(item.name, lang)}{forms} — {item.cite}")
    if report.findings:
        lines.append(f"{_LABELS['findings'][lang]}:")
        lines += [_finding_line(f, lang) for f in report.findings]
        for f in report.findings:
            if f.citation and f.severity == "error":
                lines.append(f"    {f.citation.unit}: «{f.citation.quote}»")
    if report.terms:
        lines.append(f"{_LABELS['terms'][lang]}:")
        for t in report.terms:
            due = t.due.strftime("%Y-%m-%d %H:%M") if t.due else "-"
            lines.append(
                f"  {getattr(t.name, lang)}: {t.duration} {t.unit}, due {due} — {t.status} [{t.citation.unit}]"
            )
    if report.fee:
        fee = report.fee
        if fee.kind == "free":
            lines.append(f"{_LABELS['fee'][lang]}: {_LABELS['free'][lang]} [{fee.citation.unit}]")
        else:
            lines.append(
                f"{_LABELS['fee'][lang]}: {_money(fee.due_amount)} KZT ({_money(fee.mci_percent)}% × "
                f"{_money(fee.mci_value)}) [{fee.citation.unit}]"
            )
    return "\n".join(lines) + "\n"


def to_markdown(report: Report, lang: str = "en") -> str:
    out = [
        f"## {report.case or 'case'} — {report.standard}",
        "",
        f"**{_LABELS['verdict'][lang]}:** `{report.verdict}` ({verdict_label(report.verdict, lang)})",
        "",
    ]
    if report.findings:
        out += ["| severity | code | message | citation |", "|---|---|---|---|"]
        for f in report.findings:
            cite = f"{f.citation.unit} ({f.citation.label_kk})" if f.citation else ""
            msg = getattr(f.message, lang).replace("|", "\\|")
            out.append(f"| {f.severity} | `{f.code}` | {msg} | {cite} |")
        out.append("")
    if report.terms:
        out += ["| term | due | status |", "|---|---|---|"]
        for t in report.terms:
            due = t.due.strftime("%Y-%m-%d %H:%M") if t.due else "-"
            out.append(f"| {getattr(t.name, lang)} | {due} | {t.status} |")
        out.append("")
    return "\n".join(out) + "\n"
