"""Segmentation of a standard's body: its lines become units (sections, paragraphs, subparagraphs,
items, unnumbered parts), read as written (1-based line numbers are kept for every unit).

- a flush ``N. <known section title>`` line is a section heading (бөлім, ``section-N``), even where N
  is also a paragraph number;
- ``N. …`` with N the next paragraph number starts a paragraph (тармақ, ``N``);
- ``N)`` (also ``- N)``, ``N).``) starts a subparagraph (тармақша, ``P.N``); a second ``N)`` in the
  same paragraph becomes ``P.N~2`` (restarted or duplicated numbering), ``P.M.`` decimal numbering is
  read as subparagraph M, and a stray ``1.`` followed by ``2)`` as subparagraph 1;
- ``а)`` starts a lettered item (``P.N.а``); inside decimal subparagraphs ``N)`` starts an item;
- a line that continues a sentence (the previous line has no closing punctuation) is joined to it;
- any other line is an unnumbered part (азат жол): of the open list item it belongs to
  (``P.N.uK``: an item ending in ``:`` followed by unnumbered lines, or text between ``N)`` and
  ``N+1)``), or else of the paragraph (``P.uK``);
- «Ескерту.» lines are amendment notes (`validator.law.metadata.read_note`), attached to the
  paragraph they follow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from validator.law.draft import StandardDraft, UnitDraft
from validator.law.metadata import read_note
from validator.law.seed import SeedLine
from validator.law.text import match_key

__all__ = ["NOTE", "PARA", "SUB", "Body"]

_SECTION_TITLES = frozenset(
    {
        "жалпы ережелер",
        "жалпы бөлім",
        "мемлекеттік қызмет көрсету тәртібі",
        "мемлекеттік қызмет көрсетудің тәртібі",
        "мемлекеттік қызметті көрсету тәртібі",
        "мемлекеттік қызметті көрсетудің тәртібі",
        "жұмыс қағидаттары",
        "жұмыс нәтижелері",
        "шағымдану тәртібі",
    }
)
_SECTION = re.compile(r"^(\d)\s*\.\s*(\S.*?)\s*$")
PARA = re.compile(r"^(\d{1,3})\s?\.(?!\d)\s*(.*)$")
_DECIMAL = re.compile(r"^(\d{1,3})\.(\d{1,2})\.?\s+(.*)$")
SUB = re.compile(r"^(?P<dash>[-–—•]\s*)?(?P<n>\d{1,2})\s?\)(?P<dot>\.)?\s*(?P<rest>.*)$")
_LETTER = re.compile(r"^(?P<dash>[-–—•]\s*)?(?P<l>[а-яәғқңөұүһі])\)\s*(?P<rest>.*)$")
NOTE = re.compile(r"^Ескерту\s*\.")
_TERMINAL = re.compile(r"[.;:!?][»\"”)\]]*$")
_STARTS_WORD = re.compile(r"^[^\W\d_]{2}")


def _known_section(title: str) -> bool:
    """Whether a heading's title is one the standards give their sections (бөлім)."""
    return match_key(title).rstrip(".") in _SECTION_TITLES


