"""Ereje (ережe, "rule"): rules-as-code for Kazakhstan's state service standards.

Data flows one way, one sub-package a stage: the law (`validator.law`: text → standard, paragraph
by paragraph) → rules (`validator.rules`: loaded, checked, compiled) → decision (`validator.decision`:
a case evaluated, no word of any language) → report (`validator.report`: rendered in kk, ru or en) →
surfaces (`validator.surfaces`: CLI, HTTP service and page, batch). The public surface:

    from validator import RuleSet, load_case, evaluate, render
    rules = RuleSet.lazy()                          # rules/<slug>.yaml, compiled on first use
    case, compiled = load_case(path, rules)         # a case file, checked against its standard
    decision = evaluate(compiled, case, "check")    # pure: the decision is a value
    print(render(decision, compiled, "kk", "text"))  # the report, in one language
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
    "RuleSet": "validator.rules.ruleset",
    "load_case": "validator.decision.load",
    "evaluate": "validator.decision.engine",
    "Decision": "validator.decision.model",
    "Finding": "validator.decision.model",
    "render": "validator.report.render",
    "InputError": "validator.errors",
    "InputErrors": "validator.errors",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'validator' has no attribute {name!r}")
