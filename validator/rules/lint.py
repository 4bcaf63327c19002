"""Lint for CI of a rules repository: schema, ids, citations, quotes, references, and coverage.

Coverage asks, for the paragraphs that list documents and refusal grounds, whether every numbered
subparagraph has a rule or a listed exclusion (with its reason). A paragraph of the procedure
section that speaks of refusal («бас тарт…») must be cited by a ground or excluded.

With `since` (``ereje lint --since OLD``), the standards the rules were last read against, lint also
names every rule item to re-read because the law changed under it (`ReRead`): see `rereads_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pydantic

from validator.errors import InputError, InputErrors, Problem, json_path
from validator.law.citation import CitationError, parse_citation
from validator.law.diff import Diff, Side, StandardDiff, UnitChange, diff_standards, read_standards
from validator.law.standard import Standard, list_slugs, load_standard
from validator.law.text import match_key
from validator.rules.compiler import CompiledRules, iter_cited
from validator.rules.model import Cited, RuleFile
from validator.rules.ruleset import RuleSet, display_path, rule_files
from validator.rules.yamlload import JsonPath, Loaded, load_yaml

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


@dataclass(frozen=True)
class ReRead:
    """A rule item to re-read: the unit it cites (or a unit inside it) changed since the old standards.

    `cite` is the item's citation as written; `change` is what became of that unit (``reworded``,
    ``moved``, ``removed``, or None when only units inside it changed), `now` its id in the current
    text. `within` are the changes inside the unit (see `StandardDiff.within`). `problems` are the
    lint problems of this item that the change explains (its quote no longer found, its citation no
    longer a unit): they are reported here, as lint failures, and not as a broken rule file.
    """

    file: str
    line: int | None
    path: JsonPath
    cite: str
    change: str | None
    now: str | None
    within: tuple[UnitChange, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def where(self) -> str:
        """The item's place in the rule file: ``documents[2]``, ``refusals.grounds[0]``, ``fee``."""
        return json_path(self.path).removeprefix("$").removeprefix(".")

    @property
    def reason(self) -> str:
        """Why to re-read: ``cites 11.2, reworded by the new text`` or ``cites 11.2, which is now 11.3``."""
        own = {
            "reworded": "reworded by the new text" + (f" and now {self.now}" if self.now != self.cite_unit else ""),
            "moved": f"which is now {self.now}",
            "removed": "removed by the new text",
        }.get(self.change or "", "")
        text = f"cites {self.cite}" + (f", {own}" if own else "")
        if self.within:
            inside = ", ".join(_inner(c) for c in self.within)
            text += f"; within it, by the new text: {inside}"
        if self.problems:
            text += " [" + ", ".join(p.code for p in self.problems) + "]"
        return text

    @property
    def cite_unit(self) -> str:
        return parse_citation(self.cite).unit

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: re-read: {self.where} {self.reason}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "path": json_path(self.path),
            "cite": self.cite,
            "change": self.change,
            "now": self.now,
            "within": [{"change": c.kind, "old": c.old_id, "new": c.new_id} for c in self.within],
            "problems": [p.to_json() for p in self.problems],
            "message": f"re-read: {self.where} {self.reason}",
        }


def _inner(c: UnitChange) -> str:
    if c.kind == "moved":
        return f"{c.old_id} now {c.new_id}"
    return f"{c.ids} {c.kind}"


@dataclass
class LintResult:
    problems: list[Problem]
    coverage: list[Coverage]
    rereads: list[ReRead] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(not c.uncovered for c in self.coverage) and not self.rereads


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
        "refusals": [g.cite for g in [*rules.refusals.grounds, *rules.refusals.none_for]],
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
        items_of_kind: list[Cited] = (
            list(rules.documents) if kind == "documents" else [*rules.refusals.grounds, *rules.refusals.none_for]
        )
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
    # the recipients paragraph (who may receive the service: «… (бұдан әрі – мемлекеттік қызметті алушы)
    # көрсетіледі») must be cited by an eligibility requirement or excluded with its reason: every
    # restriction of who may apply is a requirement (natural persons only, citizens, age…)
    for para_unit in std.paragraphs():
        if para_unit.section != "section-1":
            continue
        key = match_key(std.full_text(para_unit.id))
        defines_recipient = "бұданәрі" in key.replace(" ", "") and ("алушы" in key or "тұтынушы" in key)
        if not (defines_recipient and "көрсетіледі" in key):
            continue
        if para_unit.id not in cited["eligibility"] and para_unit.id not in excluded:
            cov.uncovered.append(f"eligibility:{para_unit.id}")
    # the procedure section's refusal paragraph must be cited or excluded
    for para_unit in std.paragraphs():
        if para_unit.section != "section-2":
            continue
        key = match_key(std.full_text(para_unit.id))
        speaks_of_refusal = "бас тарт" in key or "бастарт" in key
        if speaks_of_refusal and para_unit.id not in cited["refusals"] and para_unit.id not in excluded:
            cov.uncovered.append(f"refusals:{para_unit.id}")
    return cov


# -- re-reading after the law changed ----------------------------------------------------------

#: Problems of a rule item that a change of the unit it cites explains.
EXPLAINED = ("quote-not-found", "unresolved-citation")


