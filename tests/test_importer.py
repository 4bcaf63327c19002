"""validator.law.importer: the seeds become standards/<slug>/standard.json, index.json and quirks.json.

Most tests read the real seeds in sources/ (the five Әділет texts as published, shipped with the
project; imported once per module, a few seconds). The bad-input tests build their own files.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from validator.law.importer import (
    QUIRK_CODES,
    ImportReport,
    SeedError,
    _read_seed,
    detect_standards,
    import_seeds,
    load_manifest,
    parse_seed,
)
from validator.law.standard import Standard, load_standard
from validator.law.text import clean

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[1] / "sources"
COMMITTED = ROOT / "standards"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_the_official_texts_ship_with_the_project() -> None:
    """sources/ holds exactly the seeds the importer's manifest knows, byte for byte (by sha256)."""
    import hashlib

    from validator.law.importer import load_manifest

    known = set(load_manifest())  # keyed by the seed's sha256
    assert len(SEED_FILES) == 5
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SEED_FILES}
    assert digests == known, "sources/ must hold exactly the texts the manifest knows, unchanged"


SLUGS = [
    # 000
    "gpo-apostille-2012",
    "criminal-record-certificate-2012",
    "legal-statistics-info-2012",
    "legal-stats-archive-certificates-2012",
    # 001
    "mod-reserve-officers-registration-2012",
    "mod-reserve-soldiers-registration-2012",
    "mod-conscripts-registration-2012",
    "mod-privileged-persons-references-2012",
    "mod-military-service-confirmation-2012",
    "mod-reserve-officers-military-id-2012",
    "mod-reserve-soldiers-military-id-2012",
    "mod-conscript-registration-certificate-2012",
    "mod-military-service-relation-certificate-2012",
    "mod-privileged-persons-status-cards-2012",
    # 002, 004
    "exit-permanent-residence-2011",
    "personal-subsidiary-farm-certificate-2012",
    # 003
    "basic-pension-payment-2012",
    "state-social-benefits-disability-survivor-age-2012",
    "state-special-benefit-2012",
    "gfss-social-risk-payments-2012",
    "childbirth-childcare-benefits-2012",
    "special-state-allowance-2012",
    "pension-savings-account-statement-2012",
    "disability-assessment-2012",
    "social-id-code-2012",
    "disabled-child-carer-allowance-2012",
    "funeral-lump-sum-2012",
    "targeted-assistance-certificate-2012",
    "active-employment-referral-2012",
]
# The id grammar of validator.law.standard (and of citations in rule files).
UNIT_ID = re.compile(r"^(?:(?:annex|section)-\d+(?:~\d+)?|\d+(?:\.(?:\d+|[а-яәғқңөұүһі]|u\d+)(?:~\d+)?)*)$")


def seed(prefix: str) -> Path:
    return next(p for p in SEED_FILES if p.name.startswith(prefix))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    assert SEED_FILES, f"the official texts must ship in {SEEDS}"
    out = tmp_path_factory.mktemp("import") / "standards"
    return import_seeds(SEED_FILES, out), out


@pytest.fixture(scope="module")
def std(imported: tuple[ImportReport, Path]) -> dict[str, Standard]:
    return {s.slug: s for s in imported[0].standards}


def quirks(s: Standard, code: str) -> list[tuple[int, str | None]]:
    return [(q.line, q.unit) for q in s.quirks if q.code == code]


# ==================================================================================================
# All seeds
# ==================================================================================================


def test_all_29_standards_are_written(imported: tuple[ImportReport, Path]) -> None:
    report, out = imported
    assert sorted(report.slugs) == sorted(SLUGS)
    assert sorted(p.parent.name for p in out.glob("*/standard.json")) == sorted(SLUGS)
    assert (out / "index.json").is_file()
    assert (out / "quirks.json").is_file()
    for slug in SLUGS:
        s = load_standard(slug, out)
        assert s.slug == slug
        assert s.title_en
        assert s.title_kk


def test_reimport_matches_the_committed_standards_byte_for_byte(imported: tuple[ImportReport, Path]) -> None:
    _, out = imported
    assert (COMMITTED / "index.json").is_file(), f"no committed standards in {COMMITTED}"
    fresh = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(COMMITTED).as_posix()
        for p in COMMITTED.rglob("*")
        if p.is_file() and (p.name in ("index.json", "quirks.json") or p.name == "standard.json")
    )
    assert fresh == committed
    for rel in fresh:
        assert (out / rel).read_bytes() == (COMMITTED / rel).read_bytes(), f"{rel} differs: run the importer"


