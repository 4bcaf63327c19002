"""Load and compile a rule file: YAML → schema → standard → vocabulary → citations, quotes, references, conditions.

`load_rules` runs the named stages of `STAGES` in order over one compilation state; each checks one
thing of the domain and collects every problem it finds (so an author sees all of them in one run):
  parse              safe YAML with positions (validator.rules.yamlload);
  schema             the pydantic models (validator.rules.model), worded by the published JSON Schema
                     (validator/schemas/rule-file.schema.json);
  standard           the standard the file encodes exists;
  shared-vocabulary  the files of `uses` are valid shared vocabularies; their facts and documents merged in;
  facts              the file's own facts, each declared once;
  ids                unique ids per section; where each item is in the file;
  documents          every required document is named; shared alternatives are taken over;
  citations          every `cite` is a unit of the standard;
  quotes             every `quote` is found in the unit its item cites;
  references         channels, terms and documents named outside conditions exist;
  conditions         conditions read only declared facts, with values of the declared type;
  in-force           the period in force lies within the standard's;
  names              the index a review resolves a decision's wording through: every ground's,
                     requirement's and document's id, kk/ru/en name and `aliases`, normalised
                     (`name_key`); an alias is empty, repeated or another item's name, or two grounds
                     share a name: reported.
`parse`, `schema` and `standard` stop the pipeline when they fail: nothing after them can be checked.
The result, `CompiledRules`, is immutable and reused for every case.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import pydantic

from validator.errors import InputErrors, Problem, did_you_mean, json_path
from validator.law.citation import Citation, CitationError, parse_citation
from validator.law.standard import Standard, load_standard
from validator.law.text import match_key, strip_markup
from validator.rules import conditions
from validator.rules.model import (
    HOURS_PATTERN,
    Cited,
    Fact,
    MissingTest,
    RequiredDocument,
    RuleFile,
    SharedDocument,
    SharedVocabulary,
    Text,
)
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
        elif best.validator == "minItems" and path and path[-1] == "channels" and best.instance == []:
            msg = "an empty list of channels means 'on no channel': leave `channels` out for all, or name them"
        elif best.validator == "pattern" and isinstance(best.instance, str):
            if best.schema.get("pattern") == HOURS_PATTERN:
                msg = (
                    f"office hours {best.instance!r} are not HH:MM-HH:MM with hours 00-23 and minutes 00-59 "
                    "(the end may be 24:00)"
                )
            msg += _non_latin_hint(best.instance)
        out.append(Problem(loaded.file, line, msg, path, "schema"))
    return out


def _non_latin_hint(value: str) -> str:
    """Ids are Latin; a Cyrillic look-alike typed by a Kazakh keyboard is the usual culprit."""
    import unicodedata

    for i, ch in enumerate(value):
        if ord(ch) > 127:
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


# --- names: how a decision's wording is matched to the rule file's items ------------------------------

Ref = tuple[str, str]  # (kind, id): ("ground" | "eligibility" | "document", id)
Space = str  # "grounds" (refusal grounds and eligibility requirements) or "documents" (and alternatives)


_PLAIN_ID = re.compile(r"[a-z][a-z0-9_-]*")


def name_key(text: str) -> str:
    """A wording as it is matched: NFC, invisible characters (Unicode Cf: zero-width, soft hyphen, BOM,
    bidi marks) removed, case-folded, whitespace runs collapsed and trimmed, then the quote matcher's
    key (`validator.law.text.match_key`: Latin look-alikes in Cyrillic words, dashes, quote marks)."""
    if _PLAIN_ID.fullmatch(text):
        return text  # an id as the rule file writes it is its own key (and the commonest wording)
    t = unicodedata.normalize("NFC", text)
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Cf")
    # Latin capitals that stand for Cyrillic ones (H, T, M, K, B…: "HAЛOГOBAЯ") are folded while their
    # case still tells them apart, before case folding turns them into h, t, m, k, b, which have no
    # Cyrillic twin; then the quote matcher folds the lower-case look-alikes (a, c, e, o, p, x, y, i).
    t = _UPPER_WORD.sub(
        lambda m: m.group(0).translate(_UPPER_LOOKALIKES) if _CYRILLIC.search(m.group(0)) else m.group(0), t
    )
    return match_key(" ".join(t.casefold().split()))


_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_UPPER_WORD = re.compile(r"[^\W\d_]+")
_UPPER_LOOKALIKES = str.maketrans("ABCEHIKMOPTXY", "АВСЕНІКМОРТХУ")


def near_limit(length: int) -> int:
    """The edit distance up to which a wording of `length` characters is a near miss of another."""
    if length < 4:
        return 0
    if length < 8:
        return 1
    return max(2, length // 10)


def bounded_distance(a: str, b: str, limit: int) -> int | None:
    """The Levenshtein distance of `a` and `b` if it is at most `limit`, else None (banded: O(len × limit))."""
    if abs(len(a) - len(b)) > limit:
        return None
    # What the two share at the start and the end costs nothing: only the middle is compared.
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    if len(a) > len(b):
        a, b = b, a
    over = limit + 1
    n = len(b)
    prev = [j if j <= limit else over for j in range(n + 1)]
    for i, ca in enumerate(a, 1):
        cur = [over] * (n + 1)
        cur[0] = i if i <= limit else over
        best = cur[0]
        for j in range(max(1, i - limit), min(n, i + limit) + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != b[j - 1]))
            cur[j] = v if v <= limit else over
            best = min(best, cur[j])
        if best > limit:
            return None
        prev = cur
    return prev[n] if prev[n] <= limit else None


@dataclass(frozen=True)
class NameIndex:
    """Normalised wording (`name_key`) → the rule items it names, in the file's order, per space.

    Exact after normalisation, never a guess. A ground's wording names one item (the `names` stage
    refuses two grounds of one name); a document's may name several twins (the same document listed
    for two channels), all of which are that document.
    """

    grounds: dict[str, tuple[Ref, ...]] = field(default_factory=dict)
    documents: dict[str, tuple[Ref, ...]] = field(default_factory=dict)

    def table(self, space: Space) -> dict[str, tuple[Ref, ...]]:
        return self.grounds if space == "grounds" else self.documents

    def resolve(self, space: Space, text: str) -> tuple[Ref, ...]:
        """The items `text` names exactly (after normalisation); empty if none."""
        return self.table(space).get(name_key(text), ())

    def near(self, space: Space, text: str) -> Ref | None:
        """The item whose id or name `text` misses by a small edit distance (see `near_limit`); the
        closest, the first in the file on a tie. None for an exact match or for nothing close."""
        key = name_key(text)
        table = self.table(space)
        if not key or key in table:
            return None
        found: tuple[int, Ref] | None = None
        for listed, refs in table.items():
            limit = near_limit(min(len(key), len(listed)))
            if found is not None:
                limit = min(limit, found[0] - 1)
            d = bounded_distance(key, listed, limit) if limit > 0 else None
            if d is not None:
                found = (d, refs[0])
        return found[1] if found else None


@dataclass
class CompiledRules:
    """A rule file checked against its standard and ready to evaluate cases."""

    file: str
    sha256: str
    rules: RuleFile
    standard: Standard
    facts: dict[str, Fact]
    documents: dict[str, RequiredDocument]  # by id: the first entry of each document
    entries: list[RequiredDocument]  # every entry (one a channel or situation), alternatives filled in
    deprecated: dict[str, str]  # an id a document had before → its id now
    document_names: dict[str, Text]
    aliases: dict[str, str]  # a handed-in id (alternative) → the first requirement it satisfies
    satisfies: dict[str, set[str]]  # a handed-in id → every requirement it satisfies
    where: dict[tuple[str, str], Located]  # (section, id) → location in the rule file
    standard_sha256: str = ""
    cache: dict[Any, Any] = field(default_factory=dict)  # derived, case-independent values (citations)
    # What a report names (never a path of this machine): the file relative to the rules root, and
    # the origin and hash of the rules and standards in use (`validator.law.origin`).
    rule_file: str = ""
    rules_origin: str = ""
    standards_origin: str = ""
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (cite, id, text)
    lookup: NameIndex = field(default_factory=NameIndex)  # a decision's wording → grounds, documents

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
        if d.valid_for is not None:
            yield ("documents", i, "valid_for"), d.valid_for
        if d.forms_basis is not None:
            yield ("documents", i, "forms_basis"), d.forms_basis
    if rules.documents_closed:
        yield ("documents_closed",), rules.documents_closed
    if rules.refusals.closed_basis:
        yield ("refusals", "closed_basis"), rules.refusals.closed_basis
    for i, g in enumerate(rules.refusals.grounds):
        yield ("refusals", "grounds", i), g
        if g.receipt is not None:
            yield ("refusals", "grounds", i, "receipt"), g.receipt
        for j, basis in enumerate(g.rests_on):
            yield ("refusals", "grounds", i, "rests_on", j), basis
    for i, stated in enumerate(rules.refusals.none_for):
        yield ("refusals", "none_for", i), stated
    for i, t in enumerate(rules.terms):
        yield ("terms", i), t
    yield ("fee",), rules.fee
    for i, s in enumerate(rules.schedules):
        yield ("schedules", i), s
    for i, p in enumerate(rules.papers):
        yield ("papers", i), p
        if p.form is not None:
            yield ("papers", i, "form"), p.form
        for j, item in enumerate(p.carries):
            yield ("papers", i, "carries", j), item
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


# --- the pipeline ------------------------------------------------------------------------------------


@dataclass
class _Compilation:
    """What the stages share: the rule file as far as it is compiled, and every problem found so far.

    The fields without a default are set by the stage named in their comment; a later stage may read
    them because a stage that could not set them halts the pipeline.
    """

    path: Path
    name: str  # the file as problems name it
    standards_root: Path | None
    problems: list[Problem] = field(default_factory=list)
    halted: bool = False
    loaded: Loaded = field(init=False)  # parse
    rules: RuleFile = field(init=False)  # schema
    standard: Standard = field(init=False)  # standard
    facts: dict[str, Fact] = field(default_factory=dict)  # shared-vocabulary, facts
    shared_docs: dict[str, SharedDocument] = field(default_factory=dict)  # shared-vocabulary
    where: dict[tuple[str, str], Located] = field(default_factory=dict)  # ids
    documents: dict[str, RequiredDocument] = field(default_factory=dict)  # documents
    entries: list[RequiredDocument] = field(default_factory=list)  # documents
    deprecated: dict[str, str] = field(default_factory=dict)  # documents
    names: dict[str, Text] = field(default_factory=dict)  # documents
    aliases: dict[str, str] = field(default_factory=dict)  # documents
    satisfies: dict[str, set[str]] = field(default_factory=dict)  # documents
    resolved: list[tuple[JsonPath, Cited, Citation]] = field(default_factory=list)  # citations
    lookup: NameIndex = field(default_factory=NameIndex)  # names

    def at(self, p: JsonPath) -> int | None:
        return self.loaded.line_of(p)

    def report(self, p: JsonPath, message: str, code: str) -> None:
        """A problem of the rule file itself, at the line of `p`."""
        self.problems.append(Problem(self.name, self.at(p), message, p, code))

    def halt(self) -> None:
        """Stop after this stage: what it found makes the later stages meaningless."""
        self.halted = True


def _parse(c: _Compilation) -> None:
    """The file is safe, well-formed YAML of bounded size, read with the line of every node.

    A YAML error is raised by load_yaml as it is (an InputError or InputErrors): with no document
    there is nothing for any other stage to check.
    """
    c.loaded = load_yaml(c.path, c.name)


def _schema(c: _Compilation) -> None:
    """The document has the shape of a rule file (keys, types, id patterns, dates). Halts on failure."""
    try:
        c.rules = RuleFile.model_validate(c.loaded.data)
    except pydantic.ValidationError as e:
        # The strict model accepts no more than the published schema (it is generated from it), so the
        # schema is run only to word the errors of a file the model rejects: every error, with its line.
        c.problems += schema_problems(c.loaded, RULE_SCHEMA) or pydantic_problems(c.loaded, e)
        c.halt()


def _standard(c: _Compilation) -> None:
    """The standard the file encodes exists under the standards root. Halts if not: every later check
    (citations, quotes, the period in force) is against its text."""
    try:
        c.standard = load_standard(c.rules.standard, c.standards_root)
    except FileNotFoundError:
        from validator.law.standard import list_slugs

        slug = c.rules.standard
        c.report(
            ("standard",),
            f"unknown standard {slug!r}{did_you_mean(slug, list_slugs(c.standards_root))}",
            "unknown-standard",
        )
        c.halt()


def _shared_vocabulary(c: _Compilation) -> None:
    """Every file named in `uses` (relative to the rule file) is a valid shared vocabulary; its facts
    and documents become available to the rule file. A broken one is reported and skipped."""
    for i, use in enumerate(c.rules.uses):
        shared_path = (c.path.parent / use).resolve()
        home = (c.path.parent / "_shared").resolve()
        if not shared_path.is_relative_to(home):
            # `_shared/x.yaml` may be a link; followed, it must still be a file of this rules folder's _shared/.
            c.report(("uses", i), f"{use} leads outside {c.path.parent.name}/_shared/ (a link?): not read", "shared")
            continue
        try:
            shared_loaded = _load_shared(shared_path, use)
            vocab = SharedVocabulary.model_validate(shared_loaded.data)
        except InputErrors as e:
            c.problems += e.problems
            continue
        except pydantic.ValidationError as e:
            c.problems += schema_problems(shared_loaded, SHARED_SCHEMA) or pydantic_problems(shared_loaded, e)
            continue
        except Exception as e:  # an InputError from load_yaml
            c.report(("uses", i), str(e), "shared")
            continue
        for f in vocab.facts:
            c.facts[f.id] = f
        for sd in vocab.documents:
            c.shared_docs[sd.id] = sd


def _facts(c: _Compilation) -> None:
    """The rule file's own facts join the shared ones; a fact is declared once, here or there."""
    for i, f in enumerate(c.rules.facts):
        if f.id in c.facts:
            c.report(("facts", i), f"fact {f.id!r} is also in a shared vocabulary", "duplicate-id")
        c.facts[f.id] = f


