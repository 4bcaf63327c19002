"""Rendering: a function of the decision and the language, wholly in the language asked for.

Every bundled case is rendered in kk and ru and no Latin-letter word may appear outside the spans
the renderer marks as verbatim (the law's quotes, what the user typed); the JSON reports of the
three languages differ only in their rendered fields; a decision read back from JSON renders the
same bytes; findings with several citations show them all in text, Markdown and JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.decision.engine import evaluate
from validator.decision.model import Decision
from validator.report import locale
from validator.report.catalogue import DURATIONS, MESSAGES, WORDS
from validator.report.render import (
    RENDERED_KEYS,
    RENDERED_SUFFIXES,
    Renderer,
    Spans,
    markdown_lines,
    render,
    report_dict,
    text_lines,
)
from validator.surfaces.cli import report_language
from validator.surfaces.jobs import RuleSet, load_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").rglob("*.yaml"))
IDS = [str(p.relative_to(ROOT / "cases")) for p in CASES]

# A word with a Latin letter. Roman numerals (disability groups I–III) and web addresses are
# written in Latin letters in Kazakh and Russian too.
LATIN_WORD = re.compile(r"[A-Za-z][\w.\-/]*")
ALLOWED = re.compile(r"^(?:[IVX]+|(?:www\.)?[a-z0-9\-]+(?:\.[a-z]{2,})+/?)$")


def _decisions(path: Path, ruleset: RuleSet) -> list[tuple[Decision, Any]]:
    case, compiled = load_case(path, ruleset)
    return [(evaluate(compiled, case, mode), compiled) for mode in sorted(case.expect or {"check": None})]


def _latin_words(lines: list[Spans]) -> list[str]:
    out = []
    for line in lines:
        for text, verbatim in line:
            if not verbatim:
                out += [w for w in LATIN_WORD.findall(text) if not ALLOWED.match(w.rstrip("."))]
    return out


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_kazakh_and_russian_reports_have_no_english_word(path: Path, ruleset: RuleSet) -> None:
    for decision, compiled in _decisions(path, ruleset):
        for lang in ("kk", "ru"):
            for lines in (text_lines(decision, compiled, lang), markdown_lines(decision, compiled, lang)):
                words = _latin_words(lines)
                assert not words, f"{lang} {decision.kind}: Latin words outside verbatim spans: {words}"
            report = report_dict(decision, compiled, lang)
            for key, value in _rendered_fields(report):
                if key not in ("message", "name"):  # those two are checked through their spans above
                    words = [w for w in LATIN_WORD.findall(value) if not ALLOWED.match(w.rstrip("."))]
                    assert not words, f"{lang}: {key} = {value!r}"


def _rendered_fields(obj: Any, key: str = "") -> list[tuple[str, str]]:
    if isinstance(obj, dict):
        return [kv for k, v in obj.items() for kv in _rendered_fields(v, k)]
    if isinstance(obj, list):
        return [kv for v in obj for kv in _rendered_fields(v, key)]
    if isinstance(obj, str) and (key in RENDERED_KEYS or key.endswith(RENDERED_SUFFIXES)) and key != "lang":
        return [(key, obj)]
    return []


def _strip_rendered(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {
            k: _strip_rendered(v) for k, v in obj.items() if not (k in RENDERED_KEYS or k.endswith(RENDERED_SUFFIXES))
        }
    if isinstance(obj, list):
        return [_strip_rendered(v) for v in obj]
    return obj


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_reports_differ_only_in_rendered_text_and_round_trip(path: Path, ruleset: RuleSet) -> None:
    for decision, compiled in _decisions(path, ruleset):
        per_lang = {lang: report_dict(decision, compiled, lang) for lang in ("kk", "ru", "en")}
        assert _strip_rendered(per_lang["kk"]) == _strip_rendered(per_lang["ru"]) == _strip_rendered(per_lang["en"])
        again = Decision.from_json(decision.to_json())
        assert again == decision
        for lang in ("kk", "ru", "en"):
            for fmt in ("text", "md", "json"):
                assert render(again, compiled, lang, fmt) == render(decision, compiled, lang, fmt)  # type: ignore[arg-type]
        all_langs = json.loads(render(decision, compiled, "all", "json"))
        for f, one in zip(all_langs["findings"], per_lang["ru"]["findings"], strict=True):
            assert f["message"]["ru"] == one["message"]
            assert set(f["message"]) == {"kk", "ru", "en"}


def test_several_citations_show_in_every_format(ruleset: RuleSet) -> None:
    path = ROOT / "cases" / "exit-permanent-residence-2011" / "09-review-unlawful-refusal.yaml"
    case, compiled = load_case(path, ruleset)
    decision = evaluate(compiled, case, "review")
    beyond = next(f for f in decision.findings if f.code == "document-demanded-beyond-list")
    units = [c.unit for c in beyond.citations]
    assert units[0] == "11.u3" and "11.1" in units and "11.7" in units, units
    for lang in ("kk", "ru", "en"):
        labels = [locale.citation_label(lang, u) for u in units]
        text = render(decision, compiled, lang, "text")
        line = next(line for line in text.splitlines() if labels[0] in line and labels[-1] in line)
        assert all(label in line for label in labels)
        md = render(decision, compiled, lang, "md")
        assert all(label in md for label in labels)
        report = json.loads(render(decision, compiled, lang, "json"))
        f = next(f for f in report["findings"] if f["code"] == "document-demanded-beyond-list")
        assert [c["unit"] for c in f["citations"]] == units
        assert [c["label"] for c in f["citations"]] == labels
        assert all(c["text"] and c["quote"] for c in f["citations"])


def test_dates_money_and_plurals_as_each_language_writes_them(ruleset: RuleSet) -> None:
    path = ROOT / "cases" / "exit-permanent-residence-2011" / "09-review-unlawful-refusal.yaml"
    case, compiled = load_case(path, ruleset)
    decision = evaluate(compiled, case, "review")
    kk = render(decision, compiled, "kk", "text")
    ru = render(decision, compiled, "ru", "text")
    en = render(decision, compiled, "en", "text")
    assert "01.10.2013" in kk and "2013-10-01" not in kk
    assert "30 күнтізбелік күн" in kk and "30 календарных дней" in ru and "30 calendar days" in en
    assert "1\u00a0731\u00a0₸" in kk and "1\u00a0731\u00a0₸" in ru and "1,731\u00a0₸" in en
    assert "31.10.2013" in ru and "15.11.2013" in ru
    report = json.loads(render(decision, compiled, "ru", "json"))
    assert report["submitted_on"] == "2013-10-01" and report["schema_version"] == 2
    assert report["fee"]["due_amount"] == 1731


@pytest.mark.parametrize(
    ("lang", "n", "unit", "expected"),
    [
        ("ru", 1, "calendar-days", "1 календарный день"),
        ("ru", 2, "calendar-days", "2 календарных дня"),
        ("ru", 5, "calendar-days", "5 календарных дней"),
        ("ru", 21, "working-days", "21 рабочий день"),
        ("ru", 11, "working-days", "11 рабочих дней"),
        ("ru", 3, "months", "3 месяца"),
        ("ru", 20, "minutes", "20 минут"),
        ("ru", 2, "hours", "2 часа"),
        ("kk", 30, "calendar-days", "30 күнтізбелік күн"),
        ("kk", 10, "working-days", "10 жұмыс күні"),
        ("en", 1, "working-days", "1 working day"),
        ("en", 10, "working-days", "10 working days"),
    ],
)
def test_durations(lang: str, n: int, unit: str, expected: str, ruleset: RuleSet) -> None:
    compiled = ruleset.get("exit-permanent-residence-2011", "-", None)
    assert Renderer(compiled, lang).duration(n, unit) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unit", "kk", "ru", "en"),
    [
        ("11", "11-тармақ", "пункт 11", "paragraph 11"),
        ("11.2", "11-тармақтың 2) тармақшасы", "подпункт 2) пункта 11", "paragraph 11, subparagraph 2"),
        (
            "7.1.а",
            "7-тармақтың 1) тармақшасының а) тармақшасы",
            "подпункт а) подпункта 1) пункта 7",
            "paragraph 7, subparagraph 1, item a",
        ),
        # the third unnumbered part is the 4th абзац: drafting counts the numbered first line as the 1st
        ("11.u3", "11-тармақтың 4-азат жолы", "абзац 4 пункта 11", "paragraph 11, part 4"),
        ("annex-1", "1-қосымша", "приложение 1", "annex 1"),
    ],
)
def test_citation_labels(unit: str, kk: str, ru: str, en: str) -> None:
    assert [locale.citation_label(lang, unit) for lang in ("kk", "ru", "en")] == [kk, ru, en]  # type: ignore[arg-type]


def test_every_template_has_the_same_fields_in_every_language() -> None:
    for code, templates in MESSAGES.items():
        fields = [set(re.findall(r"\{(\w+)\}", t)) for t in templates]
        assert fields[0] == fields[1] == fields[2], code
    for unit, forms in DURATIONS.items():
        assert "other" in forms, unit


@given(st.integers(min_value=0, max_value=10_000))
def test_russian_plural_follows_cldr(n: int) -> None:
    """CLDR's Russian rule, restated: 1, 21, 31… one; 2–4, 22–24… few; the rest many."""
    category = locale.plural("ru", n)
    if n % 10 == 1 and n % 100 != 11:
        assert category == "one"
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        assert category == "few"
    else:
        assert category == "many"


