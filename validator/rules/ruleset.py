"""The rule files a run uses, by standard slug: found in a folder, compiled on first use or all at once.

The CLI, the service, batch and the case loader (`validator.decision.load`) share one `RuleSet`; it
lives with the rules, not with the surfaces, so that the loader never imports a surface.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from validator.errors import InputError, InputErrors, Problem, did_you_mean
from validator.law.origin import Origin, locate
from validator.law.standard import standards_origin
from validator.rules.compiler import CompiledRules, load_rules

ROOT = Path(__file__).resolve().parents[2]


def default_rules_dir() -> Path:
    """The rules folder by the precedence of `validator.law.origin`: $EREJE_RULES, ./rules, the checkout's, the bundled."""
    return locate("rules").path


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


def _relative(path: Path, root: Path) -> str:
    """A rule file as a report names it: relative to its rules root (the same on every machine)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def shown_name(name: str) -> str:
    """A file name as text a report can carry: a byte of the name that is not UTF-8 (which Python keeps as
    a lone surrogate) shown as `\\xff`. Such a name in a case id or a problem's file made every report of
    the file an internal error (JSON cannot carry the surrogate); the bytes stay visible, nothing is
    replaced by a guess."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no byte gave: shown as its code
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder where it is inside it (`shown_name`)."""
    try:
        return shown_name(str(path.resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        return shown_name(str(path))


@dataclass
class RuleSet:
    """The rule files, by standard slug (the file name), compiled on first use or all at once."""

    files: dict[str, Path] = field(default_factory=dict)
    by_slug: dict[str, CompiledRules] = field(default_factory=dict)
    standards_root: Path | None = None
    origin: Origin | None = None

    @classmethod
    def lazy(cls, paths: list[Path] | None = None, standards_root: Path | None = None) -> RuleSet:
        """Find the rule files; compile each only when a case needs it (a broken file affects only its cases).

        No `paths`: the rules folder by the usual precedence. A folder named: that folder, whole. Files
        named: those files (their folder is the rules root the report names them against)."""
        if not paths:
            origin = locate("rules")
            if not origin.path.is_dir():
                # A folder the environment names must exist: never "no rules for standard …" instead.
                what = "$EREJE_RULES" if origin.label == "env" else "the rules folder"
                problem = Problem(str(origin.path), None, f"{what} is not a folder of rule files", (), "rules-dir")
                raise InputErrors([problem])
        else:
            first = Path(paths[0])
            origin = Origin("rules", "given", first if first.is_dir() else first.parent)
        files = rule_files(paths or [origin.path])
        return cls({p.stem: p for p in files}, {}, standards_root, origin)

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
        compiled = load_rules(path, self.standards_root, display_path(path))
        origin = self.origin or Origin("rules", "given", path.parent)
        compiled.rule_file = _relative(path, origin.path)
        compiled.rules_origin = origin.describe()
        compiled.standards_origin = standards_origin(self.standards_root).describe()
        if compiled.rules.standard != slug:
            raise InputErrors(
                [
                    Problem(
                        display_path(path),
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
        """The compiled rules of standard `slug`; `file` and `line` place the error when there are none."""
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


__all__ = ["ROOT", "RuleSet", "default_rules_dir", "display_path", "rule_files"]
