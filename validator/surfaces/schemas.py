"""The published JSON Schemas, generated from the pydantic models and committed.

`ereje schema --write` regenerates them; a test fails when the committed files are stale. Rule files
and cases name them (`$schema` or a `yaml-language-server` comment) so editors can check them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from validator.decision.case import Case
from validator.rules.model import RuleFile, SharedVocabulary

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
BASE = "https://ereje.kz/schemas/"

_MODELS: dict[str, Any] = {
    "rule-file.schema.json": RuleFile,
    "case.schema.json": Case,
    "shared.schema.json": SharedVocabulary,
}


def generate() -> dict[str, str]:
    """Schema file name → its JSON text (stable: sorted keys, trailing newline)."""
    out = {}
    for name, model in _MODELS.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + name, **schema}
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Names of committed schemas that differ from what the models generate."""
    return [
        name
        for name, text in generate().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text
    ]
