"""Errors that mean Ereje cannot do the job asked: bad input, a broken rule file.

Findings about a case are never raised; they are values in a `Report`. These errors carry the file,
the line, the JSON path into the input and what would be right, like jsonschema's ValidationError.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_SIMPLE_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


def json_path(path: Sequence[str | int]) -> str:
    """Render a path as JSONPath: ('documents', 0, 'id') → $.documents[0].id."""
    out = "$"
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif _SIMPLE_KEY.match(p):
            out += f".{p}"
        else:
            out += "[" + repr(p).replace("'", '"') + "]" if '"' not in p else f"[{p!r}]"
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where, what, and a stable code."""

    file: str
    line: int | None
    message: str
    path: tuple[str | int, ...] = ()
    code: str = "bad-input"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        at = f" (at {json_path(self.path)})" if self.path else ""
        return f"{where}: {self.code}: {self.message}{at}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "path": json_path(self.path),
            "code": self.code,
            "message": self.message,
        }


class EreError(Exception):
    """Root of Ereje's own errors. `exit_code` is what the CLI exits with."""

    exit_code = 2


@dataclass
class InputError(EreError):
    """One problem with an input file (YAML syntax, size, encoding, a wrong value)."""

    file: str
    line: int | None
    message: str
    path: tuple[str | int, ...] = ()
    code: str = "bad-input"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    @property
    def problems(self) -> list[Problem]:
        return [Problem(self.file, self.line, self.message, tuple(self.path), self.code)]

    def __str__(self) -> str:
        return str(self.problems[0])


@dataclass
class InputErrors(EreError):
    """All problems found in one or more inputs, sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = sorted(self.problems, key=lambda p: (p.file, p.line or 0, p.code, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class EnvironmentFailure(EreError):
    """The environment failed, not the input and not Ereje: a full disk or temp folder, no permission, a
    folder where the output file belongs, a stream that cannot take the report. Exit code 4, never 3."""

    exit_code = 4
