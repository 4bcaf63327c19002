"""The law as data: a state service standard (мемлекеттік қызмет стандарты) as addressable units.

`standards/<slug>/standard.json` is written by the importer (`validator.law.importer`) from the
official Әділет text and read here. Every unit (section, paragraph, subparagraph, unnumbered
part, annex) has a stable id and its source line numbers, so a rule can cite it and a reader can
find it in the seed file.

Unit ids:
- ``section-2``            a section heading (бөлім)
- ``11``                   a paragraph (тармақ)
- ``11.3``                 a subparagraph (тармақша) ``3)``
- ``7.1.а``                a lettered item ``а)`` inside subparagraph ``7.1``
- ``11.u1``                the first unnumbered part (азат жол) of paragraph 11 after its subparagraphs
- ``7.1~2``                the second subparagraph numbered ``1)`` in paragraph 7 (the text restarts numbering)
- ``annex-1``              an annex (қосымша)
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from validator.law.origin import Origin, locate
from validator.law.text import match_key

UnitKind = Literal["section", "paragraph", "subparagraph", "item", "part", "annex"]
AnnexKind = Literal["address-list", "application-form", "quality-table", "receipt-form", "talon-form", "form", "other"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LineRange(_Frozen):
    """Source lines, 1-based and inclusive, in the seed file."""

    start: int
    end: int


class Decree(_Frozen):
    """A Government decree (Үкімет қаулысы) that approves, amends or repeals."""

    number: str
    date: date
    title_kk: str | None = None


class Amendment(_Frozen):
    """An amendment note (Ескерту): "N-тармақ жаңа редакцияда / өзгеріс енгізілді - ... № N"."""

    unit: str | None = Field(description="Id of the unit the note touches; None for the whole standard.")
    kind: Literal["new-edition", "amended", "added", "repealed", "other"]
    decree: Decree
    in_force_rule: str | None = None
    text: str
    lines: LineRange


class Quirk(_Frozen):
    """A defect of the official text that the importer worked around (the quirk report)."""

    code: str
    line: int
    unit: str | None
    message: str


class Unit(_Frozen):
    """One addressable unit of the text.

    A paragraph is тармақ, a subparagraph тармақша, an annex қосымша, a section бөлім.
    `text` is the unit's own text (NFC, markup removed, spaced-out words rejoined);
    the full text of a paragraph with all its children is `Standard.full_text(id)`.
    """

    id: str
    kind: UnitKind
    number: str | None = None
    parent: str | None = None
    section: str | None = None
    title: str | None = None
    annex_kind: AnnexKind | None = None
    lines: LineRange
    text: str
    notes: tuple[str, ...] = ()


class Standard(_Frozen):
    """A state service standard with its metadata and its text."""

    slug: str
    title_kk: str
    title_en: str
    source_file: str
    source_sha256: str
    lines: LineRange
    approved_by: Decree
    amended_by: Decree | None = Field(
        default=None, description="The amending decree whose annex holds this text (new edition or added)."
    )
    edition: Literal["original", "new-edition", "added"] = "original"
    entry_into_force: str
    repealed_by: Decree | None = None
    repeal_rule: str | None = None
    in_force_from: date | None = Field(
        default=None, description="First day in force, where the importer can date it; see in_force_note."
    )
    in_force_to: date | None = Field(default=None, description="Last day in force (the day before repeal).")
    in_force_note: str = ""
    amendments: tuple[Amendment, ...] = ()
    units: tuple[Unit, ...]
    quirks: tuple[Quirk, ...] = ()

    # -- reading -----------------------------------------------------------------------------

    @functools.cached_property
    def _index(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    @functools.cached_property
    def _children(self) -> dict[str, list[Unit]]:
        out: dict[str, list[Unit]] = {}
        for u in self.units:
            if u.parent is not None:
                out.setdefault(u.parent, []).append(u)
        return out

    def unit(self, unit_id: str) -> Unit | None:
        return self._index.get(unit_id)

    def paragraphs(self) -> list[Unit]:
        return [u for u in self.units if u.kind == "paragraph"]

    def children(self, unit_id: str) -> list[Unit]:
        return list(self._children.get(unit_id, []))

    def as_read(self, unit_id: str) -> str:
        """The unit id as a reader counts the lists of its paragraph. An id's `~N` says the Nth item of that
        number; where the text numbers a list defectively (1), 2), 2), 4)…) that is not the Nth list, and a
        label «7-тізбедегі 2) тармақшасы» would send the reader to a list the text does not have. A list
        starts where the numbering goes back down, so the label names the list the item is in."""
        return self._as_read.get(unit_id, unit_id)

    def from_read(self, read_id: str) -> str | None:
        """The unit a reader's id names (`as_read`'s inverse), or None."""
        return self._from_read.get(read_id)

    @functools.cached_property
    def _as_read(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for u in self.units:
            if "~" not in u.id:
                continue
            real, shown = "", []
            for i, seg in enumerate(u.id.split(".")):
                here = seg if i == 0 else f"{real}.{seg}"
                if "~" in seg:
                    nth = self._list_numbers(real).get(here)
                    if nth is not None:
                        base = seg.partition("~")[0]
                        seg = base if nth == 1 else f"{base}~{nth}"
                shown.append(seg)
                real = here
            out[u.id] = ".".join(shown)
        return out

    @functools.cached_property
    def _from_read(self) -> dict[str, str]:
        out = {u.id: u.id for u in self.units if "~" not in u.id and u.id not in self._as_read.values()}
        out.update({read: real for real, read in self._as_read.items()})
        return out

    def _list_numbers(self, parent: str) -> dict[str, int]:
        """The numbered children of `parent` → the list each is in (1st, 2nd…), counting a new list where
        the numbering starts again."""
        out: dict[str, int] = {}
        nth, previous, heading = 1, None, False
        for child in self.children(parent):
            base = child.id.rsplit(".", 1)[-1].partition("~")[0]
            if child.kind != "subparagraph" or not base.isdigit():
                heading = heading or child.kind == "part"
                continue
            # A number lower than the last starts a new list; the same number again does too when text came
            # between them (a new heading), else it is the text's own slip (1), 2), 2), 4)…) in one list.
            if previous is not None and (int(base) < previous or (int(base) == previous and heading)):
                nth += 1
            previous, heading = int(base), False
            out[child.id] = nth
        return out

    def full_text(self, unit_id: str) -> str:
        """The unit's text followed by the text of all its descendants, in source order."""
        unit = self.unit(unit_id)
        if unit is None:
            raise KeyError(unit_id)
        parts = [unit.text]
        for child in self.children(unit_id):
            parts.append(self.full_text(child.id))
        return "\n".join(p for p in parts if p)

    def contains_quote(self, unit_id: str, quote: str) -> bool:
        """Whether `quote` occurs in the unit (after normalisation for matching)."""
        return match_key(quote) in self._match_keys(unit_id)

    def _match_keys(self, unit_id: str) -> str:
        cache: dict[str, str] = self.__dict__.setdefault("_match_key_cache", {})
        if unit_id not in cache:
            cache[unit_id] = match_key(self.full_text(unit_id))
        return cache[unit_id]

    def amendments_of(self, unit_id: str) -> list[Amendment]:
        """Amendment notes touching the unit or the paragraph it belongs to."""
        top = unit_id.split(".")[0]
        return [a for a in self.amendments if a.unit in (unit_id, top)]

    def text_hash(self, unit_id: str) -> str:
        return hashlib.sha256(self.full_text(unit_id).encode()).hexdigest()[:16]


def standards_root(root: Path | None = None) -> Path:
    """The `standards/` folder in use: given, or by the precedence of `validator.law.origin`."""
    return standards_origin(root).path


def standards_origin(root: Path | None = None) -> Origin:
    """Where the standards in use come from (`given` when `root` is named)."""
    return locate("standards", root)


@functools.lru_cache(maxsize=64)
def _load(path: Path) -> Standard:
    return Standard.model_validate(json.loads(path.read_text(encoding="utf-8")))


def load_standard(slug: str, root: Path | None = None) -> Standard:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):  # a slug names a folder of standards/, nothing else
        raise FileNotFoundError(f"no standard {slug!r}")
    path = standards_root(root) / slug / "standard.json"
    if not path.is_file():
        raise FileNotFoundError(f"no standard {slug!r} in {standards_root(root)}")
    return _load(path.resolve())


def list_slugs(root: Path | None = None) -> list[str]:
    base = standards_root(root)
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob("*/standard.json"))
