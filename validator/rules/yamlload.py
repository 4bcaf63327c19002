"""Safe YAML loading that keeps source positions and refuses ambiguity.

Only plain data is built: mappings, sequences, strings, integers, floats, booleans (`true`/`false`)
and null. No tags construct objects, dates stay strings (the models parse them), `yes`/`no` stay
strings, duplicate keys are refused, and aliases, depth and size are bounded so a crafted file
cannot blow up memory or time. The limits here are the limits of every input: the case loader
(`validator.decision.load`) applies the same ones to JSON.

What YAML versions read differently is refused rather than guessed: an explicit tag (`!!str false`,
`!!int "5"`: the value is written plainly instead), a number with `_` (`1_8` is 18 in YAML 1.1 and
text in 1.2), and the line separators U+2028, U+2029 and U+0085 outside a quoted string (YAML 1.1
breaks a line there, so a comment could hide a line that is read, and every line number after it
would differ from the editor's).
"""

from __future__ import annotations

import bisect
import os
import re
import secrets
import stat
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
_FLOAT = re.compile(r"^[-+]?((\d[\d_]*)?\.\d+([eE][-+]?\d+)?|\d+[eE][-+]?\d+)$", re.ASCII)  # 1.5, .5, 1e5 (as JSON)
MAX_DIGITS = 100
# Line breaks to YAML 1.1 (and PyYAML), but not to editors, JSON or YAML 1.2.
_SEPARATORS = ("\u2028", "\u2029", "\x85")
_SEPARATOR_NAMES = {"\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR", "\x85": "NEXT LINE"}

# The tag a node gets when the document gives it none: the builder types a scalar by its style and text
# (`_scalar`), never by PyYAML's YAML 1.1 resolver, so any explicit tag is refused. (libyaml resolves
# the bare tag `!` like no tag at all: `_check_bang` finds it.)
# It carries a secret of the process, so no document can write it (`!<tag:…>` or a %TAG directive) and
# pass a tag off as none.
_UNTAGGED = f"tag:ereje.kz,2024:untagged:{secrets.token_hex(16)}"
# Where a text may hold the bare tag `!` (a `!` standing alone before a value): then it is scanned for it.
_MAYBE_BANG = re.compile(r"(?:^|[\s\[{,:?-])!(?=[\s\[{])", re.MULTILINE)


def _resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
    """Called by the composer for every node without an explicit tag (or with the bare `!`)."""
    untagged = any(implicit) if isinstance(implicit, tuple) else implicit  # scalar: (plain, quoted)
    return _UNTAGGED if untagged else "!"


_LOADER = type("_Loader", (_LOADER,), {"resolve": _resolve})


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
    if _INT.match(v) or _FLOAT.match(v):
        if "_" in v:
            raise ValueError(
                f"{v} is a number with '_' ({v.replace('_', '')} in YAML 1.1, text in YAML 1.2); "
                f'write {v.replace("_", "")}, or quote it ("{v}") for text'
            )
        if _INT.match(v):
            if len(v) > MAX_DIGITS:
                raise ValueError(f"a number of more than {MAX_DIGITS} digits")
            return int(v)
        return float(v)
    return v


def _tag_refused(tag: str) -> str:
    short = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
    if tag.startswith("tag:yaml.org,2002:") and short[2:] in ("str", "int", "float", "bool", "null", "map", "seq"):
        # A standard tag the builder would not honour (it types a value by how it is written): refused.
        return (
            f"the tag '{short}' is not allowed; write the value without a tag, as the type it is "
            '(quote it for text: "false", "5")'
        )
    return f"tag {short!r} is not allowed; rule files and cases hold plain data only"


class _Builder:
    def __init__(self, file: str, breaks: list[int] | None = None) -> None:
        self.file = file
        self.breaks = breaks  # offsets of the '\n's, where the text has a line separator inside a quoted string
        self.lines: dict[JsonPath, int] = {}
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()

    def line(self, mark: Any) -> int:
        """The 1-based line of a mark as an editor counts lines (by '\n' only)."""
        if self.breaks is None:
            return int(mark.line) + 1
        return bisect.bisect_left(self.breaks, int(mark.index)) + 1

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError(self.file, self.line(node.start_mark), f"more than {MAX_NODES} YAML nodes", path)
        if depth > MAX_DEPTH:
            raise InputError(self.file, self.line(node.start_mark), f"nesting deeper than {MAX_DEPTH}", path)
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise InputError(self.file, self.line(node.start_mark), f"more than {MAX_ALIASES} alias uses", path)
        self.seen.add(id(node))
        line = self.line(node.start_mark)
        if node.tag != _UNTAGGED:
            raise InputError(self.file, line, _tag_refused(node.tag), path)
        self.lines[path] = line
        if isinstance(node, yaml.ScalarNode):
            if not node.style and not node.value:
                return None
            try:
                return _scalar(node)
            except ValueError as e:
                raise InputError(self.file, line, str(e), path, "bad-number") from None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n, (*path, i), depth + 1) for i, n in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for k, v in node.value:
                key_line = self.line(k.start_mark)
                if not isinstance(k, yaml.ScalarNode):
                    raise InputError(self.file, key_line, "mapping keys must be plain strings", path)
                if k.value == "<<" and not k.style:
                    raise InputError(self.file, key_line, "merge keys (<<) are not allowed", path)
                if k.tag != _UNTAGGED:
                    raise InputError(self.file, key_line, _tag_refused(k.tag), path)
                key = k.value
                if key in out:
                    raise InputError(
                        self.file,
                        key_line,
                        f"duplicate key {key!r} (first at line {self.lines.get((*path, key), '?')})",
                        path,
                        "duplicate-key",
                    )
                self.lines[(*path, key)] = key_line
                out[key] = self.build(v, (*path, key), depth + 1)
                self.lines[(*path, key)] = key_line
            return out
        raise InputError(self.file, line, "unsupported YAML node", path)


