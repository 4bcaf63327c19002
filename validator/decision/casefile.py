"""Writing a case file (іс файлы) as the project's own cases are written, for the loader to read back alike.

The page saves the case the clerk filled in; the file must be one `ereje check` reads to the same case
(`validator.decision.load`) and one an editor checks against the case schema, so it begins with the
`yaml-language-server` line of `cases/*/*.yaml` and lists its keys in the case model's order. Only plain
data is written: ids, dates and numbers as they are, every other text double-quoted the way JSON quotes it
(a JSON string is a YAML double-quoted scalar), so no text is ever read back as another type — neither by
Ereje's loader, nor by a YAML 1.1 reader that takes `no` for false.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

from validator.decision.case import Case

SCHEMA_LINE = "# yaml-language-server: $schema=../../validator/schemas/case.schema.json"
# Written unquoted: ids that no YAML reader takes for another type, and ISO dates and times (the case
# loader reads them as text, then as dates).
_PLAIN = re.compile(r"[a-z][a-z0-9_-]*|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?", re.ASCII)
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
# Characters a YAML stream may not hold as they are, even quoted (DEL and the C1 controls), and the line
# breaks of YAML 1.1 (NEL, LS, PS) that a reader would fold inside quotes: written as escapes.
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
INDENT = "  "


def scalar(value: Any) -> str:
    """One value as YAML text that reads back as the same value and type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a number a case holds")
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _YAML11_WORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _flat(value: Any) -> bool:
    """A mapping of a few scalars: written on one line, as the cases write a document entry."""
    return isinstance(value, dict) and bool(value) and not any(isinstance(v, dict | list) for v in value.values())


def block(value: Any, depth: int = 0) -> list[str]:
    """The lines of a mapping or a list at `depth`; a list's flat mappings inline (`- {id: passport}`)."""
    pad = INDENT * depth
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines += _entry(f"{pad}{scalar(key)}:", item, depth)
    else:
        for item in value:
            if _flat(item):
                inner = ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in item.items())
                lines.append(f"{pad}- {{{inner}}}")
            else:
                lines += _entry(f"{pad}-", item, depth)
    return lines


def _entry(head: str, item: Any, depth: int) -> list[str]:
    if isinstance(item, dict | list) and not item:
        return [f"{head} {'{}' if isinstance(item, dict) else '[]'}"]
    if isinstance(item, dict | list):
        return [head, *block(item, depth + 1)]
    return [f"{head} {scalar(item)}"]


def case_data(case: Case) -> dict[str, Any]:
    """The case as plain data in the model's order, leaving out what is empty or unset (a fact given as
    null is not stated: it is left out)."""
    data = case.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
    data.pop("$schema", None)  # the comment line names the schema
    if "facts" in data:
        data["facts"] = {k: v for k, v in data["facts"].items() if v is not None}
    return {k: v for k, v in data.items() if v not in ({}, [])}


def plain(value: Any) -> Any:
    """Plain data as JSON holds it, dates and times written as in the YAML file (2013-05-06T11:30)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return scalar(value)
    return value


def case_yaml(case: Case) -> str:
    """The case file's text: the schema line, then the case, one key a line (UTF-8, `\\n` line ends)."""
    return "\n".join([SCHEMA_LINE, *block(case_data(case))]) + "\n"


__all__ = ["SCHEMA_LINE", "case_data", "case_yaml", "plain", "scalar"]
