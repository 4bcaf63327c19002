"""Import the official Әділет decree texts (seeds) into paragraph-addressable standards.

A seed is the plain text of one Government decree as Әділет publishes it: the decree itself
(title, "Күші жойылды" banner and note, its own paragraphs) followed by the standards it approves,
restates or adds, each with its annexes. `import_seeds` parses every seed and writes

- ``out/<slug>/standard.json``: one `validator.law.standard.Standard` per standard;
- ``out/index.json``: slug, titles, source file, dates and paragraph count of every standard;
- ``out/quirks.json``: per slug, the quirks (defects of the official text that were worked around).

Where each standard starts and ends, its slug, English title, edition and approving / amending
decree come from the manifest ``validator/data/seeds.yaml``, keyed by the sha256 of the seed file.
Everything else (Kazakh title, sections, paragraphs, subparagraphs, items, unnumbered parts,
annexes, «Ескерту» amendment notes, the repeal, the entry-into-force rule) is parsed from the text.
A seed that is not in the manifest is parsed by auto-detection of its standard titles; those
standards get a derived slug, no English title and an ``auto-detected`` quirk.

Writing is atomic (everything is built in a temporary directory beside ``out`` and swapped in only
when every seed parsed) and deterministic (re-importing the same seeds gives the same bytes).

Parsing, in short. Lines are read as written (1-based numbers are kept for every unit). Inside a
standard:

- a flush ``N. <known section title>`` line is a section heading (``section-N``), even where N is
  also a paragraph number;
- ``N. …`` with N the next paragraph number starts a paragraph (``N``);
- ``N)`` (also ``- N)``, ``N).``) starts a subparagraph (``P.N``); a second ``N)`` in the same
  paragraph becomes ``P.N~2`` (restarted or duplicated numbering), ``P.M.`` decimal numbering is
  read as subparagraph M, and a stray ``1.`` followed by ``2)`` as subparagraph 1;
- ``а)`` starts a lettered item (``P.N.а``); inside decimal subparagraphs ``N)`` starts an item;
- a line that continues a sentence (the previous line has no closing punctuation) is joined to it;
- any other line is an unnumbered part (азат жол): of the open list item it belongs to
  (``P.N.uK``: an item ending in ``:`` followed by unnumbered lines, or text between ``N)`` and
  ``N+1)``), or else of the paragraph (``P.uK``);
- «Ескерту.» lines are amendment notes, attached to the paragraph they follow;
- annexes start at their caption («…» мемлекеттік қызмет стандартына / N-қосымша) and are kept
  whole, one unit each (``annex-N``).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from validator.law.standard import Amendment, AnnexKind, Decree, LineRange, Quirk, Standard, Unit, UnitKind
from validator.law.text import (
    clean,
    join_spaced_words,
    lookalike_words,
    match_key,
    nfc,
    spaced_runs,
    strip_markup,
    vocabulary,
)

__all__ = [
    "MANIFEST_PATH",
    "QUIRK_CODES",
    "ImportReport",
    "SeedError",
    "detect_standards",
    "import_seeds",
    "load_manifest",
    "parse_seed",
]

MANIFEST_PATH = Path(__file__).resolve().parents[1] / "data" / "seeds.yaml"

Edition = Literal["original", "new-edition", "added"]

#: Every quirk code the importer emits, with what it means. Codes are stable: rules and reviews may
#: refer to them.
QUIRK_CODES: dict[str, str] = {
    "annex-caption-incomplete": "an annex marker (N-қосымша) without the «…» стандартына caption above it",
    "annex-caption-mismatch": "an annex caption names another standard (copy-paste in the official text)",
    "annex-numbering": "annex numbers do not run 1, 2, 3 …",
    "annex-title-merged": "an annex title and the table's first heading on one line",
    "auto-detected": "the seed is not in the manifest: the standard was found by its title, slug derived",
    "decimal-subparagraph": "subparagraphs numbered «11.1.» instead of «1)»",
    "decree-date-mismatch": "two dates for the same decree in the text",
    "duplicate-number": "a subparagraph or item number repeats out of sequence («1) 2) 2) 4)»)",
    "heading-on-title-line": "the section heading «1. Жалпы ережелер» shares the line with the standard's title",
    "incomplete-annex-title": "an annex title that is cut short or missing",
    "latin-lookalike": "words that mix Latin and Cyrillic letters (Latin i for і …), kept as written",
    "list-markup": "markdown list dashes «- 1)» before subparagraph numbers",
    "markup": "markdown or HTML markup (**, <i>) removed",
    "missing-annex-header": "no decree-annex header («… № N қаулысына K-қосымша») above the standard's title",
    "missing-approval-stamp": "no «… қаулысымен бекітілген» stamp above the standard's title",
    "missing-edition-note": "no «Стандарт жаңа редакцияда» note for a restated standard",
    "missing-section": "a paragraph before any section heading",
    "note-placement": "an «Ескерту» note about paragraph N that does not follow paragraph N",
    "note-target": "an «Ескерту» note whose target is not «N-тармақ» or «Стандарт»",
    "note-word-order": "the in-force clause of an «Ескерту» note stands before «Қаулысымен»",
    "numbering-gap": "a paragraph or subparagraph number skipped",
    "odd-subparagraph-marker": "a subparagraph marker written «1).»",
    "paragraph-style-subparagraph": "a subparagraph written «1.» like a paragraph number, followed by «2)»",
    "restarted-numbering": "subparagraph numbering restarts at 1) inside a paragraph (ids P.N~2 …)",
    "section-number-collision": "a section heading «N. Title» right before paragraph «N. …» (same number)",
    "section-numbering": "section numbers do not run 1 … 5",
    "spaced-word": "a letter-spaced word («к ө р с е т е д і») rejoined",
    "split-paragraph": "a sentence broken over lines (blank lines between), rejoined",
    "title-trailing-dash": "the standard's title ends with a stray dash",
    "truncated-annex-header": "the decree-annex header above the title is cut short (no date or number)",
    "ends-early": "the standard stops before its complaints section: the copy may be truncated",
    "truncated-text": "the text breaks off mid-sentence (words missing in the official text)",
    "unparsed-note": "an «Ескерту» note the importer could not read",
}


# ==================================================================================================
# Errors and the report
# ==================================================================================================


class SeedError(Exception):
    """A seed that cannot be imported: ``str()`` is one line, ``file:line: message``."""

    def __init__(self, file: str | os.PathLike[str], line: int | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportReport:
    """What `import_seeds` wrote: the standards (sorted by slug), with their quirks."""

    standards: tuple[Standard, ...]
    out: Path

    @property
    def slugs(self) -> list[str]:
        return [s.slug for s in self.standards]

    def quirks(self) -> dict[str, tuple[Quirk, ...]]:
        """All quirks, by slug."""
        return {s.slug: s.quirks for s in self.standards}

    def quirk_counts(self) -> dict[str, int]:
        """How many quirks of each code over all standards, sorted by code."""
        counts: dict[str, int] = {}
        for s in self.standards:
            for q in s.quirks:
                counts[q.code] = counts.get(q.code, 0) + 1
        return dict(sorted(counts.items()))

    def render_quirks(self) -> str:
        """The quirk report as text: per standard one line per quirk, then the totals per code."""
        out: list[str] = []
        total = 0
        for s in self.standards:
            out.append(f"{s.slug} ({s.source_file}, lines {s.lines.start}-{s.lines.end}): {len(s.quirks)} quirks")
            for q in s.quirks:
                unit = f" [{q.unit}]" if q.unit else ""
                out.append(f"  {s.source_file}:{q.line}: {q.code}{unit}: {q.message}")
            total += len(s.quirks)
        out.append("")
        out.append(f"{len(self.standards)} standards, {total} quirks")
        for code, n in self.quirk_counts().items():
            out.append(f"  {code:30} {n:5}  {QUIRK_CODES.get(code, '')}")
        return "\n".join(out) + "\n"


# ==================================================================================================
# The manifest
# ==================================================================================================


class ManifestDecree(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    number: str
    date: date


class ManifestStandard(BaseModel):
    """One standard of a seed: where it is (1-based inclusive lines) and what it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    slug: str
    title_en: str
    start: int
    end: int
    edition: Edition
    approved_by: ManifestDecree
    amended_by: ManifestDecree | None = None


