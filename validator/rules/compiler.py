"""Load and compile a rule file: YAML → schema → model → citations, quotes, references, conditions.

Stages, each collecting every problem it finds (so an author sees all of them in one run):
1. `load`      safe YAML with positions (validator.rules.yamlload);
2. `schema`    the published JSON Schema (validator/schemas/rule-file.schema.json);
3. `model`     the pydantic models (validator.rules.model), shared vocabularies merged in;
4. `resolve`   every `cite` is a unit of the standard and every `quote` is found in it;
5. `refs`      unique ids; channels, documents, terms named anywhere exist;
6. `types`     conditions read only declared facts, with values of the declared type.
The result, `CompiledRules`, is immutable and reused for every case.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pydantic

from validator.rules import conditions
from validator.law.citation import CitationError, parse_citation
from validator.errors import InputErrors, Problem, did_you_mean, json_path
from validator.rules.model import (
    Cited,
    Fact,
    MissingTest,
    RequiredDocument,
    RuleFile,
    SharedDocument,
    SharedVocabulary,
    Text,
)
from validator.law.standard import Standard, load_standard
from validator.rules.yamlload import JsonPath, Loaded, load_yaml

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
RULE_SCHEMA = "rule-file.schema.json"
CASE_SCHEMA = "case.schema.json"
SHARED_SCHEMA = "shared.schema.json"


@functools.lru_cache(maxsize=8)
def published_schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return data


@functools.lru_cache(maxsize=8)
def _validator(schema_name: str) -> Any:
    return jsonschema.Draft202012Validator(published_schema(schema_name))


def schema_problems(loaded: Loaded, schema_name: str) -> list[Problem]:
    """Every JSON Schema error of a loaded document, each with its line."""
    validator = _validator(schema_name)
    out: list[Problem] = []
    for err in validator.iter_errors(loaded.data):
        best = jsonschema.exceptions.best_match([err]) if err.context else err
        while best.context:
            best = jsonschema.exceptions.best_match(best.context)
        path = tuple(best.absolute_path)
        msg = best.message
        line = loaded.line_of(path)
        if best.validator == "additionalProperties":
            extra = [k for k in (best.instance or {}) if k not in (best.schema.get("properties") or {})]
            known = list((best.schema.get("properties") or {}).keys())
            if extra:
                msg = f"unknown key {extra[0]!r}{did_you_mean(extra[0], known)}; allowed: {', '.join(known)}"
                line = loaded.line_of((*path, extra[0]))
        elif best.validator == "pattern" and isinstance(best.instance, str):
            msg += _non_latin_hint(best.instance)
        out.append(Problem(loaded.file, line, msg, path, "schema"))
    return out


def _non_latin_hint(value: str) -> str:
    """Ids are Latin; a Cyrillic look-alike typed by a Kazakh keyboard is the usual culprit."""
    import unicodedata

    for i, ch in enumerate(value):
        if ord(ch) > 127:
            name = unicodedata.name(ch, "?")
            name = unicodedata.name(ch, "?")
            return f"; it contains the non-Latin letter {ch!r} (U+{ord(ch):04X} {name}) at position {i}"
    return ""


def pydantic_problems(loaded: Loaded, err: pydantic.ValidationError) -> list[Problem]:
    out = []
    for e in err.errors():
        path: JsonPath = tuple(p for p in e["loc"] if isinstance(p, str | int))
        # pydantic puts union member names in loc; keep only what exists in the document.
        clean: list[str | int] = []
        node: Any = loaded.data
        for p in path:
            if isinstance(node, dict) and p in node:
                clean.append(p)
                node = node[p]
            elif isinstance(node, list) and isinstance(p, int) and p < len(node):
                clean.append(p)
                node = node[p]
        out.append(Problem(loaded.file, loaded.line_of(tuple(clean)), e["msg"], tuple(clean), "model"))
    return out


@dataclass(frozen=True)
class Located:
    """Where an item of the rule file is: its JSON path and line."""

    path: str
    line: int | None


@dataclass
class CompiledRules:
    """A rule file checked against its standard and ready to evaluate cases."""

    file: str
    sha256: str
    rules: RuleFile
    standard: Standard
    facts: dict[str, Fact]
    documents: dict[str, RequiredDocument]
    document_names: dict[str, Text]
    aliases: dict[str, str]  # a handed-in id (alternative) → the first requirement it satisfies
    satisfies: dict[str, set[str]]  # a handed-in id → every requirement it satisfies
    where: dict[tuple[str, str], Located]  # (section, id) → location in the rule file
    standard_sha256: str = ""
    cache: dict[Any, Any] = field(default_factory=dict)  # derived, case-independent values (citations)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (cite, id, text)

    def locate(self, section: str, item_id: str) -> Located:
        return self.where.get((section, item_id), Located("$", None))


def standard_file_sha256(slug: str, root: Path | None) -> str:
    from validator.law.standard import standards_root as _root

    return _sha256(_root(root) / slug / "standard.json")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def iter_cited(rules: RuleFile) -> Iterator[tuple[JsonPath, Cited]]:
    for i, ch in enumerate(rules.channels):
        yield ("channels", i), ch
    for i, r in enumerate(rules.eligibility):
        yield ("eligibility", i), r
    for i, d in enumerate(rules.documents):
        yield ("documents", i), d
    if rules.documents_closed:
        yield ("documents_closed",), rules.documents_closed
    if rules.refusals.closed_basis:
        yield ("refusals", "closed_basis"), rules.refusals.closed_basis
    for i, g in enumerate(rules.refusals.grounds):
        yield ("refusals", "grounds", i), g
    for i, t in enumerate(rules.terms):
        yield ("terms", i), t
    yield ("fee",), rules.fee
    for i, s in enumerate(rules.schedules):
        yield ("schedules", i), s
    for i, n in enumerate(rules.notes):
        yield ("notes", i), n


@functools.lru_cache(maxsize=64)
def _load_shared_cached(path: Path, display: str, mtime_ns: int) -> Loaded:
    return load_yaml(path, display)


def _load_shared(path: Path, display: str) -> Loaded:
    """A shared vocabulary, read once per version of the file (many rule files use the same one)."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return load_yaml(path, display)  # raises the usual 'no such file'
    return _load_shared_cached(path, display, mtime)


