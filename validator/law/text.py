"""Text handling for Kazakh legal text: NFC, markup, spaced-out words, look-alike letters.

Two levels:
- `clean` gives the text a reader sees: NFC, no markdown/HTML markup, no-break spaces folded,
  letter-spaced words ("к ө р с е т е д і") rejoined. Letters are kept as written.
- `match_key` is for comparing a quote with a paragraph: it also folds Latin look-alikes inside
  Cyrillic words (Latin ``i`` for ``і``, ``a`` for ``а`` ...), case, dashes, quotes and whitespace.
  It is never shown to a user.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Latin letters that the official texts put inside Cyrillic words by mistake, and what they stand for.
LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "c": "с",
        "e": "е",
        "i": "і",
        "o": "о",
        "p": "р",
        "x": "х",
        "y": "у",
        "A": "А",
        "B": "В",
        "C": "С",
        "E": "Е",
        "H": "Н",
        "I": "І",
        "K": "К",
        "M": "М",
        "O": "О",
        "P": "Р",
        "T": "Т",
        "X": "Х",
        "Y": "У",
    }
)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MARKUP = re.compile(r"\*\*|</?(?:i|b|em|strong|u|sup|sub|br)\s*/?>", re.IGNORECASE)
_IMAGE = re.compile(r"\[image:[^\]]*\]")
# At least three single letters separated by single spaces: a letter-spaced word.
_SPACED = re.compile(r"(?<![\w])((?:[^\W\d_] ){2,}[^\W\d_])(?![\w])")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u200a]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "'": '"', "’": '"'})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_markup(text: str) -> str:
    return _IMAGE.sub("", _MARKUP.sub("", text))


def join_spaced(text: str) -> str:
    """Rejoin letter-spaced words: "қ ұ қ ы л ы ." → "құқылы."."""
    return _SPACED.sub(lambda m: m.group(1).replace(" ", ""), text)


def fold_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def clean(text: str) -> str:
    """The reader's text: NFC, no markup, rejoined words, single spaces. Letters unchanged."""
    # Spaces are folded before rejoining too: "а\xa0а\xa0а" or "а  а а" are letter-spaced words as well,
    # and clean() must be idempotent.
    return fold_spaces(join_spaced(fold_spaces(strip_markup(nfc(text)))))


def _fold_word(word: str) -> str:
    # Only words that are mostly Cyrillic get their Latin look-alikes folded: "www.mvd.kz" stays Latin.
    if _CYRILLIC.search(word):
        return word.translate(LOOKALIKES)
    return word


def match_key(text: str) -> str:
    """A key for finding a quote in a paragraph: folds look-alikes, case, dashes, quotes, spacing."""
    t = clean(text).translate(_DASHES).translate(_QUOTES)
    t = _WORD.sub(lambda m: _fold_word(m.group(0)), t)
    t = re.sub(r"\s*([,;:.!?)\]])", r"\1", t)
    t = re.sub(r"([(\[])\s*", r"\1", t)
    return fold_spaces(t).casefold()


def has_lookalikes(word: str) -> bool:
    """Whether a Cyrillic word carries a Latin look-alike letter (a defect to report)."""
    return bool(_CYRILLIC.search(word)) and word != word.translate(LOOKALIKES) and bool(re.search(r"[A-Za-z]", word))


# -- helpers for the importer (validator.law.importer) ------------------------------------------------

_SPACED_RUN = re.compile(r"(?<![\w])((?:[^\W\d_] ){2,}[^\W\d_])(?![\w])(?: ([.,;:!?])(?!\S))?")
_VOCAB_WORD = re.compile(r"[^\W\d_]{2,}")
_LATIN = re.compile(r"[A-Za-z]")


def is_blank(line: str) -> bool:
    """Whether a line holds nothing but whitespace (spaces, tabs, no-break spaces)."""
    return not line.strip()


# Common words of the standards' closing formulas, so that a letter-spaced run such as
# "қ ұ қ ы ғ ы б а р" splits into "құқығы бар" even where the seed itself never spells them out.
COMMON_WORDS = frozenset(
    {
        "бар", "жоқ", "болып", "табылады", "құқығы", "құқылы", "қаралады", "қабылданады", "көрсетеді",
        "көрсетіледі", "орналастырылады", "тәртіппен", "құжат", "беріледі", "жүзеге", "асырылады",
    }
)  # fmt: skip


def vocabulary(text: str) -> frozenset[str]:
    """The casefolded words (two letters or more) of a text, letter-spaced runs left out, plus COMMON_WORDS.

    Used by `join_spaced_words` to tell where one letter-spaced word ends and the next begins.
    """
    text = _SPACED_RUN.sub(" ", nfc(text).replace("\u00a0", " "))
    return frozenset(w.casefold() for w in _VOCAB_WORD.findall(text)) | COMMON_WORDS


def _segment(letters: str, vocab: frozenset[str]) -> str:
    """Split a run of letters into known words ("құқығыбар" → "құқығы бар"), or leave it whole."""
    folded = letters.casefold()
    if not vocab or folded in vocab or len(folded) != len(letters):
        return letters
    n = len(letters)
    # best[i]: fewest words covering letters[:i]; ties broken towards the longer first word.
    best: list[tuple[int, tuple[int, ...]] | None] = [None] * (n + 1)
    best[0] = (0, ())
    for i in range(1, n + 1):
        for j in range(i - 2, -1, -1):
            prev = best[j]
            if prev is None or folded[j:i] not in vocab:
                continue
            cand = (prev[0] + 1, (*prev[1], i))
            cur = best[i]
            if cur is None or cand[0] < cur[0] or (cand[0] == cur[0] and cand[1] > cur[1]):
                best[i] = cand
    found = best[n]
    if found is None:
        return letters
    cuts = (0, *found[1])
    return " ".join(letters[a:b] for a, b in itertools.pairwise(cuts))


def spaced_runs(text: str) -> list[str]:
    """The letter-spaced runs in a text ("к ө р с е т е д і"), as written."""
    return [m.group(1) for m in _SPACED_RUN.finditer(nfc(text).replace("\u00a0", " "))]


def join_spaced_words(text: str, vocab: frozenset[str] = frozenset()) -> str:
    """Like `join_spaced`, but splits a run into the words it spells and takes a spaced-out stop along.

    "сотқа жүгінуге қ ұ қ ы ғ ы б а р ." → "сотқа жүгінуге құқығы бар." when `vocab` knows
    "құқығы" and "бар". Without a vocabulary (or when no split into known words exists) the run is
    rejoined into one word, as `join_spaced` does.
    """

    def repl(m: re.Match[str]) -> str:
        return _segment(m.group(1).replace(" ", ""), vocab) + (m.group(2) or "")

    return _SPACED_RUN.sub(repl, nfc(text).replace("\u00a0", " "))


def lookalike_words(text: str) -> list[str]:
    """Words of a text that mix Cyrillic and Latin letters, in order.

    Mostly Latin look-alikes inside Kazakh words ("өтiнiш" with Latin i, "Мәшhүр" with Latin h),
    sometimes the reverse ("www.prоkuror.kz" with a Cyrillic о).
    """
    return [m.group(0) for m in _WORD.finditer(text) if _LATIN.search(m.group(0)) and _CYRILLIC.search(m.group(0))]