def test_output_has_no_absolute_paths_or_timestamps(imported: tuple[ImportReport, Path]) -> None:
    _, out = imported
    index = (out / "index.json").read_text(encoding="utf-8")
    assert str(SEEDS) not in index
    assert "/" not in re.sub(r'"(?:title_kk|title_en)": "[^"]*"', "", index)
    s = load_standard("exit-permanent-residence-2011", out)
    assert s.source_file == "002_fb89d94cd7fa7297.txt"
    assert len(s.source_sha256) == 64
    assert s.source_sha256 == _read_seed(seed("002")).sha256


def test_paragraphs_run_1_to_n_with_no_unreported_gaps(std: dict[str, Standard]) -> None:
    short = {"gpo-apostille-2012", "legal-statistics-info-2012", "legal-stats-archive-certificates-2012"}
    short |= {"targeted-assistance-certificate-2012"}
    for slug, s in std.items():
        numbers = [int(p.id) for p in s.paragraphs()]
        reported = {int(u) for _, u in quirks(s, "numbering-gap") if u and u.isdigit()}
        missing = set(range(1, max(numbers) + 1)) - set(numbers)
        assert numbers == sorted(numbers), slug
        assert numbers[0] == 1, slug
        assert missing <= reported, f"{slug}: paragraphs {sorted(missing - reported)} missing without a quirk"
        assert len(numbers) == (25 if slug in short else 26), slug


def test_units_are_well_formed(std: dict[str, Standard]) -> None:
    for slug, s in std.items():
        ids = [u.id for u in s.units]
        assert len(ids) == len(set(ids)), slug
        for u in s.units:
            assert UNIT_ID.match(u.id), (slug, u.id)
            assert s.lines.start <= u.lines.start <= u.lines.end <= s.lines.end, (slug, u.id)
            assert u.parent is None or s.unit(u.parent) is not None, (slug, u.id)
            if u.kind == "annex":
                assert u.annex_kind is not None
                assert all(line == clean(line) for line in u.text.split("\n")), (slug, u.id)
            else:
                assert u.text == clean(u.text), (slug, u.id)
                assert u.text, (slug, u.id)
            if u.kind in ("paragraph", "subparagraph", "item", "part"):
                assert u.section is not None, (slug, u.id)
                assert s.unit(u.section) is not None, (slug, u.id)
        assert [u.number for u in s.units if u.kind == "section"] == ["1", "2", "3", "4", "5"], slug
        assert [u for u in s.units if u.kind == "annex"], slug


def test_every_standard_is_repealed_and_dated_with_a_note(std: dict[str, Standard]) -> None:
    for slug, s in std.items():
        assert s.repealed_by is not None, slug
        assert s.in_force_from is not None, slug
        assert s.in_force_to is not None, slug
        assert s.in_force_from < s.in_force_to, slug
        assert "Approximate" in s.in_force_note, slug
        assert "lower bound" in s.in_force_note, slug
        assert "қолданысқа енгізіледі" in s.entry_into_force or "енгiзiледi" in s.entry_into_force, slug


def test_quirk_codes_are_known_and_the_report_lists_them(imported: tuple[ImportReport, Path]) -> None:
    report, _out = imported
    for s in report.standards:
        for q in s.quirks:
            assert q.code in QUIRK_CODES
    text = report.render_quirks()
    assert "29 standards" in text
    assert "restarted-numbering" in text
    assert "004_9b10e58c96042a57.txt:73: restarted-numbering [7.1~2]" in text
    assert report.quirk_counts()["missing-annex-header"] == 2


def test_manifest_line_ranges_agree_with_detection() -> None:
    manifest = load_manifest()
    for path in SEED_FILES:
        sd = _read_seed(path)
        entry = manifest[sd.sha256]
        assert entry.file == path.name
        found = [(loc.start, loc.end) for loc in detect_standards(sd)]
        assert found == [(spec.start, spec.end) for spec in entry.standards], path.name


# ==================================================================================================
# exit-permanent-residence-2011 (002): the rule engine's first standard
# ==================================================================================================


