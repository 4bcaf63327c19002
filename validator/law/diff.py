"""What changed between two imports of the standards: units added, removed, reworded and moved.

When the law changes, the official text is re-imported (`ereje standards import`) and the two
imports are compared here, standard by standard and unit by unit (`ereje standards diff OLD NEW`;
`ereje lint --since OLD` uses the same comparison to name the rule items to re-read).

Standards are paired by slug; those left over by their metadata: the Kazakh title and the approving
(and amending) decree. Never by the source file's sha256: an amended text has a new one, and a seed
the importer's manifest does not know gets an auto-detected slug.

Units are compared by their own text (`Unit.text`, not the text of their children), under the same
normalisation the quote matching uses (`validator.law.text.match_key`): typography, spacing, NFC,
case and Latin look-alike letters are not rewordings. The comparison runs in three passes:

1. the two texts are aligned as sequences of (kind, normalised text) in reading order. A unit in an
   aligned run keeps its text; if its id differs it was **moved** (renumbered by a paragraph inserted
   or deleted before it: after an insertion at 13, paragraph 13 is ``13 → 14`` and 16.1 is
   ``16.1 → 17.1``, not reworded);
2. a unit left over whose text is found unchanged elsewhere among the left-over units (of the same
   kind) was moved there too (a paragraph moved across others);
3. in each stretch between aligned runs, left-over units of the same kind are paired as **reworded**:
   first the most similar pairs (at least `SIMILAR` of their words in common), then units with the same
   id whatever their similarity (a paragraph restated in full, «жаңа редакцияда», is reworded at its id).
   So a unit that was both moved and reworded slightly is reported as **reworded** with its old and
   new id (``15 → 16``); one moved and rewritten beyond recognition is **removed** + **added**.
   What is still left is **removed** (old text only) or **added** (new text only).

Only the units are compared: metadata (dates in force, amendment notes, quirks, source lines) is used
for pairing the standards and is otherwise not compared.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

import pydantic

from validator.errors import InputError
from validator.law.citation import parse_citation
from validator.law.standard import Standard, Unit
from validator.law.text import clean, match_key

ChangeKind = Literal["added", "removed", "reworded", "moved"]
#: The kinds of change, in the order reports list them.
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "removed", "reworded", "moved")
#: How alike two texts must be (difflib's ratio over their words) to be paired as one unit reworded.
SIMILAR = 0.6
PairedBy = Literal["slug", "metadata"]
Side = Literal["old", "new"]


# ==================================================================================================
# Results
# ==================================================================================================


@dataclass(frozen=True)
class UnitChange:
    """One unit that differs between the old and the new text of a standard.

    - ``added``: only `new` (a unit the old text does not have);
    - ``removed``: only `old`;
    - ``reworded``: both; the own text differs after normalisation. The ids are equal, unless the
      unit was also moved (then ``old.id → new.id``);
    - ``moved``: both, with the same text under another id (renumbered).
    """

    kind: ChangeKind
    old: Unit | None
    new: Unit | None

    @property
    def old_id(self) -> str | None:
        return self.old.id if self.old else None

    @property
    def new_id(self) -> str | None:
        return self.new.id if self.new else None

    @property
    def ids(self) -> str:
        """The unit's id, or ``old → new`` where it changed: ``13 → 14``."""
        if self.old and self.new and self.old.id != self.new.id:
            return f"{self.old.id} → {self.new.id}"
        return (self.old or self.new).id  # type: ignore[union-attr]

    @property
    def labels(self) -> str:
        """The Kazakh labels of `ids`: ``13-тармақ → 14-тармақ``."""
        ids = [u.id for u in (self.old, self.new) if u is not None]
        return " → ".join(dict.fromkeys(parse_citation(i).kazakh() for i in ids))

    def wording(self, limit: int = 3) -> str:
        """For a reworded unit, the words that changed: ``«азаматының» → «азаматтарының»``."""
        if self.kind != "reworded" or self.old is None or self.new is None:
            return ""
        a, b = clean(self.old.text).split(), clean(self.new.text).split()
        hunks = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            was, now = " ".join(a[i1:i2]), " ".join(b[j1:j2])
            hunks.append(f"+«{now}»" if not was else f"−«{was}»" if not now else f"«{was}» → «{now}»")
        if not hunks:
            return "(no word changed)"  # match_key folds more than spacing; not expected
        return "; ".join(hunks[:limit]) + ("; …" if len(hunks) > limit else "")


