"""`ereje standards diff` and `ereje lint --since`: what an amended text of the law touches.

The amended text is built from a bundled seed (002, exit-permanent-residence-2011): a new paragraph 13
is inserted in the middle of its 26 paragraphs (13…26 become 14…27, with their «Ескерту» notes) and
one word of 11.2, which two document rules cite, is changed. The original and the amended seed are
imported into temporary folders; the amended one is imported as a maintainer would after adding it
to the seed manifest (same slug), and once more without (an auto-detected slug, paired by metadata).
The seed is read from sources/ (the official texts ship with the project: these tests never skip).
The comparison rules themselves are also tested on small texts.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import validator.law.importer as importer
from validator.law.diff import Diff, diff_standards, diff_units, read_standards
from validator.law.importer import import_seeds, load_manifest, parse_seed
from validator.law.seed import ManifestSeed
from validator.law.standard import Decree, LineRange, Standard, Unit
from validator.rules.model import RuleFile
from validator.rules.yamlload import load_yaml
from validator.surfaces.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sources" / "002_fb89d94cd7fa7297.txt"

SLUG = "exit-permanent-residence-2011"
RULES = ROOT / "rules" / f"{SLUG}.yaml"
AT = 13  # the paragraph inserted: the old 13…26 become 14…27
NEW_PARAGRAPH = "Тұтынушы құжаттарды «электрондық үкімет» веб-порталы арқылы да ұсына алады."
REWORDED = "11.2"
WAS, NOW = "азаматының", "азаматтарының"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def renumbered(unit_id: str) -> str:
    """The id of an old unit in the amended text: paragraphs from AT on are one higher."""
    head, dot, rest = unit_id.partition(".")
    if head.isdigit() and int(head) >= AT:
        return f"{int(head) + 1}{dot}{rest}"
    return unit_id


def amend(seed: Path, out: Path) -> Path:
    """The amended copy of seed 002 (see the module docstring), written to `out`."""
    (std,) = parse_seed(seed)
    starts = {u.lines.start: int(u.id) for u in std.paragraphs()}
    reworded_line = std.unit(REWORDED).lines.start  # type: ignore[union-attr]
    lines = []
    for no, line in enumerate(seed.read_text(encoding="utf-8").split("\n"), 1):
        if starts.get(no) == AT:
            lines += [f"{AT}. {NEW_PARAGRAPH}", ""]
        if starts.get(no, 0) >= AT:
            line = re.sub(r"^\d+\.", f"{starts[no] + 1}.", line)
        if line.startswith("Ескерту."):  # "13-тармақ жаңа редакцияда" now speaks of 14
            line = re.sub(r"\b(\d+)(-тармақ)", lambda m: f"{renumbered(m.group(1))}{m.group(2)}", line)
        if no == reworded_line:
            assert WAS in line
            line = line.replace(WAS, NOW)
        lines.append(line)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


@dataclass(frozen=True)
class Imports:
    old: Path  # the original text
    new: Path  # the amended text, under the same slug (its seed added to the manifest)
    auto: Path  # the amended text, auto-detected (a seed the manifest does not know)
    again: Path  # the original text imported a second time


@pytest.fixture(scope="module")
def imports(tmp_path_factory: pytest.TempPathFactory) -> Imports:
    tmp = tmp_path_factory.mktemp("diff")
    amended = amend(SEED, tmp / "002-amended.txt")
    manifest = load_manifest()
    (spec,) = manifest[hashlib.sha256(SEED.read_bytes()).hexdigest()].standards
    entry = ManifestSeed(file=amended.name, standards=(spec.model_copy(update={"end": spec.end + 2}),))
    result = Imports(tmp / "old", tmp / "new", tmp / "auto", tmp / "again")
    import_seeds([SEED], result.old)
    import_seeds([SEED], result.again)
    import_seeds([amended], result.auto)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(importer, "load_manifest", lambda path=None: {**manifest, _sha(amended): entry})
        import_seeds([amended], result.new)
    return result


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_moves(old: Standard) -> list[tuple[str, str]]:
    return [(u.id, renumbered(u.id)) for u in old.units if renumbered(u.id) != u.id]


def changes(diff: Diff, kind: str) -> list[tuple[str | None, str | None]]:
    (d,) = diff.standards
    return [(c.old_id, c.new_id) for c in d.changes if c.kind == kind]


# ==================================================================================================
# ereje standards diff
# ==================================================================================================


def test_the_amended_text_is_the_insertion_the_moves_and_one_rewording(imports: Imports) -> None:
    (old,) = read_standards(imports.old)
    diff = diff_standards([old], read_standards(imports.new))
    assert changes(diff, "added") == [(None, str(AT))]
    assert changes(diff, "removed") == []
    assert changes(diff, "reworded") == [(REWORDED, REWORDED)]
    moves = changes(diff, "moved")
    assert moves == expected_moves(old)
    assert ("13", "14") in moves and ("16.1", "17.1") in moves and ("26", "27") in moves
    (d,) = diff.standards
    assert d.paired_by == "slug"
    assert d.changes[1].wording() == f"«{WAS}» → «{NOW}»"


def test_cli_diff_text_and_json(imports: Imports) -> None:
    code, out, _ = run("standards", "diff", str(imports.old), str(imports.new))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{SLUG}: 1 added, 1 reworded, 25 moved"
    assert "  added     13 (13-тармақ)" in lines
    assert f"  reworded  11.2 (11-тармақтың 2) тармақшасы): «{WAS}» → «{NOW}»" in lines
    assert "  moved     13 → 14 (13-тармақ → 14-тармақ)" in lines
    assert "  moved     16.u1 → 17.u1 (16-тармақтың 2-азат жолы → 17-тармақтың 2-азат жолы)" in lines
    assert not [line for line in lines if line.startswith("  reworded") and "→ 1" in line.split("(")[0]]
    assert lines[-1] == "1 standards compared, 1 differ"

    code, out, _ = run("standards", "diff", str(imports.old), str(imports.new), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["differs"] is True
    (s,) = data["standards"]
    assert (s["old"], s["new"], s["status"], s["paired_by"]) == (SLUG, SLUG, "changed", "slug")
    assert s["counts"] == {"added": 1, "reworded": 1, "moved": 25}
    added = next(c for c in s["changes"] if c["change"] == "added")
    assert added == {
        "change": "added",
        "kind": "paragraph",
        "old": None,
        "old_label": None,
        "new": "13",
        "new_label": "13-тармақ",
        "old_text": None,
        "new_text": NEW_PARAGRAPH,
    }
    reworded = next(c for c in s["changes"] if c["change"] == "reworded")
    assert WAS in reworded["old_text"] and NOW in reworded["new_text"]


def test_an_unchanged_reimport_diffs_empty(imports: Imports) -> None:
    code, out, _ = run("standards", "diff", str(imports.old), str(imports.again))
    assert (code, out) == (0, "no differences\n")
    code, out, _ = run("standards", "diff", str(imports.old), str(imports.again), "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "differs": False,
        "standards": [{"old": SLUG, "new": SLUG, "status": "same", "paired_by": "slug", "counts": {}, "changes": []}],
    }
    # one standard.json against a folder
    code, out, _ = run("standards", "diff", str(imports.old / SLUG / "standard.json"), str(imports.again))
    assert code == 0


def test_an_auto_detected_slug_is_paired_by_title_and_decree(imports: Imports) -> None:
    (auto,) = read_standards(imports.auto)
    assert auto.slug != SLUG  # not in the manifest: the importer derived another slug
    (old,) = read_standards(imports.old)
    assert auto.approved_by.date != old.approved_by.date  # the approval stamp's date, not the decree's
    diff = diff_standards([old], [auto])
    (d,) = diff.standards
    assert d.paired_by == "metadata"
    assert changes(diff, "added") == [(None, "13")]
    assert changes(diff, "reworded") == [(REWORDED, REWORDED)]
    assert changes(diff, "moved") == expected_moves(old)
    code, out, _ = run("standards", "diff", str(imports.old), str(imports.auto))
    assert code == 1
    assert out.startswith(f"{SLUG} → {auto.slug} (paired by title and decree): 1 added, 1 reworded, 25 moved\n")


def test_bad_input_exits_2_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    code, _, err = run("standards", "diff", str(missing), str(tmp_path))
    assert code == 2
    assert f"error: {missing}: bad-standards: no such file or folder" in err
    broken = tmp_path / "broken" / "standard.json"
    broken.parent.mkdir()
    broken.write_text('{"slug": ', encoding="utf-8")
    code, _, err = run("standards", "diff", str(tmp_path), str(tmp_path))
    assert code == 2
    assert f"error: {broken}:1: bad-standards: not valid JSON" in err
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"slug": "x"}', encoding="utf-8")
    code, _, err = run("standards", "diff", str(wrong), str(wrong))
    assert code == 2
    assert f"error: {wrong}: bad-standards: not a standard.json" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("standards", "diff", str(empty), str(empty))
    assert code == 2
    assert "no <slug>/standard.json in this folder" in err
    code, _, err = run("lint", str(RULES), "--since", str(missing))
    assert code == 2
    assert str(missing) in err


# ==================================================================================================
# ereje lint --since
# ==================================================================================================


def expected_rereads(rule_file: Path) -> dict[int, str]:
    """line → message for the items of a rule file that cite 11.2 or a paragraph from AT on,
    computed from the YAML on its own (the item's line; its path as documents[2])."""
    loaded = load_yaml(rule_file)
    rules = RuleFile.model_validate(loaded.data)
    from validator.rules.compiler import iter_cited

    out = {}
    for p, item in iter_cited(rules):
        where = re.sub(r"\.(\d+)", r"[\1]", ".".join(str(x) for x in p))
        line = loaded.line_of(p)
        assert line is not None
        if item.cite == REWORDED:
            out[line] = f"{where} cites {item.cite}, reworded by the new text"
        elif renumbered(item.cite) != item.cite:
            out[line] = f"{where} cites {item.cite}, which is now {renumbered(item.cite)}"
    return out


def rereads(out: str) -> dict[int, str]:
    found = {}
    for m in re.finditer(r"^(.+?):(\d+): re-read: (.+?)(?: \[[a-z, -]+\])?$", out, re.MULTILINE):
        assert Path(m.group(1)).name == RULES.name
        found[int(m.group(2))] = m.group(3)
    return found


def test_lint_since_names_the_rules_citing_reworded_and_moved_units(imports: Imports) -> None:
    env = {"EREJE_STANDARDS": str(imports.new)}
    expected = expected_rereads(RULES)
    # channels 13, eligibility 13, documents 11.2 ×2, refusals 16.x and 14, the talon (papers) 14 and its item of 14
    assert len(expected) == 16
    code, out, err = run("lint", str(RULES), "--since", str(imports.old), env=env)
    assert code == 1, out + err
    assert rereads(out) == expected
    assert f"re-read (the law changed since {imports.old}): 16" in out
    assert "error:" not in out  # the quotes no longer found are explained by the change: lint failures
    # one rule citing 11.2 still finds its quote: it is named all the same
    assert re.search(r":\d+: re-read: documents\[2\] cites 11\.2, reworded by the new text$", out, re.MULTILINE)
    assert re.search(r":\d+: re-read: documents\[1\] cites 11\.2, reworded .*\[quote-not-found\]$", out, re.MULTILINE)

    code, out, _ = run("lint", str(RULES), "--since", str(imports.old), "--format", "json", env=env)
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    assert data["problems"] == []
    assert data["since"] == str(imports.old)
    messages = {r["line"]: re.sub(r" \[[a-z, -]+\]$", "", r["message"]) for r in data["reread"]}
    assert messages == {line: f"re-read: {m}" for line, m in expected.items()}
    ground = next(r for r in data["reread"] if r["path"] == "$.refusals.grounds[0]")
    assert (ground["cite"], ground["change"], ground["now"]) == ("16.1", "moved", "17.1")
    assert [p["code"] for p in ground["problems"]] == ["unresolved-citation"]

    # without --since the same rule file is simply broken against the new text
    code, _, _ = run("lint", str(RULES), env=env)
    assert code == 2


def test_lint_since_an_auto_detected_import(imports: Imports) -> None:
    """The rule file names a slug the new import does not have: lint fails (2), the re-read list stands."""
    code, out, _ = run("lint", str(RULES), "--since", str(imports.old), env={"EREJE_STANDARDS": str(imports.auto)})
    assert code == 2
    assert "unknown-standard" in out
    assert rereads(out) == expected_rereads(RULES)


def test_lint_since_after_the_rules_were_brought_up_to_date(imports: Imports, tmp_path: Path) -> None:
    """Renumbered citations are read against the new text: only the reworded unit is left to re-read."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "_shared", rules / "_shared")
    text = RULES.read_text(encoding="utf-8")
    text = re.sub(r'cite: "(\d+(?:\.[^"]*)?)"', lambda m: f'cite: "{renumbered(m.group(1))}"', text)
    text = text.replace(f"Қазақстан Республикасы {WAS} жеке", f"Қазақстан Республикасы {NOW} жеке")
    (rules / RULES.name).write_text(text, encoding="utf-8")
    env = {"EREJE_STANDARDS": str(imports.new)}
    code, out, _ = run("lint", str(rules / RULES.name), env=env)
    assert code == 0, out  # the rule file is right for the new text
    code, out, _ = run("lint", str(rules / RULES.name), "--since", str(imports.old), env=env)
    assert code == 1
    assert sorted(rereads(out).values()) == [
        "documents[1] cites 11.2, reworded by the new text",
        "documents[2] cites 11.2, reworded by the new text",
    ]


def test_lint_since_an_unchanged_import_adds_nothing(imports: Imports) -> None:
    env = {"EREJE_STANDARDS": str(imports.again)}
    code, out, _ = run("lint", str(RULES), "--since", str(imports.old), env=env)
    assert code == 0, out
    assert f"re-read (the law changed since {imports.old}): nothing" in out


# ==================================================================================================
# The comparison on small texts
# ==================================================================================================


def _unit(uid: str, text: str) -> Unit:
    if uid.startswith("section-"):
        return Unit(id=uid, kind="section", lines=LineRange(start=1, end=1), text=text)
    head, _, rest = uid.rpartition(".")
    kind = "paragraph" if not head else "part" if rest.startswith("u") else "subparagraph"
    return Unit(id=uid, kind=kind, parent=head or None, lines=LineRange(start=1, end=1), text=text)


def text(*units: tuple[str, str], slug: str = "s-2012", title: str = "«Анықтама беру» стандарты") -> Standard:
    return Standard(
        slug=slug,
        title_kk=title,
        title_en="",
        source_file="x.txt",
        source_sha256="0" * 64,
        lines=LineRange(start=1, end=1),
        approved_by=Decree(number="1", date=date(2012, 1, 1)),
        entry_into_force="",
        units=tuple(_unit(i, t) for i, t in units),
    )


BASE = (
    ("1", "Мемлекеттік қызметті әкімдік көрсетеді."),
    ("2", "Құжаттар тізбесі:"),
    ("2.1", "өтініш;"),
    ("2.2", "жеке куәлігінің көшірмесі;"),
    ("3", "Мемлекеттік қызмет тегін көрсетіледі."),
    ("4", "Шағымдар әкімге беріледі."),
)


def kinds(old: Standard, new: Standard) -> list[tuple[str, str]]:
    return [(c.kind, c.ids) for c in diff_units(old, new)]


def test_typography_is_not_a_rewording() -> None:
    retyped = [
        (i, t.replace("і", "i").replace(" ", "\u00a0 ").upper() if i == "1" else t.replace("өтініш", "өтiнiш"))
        for i, t in BASE
    ]
    assert kinds(text(*BASE), text(*retyped)) == []


def test_a_deleted_paragraph_moves_the_following_back() -> None:
    new = [(i, t) for i, t in BASE if i != "1"]
    new = [(str(int(i[0]) - 1) + i[1:], t) for i, t in new]
    assert kinds(text(*BASE), text(*new)) == [
        ("removed", "1"),
        ("moved", "2 → 1"),
        ("moved", "2.1 → 1.1"),
        ("moved", "2.2 → 1.2"),
        ("moved", "3 → 2"),
        ("moved", "4 → 3"),
    ]


def test_moved_and_reworded_slightly_is_reworded_with_both_ids() -> None:
    new = [("1", "Жаңа тармақ: қызметті порталда алуға болады."), *((renumbered_by(i, 1), t) for i, t in BASE)]
    new = [(i, "Мемлекеттік қызмет ақылы көрсетіледі." if i == "4" else t) for i, t in new]
    assert kinds(text(*BASE), text(*new)) == [
        ("added", "1"),
        ("reworded", "3 → 4"),
        ("moved", "1 → 2"),
        ("moved", "2 → 3"),
        ("moved", "2.1 → 3.1"),
        ("moved", "2.2 → 3.2"),
        ("moved", "4 → 5"),
    ]


def renumbered_by(uid: str, n: int) -> str:
    head, dot, rest = uid.partition(".")
    return f"{int(head) + n}{dot}{rest}"


def test_a_paragraph_restated_in_full_is_reworded_at_its_id() -> None:
    new = [
        (i, "Қызмет үшін мемлекеттік баж алынады, оның мөлшері заңмен белгіленеді." if i == "3" else t) for i, t in BASE
    ]
    assert kinds(text(*BASE), text(*new)) == [("reworded", "3")]


def test_within_counts_the_unit_and_its_descendants_only() -> None:
    new = [(i, "өтініш және оның көшірмесі;" if i == "2.1" else t) for i, t in BASE]
    new.insert(4, ("2.3", "мекенжай анықтамасы;"))
    (d,) = diff_standards([text(*BASE)], [text(*new)]).standards
    assert [(c.kind, c.ids) for c in d.within("2", "old")] == [("reworded", "2.1"), ("added", "2.3")]
    assert d.within("2.2", "old") == []  # a sibling reworded is not this unit's change
    assert d.within("1", "old") == []
    assert d.of_old("2") is None  # the paragraph's own text is unchanged


def test_standards_are_paired_by_slug_then_metadata_never_by_hash() -> None:
    a = text(*BASE, slug="a-2012", title="«Бір» стандарты")
    b = text(*BASE, slug="b-2012", title="«Екі» стандарты")
    renamed = text(*BASE, slug="auto-bir-2012", title="«БІР»  стандарты")
    diff = diff_standards([a, b], [renamed, b])
    assert [(s.old.slug if s.old else None, s.new.slug if s.new else None, s.paired_by) for s in diff.standards] == [
        ("a-2012", "auto-bir-2012", "metadata"),
        ("b-2012", "b-2012", "slug"),
    ]
    assert not diff.differs
    gone = diff_standards([a, b], [b])
    assert gone.differs
    assert [s.paired_by for s in gone.standards] == [None, "slug"]