def _ids(c: _Compilation) -> None:
    """Ids are unique within each section (facts, channels, eligibility, documents, grounds, terms,
    notes); the location of each item is recorded for the reports that point back into the file."""
    rules, where = c.rules, c.where

    def register(section: str, item_id: str, p: JsonPath) -> None:
        if (section, item_id) in where:
            first = where[(section, item_id)]
            c.report(p, f"duplicate {section} id {item_id!r} (first at line {first.line})", "duplicate-id")
        else:
            where[(section, item_id)] = Located(json_path(p), c.at(p))

    for i, f in enumerate(rules.facts):
        register("fact", f.id, ("facts", i))
    for i, ch in enumerate(rules.channels):
        register("channel", ch.id, ("channels", i))
    for i, r in enumerate(rules.eligibility):
        register("eligibility", r.id, ("eligibility", i))
    # One document, one id: the same document listed for several channels or situations is several
    # entries with one id (each with its own channels, condition, forms and citation). Two entries that
    # could never be told apart (same channels, same condition) are a slip.
    told: dict[tuple[str, str], int] = {}
    for i, d in enumerate(rules.documents):
        scope = (d.id, json.dumps([d.channels, d.when.model_dump(mode="json") if d.when else None], sort_keys=True))
        if scope in told:
            c.report(
                ("documents", i),
                f"document {d.id!r} is listed twice for the same channels and condition (first at line "
                f"{c.at(('documents', told[scope]))}); entries of one document differ in `channels` or `when`",
                "duplicate-id",
            )
        told.setdefault(scope, i)
        where.setdefault(("document", d.id), Located(json_path(("documents", i)), c.at(("documents", i))))
    for i, g in enumerate(rules.refusals.grounds):
        register("ground", g.id, ("refusals", "grounds", i))
    for i, t in enumerate(rules.terms):
        register("term", t.id, ("terms", i))
    for i, n in enumerate(rules.notes):
        register("note", n.id, ("notes", i))
    where[("fee", "fee")] = Located("$.fee", c.at(("fee",)))
    where[("in_force", "in_force")] = Located("$.in_force", c.at(("in_force",)))


