"""The jobs users run — check, review, lint, test — as library calls the CLI and the service share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.decision.case import Case
from validator.decision.engine import Mode, evaluate
from validator.decision.load import MediaKind, check_case, load_case_text
from validator.decision.load import load_case as load_case  # re-exported
from validator.decision.model import Decision
from validator.errors import InputError, InputErrors
from validator.rules.compiler import CompiledRules
from validator.rules.ruleset import RuleSet as RuleSet  # re-exported
from validator.rules.ruleset import default_rules_dir as default_rules_dir  # re-exported
from validator.rules.ruleset import display_path as _display
from validator.rules.ruleset import rule_files as rule_files  # re-exported
from validator.rules.yamlload import Loaded

# The case loader is `validator.decision.load` (one loader for every surface) and the rule files are
# `validator.rules.ruleset`; the names below are kept for the callers of this module.


def parse_case(loaded: Loaded, rules: RuleSet) -> tuple[Case, CompiledRules]:
    """Check a read case against the case schema and its standard's rules (`decision.load.check_case`)."""
    return check_case(loaded, rules)


def case_from_text(
    text: str, rules: RuleSet, name: str = "<request>", kind: MediaKind = "yaml"
) -> tuple[Case, CompiledRules]:
    """A case given as text, read as `kind` (YAML by default: JSON is YAML) by the case loader."""
    return load_case_text(text, kind, rules, name)


def run(path: Path, rules: RuleSet, mode: Mode) -> tuple[Decision, CompiledRules]:
    """Load the case at `path` and decide it; the compiled rules come back for rendering."""
    case, compiled = load_case(path, rules)
    return evaluate(compiled, case, mode), compiled


@dataclass
class CaseTestResult:
    file: str
    mode: str
    ok: bool
    problems: list[str]
    decision: Decision | None = None


def run_expectations(path: Path, rules: RuleSet) -> list[CaseTestResult]:
    """Run an example case's `expect` blocks; each mismatch is a problem."""
    case, compiled = load_case(path, rules)
    results = []
    if not case.expect:
        return [CaseTestResult(_display(path), "-", False, ["no `expect:` block"])]
    for mode, exp in sorted(case.expect.items()):
        decision = evaluate(compiled, case, mode)
        problems: list[str] = []
        if decision.verdict != exp.verdict:
            problems.append(f"verdict {decision.verdict!r}, expected {exp.verdict!r}")
        # A finding is expected by its primary citation (the rule broken).
        got = [
            (f.code, f.citations[0].unit if f.citations else None, f.subject.id, f.severity) for f in decision.findings
        ]
        for want in exp.findings:
            if not any(
                code == want.code
                and (want.cite is None or cite == want.cite)
                and (want.subject is None or subj == want.subject)
                for code, cite, subj, _ in got
            ):
                problems.append(f"missing finding {want.code} cite={want.cite} subject={want.subject}")
        if exp.exhaustive:
            for code, cite, subj, sev in got:
                if sev == "info":
                    continue
                if not any(
                    w.code == code and (w.cite is None or w.cite == cite) and (w.subject is None or w.subject == subj)
                    for w in exp.findings
                ):
                    problems.append(f"unexpected {sev} finding {code} cite={cite} subject={subj}")
        results.append(CaseTestResult(_display(path), mode, not problems, problems, decision))
    return results


def case_files(paths: list[Path] | None) -> list[Path]:
    """The case files named, or every case of the cases folder in use ($EREJE_CASES, ./cases, the checkout's)."""
    if not paths:
        from validator.law.origin import locate

        origin = locate("cases")
        if not origin.path.is_dir():
            # No cases/ here and none bundled (a wheel carries the law and the rules, not examples).
            where = "$EREJE_CASES" if origin.label == "env" else "the working directory"
            raise InputError("cases", None, f"no cases/ folder in {where}; name the case files or folders to test")
        paths = [origin.path]
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(p.rglob("*.yaml"))
        else:
            out.append(p)
    return out


def as_json_problems(err: InputErrors | InputError) -> list[dict[str, Any]]:
    return [p.to_json() for p in err.problems]
