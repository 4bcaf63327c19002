"""Annexes (қосымша) of a standard: where each starts (its caption «…» мемлекеттік қызмет стандартына /
N-қосымша), its own title and what kind of annex it is (a form, a talon, an address list, a quality table).

Each annex is kept whole, one unit (``annex-N``): its lines are not segmented.
"""

from __future__ import annotations

import difflib
import re

from validator.law.draft import StandardDraft, UnitDraft
from validator.law.locate import QUOTE_START, last_content, quoted
from validator.law.seed import SeedLine
from validator.law.segment import NOTE, PARA, SUB
from validator.law.standard import AnnexKind
from validator.law.text import clean, join_spaced_words, match_key

__all__ = ["add_annexes", "annex_captions", "annex_markers"]

_SENTENCE_END = re.compile(r"[.!?][\"”)\]]*$")
_ANNEX_MARK = re.compile(r"(?:^|\s)(\d{1,2})\s*-\s*қосымша\W*$", re.IGNORECASE)
_ANNEX_MARK_ONLY = re.compile(r"\**\d{1,2}\s*-\s*қосымша\W*", re.IGNORECASE)


def annex_markers(p: StandardDraft) -> list[int]:
    """Lines «N-қосымша» (alone, or ending a «… стандартына N-қосымша» caption line)."""
    out = []
    for ln in p.seed.span(p.loc.title_last + 1, p.loc.end):
        t = ln.text
        if len(t) < 220 and _ANNEX_MARK.search(t) and (_ANNEX_MARK_ONLY.fullmatch(t) or "стандартына" in t.casefold()):
            out.append(ln.no)
    return out


def annex_captions(p: StandardDraft, markers: list[int]) -> list[int]:
    """The first line of each annex's caption; none looks above the previous annex's marker."""
    captions: list[int] = []
    floor = p.loc.title_last
    for mk in markers:
        captions.append(_caption_start(p, mk, floor))
        floor = mk
    return captions


def _caption_start(p: StandardDraft, marker: int, floor: int) -> int:
    """The first line of the caption («…» / мемлекеттік қызмет стандартына / N-қосымша) of an annex."""
    if QUOTE_START.match(p.seed.line(marker).text):
        return marker
    region: list[int] = []  # caption-like lines above the marker, nearest first
    for j in range(marker - 1, floor, -1):
        ln = p.seed.line(j)
        if ln.blank:
            continue
        if ln.tabbed or len(ln.text) > 100 or _SENTENCE_END.search(ln.text) or len(region) == 16:
            break
        if PARA.match(ln.text) or SUB.match(ln.text) or NOTE.match(ln.text):
            break
        region.append(j)
    for no in region:
        if QUOTE_START.match(p.seed.line(no).text):
            return no
    return region[-1] if region else marker


def add_annexes(p: StandardDraft, markers: list[int], captions: list[int]) -> None:
    """Add one ``annex-N`` unit per marker, its text the annex's lines after the marker."""
    seed = p.seed
    seen: dict[str, int] = {}
    expected = 1
    std_name = match_key(quoted(p.title) or p.title)
    for i, mk in enumerate(markers):
        start = captions[i]
        end = last_content(seed, start, captions[i + 1] - 1 if i + 1 < len(markers) else p.loc.end)
        m = _ANNEX_MARK.search(seed.line(mk).text)
        assert m is not None
        number = m.group(1)
        seen[number] = k = seen.get(number, 0) + 1
        aid = f"annex-{number}" if k == 1 else f"annex-{number}~{k}"
        if int(number) != expected:
            p.quirk("annex-numbering", mk, aid, f"annex {number} where annex {expected} was expected")
        expected = int(number) + 1
        _check_caption(p, std_name, aid, number, start, mk)
        body = [ln for ln in seed.span(mk + 1, end) if not ln.blank]
        title, merged = _annex_title(body)
        kind = _annex_kind(title, body)
        _check_title(p, aid, mk, body, title, merged, kind)
        p.add(
            UnitDraft(
                id=aid,
                kind="annex",
                start=start,
                end=end,
                text="\n".join(p.cleaned(ln.text) for ln in body),
                number=number,
                title=p.cleaned(title) if title else None,
                annex_kind=kind,
            )
        )