@pytest.mark.parametrize(
    ("option", "fmt", "env", "expected"),
    [
        ("ru", "text", {"EREJE_LANG": "kk", "LANG": "en_US.UTF-8"}, "ru"),
        (None, "text", {"EREJE_LANG": "kk", "LANG": "ru_RU.UTF-8"}, "kk"),
        (None, "text", {"LC_ALL": "ru_KZ.UTF-8", "LANG": "kk_KZ.UTF-8"}, "ru"),
        (None, "md", {"LC_MESSAGES": "kk_KZ.UTF-8", "LANG": "ru_RU.UTF-8"}, "kk"),
        (None, "text", {"LANG": "de_DE.UTF-8"}, "en"),
        (None, "text", {}, "en"),
        (None, "json", {"EREJE_LANG": "kk", "LANG": "ru_RU.UTF-8"}, "en"),
        ("kk", "json", {}, "kk"),
    ],
)
def test_default_language(option: str | None, fmt: str, env: dict[str, str], expected: str) -> None:
    assert report_language(option, fmt, env) == expected


# --- no word mixes scripts ------------------------------------------------------------------------------

MIXED = re.compile(r"\w*(?:[A-Za-z]\w*[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]|[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]\w*[A-Za-z])\w*")


def _mixed(text: str) -> list[str]:
    return MIXED.findall(text)


