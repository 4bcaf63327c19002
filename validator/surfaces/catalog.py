"""The catalogue of standards: what is in `standards/`, and which have rules and how much they cover."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from validator.law.standard import list_slugs, load_standard
from validator.rules.ruleset import default_rules_dir


def standards_table(rules_dir: Path | None = None, ruleset: Any = None) -> list[dict[str, Any]]:
    """One row per standard; `ruleset` (already compiled) saves compiling the rule files again."""
    from validator.errors import InputError, InputErrors
    from validator.rules.lint import coverage_of
    from validator.rules.ruleset import RuleSet

    rules_dir = rules_dir or default_rules_dir()
    rows = []
    for slug in list_slugs():
        std = load_standard(slug)
        path = rules_dir / f"{slug}.yaml"
        row: dict[str, Any] = {
            "slug": slug,
            "title_kk": std.title_kk,
            "title_en": std.title_en,
            "title": None,  # the service's name in kk, ru, en, from its rule file (where there is one)
            "in_force_from": std.in_force_from.isoformat() if std.in_force_from else None,
            "in_force_to": std.in_force_to.isoformat() if std.in_force_to else None,
            "paragraphs": len(std.paragraphs()),
            "rules": path.is_file(),
            "coverage": None,
        }
        if path.is_file():
            try:
                source = ruleset if ruleset is not None and slug in ruleset.by_slug else RuleSet.load([path])
                compiled = source.get(slug, str(path), None)
                row["coverage"] = coverage_of(compiled).percent
                row["title"] = compiled.rules.title.model_dump()
            except (InputErrors, InputError):
                row["coverage"] = "invalid"
        rows.append(row)
    return rows


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """The table the README carries (kept current by a test)."""
    out = [
        "| standard | title | in force | § | rules | coverage |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        cov = "-" if r["coverage"] is None else (f"{r['coverage']}%" if r["coverage"] != "invalid" else "invalid")
        out.append(
            f"| `{r['slug']}` | {r['title_en']} | {r['in_force_from']} – {r['in_force_to']} | {r['paragraphs']} "
            f"| {'yes' if r['rules'] else 'no'} | {cov} |"
        )
    return "\n".join(out) + "\n"
