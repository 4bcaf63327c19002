"""The jobs users run — check, review, lint, test — as library calls the CLI and the service share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic

from validator.decision.case import Case
from validator.decision.engine import Mode, evaluate, validate_case
from validator.decision.report import Report
from validator.errors import InputError, InputErrors, Problem, did_you_mean
from validator.rules.compiler import CASE_SCHEMA, CompiledRules, load_rules, pydantic_problems, schema_problems
from validator.rules.yamlload import Loaded, load_yaml, load_yaml_text

ROOT = Path(__file__).resolve().parents[2]


def default_rules_dir() -> Path:
    import os

    return Path(os.environ.get("EREJE_RULES", ROOT / "rules"))


def rule_files(paths: list[Path] | None = None) -> list[Path]:
    """Rule files named, or every `rules/*.yaml` (shared vocabularies in `rules/_shared/` excluded)."""
    if not paths:
        paths = [default_rules_dir()]
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.glob("*.yaml") if not q.name.startswith("_"))
        else:
            out.append(p)
    return out


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class RuleSet:
    """The rule files, by standard slug (the file name), compiled on first use or all at once."""

    files: dict[str, Path] = field(default_factory=dict)
    by_slug: dict[str, CompiledRules] = field(default_factory=dict)
    standards_root: Path | None = None

    @classmethod
    def lazy(cls, paths: list[Path] | None = None, standards_root: Path | None = None) -> RuleSet:
        """Find the rule files; compile each only when a case needs it (a broken file affects only its cases)."""
        return cls({p.stem: p for p in rule_files(paths)}, {}, standards_root)

    @classmethod
    def load(cls, paths: list[Path] | None = None, standards_root: Path | None = None) -> RuleSet:
        """Compile every rule file now; raise every problem of every file."""
        rs = cls.lazy(paths, standards_root)
        problems: list[Problem] = []
        for slug in sorted(rs.files):
            try:
                rs._compile(slug)
            except (InputErrors, InputError) as e:
                problems += e.problems
        if problems:
            raise InputErrors(problems)
        return rs

    def _compile(self, slug: str) -> CompiledRules:
        path = self.files[slug]
        compiled = load_rules(path, self.standards_root, _display(path))
        if compiled.rules.standard != slug:
            raise InputErrors(
                [
                    Problem(
                        _display(path),
                        None,
                        f"the file encodes {compiled.rules.standard!r}; name it {compiled.rules.standard}.yaml",
                        ("standard",),
                        "file-name",
                    )
                ]
            )
        self.by_slug[slug] = compiled
        return compiled

    def get(self, slug: str, file: str, line: int | None) -> CompiledRules:
        if slug in self.by_slug:
            return self.by_slug[slug]
        if slug not in self.files:
            known = set(self.files) | set(self.by_slug)
            raise InputErrors(
                [
                    Problem(
                        file,
                        line,
                        f"no rules for standard {slug!r}{did_you_mean(slug, known)}",
                        ("standard",),
                        "unknown-standard",
                    )
                ]
            )
        return self._compile(slug)


def parse_case(loaded: Loaded, rules: RuleSet) -> tuple[Case, CompiledRules]:
    """Check a loaded case against the case schema and its standard's rules."""
    try:
        case = Case.model_validate(loaded.data)
    except pydantic.ValidationError as e:
        # The published schema is generated from the same model, so it rejects exactly what the model
        # rejects; it is consulted only to word the errors (every one, with its path and line).
        raise InputErrors(schema_problems(loaded, CASE_SCHEMA) or pydantic_problems(loaded, e)) from None
    compiled = rules.get(case.standard, loaded.file, loaded.line_of(("standard",)))
    validate_case(case, compiled, loaded.file, loaded.lines)
    if case.id is None:
        case = case.model_copy(update={"id": Path(loaded.file).stem})
    return case, compiled


def load_case(path: Path, rules: RuleSet) -> tuple[Case, CompiledRules]:
    return parse_case(load_yaml(path, _display(path)), rules)


def case_from_text(text: str, rules: RuleSet, name: str = "<request>") -> tuple[Case, CompiledRules]:
    """A case given as JSON or YAML text (JSON is YAML), e.g. an HTTP request body."""
    return parse_case(load_yaml_text(text, name), rules)


def run(path: Path, rules: RuleSet, mode: Mode) -> Report:
    case, compiled = load_case(path, rules)
    return evaluate(compiled, case, mode)


def report_json(report: Report) -> str:
    """The stable JSON form of a report: keys in the order of the report model (documented in
    validator/report.py), UTF-8, no clock. pydantic's serializer writes it ~7x faster than json.dumps."""
    return report.model_dump_json(indent=2)


@dataclass
class CaseTestResult:
    file: str
    mode: str
    ok: bool
    problems: list[str]
    report: Report | None = None


def run_expectations(path: Path, rules: RuleSet) -> list[CaseTestResult]:
    """Run an example case's `expect` blocks; each mismatch is a problem."""
    case, compiled = load_case(path, rules)
    results = []
    if not case.expect:
        return [CaseTestResult(_display(path), "-", False, ["no `expect:` block"])]
    for mode, exp in sorted(case.expect.items()):
        report = evaluate(compiled, case, mode)
        problems: list[str] = []
        if report.verdict != exp.verdict:
            problems.append(f"verdict {report.verdict!r}, expected {exp.verdict!r}")
        got = [(f.code, f.citation.unit if f.citation else None, f.subject.id, f.severity) for f in report.findings]
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
        results.append(CaseTestResult(_display(path), mode, not problems, problems, report))
    return results


def case_files(paths: list[Path] | None) -> list[Path]:
    if not paths:
        paths = [ROOT / "cases"]
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(p.rglob("*.yaml"))
        else:
            out.append(p)
    return out


def as_json_problems(err: InputErrors | InputError) -> list[dict[str, Any]]:
    return [p.to_json() for p in err.problems]