class ManifestSeed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    file: str
    standards: tuple[ManifestStandard, ...]


def load_manifest(path: Path | None = None) -> dict[str, ManifestSeed]:
    """The seed manifest: sha256 of a seed file → its standards."""
    path = path or MANIFEST_PATH
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("seeds"), dict):
        raise ValueError(f"{path}: expected a mapping with a 'seeds' mapping")
    out: dict[str, ManifestSeed] = {}
    for sha, entry in raw["seeds"].items():
        try:
            out[str(sha)] = ManifestSeed.model_validate(entry)
        except ValidationError as e:
            raise ValueError(f"{path}: seed {sha}: {e}") from e
    return out


# ==================================================================================================
# Reading a seed
# ==================================================================================================

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u200a]+")


@dataclass(frozen=True)
class _Line:
    no: int  # 1-based
    raw: str  # NFC, as in the file
    text: str  # markup stripped, whitespace (no-break spaces, tabs) folded, stripped

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def tabbed(self) -> bool:
        return "\t" in self.raw


@dataclass(frozen=True)
class _Seed:
    path: Path
    name: str
    sha256: str
    lines: tuple[_Line, ...]
    vocab: frozenset[str]

    def line(self, no: int) -> _Line:
        return self.lines[no - 1]

    def span(self, start: int, end: int) -> tuple[_Line, ...]:
        return self.lines[start - 1 : end]


def _read_seed(path: Path) -> _Seed:
    label = str(path)
    if not path.exists():
        raise SeedError(label, None, "no such file")
    if not path.is_file():
        raise SeedError(label, None, "not a file")
    data = path.read_bytes()
    if not data.strip():
        raise SeedError(label, None, "empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SeedError(
            label, line, f"not UTF-8: invalid byte 0x{data[e.start]:02x} at byte offset {e.start}"
        ) from None
    text = nfc(text.removeprefix("\ufeff"))
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    lines = []
    for i, row in enumerate(rows, 1):
        row = row.removesuffix("\r")
        lines.append(_Line(i, row, _SPACES.sub(" ", strip_markup(row)).strip()))
    return _Seed(path, path.name, hashlib.sha256(data).hexdigest(), tuple(lines), vocabulary(text))


# ==================================================================================================
# Decrees and dates
# ==================================================================================================

_MONTHS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip
_LONG_DATE = r"(\d{4})\s+жылғы\s+(\d{1,2})\s+([^\W\d_]+)"
_NUM_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}\.\d{1,2}\.\d{1,2}"
_FILE_DECREE = re.compile(_LONG_DATE + r"\s+№\s*(\d+)\s+қаулысы\b", re.IGNORECASE)
_REPEAL_NOTE = re.compile(
    rf"Ескерту\s*\.\s*Күші\s+жойылды\s*[-–—]\s*ҚР\s+Үкіметінің\s+({_NUM_DATE})\s*№\s*(\d+)\s*"
    r"қаулысымен\s*(?:\(([^)]*)\))?",
    re.IGNORECASE,
)
_IN_FORCE_PARA = re.compile(r"^(\d+)\s*\.\s*осы қаулы\b.*қолданысқа енгізіледі\.?$")  # on match_key text
_AMEND_NOTE = re.compile(
    r"^Ескерту\s*\.\s*(?P<what>.*?)\s*(?P<kind>жаңа\s+редакцияда|өзгеріс(?:тер)?\s+енгізілді|толықтырылды|"
    rf"алып\s+тасталды|күші\s+жойылды)\s*[-–—]\s*ҚР\s+Үкіметінің\s+(?P<date>{_NUM_DATE})\s*№\s*(?P<num>\d+)\s*"
    r"(?:\((?P<rule1>[^)]*)\)\s*)?қаулысымен\s*(?:\((?P<rule2>[^)]*)\))?",
    re.IGNORECASE,
)
_STAMP = re.compile(r"(?:" + _LONG_DATE + r"\s+)?№\s*(\d+)\s+қаулысымен\s+бекітілген", re.IGNORECASE)
_ANNEX_HEADER = re.compile(
    r"(?:(\d{4})\s+жылғы\s*(?:(\d{1,2})\s+([^\W\d_]+))?\s*)?№\s*(\d*)\s*қаулысына\s+(\d+)\s*-\s*қосымша",
    re.IGNORECASE,
)