def _side(item: Cited | None, unit: str, old: Standard, new: Standard) -> Side:
    """Which text the item's citation is an id of. The rules were read against the old text, so the
    old one; but an item whose quote is found at that id only in the new text was already brought up
    to date (renumbered by hand) and is read against the new one."""
    quote = item.quote if item is not None else None

    def holds(std: Standard) -> bool:
        return std.unit(unit) is not None and (quote is None or std.contains_quote(unit, quote))

    return "new" if holds(new) and not holds(old) else "old"


def reread_of(item: Cited | None, cite: str, d: StandardDiff) -> tuple[str | None, str | None, list[UnitChange]]:
    """What changed of the unit an item cites: (its own change, its id now, the changes inside it).

    Only the cited unit and its descendants count (a rule quoting a paragraph covers its
    subparagraphs); a change of its parent or of a sibling does not. `item` is None for an exclusion
    (it has no quote). A unit renumbered is `moved` only when the item still cites the old id.
    """
    if d.old is None or d.new is None:
        return None, None, []
    try:
        unit = parse_citation(cite).unit
    except CitationError:
        return None, None, []
    side = _side(item, unit, d.old, d.new)
    own = d.of_old(unit) if side == "old" else d.of_new(unit)
    within = d.within(unit, side)
    now = d.counterpart(unit, side) if side == "old" else unit
    if own is None or (side == "new" and own.kind in ("moved", "added")):
        return None, now, within  # unchanged, or already renumbered: nothing of its own to re-read
    return own.kind, now, within


def _cited_items(rules: RuleFile) -> list[tuple[JsonPath, Cited | None, str]]:
    """Every citation of a rule file: each item of `iter_cited`, and each exclusion (which has no quote)."""
    items: list[tuple[JsonPath, Cited | None, str]] = [(p, item, item.cite) for p, item in iter_cited(rules)]
    items += [(("excluded", i), None, e.cite) for i, e in enumerate(rules.excluded)]
    return items


_SECTIONS = {
    "channels": "channel",
    "eligibility": "eligibility",
    "documents": "document",
    "terms": "term",
    "notes": "note",
}


def _line(p: JsonPath, item: Cited | None, compiled: CompiledRules | None, loaded: Loaded) -> int | None:
    """The item's line: by the compiled rules' `locate` (as lint messages place items), else the YAML's."""
    section = "ground" if p[:2] == ("refusals", "grounds") else "fee" if p == ("fee",) else _SECTIONS.get(str(p[0]))
    item_id = "fee" if p == ("fee",) else getattr(item, "id", None)
    if compiled is not None and section is not None and isinstance(item_id, str):
        located = compiled.locate(section, item_id)
        if located.line is not None:
            return located.line
    return loaded.line_of(p)


def rereads_of(
    path: Path, diff: Diff, compiled: CompiledRules | None, problems: list[Problem]
) -> tuple[list[ReRead], list[Problem]]:
    """The items of one rule file to re-read, and the file's problems that those do not explain.

    The rule file is read again on its own (so items are found even when it does not compile against
    the current text); one whose YAML or shape is broken has nothing to add to its lint problems."""
    display = display_path(path)
    try:
        loaded = load_yaml(path, display)
        rules = compiled.rules if compiled is not None else RuleFile.model_validate(loaded.data)
    except (InputError, InputErrors, pydantic.ValidationError):
        return [], problems
    d = diff.for_slug(rules.standard)
    if d is None or d.old is None or d.new is None:
        return [], problems
    out: list[ReRead] = []
    rest = list(problems)
    for p, item, cite in _cited_items(rules):
        change, now, within = reread_of(item, cite, d)
        if change is None and not within:
            continue
        mine = [q for q in rest if q.path[: len(p)] == p and q.code in EXPLAINED]
        rest = [q for q in rest if q not in mine]
        line = _line(p, item, compiled, loaded)
        out.append(ReRead(display, line, p, cite, change, now, tuple(within), tuple(mine)))
    return out, rest


def _current_standards(standards_root: Path | None) -> list[Standard]:
    out = []
    for slug in list_slugs(standards_root):
        try:
            out.append(load_standard(slug, standards_root))
        except (OSError, ValueError):  # an unreadable one: the rule files citing it say so
            continue
    return out


def lint(paths: list[Path] | None = None, standards_root: Path | None = None, since: Path | None = None) -> LintResult:
    """Lint the rule files `paths` (default: the rules folder) against the standards under `standards_root`
    (default: the standards in use). With `since` (an earlier standards folder, or one standard.json),
    also name the items to re-read (`LintResult.rereads`). Raises `InputError` for an unreadable `since`."""
    diff = diff_standards(read_standards(since), _current_standards(standards_root)) if since is not None else None
    files = rule_files(paths)
    problems: list[Problem] = []
    coverage: list[Coverage] = []
    rereads: list[ReRead] = []
    if not files:
        problems.append(Problem(str(paths[0]) if paths else "rules/", None, "no rule files found", (), "no-rules"))
    for path in files:
        compiled: CompiledRules | None = None
        found: list[Problem] = []
        try:
            rs = RuleSet.load([path], standards_root)
            compiled = next(iter(rs.by_slug.values()), None)
        except (InputErrors, InputError) as e:
            found = list(e.problems)
        if diff is not None:
            more, found = rereads_of(path, diff, compiled, found)
            rereads += more
        problems += found
        if compiled is not None:
            coverage.append(coverage_of(compiled))
    return LintResult(problems, coverage, rereads)


__all__ = ["Coverage", "LintResult", "ReRead", "coverage_of", "lint", "reread_of", "rereads_of", "rule_files"]