def test_exit_permanent_residence_units(std: dict[str, Standard]) -> None:
    s = std["exit-permanent-residence-2011"]
    u = s.unit("11.2")
    assert u is not None
    assert "жеке куәлігін және паспортын" in u.text
    assert s.unit("16.7") is not None
    assert s.unit("11.u3") is not None
    assert s.unit("11.u3").text == "Азаматтардан басқа құжаттарды сұратуға жол берілмейді."
    assert s.unit("11.u4").text.startswith("Ішкі істер органдарына құжаттарды делдал")  # type: ignore[union-attr]
    assert s.unit("16.u1").text.startswith("Қазақстан Республикасының азаматында салықтық берешегі")  # type: ignore[union-attr]
    item = s.unit("7.1.а")
    assert item is not None
    assert item.kind == "item"
    assert item.parent == "7.1"
    assert item.lines.start == 54
    assert s.unit("7.1.б") is not None
    assert s.contains_quote("11", "Азаматтардан басқа құжаттарды сұратуға жол берілмейді")
    assert s.approved_by.number == "199"
    assert str(s.approved_by.date) == "2011-02-28"
    assert s.repealed_by is not None
    assert s.repealed_by.number == "54"
    assert (str(s.in_force_from), str(s.in_force_to)) == ("2011-03-10", "2014-02-13")


def test_split_paragraph_and_spaced_words_are_rejoined(std: dict[str, Standard]) -> None:
    s = std["exit-permanent-residence-2011"]
    p1 = s.unit("1")
    assert p1 is not None
    assert (p1.lines.start, p1.lines.end) == (28, 32)
    assert p1.text.endswith("(бұдан әрі - ІІД-нің КҚПБ) көрсетеді.")
    assert s.unit("23").text.endswith("сотқа жүгінуге құқығы бар.")  # type: ignore[union-attr]
    assert s.unit("25.u1").text.endswith("Заңында белгіленген тәртіппен қаралады.")  # type: ignore[union-attr]
    assert s.unit("11.6").lines.end == 83  # type: ignore[union-attr]
    assert (30, "1") in quirks(s, "split-paragraph")
    assert (32, "1") in quirks(s, "split-paragraph")
    spaced = [q.message for q in s.quirks if q.code == "spaced-word"]
    assert "letter-spaced «қ ұ қ ы ғ ы б а р» read as «құқығы бар»" in spaced


def test_amendment_notes_attach_to_their_paragraphs(std: dict[str, Standard]) -> None:
    s = std["exit-permanent-residence-2011"]
    assert [(a.unit, a.kind, a.lines.start) for a in s.amendments] == [
        ("3", "new-edition", 42),
        ("11", "amended", 95),
        ("13", "new-edition", 101),
        ("16", "new-edition", 129),
        ("26", "new-edition", 161),
    ]
    assert all(a.decree.number == "21" and str(a.decree.date) == "2013-01-21" for a in s.amendments)
    assert s.unit("11").notes[0].startswith("Ескерту. 11-тармаққа өзгеріс енгізілді")  # type: ignore[union-attr]
    assert [a.unit for a in s.amendments_of("11.u3")] == ["11"]
    assert "Paragraph(s) 3, 11, 13, 16, 26" in s.in_force_note


def test_latin_lookalike_stays_and_is_reported(std: dict[str, Standard]) -> None:
    s = std["exit-permanent-residence-2011"]
    assert s.unit("11.4").text.endswith("туралы анықтамa ;")  # type: ignore[union-attr]  # Latin a, as written
    assert s.contains_quote("11.4", "әскери билетін тапсырғаны туралы анықтама")
    assert (79, "11.4") in quirks(s, "latin-lookalike")


def test_annexes_and_their_kinds(std: dict[str, Standard]) -> None:
    s = std["exit-permanent-residence-2011"]
    kinds = {u.id: u.annex_kind for u in s.units if u.kind == "annex"}
    assert kinds == {
        "annex-1": "address-list",
        "annex-2": "talon-form",
        "annex-3": "quality-table",
        "annex-4": "talon-form",
    }
    a1 = s.unit("annex-1")
    assert a1 is not None
    assert a1.lines.start == 163
    assert "Астана қаласының Ішкі істер департаменті" in a1.text
    assert s.unit("annex-4").lines.end == 471  # type: ignore[union-attr]  # the © footer is not part of it
    assert (461, "annex-4") in quirks(s, "annex-caption-mismatch")  # names the invitations standard
    assert (163, "annex-1") in quirks(s, "markup")
    assert (18, None) in quirks(s, "decree-date-mismatch")  # 23 vs 28 February 2011


# ==================================================================================================
# The hard cases of the other seeds
# ==================================================================================================