def _documents(c: _Compilation) -> None:
    """Every required document has a name, its own or the shared vocabulary's, and takes the shared
    alternatives unless it lists its own. Records which handed-in ids satisfy which requirement."""
    for i, doc in enumerate(c.rules.documents):
        d = doc
        shared = c.shared_docs.get(d.id)
        name = d.name or (shared.name if shared else None)
        if name is None:
            c.report(
                ("documents", i), f"document {d.id!r} has no `name` and no shared vocabulary names it", "missing-name"
            )
            name = Text(kk=d.id, ru=d.id, en=d.id)
        # One document, one set of alternatives: an entry that lists none takes its siblings' (an identity
        # document is an identity card or a passport on every channel), else the shared vocabulary's.
        siblings = [a for e in c.rules.documents if e.id == d.id for a in e.alternatives]
        alts = (
            list(d.alternatives)
            or list({a.id: a for a in siblings}.values())
            or (list(shared.alternatives) if shared else [])
        )
        if alts and not d.alternatives:
            d = d.model_copy(update={"alternatives": alts})
        c.entries.append(d)
        c.documents.setdefault(d.id, d)  # the first entry names the document
        c.names.setdefault(d.id, name)
        c.aliases[d.id] = d.id
        c.satisfies.setdefault(d.id, set()).add(d.id)
        for a in alts:
            # One alternative may satisfy several items (an identity card or a passport).
            c.satisfies.setdefault(a.id, set()).add(d.id)
            c.aliases.setdefault(a.id, d.id)
            c.names.setdefault(a.id, a.name)
    listed = {d.id for d in c.rules.documents}
    for d in c.entries:
        for a in d.alternatives:
            for old in a.deprecated_ids:
                if old not in listed:
                    c.deprecated[old] = a.id
                    c.aliases.setdefault(old, c.aliases[a.id])
                    c.satisfies.setdefault(old, set()).update(c.satisfies[a.id])
    for i, d in enumerate(c.rules.documents):
        for old in d.deprecated_ids:
            if old in listed or c.deprecated.get(old, d.id) != d.id:
                c.report(("documents", i, "deprecated_ids"), f"{old!r} is the id of another document", "duplicate-id")
                continue
            c.deprecated[old] = d.id
            c.aliases[old] = d.id
            c.satisfies.setdefault(old, set()).update(c.satisfies[d.id] & {d.id})


