"""A seed (the plain text of one Әділет decree, as a file) read as numbered lines, and the seed manifest.

The manifest ``validator/data/seeds.yaml`` says, per seed (keyed by the sha256 of its bytes), where
each standard it holds starts and ends and what it is: slug, English title, edition, approving and
amending decree (қаулы).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from validator.law.text import nfc, strip_markup, vocabulary

__all__ = [
    "MANIFEST_PATH",
    "Edition",
    "ManifestDecree",
    "ManifestSeed",
    "ManifestStandard",
    "Seed",
    "SeedError",
    "SeedLine",
    "load_manifest",
    "read_seed",
]

MANIFEST_PATH = Path(__file__).resolve().parents[1] / "data" / "seeds.yaml"

#: Which text of a standard a seed holds: as approved, restated (жаңа редакция), or added by an amending decree.
Edition = Literal["original", "new-edition", "added"]


class SeedError(Exception):
    """A seed that cannot be imported: ``str()`` is one line, ``file:line: message``."""

    def __init__(self, file: str | os.PathLike[str], line: int | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


# ==================================================================================================
# The manifest
# ==================================================================================================


class ManifestDecree(BaseModel):
    """A decree (қаулы) as the manifest names it: number and date."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    number: str
    date: date


class ManifestStandard(BaseModel):
    """One standard of a seed: where it is (1-based inclusive lines) and what it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    slug: str
    title_en: str
    start: int
    end: int
    edition: Edition
    approved_by: ManifestDecree
    amended_by: ManifestDecree | None = None


class ManifestSeed(BaseModel):
    """One seed of the manifest: its file name and the standards it holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    file: str
    standards: tuple[ManifestStandard, ...]


def load_manifest(path: Path | None = None) -> dict[str, ManifestSeed]:
    """The seed manifest: sha256 of a seed file → its standards."""
    path = path or MANIFEST_PATH
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("seeds"), dict):
        raise ValueError(f"{path}: expected a mapping with a 'seeds' mapping")
    out: dict[str, ManifestSeed] = {}
    for sha, entry in raw["seeds"].items():
        try:
            out[str(sha)] = ManifestSeed.model_validate(entry)
        except ValidationError as e:
            raise ValueError(f"{path}: seed {sha}: {e}") from e
    return out


# ==================================================================================================
# Reading a seed
# ==================================================================================================

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u200a]+")


@dataclass(frozen=True)
class SeedLine:
    """One line of a seed."""

    no: int  # 1-based
    raw: str  # NFC, as in the file
    text: str  # markup stripped, whitespace (no-break spaces, tabs) folded, stripped

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def tabbed(self) -> bool:
        return "\t" in self.raw


@dataclass(frozen=True)
class Seed:
    """One seed file: its name, sha256, lines and the vocabulary its words give."""

    path: Path
    name: str
    sha256: str
    lines: tuple[SeedLine, ...]
    vocab: frozenset[str]

    def line(self, no: int) -> SeedLine:
        return self.lines[no - 1]

    def span(self, start: int, end: int) -> tuple[SeedLine, ...]:
        return self.lines[start - 1 : end]


def read_seed(path: Path) -> Seed:
    """Read a seed file, or raise `SeedError` (missing, empty, not UTF-8)."""
    label = str(path)
    if not path.exists():
        raise SeedError(label, None, "no such file")
    if not path.is_file():
        raise SeedError(label, None, "not a file")
    data = path.read_bytes()
    if not data.strip():
        raise SeedError(label, None, "empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SeedError(
            label, line, f"not UTF-8: invalid byte 0x{data[e.start]:02x} at byte offset {e.start}"
        ) from None
    text = nfc(text.removeprefix("\ufeff"))
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    lines = []
    for i, row in enumerate(rows, 1):
        row = row.removesuffix("\r")
        lines.append(SeedLine(i, row, _SPACES.sub(" ", strip_markup(row)).strip()))
    return Seed(path, path.name, hashlib.sha256(data).hexdigest(), tuple(lines), vocabulary(text))
