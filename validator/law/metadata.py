"""A standard's legal metadata: its amendment notes (Ескерту), the approval stamp and decree-annex
header above its title checked against the manifest, and when it is in force.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from validator.law.decree import ANNEX_HEADER, NUM_DATE, STAMP, FileDecree, delay_days, long_date, num_date
from validator.law.draft import StandardDraft, UnitDraft
from validator.law.seed import ManifestDecree, ManifestStandard, SeedLine
from validator.law.standard import Amendment, Decree, LineRange
from validator.law.text import clean, match_key

__all__ = ["check_header", "decree_of", "in_force", "read_note"]


_AMEND_NOTE = re.compile(
    r"^Ескерту\s*\.\s*(?P<what>.*?)\s*(?P<kind>жаңа\s+редакцияда|өзгеріс(?:тер)?\s+енгізілді|толықтырылды|"
    rf"алып\s+тасталды|күші\s+жойылды)\s*[-–—]\s*ҚР\s+Үкіметінің\s+(?P<date>{NUM_DATE})\s*№\s*(?P<num>\d+)\s*"
    r"(?:\((?P<rule1>[^)]*)\)\s*)?қаулысымен\s*(?:\((?P<rule2>[^)]*)\))?",
    re.IGNORECASE,
)
_UNIT_REF = re.compile(r"^(\d+)\s*-\s*тармақ", re.IGNORECASE)


def read_note(p: StandardDraft, ln: SeedLine, para: UnitDraft | None) -> None:
    """An «Ескерту.» line: an amendment note on the paragraph it follows (or on the standard)."""
    text = clean(ln.text)
    m = _AMEND_NOTE.match(ln.text)
    if not m:
        p.quirk("unparsed-note", ln.no, para.id if para else None, f"note not understood: «{text[:120]}»")
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
            p.quirk("note-placement", ln.no, unit, f"the note on paragraph {unit} follows {after}")
    elif what.startswith("стандарт"):
        unit = None
    else:
        unit = para.id if para else None
        p.quirk("note-target", ln.no, unit, f"the note names «{m.group('what')}»; attached to {unit}")
    if m.group("rule1"):
        p.quirk("note-word-order", ln.no, unit, "the in-force clause in parentheses stands before «Қаулысымен»")
    rule = m.group("rule1") or m.group("rule2")
    p.amendments.append(
        Amendment(
            unit=unit,
            kind=kind,
            decree=Decree(number=m.group("num"), date=num_date(m.group("date"))),
            in_force_rule=clean(rule) if rule else None,
            text=text,
            lines=LineRange(start=ln.no, end=ln.no),
        )
    )
    if para is not None and unit == para.id:
        para.notes.append(text)


# -- the header above the title ------------------------------------------------------------------------


def decree_of(m: ManifestDecree, title: str | None = None) -> Decree:
    """A decree (қаулы) as the manifest names it, with the seed's own title where it is the seed's decree."""
    return Decree(number=m.number, date=m.date, title_kk=title)


def check_header(p: StandardDraft, spec: ManifestStandard, fd: FileDecree) -> None:
    """Check the approval stamp and the decree-annex header above the title against the manifest."""
    stamp = STAMP.search(p.header_text)
    # restated or added by the seed's own decree: expect «… № <that> қаулысына N-қосымша» above the title
    by_container = (
        spec.amended_by is not None and spec.edition != "original" and spec.amended_by.number == fd.decree.number
    )
    _check_stamp(p, spec, stamp, by_container)
    if spec.amended_by is None or spec.edition == "original":
        return
    if not by_container:  # restated by a decree not in this seed: expect a «Стандарт жаңа редакцияда» note
        if not any(a.unit is None and a.decree.number == spec.amended_by.number for a in p.amendments):
            p.quirk(
                "missing-edition-note",
                p.loc.title_first,
                None,
                f"no «Ескерту. Стандарт жаңа редакцияда … № {spec.amended_by.number}» note",
            )
        return
    _check_annex_header(p, spec, spec.amended_by, stamp)


def _check_stamp(p: StandardDraft, spec: ManifestStandard, stamp: re.Match[str] | None, by_container: bool) -> None:
    """The approval stamp («… № N қаулысымен бекітілген»): names the approving decree, with its date."""
    loc, head = p.loc, p.header_text
    if stamp is None:
        if not by_container:
            p.quirk(
                "missing-approval-stamp",
                loc.title_first,
                None,
                f"no «… № {spec.approved_by.number} қаулысымен бекітілген» stamp above the title",
            )
        return
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
    elif (d := long_date(stamp.group(1), stamp.group(2), stamp.group(3))) != spec.approved_by.date:
        p.quirk(
            "decree-date-mismatch",
            loc.start,
            None,
            f"the approval stamp dates decree № {spec.approved_by.number} {d}, the decree itself "
            f"{spec.approved_by.date}; the decree's own date is taken",
        )


def _check_annex_header(
    p: StandardDraft, spec: ManifestStandard, amended: ManifestDecree, stamp: re.Match[str] | None
) -> None:
    """The decree-annex header («… № N қаулысына K-қосымша») of a standard restated or added by the seed's
    own decree `amended`: names that decree, with its date."""
    loc = p.loc
    ah = ANNEX_HEADER.search(p.header_text)
    if ah is None:
        if stamp is None:
            p.quirk(
                "missing-annex-header",
                loc.title_first,
                None,
                f"no header above the title (neither «… № {amended.number} қаулысына N-қосымша» nor "
                f"«… № {spec.approved_by.number} қаулысымен бекітілген»): the standard is found by its title alone",
            )
        elif stamp.group(1) is not None:
            p.quirk(
                "missing-annex-header",
                loc.title_first,
                None,
                f"no «… № {amended.number} қаулысына N-қосымша» header above the approval stamp",
            )
        return
    if ah.group(4) and ah.group(4) != amended.number:
        raise p.fail(loc.start, f"the annex header names decree № {ah.group(4)}, the manifest № {amended.number}")
    if not ah.group(4) or not ah.group(2):
        p.quirk(
            "truncated-annex-header",
            loc.start,
            None,
            f"the decree-annex header lacks the decree's date or number: «{ah.group(0)}»",
        )
    elif long_date(ah.group(1), ah.group(2), ah.group(3)) != amended.date:
        p.quirk(
            "decree-date-mismatch",
            loc.start,
            None,
            f"the annex header dates the decree otherwise than {amended.date}",
        )


# -- entry into force ----------------------------------------------------------------------------------


def _days(n: int | None, what: str) -> str:
    """`what` takes effect: after `n` days, on publication, or when the text does not say."""
    if n is None:
        return f"{what} at a time the text does not state in days"
    if n == 0:
        return f"{what} on its first official publication"
    return f"{what} {n} calendar days after its first official publication"


def in_force(
    p: StandardDraft, spec: ManifestStandard, edition_decree: Decree, fd: FileDecree
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
    delay = delay_days(rule)
    start = edition_decree.date + timedelta(days=delay) if delay is not None else None
    repeal_delay = delay_days(fd.repeal_rule)
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
        delay2 = delay_days(notes[0].in_force_rule)
        since = f", in force from about {d + timedelta(days=delay2)} at the earliest" if delay2 is not None else ""
        note.append(
            f"Paragraph(s) {', '.join(a.unit or '' for a in notes)} read as restated or amended by decree No. {num} "
            f"of {d}{since}; their earlier wording is not in the seed."
        )
    return rule, start, end, " ".join(note)