def _citations(c: _Compilation) -> None:
    """Every `cite` (of a rule, a note or an exclusion) is a well-formed citation of a unit that exists
    in the standard. The resolved ones are kept for the quotes stage."""
    standard = c.standard
    for p, item in iter_cited(c.rules):
        try:
            cit = parse_citation(item.cite)
        except CitationError as e:
            c.report((*p, "cite"), str(e), "bad-citation")
            continue
        if standard.unit(cit.unit) is None:
            ids = [u.id for u in standard.units]
            c.report(
                (*p, "cite"),
                f"{item.cite!r} is not a unit of {standard.slug}{did_you_mean(cit.unit, ids)}",
                "unresolved-citation",
            )
            continue
        c.resolved.append((p, item, cit))
    # An exclusion has no quote: it names a unit that is deliberately left without a rule.
    for i, ex in enumerate(c.rules.excluded):
        try:
            cit = parse_citation(ex.cite)
        except CitationError as e:
            c.report(("excluded", i), str(e), "bad-citation")
            continue
        if standard.unit(cit.unit) is None:
            c.report(("excluded", i), f"{ex.cite!r} is not a unit of {standard.slug}", "unresolved-citation")


def _quotes(c: _Compilation) -> None:
    """Every `quote` is found in the unit its item cites (as Standard.contains_quote compares text).
    Only items whose citation resolved are checked: an unresolved one is already reported. A quote with
    no letter or digit once normalised (spaces, dashes, quote marks, invisible characters) is found in
    every unit and proves nothing: it is reported, wherever its item is."""
    empty = set()
    for p, item in iter_cited(c.rules):
        # Normalising keeps every letter and digit but those of markup (`**`, tags, image links).
        if not any(ch.isalnum() for ch in strip_markup(item.quote)):
            empty.add(p)
            c.report((*p, "quote"), f"the quote {item.quote!r} is empty once normalised: quote the text", "empty-quote")
    for p, item, cit in c.resolved:
        if p in empty:
            continue
        if not c.standard.contains_quote(cit.unit, item.quote):
            c.report(
                (*p, "quote"),
                f"quote not found in {cit.unit} ({cit.kazakh()}): {item.quote!r}; "
                f"the unit reads: {c.standard.full_text(cit.unit)[:160]!r}",
                "quote-not-found",
            )


