"""Safe YAML loading that keeps source positions and refuses ambiguity.

Only plain data is built: mappings, sequences, strings, integers, floats, booleans (`true`/`false`)
and null. No tags construct objects, dates stay strings (the models parse them), `yes`/`no` stay
strings, duplicate keys are refused, and aliases, depth and size are bounded so a crafted file
cannot blow up memory or time. The limits here are the limits of every input: the case loader
(`validator.decision.load`) applies the same ones to JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from validator.errors import InputError

# libyaml's C parser when the wheel has it (10x faster); the node graph and marks are the same.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 2_000_000
MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_NODES = 200_000

JsonPath = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?((\d[\d_]*)?\.\d+([eE][-+]?\d+)?|\d+[eE][-+]?\d+)$")  # 1.5, .5, 1e5 (as JSON)
MAX_DIGITS = 100
_STD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Loaded:
    """A loaded document and the line (1-based) of every node, by JSON path."""

    file: str
    data: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)

    def line_of(self, path: JsonPath) -> int | None:
        """The line of the node at `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


def _scalar(node: yaml.ScalarNode) -> Any:
    v = node.value
    if node.style and node.style in "'\"|>":  # quoted or block: always a string
        return v
    if v in ("", "~", "null", "Null", "NULL"):
        return None
    if v in ("true", "True", "TRUE"):
        return True
    if v in ("false", "False", "FALSE"):
        return False
    if _INT.match(v):
        if len(v) > MAX_DIGITS:
            raise ValueError(f"a number of more than {MAX_DIGITS} digits")
        return int(v.replace("_", ""))
    if _FLOAT.match(v):
        return float(v.replace("_", ""))
    return v


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[JsonPath, int] = {}
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError(self.file, node.start_mark.line + 1, f"more than {MAX_NODES} YAML nodes", path)
        if depth > MAX_DEPTH:
            raise InputError(self.file, node.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH}", path)
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise InputError(self.file, node.start_mark.line + 1, f"more than {MAX_ALIASES} alias uses", path)
        self.seen.add(id(node))
        if node.tag not in _STD_TAGS and not node.tag.startswith("tag:yaml.org,2002:"):
            raise InputError(
                self.file,
                node.start_mark.line + 1,
                f"tag {node.tag!r} is not allowed; rule files and cases hold plain data only",
                path,
            )
        if node.tag not in _STD_TAGS:
            raise InputError(self.file, node.start_mark.line + 1, f"YAML type {node.tag!r} is not allowed", path)
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            if not node.style and not node.value:
                return None
            try:
                return _scalar(node)
            except ValueError as e:
                raise InputError(self.file, node.start_mark.line + 1, str(e), path, "bad-number") from None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n, (*path, i), depth + 1) for i, n in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for k, v in node.value:
                if k.tag == "tag:yaml.org,2002:merge":
                    raise InputError(self.file, k.start_mark.line + 1, "merge keys (<<) are not allowed", path)
                if not isinstance(k, yaml.ScalarNode):
                    raise InputError(self.file, k.start_mark.line + 1, "mapping keys must be plain strings", path)
                key = k.value
                if key in out:
                    raise InputError(
                        self.file,
                        k.start_mark.line + 1,
                        f"duplicate key {key!r} (first at line {self.lines.get((*path, key), '?')})",
                        path,
                        "duplicate-key",
                    )
                self.lines[(*path, key)] = k.start_mark.line + 1
                out[key] = self.build(v, (*path, key), depth + 1)
                self.lines[(*path, key)] = k.start_mark.line + 1
            return out
        raise InputError(self.file, node.start_mark.line + 1, "unsupported YAML node", path)


def load_yaml_text(text: str, file: str) -> Loaded:
    """Load one YAML document from text. Raises InputError with file and line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise too_large(file)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(file, None, "file is empty; expected a YAML mapping")
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.composer.ComposerError as e:
        mark = e.problem_mark
        raise InputError(file, mark.line + 1 if mark else None, f"YAML error: {e.problem}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(file, mark.line + 1 if mark else None, f"YAML syntax error: {problem}") from None
    except RecursionError:
        raise InputError(file, None, f"nesting deeper than {MAX_DEPTH}") from None
    if node is None:
        raise InputError(file, None, "file is empty; expected a YAML mapping")
    b = _Builder(file)
    data = b.build(node, (), 0)
    if not isinstance(data, dict):
        raise InputError(file, node.start_mark.line + 1, "expected a YAML mapping at the top level")
    return Loaded(file, data, b.lines)


def too_large(file: str) -> InputError:
    """The error of an input over `MAX_BYTES` (a file or a text)."""
    return InputError(file, None, f"file is larger than {MAX_BYTES} bytes", (), "too-large")


def not_utf8(file: str, raw: bytes, err: UnicodeDecodeError) -> InputError:
    """The error of bytes that are not UTF-8: the line and the offset of the first bad byte."""
    line = raw[: err.start].count(b"\n") + 1
    return InputError(
        file, line, f"not UTF-8 (invalid byte at offset {err.start}); save it as UTF-8", (), "bad-encoding"
    )


def read_bytes(path: Path, file: str) -> bytes:
    """A file's bytes, size-bounded (checked before reading); a missing file or a folder is an InputError."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(file, None, "no such file") from None
    except OSError as e:
        raise InputError(file, None, f"cannot read: {e.strerror}") from None
    if path.is_dir():
        raise InputError(file, None, "is a directory; expected a file")
    if size > MAX_BYTES:
        raise too_large(file)
    return path.read_bytes()


def decode_utf8(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise not_utf8(file, raw, e) from None


def load_yaml(path: Path, display: str | None = None) -> Loaded:
    """Read and load a YAML file: UTF-8 (BOM allowed), CRLF allowed, size-bounded."""
    name = display or str(path)
    return load_yaml_text(decode_utf8(read_bytes(path, name), name), name)