def _kk_month(word: str) -> int | None:
    w = word.casefold()
    return next((n for stem, n in _MONTHS.items() if w.startswith(stem)), None)


def _long_date(year: str, day: str, month: str) -> date | None:
    """«2012 жылғы 26 қарашадағы» → 2012-11-26."""
    m = _kk_month(month)
    try:
        return date(int(year), m, int(day)) if m else None
    except ValueError:
        return None


def _num_date(text: str) -> date:
    """«17.05.2014» or «2011.03.29»."""
    a, b, c = (int(x) for x in text.split("."))
    return date(a, b, c) if a > 31 else date(c, b, a)


def _delay_days(rule: str | None) -> int | None:
    """Days from first official publication to entry into force, as a rule text states them."""
    if not rule:
        return None
    k = match_key(rule)
    if "он күн" in k or "он күнтізбелік күн" in k:
        return 10
    if "жарияланған күнінен бастап" in k or "жарияланғанынан бастап" in k:
        return 0
    return None


@dataclass(frozen=True)
class _FileDecree:
    """The decree a seed holds (its own number and date, repeal, entry-into-force paragraph)."""

    title: str
    decree: Decree
    repeal: Decree | None
    repeal_rule: str | None
    in_force: str | None


def _parse_file_decree(seed: _Seed, until: int) -> _FileDecree:
    head = seed.span(1, max(1, min(until, len(seed.lines))))
    title = ""
    decree: Decree | None = None
    for ln in head[:60]:
        if not title and ln.text and not ln.text.startswith("[image"):
            title = clean(ln.text)
        m = _FILE_DECREE.search(ln.text)
        if m and decree is None:
            d = _long_date(m.group(1), m.group(2), m.group(3))
            if d is not None:
                decree = Decree(number=m.group(4), date=d, title_kk=title or None)
    if decree is None:
        raise SeedError(
            seed.path,
            None,
            "not an Әділет decree: no «Қазақстан Республикасы Үкіметінің <date> № <N> қаулысы» line "
            "in its first 60 lines",
        )
    repeal = repeal_rule = None
    for ln in head[:80]:
        m = _REPEAL_NOTE.search(ln.text)
        if m:
            repeal = Decree(number=m.group(2), date=_num_date(m.group(1)))
            repeal_rule = clean(m.group(3)) if m.group(3) else None
            break
    in_force = None
    for ln in head:
        if _IN_FORCE_PARA.match(match_key(ln.text)):
            in_force = clean(re.sub(r"^\d+\s*\.\s*", "", ln.text))
    return _FileDecree(title, decree, repeal, repeal_rule, in_force)


# ==================================================================================================
# Locating standards
# ==================================================================================================

