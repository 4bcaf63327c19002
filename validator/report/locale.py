"""How each language writes numbers, money, dates, durations and citations.

Plural rules and number formats come from Babel's CLDR data (Russian: 1 день, 2 дня, 5 дней;
Kazakh and English have one and other); dates are written as documents in Kazakhstan write them
(06.05.2013), money in tenge with the language's grouping (1 731 ₸). Citation labels follow each
language's legal usage: kk `11-тармақтың 2) тармақшасы`, ru `подпункт 2) пункта 11`, en
`paragraph 11, subparagraph 2`.
"""

from __future__ import annotations

import functools
import math
from datetime import date, datetime
from typing import Literal

from babel import Locale
from babel.numbers import format_decimal

from validator.law.citation import abzats, parse_citation

__all__ = ["LANGS", "Lang", "citation_label", "parse_citation"]

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")


@functools.lru_cache(maxsize=3)
def _locale(lang: Lang) -> Locale:
    return Locale.parse(lang)


def plural(lang: Lang, n: float) -> str:
    """The CLDR plural category of `n` in `lang`: one, few, many or other."""
    return str(_locale(lang).plural_form(n))


@functools.lru_cache(maxsize=4096)
def number(lang: Lang, x: float, pattern: str = "#,##0.##") -> str:
    """A number with the language's grouping and decimal sign, at most two decimals (1 731; 1 731,5)."""
    x = x + 0.0 if x else 0.0  # never "-0"
    try:
        return str(format_decimal(x, format=pattern, locale=lang))
    except (ArithmeticError, ValueError):  # beyond Babel's decimal context: written plainly, never a crash
        return f"{x:.2f}" if math.isfinite(x) else str(x)


def money(lang: Lang, x: float) -> str:
    """An amount in tenge: 1 731 ₸, or with its tiyn 865,50 ₸ (no-break spaces: it never splits across lines)."""
    x = round(x, 2)
    text = number(lang, x) if float(x).is_integer() else number(lang, x, "#,##0.00")
    return f"{text}\u00a0₸"


def percent(lang: Lang, x: float) -> str:
    return f"{number(lang, x)}%"


def day(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def moment(d: datetime) -> str:
    return d.strftime("%d.%m.%Y %H:%M")


def decree(lang: Lang, number_: str, on: date) -> str:
    """A decree by number and date, as each language writes it."""
    if lang == "kk":
        return f"{day(on)} № {number_}"
    if lang == "ru":
        return f"от {day(on)} № {number_}"
    return f"No. {number_} of {day(on)}"


# --- citation labels ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def citation_label(lang: Lang, unit: str) -> str:
    """The unit's label in `lang` (kk is the legal form the standards themselves use)."""
    cit = parse_citation(unit)
    if lang == "kk":
        return cit.kazakh()
    if unit.startswith(("annex-", "section-")):
        kind, _, n = unit.partition("-")
        words = {"ru": {"annex": "приложение", "section": "раздел"}, "en": {"annex": "annex", "section": "section"}}
        return f"{words[lang][kind]} {n}"
    para, *subs = unit.split(".")
    return _ru_label(para, subs) if lang == "ru" else _en_label(para, subs)


def _split(sub: str) -> tuple[str, str, str]:
    """('4', 'part' | 'sub', restart) of one step: 'u3', the 3rd unnumbered part, is the 4th абзац as
    drafting counts them (the numbered first line is the 1st); '2~2' a restarted list."""
    base, _, nth = sub.partition("~")
    return (abzats(base[1:]), "part", nth) if base.startswith("u") else (base, "sub", nth)


_RU_ORDINAL_GENITIVE = {
    "2": "второго", "3": "третьего", "4": "четвёртого", "5": "пятого", "6": "шестого", "7": "седьмого",
    "8": "восьмого", "9": "девятого",
}  # fmt: skip


def _ru_label(para: str, subs: list[str]) -> str:
    # Russian legal usage names the smallest unit first: «подпункт а) подпункта 1) пункта 7»; a list
    # whose numbering restarts is named by its place: «подпункт 1) второго перечня пункта 7».
    words = []
    for i, sub in enumerate(reversed(subs)):
        n, kind, nth = _split(sub)
        first = i == 0
        if kind == "part":
            words.append(f"абзац {n}" if first else f"абзаца {n}")
        else:
            words.append(f"подпункт {n})" if first else f"подпункта {n})")
        if nth:
            words[-1] += f" {_RU_ORDINAL_GENITIVE.get(nth, nth + '-го')} перечня"
    words.append(f"пункта {para}" if subs else f"пункт {para}")
    return " ".join(words)


# Kazakh letters that number items (а) б) в) …), as an English reader spells them.
_LATIN = str.maketrans(
    {"а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ж": "zh", "з": "z",
     "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö",
     "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h",
     "ц": "ts", "ч": "ch", "ш": "sh", "і": "ı", "ы": "y", "э": "e", "ю": "yu", "я": "ya"}
)  # fmt: skip


def _en_label(para: str, subs: list[str]) -> str:
    words = [f"paragraph {para}"]
    for depth, sub in enumerate(subs):
        n, kind, nth = _split(sub)
        n = n.translate(_LATIN)
        if nth:
            words.append(f"list {nth}")
        words.append(f"part {n}" if kind == "part" else (f"subparagraph {n}" if depth == 0 else f"item {n}"))
    return ", ".join(words)
