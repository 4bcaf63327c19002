"""Where the law and the rules in use come from, and which copy they are.

One precedence for both `standards/` and `rules/` (and `cases/` for `ereje test`):

1. the command's flag (`--standards DIR`, `--rules DIR`) or a folder a library call names: *given*;
2. the environment (`EREJE_STANDARDS`, `EREJE_RULES`): *env*;
3. a folder of that name in the working directory (a rules repository): *cwd*;
4. the checkout Ereje runs from (an editable install): *checkout*;
5. the copy bundled in the installed package (a wheel): *bundled*.

The first that exists is used, whole: a folder replaces the bundled set, never overlays it. A set is
named by its origin and a hash of its files (`bundled 3f2a9c1b07de`), never by a path, so a report
says which law and rules it rests on without saying anything about the machine.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Label = Literal["given", "env", "cwd", "checkout", "bundled"]
ENV = {"standards": "EREJE_STANDARDS", "rules": "EREJE_RULES", "cases": "EREJE_CASES"}
# The files that make up each kind of set (what its hash covers).
PATTERNS = {"standards": ("*/standard.json",), "rules": ("*.yaml", "_shared/*.yaml"), "cases": ("**/*.yaml",)}

PACKAGE = Path(__file__).resolve().parents[1]
CHECKOUT = PACKAGE.parent
BUNDLED = PACKAGE / "bundled"


def _is_checkout() -> bool:
    # An installed wheel sits in site-packages, beside other packages' folders: only a checkout has
    # Ereje's own pyproject.toml beside the package.
    pyproject = CHECKOUT / "pyproject.toml"
    return pyproject.is_file() and 'name = "ereje"' in pyproject.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Origin:
    """A folder of standards, rules or cases, and how it was chosen."""

    kind: str
    label: Label
    path: Path

    @property
    def digest(self) -> str:
        return folder_digest(self.path, PATTERNS[self.kind])

    def describe(self) -> str:
        """`checkout 1a2b3c4d5e6f`: the origin label and the first 12 hex digits of the set's hash."""
        return f"{self.label} {self.digest}"


# A folder the command line named for the whole process (`--standards DIR` on any command).
_CHOSEN: dict[str, Path] = {}


def choose(kind: str, path: Path | None) -> None:
    """Make `path` the given folder of `kind` for this process (the CLI's flag); None forgets it."""
    if path is None:
        _CHOSEN.pop(kind, None)
    else:
        _CHOSEN[kind] = Path(path)


def locate(kind: str, given: Path | None = None, env: dict[str, str] | None = None, cwd: Path | None = None) -> Origin:
    """The folder of `kind` ('standards', 'rules' or 'cases') to use, by the precedence above."""
    environ = os.environ if env is None else env
    given = given if given is not None else _CHOSEN.get(kind)
    if given is not None:
        return Origin(kind, "given", Path(given))
    from_env = environ.get(ENV[kind])
    if from_env:
        return Origin(kind, "env", Path(from_env))
    here = (cwd or Path.cwd()) / kind
    if here.is_dir():
        return Origin(kind, "cwd", here)
    if _is_checkout() and (CHECKOUT / kind).is_dir():
        return Origin(kind, "checkout", CHECKOUT / kind)
    return Origin(kind, "bundled", BUNDLED / kind)


@functools.lru_cache(maxsize=32)
def _digest(path: Path, patterns: tuple[str, ...], stamp: tuple[tuple[str, int, int], ...]) -> str:
    h = hashlib.sha256()
    for rel, _, _ in stamp:
        h.update(rel.encode("utf-8") + b"\0")
        h.update(hashlib.sha256((path / rel).read_bytes()).digest())
    return h.hexdigest()[:12]


def folder_digest(path: Path, patterns: tuple[str, ...]) -> str:
    """A hash of the set's files (names relative to the folder, and contents); cached while unchanged."""
    if not path.is_dir():
        return "missing"
    files = sorted({p for pattern in patterns for p in path.glob(pattern) if p.is_file()})
    stamp = tuple((p.relative_to(path).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _digest(path.resolve(), patterns, stamp)