def test_004_paragraph_7_restarts_numbering_for_the_centre_channel(std: dict[str, Standard]) -> None:
    s = std["personal-subsidiary-farm-certificate-2012"]
    children = [u.id for u in s.children("7")]
    assert children == ["7.1", "7.2", "7.3", "7.u1", "7.1~2", "7.2~2", "7.3~2"]
    assert s.unit("7.u1").text == "Орталықтарға өтініш берген кезде:"  # type: ignore[union-attr]
    assert "20 (жиырма) минуттан аспайды" in s.unit("7.2~2").text  # type: ignore[union-attr]
    assert quirks(s, "restarted-numbering") == [(73, "7.1~2")]
    assert quirks(s, "duplicate-number") == []


def test_004_unnumbered_parts_and_whole_standard_new_edition(std: dict[str, Standard]) -> None:
    s = std["personal-subsidiary-farm-certificate-2012"]
    assert [u.id for u in s.children("11")] == ["11.1", "11.2", "11.u1", "11.u2"]
    assert s.unit("11.u1").text.startswith("Мемлекеттік ақпараттық жүйелерде қамтылған")  # type: ignore[union-attr]
    assert s.unit("9.u1").text.startswith("Мобильді орталықтар")  # type: ignore[union-attr]
    assert s.unit("5").text.endswith("бастарту туралы дәлелді жауап болып табылады.")  # type: ignore[union-attr]
    assert s.unit("18").lines.end == 153  # type: ignore[union-attr]
    assert s.edition == "new-edition"
    assert s.amended_by is not None
    assert s.amended_by.number == "1223"
    (note,) = s.amendments
    assert note.unit is None
    assert note.kind == "new-edition"
    assert str(note.decree.date) == "2012-09-19"
    assert str(s.in_force_from) == "2012-09-29"
    assert str(s.in_force_to) == "2014-01-09"
    assert s.entry_into_force == note.in_force_rule
    assert s.unit("23").text.endswith("сотқа жүгінуге құқылы.")  # type: ignore[union-attr]
    assert s.unit("21.u1").text.endswith("«Орталық» РМК беріледі.")  # type: ignore[union-attr]


def test_001_stray_paragraph_number_inside_paragraph_4(std: dict[str, Standard]) -> None:
    for slug, line in (
        ("mod-military-service-confirmation-2012", 10156),
        ("mod-reserve-soldiers-military-id-2012", 15236),
    ):
        s = std[slug]
        assert [p.id for p in s.paragraphs()] == [str(n) for n in range(1, 27)]
        u = s.unit("4.1")
        assert u is not None
        assert u.lines.start == line
        assert u.text.startswith("Қазақстан Республикасы Қорғаныс")
        assert [c.id for c in s.children("4")][:4] == ["4.1", "4.2", "4.3", "4.4"]
        assert quirks(s, "paragraph-style-subparagraph") == [(line, "4.1")]


def test_001_standard_1_has_no_decree_annex_header(std: dict[str, Standard]) -> None:
    s = std["mod-reserve-officers-registration-2012"]
    assert s.lines.start == 107
    assert s.title_kk == "«Запастағы офицерлерді әскери есепке алу» мемлекеттік қызмет стандарты"
    assert quirks(s, "missing-annex-header") == [(107, None)]
    assert s.edition == "new-edition"
    assert s.amended_by is not None
    assert s.amended_by.number == "1741"
    # two channel sub-lists, both numbered 1)-3)
    assert [u.id for u in s.children("7")] == ["7.u1", "7.1", "7.2", "7.3", "7.u2", "7.1~2", "7.2~2", "7.3~2"]
    # unnumbered document lines belong to their situation
    assert [u.id for u in s.children("11.1")] == ["11.1.u1", "11.1.u2", "11.1.u3"]


def test_001_decimal_subparagraphs_and_continuations(std: dict[str, Standard]) -> None:
    s = std["mod-reserve-officers-military-id-2012"]
    assert [u.id for u in s.children("11") if u.kind == "subparagraph"] == ["11.1", "11.2", "11.3", "11.4", "11.5"]
    assert [u.id for u in s.children("11.4") if u.kind == "item"] == ["11.4.1", "11.4.2", "11.4.3"]
    assert quirks(s, "decimal-subparagraph") == [(12733, "11.1")]
    s4 = std["mod-privileged-persons-references-2012"]
    assert [u.id for u in s4.children("7.1")] == ["7.1.u1", "7.1.u2"]  # extension rules of the 1-day term


