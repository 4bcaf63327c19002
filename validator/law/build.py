"""One standard, from its lines in a seed to a `validator.law.standard.Standard`: its title, its body
segmented into units, its annexes, the checks of its header and text, and its dates in force.
"""

from __future__ import annotations

from validator.law.annex import add_annexes, annex_captions, annex_markers
from validator.law.decree import FileDecree
from validator.law.draft import StandardDraft
from validator.law.locate import TITLE_END, Located
from validator.law.metadata import check_header, decree_of, in_force
from validator.law.seed import ManifestStandard, Seed
from validator.law.segment import Body
from validator.law.standard import LineRange, Standard
from validator.law.text import clean, join_spaced_words, lookalike_words, spaced_runs, strip_markup

__all__ = ["build_standard"]


def _read_title(p: StandardDraft) -> None:
    """The standard's Kazakh title, the header text above it, and any section heading sharing its last line."""
    loc = p.loc
    head = [ln.text for ln in p.seed.span(loc.start, loc.title_first - 1) if ln.text]
    p.header_text = clean(" ".join(head))
    joined = " ".join(ln.text for ln in p.seed.span(loc.title_first, loc.title_last) if ln.text)
    end = [m.end() for m in TITLE_END.finditer(joined)][-1]
    title, rest = joined[:end], joined[end:].strip()
    if rest in ("-", "–"):
        p.quirk("title-trailing-dash", loc.title_last, None, f"the title ends with a stray «{rest}»; dropped")
        rest = ""
    p.title = p.cleaned(title)
    p.heading_on_title = rest or None


def _parse_units(p: StandardDraft) -> None:
    """Title, then the body up to the first annex caption, then the annexes."""
    _read_title(p)
    markers = annex_markers(p)
    captions = annex_captions(p, markers)
    body_end = captions[0] - 1 if captions else p.loc.end
    Body(p, p.loc.title_last + 1, body_end).run()
    add_annexes(p, markers, captions)


def build_standard(seed: Seed, loc: Located, spec: ManifestStandard, fd: FileDecree, auto: bool) -> Standard:
    """The standard at `loc` in `seed`, described by `spec` (a manifest entry, or derived when `auto`)."""
    p = StandardDraft(seed, loc)
    _parse_units(p)
    if not any(d.kind == "paragraph" for d in p.units):
        raise p.fail(loc.title_first, f"cannot parse the standard {spec.slug!r}: no paragraphs found")
    check_header(p, spec, fd)
    _letter_quirks(p)
    _check_ends(p, loc)
    if auto:
        p.quirk(
            "auto-detected",
            loc.title_first,
            None,
            "the seed is not in the manifest: the standard was found by its title; slug derived, no English title",
        )
    own = fd.title or None
    approved = decree_of(spec.approved_by, own if spec.approved_by.number == fd.decree.number else None)
    amended = None
    if spec.amended_by is not None:
        amended = decree_of(spec.amended_by, own if spec.amended_by.number == fd.decree.number else None)
    edition_decree = amended if spec.edition != "original" and amended is not None else approved
    rule, start, end, note = in_force(p, spec, edition_decree, fd)
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


def _letter_quirks(p: StandardDraft) -> None:
    """Quirks of the letters: letter-spaced words, mixed-script words, markup (by the unit holding the line)."""
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


def _check_ends(p: StandardDraft, loc: Located) -> None:
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