_QUOTE_START = re.compile(r"^\**\s*[«\"“„]")
_TITLE_END = re.compile(r"\bстандарты\b", re.IGNORECASE)
_NOT_TITLE = re.compile(r"стандарт(?:ын|ына|тарын)\b", re.IGNORECASE)
_HEADER_LINE = re.compile(
    r"^(?:Қазақстан\s+Республикасы(?:\s+Үкіметінің)?|Үкіметінің|\d{4}\s+жылғы.*|№\s*\d*\s+қаулысы(?:на|мен)|"
    r"бекітілген|\d{1,2}\s*-\s*қосымша)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Located:
    start: int  # first line: approval stamp / decree-annex header, or the title
    end: int  # last non-blank line of the last annex
    title_first: int
    title_last: int


def _title_at(seed: _Seed, no: int, limit: int) -> tuple[int, int] | None:
    """If a standard's title («…» мемлекеттік қызмет стандарты) starts at line `no`: its first and last line."""
    ln = seed.line(no)
    if ln.raw[:1] in ("\u00a0", "\t") or not _QUOTE_START.match(ln.text):
        return None
    seen = 0
    for j in range(no, min(limit, len(seed.lines)) + 1):
        t = seed.line(j).text
        if not t:
            continue
        seen += 1
        if seen > 5 or (j > no and _QUOTE_START.match(t)) or _NOT_TITLE.search(t):
            return None
        if _TITLE_END.search(t):
            return (no, j)
    return None


def _header_start(seed: _Seed, title_first: int, floor: int) -> int:
    """The first line of the approval stamp / decree-annex header above a title (or the title)."""
    start = title_first
    for j in range(title_first - 1, floor, -1):
        t = seed.line(j).text
        if t and not _HEADER_LINE.match(t):
            break
        if t:
            start = j
    return start


def _last_content(seed: _Seed, start: int, end: int) -> int:
    """The last line in start..end with text (blank lines and a © footer left out)."""
    j = end
    while j > start and (seed.line(j).blank or seed.line(j).text.startswith("©")):
        j -= 1
    return j


def detect_standards(seed: _Seed) -> list[_Located]:
    """Find the standards in a seed by their titles; each runs to the header of the next."""
    n = len(seed.lines)
    titles: list[tuple[int, int]] = []
    no = 1
    while no <= n:
        found = _title_at(seed, no, n)
        if found:
            titles.append(found)
        no = found[1] + 1 if found else no + 1
    starts = []
    floor = 0
    for first, last in titles:
        starts.append(_header_start(seed, first, floor))
        floor = last
    out = []
    for i, (first, last) in enumerate(titles):
        end = starts[i + 1] - 1 if i + 1 < len(titles) else n
        out.append(_Located(starts[i], _last_content(seed, starts[i], end), first, last))
    return out


# ==================================================================================================
# Parsing one standard
# ==================================================================================================

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
_PARA = re.compile(r"^(\d{1,3})\s?\.(?!\d)\s*(.*)$")
_DECIMAL = re.compile(r"^(\d{1,3})\.(\d{1,2})\.?\s+(.*)$")
_SUB = re.compile(r"^(?P<dash>[-–—•]\s*)?(?P<n>\d{1,2})\s?\)(?P<dot>\.)?\s*(?P<rest>.*)$")
_LETTER = re.compile(r"^(?P<dash>[-–—•]\s*)?(?P<l>[а-яәғқңөұүһі])\)\s*(?P<rest>.*)$")
_NOTE = re.compile(r"^Ескерту\s*\.")
_TERMINAL = re.compile(r"[.;:!?][»\"”)\]]*$")
_SENTENCE_END = re.compile(r"[.!?][\"”)\]]*$")
_STARTS_WORD = re.compile(r"^[^\W\d_]{2}")
_ANNEX_MARK = re.compile(r"(?:^|\s)(\d{1,2})\s*-\s*қосымша\W*$", re.IGNORECASE)
_ANNEX_MARK_ONLY = re.compile(r"\**\d{1,2}\s*-\s*қосымша\W*", re.IGNORECASE)
_UNIT_REF = re.compile(r"^(\d+)\s*-\s*тармақ", re.IGNORECASE)


def _known_section(title: str) -> bool:
    return match_key(title).rstrip(".") in _SECTION_TITLES


@dataclass
class _Draft:
    """A unit being built."""

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

    def extend(self, line: _Line, text: str) -> None:
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


class _StandardParser:
    """Parses the lines of one standard into units, amendment notes and quirks."""

    def __init__(self, seed: _Seed, loc: _Located) -> None:
        self.seed = seed
        self.loc = loc
        self.units: list[_Draft] = []
        self.index: dict[str, _Draft] = {}
        self.quirks: list[Quirk] = []
        self.amendments: list[Amendment] = []
        self.header_text = ""
        self.title = ""
        self.heading_on_title: str | None = None

    def fail(self, line: int | None, message: str) -> SeedError:
        return SeedError(self.seed.path, line, message)

    def quirk(self, code: str, line: int, unit: str | None, message: str) -> None:
        assert code in QUIRK_CODES, code
        self.quirks.append(Quirk(code=code, line=line, unit=unit, message=message))

    def cleaned(self, text: str) -> str:
        return clean(join_spaced_words(text, self.seed.vocab))

    def add(self, d: _Draft) -> _Draft:
        if d.id in self.index:
            raise self.fail(d.start, f"cannot parse the standard: unit id {d.id!r} twice")
        self.index[d.id] = d
        self.units.append(d)
        return d

    def parse(self) -> None:
        self.parse_title()
        markers = self.annex_markers()
        captions: list[int] = []
        floor = self.loc.title_last
        for mk in markers:
            captions.append(self.caption_start(mk, floor))
            floor = mk
        body_end = captions[0] - 1 if captions else self.loc.end
        _Body(self, self.loc.title_last + 1, body_end).run()
        self.parse_annexes(markers, captions)

    # -- header and title ----------------------------------------------------------------------------

    def parse_title(self) -> None:
        loc = self.loc
        head = [ln.text for ln in self.seed.span(loc.start, loc.title_first - 1) if ln.text]
        self.header_text = clean(" ".join(head))
        joined = " ".join(ln.text for ln in self.seed.span(loc.title_first, loc.title_last) if ln.text)
        end = [m.end() for m in _TITLE_END.finditer(joined)][-1]
        title, rest = joined[:end], joined[end:].strip()
        if rest in ("-", "–"):
            self.quirk("title-trailing-dash", loc.title_last, None, f"the title ends with a stray «{rest}»; dropped")
            rest = ""
        self.title = self.cleaned(title)
        self.heading_on_title = rest or None

    # -- annexes -------------------------------------------------------------------------------------

    def annex_markers(self) -> list[int]:
        """Lines «N-қосымша» (alone, or ending a «… стандартына N-қосымша» caption line)."""
        out = []
        for ln in self.seed.span(self.loc.title_last + 1, self.loc.end):
            t = ln.text
            if (
                len(t) < 220
                and _ANNEX_MARK.search(t)
                and (_ANNEX_MARK_ONLY.fullmatch(t) or "стандартына" in t.casefold())
            ):
                out.append(ln.no)
        return out

    def caption_start(self, marker: int, floor: int) -> int:
        """The first line of the caption («…» / мемлекеттік қызмет стандартына / N-қосымша) of an annex."""
        if _QUOTE_START.match(self.seed.line(marker).text):
            return marker
        region: list[int] = []  # caption-like lines above the marker, nearest first
        for j in range(marker - 1, floor, -1):
            ln = self.seed.line(j)
            if ln.blank:
                continue
            if ln.tabbed or len(ln.text) > 100 or _SENTENCE_END.search(ln.text) or len(region) == 16:
                break
            if _PARA.match(ln.text) or _SUB.match(ln.text) or _NOTE.match(ln.text):
                break
            region.append(j)
        for no in region:
            if _QUOTE_START.match(self.seed.line(no).text):
                return no
        return region[-1] if region else marker

    def parse_annexes(self, markers: list[int], captions: list[int]) -> None:
        seed = self.seed
        seen: dict[str, int] = {}
        expected = 1
        std_name = match_key(_quoted(self.title) or self.title)
        for i, mk in enumerate(markers):
            start = captions[i]
            end = _last_content(seed, start, captions[i + 1] - 1 if i + 1 < len(markers) else self.loc.end)
            m = _ANNEX_MARK.search(seed.line(mk).text)
            assert m is not None
            number = m.group(1)
            seen[number] = k = seen.get(number, 0) + 1
            aid = f"annex-{number}" if k == 1 else f"annex-{number}~{k}"
            if int(number) != expected:
                self.quirk("annex-numbering", mk, aid, f"annex {number} where annex {expected} was expected")
            expected = int(number) + 1
            caption = clean(" ".join(ln.text for ln in seed.span(start, mk) if ln.text))
            named = _quoted(caption)
            if named is None:
                self.quirk("annex-caption-incomplete", mk, aid, f"annex {number} has no «…» стандартына caption")
            elif difflib.SequenceMatcher(None, std_name, match_key(named), autojunk=False).ratio() < 0.8:
                self.quirk(
                    "annex-caption-mismatch", start, aid, f"the annex caption names «{named}», not this standard"
                )
            body = [ln for ln in seed.span(mk + 1, end) if not ln.blank]
            title, merged = _annex_title(body)
            kind = _annex_kind(title, body)
            if merged:
                self.quirk(
                    "annex-title-merged",
                    body[0].no,
                    aid,
                    f"the annex title and the table's first heading «{merged}» share one line; split",
                )
            if title is None:
                self.quirk(
                    "incomplete-annex-title", mk, aid, "the annex has no title of its own; the table starts at once"
                )
            elif kind == "address-list" and not _TITLE_FINAL.search(title):
                self.quirk(
                    "incomplete-annex-title",
                    body[0].no if body else mk,
                    aid,
                    f"the annex title «{title}» breaks off (or is a table heading, the title being lost)",
                )
            self.add(
                _Draft(
                    id=aid,
                    kind="annex",
                    start=start,
                    end=end,
                    text="\n".join(self.cleaned(ln.text) for ln in body),
                    number=number,
                    title=self.cleaned(title) if title else None,
                    annex_kind=kind,
                )
            )

    # -- amendment notes -----------------------------------------------------------------------------

    def note(self, ln: _Line, para: _Draft | None) -> None:
        """An «Ескерту.» line: an amendment note on the paragraph it follows (or on the standard)."""
        text = clean(ln.text)
        m = _AMEND_NOTE.match(ln.text)
        if not m:
            self.quirk("unparsed-note", ln.no, para.id if para else None, f"note not understood: «{text[:120]}»")
            if para is not None:
                para.notes.append(text)
            return
        what, how = match_key(m.group("what")), match_key(m.group("kind"))
        kind: Literal["new-edition", "amended", "added", "repealed", "other"]
        kind = (
            "new-edition"
            if "редакция" in how
            else "amended"
            if "өзгеріс" in how
            else "added"
            if "толықтырыл" in how
            else "repealed"
        )
        ref = _UNIT_REF.match(what)
        unit: str | None
        if ref:
            unit = ref.group(1)
            if para is None or para.id != unit:
                after = f"paragraph {para.id}" if para else "no paragraph"
                self.quirk("note-placement", ln.no, unit, f"the note on paragraph {unit} follows {after}")
        elif what.startswith("стандарт"):
            unit = None
        else:
            unit = para.id if para else None
            self.quirk("note-target", ln.no, unit, f"the note names «{m.group('what')}»; attached to {unit}")
        if m.group("rule1"):
            self.quirk("note-word-order", ln.no, unit, "the in-force clause in parentheses stands before «Қаулысымен»")
        rule = m.group("rule1") or m.group("rule2")
        self.amendments.append(
            Amendment(
                unit=unit,
                kind=kind,
                decree=Decree(number=m.group("num"), date=_num_date(m.group("date"))),
                in_force_rule=clean(rule) if rule else None,
                text=text,
                lines=LineRange(start=ln.no, end=ln.no),
            )
        )
        if para is not None and unit == para.id:
            para.notes.append(text)


class _Body:
    """The body of a standard (sections, paragraphs, subparagraphs, items, parts), line by line."""

    def __init__(self, p: _StandardParser, first: int, last: int) -> None:
        self.p = p
        self.lines = [ln for ln in p.seed.span(first, last) if not ln.blank]
        self.section: _Draft | None = None
        self.para: _Draft | None = None
        self.sub: _Draft | None = None  # the running subparagraph
        self.item: _Draft | None = None  # the running lettered / nested item
        self.last: _Draft | None = None  # the unit the previous line went to
        self.next_section = 1
        self.next_para = 1
        self.list_markup: set[str] = set()

    # -- driving -------------------------------------------------------------------------------------

    def run(self) -> None:
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

    def line(self, pos: int, ln: _Line) -> None:
        t = ln.text
        if _NOTE.match(t):
            self.p.note(ln, self.para)
            self.last = None
            return
        m = _SECTION.match(t)
        if m and int(m.group(1)) == self.next_section and _known_section(m.group(2)):
            self.start_section(ln, int(m.group(1)), m.group(2))
            return
        para_m = _PARA.match(t)
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

    def is_paragraph(self, ln: _Line, n: int, rest: str) -> bool:
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

    def start_section(self, ln: _Line, n: int, title: str, on_title: bool = False) -> None:
        p = self.p
        sid = f"section-{n}"
        if n != self.next_section:
            p.quirk("section-numbering", ln.no, sid, f"section {n} where section {self.next_section} was expected")
        self.next_section = n + 1
        text = p.cleaned(title)
        self.section = p.add(
            _Draft(id=sid, kind="section", start=ln.no, end=ln.no, text=text, number=str(n), title=text)
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

    def start_paragraph(self, ln: _Line, n: int, rest: str) -> None:
        if self.section is None:
            self.p.quirk("missing-section", ln.no, str(n), "a paragraph before any section heading")
        self.para = self.p.add(
            _Draft(
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

    def continues(self, ln: _Line, pos: int) -> bool:
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
        m = _SUB.match(t)
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

    def child_id(self, parent: _Draft, number: str) -> tuple[str, int]:
        k = parent.seen.get(number, 0) + 1
        parent.seen[number] = k
        return (f"{parent.id}.{number}" if k == 1 else f"{parent.id}.{number}~{k}"), k

    def decimal_sub(self, ln: _Line) -> bool:
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

    def numbered(self, ln: _Line, pos: int, para_m: re.Match[str] | None) -> bool:
        """«N)» (or a stray «N.» followed by «N+1)»): a subparagraph, or an item in decimal paragraphs."""
        para, p = self.para, self.p
        assert para is not None
        m = _SUB.match(ln.text)
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
            if n != para.last_sub + 1 or self.next_sub_number(pos) != n + 1:
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

    def lettered(self, ln: _Line) -> bool:
        """«а) …»: a lettered item of the running subparagraph (or of the paragraph)."""
        m = _LETTER.match(ln.text)
        if not m:
            return False
        owner = self.sub or self.para
        assert owner is not None
        self.new_item(ln, owner, m.group("l"), m.group("rest"))
        return True

    def new_sub(self, ln: _Line, number: str, rest: str) -> None:
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
            _Draft(
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

    def new_item(self, ln: _Line, owner: _Draft, number: str, rest: str) -> None:
        iid, k = self.child_id(owner, number)
        if k > 1:
            self.p.quirk("duplicate-number", ln.no, iid, f"a second item «{number})» in {owner.id}: id {iid}")
        text = self.p.cleaned(rest)
        self.item = self.p.add(
            _Draft(
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

    def part(self, ln: _Line, pos: int) -> None:
        para, sub, item = self.para, self.sub, self.item
        assert para is not None
        text = self.p.cleaned(ln.text)
        event, n = self.next_event(pos)
        same_list_goes_on = event == "sub" and para.last_sub > 0 and n == para.last_sub + 1
        owner: _Draft
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
            _Draft(
                id=f"{owner.id}.u{owner.parts}",
                kind="part",
                start=ln.no,
                end=ln.no,
                text=text,
                parent=owner.id,
                section=owner.section,
            )
        )

    def next_event(self, pos: int) -> tuple[str, int]:
        """What comes next in the paragraph: ("sub", n), ("heading", 0) for a «…:» line, or ("end", 0)."""
        para = self.para
        for j in range(pos + 1, len(self.lines)):
            t = self.lines[j].text
            if _NOTE.match(t):
                return ("end", 0)
            sm = _SECTION.match(t)
            if sm and _known_section(sm.group(2)):
                return ("end", 0)
            pm = _PARA.match(t)
            if pm and int(pm.group(1)) == self.next_para:
                return ("end", 0)
            if para is not None and para.decimal:
                dm = _DECIMAL.match(t)
                if dm and dm.group(1) == para.number:
                    return ("sub", int(dm.group(2)))
                continue
            m = _SUB.match(t)
            if m:
                return ("sub", int(m.group("n")))
            if pm and self.next_sub_number(j) == int(pm.group(1)) + 1:
                return ("sub", int(pm.group(1)))
            if self.p.cleaned(t).endswith(":"):
                return ("heading", 0)
        return ("end", 0)

    def next_sub_number(self, pos: int) -> int | None:
        for ln in self.lines[pos + 1 :]:
            m = _SUB.match(ln.text)
            if m:
                return int(m.group("n"))
            if _PARA.match(ln.text) or _NOTE.match(ln.text):
                return None
        return None


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


def _quoted(text: str) -> str | None:
    """The name in quotes: «…» or "…" (outermost pair)."""
    m = re.search(r"[«\"“„]\s*(.+)\s*[»\"”]", text)
    return m.group(1).strip() if m else None


def _annex_title(body: list[_Line]) -> tuple[str | None, str | None]:
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


def _annex_kind(title: str | None, body: list[_Line]) -> AnnexKind:
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


# ==================================================================================================
# Building the Standard
# ==================================================================================================


def _decree(m: ManifestDecree, title: str | None = None) -> Decree:
    return Decree(number=m.number, date=m.date, title_kk=title)


def _check_header(p: _StandardParser, spec: ManifestStandard, fd: _FileDecree) -> None:
    """Check the approval stamp and the decree-annex header above the title against the manifest."""
    loc, head = p.loc, p.header_text
    stamp = _STAMP.search(head)
    # restated or added by the seed's own decree: expect «… № <that> қаулысына N-қосымша» above the title
    by_container = (
        spec.amended_by is not None and spec.edition != "original" and spec.amended_by.number == fd.decree.number
    )
    if stamp is None:
        if not by_container:
            p.quirk(
                "missing-approval-stamp",
                loc.title_first,
                None,
                f"no «… № {spec.approved_by.number} қаулысымен бекітілген» stamp above the title",
            )
    else:
        if stamp.group(4) != spec.approved_by.number:
            raise p.fail(
                loc.start,
                f"the approval stamp names decree № {stamp.group(4)}, the manifest № {spec.approved_by.number}",
            )
        if stamp.group(1) is None:
            p.quirk(
                "truncated-annex-header",
                loc.start,
                None,
                f"the header above the title is cut short: only «{head}» is left (no date, no «… қаулысына "
                "N-қосымша» line)",
            )
        elif (d := _long_date(stamp.group(1), stamp.group(2), stamp.group(3))) != spec.approved_by.date:
            p.quirk(
                "decree-date-mismatch",
                loc.start,
                None,
                f"the approval stamp dates decree № {spec.approved_by.number} {d}, the decree itself "
                f"{spec.approved_by.date}; the decree's own date is taken",
            )
    if spec.amended_by is None or spec.edition == "original":
        return
    if not by_container:  # restated by a decree not in this seed: expect a «Стандарт жаңа редакцияда» note
        if not any(a.unit is None and a.decree.number == spec.amended_by.number for a in p.amendments):
            p.quirk(
                "missing-edition-note",
                loc.title_first,
                None,
                f"no «Ескерту. Стандарт жаңа редакцияда … № {spec.amended_by.number}» note",
            )
        return
    ah = _ANNEX_HEADER.search(head)
    if ah is None:
        if stamp is None:
            p.quirk(
                "missing-annex-header",
                loc.title_first,
                None,
                f"no header above the title (neither «… № {spec.amended_by.number} қаулысына N-қосымша» nor "
                f"«… № {spec.approved_by.number} қаулысымен бекітілген»): the standard is found by its title alone",
            )
        elif stamp.group(1) is not None:
            p.quirk(
                "missing-annex-header",
                loc.title_first,
                None,
                f"no «… № {spec.amended_by.number} қаулысына N-қосымша» header above the approval stamp",
            )
        return
    if ah.group(4) and ah.group(4) != spec.amended_by.number:
        raise p.fail(
            loc.start, f"the annex header names decree № {ah.group(4)}, the manifest № {spec.amended_by.number}"
        )
    if not ah.group(4) or not ah.group(2):
        p.quirk(
            "truncated-annex-header",
            loc.start,
            None,
            f"the decree-annex header lacks the decree's date or number: «{ah.group(0)}»",
        )
    elif _long_date(ah.group(1), ah.group(2), ah.group(3)) != spec.amended_by.date:
        p.quirk(
            "decree-date-mismatch",
            loc.start,
            None,
            f"the annex header dates the decree otherwise than {spec.amended_by.date}",
        )


def _content_quirks(p: _StandardParser) -> None:
    """Quirks of the letters: letter-spaced words, mixed-script words, markup."""
    seed = p.seed
    owner_of: dict[int, str] = {}
    for u in p.units:
        for no in range(u.start, u.end + 1):
            owner_of.setdefault(no, u.id)
    mixed: dict[str | None, tuple[int, list[str]]] = {}
    for ln in seed.span(p.loc.start, p.loc.end):
        if ln.blank:
            continue
        unit = owner_of.get(ln.no)
        for run in spaced_runs(ln.text):
            p.quirk("spaced-word", ln.no, unit, f"letter-spaced «{run}» read as «{join_spaced_words(run, seed.vocab)}»")
        if strip_markup(ln.raw) != ln.raw:
            p.quirk("markup", ln.no, unit, "markdown / HTML markup removed")
        words = lookalike_words(ln.text)
        if words:
            acc = mixed.setdefault(unit, (ln.no, []))[1]
            acc.extend(w for w in words if w not in acc)
    for unit, (line, words) in mixed.items():
        shown = ", ".join(f"«{w}»" for w in words[:12]) + (f" and {len(words) - 12} more" if len(words) > 12 else "")
        p.quirk(
            "latin-lookalike",
            line,
            unit,
            f"{len(words)} word(s) mix Latin and Cyrillic letters (kept as written; match_key folds them): {shown}",
        )


def _days(n: int | None, what: str) -> str:
    if n is None:
        return f"{what} at a time the text does not state in days"
    if n == 0:
        return f"{what} on its first official publication"
    return f"{what} {n} calendar days after its first official publication"


def _in_force(
    p: _StandardParser, spec: ManifestStandard, edition_decree: Decree, fd: _FileDecree
) -> tuple[str, date | None, date | None, str]:
    """Entry-into-force rule text, in_force_from, in_force_to and the note explaining them."""
    rule = fd.in_force if edition_decree.number == fd.decree.number else None
    if rule is None:
        rule = next(
            (
                a.in_force_rule
                for a in p.amendments
                if a.unit is None and a.decree.number == edition_decree.number and a.in_force_rule
            ),
            None,
        )
    if rule is None:
        raise p.fail(p.loc.title_first, f"no entry-into-force rule found for decree № {edition_decree.number}")
    delay = _delay_days(rule)
    start = edition_decree.date + timedelta(days=delay) if delay is not None else None
    repeal_delay = _delay_days(fd.repeal_rule)
    end = None
    if fd.repeal is not None and repeal_delay is not None:
        end = fd.repeal.date + timedelta(days=repeal_delay - 1)
    how = {"original": "approving", "new-edition": "restating", "added": "adding"}[spec.edition]
    note = [
        "Approximate dates: the publication dates they depend on are not in the seed.",
        _days(
            delay,
            f"This text comes from the {how} decree No. {edition_decree.number} of {edition_decree.date}, "
            "which takes effect",
        )
        + ".",
    ]
    if start is not None:
        note.append(f"in_force_from is that decree's date + {delay} calendar days, a lower bound.")
    if fd.repeal is not None:
        note.append(
            _days(
                repeal_delay,
                f"Decree No. {fd.decree.number} was repealed by decree No. {fd.repeal.number} of {fd.repeal.date}, "
                "which takes effect",
            )
            + "."
        )
        if end is not None:
            note.append(
                f"in_force_to is the repealing decree's date + {repeal_delay} calendar days - 1 day, a lower bound."
            )
        if fd.decree.number != spec.approved_by.number:
            note.append(
                f"The seed does not say how that repeal reaches the standards of decree No. "
                f"{spec.approved_by.number}; the repeal of No. {fd.decree.number} is taken as the end."
            )
    note.append("The real dates are later by the publication delays.")
    later: dict[tuple[str, date], list[Amendment]] = {}
    for a in p.amendments:
        if a.unit is not None and a.decree.number != edition_decree.number:
            later.setdefault((a.decree.number, a.decree.date), []).append(a)
    for (num, d), notes in sorted(later.items()):
        delay2 = _delay_days(notes[0].in_force_rule)
        since = f", in force from about {d + timedelta(days=delay2)} at the earliest" if delay2 is not None else ""
        note.append(
            f"Paragraph(s) {', '.join(a.unit or '' for a in notes)} read as restated or amended by decree No. {num} "
            f"of {d}{since}; their earlier wording is not in the seed."
        )
    return rule, start, end, " ".join(note)


def _check_ends(p: _StandardParser, loc: _Located) -> None:
    """Every standard of the seeds closes with its complaints section («Шағымдану тәртібі»); a text that
    stops before it was cut off (a damaged or truncated copy): say so rather than import it as complete."""
    if not any(d.kind == "section" and "шағымдану" in (d.title or d.text).casefold() for d in p.units):
        last = max((d for d in p.units if d.kind == "paragraph"), key=lambda d: d.start)
        p.quirk(
            "ends-early",
            last.end,
            last.id,
            f"the text stops at paragraph {last.id} without the complaints section («Шағымдану тәртібі»): "
            "it may be truncated",
        )


def _build(seed: _Seed, loc: _Located, spec: ManifestStandard, fd: _FileDecree, auto: bool) -> Standard:
    p = _StandardParser(seed, loc)
    p.parse()
    if not any(d.kind == "paragraph" for d in p.units):
        raise p.fail(loc.title_first, f"cannot parse the standard {spec.slug!r}: no paragraphs found")
    _check_header(p, spec, fd)
    _content_quirks(p)
    _check_ends(p, loc)
    if auto:
        p.quirk(
            "auto-detected",
            loc.title_first,
            None,
            "the seed is not in the manifest: the standard was found by its title; slug derived, no English title",
        )
    own = fd.title or None
    approved = _decree(spec.approved_by, own if spec.approved_by.number == fd.decree.number else None)
    amended = None
    if spec.amended_by is not None:
        amended = _decree(spec.amended_by, own if spec.amended_by.number == fd.decree.number else None)
    edition_decree = amended if spec.edition != "original" and amended is not None else approved
    rule, start, end, note = _in_force(p, spec, edition_decree, fd)
    return Standard(
        slug=spec.slug,
        title_kk=p.title,
        title_en=spec.title_en,
        source_file=seed.name,
        source_sha256=seed.sha256,
        lines=LineRange(start=loc.start, end=loc.end),
        approved_by=approved,
        amended_by=amended,
        edition=spec.edition,
        entry_into_force=rule,
        repealed_by=fd.repeal,
        repeal_rule=fd.repeal_rule,
        in_force_from=start,
        in_force_to=end,
        in_force_note=note,
        amendments=tuple(p.amendments),
        units=tuple(d.unit() for d in p.units),
        quirks=tuple(sorted(p.quirks, key=lambda q: (q.line, q.code, q.unit or "", q.message))),
    )


# ==================================================================================================
# Seeds not in the manifest
# ==================================================================================================

_TRANSLIT = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o",
        "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h",
        "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
        "ю": "iu", "я": "ia",
    }
)  # fmt: skip


def _auto_slug(title: str, year: int) -> str:
    """A deterministic slug from the Kazakh title: its first six words, transliterated, and the year."""
    name = _quoted(title) or title
    words = re.findall(r"[a-z]+", match_key(name).translate(_TRANSLIT))
    return "-".join([*words[:6], str(year)])


def _auto_specs(seed: _Seed, fd: _FileDecree) -> list[tuple[_Located, ManifestStandard]]:
    out = []
    for loc in detect_standards(seed):
        head = clean(" ".join(ln.text for ln in seed.span(loc.start, loc.title_first - 1) if ln.text))
        title = clean(" ".join(ln.text for ln in seed.span(loc.title_first, loc.title_last) if ln.text))
        approved = ManifestDecree(number=fd.decree.number, date=fd.decree.date)
        stamp = _STAMP.search(head)
        if stamp and stamp.group(1):
            d = _long_date(stamp.group(1), stamp.group(2), stamp.group(3))
            if d is not None:
                approved = ManifestDecree(number=stamp.group(4), date=d)
        amended = None
        edition: Edition = "original"
        if approved.number != fd.decree.number:
            amended = ManifestDecree(number=fd.decree.number, date=fd.decree.date)
            edition = "new-edition"
        spec = ManifestStandard(
            slug=_auto_slug(title, approved.date.year),
            title_en="",
            start=loc.start,
            end=loc.end,
            edition=edition,
            approved_by=approved,
            amended_by=amended,
        )
        out.append((loc, spec))
    return out


# ==================================================================================================
# Public API
# ==================================================================================================


def parse_seed(path: Path, manifest: dict[str, ManifestSeed] | None = None) -> list[Standard]:
    """Parse one seed into its standards (writes nothing). Raises `SeedError`."""
    path = Path(path)
    seed = _read_seed(path)
    manifest = load_manifest() if manifest is None else manifest
    entry = manifest.get(seed.sha256)
    specs: list[tuple[_Located, ManifestStandard]] = []
    if entry is not None:
        fd = _parse_file_decree(seed, entry.standards[0].start if entry.standards else len(seed.lines))
        for spec in entry.standards:
            if not 1 <= spec.start <= spec.end <= len(seed.lines):
                raise SeedError(
                    path, None, f"the manifest's lines {spec.start}-{spec.end} of {spec.slug!r} are out of range"
                )
            title = next(
                (
                    t
                    for no in range(spec.start, min(spec.end, spec.start + 40) + 1)
                    if (t := _title_at(seed, no, spec.end))
                ),
                None,
            )
            if title is None:
                raise SeedError(path, spec.start, f"no standard title within 40 lines of the start of {spec.slug!r}")
            specs.append((_Located(spec.start, spec.end, title[0], title[1]), spec))
    else:
        located = detect_standards(seed)
        fd = _parse_file_decree(seed, located[0].start if located else len(seed.lines))
        specs = _auto_specs(seed, fd)
        if not specs:
            raise SeedError(
                path,
                None,
                "not a known seed (its sha256 is not in validator/data/seeds.yaml) and no standard title "
                "(«…» мемлекеттік қызмет стандарты) found in it",
            )
    try:
        return [_build(seed, loc, spec, fd, auto=entry is None) for loc, spec in specs]
    except SeedError:
        raise
    except (ValueError, AssertionError, KeyError, IndexError) as e:  # a parser assumption broke
        raise SeedError(path, None, f"cannot parse the standard structure: {e}") from None


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _owned(entry: Path) -> bool:
    """Whether an entry of the output folder belongs to the importer (and is replaced on import)."""
    if entry.name in ("index.json", "quirks.json"):
        return True
    return entry.is_dir() and sorted(c.name for c in entry.iterdir()) == ["standard.json"]


def import_seeds(seeds: Sequence[Path], out: Path) -> ImportReport:
    """Parse every seed; write ``out/<slug>/standard.json``, ``out/index.json`` and ``out/quirks.json``.

    Atomic: `out` is left untouched unless every seed parsed. Entries of `out` that the importer
    does not own (anything but ``<slug>/standard.json`` folders and the two index files) are kept.
    Raises `SeedError` for a bad seed.
    """
    out = Path(out)
    if not seeds:
        raise SeedError("<seeds>", None, "no seed files given")
    manifest = load_manifest()
    by_slug: dict[str, Standard] = {}
    first_of: dict[str, Path] = {}
    for path in map(Path, seeds):
        if path.is_file():
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if sha in first_of:
                raise SeedError(path, None, f"the same seed as {first_of[sha]}")
            first_of[sha] = path
        for s in parse_seed(path, manifest):
            if s.slug in by_slug:
                raise SeedError(path, s.lines.start, f"slug {s.slug!r} also comes from {by_slug[s.slug].source_file}")
            by_slug[s.slug] = s
    standards = tuple(by_slug[k] for k in sorted(by_slug))
    _write(standards, out)
    return ImportReport(standards=standards, out=out)


def _write(standards: Sequence[Standard], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    old: Path | None = None
    try:
        mask = os.umask(0)
        os.umask(mask)
        tmp.chmod(0o777 & ~mask)  # mkdtemp makes it 0700; the output folder gets the usual mode
        for s in standards:
            (tmp / s.slug).mkdir()
            (tmp / s.slug / "standard.json").write_text(_json(s.model_dump(mode="json")), encoding="utf-8")
        index = [
            {
                "slug": s.slug,
                "title_kk": s.title_kk,
                "title_en": s.title_en,
                "source_file": s.source_file,
                "in_force_from": s.in_force_from.isoformat() if s.in_force_from else None,
                "in_force_to": s.in_force_to.isoformat() if s.in_force_to else None,
                "paragraphs": len(s.paragraphs()),
            }
            for s in standards
        ]
        (tmp / "index.json").write_text(_json(index), encoding="utf-8")
        quirks = {s.slug: [q.model_dump(mode="json") for q in s.quirks] for s in standards}
        (tmp / "quirks.json").write_text(_json(quirks), encoding="utf-8")
        if out.is_dir():
            for entry in sorted(out.iterdir()):
                if not _owned(entry) and not (tmp / entry.name).exists():
                    if entry.is_dir():
                        shutil.copytree(entry, tmp / entry.name, symlinks=True)
                    else:
                        shutil.copy2(entry, tmp / entry.name, follow_symlinks=False)
        if out.exists():
            old = out.parent / f"{tmp.name}.old"
            out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            if old is not None:
                old.rename(out)
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