def _check_caption(p: StandardDraft, std_name: str, aid: str, number: str, start: int, mk: int) -> None:
    """The caption must name this standard (`std_name`, a match key): copy-pasted captions name another."""
    caption = clean(" ".join(ln.text for ln in p.seed.span(start, mk) if ln.text))
    named = quoted(caption)
    if named is None:
        p.quirk("annex-caption-incomplete", mk, aid, f"annex {number} has no «…» стандартына caption")
    elif difflib.SequenceMatcher(None, std_name, match_key(named), autojunk=False).ratio() < 0.8:
        p.quirk("annex-caption-mismatch", start, aid, f"the annex caption names «{named}», not this standard")


def _check_title(
    p: StandardDraft,
    aid: str,
    mk: int,
    body: list[SeedLine],
    title: str | None,
    merged: str | None,
    kind: AnnexKind,
) -> None:
    """Quirks of an annex's own title: merged with the table's first heading, missing, or cut short."""
    if merged:
        p.quirk(
            "annex-title-merged",
            body[0].no,
            aid,
            f"the annex title and the table's first heading «{merged}» share one line; split",
        )
    if title is None:
        p.quirk("incomplete-annex-title", mk, aid, "the annex has no title of its own; the table starts at once")
    elif kind == "address-list" and not _TITLE_FINAL.search(title):
        p.quirk(
            "incomplete-annex-title",
            body[0].no if body else mk,
            aid,
            f"the annex title «{title}» breaks off (or is a table heading, the title being lost)",
        )


# -- annex titles and kinds ---------------------------------------------------------------------------


_FORM_WORD = r"(?:ӨТІНІШ|Өтініш|ТАЛОН|Талон|АНЫҚТАМА|Анықтама|ҚОЛХАТ|Қолхат|КУӘЛІК|Куәлік)"
_FORM_LINE = re.compile(rf"^{_FORM_WORD}\b|\s{_FORM_WORD}\.?$")
_TITLE_FINAL = re.compile(
    r"(тізбесі|тізімі|тізілімі|мекенжайлары|телефондары|деректері|мәні|мәндері|талон|өтініш|анықтама|қолхат)\.?$",
    re.IGNORECASE,
)
_TITLE_MERGED = re.compile(r"(тізбесі|тізімі|тізілімі)\s+(?=[А-ЯӘҒҚҢӨҰҮҺІ])")
_TITLE_WORDS = re.compile(r"тізім|тізбе|тізілім|мекенжай|көрсеткіш|кесте|талон|өтініш|анықтама|қолхат|куәлік", re.I)
_QUALITY = re.compile(r"сапа (?:және|мен) (?:тиімділік|қол ?жетімділік)")


def _annex_title(body: list[SeedLine]) -> tuple[str | None, str | None]:
    """An annex's own title (its first lines before the table or form, or its form word: ӨТІНІШ …),
    and the rest of the title's last line when a table heading follows the title on that line."""
    top: list[str] = []
    rest = None
    for ln in body[:12]:
        t = ln.text
        if ln.tabbed or "__" in t or re.match(r"^\d", t) or len(top) == 4:
            break
        if top and _TITLE_FINAL.search(top[-1]) and t[:1].isupper() and not t.isupper():
            break  # a capitalised line after a complete title: the table's first region heading
        m = _TITLE_MERGED.search(t)
        if m:
            top.append(t[: m.end(1)])
            rest = t[m.end(1) :].strip()
            break
        top.append(t)
        if _TITLE_FINAL.search(t):
            break
    text = " ".join(top)
    if top and _TITLE_WORDS.search(text):
        return text, rest
    for ln in body[:80]:
        if _FORM_LINE.search(join_spaced_words(ln.text)) and len(ln.text) < 200:
            return ln.text, None
    return text or None, None


def _annex_kind(title: str | None, body: list[SeedLine]) -> AnnexKind:
    """What the annex is, by its title first, then its first lines: a form, a talon, a list, a table."""
    lines = [ln.text for ln in body]
    if _QUALITY.search(match_key(" ".join(lines[:60]))):
        return "quality-table"
    by_title = match_key(title or "").replace(" ", "")
    by_head = match_key(" ".join(lines[:12])).replace(" ", "")
    for text in (by_title, by_head):
        if "талон" in text:
            return "talon-form"
        if "қолхат" in text:
            return "receipt-form"
        if text is by_title and re.search(r"тізім|тізбе|тізілім|мекенжай", text):
            return "address-list"
        if "өтініш" in text:
            return "application-form"
        if "мекенжай" in text:
            return "address-list"
    if any("__" in t for t in lines[:60]):
        return "form"
    return "other"
