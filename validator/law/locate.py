"""Where the standards are in a seed: their titles («…» мемлекеттік қызмет стандарты) and extents.

A known seed gives each standard's lines in the manifest; a seed that is not in the manifest has its
standards found here by their titles, and gets manifest entries derived from its text (slug from the
Kazakh title, decrees from the approval stamp and the seed's own decree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from validator.law.decree import STAMP, FileDecree, long_date
from validator.law.seed import Edition, ManifestDecree, ManifestStandard, Seed
from validator.law.text import clean, match_key

__all__ = [
    "QUOTE_START",
    "TITLE_END",
    "Located",
    "auto_specs",
    "detect_standards",
    "last_content",
    "quoted",
    "title_at",
]

QUOTE_START = re.compile(r"^\**\s*[«\"“„]")
TITLE_END = re.compile(r"\bстандарты\b", re.IGNORECASE)
_NOT_TITLE = re.compile(r"стандарт(?:ын|ына|тарын)\b", re.IGNORECASE)
_HEADER_LINE = re.compile(
    r"^(?:Қазақстан\s+Республикасы(?:\s+Үкіметінің)?|Үкіметінің|\d{4}\s+жылғы.*|№\s*\d*\s+қаулысы(?:на|мен)|"
    r"бекітілген|\d{1,2}\s*-\s*қосымша)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Located:
    """Where one standard is in its seed (1-based line numbers)."""

    start: int  # first line: approval stamp / decree-annex header, or the title
    end: int  # last non-blank line of the last annex
    title_first: int
    title_last: int


def title_at(seed: Seed, no: int, limit: int) -> tuple[int, int] | None:
    """If a standard's title («…» мемлекеттік қызмет стандарты) starts at line `no`: its first and last line."""
    ln = seed.line(no)
    if ln.raw[:1] in ("\u00a0", "\t") or not QUOTE_START.match(ln.text):
        return None
    seen = 0
    for j in range(no, min(limit, len(seed.lines)) + 1):
        t = seed.line(j).text
        if not t:
            continue
        seen += 1
        if seen > 5 or (j > no and QUOTE_START.match(t)) or _NOT_TITLE.search(t):
            return None
        if TITLE_END.search(t):
            return (no, j)
    return None


def _header_start(seed: Seed, title_first: int, floor: int) -> int:
    """The first line of the approval stamp / decree-annex header above a title (or the title)."""
    start = title_first
    for j in range(title_first - 1, floor, -1):
        t = seed.line(j).text
        if t and not _HEADER_LINE.match(t):
            break
        if t:
            start = j
    return start


def last_content(seed: Seed, start: int, end: int) -> int:
    """The last line in start..end with text (blank lines and a © footer left out)."""
    j = end
    while j > start and (seed.line(j).blank or seed.line(j).text.startswith("©")):
        j -= 1
    return j


def detect_standards(seed: Seed) -> list[Located]:
    """Find the standards in a seed by their titles; each runs to the header of the next."""
    n = len(seed.lines)
    titles: list[tuple[int, int]] = []
    no = 1
    while no <= n:
        found = title_at(seed, no, n)
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
        out.append(Located(starts[i], last_content(seed, starts[i], end), first, last))
    return out


# -- names in quotes -----------------------------------------------------------------------------------


def quoted(text: str) -> str | None:
    """The name in quotes: «…» or "…" (outermost pair)."""
    m = re.search(r"[«\"“„]\s*(.+)\s*[»\"”]", text)
    return m.group(1).strip() if m else None


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
    name = quoted(title) or title
    words = re.findall(r"[a-z]+", match_key(name).translate(_TRANSLIT))
    return "-".join([*words[:6], str(year)])


def auto_specs(seed: Seed, fd: FileDecree) -> list[tuple[Located, ManifestStandard]]:
    """Manifest entries for a seed that is not in the manifest, one per standard title found."""
    out = []
    for loc in detect_standards(seed):
        head = clean(" ".join(ln.text for ln in seed.span(loc.start, loc.title_first - 1) if ln.text))
        title = clean(" ".join(ln.text for ln in seed.span(loc.title_first, loc.title_last) if ln.text))
        approved = ManifestDecree(number=fd.decree.number, date=fd.decree.date)
        stamp = STAMP.search(head)
        if stamp and stamp.group(1):
            d = long_date(stamp.group(1), stamp.group(2), stamp.group(3))
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