def _check_channels(c: _Compilation, chs: list[str] | None, p: JsonPath, channel_ids: set[str]) -> None:
    for ch in chs or []:
        if ch not in channel_ids:
            c.report(p, f"unknown channel {ch!r}{did_you_mean(ch, channel_ids)}", "unknown-reference")


def _references(c: _Compilation) -> None:
    """Every channel, term and document named outside a condition is declared in the file: the
    channels of documents, terms, schedules and the fee, a term's start_fallback, the fee's proof."""
    rules = c.rules
    channel_ids = {ch.id for ch in rules.channels}
    term_ids = {t.id for t in rules.terms}
    for i, rd in enumerate(rules.documents):
        _check_channels(c, rd.channels, ("documents", i, "channels"), channel_ids)
    for i, t in enumerate(rules.terms):
        _check_channels(c, t.channels, ("terms", i, "channels"), channel_ids)
        if t.start_fallback and t.start_fallback not in term_ids:
            c.report(
                ("terms", i),
                f"unknown term {t.start_fallback!r}{did_you_mean(t.start_fallback, term_ids)}",
                "unknown-reference",
            )
    _term_chains(c)
    _term_extensions(c)
    for i, s in enumerate(rules.schedules):
        _check_channels(c, [s.channel], ("schedules", i, "channel"), channel_ids)
    _check_channels(c, rules.fee.channels, ("fee", "channels"), channel_ids)
    _papers(c, channel_ids)
    proof = rules.fee.proof_document
    if proof and proof not in c.documents:
        c.report(("fee",), f"unknown document {proof!r}{did_you_mean(proof, c.documents)}", "unknown-reference")


