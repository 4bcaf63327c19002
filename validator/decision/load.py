"""The case loader: one loader, one behaviour, for every surface (the CLI, the service, batch, the library).

A case comes as a file (YAML, or JSON by its `.json` suffix) or as text or bytes of a declared media
kind (`json` or `yaml`) with a name for messages. It is read in three steps, the same whatever the
surface:

1. **Read**: UTF-8 only (a byte order mark is allowed), at most `MAX_BYTES`; JSON and YAML both
   refuse duplicate keys. YAML goes through the safe loader of `validator.rules.yamlload`.
2. **Scan** the document: numbers must be finite doubles or integers of at most `MAX_DIGITS` digits
   (no NaN, Infinity, 1e999), strings and keys must be Unicode text (no lone UTF-16 surrogate from a
   `\\ud800` escape), nesting at most `MAX_DEPTH`, at most `MAX_NODES` values: the YAML loader's
   limits, applied to JSON too.
3. **Check** it against the case schema (the model; the published schema words the errors), then
   against its standard's rules (channel, facts, documents).

Whatever cannot be read (steps 1 and 2) raises `UnreadableInput`, an `InputErrors` whose `code` says
what kind of unreadable (`bad-json`, `bad-yaml`, `bad-encoding`, `bad-number`, `duplicate-key`,
`bad-unicode`, `too-large`) and whose `details` hold the facts a message may quote (key, offset,
line, column). What can be read but is not a valid case (the limits of step 2, step 3) raises a
plain `InputErrors`. Every problem carries the file, the line where known, the JSON path and a code.
For JSON the lines of step 3's problems are found by reading the text again as YAML, only when there
are problems and only where YAML reads it alike (a valid case pays for one JSON parse).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pydantic

from validator.decision.case import Case
from validator.decision.context import office_zone
from validator.decision.engine import validate_case
from validator.errors import InputError, InputErrors, Problem
from validator.rules.compiler import CASE_SCHEMA, CompiledRules, pydantic_problems, schema_problems
from validator.rules.ruleset import RuleSet, display_path
from validator.rules.yamlload import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_NODES,
    JsonPath,
    Loaded,
    load_yaml_text,
    not_utf8,
    read_bytes,
    too_large,
)

MediaKind = Literal["json", "yaml"]
MEDIA_KINDS: tuple[MediaKind, ...] = ("json", "yaml")


@dataclass
class UnreadableInput(InputErrors):
    """The input is not a document Ereje reads: bad bytes, bad syntax, a duplicate key, a bad number.

    `code` names the kind (the code of the first problem, or `bad-yaml` for anything the YAML loader
    refuses); `details` holds what a message may quote: `key`, `offset`, `line`, `column`, `message`,
    `limit`.
    """

    code: str = "bad-input"
    details: dict[str, object] = field(default_factory=dict)


def media_kind_of(path: Path) -> MediaKind:
    """The kind a case file is read as: JSON for `.json`, YAML otherwise."""
    return "json" if path.suffix.lower() == ".json" else "yaml"


def load_case(path: Path, rules: RuleSet, kind: MediaKind | None = None) -> tuple[Case, CompiledRules]:
    """A case file, read (as `kind`, or by its suffix) and checked; its id defaults to the file's stem."""
    name = display_path(path)
    try:
        raw = read_bytes(path, name)
    except InputError as e:
        if e.code == "too-large":
            raise UnreadableInput(e.problems, code=e.code, details={"limit": MAX_BYTES}) from None
        raise
    return load_case_text(raw, kind or media_kind_of(path), rules, name)


def load_case_text(
    text: str | bytes,
    kind: MediaKind,
    rules: RuleSet,
    name: str = "<request>",
    default_id: str | None = None,
) -> tuple[Case, CompiledRules]:
    """A case given as text (or UTF-8 bytes) of media kind `kind`, read and checked.

    `name` is the file of every problem; the case's id, when it has none, is `default_id` or the stem
    of `name`.
    """
    loaded, source = read_case(text, kind, name)
    return check_read_case(loaded, source, kind, rules, default_id)


