"""Decrees (қаулы) and their dates as the seeds write them, and the decree a seed holds.

Kazakh dates come long («2012 жылғы 26 қарашадағы») or numeric («17.05.2014», «2011.03.29»).
The patterns here read the decree line of a seed, its repeal note («Күші жойылды»), its
entry-into-force paragraph, the approval stamp («… қаулысымен бекітілген») and the decree-annex
header («… қаулысына N-қосымша») above a standard's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from validator.law.seed import Seed, SeedError
from validator.law.standard import Decree
from validator.law.text import clean, match_key

__all__ = [
    "ANNEX_HEADER",
    "NUM_DATE",
    "STAMP",
    "FileDecree",
    "delay_days",
    "long_date",
    "num_date",
    "parse_file_decree",
]

_MONTHS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip
_LONG_DATE = r"(\d{4})\s+жылғы\s+(\d{1,2})\s+([^\W\d_]+)"
NUM_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}\.\d{1,2}\.\d{1,2}"
_FILE_DECREE = re.compile(_LONG_DATE + r"\s+№\s*(\d+)\s+қаулысы\b", re.IGNORECASE)
_REPEAL_NOTE = re.compile(
    rf"Ескерту\s*\.\s*Күші\s+жойылды\s*[-–—]\s*ҚР\s+Үкіметінің\s+({NUM_DATE})\s*№\s*(\d+)\s*"
    r"қаулысымен\s*(?:\(([^)]*)\))?",
    re.IGNORECASE,
)
_IN_FORCE_PARA = re.compile(r"^(\d+)\s*\.\s*осы қаулы\b.*қолданысқа енгізіледі\.?$")  # on match_key text
STAMP = re.compile(r"(?:" + _LONG_DATE + r"\s+)?№\s*(\d+)\s+қаулысымен\s+бекітілген", re.IGNORECASE)
ANNEX_HEADER = re.compile(
    r"(?:(\d{4})\s+жылғы\s*(?:(\d{1,2})\s+([^\W\d_]+))?\s*)?№\s*(\d*)\s*қаулысына\s+(\d+)\s*-\s*қосымша",
    re.IGNORECASE,
)


def _kk_month(word: str) -> int | None:
    w = word.casefold()
    return next((n for stem, n in _MONTHS.items() if w.startswith(stem)), None)


def long_date(year: str, day: str, month: str) -> date | None:
    """«2012 жылғы 26 қарашадағы» → 2012-11-26."""
    m = _kk_month(month)
    try:
        return date(int(year), m, int(day)) if m else None
    except ValueError:
        return None


def num_date(text: str) -> date:
    """«17.05.2014» or «2011.03.29»."""
    a, b, c = (int(x) for x in text.split("."))
    return date(a, b, c) if a > 31 else date(c, b, a)


def delay_days(rule: str | None) -> int | None:
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
class FileDecree:
    """The decree a seed holds (its own number and date, repeal, entry-into-force paragraph)."""

    title: str
    decree: Decree
    repeal: Decree | None
    repeal_rule: str | None
    in_force: str | None


def parse_file_decree(seed: Seed, until: int) -> FileDecree:
    """The seed's own decree, read from its lines before `until` (the first standard)."""
    head = seed.span(1, max(1, min(until, len(seed.lines))))
    title = ""
    decree: Decree | None = None
    for ln in head[:60]:
        if not title and ln.text and not ln.text.startswith("[image"):
            title = clean(ln.text)
        m = _FILE_DECREE.search(ln.text)
        if m and decree is None:
            d = long_date(m.group(1), m.group(2), m.group(3))
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
            repeal = Decree(number=m.group(2), date=num_date(m.group(1)))
            repeal_rule = clean(m.group(3)) if m.group(3) else None
            break
    in_force = None
    for ln in head:
        if _IN_FORCE_PARA.match(match_key(ln.text)):
            in_force = clean(re.sub(r"^\d+\s*\.\s*", "", ln.text))
    return FileDecree(title, decree, repeal, repeal_rule, in_force)