def test_catalogue_has_no_mixed_script_word() -> None:
    for code, templates in MESSAGES.items():
        for t in templates:
            assert not _mixed(t), (code, t)
    for kind, words in WORDS.items():
        for id_, texts in words.items():
            for t in texts:
                assert not _mixed(t), (kind, id_, t)


def test_rule_file_names_and_labels_have_no_mixed_script_word() -> None:
    import yaml

    person_facing = {"name", "label", "message", "title"}

    def texts(obj: Any, where: str) -> list[str]:
        found = []
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in person_facing | {"value_labels"} and isinstance(v, dict):
                    for t in v.values():
                        if isinstance(t, str):
                            found += [f"{where}: {w}" for w in _mixed(t)]
                        elif isinstance(t, dict):
                            found += [f"{where}: {w}" for s in t.values() if isinstance(s, str) for w in _mixed(s)]
                else:
                    found += texts(v, where)
        elif isinstance(obj, list):
            for v in obj:
                found += texts(v, where)
        return found

    problems = []
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        problems += texts(data, path.name)
    assert not problems, problems


def test_page_and_readme_have_no_mixed_script_word() -> None:
    for path in [ROOT / "README.md", *sorted((ROOT / "validator" / "surfaces" / "static").glob("*.*"))]:
        if path.suffix in (".svg", ".png"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not _mixed(line), f"{path.name}:{n}: {_mixed(line)}"


def test_typed_text_cannot_forge_a_line_of_the_report(ruleset: RuleSet) -> None:
    """A ground typed with a line break is shown escaped on its finding's line, never as a line of its own."""
    path = ROOT / "cases" / "exit-permanent-residence-2011" / "09-review-unlawful-refusal.yaml"
    case, compiled = load_case(path, ruleset)
    assert case.decision is not None
    forged = "incomplete\n  Error  Term kept\r\n\u2028Verdict: lawful"
    case = case.model_copy(update={"decision": case.decision.model_copy(update={"grounds": [forged]})})
    decision = evaluate(compiled, case, "review")
    for lang in ("kk", "ru", "en"):
        text = render(decision, compiled, lang, "text")
        plain = render(
            evaluate(
                compiled,
                case.model_copy(update={"decision": case.decision.model_copy(update={"grounds": ["x"]})}),
                "review",
            ),
            compiled,
            lang,
            "text",
        )
        assert len(text.splitlines()) == len(plain.splitlines())
        assert "\\n  Error  Term kept\\r\\n\\u2028Verdict: lawful" in text
    typed = [f.params["given"] for f in decision.findings if f.code == "ground-not-listed"]
    assert typed and typed[0].value == forged  # type: ignore[union-attr]


def _review_case(ruleset: RuleSet, **decision: Any) -> tuple[Any, Any]:
    path = ROOT / "cases" / "exit-permanent-residence-2011" / "09-review-unlawful-refusal.yaml"
    case, compiled = load_case(path, ruleset)
    assert case.decision is not None
    return case.model_copy(update={"decision": case.decision.model_copy(update=decision)}), compiled


def test_markdown_shows_typed_text_and_never_interprets_it(ruleset: RuleSet) -> None:
    case, compiled = _review_case(ruleset, grounds=["<script>alert(1)</script> **bold** back\\|slash"])
    case = case.model_copy(update={"id": "x\nVerdict: lawful\n| a | b |"})
    md = render(evaluate(compiled, case, "review"), compiled, "en", "md")
    assert "<script>" not in md and "\\<script\\>" in md and "\\*\\*bold\\*\\*" in md
    assert not any(line.startswith(("Verdict", "**Verdict:** lawful")) for line in md.splitlines())
    assert "**Verdict:** unlawful" in md
    text = render(evaluate(compiled, case, "review"), compiled, "en", "text")
    assert text.splitlines()[0] == "Case: x\\nVerdict: lawful\\n| a | b |"


def test_amounts_beyond_any_fee_render_and_tiyn_decide(ruleset: RuleSet) -> None:
    case, compiled = _review_case(ruleset, demanded_fee=1e30)
    for lang in ("kk", "ru", "en"):
        assert "₸" in render(evaluate(compiled, case, "review"), compiled, lang, "text")  # no crash
    # 1731.004 tenge demanded is 1 731,00 ₸: the duty, not more
    case, compiled = _review_case(ruleset, demanded_fee=1731.004)
    assert not [f for f in evaluate(compiled, case, "review").findings if f.code == "fee-demanded-unlawfully"]
    assert locale.money("ru", -0.0) == "0\u00a0₸" and locale.money("ru", 865.5) == "865,50\u00a0₸"


def test_a_yes_no_fact_the_case_does_not_state_is_asked_not_asserted(ruleset: RuleSet) -> None:
    path = ROOT / "cases" / "exit-permanent-residence-2011" / "13-needs-data-unknown-facts.yaml"
    if not path.exists():
        path = next(
            p for p in sorted((ROOT / "cases" / "exit-permanent-residence-2011").glob("*.yaml")) if "data" in p.name
        )
    case, compiled = load_case(path, ruleset)
    decision = evaluate(compiled, case, "check")
    assert any(f.code == "needs-data" for f in decision.findings)
    ru = render(decision, compiled, "ru", "text")
    assert "В деле не указано:" in ru and "(да или нет)" in ru


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_the_json_report_joined_from_kept_pieces_is_the_report_written_whole(path: Path, ruleset: RuleSet) -> None:
    """`report_bytes` joins kept texts of findings, checklist lines and terms to the rest: byte for byte
    what writing `report_dict` whole gives, indented and on one line, in each language — rendered twice,
    so the second joins pieces kept from the first."""
    from pydantic_core import to_json

    from validator.report.render import report_bytes

    for decision, compiled in _decisions(path, ruleset):
        for lang in ("kk", "ru", "en"):
            whole = report_dict(decision, compiled, lang)
            for _ in range(2):
                assert report_bytes(decision, compiled, lang) == to_json(whole, indent=2)
                assert report_bytes(decision, compiled, lang, compact=True) == to_json(whole)