@dataclass(frozen=True)
class StandardDiff:
    """The differences between the old and the new text of one standard.

    `old` or `new` is None for a standard found on one side only (then `changes` is empty).
    `paired_by` says how the two were found to be one standard: the slug, or the metadata.
    """

    old: Standard | None
    new: Standard | None
    paired_by: PairedBy | None
    changes: tuple[UnitChange, ...] = ()

    @property
    def differs(self) -> bool:
        return bool(self.changes) or self.old is None or self.new is None

    @property
    def slug(self) -> str:
        """The slug to show: the new one where there is a new text."""
        return (self.new or self.old).slug  # type: ignore[union-attr]

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, in `CHANGE_KINDS` order (kinds with none left out)."""
        out = {k: sum(1 for c in self.changes if c.kind == k) for k in CHANGE_KINDS}
        return {k: n for k, n in out.items() if n}

    @functools.cached_property
    def _by_old(self) -> dict[str, UnitChange]:
        return {c.old.id: c for c in self.changes if c.old is not None}

    @functools.cached_property
    def _by_new(self) -> dict[str, UnitChange]:
        return {c.new.id: c for c in self.changes if c.new is not None}

    def of_old(self, unit_id: str) -> UnitChange | None:
        """The change of the old text's unit `unit_id`, or None if it is unchanged (or unknown)."""
        return self._by_old.get(unit_id)

    def of_new(self, unit_id: str) -> UnitChange | None:
        """The change of the new text's unit `unit_id`, or None if it is unchanged (or unknown)."""
        return self._by_new.get(unit_id)

    def counterpart(self, unit_id: str, side: Side) -> str | None:
        """The id on the other side of the unit `unit_id` of `side`'s text; None if it has none."""
        this, other = (self.old, self.new) if side == "old" else (self.new, self.old)
        if this is None or other is None or this.unit(unit_id) is None:
            return None
        change = self.of_old(unit_id) if side == "old" else self.of_new(unit_id)
        if change is None:
            return unit_id
        return change.new_id if side == "old" else change.old_id

    def within(self, unit_id: str, side: Side) -> list[UnitChange]:
        """The changes inside the unit `unit_id` (an id of `side`'s text): its descendants reworded,
        added, removed, or moved out of it. Descendants renumbered along with it (16.1 → 17.1 when
        16 → 17), or within it, are left out: the unit's own change says so."""
        this, other = (self.old, self.new) if side == "old" else (self.new, self.old)
        if this is None or other is None or this.unit(unit_id) is None:
            return []
        there = self.counterpart(unit_id, side)
        out = []
        for d in descendants(this, unit_id):
            change = self.of_old(d.id) if side == "old" else self.of_new(d.id)
            if change is None:
                continue
            moved_to = change.new_id if side == "old" else change.old_id
            if change.kind == "moved" and there is not None and moved_to in _ids_under(other, there):
                continue
            out.append(change)
        gained: ChangeKind = "added" if side == "old" else "removed"
        if there is not None:
            for d in descendants(other, there):
                change = self.of_new(d.id) if side == "old" else self.of_old(d.id)
                if change is not None and change.kind == gained:
                    out.append(change)
        return out


@dataclass(frozen=True)
class Diff:
    """The comparison of two imports: one `StandardDiff` per standard of either, by slug."""

    standards: tuple[StandardDiff, ...]

    @property
    def differs(self) -> bool:
        return any(s.differs for s in self.standards)

    def for_slug(self, slug: str) -> StandardDiff | None:
        """The comparison of the standard that is `slug` now (or, failing that, was `slug` before)."""
        for side in ("new", "old"):
            for s in self.standards:
                std = s.new if side == "new" else s.old
                if std is not None and std.slug == slug:
                    return s
        return None


def descendants(std: Standard, unit_id: str) -> Iterator[Unit]:
    """The units inside `unit_id` (children, their children, ...), in reading order."""
    for child in std.children(unit_id):
        yield child
        yield from descendants(std, child.id)


def _ids_under(std: Standard, unit_id: str) -> set[str]:
    return {unit_id} | {d.id for d in descendants(std, unit_id)}


# ==================================================================================================
# Comparing
# ==================================================================================================


def diff_standards(old: Sequence[Standard], new: Sequence[Standard]) -> Diff:
    """Compare two imports: pair their standards (`pair_standards`), compare each pair's units."""
    out = []
    for a, b, by in pair_standards(old, new):
        changes = diff_units(a, b) if a is not None and b is not None else ()
        out.append(StandardDiff(a, b, by, changes))
    return Diff(tuple(sorted(out, key=lambda s: s.slug)))


def _metadata_keys(s: Standard) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """Two keys for pairing by metadata: strict (title, edition, approving and amending decree) and
    loose (title and the approving decree's number). The loose key leaves dates out: a text's approval
    stamp may date the decree differently from its heading (002: «23 ақпандағы № 199» under the decree
    of 28 February), and the manifest and the importer's auto-detection read different ones."""
    amended = (s.amended_by.number, s.amended_by.date) if s.amended_by else None
    title = match_key(s.title_kk)
    return (title, s.approved_by.number, s.approved_by.date, amended, s.edition), (title, s.approved_by.number)