def test_003_truncated_header_and_title_with_heading(std: dict[str, Standard]) -> None:
    prev, s = std["childbirth-childcare-benefits-2012"], std["special-state-allowance-2012"]
    assert prev.lines.end == 19632
    assert s.lines.start == 19633
    assert quirks(s, "truncated-annex-header") == [(19633, None)]
    assert s.title_kk == "«Арнаулы мемлекеттік жәрдемақыны тағайындау» мемлекеттік қызмет стандарты"
    sec = s.unit("section-1")
    assert sec is not None
    assert sec.lines.start == 19639
    assert sec.title == "Жалпы ережелер"
    assert quirks(s, "heading-on-title-line") == [(19639, "section-1")]
    assert s.unit("1").lines.start == 19642  # type: ignore[union-attr]
    assert quirks(prev, "truncated-annex-header") == [(15934, None)]  # «2012 жылғы № қаулысына 5-қосымша»
    assert quirks(std["basic-pension-payment-2012"], "missing-annex-header") == [(478, None)]


def test_003_duplicate_and_restarted_subparagraphs(std: dict[str, Standard]) -> None:
    s = std["state-social-benefits-disability-survivor-age-2012"]
    assert [u.id for u in s.children("11")][:7] == ["11.u1", "11.1", "11.2", "11.2~2", "11.4", "11.5", "11.u2"]
    assert quirks(s, "duplicate-number") == [(4459, "11.2~2")]
    assert (4473, "11.1~2") in quirks(s, "restarted-numbering")


def test_003_standard_7_stops_at_paragraph_25(std: dict[str, Standard]) -> None:
    s = std["targeted-assistance-certificate-2012"]
    assert [p.id for p in s.paragraphs()] == [str(n) for n in range(1, 26)]
    assert quirks(s, "numbering-gap") == []
    assert [u.id for u in s.children("7")] == ["7.u1", "7.u2", "7.u3"]
    assert [u.annex_kind for u in s.units if u.kind == "annex"] == [
        "address-list",
        "application-form",
        "form",
        "quality-table",
        "address-list",
        "address-list",
    ]


def test_000_section_heading_and_paragraph_share_number_1(std: dict[str, Standard]) -> None:
    s = std["gpo-apostille-2012"]
    assert quirks(s, "section-number-collision") == [(61, "section-1")]
    assert s.unit("1").section == "section-1"
    assert s.unit("11").section == "section-2"
    assert [u.id for u in s.children("5")] == ["5.u1", "5.u2", "5.u3", "5.u4"]
    assert s.contains_quote("8", "540-бабы 8) тармақшасына")  # a no-break space in the text
    assert s.approved_by.title_kk is not None
    assert s.approved_by.title_kk.startswith("Қазақстан Республикасы Бас")


# ==================================================================================================
# Bad inputs: a SeedError naming the file, and the output folder untouched
# ==================================================================================================

DECREE_HEAD = "Қазақстан Республикасы Үкіметінің 2011 жылғы 28 ақпандағы № 199 қаулысы.\n\n"


@pytest.fixture
def out_dir(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "standards"
    out.mkdir()
    (out / "sentinel.txt").write_text("keep me", encoding="utf-8")
    return out


def assert_untouched(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["sentinel.txt"]
    assert (out / "sentinel.txt").read_text(encoding="utf-8") == "keep me"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".standards.import-")]


def test_missing_path(out_dir: Path) -> None:
    path = out_dir.parent / "nope.txt"
    with pytest.raises(SeedError) as e:
        import_seeds([path], out_dir)
    assert e.value.file == str(path)
    assert e.value.line is None
    assert str(e.value) == f"{path}: no such file"
    assert_untouched(out_dir)


def test_empty_file(out_dir: Path) -> None:
    path = out_dir.parent / "empty.txt"
    path.write_bytes(b"\n \n\t\n")
    with pytest.raises(SeedError, match=r"empty\.txt: empty file$"):
        import_seeds([path], out_dir)
    assert_untouched(out_dir)


def test_non_utf8_file_names_the_byte_offset(out_dir: Path) -> None:
    path = out_dir.parent / "kz1048.txt"
    path.write_bytes(DECREE_HEAD.encode() + "Мемлекеттік қызмет".encode("kz1048"))  # the Windows Kazakh code page
    with pytest.raises(SeedError) as e:
        import_seeds([path], out_dir)
    offset = len(DECREE_HEAD.encode())
    assert e.value.line == 3
    assert str(e.value) == f"{path}:3: not UTF-8: invalid byte 0xcc at byte offset {offset}"
    assert_untouched(out_dir)


