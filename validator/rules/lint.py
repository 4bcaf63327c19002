"""Lint for CI of a rules repository: schema, ids, citations, quotes, references, and coverage.

Coverage asks, for the paragraphs that list documents and refusal grounds, whether every numbered
subparagraph has a rule or a listed exclusion (with its reason). A paragraph of the procedure
section that speaks of refusal («бас тарт…») must be cited by a ground or excluded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from validator.errors import InputError, InputErrors, Problem
from validator.law.citation import parse_citation
from validator.law.standard import Standard
from validator.law.text import match_key
from validator.rules.compiler import CompiledRules
from validator.rules.ruleset import RuleSet, rule_files

KINDS = ("eligibility", "documents", "refusals", "terms", "fee")


@dataclass
class Coverage:
    standard: str
    file: str
    cited: dict[str, list[str]]  # kind → paragraphs cited
    documents_total: int = 0
    documents_covered: int = 0
    grounds_total: int = 0
    grounds_covered: int = 0
    uncovered: list[str] = field(default_factory=list)  # "documents:11.4"
    excluded: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def percent(self) -> float:
        total = self.documents_total + self.grounds_total
        return 100.0 if total == 0 else round(100 * (self.documents_covered + self.grounds_covered) / total, 1)


@dataclass
class LintResult:
    problems: list[Problem]
    coverage: list[Coverage]

    @property
    def ok(self) -> bool:
        return not self.problems and all(not c.uncovered for c in self.coverage)


def _numbered_descendants(std: Standard, unit_id: str) -> list[str]:
    out = []
    for child in std.children(unit_id):
        if child.kind in ("subparagraph", "item"):
            out.append(child.id)
        out += _numbered_descendants(std, child.id)
    return out


def _units_quoted(std: Standard, items: list[tuple[str, str]]) -> set[str]:
    """The units a rule covers: the one it cites, and the parts of it where its quote actually stands
    (a rule citing "11" with a quote from an unnumbered item of §11 covers that item)."""
    out: set[str] = set()
    for cite, quote in items:
        unit = parse_citation(cite).unit
        out.add(unit)
        for child in std.children(unit):
            if child.kind == "part" and std.contains_quote(child.id, quote):
                out.add(child.id)
    return out


def _covered(unit: str, cited: set[str], excluded: set[str]) -> bool:
    def under(a: str, b: str) -> bool:  # a is b or inside b
        return a == b or a.startswith(b + ".")

    return any(under(c, unit) or (under(unit, c) and c != unit.split(".")[0]) for c in cited) or any(
        under(unit, e) for e in excluded
    )


def coverage_of(compiled: CompiledRules) -> Coverage:
    rules, std = compiled.rules, compiled.standard
    units = {
        "eligibility": [r.cite for r in rules.eligibility],
        "documents": [d.cite for d in rules.documents],
        "refusals": [g.cite for g in rules.refusals.grounds],
        "terms": [t.cite for t in rules.terms],
        "fee": [rules.fee.cite],
    }
    cited = {
        k: sorted({parse_citation(c).unit.split(".")[0] for c in v}, key=lambda x: (len(x), x))
        for k, v in units.items()
    }
    excluded = {parse_citation(e.cite).unit for e in rules.excluded}
    cov = Coverage(
        std.slug, compiled.file, cited, excluded=[(e.cite, e.reason) for e in rules.excluded], notes=compiled.notes
    )
    for kind, total_attr, covered_attr in (
        ("documents", "documents_total", "documents_covered"),
        ("refusals", "grounds_total", "grounds_covered"),
    ):
        items_of_kind = rules.documents if kind == "documents" else rules.refusals.grounds
        cited_units = _units_quoted(std, [(i.cite, i.quote) for i in items_of_kind])
        for para in cited[kind]:
            items = _numbered_descendants(std, para)
            if not items:
                # A list printed without numbers: its unnumbered parts are the items (headings and
                # procedural sentences among them are listed under `excluded` with the reason).
                items = [c.id for c in std.children(para) if c.kind == "part"]
            for sub in items:
                setattr(cov, total_attr, getattr(cov, total_attr) + 1)
                if _covered(sub, cited_units, excluded):
                    setattr(cov, covered_attr, getattr(cov, covered_attr) + 1)
                else:
                    cov.uncovered.append(f"{kind}:{sub}")
    # the procedure section's refusal paragraph must be cited or excluded
    for para_unit in std.paragraphs():
        if para_unit.section != "section-2":
            continue
        key = match_key(std.full_text(para_unit.id))
        speaks_of_refusal = "бас тарт" in key or "бастарт" in key
        if speaks_of_refusal and para_unit.id not in cited["refusals"] and para_unit.id not in excluded:
            cov.uncovered.append(f"refusals:{para_unit.id}")
    return cov


def lint(paths: list[Path] | None = None, standards_root: Path | None = None) -> LintResult:
    files = rule_files(paths)
    problems: list[Problem] = []
    coverage: list[Coverage] = []
    if not files:
        problems.append(Problem(str(paths[0]) if paths else "rules/", None, "no rule files found", (), "no-rules"))
    for path in files:
        try:
            rs = RuleSet.load([path], standards_root)
        except (InputErrors, InputError) as e:
            problems += e.problems
            continue
        for compiled in rs.by_slug.values():  # one file, compiled
            coverage.append(coverage_of(compiled))
    return LintResult(problems, coverage)


__all__ = ["Coverage", "LintResult", "coverage_of", "lint", "rule_files"]
