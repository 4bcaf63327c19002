"""Ereje (ережe, "rule"): rules-as-code for Kazakhstan's state service standards.

Data flows one way: text → standard (paragraphs) → rules (loaded, checked, compiled) →
evaluation of a case → report (rendered). The public surface, one name per stage:

    from validator import RuleSet, load_case, evaluate, report_json
    rules = RuleSet.lazy()                      # rules/<slug>.yaml, compiled on first use
    case, compiled = load_case(path, rules)     # a case file, checked against its standard
    report = evaluate(compiled, case, "check")  # pure: the report is a value
    print(report_json(report))
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# Imported on first use, so `import validator.<module>` stays cheap (the CLI starts fast).
_PUBLIC = {
    "Standard": "validator.law.standard",
    "load_standard": "validator.law.standard",
    "Citation": "validator.law.citation",
    "parse_citation": "validator.law.citation",
    "RuleFile": "validator.rules.model",
    "Case": "validator.decision.case",
    "CompiledRules": "validator.rules.compiler",
    "load_rules": "validator.rules.compiler",
    "RuleSet": "validator.surfaces.jobs",
    "load_case": "validator.surfaces.jobs",
    "report_json": "validator.surfaces.jobs",
    "evaluate": "validator.decision.engine",
    "Report": "validator.decision.report",
    "Finding": "validator.decision.report",
    "InputError": "validator.errors",
    "InputErrors": "validator.errors",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'validator' has no attribute {name!r}")