def load_rules(path: Path, standards_root: Path | None = None, display: str | None = None) -> CompiledRules:
    """Load, check and compile one rule file. Raises InputErrors listing every problem."""
    name = display or str(path)
    loaded = load_yaml(path, name)
    try:
        # The strict model accepts no more than the published schema (it is generated from it), so the
        # schema is run only to word the errors of a file the model rejects: every error, with its line.
        rules = RuleFile.model_validate(loaded.data)
    except pydantic.ValidationError as e:
        raise InputErrors(schema_problems(loaded, RULE_SCHEMA) or pydantic_problems(loaded, e)) from None

    def at(p: JsonPath) -> int | None:
        return loaded.line_of(p)

    try:
        standard = load_standard(rules.standard, standards_root)
    except FileNotFoundError:
        from validator.law.standard import list_slugs

        raise InputErrors(
            [
                Problem(
                    name,
                    at(("standard",)),
                    f"unknown standard {rules.standard!r}{did_you_mean(rules.standard, list_slugs(standards_root))}",
                    ("standard",),
                    "unknown-standard",
                )
            ]
        ) from None

    problems = []

    # shared vocabularies
    facts: dict[str, Fact] = {}
    shared_docs: dict[str, SharedDocument] = {}
    for i, use in enumerate(rules.uses):
        shared_path = (path.parent / use).resolve()
        try:
            shared_loaded = _load_shared(shared_path, use)
            vocab = SharedVocabulary.model_validate(shared_loaded.data)
        except InputErrors as e:
            problems += e.problems
            continue
        except pydantic.ValidationError as e:
            problems += schema_problems(shared_loaded, SHARED_SCHEMA) or pydantic_problems(shared_loaded, e)
            continue
        except Exception as e:  # an InputError from load_yaml
            problems.append(Problem(name, at(("uses", i)), str(e), ("uses", i), "shared"))
            continue
        for f in vocab.facts:
            facts[f.id] = f
        for sd in vocab.documents:
            shared_docs[sd.id] = sd

    # unique ids per section
    where: dict[tuple[str, str], Located] = {}

    def register(section: str, item_id: str, p: JsonPath) -> None:
        if (section, item_id) in where:
            first = where[(section, item_id)]
            problems.append(
                Problem(
                    name, at(p), f"duplicate {section} id {item_id!r} (first at line {first.line})", p, "duplicate-id"
                )
            )
        else:
            where[(section, item_id)] = Located(json_path(p), at(p))

    for i, f in enumerate(rules.facts):
        if f.id in facts:
            problems.append(
                Problem(
                    name,
                    at(("facts", i)),
                    f"fact {f.id!r} is also in a shared vocabulary",
                    ("facts", i),
                    "duplicate-id",
                )
            )
        facts[f.id] = f
        register("fact", f.id, ("facts", i))
    for i, c in enumerate(rules.channels):
        register("channel", c.id, ("channels", i))
    for i, r in enumerate(rules.eligibility):
        register("eligibility", r.id, ("eligibility", i))
    documents: dict[str, RequiredDocument] = {}
    names: dict[str, Text] = {}
    aliases: dict[str, str] = {}
    satisfies: dict[str, set[str]] = {}
    for i, doc in enumerate(rules.documents):
        d = doc
        register("document", d.id, ("documents", i))
        shared = shared_docs.get(d.id)
        name_ = d.name or (shared.name if shared else None)
        if name_ is None:
            problems.append(
                Problem(
                    name,
                    at(("documents", i)),
                    f"document {d.id!r} has no `name` and no shared vocabulary names it",
                    ("documents", i),
                    "missing-name",
                )
            )
            name_ = Text(kk=d.id, ru=d.id, en=d.id)
        alts = list(d.alternatives) or (list(shared.alternatives) if shared else [])
        if alts and not d.alternatives:
            d = d.model_copy(update={"alternatives": alts})
        documents[d.id] = d
        names[d.id] = name_
        aliases[d.id] = d.id
        satisfies.setdefault(d.id, set()).add(d.id)
        for a in alts:
            # One alternative may satisfy several items (e.g. the branch and centre twins of a document).
            satisfies.setdefault(a.id, set()).add(d.id)
            aliases.setdefault(a.id, d.id)
            names.setdefault(a.id, a.name)
    for i, g in enumerate(rules.refusals.grounds):
        register("ground", g.id, ("refusals", "grounds", i))
    for i, t in enumerate(rules.terms):
        register("term", t.id, ("terms", i))
    for i, n in enumerate(rules.notes):
        register("note", n.id, ("notes", i))
    where[("fee", "fee")] = Located("$.fee", at(("fee",)))
    where[("in_force", "in_force")] = Located("$.in_force", at(("in_force",)))

    # citations and quotes
    for p, item in iter_cited(rules):
        try:
            cit = parse_citation(item.cite)
        except CitationError as e:
            problems.append(Problem(name, at((*p, "cite")), str(e), (*p, "cite"), "bad-citation"))
            continue
        if standard.unit(cit.unit) is None:
            ids = [u.id for u in standard.units]
            problems.append(
                Problem(
                    name,
                    at((*p, "cite")),
                    f"{item.cite!r} is not a unit of {standard.slug}{did_you_mean(cit.unit, ids)}",
                    (*p, "cite"),
                    "unresolved-citation",
                )
            )
            continue
        if not standard.contains_quote(cit.unit, item.quote):
            problems.append(
                Problem(
                    name,
                    at((*p, "quote")),
                    f"quote not found in {cit.unit} ({cit.kazakh()}): {item.quote!r}; "
                    f"the unit reads: {standard.full_text(cit.unit)[:160]!r}",
                    (*p, "quote"),
                    "quote-not-found",
                )
            )
    for i, ex in enumerate(rules.excluded):
        try:
            cit = parse_citation(ex.cite)
        except CitationError as e:
            problems.append(Problem(name, at(("excluded", i)), str(e), ("excluded", i), "bad-citation"))
            continue
        if standard.unit(cit.unit) is None:
            problems.append(
                Problem(
                    name,
                    at(("excluded", i)),
                    f"{ex.cite!r} is not a unit of {standard.slug}",
                    ("excluded", i),
                    "unresolved-citation",
                )
            )

    # references
    channel_ids = {c.id for c in rules.channels}
    doc_ids = set(aliases)
    term_ids = {t.id for t in rules.terms}

    def check_channels(chs: list[str] | None, p: JsonPath) -> None:
        for ch in chs or []:
            if ch not in channel_ids:
                problems.append(
                    Problem(
                        name, at(p), f"unknown channel {ch!r}{did_you_mean(ch, channel_ids)}", p, "unknown-reference"
                    )
                )

    def check_cond(cond: Any, p: JsonPath) -> None:
        if cond is None:
            return
        for msg in conditions.check(cond, facts, channel_ids, doc_ids):
            problems.append(Problem(name, at(p), msg, p, "condition"))

    for i, rd in enumerate(rules.documents):
        check_channels(rd.channels, ("documents", i, "channels"))
        check_cond(rd.when, ("documents", i, "when"))
        if rd.when is not None and any(isinstance(c, MissingTest) for c in conditions.walk(rd.when)):
            # Whether documents are missing depends on which documents are required: circular.
            problems.append(
                Problem(
                    name,
                    at(("documents", i, "when")),
                    "a document's condition cannot test documents_missing (it would depend on itself)",
                    ("documents", i, "when"),
                    "condition",
                )
            )
    for i, r in enumerate(rules.eligibility):
        check_cond(r.require, ("eligibility", i, "require"))
    for i, g in enumerate(rules.refusals.grounds):
        check_cond(g.when, ("refusals", "grounds", i, "when"))
    for i, t in enumerate(rules.terms):
        check_channels(t.channels, ("terms", i, "channels"))
        check_cond(t.when, ("terms", i, "when"))
        if t.start_fallback and t.start_fallback not in term_ids:
            problems.append(
                Problem(
                    name,
                    at(("terms", i)),
                    f"unknown term {t.start_fallback!r}{did_you_mean(t.start_fallback, term_ids)}",
                    ("terms", i),
                    "unknown-reference",
                )
            )
    for i, s in enumerate(rules.schedules):
        check_channels([s.channel], ("schedules", i, "channel"))
    check_channels(rules.fee.channels, ("fee", "channels"))
    if rules.fee.proof_document and rules.fee.proof_document not in documents:
        problems.append(
            Problem(
                name,
                at(("fee",)),
                f"unknown document {rules.fee.proof_document!r}{did_you_mean(rules.fee.proof_document, documents)}",
                ("fee",),
                "unknown-reference",
            )
        )

    # the period in force must lie within what the standard's metadata allows
    if standard.in_force_from and rules.in_force.start < standard.in_force_from:
        problems.append(
            Problem(
                name,
                at(("in_force",)),
                f"in_force.from {rules.in_force.start} is before the standard's {standard.in_force_from}",
                ("in_force",),
                "in-force",
            )
        )
    if standard.in_force_to and rules.in_force.end > standard.in_force_to:
        problems.append(
            Problem(
                name,
                at(("in_force",)),
                f"in_force.to {rules.in_force.end} is after the standard's {standard.in_force_to}",
                ("in_force",),
                "in-force",
            )
        )

    if problems:
        raise InputErrors(problems)
    notes = [(n.cite, n.id, n.text) for n in rules.notes]
    for p, item in iter_cited(rules):
        note = getattr(item, "note", None)
        if note:
            notes.append((item.cite, json_path(p), note))
    return CompiledRules(
        file=name,
        sha256=_sha256(path),
        rules=rules,
        standard=standard,
        facts=facts,
        documents=documents,
        document_names=names,
        aliases=aliases,
        satisfies=satisfies,
        where=where,
        standard_sha256=standard_file_sha256(rules.standard, standards_root),
        notes=notes,
    )