def _papers(c: _Compilation, channel_ids: set[str]) -> None:
    """A paper's channels are declared (a channel may hand over two: a centre's tear-off talon and its
    receipt); a paper of kind `none` carries nothing."""
    ids: set[str] = set()
    for i, paper in enumerate(c.rules.papers):
        if paper.id in ids:
            c.report(("papers", i, "id"), f"paper {paper.id!r} declared twice", "duplicate-id")
        ids.add(paper.id)
        _check_channels(c, paper.channels, ("papers", i, "channels"), channel_ids)
        if paper.kind == "none" and paper.carries:
            c.report(("papers", i, "carries"), "a paper of kind `none` (none is given) carries nothing", "schema")


def _term_chains(c: _Compilation) -> None:
    """A term chained to another (`or_from_due_of`) runs from the due date of a term listed before it:
    terms are counted in the file's order, so a chain to itself, in a circle or to a later term would
    silently never start. Each is reported at the chaining term."""
    terms = c.rules.terms
    position = {t.id: i for i, t in reversed(list(enumerate(terms)))}
    for i, t in enumerate(terms):
        target = t.start_fallback
        if target is None or target not in position:
            continue  # an unknown term is reported by `references`
        p: JsonPath = ("terms", i, "or_from_due_of")
        if target == t.id:
            c.report(p, f"term {t.id!r} runs from its own due date (or_from_due_of: {target})", "term-chain")
            continue
        if position[target] < i:
            continue
        chain = [t.id, target]
        while True:
            nxt = terms[position[chain[-1]]].start_fallback
            if nxt is None or nxt not in position or nxt in chain:
                break
            chain.append(nxt)
        if nxt == t.id:
            c.report(p, f"terms chain in a circle: {' → '.join([*chain, t.id])}", "term-chain")
        else:
            c.report(
                p,
                f"term {t.id!r} runs from the due date of {target!r}, listed after it; terms are counted in the "
                f"file's order, so list {target!r} first",
                "term-chain",
            )


def _term_extensions(c: _Compilation) -> None:
    """An extension (`extends`) replaces the ordinary term on the same span: the same events and
    channels, and no extension of an extension (the latest date is then one step away, not a chain)."""
    by_id = {t.id: t for t in c.rules.terms}
    for i, t in enumerate(c.rules.terms):
        if t.extends is None:
            continue
        p: JsonPath = ("terms", i, "extends")
        base = by_id.get(t.extends)
        if base is None:
            c.report(p, f"unknown term {t.extends!r}{did_you_mean(t.extends, by_id)}", "unknown-reference")
        elif base.id == t.id or base.extends is not None:
            c.report(p, f"term {t.id!r} extends {base.id!r}, which is itself an extension", "term-chain")
        elif (base.start, base.end, base.channels) != (t.start, t.end, t.channels):
            c.report(
                p,
                f"term {t.id!r} extends {base.id!r} but runs over another span or channels "
                f"({t.start}→{t.end} {t.channels} vs {base.start}→{base.end} {base.channels})",
                "term-chain",
            )


