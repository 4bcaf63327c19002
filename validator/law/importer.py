"""Import the official Әділет decree texts (seeds) into paragraph-addressable standards.

A seed is the plain text of one Government decree as Әділет publishes it: the decree itself
(title, "Күші жойылды" banner and note, its own paragraphs) followed by the standards it approves,
restates or adds, each with its annexes. `import_seeds` parses every seed and writes

- ``out/<slug>/standard.json``: one `validator.law.standard.Standard` per standard;
- ``out/index.json``: slug, titles, source file, dates and paragraph count of every standard;
- ``out/quirks.json``: per slug, the quirks (defects of the official text that were worked around).

Where each standard starts and ends, its slug, English title, edition and approving / amending
decree come from the manifest ``validator/data/seeds.yaml``, keyed by the sha256 of the seed file.
Everything else (Kazakh title, sections, paragraphs, subparagraphs, items, unnumbered parts,
annexes, «Ескерту» amendment notes, the repeal, the entry-into-force rule) is parsed from the text.
A seed that is not in the manifest is parsed by auto-detection of its standard titles; those
standards get a derived slug, no English title and an ``auto-detected`` quirk.

Writing is atomic (everything is built in a temporary directory beside ``out`` and swapped in only
when every seed parsed) and deterministic (re-importing the same seeds gives the same bytes).

The work is split by concern:

- `validator.law.seed`: reading a seed file as numbered lines; `SeedError`; the manifest;
- `validator.law.decree`: Kazakh dates, the decree a seed holds, its repeal and entry-into-force rule;
- `validator.law.locate`: where each standard is (its title), and manifest entries for unknown seeds;
- `validator.law.draft`: one standard while it is parsed (units, amendment notes, quirks);
- `validator.law.segment`: the body's lines → sections, paragraphs, subparagraphs, items, parts;
- `validator.law.annex`: annexes (қосымша), kept whole, one unit each;
- `validator.law.metadata`: «Ескерту» amendment notes, the header checks, the dates in force;
- `validator.law.quirks`: the catalogue of quirk codes;
- `validator.law.build`: one standard from its lines to a `Standard`;
- this module: parsing whole seeds, writing the output folder, the quirk report.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.law.build import build_standard
from validator.law.decree import parse_file_decree
from validator.law.locate import Located, auto_specs, detect_standards, title_at
from validator.law.quirks import QUIRK_CODES
from validator.law.seed import MANIFEST_PATH, ManifestSeed, ManifestStandard, SeedError, load_manifest
from validator.law.seed import read_seed as _read_seed
from validator.law.standard import Quirk, Standard

__all__ = [
    "MANIFEST_PATH",
    "QUIRK_CODES",
    "ImportReport",
    "SeedError",
    "detect_standards",
    "import_seeds",
    "load_manifest",
    "parse_seed",
]


@dataclass(frozen=True)
class ImportReport:
    """What `import_seeds` wrote: the standards (sorted by slug), with their quirks."""

    standards: tuple[Standard, ...]
    out: Path

    @property
    def slugs(self) -> list[str]:
        return [s.slug for s in self.standards]

    def quirks(self) -> dict[str, tuple[Quirk, ...]]:
        """All quirks, by slug."""
        return {s.slug: s.quirks for s in self.standards}

    def quirk_counts(self) -> dict[str, int]:
        """How many quirks of each code over all standards, sorted by code."""
        counts: dict[str, int] = {}
        for s in self.standards:
            for q in s.quirks:
                counts[q.code] = counts.get(q.code, 0) + 1
        return dict(sorted(counts.items()))

    def render_quirks(self) -> str:
        """The quirk report as text: per standard one line per quirk, then the totals per code."""
        out: list[str] = []
        total = 0
        for s in self.standards:
            out.append(f"{s.slug} ({s.source_file}, lines {s.lines.start}-{s.lines.end}): {len(s.quirks)} quirks")
            for q in s.quirks:
                unit = f" [{q.unit}]" if q.unit else ""
                out.append(f"  {s.source_file}:{q.line}: {q.code}{unit}: {q.message}")
            total += len(s.quirks)
        out.append("")
        out.append(f"{len(self.standards)} standards, {total} quirks")
        for code, n in self.quirk_counts().items():
            out.append(f"  {code:30} {n:5}  {QUIRK_CODES.get(code, '')}")
        return "\n".join(out) + "\n"


# ==================================================================================================
# Public API
# ==================================================================================================


def parse_seed(path: Path, manifest: dict[str, ManifestSeed] | None = None) -> list[Standard]:
    """Parse one seed into its standards (writes nothing). Raises `SeedError`."""
    path = Path(path)
    seed = _read_seed(path)
    manifest = load_manifest() if manifest is None else manifest
    entry = manifest.get(seed.sha256)
    specs: list[tuple[Located, ManifestStandard]] = []
    if entry is not None:
        fd = parse_file_decree(seed, entry.standards[0].start if entry.standards else len(seed.lines))
        for spec in entry.standards:
            if not 1 <= spec.start <= spec.end <= len(seed.lines):
                raise SeedError(
                    path, None, f"the manifest's lines {spec.start}-{spec.end} of {spec.slug!r} are out of range"
                )
            title = next(
                (
                    t
                    for no in range(spec.start, min(spec.end, spec.start + 40) + 1)
                    if (t := title_at(seed, no, spec.end))
                ),
                None,
            )
            if title is None:
                raise SeedError(path, spec.start, f"no standard title within 40 lines of the start of {spec.slug!r}")
            specs.append((Located(spec.start, spec.end, title[0], title[1]), spec))
    else:
        located = detect_standards(seed)
        fd = parse_file_decree(seed, located[0].start if located else len(seed.lines))
        specs = auto_specs(seed, fd)
        if not specs:
            raise SeedError(
                path,
                None,
                "not a known seed (its sha256 is not in validator/data/seeds.yaml) and no standard title "
                "(«…» мемлекеттік қызмет стандарты) found in it",
            )
    try:
        return [build_standard(seed, loc, spec, fd, auto=entry is None) for loc, spec in specs]
    except SeedError:
        raise
    except (ValueError, AssertionError, KeyError, IndexError) as e:  # a parser assumption broke
        raise SeedError(path, None, f"cannot parse the standard structure: {e}") from None


def _json(obj: Any) -> str:
    """JSON as the output folder keeps it: UTF-8 letters as written, one-space indent, final newline."""
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _owned(entry: Path) -> bool:
    """Whether an entry of the output folder belongs to the importer (and is replaced on import)."""
    if entry.name in ("index.json", "quirks.json"):
        return True
    return entry.is_dir() and sorted(c.name for c in entry.iterdir()) == ["standard.json"]


def import_seeds(seeds: Sequence[Path], out: Path) -> ImportReport:
    """Parse every seed; write ``out/<slug>/standard.json``, ``out/index.json`` and ``out/quirks.json``.

    Atomic: `out` is left untouched unless every seed parsed. Entries of `out` that the importer
    does not own (anything but ``<slug>/standard.json`` folders and the two index files) are kept.
    Raises `SeedError` for a bad seed.
    """
    out = Path(out)
    if not seeds:
        raise SeedError("<seeds>", None, "no seed files given")
    manifest = load_manifest()
    by_slug: dict[str, Standard] = {}
    first_of: dict[str, Path] = {}
    for path in map(Path, seeds):
        if path.is_file():
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if sha in first_of:
                raise SeedError(path, None, f"the same seed as {first_of[sha]}")
            first_of[sha] = path
        for s in parse_seed(path, manifest):
            if s.slug in by_slug:
                raise SeedError(path, s.lines.start, f"slug {s.slug!r} also comes from {by_slug[s.slug].source_file}")
            by_slug[s.slug] = s
    standards = tuple(by_slug[k] for k in sorted(by_slug))
    _write(standards, out)
    return ImportReport(standards=standards, out=out)


def _write(standards: Sequence[Standard], out: Path) -> None:
    """Build the output folder beside `out` (keeping entries the importer does not own), then swap it in."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    old: Path | None = None
    try:
        mask = os.umask(0)
        os.umask(mask)
        tmp.chmod(0o777 & ~mask)  # mkdtemp makes it 0700; the output folder gets the usual mode
        for s in standards:
            (tmp / s.slug).mkdir()
            (tmp / s.slug / "standard.json").write_text(_json(s.model_dump(mode="json")), encoding="utf-8")
        index = [
            {
                "slug": s.slug,
                "title_kk": s.title_kk,
                "title_en": s.title_en,
                "source_file": s.source_file,
                "in_force_from": s.in_force_from.isoformat() if s.in_force_from else None,
                "in_force_to": s.in_force_to.isoformat() if s.in_force_to else None,
                "paragraphs": len(s.paragraphs()),
            }
            for s in standards
        ]
        (tmp / "index.json").write_text(_json(index), encoding="utf-8")
        quirks = {s.slug: [q.model_dump(mode="json") for q in s.quirks] for s in standards}
        (tmp / "quirks.json").write_text(_json(quirks), encoding="utf-8")
        if out.is_dir():
            for entry in sorted(out.iterdir()):
                if not _owned(entry) and not (tmp / entry.name).exists():
                    if entry.is_dir():
                        shutil.copytree(entry, tmp / entry.name, symlinks=True)
                    else:
                        shutil.copy2(entry, tmp / entry.name, follow_symlinks=False)
        if out.exists():
            old = out.parent / f"{tmp.name}.old"
            out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            if old is not None:
                old.rename(out)
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
