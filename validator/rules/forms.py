"""Document forms are an order, not strings: which form handed in satisfies which form the text asks.

The standards ask for a document in one of six forms (`DocumentForm`); docs/rules.md ("Which form
satisfies which") gives the reasoning from the texts. In short:

- an original shown with a copy (`original-and-copy`, «салыстыру үшін түпнұсқасымен көшірмесі») is an
  original and a copy at once, so it satisfies a requirement of either;
- a notarised copy (`notarised-copy`, «нотариат куәландырған көшірмесі») is a copy, so it satisfies "copy";
  it is not an original, and a copy certified by no notary does not satisfy "notarised copy";
- an original and a copy of one document handed in as two entries are an original with a copy;
- a notarised document (`notarised`, e.g. «нотариус растаған сенімхат») and an electronic one satisfy only
  themselves: a copy of a power of attorney is not the power of attorney.

An alternative the text allows («нотариат куәландырған көшірмесі немесе салыстыру үшін түпнұсқасы») is a
list of forms in the rule file; any one of them will do. A form the case does not state is unknown: the
clerk must look (needs the form), it is never "wrong".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

# form handed in → the forms it counts as
COUNTS_AS: Final[dict[str, frozenset[str]]] = {
    "original": frozenset({"original"}),
    "copy": frozenset({"copy"}),
    "original-and-copy": frozenset({"original-and-copy", "original", "copy"}),
    "notarised-copy": frozenset({"notarised-copy", "copy"}),
    "notarised": frozenset({"notarised"}),
    "electronic": frozenset({"electronic"}),
}


def forms_given(handed: Iterable[str | None]) -> tuple[frozenset[str], bool]:
    """The forms the entries of one document count as together, and whether an entry left its form out."""
    counted: set[str] = set()
    unstated = False
    for form in handed:
        if form is None:
            unstated = True
        else:
            counted |= COUNTS_AS[form]
    if "original" in counted and "copy" in counted:
        counted.add("original-and-copy")  # the original and its copy, handed in as two entries
    return frozenset(counted), unstated


def form_satisfied(required: Iterable[str] | None, handed: Iterable[tuple[str, str | None]]) -> bool | None:
    """Whether what was handed in (entries as (document id, form)) is in a form the text allows: true,
    false, or unknown (None) when it is not, but an entry whose form the case leaves out might be.

    Entries combine only within one document: the original of an identity card and a copy of a passport
    (two alternatives of one item) are not an original with its copy."""
    if required is None:
        return True
    wanted = set(required)
    by_document: dict[str, list[str | None]] = {}
    for doc_id, form in handed:
        by_document.setdefault(doc_id, []).append(form)
    answers = []
    for forms in by_document.values():
        counted, unstated = forms_given(forms)
        answers.append(True if counted & wanted else None if unstated else False)
    if True in answers:
        return True
    return None if None in answers else False


__all__ = ["COUNTS_AS", "form_satisfied", "forms_given"]