def _conditions(c: _Compilation) -> None:
    """Every condition (a document's `when`, a requirement's `require`, a ground's or a term's `when`)
    reads only declared facts, with values of the declared type, and names only declared channels and
    documents; a document's condition does not test documents_missing."""
    rules = c.rules
    channel_ids = {ch.id for ch in rules.channels}
    doc_ids = set(c.aliases)  # a condition may name a requirement or any alternative handed in for it

    def check(cond: Any, p: JsonPath) -> None:
        if cond is None:
            return
        for msg in conditions.check(cond, c.facts, channel_ids, doc_ids):
            c.report(p, msg, "condition")

    for i, rd in enumerate(rules.documents):
        check(rd.when, ("documents", i, "when"))
        if rd.when is not None and any(isinstance(t, MissingTest) for t in conditions.walk(rd.when)):
            # Whether documents are missing depends on which documents are required: circular.
            c.report(
                ("documents", i, "when"),
                "a document's condition cannot test documents_missing (it would depend on itself)",
                "condition",
            )
    for i, r in enumerate(rules.eligibility):
        check(r.require, ("eligibility", i, "require"))
    for i, g in enumerate(rules.refusals.grounds):
        check(g.when, ("refusals", "grounds", i, "when"))
    for i, t in enumerate(rules.terms):
        check(t.when, ("terms", i, "when"))


def _in_force(c: _Compilation) -> None:
    """The period in force lies within what the standard's metadata allows."""
    in_force, standard = c.rules.in_force, c.standard
    if standard.in_force_from and in_force.start < standard.in_force_from:
        c.report(
            ("in_force",),
            f"in_force.from {in_force.start} is before the standard's {standard.in_force_from}",
            "in-force",
        )
    if standard.in_force_to and in_force.end > standard.in_force_to:
        c.report(
            ("in_force",), f"in_force.to {in_force.end} is after the standard's {standard.in_force_to}", "in-force"
        )