class Body:
    """The body of a standard (sections, paragraphs, subparagraphs, items, parts), line by line.

    One pass over the non-blank lines between the title and the first annex caption; the running
    section, paragraph, subparagraph and item are the state that decides where each line goes.
    """

    def __init__(self, p: StandardDraft, first: int, last: int) -> None:
        self.p = p
        self.lines = [ln for ln in p.seed.span(first, last) if not ln.blank]
        self.section: UnitDraft | None = None
        self.para: UnitDraft | None = None
        self.sub: UnitDraft | None = None  # the running subparagraph
        self.item: UnitDraft | None = None  # the running lettered / nested item
        self.last: UnitDraft | None = None  # the unit the previous line went to
        self.next_section = 1
        self.next_para = 1
        self.list_markup: set[str] = set()

    # -- driving -------------------------------------------------------------------------------------

    def run(self) -> None:
        """Read a section heading left on the title's line, then every line of the body."""
        p = self.p
        if p.heading_on_title is not None:
            ln = p.seed.line(p.loc.title_last)
            m = _SECTION.match(p.heading_on_title)
            if not m or not _known_section(m.group(2)):
                raise p.fail(
                    ln.no, f"cannot parse the standard: unexpected text after the title «{p.heading_on_title}»"
                )
            self.start_section(ln, int(m.group(1)), m.group(2), on_title=True)
        for pos, ln in enumerate(self.lines):
            self.line(pos, ln)

    def line(self, pos: int, ln: SeedLine) -> None:
        """Put line `pos` where it belongs, first match wins: a note, a section heading, a paragraph, the
        continuation of a sentence, a subparagraph or item, else an unnumbered part."""
        t = ln.text
        if NOTE.match(t):
            read_note(self.p, ln, self.para)
            self.last = None
            return
        m = _SECTION.match(t)
        if m and int(m.group(1)) == self.next_section and _known_section(m.group(2)):
            self.start_section(ln, int(m.group(1)), m.group(2))
            return
        para_m = PARA.match(t)
        para_n = int(para_m.group(1)) if para_m else 0
        is_para = para_m is not None and self.is_paragraph(ln, para_n, para_m.group(2))
        if not is_para and self.continues(ln, pos):
            return
        if is_para and para_m is not None:
            self.start_paragraph(ln, para_n, para_m.group(2))
            return
        if self.para is None:
            raise self.p.fail(ln.no, f"cannot parse the standard: text before paragraph 1: «{t[:80]}»")
        if self.decimal_sub(ln) or self.numbered(ln, pos, para_m) or self.lettered(ln):
            return
        self.part(ln, pos)

    def is_paragraph(self, ln: SeedLine, n: int, rest: str) -> bool:
        if n == self.next_para:
            return True
        if self.next_para < n <= self.next_para + 2 and rest[:1].isupper():
            missing = ", ".join(str(k) for k in range(self.next_para, n))
            self.p.quirk(
                "numbering-gap", ln.no, str(n), f"paragraph {n} follows paragraph {self.next_para - 1}: no {missing}"
            )
            return True
        return False

    # -- sections and paragraphs ---------------------------------------------------------------------

    def start_section(self, ln: SeedLine, n: int, title: str, on_title: bool = False) -> None:
        p = self.p
        sid = f"section-{n}"
        if n != self.next_section:
            p.quirk("section-numbering", ln.no, sid, f"section {n} where section {self.next_section} was expected")
        self.next_section = n + 1
        text = p.cleaned(title)
        self.section = p.add(
            UnitDraft(id=sid, kind="section", start=ln.no, end=ln.no, text=text, number=str(n), title=text)
        )
        self.para = self.sub = self.item = self.last = None
        if on_title:
            p.quirk(
                "heading-on-title-line",
                ln.no,
                sid,
                f"the section heading «{n}. {text}» shares the line with the standard's title; split off",
            )
        if n == self.next_para:
            p.quirk(
                "section-number-collision",
                ln.no,
                sid,
                f"the section heading «{n}. {text}» and the paragraph after it both read «{n}. …»: the known "
                f"section title makes it section {n}, the next «{n}. …» is paragraph {n}",
            )

    def start_paragraph(self, ln: SeedLine, n: int, rest: str) -> None:
        if self.section is None:
            self.p.quirk("missing-section", ln.no, str(n), "a paragraph before any section heading")
        self.para = self.p.add(
            UnitDraft(
                id=str(n),
                kind="paragraph",
                start=ln.no,
                end=ln.no,
                text=self.p.cleaned(rest),
                number=str(n),
                section=self.section.id if self.section else None,
            )
        )
        self.next_para = n + 1
        self.sub = self.item = None
        self.last = self.para

    # -- sentences split over lines ------------------------------------------------------------------

    def continues(self, ln: SeedLine, pos: int) -> bool:
        """Join a line to the previous unit when it continues that unit's sentence."""
        last, t, p = self.last, ln.text, self.p
        if last is None or _TERMINAL.search(last.text):
            return False
        if last.text.endswith(",") and t[:1].isupper() and _STARTS_WORD.match(t) and not t[:2].isupper():
            p.quirk(
                "truncated-text",
                last.end,
                last.id,
                "the text breaks off after «,» and the next line starts a new sentence: words are missing "
                "from the official text; the lines are kept apart",
            )
            return False
        m = SUB.match(t)
        if m and self.para is not None and int(m.group("n")) in (1, self.para.last_sub + 1):
            return False  # the next numbered subparagraph, after an item that lacks its «;»
        last.extend(ln, p.cleaned(t))
        p.quirk(
            "split-paragraph",
            ln.no,
            last.id,
            f"the line continues the sentence of {last.id} begun on line {last.start} "
            "(no closing punctuation before the break): rejoined",
        )
        return True

    # -- numbered children ---------------------------------------------------------------------------

    def child_id(self, parent: UnitDraft, number: str) -> tuple[str, int]:
        k = parent.seen.get(number, 0) + 1
        parent.seen[number] = k
        return (f"{parent.id}.{number}" if k == 1 else f"{parent.id}.{number}~{k}"), k

    def decimal_sub(self, ln: SeedLine) -> bool:
        """«11.4. …»: subparagraph 4 of paragraph 11."""
        para = self.para
        assert para is not None
        m = _DECIMAL.match(ln.text)
        if not m or m.group(1) != para.number:
            return False
        n = int(m.group(2))
        if not para.decimal:
            self.p.quirk(
                "decimal-subparagraph",
                ln.no,
                f"{para.id}.{n}",
                f"subparagraphs numbered «{para.number}.{n}.» instead of «{n})»; the «N)» inside them become items",
            )
        para.decimal = True
        self.new_sub(ln, str(n), m.group(3))
        return True

    def numbered(self, ln: SeedLine, pos: int, para_m: re.Match[str] | None) -> bool:
        """«N)» (or a stray «N.» followed by «N+1)»): a subparagraph, or an item in decimal paragraphs."""
        para, p = self.para, self.p
        assert para is not None
        m = SUB.match(ln.text)
        if m:
            number, rest = m.group("n"), m.group("rest")
            if m.group("dash") and para.id not in self.list_markup:
                self.list_markup.add(para.id)
                p.quirk(
                    "list-markup", ln.no, para.id, "markdown list dashes «- N)» before subparagraph numbers: dropped"
                )
            if m.group("dot"):
                p.quirk(
                    "odd-subparagraph-marker", ln.no, f"{para.id}.{number}", f"subparagraph marker written «{number}).»"
                )
        elif para_m is not None and not para.decimal:
            n = int(para_m.group(1))
            if n != para.last_sub + 1 or _next_sub_number(self.lines, pos) != n + 1:
                return False
            number, rest = str(n), para_m.group(2)
            p.quirk(
                "paragraph-style-subparagraph",
                ln.no,
                f"{para.id}.{number}",
                f"subparagraph written «{number}.» like a paragraph number (paragraph {self.next_para} comes "
                f"later); read as subparagraph {number}) of paragraph {para.id}",
            )
        else:
            return False
        if para.decimal and self.sub is not None:
            self.new_item(ln, self.sub, number, rest)
        else:
            self.new_sub(ln, number, rest)
        return True

    def lettered(self, ln: SeedLine) -> bool:
        """«а) …»: a lettered item of the running subparagraph (or of the paragraph)."""
        m = _LETTER.match(ln.text)
        if not m:
            return False
        owner = self.sub or self.para
        assert owner is not None
        self.new_item(ln, owner, m.group("l"), m.group("rest"))
        return True

    def new_sub(self, ln: SeedLine, number: str, rest: str) -> None:
        para, p = self.para, self.p
        assert para is not None
        sid, k = self.child_id(para, number)
        n = int(number)
        in_sequence = n == para.last_sub + 1
        if k > 1 and not in_sequence:
            if n == 1:
                p.quirk(
                    "restarted-numbering",
                    ln.no,
                    sid,
                    f"paragraph {para.id} restarts its subparagraph numbering at 1) (occurrence {k} of «1)»: id {sid}; "
                    f"the numbers after it get ~{k} or the next free suffix)",
                )
            else:
                p.quirk(
                    "duplicate-number",
                    ln.no,
                    sid,
                    f"a second «{number})» in paragraph {para.id} right after «{para.last_sub})»: id {sid}",
                )
        elif k == 1 and para.last_sub and not in_sequence and n != 1:
            p.quirk(
                "numbering-gap", ln.no, sid, f"subparagraph {number}) follows {para.last_sub}) in paragraph {para.id}"
            )
        para.last_sub = n if (n == 1 or in_sequence or k == 1) else para.last_sub + 1
        text = p.cleaned(rest)
        self.sub = p.add(
            UnitDraft(
                id=sid,
                kind="subparagraph",
                start=ln.no,
                end=ln.no,
                text=text,
                number=number,
                parent=para.id,
                section=para.section,
                opens_list=text.endswith(":"),
            )
        )
        self.item = None
        self.last = self.sub

    def new_item(self, ln: SeedLine, owner: UnitDraft, number: str, rest: str) -> None:
        iid, k = self.child_id(owner, number)
        if k > 1:
            self.p.quirk("duplicate-number", ln.no, iid, f"a second item «{number})» in {owner.id}: id {iid}")
        text = self.p.cleaned(rest)
        self.item = self.p.add(
            UnitDraft(
                id=iid,
                kind="item",
                start=ln.no,
                end=ln.no,
                text=text,
                number=number,
                parent=owner.id,
                section=owner.section,
                opens_list=text.endswith(":"),
            )
        )
        self.last = self.item

    # -- unnumbered parts ----------------------------------------------------------------------------

    def part(self, ln: SeedLine, pos: int) -> None:
        para, sub, item = self.para, self.sub, self.item
        assert para is not None
        text = self.p.cleaned(ln.text)
        event, n = _next_event(self.lines, pos, para, self.next_para, self.p.cleaned)
        same_list_goes_on = event == "sub" and para.last_sub > 0 and n == para.last_sub + 1
        owner: UnitDraft
        if item is not None and item.opens_list:
            owner = item
        elif sub is not None and (sub.opens_list or (same_list_goes_on and not text.endswith(":"))):
            owner = sub
        else:
            owner = para  # a paragraph-level part (a list heading «…:», or text after the list) ends the list
            self.sub = self.item = None
        if owner is not para and owner.opens_list and not text.endswith((";", ":")):
            owner.opens_list = False  # the item that ends the list
        owner.parts += 1
        self.last = self.p.add(
            UnitDraft(
                id=f"{owner.id}.u{owner.parts}",
                kind="part",
                start=ln.no,
                end=ln.no,
                text=text,
                parent=owner.id,
                section=owner.section,
            )
        )