def load_yaml_text(text: str, file: str) -> Loaded:
    """Load one YAML document from text. Raises InputError with file and line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise too_large(file)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(file, None, "file is empty; expected a YAML mapping")
    breaks = _check_separators(text, file) if any(sep in text for sep in _SEPARATORS) else None
    if _MAYBE_BANG.search(text):
        _check_bang(text, file)
    b = _Builder(file, breaks)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.composer.ComposerError as e:
        mark = e.problem_mark
        raise InputError(file, b.line(mark) if mark else None, f"YAML error: {e.problem}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(file, b.line(mark) if mark else None, f"YAML syntax error: {problem}") from None
    except RecursionError:
        raise InputError(file, None, f"nesting deeper than {MAX_DEPTH}") from None
    if node is None:
        raise InputError(file, None, "file is empty; expected a YAML mapping")
    data = b.build(node, (), 0)
    if not isinstance(data, dict):
        raise InputError(file, b.line(node.start_mark), "expected a YAML mapping at the top level")
    return Loaded(file, data, b.lines)


def _check_bang(text: str, file: str) -> None:
    """Refuse the bare tag `!` (`a: ! 5`): YAML makes the value text, but libyaml hands it to the builder
    as if untagged, so it would be read as the number 5. Scanned only where the text may hold one."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.TagToken) and token.value == (None, "!"):
                raise InputError(
                    file,
                    text.count("\n", 0, token.start_mark.index) + 1,
                    "the tag '!' is not allowed; write the value without it (quote it for text)",
                )
    except yaml.YAMLError:
        return  # the composer reports the syntax error


def _check_separators(text: str, file: str) -> list[int]:
    """Refuse a line separator (U+2028, U+2029, U+0085) outside a quoted string, with its line as an
    editor counts it; return the offsets of the '\n's, by which the lines of the document are counted
    (YAML 1.1 counts a separator inside a quoted string as a line break too)."""
    quoted: list[tuple[int, int]] = []
    failed_at: int | None = None
    try:  # the pure-Python scanner: its marks are offsets into `text`
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                quoted.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        failed_at = mark.index if mark is not None else 0
    for i, ch in enumerate(text):
        if ch not in _SEPARATOR_NAMES:
            continue
        if any(start < i < end for start, end in quoted):
            continue
        if failed_at is not None and i > failed_at:
            break  # after a syntax error: that error is the one to report
        name = _SEPARATOR_NAMES[ch]
        raise InputError(
            file,
            text.count("\n", 0, i) + 1,
            f"the character U+{ord(ch):04X} {name} outside a quoted string: YAML reads it as a line break "
            "that an editor does not show; delete it (or put the text in quotes)",
        )
    return [i for i, ch in enumerate(text) if ch == "\n"]


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
    """A file's bytes, size-bounded (checked before reading and while reading); a missing or unreadable
    file, a folder, a FIFO or a device is an InputError: only regular files are read (a FIFO can block
    for ever and /dev/zero never ends)."""
    try:
        _regular(os.stat(path), file)  # checked before opening: a device is not even opened
        # O_NONBLOCK: a FIFO put in the file's place since the check does not block the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if _regular(os.fstat(fd), file) > MAX_BYTES:
                raise too_large(file)
            data = f.read(MAX_BYTES + 1)  # a file that grew since the check is still read no further
    except FileNotFoundError:
        raise InputError(file, None, "no such file") from None
    except OSError as e:
        raise InputError(file, None, f"cannot read: {e.strerror}") from None
    if len(data) > MAX_BYTES:
        raise too_large(file)
    return data


def _regular(st: os.stat_result, file: str) -> int:
    """The size of a regular file; a folder, a FIFO, a device or a socket is refused."""
    if stat.S_ISDIR(st.st_mode):
        raise InputError(file, None, "is a directory; expected a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(file, None, "is not a regular file (a FIFO, a device or a socket); expected a file")
    return st.st_size


def decode_utf8(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise not_utf8(file, raw, e) from None


def load_yaml(path: Path, display: str | None = None) -> Loaded:
    """Read and load a YAML file: UTF-8 (BOM allowed), CRLF allowed, size-bounded."""
    name = display or str(path)
    return load_yaml_text(decode_utf8(read_bytes(path, name), name), name)