def test_not_a_decree(out_dir: Path) -> None:
    path = out_dir.parent / "notes.txt"
    path.write_text("Бұл жай мәтін.\nМемлекеттік қызмет стандарты емес.\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"notes\.txt: not an Әділет decree"):
        import_seeds([path], out_dir)
    assert_untouched(out_dir)


def test_decree_without_a_standard(out_dir: Path) -> None:
    path = out_dir.parent / "decree.txt"
    path.write_text(
        DECREE_HEAD + "1. Осы қаулы алғашқы ресми жарияланғанынан кейін қолданысқа енгізіледі.\n", encoding="utf-8"
    )
    with pytest.raises(SeedError, match=r"decree\.txt: not a known seed .* no standard title"):
        import_seeds([path], out_dir)
    assert_untouched(out_dir)


def test_unparseable_structure(out_dir: Path) -> None:
    path = out_dir.parent / "broken.txt"
    path.write_text(
        DECREE_HEAD + "«Бір нәрсе беру» мемлекеттік қызмет стандарты\n\nМұнда тармақ жоқ.\n", encoding="utf-8"
    )
    with pytest.raises(SeedError) as e:
        import_seeds([path], out_dir)
    assert e.value.file == str(path)
    assert "cannot parse the standard" in e.value.message
    assert "\n" not in str(e.value)
    assert_untouched(out_dir)


def test_a_bad_seed_among_good_ones_writes_nothing(out_dir: Path) -> None:
    with pytest.raises(SeedError):
        import_seeds([seed("002"), out_dir.parent / "missing.txt"], out_dir)
    assert_untouched(out_dir)


# ==================================================================================================
# Writing
# ==================================================================================================


def test_reimport_is_byte_identical_and_keeps_foreign_files(out_dir: Path) -> None:
    seeds = [seed("002"), seed("004")]
    import_seeds(seeds, out_dir)
    first = {p.relative_to(out_dir): p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    (out_dir / "stale-slug").mkdir()
    (out_dir / "stale-slug" / "standard.json").write_text("{}")
    import_seeds(seeds, out_dir)
    second = {p.relative_to(out_dir): p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    assert first == second
    assert second[Path("sentinel.txt")] == b"keep me"
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "exit-permanent-residence-2011",
        "index.json",
        "personal-subsidiary-farm-certificate-2012",
        "quirks.json",
        "sentinel.txt",
    ]
    index = (out_dir / "index.json").read_text(encoding="utf-8")
    assert '"slug": "exit-permanent-residence-2011"' in index
    assert '"paragraphs": 26' in index


def test_the_same_seed_twice_is_an_error(out_dir: Path) -> None:
    copy = out_dir.parent / "copy.txt"
    shutil.copy(seed("002"), copy)
    with pytest.raises(SeedError, match="the same seed as"):
        import_seeds([seed("002"), copy], out_dir)
    assert_untouched(out_dir)


def test_unknown_seed_is_auto_detected(tmp_path: Path) -> None:
    changed = tmp_path / "002-edited.txt"
    changed.write_bytes(seed("002").read_bytes() + b"\n")  # another sha256: not in the manifest
    (auto,) = parse_seed(changed)
    (known,) = parse_seed(seed("002"))
    assert auto.slug == "qazaqstan-respublikasynan-tys-zherlerge-turaqty-turuga-2011"
    assert auto.title_en == ""
    assert quirks(auto, "auto-detected") == [(24, None)]
    assert auto.lines == known.lines
    assert auto.units == known.units
    assert auto.approved_by.number == "199"


def test_a_missing_paragraph_is_reported_as_a_gap(tmp_path: Path) -> None:
    lines = seed("002").read_text(encoding="utf-8").split("\n")
    assert lines[43].startswith("4. Мемлекеттік қызмет және мемлекеттік қызмет стандарты туралы")
    lines[43] = ""  # paragraph 4 lost; line numbers stay
    edited = tmp_path / "002-without-4.txt"
    edited.write_text("\n".join(lines), encoding="utf-8")
    (s,) = parse_seed(edited)
    assert [p.id for p in s.paragraphs()][:4] == ["1", "2", "3", "5"]
    assert quirks(s, "numbering-gap") == [(46, "5")]
    assert s.unit("5").text.startswith("Шығатын елден шығу")  # type: ignore[union-attr]