def pair_standards(
    old: Sequence[Standard], new: Sequence[Standard]
) -> list[tuple[Standard | None, Standard | None, PairedBy | None]]:
    """Pair the standards of two imports: by slug, then the rest by metadata (a key that is unique on
    both sides). What is left is on one side only: ``(old, None, None)`` or ``(None, new, None)``."""
    by_slug = {s.slug: s for s in new}
    old_slugs = {s.slug for s in old}
    pairs: list[tuple[Standard | None, Standard | None, PairedBy | None]] = [
        (s, by_slug[s.slug], "slug") for s in old if s.slug in by_slug
    ]
    rest_old = [s for s in old if s.slug not in by_slug]
    rest_new = [s for s in new if s.slug not in old_slugs]
    for level in (0, 1):
        keys_old: dict[tuple[object, ...], list[Standard]] = {}
        keys_new: dict[tuple[object, ...], list[Standard]] = {}
        for s in rest_old:
            keys_old.setdefault(_metadata_keys(s)[level], []).append(s)
        for s in rest_new:
            keys_new.setdefault(_metadata_keys(s)[level], []).append(s)
        for key, olds in keys_old.items():
            news = keys_new.get(key, [])
            if len(olds) == 1 and len(news) == 1:
                pairs.append((olds[0], news[0], "metadata"))
                rest_old.remove(olds[0])
                rest_new.remove(news[0])
    pairs += [(s, None, None) for s in rest_old] + [(None, s, None) for s in rest_new]
    return pairs


def _key(u: Unit) -> tuple[str, str]:
    return (u.kind, match_key(u.text))


def _similarity(a: Unit, b: Unit) -> float:
    return SequenceMatcher(None, match_key(a.text).split(), match_key(b.text).split(), autojunk=False).ratio()


#: A stretch of units between two aligned runs: old indexes, new indexes (both in reading order).
_Stretch = tuple[list[int], list[int]]


def _align(old: Sequence[Unit], new: Sequence[Unit]) -> tuple[dict[int, int], list[_Stretch]]:
    """Pass 1: the aligned units (old index → new index) and the stretches between the aligned runs."""
    matcher = SequenceMatcher(None, [_key(u) for u in old], [_key(u) for u in new], autojunk=False)
    pairs: dict[int, int] = {}
    stretches: list[_Stretch] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            stretches.append((list(range(i1, i2)), list(range(j1, j2))))
    return pairs, stretches


def _pair_moved(old: Sequence[Unit], new: Sequence[Unit], stretches: list[_Stretch], pairs: dict[int, int]) -> None:
    """Pass 2: a left-over unit whose text is found unchanged among the left-over new units was moved there."""
    waiting: dict[tuple[str, str], list[int]] = {}
    for olds, _ in stretches:
        for i in olds:
            waiting.setdefault(_key(old[i]), []).append(i)
    for _, news in stretches:
        for j in news:
            candidates = waiting.get(_key(new[j]))
            if candidates:
                pairs[candidates.pop(0)] = j
    taken = set(pairs.values())
    for olds, news in stretches:
        olds[:] = [i for i in olds if i not in pairs]
        news[:] = [j for j in news if j not in taken]


def _pair_reworded(old: Sequence[Unit], new: Sequence[Unit], stretches: list[_Stretch]) -> dict[int, int]:
    """Pass 3: in each stretch, the most similar units of a kind, then those with the same id, are one
    unit reworded (old index → new index)."""
    reworded: dict[int, int] = {}
    for olds, news in stretches:
        scored = sorted(
            (
                (-_similarity(old[i], new[j]), old[i].id != new[j].id, i, j)
                for i in olds
                for j in news
                if old[i].kind == new[j].kind
            ),
        )
        for score, _, i, j in scored:
            if -score >= SIMILAR and i not in reworded and j not in reworded.values():
                reworded[i] = j
        for i in olds:
            for j in news:
                same = old[i].id == new[j].id and old[i].kind == new[j].kind
                if same and i not in reworded and j not in reworded.values():
                    reworded[i] = j
    return reworded


def diff_units(old: Standard, new: Standard) -> tuple[UnitChange, ...]:
    """The units of two texts of one standard that differ, by kind (`CHANGE_KINDS`) then reading order."""
    a, b = old.units, new.units
    pairs, stretches = _align(a, b)
    _pair_moved(a, b, stretches, pairs)
    reworded = _pair_reworded(a, b, stretches)
    found: list[tuple[int, UnitChange]] = []  # (reading position in the new text, or the old for removed)
    for i, j in pairs.items():
        if a[i].id != b[j].id:
            found.append((j, UnitChange("moved", a[i], b[j])))
    for i, j in reworded.items():
        found.append((j, UnitChange("reworded", a[i], b[j])))
    kept_new = set(pairs.values()) | set(reworded.values())
    found += [(j, UnitChange("added", None, b[j])) for j in range(len(b)) if j not in kept_new]
    found += [(i, UnitChange("removed", a[i], None)) for i in range(len(a)) if i not in pairs and i not in reworded]
    found.sort(key=lambda f: (CHANGE_KINDS.index(f[1].kind), f[0]))
    return tuple(c for _, c in found)