def _names(c: _Compilation) -> None:
    """The index a review matches a decision's wording through (`NameIndex`): every ground's and
    requirement's id, kk/ru/en name and aliases; every document's and alternative's. An alias must be
    non-empty once normalised, unique in the file and no other item's id or name; two grounds (or a
    ground and a requirement) must not share an id or a name: a decision naming them could not be judged."""
    rules = c.rules
    plain: dict[str, dict[str, tuple[Ref, JsonPath]]] = {"grounds": {}, "documents": {}}
    aliases: list[tuple[Space, Ref, JsonPath, str]] = []
    index: dict[Space, dict[str, list[Ref]]] = {"grounds": {}, "documents": {}}
    clashes: set[tuple[Ref, Ref]] = set()

    def add(space: Space, ref: Ref, texts: list[str], p: JsonPath) -> None:
        for text in dict.fromkeys(texts):  # each wording once (a name may read the same in two languages)
            key = name_key(text)
            if not key:
                continue
            first = plain[space].setdefault(key, (ref, p))
            refs = index[space].setdefault(key, [])
            if ref not in refs:
                refs.append(ref)
            if space == "grounds" and first[0] != ref and (ref, first[0]) not in clashes:
                clashes.add((ref, first[0]))
                c.report(
                    p,
                    f"{ref[0]} {ref[1]!r} and {first[0][0]} {first[0][1]!r} (line {c.at(first[1])}) are both named "
                    f"{text!r}: a decision giving that ground could not be judged",
                    "ambiguous-name",
                )

    p: JsonPath
    for i, g in enumerate(rules.refusals.grounds):
        p = ("refusals", "grounds", i)
        add("grounds", ("ground", g.id), [g.id, g.name.kk, g.name.ru, g.name.en], p)
        aliases += [("grounds", ("ground", g.id), (*p, "aliases", j), a) for j, a in enumerate(g.aliases)]
    for i, r in enumerate(rules.eligibility):
        p = ("eligibility", i)
        add("grounds", ("eligibility", r.id), [r.id, r.message.kk, r.message.ru, r.message.en], p)
        aliases += [("grounds", ("eligibility", r.id), (*p, "aliases", j), a) for j, a in enumerate(r.aliases)]
    for i, d in enumerate(c.entries):
        # Each entry's own name and the ids the document had before name it too (one document, one id).
        p = ("documents", i)
        names = [n for n in (d.name, c.names.get(d.id)) if n is not None]
        add(
            "documents",
            ("document", d.id),
            [d.id, *d.deprecated_ids, *(t for n in names for t in (n.kk, n.ru, n.en))],
            p,
        )
        aliases += [("documents", ("document", d.id), (*p, "aliases", j), a) for j, a in enumerate(d.aliases)]
        for a in d.alternatives:
            add("documents", ("document", a.id), [a.id, *a.deprecated_ids, a.name.kk, a.name.ru, a.name.en], p)

    seen: dict[str, tuple[Ref, JsonPath]] = {}
    for space, ref, p, alias in aliases:
        key = name_key(alias)
        if not any(ch.isalnum() for ch in key):
            c.report(p, f"the alias {alias!r} is empty once normalised", "alias")
            continue
        owner = seen.get(key)
        if owner is not None:
            c.report(p, f"the alias {alias!r} is given twice (first at line {c.at(owner[1])})", "alias")
            continue
        taken = [r for s in index.values() for r in s.get(key, ()) if r != ref]
        if taken:
            what = ", ".join(f"{k} {i!r}" for k, i in taken)
            c.report(p, f"the alias {alias!r} is the id or name of {what}", "alias")
            continue
        seen[key] = (ref, p)
        refs = index[space].setdefault(key, [])
        if ref not in refs:
            refs.append(ref)
    c.lookup = NameIndex(
        {k: tuple(v) for k, v in index["grounds"].items()}, {k: tuple(v) for k, v in index["documents"].items()}
    )


class Stage(NamedTuple):
    """One step of the compiler: it reads the state, adds what it derives and the problems it finds."""

    name: str
    run: Callable[[_Compilation], None]


# In order: each stage may rely on what the stages before it derived. `parse`, `schema` and `standard`
# halt the pipeline when they fail; the others report and let the rest run, so that an author sees
# every problem of the file in one run.
STAGES: tuple[Stage, ...] = (
    Stage("parse", _parse),
    Stage("schema", _schema),
    Stage("standard", _standard),
    Stage("shared-vocabulary", _shared_vocabulary),
    Stage("facts", _facts),
    Stage("ids", _ids),
    Stage("documents", _documents),
    Stage("citations", _citations),
    Stage("quotes", _quotes),
    Stage("references", _references),
    Stage("conditions", _conditions),
    Stage("in-force", _in_force),
    Stage("names", _names),
)


def _compiled(c: _Compilation) -> CompiledRules:
    """The checked rule file, with the reading notes: the file's own, then each item's, by its path."""
    rules = c.rules
    notes = [(n.cite, n.id, n.text) for n in rules.notes]
    for p, item in iter_cited(rules):
        note = getattr(item, "note", None)
        if note:
            notes.append((item.cite, json_path(p), note))
    return CompiledRules(
        file=c.name,
        sha256=_sha256(c.path),
        rules=rules,
        standard=c.standard,
        facts=c.facts,
        documents=c.documents,
        entries=c.entries,
        deprecated=c.deprecated,
        document_names=c.names,
        aliases=c.aliases,
        satisfies=c.satisfies,
        where=c.where,
        standard_sha256=standard_file_sha256(rules.standard, c.standards_root),
        notes=notes,
        lookup=c.lookup,
    )


def load_rules(path: Path, standards_root: Path | None = None, display: str | None = None) -> CompiledRules:
    """Load, check and compile one rule file. Raises InputErrors listing every problem."""
    c = _Compilation(path, display or str(path), standards_root)
    for stage in STAGES:
        stage.run(c)
        if c.halted:
            break
    if c.problems or c.halted:
        raise InputErrors(c.problems)
    return _compiled(c)