def check_read_case(
    loaded: Loaded, source: str, kind: MediaKind, rules: RuleSet, default_id: str | None = None
) -> tuple[Case, CompiledRules]:
    """Step 3 on a case `read_case` read (from `source`, of media kind `kind`): `check_case`, whose
    problems of a JSON case are given their lines (the text read again, only when there are problems)."""
    try:
        return check_case(loaded, rules, default_id)
    except (InputErrors, InputError) as e:
        relined = _json_with_lines(source, loaded) if kind == "json" else None
        if relined is None:
            raise
        try:
            check_case(relined, rules, default_id)
        except (InputErrors, InputError) as again:
            raise again from None
        raise e from None


def read_case(text: str | bytes, kind: MediaKind, name: str) -> tuple[Loaded, str]:
    """Steps 1 and 2: the document (with its lines, for YAML) and the text it was read from."""
    if kind not in MEDIA_KINDS:
        raise ValueError(f"media kind {kind!r}: expected one of {', '.join(MEDIA_KINDS)}")
    if isinstance(text, bytes):
        size = len(text)
    else:  # at most 4 bytes a character: only a long text is measured
        size = len(text) if len(text) * 4 <= MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise UnreadableInput(too_large(name).problems, code="too-large", details={"limit": MAX_BYTES})
    if isinstance(text, bytes):
        raw = text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            problems = not_utf8(name, raw, e).problems
            raise UnreadableInput(problems, code="bad-encoding", details={"offset": e.start}) from None
    loaded = _read_json(text, name) if kind == "json" else _read_yaml(text, name)
    _scan(loaded)
    return loaded, text


def check_case(loaded: Loaded, rules: RuleSet, default_id: str | None = None) -> tuple[Case, CompiledRules]:
    """Step 3: a read document checked against the case schema and its standard's rules."""
    try:
        case = Case.model_validate(loaded.data)
    except pydantic.ValidationError as e:
        # The published schema is generated from the same model, so it rejects exactly what the model
        # rejects; it is consulted only to word the errors (every one, with its path and line).
        raise InputErrors(schema_problems(loaded, CASE_SCHEMA) or pydantic_problems(loaded, e)) from None
    compiled = rules.get(case.standard, loaded.file, loaded.line_of(("standard",)))
    validate_case(case, compiled, loaded.file, loaded.lines)
    # Times with an offset on the office's clock (local time, naive): every time of the case on one clock.
    case = case.in_zone(office_zone(compiled, case.channel))
    if case.id is None:
        case = case.model_copy(update={"id": default_id if default_id is not None else Path(loaded.file).stem})
    return case, compiled


# --- reading -------------------------------------------------------------------------------------------


class _BadNumber(str):
    """A number JSON's parser met that Ereje refuses (NaN, Infinity, too many digits); the scan reports it."""

    __slots__ = ()


