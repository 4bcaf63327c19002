"""The quirk catalogue: every defect of the official text that the importer works around.

Every quirk found is listed per standard in ``quirks.json`` and by ``ereje standards import --report``.
"""

from __future__ import annotations

__all__ = ["QUIRK_CODES"]

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
