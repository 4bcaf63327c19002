"""One standard while it is parsed: its units so far, its amendment notes and its quirks.

The segmentation (`validator.law.segment`), the annexes (`validator.law.annex`) and the metadata
checks (`validator.law.metadata`) all add to the same `StandardDraft`; `validator.law.build` turns it
into a `validator.law.standard.Standard`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from validator.law.locate import Located
from validator.law.quirks import QUIRK_CODES
from validator.law.seed import Seed, SeedError, SeedLine
from validator.law.standard import Amendment, AnnexKind, LineRange, Quirk, Unit, UnitKind
from validator.law.text import clean, join_spaced_words

__all__ = ["StandardDraft", "UnitDraft"]


@dataclass
class UnitDraft:
    """A unit (section, paragraph, subparagraph, item, part, annex) being built."""

    id: str
    kind: UnitKind
    start: int
    end: int
    text: str
    number: str | None = None
    parent: str | None = None
    section: str | None = None
    title: str | None = None
    annex_kind: AnnexKind | None = None
    notes: list[str] = field(default_factory=list)
    parts: int = 0  # unnumbered parts so far (for .uK ids)
    seen: dict[str, int] = field(default_factory=dict)  # child number → how often seen (for ~k ids)
    opens_list: bool = False  # ends with ':' and the unnumbered items after it are still running
    decimal: bool = False  # a paragraph that numbers its subparagraphs 11.1., 11.2.
    last_sub: int = 0  # a paragraph's position in its numbered list

    def extend(self, line: SeedLine, text: str) -> None:
        self.text = f"{self.text} {text}" if self.text else text
        self.end = line.no

    def unit(self) -> Unit:
        return Unit(
            id=self.id,
            kind=self.kind,
            number=self.number,
            parent=self.parent,
            section=self.section,
            title=self.title,
            annex_kind=self.annex_kind,
            lines=LineRange(start=self.start, end=self.end),
            text=self.text,
            notes=tuple(self.notes),
        )


class StandardDraft:
    """One standard being parsed: the seed and its place in it, units, amendment notes, quirks, title."""

    def __init__(self, seed: Seed, loc: Located) -> None:
        self.seed = seed
        self.loc = loc
        self.units: list[UnitDraft] = []
        self.index: dict[str, UnitDraft] = {}
        self.quirks: list[Quirk] = []
        self.amendments: list[Amendment] = []
        # set from the lines above and of the title, before the body is read
        self.header_text = ""
        self.title = ""
        self.heading_on_title: str | None = None

    def fail(self, line: int | None, message: str) -> SeedError:
        """The error to raise for `line` of this seed."""
        return SeedError(self.seed.path, line, message)

    def quirk(self, code: str, line: int, unit: str | None, message: str) -> None:
        """Record a quirk; its code must be in the catalogue (`QUIRK_CODES`)."""
        assert code in QUIRK_CODES, code
        self.quirks.append(Quirk(code=code, line=line, unit=unit, message=message))

    def cleaned(self, text: str) -> str:
        """Text as a reader sees it, letter-spaced words rejoined by this seed's vocabulary."""
        return clean(join_spaced_words(text, self.seed.vocab))

    def add(self, d: UnitDraft) -> UnitDraft:
        """Add a unit; a second unit with the same id means the structure was misread."""
        if d.id in self.index:
            raise self.fail(d.start, f"cannot parse the standard: unit id {d.id!r} twice")
        self.index[d.id] = d
        self.units.append(d)
        return d