class _DuplicateKeys(dict[str, Any]):
    """A JSON object that repeated a key (the last value kept); the scan reports it with its path."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]], duplicates: list[str]) -> None:
        super().__init__(pairs)
        self.duplicates = duplicates


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    return _DuplicateKeys(pairs, duplicates)


def _integer(text: str) -> int | _BadNumber:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else _BadNumber(text)


def _read_json(text: str, name: str) -> Loaded:
    text = text.removeprefix("\ufeff")  # a byte order mark may be ignored (RFC 8259, 8.1)
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_constant=_BadNumber)
    except json.JSONDecodeError as e:
        problem = Problem(name, e.lineno, f"{e.msg} (column {e.colno})", (), "bad-json")
        details = {"message": e.msg, "line": e.lineno, "column": e.colno}
        raise UnreadableInput([problem], code="bad-json", details=details) from None
    except RecursionError:  # nesting deep enough to exhaust the parser's stack
        raise InputErrors([_too_deep(name, ())]) from None
    # Lines are found only when there is an error to report (see `_json_with_lines`).
    return Loaded(name, data, {})


def _read_yaml(text: str, name: str) -> Loaded:
    try:
        return load_yaml_text(text, name)
    except InputError as e:
        raise UnreadableInput(e.problems, code="bad-yaml", details={"message": e.message, "line": e.line}) from None
    except (ValueError, RecursionError) as e:  # defensive: the YAML loader bounds numbers and depth itself
        problem = Problem(name, None, str(e) or type(e).__name__, (), "bad-yaml")
        raise UnreadableInput([problem], code="bad-yaml", details={"message": problem.message}) from None


def _too_deep(name: str, path: JsonPath) -> Problem:
    return Problem(name, None, f"nesting deeper than {MAX_DEPTH}", path, "bad-input")


def _unicode(s: str) -> bool:
    if s.isascii():
        return True
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain(data: Any) -> bool:
    """Whether the document has nothing `_scan` would report: the common case, decided ~4x faster than
    the scan (no paths kept); the scan runs only when this says no."""
    nodes = 0

    def ok(node: Any, depth: int) -> bool:
        nonlocal nodes
        t = type(node)
        if t is str:
            return node.isascii() or _unicode(node)
        if t is dict:  # exactly dict: a `_DuplicateKeys` is not plain
            if node and depth >= MAX_DEPTH:
                return False
            nodes += len(node)
            for k, v in node.items():  # noqa: SIM110 (loops, not all(): 2x faster on batch's hot path)
                if not (k.isascii() or _unicode(k)) or not ok(v, depth + 1):
                    return False
            return True
        if t is list:
            if node and depth >= MAX_DEPTH:
                return False
            nodes += len(node)
            for v in node:  # noqa: SIM110
                if not ok(v, depth + 1):
                    return False
            return True
        if t is float:
            return math.isfinite(node)
        return t is int or t is bool or node is None  # not a `_BadNumber`

    return ok(data, 0) and nodes < MAX_NODES


def _scan(loaded: Loaded) -> None:
    """Step 2: every value of the document in order; unreadable values first, then the limits."""
    if _plain(loaded.data):
        return
    name = loaded.file
    bad: list[Problem] = []
    details: dict[str, object] = {}
    stack: list[tuple[Any, JsonPath, int]] = [(loaded.data, (), 0)]
    nodes = 0

    limit: Problem | None = None

    def refuse(message: str, path: JsonPath, code: str, **facts: object) -> None:
        bad.append(Problem(name, loaded.lines.get(path), message, path, code))
        if len(bad) == 1:
            details.update(facts, message=message)

    while stack:
        node, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            limit = Problem(name, None, f"more than {MAX_NODES} values", path, "bad-input")
            break
        if depth > MAX_DEPTH:
            limit = _too_deep(name, path)
            break
        if isinstance(node, _BadNumber):
            if node.lstrip("-") in ("NaN", "Infinity"):
                refuse(f"{node} is not a number JSON allows", path, "bad-number")
            else:
                refuse(f"a number of more than {MAX_DIGITS} digits", path, "bad-number")
        elif isinstance(node, str):
            if not _unicode(node):
                refuse("lone UTF-16 surrogate", path, "bad-unicode")
        elif isinstance(node, float):
            if not math.isfinite(node):
                refuse("a number too large for a double", path, "bad-number")
        elif isinstance(node, dict):
            for key in getattr(node, "duplicates", ()):
                refuse(f"duplicate key {key!r}", path, "duplicate-key", key=key)
            children: list[tuple[Any, JsonPath, int]] = []
            for key, value in node.items():
                if not _unicode(key):
                    refuse("lone UTF-16 surrogate in a key", path, "bad-unicode")
                children.append((value, (*path, key), depth + 1))
            stack += reversed(children)
        elif isinstance(node, list):
            stack += reversed([(value, (*path, i), depth + 1) for i, value in enumerate(node)])
    if bad:
        raise UnreadableInput(bad, code=bad[0].code, details=details)
    if limit is not None:
        raise InputErrors([limit])


# --- lines for JSON --------------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, all the way down (1, 1.0 and True differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _json_with_lines(text: str, loaded: Loaded) -> Loaded | None:
    """The JSON text read again by the YAML loader, for the lines of its problems, where YAML reads it alike."""
    try:
        again = load_yaml_text(text.removeprefix("\ufeff"), loaded.file)
    except (InputError, ValueError, RecursionError):
        return None
    return again if _same(again.data, loaded.data) else None


__all__ = [
    "MEDIA_KINDS",
    "MediaKind",
    "UnreadableInput",
    "check_case",
    "check_read_case",
    "load_case",
    "load_case_text",
    "media_kind_of",
    "read_case",
]