# ==================================================================================================
# Reading the two imports
# ==================================================================================================


def _bad(path: Path, message: str, line: int | None = None) -> InputError:
    return InputError(str(path), line, message, (), "bad-standards")


def _read_one(path: Path) -> Standard:
    """One ``standard.json``; an `InputError` naming the file if it cannot be read as one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise _bad(path, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise _bad(path, f"not UTF-8 (byte offset {e.start})") from None
    except json.JSONDecodeError as e:
        raise _bad(path, f"not valid JSON: {e.msg}", e.lineno) from None
    try:
        return Standard.model_validate(data)
    except pydantic.ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        raise _bad(
            path, f"not a standard.json as `ereje standards import` writes it: {where}: {first['msg']}"
        ) from None


def read_standards(path: Path) -> tuple[Standard, ...]:
    """The standards of one import: a ``standards/`` folder (every ``<slug>/standard.json`` in it) or a
    single ``standard.json``. Raises `InputError` (naming the path) for a missing or unreadable one."""
    path = Path(path)
    if path.is_file():
        return (_read_one(path),)
    if not path.is_dir():
        raise _bad(path, "no such file or folder")
    files = sorted(path.glob("*/standard.json"))
    if not files and (path / "standard.json").is_file():
        files = [path / "standard.json"]
    if not files:
        raise _bad(path, "no <slug>/standard.json in this folder (is it a standards/ folder?)")
    out: dict[str, Standard] = {}
    for f in files:
        s = _read_one(f)
        if s.slug in out:
            raise _bad(f, f"slug {s.slug!r} appears twice in {path}")
        out[s.slug] = s
    return tuple(out.values())


# ==================================================================================================
# Reports
# ==================================================================================================


def _change_line(c: UnitChange) -> str:
    line = f"  {c.kind:9} {c.ids} ({c.labels})"
    wording = c.wording()
    return f"{line}: {wording}" if wording else line


def render_text(diff: Diff) -> str:
    """The comparison as text: per standard that differs, a heading and one line per change."""
    out: list[str] = []
    for s in diff.standards:
        if s.old is None or s.new is None:
            side = "added" if s.old is None else "removed"
            out.append(f"{s.slug}: standard {side} ({(s.new or s.old).title_kk})")  # type: ignore[union-attr]
            continue
        if not s.changes:
            continue
        name = s.new.slug if s.old.slug == s.new.slug else f"{s.old.slug} → {s.new.slug} (paired by title and decree)"
        counts = ", ".join(f"{n} {k}" for k, n in s.counts().items())
        out.append(f"{name}: {counts}")
        out += [_change_line(c) for c in s.changes]
    changed = sum(1 for s in diff.standards if s.differs)
    out.append(f"{len(diff.standards)} standards compared, {changed} differ" if changed else "no differences")
    return "\n".join(out)


def _change_json(c: UnitChange) -> dict[str, Any]:
    out: dict[str, Any] = {"change": c.kind, "kind": (c.new or c.old).kind}  # type: ignore[union-attr]
    for side, unit in (("old", c.old), ("new", c.new)):
        out[side] = unit.id if unit else None
        out[f"{side}_label"] = parse_citation(unit.id).kazakh() if unit else None
    if c.kind != "moved":
        out["old_text"] = c.old.text if c.old else None
        out["new_text"] = c.new.text if c.new else None
    return out


def to_json(diff: Diff) -> dict[str, Any]:
    """The comparison as JSON-ready data: every standard of either side, with its status and changes."""
    standards = []
    for s in diff.standards:
        status = "added" if s.old is None else "removed" if s.new is None else "changed" if s.changes else "same"
        standards.append(
            {
                "old": s.old.slug if s.old else None,
                "new": s.new.slug if s.new else None,
                "status": status,
                "paired_by": s.paired_by,
                "counts": s.counts(),
                "changes": [_change_json(c) for c in s.changes],
            }
        )
    return {"differs": diff.differs, "standards": standards}


__all__ = [
    "CHANGE_KINDS",
    "SIMILAR",
    "ChangeKind",
    "Diff",
    "StandardDiff",
    "UnitChange",
    "descendants",
    "diff_standards",
    "diff_units",
    "pair_standards",
    "read_standards",
    "render_text",
    "to_json",
]
