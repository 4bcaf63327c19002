"""Citations (сілтеме): a paragraph, subparagraph or other unit of a standard.

Two spellings, both parsed and both printed:
- the short id used in rule files: ``11``, ``11.2``, ``7.1.а``, ``11.u1``, ``7.1~2``, ``annex-1``;
- the Kazakh legal form: ``11-тармақ``, ``11-тармақтың 2) тармақшасы``,
  ``7-тармақтың 1) тармақшасының а) тармақшасы``, ``1-қосымша``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from validator.law.text import nfc

_ID = re.compile(
    r"^(?:(?P<annex>annex-\d+)|(?P<section>section-\d+)"
    r"|(?P<para>\d+)(?P<rest>(?:\.(?:\d+|[а-яәғқңөұүһіa-z]|u\d+)(?:~\d+)?)*))$"
)
_KK_ANNEX = re.compile(r"^(\d+)-қосымша(?:сы)?$")
_KK_PARA = re.compile(
    r"^(\d+)-тармақ(?:тың|ы)?(?P<subs>(?:\s+(?:\d+-тізбедегі\s+)?\S+?\)\s+тармақшасы(?:ның)?)*)"
    r"(?:\s+(?P<part>\d+)-азат жолы)?$"
)
# A subparagraph, in the nth list of its paragraph where the numbering restarts («3-тізбедегі 2)»).
_KK_SUB = re.compile(r"(?:(\d+)-тізбедегі\s+)?(\S+?)\)\s+тармақшасы")


class CitationError(ValueError):
    """A citation that is neither a unit id nor a Kazakh paragraph reference."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"{text!r} is not a citation; expected a unit id such as '11', '11.2', '7.1.а', "
            "'11.u1', 'annex-1' or a Kazakh reference such as '11-тармақтың 2) тармақшасы'"
        )
        self.text = text


@dataclass(frozen=True, order=True)
class Citation:
    """A reference to one unit of a standard, by its stable id."""

    unit: str

    @property
    def paragraph(self) -> str | None:
        if self.unit.startswith(("annex-", "section-")):
            return None
        return self.unit.split(".")[0]

    @property
    def subparagraph(self) -> str | None:
        parts = self.unit.split(".")
        return ".".join(parts[1:]) if len(parts) > 1 else None

    def __str__(self) -> str:
        return self.unit

    def kazakh(self) -> str:
        """The Kazakh legal form: '11-тармақтың 2) тармақшасы'."""
        if self.unit.startswith("annex-"):
            return f"{self.unit.removeprefix('annex-')}-қосымша"
        if self.unit.startswith("section-"):
            return f"{self.unit.removeprefix('section-')}-бөлім"
        para, *subs = self.unit.split(".")
        if not subs:
            return f"{para}-тармақ"
        words = [f"{para}-тармақтың"]
        for i, sub in enumerate(subs):
            base, _, nth = sub.partition("~")
            label = f"{abzats(base[1:])}-азат жолы" if base.startswith("u") else f"{base}) тармақшасы"
            if nth:
                # A list whose numbering restarts inside the paragraph: its nth list (2-тізбедегі).
                label = f"{nth}-тізбедегі {label}"
            if i < len(subs) - 1 and not base.startswith("u"):
                label += "ның"
            words.append(label)
        return " ".join(words)

    def sort_key(self) -> tuple[tuple[int, str], ...]:
        return tuple((int(p) if p.isdigit() else -1, p) for p in re.split(r"[.~-]", self.unit))


def abzats(part: str) -> str:
    """The азат жол (абзац) an unnumbered part is, as drafting counts them: the paragraph's (or
    subparagraph's) own numbered first line is the first, so `u1`, the first line after it, is the 2nd."""
    return str(int(part) + 1) if part.isdigit() else part


@functools.lru_cache(maxsize=4096)
def parse_citation(text: str) -> Citation:
    """Parse '11.2' or '11-тармақтың 2) тармақшасы' (or '1-қосымша') into a Citation."""
    t = " ".join(nfc(str(text)).split())
    if _ID.match(t):
        return Citation(t)
    m = _KK_ANNEX.match(t)
    if m:
        return Citation(f"annex-{m.group(1)}")
    m = _KK_PARA.match(t)
    if m:
        subs = [f"{base}~{nth}" if nth and nth != "1" else base for nth, base in _KK_SUB.findall(m.group("subs") or "")]
        part = m.group("part")
        if part and int(part) > 1:
            subs.append(f"u{int(part) - 1}")  # the drafting count: the numbered first line is the 1st
        return Citation(".".join([m.group(1), *subs]))
    raise CitationError(text)