# -- looking ahead in a paragraph ---------------------------------------------------------------------


def _next_event(
    lines: Sequence[SeedLine], pos: int, para: UnitDraft | None, next_para: int, cleaned: Callable[[str], str]
) -> tuple[str, int]:
    """What comes after line `pos` in paragraph `para`: ("sub", n), ("heading", 0) for a «…:» line, or
    ("end", 0) at a note, a section heading or paragraph `next_para`."""
    for j in range(pos + 1, len(lines)):
        t = lines[j].text
        if NOTE.match(t):
            return ("end", 0)
        sm = _SECTION.match(t)
        if sm and _known_section(sm.group(2)):
            return ("end", 0)
        pm = PARA.match(t)
        if pm and int(pm.group(1)) == next_para:
            return ("end", 0)
        if para is not None and para.decimal:
            dm = _DECIMAL.match(t)
            if dm and dm.group(1) == para.number:
                return ("sub", int(dm.group(2)))
            continue
        m = SUB.match(t)
        if m:
            return ("sub", int(m.group("n")))
        if pm and _next_sub_number(lines, j) == int(pm.group(1)) + 1:
            return ("sub", int(pm.group(1)))
        if cleaned(t).endswith(":"):
            return ("heading", 0)
    return ("end", 0)


def _next_sub_number(lines: Sequence[SeedLine], pos: int) -> int | None:
    """The number of the next «N)» after line `pos`, unless a paragraph or a note comes first."""
    for ln in lines[pos + 1 :]:
        m = SUB.match(ln.text)
        if m:
            return int(m.group("n"))
        if PARA.match(ln.text) or NOTE.match(ln.text):
            return None
    return None
