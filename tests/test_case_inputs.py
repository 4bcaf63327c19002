"""What a case says, read as it means or refused: dates and clock times, time zones, timelines, the MCI
series, numbers, YAML that versions read differently, and documents whose condition is unknown.

Each class of input here used to give a wrong answer with exit 0 (or a crash); each test fails without
the guarantee it holds (README, "Limits and guarantees").
"""

from __future__ import annotations

import json
import math
import zoneinfo
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pydantic
import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from validator.decision.case import Case
from validator.decision.context import Ctx, missing_documents
from validator.decision.engine import evaluate
from validator.decision.load import load_case_text
from validator.decision.mci import mci_series
from validator.decision.model import Decision
from validator.errors import InputError, InputErrors
from validator.report.catalogue import MESSAGES
from validator.report.render import render
from validator.rules import conditions
from validator.rules.compiler import CompiledRules, load_rules
from validator.rules.model import Fact, Text
from validator.rules.yamlload import load_yaml_text
from validator.rules.zones import DEFAULT_TIMEZONE, zone
from validator.surfaces.cli import cli
from validator.surfaces.jobs import RuleSet

from .strategies import cases

ROOT = Path(__file__).resolve().parent.parent
SLUG = "exit-permanent-residence-2011"
EXIT_RULES = ROOT / "rules" / f"{SLUG}.yaml"
ACCEPT = ROOT / "cases" / SLUG / "01-accept-adult.yaml"
RULES = RuleSet.lazy([ROOT / "rules"])
ALMATY = zone(DEFAULT_TIMEZONE)


def base(**changes: Any) -> dict[str, Any]:
    """The accept-adult case (every document, the duty paid, terms kept) as plain data, with `changes`."""
    data: dict[str, Any] = load_yaml_text(ACCEPT.read_text(encoding="utf-8"), "case.yaml").data
    data.pop("expect")
    data["events"] = dict(data["events"])
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def events(**changes: str | None) -> dict[str, str]:
    out = dict(base()["events"])
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def load(data: dict[str, Any], rules: RuleSet = RULES) -> tuple[Case, CompiledRules]:
    return load_case_text(json.dumps(data), "json", rules, "case.json")


def refused(data: dict[str, Any] | str, rules: RuleSet = RULES) -> list[Any]:
    """The problems of a case that must be refused (JSON data, or YAML text)."""
    text, kind = (data, "yaml") if isinstance(data, str) else (json.dumps(data), "json")
    with pytest.raises((InputErrors, InputError)) as e:
        load_case_text(text, kind, rules, f"case.{kind}")  # type: ignore[arg-type]
    return list(e.value.problems)


def decide(data: dict[str, Any], mode: str = "check", rules: RuleSet = RULES) -> Decision:
    case, compiled = load(data, rules)
    return evaluate(compiled, case, mode)  # type: ignore[arg-type]


def term(decision: Decision, term_id: str) -> Any:
    return next(t for t in decision.terms if t.id == term_id)


def codes(decision: Decision) -> set[str]:
    return {f.code for f in decision.findings}


@pytest.fixture
def zoned_rules(tmp_path: Path) -> Any:
    """A rules folder holding the exit rule file with a `timezone:` of the rule file and/or its channel."""

    def make(rule_zone: str | None = None, channel_zone: str | None = None) -> RuleSet:
        text = EXIT_RULES.read_text(encoding="utf-8")
        if rule_zone:
            text = text.replace("in_force:", f"timezone: {rule_zone}\nin_force:", 1)
        if channel_zone:
            text = text.replace("    kind: authority\n", f"    kind: authority\n    timezone: {channel_zone}\n", 1)
        folder = tmp_path / f"rules-{rule_zone}-{channel_zone}".replace("/", "_")
        folder.mkdir()
        (folder / EXIT_RULES.name).write_text(text, encoding="utf-8")
        return RuleSet.lazy([folder])

    return make


# --- 1. dates, clock times and time zones ---------------------------------------------------------


@given(st.from_regex(r"\A[0-9]{1,14}\Z"), st.sampled_from(["submitted_on", "decided", "payment"]))
def test_a_string_of_digits_is_never_a_date(digits: str, where: str) -> None:
    """pydantic reads "20131115" as a Unix timestamp (1970); only ISO text is a date."""
    if where == "submitted_on":
        data, path = base(submitted_on=digits), ("submitted_on",)
    elif where == "decided":
        data, path = base(events=events(decided=digits)), ("events", "decided")
    else:
        data, path = base(payment={"amount": 1731, "date": digits}), ("payment", "date")
    problems = refused(data)
    assert [p.path for p in problems] == [path]
    assert f"{digits!r} is not a valid date" in problems[0].message
    assert "2013-04-01" in problems[0].message  # what would be right


@pytest.mark.parametrize(
    "text",
    [
        "2013-04-01 10:00",
        "2013-4-1",
        "01.04.2013",
        "2013/04/01",
        "2013-04-01T10",
        "2013-04-01T10:00:00.5",
        "2013-04-01t10:00",
        "2013-04-01T10:00+0600",
        "2013-04-01T10:00+15:00",
        "2013-04-31T10:00",
        "  2013-04-01",
    ],
)
def test_only_iso_dates_and_date_times_are_times(text: str) -> None:
    problems = refused(base(events=events(service_ended=text)))
    assert problems[0].path == ("events", "service_ended")
    assert "2013-04-01T10:30" in problems[0].message


def test_a_day_field_takes_a_date_without_a_clock_time() -> None:
    problems = refused(base(submitted_on="2013-04-01T10:00"))
    assert "expected a date without a clock time" in problems[0].message


@given(
    st.datetimes(min_value=datetime(2011, 3, 11), max_value=datetime(2014, 2, 1)),
    st.integers(-12 * 4, 14 * 4).map(lambda q: timedelta(minutes=15 * q)),
    st.booleans(),
)
def test_an_offset_is_read_on_the_office_clock(local: datetime, offset: timedelta, seconds: bool) -> None:
    """A time with an offset is converted to the office's local time (Asia/Almaty) and made naive: the
    same instant written in any offset gives the same case and the same decision as the local time."""
    local = local.replace(microsecond=0, second=local.second if seconds else 0)
    instant = local.replace(tzinfo=ALMATY).astimezone(timezone(offset))
    spec = "seconds" if seconds else "minutes"
    day = local.date().isoformat()
    plain = {"submitted": local.isoformat(timespec=spec), "decided": (local.date() + timedelta(days=3)).isoformat()}
    shifted = {**plain, "submitted": instant.isoformat(timespec=spec)}
    naive_case, compiled = load(base(submitted_on=day, events=plain, payment=None))
    aware_case, _ = load(base(submitted_on=day, events=shifted, payment=None))
    assert aware_case.events["submitted"] == local and aware_case.events["submitted"].tzinfo is None
    assert evaluate(compiled, aware_case).to_json() == evaluate(compiled, naive_case).to_json()


def test_an_offset_beside_naive_times_is_judged_not_crashed() -> None:
    """service_ended with an offset beside naive times: a TypeError (exit 3, HTTP 500) before."""
    same = decide(base(events=events(service_ended="2013-04-01T10:15+06:00")), "review")
    assert term(same, "service-time").status == "kept"
    assert term(same, "service-time").ended == datetime(2013, 4, 1, 10, 15)
    west = decide(base(events=events(service_ended="2013-04-01T10:15+05:00")), "review")  # 11:15 in Almaty
    assert term(west, "service-time").status == "breached" and west.verdict == "unlawful"
    result = CliRunner().invoke(cli, ["check", str(ACCEPT)])
    assert result.exit_code == 0


def test_the_office_zone_is_the_channel_s_then_the_rule_file_s_then_almaty(zoned_rules: Any) -> None:
    case = base(events=events(service_ended="2013-04-01T10:15+05:00"))
    default = decide(case, "review")
    aqtobe = decide(case, "review", zoned_rules("Asia/Aqtobe"))  # UTC+5 in 2013: 10:15 is 10:15
    channel = decide(case, "review", zoned_rules("Asia/Almaty", "Asia/Oral"))  # the channel's zone wins
    assert term(default, "service-time").status == "breached"
    assert term(aqtobe, "service-time").status == "kept"
    assert term(channel, "service-time").status == "kept"
    assert term(channel, "service-time").ended == datetime(2013, 4, 1, 10, 15)


def test_a_zone_that_does_not_exist_is_a_rule_file_error_with_its_line(tmp_path: Path) -> None:
    text = EXIT_RULES.read_text(encoding="utf-8").replace("in_force:", "timezone: Asia/Almat\nin_force:", 1)
    line = text.splitlines().index("timezone: Asia/Almat") + 1
    path = tmp_path / EXIT_RULES.name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as e:
        load_rules(path)
    [problem] = e.value.problems
    assert problem.line == line and problem.path == ("timezone",)
    assert "unknown time zone 'Asia/Almat'" in problem.message and "did you mean 'Asia/Almaty'?" in problem.message


def test_zone_data_comes_from_tzdata_not_the_operating_system() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"tzdata>=' in pyproject
    zone.cache_clear()
    zoneinfo.reset_tzpath(to=[])  # no system zone files at all
    try:
        assert datetime(2013, 4, 1, tzinfo=zone("Asia/Almaty")).utcoffset() == timedelta(hours=6)
        assert datetime(2013, 4, 1, tzinfo=zone("Asia/Aqtobe")).utcoffset() == timedelta(hours=5)
    finally:
        zoneinfo.reset_tzpath()
        zone.cache_clear()


CLOCKED = [
    (slug, t.id, t.start, t.end)
    for slug in sorted(RULES.files)
    for t in RULES.get(slug, slug, None).rules.terms
    if t.unit in ("hours", "minutes") and t.channels is None and t.when is None
]


@given(st.sampled_from(CLOCKED), st.integers(0, 2), st.booleans(), st.data())
def test_a_date_without_a_clock_time_never_judges_a_term_in_minutes(
    clocked: tuple[str, str, str, str], days: int, end_is_a_day: bool, data: st.DataObject
) -> None:
    """A date-only start or end of a term in minutes or hours: not judged (never kept or breached on an
    invented 00:00, as "2013-04-01" read as a datetime made it)."""
    slug, term_id, start, end = clocked
    compiled = RULES.get(slug, slug, None)
    raw = data.draw(cases(compiled))
    submitted = datetime.fromisoformat(raw["events"]["submitted"])
    assume(compiled.rules.in_force.start <= submitted.date() <= compiled.rules.in_force.end)
    later = submitted + timedelta(days=days, minutes=5)
    raw["events"] = {"submitted": raw["events"]["submitted"]}
    if end_is_a_day:
        raw["events"][start] = submitted.isoformat(timespec="minutes")
        raw["events"][end] = later.date().isoformat()
    else:
        raw["events"][start] = submitted.date().isoformat()
        raw["events"][end] = later.isoformat(timespec="minutes")
    case = Case.model_validate(raw)
    decision = evaluate(compiled, case)
    if any(f.code == "terms-not-running" for f in decision.findings):
        return  # not accepted (handed in where the standard does not take it): no term runs at all
    result = term(decision, term_id)
    # The one judgement the days allow: the end on a day after the last day the term could end on.
    unit = next(t for t in compiled.rules.terms if t.id == term_id)
    span = timedelta(minutes=unit.duration) if unit.unit == "minutes" else timedelta(hours=unit.duration)
    began = submitted if end_is_a_day else datetime.combine(submitted.date(), datetime.max.time())
    if later.date() > (began + span).date():
        assert result.status == "breached" and result.due is None, (raw["events"], result)
        assert [f for f in decision.findings if f.code == "term-breached-across-days" and f.subject.id == term_id]
        return
    assert result.status == "not-judged", (raw["events"], result)
    notes = [f for f in decision.findings if f.code == "term-not-judged" and f.subject.id == term_id]
    assert notes and notes[0].case_path == f"$.events.{end if end_is_a_day else start}"


# --- 2. timelines that cannot happen ----------------------------------------------------------------

AFTER = ["registered", "forwarded", "received", "decided", "notified", "issued", "service_ended"]


@given(st.sampled_from(AFTER), st.integers(1, 400), st.booleans())
def test_an_event_before_the_submission_is_refused_naming_both_paths(event: str, days: int, clocked: bool) -> None:
    when = datetime(2013, 4, 1, 10, 0) - timedelta(days=days) if clocked else date(2013, 4, 1) - timedelta(days=days)
    assume(when.year >= 2011)
    data = base(events={"submitted": "2013-04-01T10:00", event: when.isoformat()})
    problems = refused(data)
    assert [p.code for p in problems] == ["impossible-timeline"]
    assert problems[0].path == ("events", event) and problems[0].line is not None
    assert f"$.events.{event}" in problems[0].message and "$.events.submitted" in problems[0].message
    # Never judged, even for a case built in code past the loader.
    _, compiled = load(base())
    with pytest.raises(InputErrors):
        evaluate(compiled, Case.model_validate(data))


@pytest.mark.parametrize(
    ("changes", "path", "other"),
    [
        (
            {"events": {"submitted": "2013-04-20T10:00", "decided": "2013-05-10"}},
            ("events", "submitted"),
            "$.submitted_on",
        ),
        ({"evaluated_on": "2013-03-15"}, ("evaluated_on",), "$.events.submitted"),
        (
            {
                "events": {
                    "submitted": "2013-04-01T10:00",
                    "service_started": "2013-04-01T10:00",
                    "service_ended": "2013-04-01T09:55",
                }
            },
            ("events", "service_ended"),
            "$.events.service_started",
        ),
        (
            {
                "events": {
                    "queue_joined": "2013-04-01T09:40",
                    "service_started": "2013-04-01T09:30",
                    "submitted": "2013-04-01T09:45",
                }
            },
            ("events", "service_started"),
            "$.events.queue_joined",
        ),
        (
            {"events": {"submitted": "2013-04-01T10:00", "queue_joined": "2013-03-31T18:00"}},
            ("events", "queue_joined"),
            "$.events.submitted",
        ),
        (
            {"events": {"submitted": "2013-04-01T10:00", "decided": "2013-04-10", "issued": "2013-04-09"}},
            ("events", "issued"),
            "$.events.decided",
        ),
        ({"events": {"submitted": "2013-04-01T23:30+05:00"}}, ("events", "submitted"), "$.submitted_on"),
    ],
)
def test_impossible_timelines_are_bad_input(changes: dict[str, Any], path: tuple[str, ...], other: str) -> None:
    """Before: the header said 01.04 and the term ran from 20.04, or a term was "kept" on it."""
    problems = refused(base(**changes))
    assert [p.path for p in problems] == [path]
    assert other in problems[0].message and "correct one of the two" in problems[0].message


def test_a_timeline_that_can_happen_is_accepted() -> None:
    # A decision the same day (by date) as a submission at 10:00; a visit to collect the result later.
    data = base(events=events(decided="2013-04-01", queue_joined="2013-04-01T09:45"), evaluated_on="2013-04-01")
    assert decide(data).verdict == "accept"
    later_visit = events(queue_joined="2013-04-26T09:00", service_started="2013-04-26T09:05")
    later_visit["service_ended"] = "2013-04-26T09:20"
    assert decide(base(events=later_visit)).verdict == "accept"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_fee_paid_after_the_decision_is_a_finding_not_bad_input(lang: str) -> None:
    decision = decide(base(payment={"amount": 1731, "date": "2013-04-26"}))
    [late] = [f for f in decision.findings if f.code == "fee-paid-after-decision"]
    assert late.severity == "warning" and late.citations[0].unit == "8" and late.case_path == "$.payment.date"
    assert decision.verdict == "accept"
    _, compiled = load(base())
    text = render(decision, compiled, lang, "text")  # type: ignore[arg-type]
    assert "26.04.2013" in text and "25.04.2013" in text and "{" not in text


# --- 3. fees where the MCI series has no value --------------------------------------------------


OUTSIDE = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=min(m.start for m in mci_series()) - timedelta(days=1)),
    st.dates(min_value=max(m.end for m in mci_series()) + timedelta(days=1), max_value=date(2100, 12, 31)),
)


@given(OUTSIDE, st.sampled_from([0, 1731, 10**6]))
def test_a_payment_the_mci_series_cannot_measure_is_never_a_pass(day: date, amount: int) -> None:
    """Before: no check at all (0 tenge → accept), and in a review no demanded fee was ever unlawful."""
    data = base(payment={"amount": amount, "date": day.isoformat()})
    data["events"].pop("decided")
    check = decide(data)
    assert check.verdict == "needs-data" and "mci-unknown" in codes(check)
    [unknown] = [f for f in check.findings if f.code == "mci-unknown"]
    assert unknown.severity == "warning" and unknown.citations[0].unit == "8"
    review = decide({**data, "decision": {"outcome": "issued", "demanded_fee": 5000}}, "review")
    assert review.verdict == "needs-data" and "mci-unknown" in codes(review)


def test_mci_messages_have_the_same_fields_in_three_languages() -> None:
    import string

    for code in ("mci-unknown", "fee-paid-after-decision", "term-not-judged"):
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in MESSAGES[code]]
        assert fields[0] == fields[1] == fields[2], code


# --- 4. numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1e999", "yaml"),
        (".inf", "yaml"),
        ("-.inf", "yaml"),
        (".nan", "yaml"),
        ("-1", "yaml"),
        ("1000000000001", "yaml"),
        ('"1731"', "yaml"),
        ("true", "yaml"),
        ("1_731", "yaml"),
        ("Infinity", "json"),
        ("-Infinity", "json"),
        ("NaN", "json"),
        ("1e999", "json"),
        ("1e13", "json"),
    ],
)
def test_an_amount_is_a_finite_number_of_tenge_in_range(text: str, kind: str) -> None:
    """Infinity never counts as paid; an amount is 0 ≤ x ≤ 10^12 tenge."""
    if kind == "yaml":
        problems = refused(
            f"standard: {SLUG}\nchannel: migration-police\nsubmitted_on: 2013-04-01\n"
            f"payment: {{amount: {text}, date: 2013-03-29}}\n"
        )
        assert problems[0].line == 4
    else:
        with pytest.raises(InputErrors) as e:
            load_case_text(
                f'{{"standard": "{SLUG}", "channel": "migration-police", "submitted_on": "2013-04-01", '
                f'"payment": {{"amount": {text}, "date": "2013-03-29"}}}}',
                "json",
                RULES,
                "case.json",
            )
        problems = e.value.problems
    assert problems[0].path[:2] == ("payment", "amount")


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, -1.0, 1e13])
def test_the_case_model_itself_refuses_infinite_and_absurd_amounts(value: float) -> None:
    with pytest.raises(pydantic.ValidationError):
        Case.model_validate(base(payment={"amount": value, "date": "2013-03-29"}))
    with pytest.raises(pydantic.ValidationError):
        Case.model_validate(base(decision={"outcome": "issued", "demanded_fee": value}))


@given(st.integers(-(10**12), 10**12))
def test_an_age_is_between_0_and_150(age: int) -> None:
    facts = {**base()["facts"], "age": age}
    if 0 <= age <= 150:
        assert load(base(facts=facts))[0].facts["age"] == age
    else:
        [problem] = refused(base(facts=facts))
        assert problem.path == ("facts", "age") and "between 0 and 150" in problem.message


@given(st.one_of(st.sampled_from([math.inf, -math.inf, math.nan, 1e13, -1e13]), st.integers(10**12 + 1, 10**15)))
def test_a_number_fact_is_finite_and_in_range(value: float) -> None:
    label = Text(kk="x", ru="x", en="x")
    for fact in (Fact(id="count", type="number", label=label), Fact(id="count", type="integer", label=label)):
        if isinstance(value, float) and fact.type == "integer":
            continue
        assert conditions.type_problem(fact, value) is not None
    assert conditions.type_problem(Fact(id="count", type="number", label=label), 5.5) is None
    years = Fact(id="service_length", type="integer", label=label, unit="years")
    assert conditions.type_problem(years, 151) and conditions.type_problem(years, -1)
    assert conditions.type_problem(Fact(id="day", type="date", label=label), "20131115")


@given(st.integers(10, 10**9), st.data())
def test_a_number_with_an_underscore_is_never_silently_a_number(n: int, data: st.DataObject) -> None:
    """YAML 1.1 reads 1_8 as 18, YAML 1.2 as text: refused, never 18."""
    digits = str(n)
    at = data.draw(st.integers(1, len(digits) - 1))
    written = digits[:at] + "_" + digits[at:]
    with pytest.raises(InputError) as e:
        load_yaml_text(f"a: 1\nage: {written}\n", "case.yaml")
    assert e.value.line == 2 and e.value.code == "bad-number" and f"write {digits}" in e.value.message
    assert load_yaml_text(f'age: "{written}"\n', "case.yaml").data == {"age": written}


@pytest.mark.parametrize(
    "value",
    [
        "!!str false",
        '!!int "5"',
        "!!bool true",
        "!!float 1",
        '!!null ""',
        "! 5",
        "!!map {}",
        "!!seq []",
        "!!timestamp 2013-04-01",
    ],
)
def test_an_explicit_tag_is_refused_never_ignored(value: str) -> None:
    with pytest.raises(InputError) as e:
        load_yaml_text(f"a: 1\nb: {value}\n", "case.yaml")
    assert e.value.line == 2 and "is not allowed" in e.value.message


@pytest.mark.parametrize(
    ("fact", "value"), [("age", "18"), ("age", 18.0), ("age", True), ("citizen", "true"), ("citizen", 1)]
)
def test_fact_values_are_of_the_declared_type(fact: str, value: Any) -> None:
    facts = {**base()["facts"], fact: value}
    [problem] = refused(base(facts=facts))
    assert problem.path == ("facts", fact) and problem.code == "fact-type"


# --- 5. line separators ------------------------------------------------------------------------------


@given(st.sampled_from(["\u2028", "\u2029", "\x85"]), st.text(alphabet="abc #:", max_size=10))
def test_a_line_separator_outside_quotes_is_refused_with_its_line(sep: str, note: str) -> None:
    """YAML 1.1 breaks the line there, so a comment hid a line that was read (here: the channel)."""
    text = ACCEPT.read_text(encoding="utf-8").replace(
        "channel: migration-police\n", f"channel: migration-police\n# {note}{sep}facts: {{}}\n", 1
    )
    line = text[: text.index(sep)].count("\n") + 1
    problems = refused(text)
    assert problems[0].line == line and f"U+{ord(sep):04X}" in problems[0].message


@given(st.sampled_from(["\u2028", "\u2029", "\x85"]), st.sampled_from(['"', "'"]))
def test_a_line_separator_inside_quotes_keeps_the_editor_s_line_numbers(sep: str, quote: str) -> None:
    lines = ACCEPT.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("description:"))
    lines[at] = f"description: {quote}An adult{sep}citizen{quote}\n"
    text = "".join(lines)
    loaded = load_yaml_text(text, "case.yaml")
    assert sep in loaded.data["description"] or sep == "\x85"  # YAML 1.1 folds NEL inside quotes
    editor = text.split("\n")  # an editor's lines: a separator is not a line break to it
    for key in ("channel", "documents", "payment", "events", "expect"):
        assert editor[loaded.lines[(key,)] - 1].startswith(f"{key}:"), key
    broken = text.replace("payment: {", "payment: {{", 1)
    with pytest.raises(InputError) as e:
        load_yaml_text(broken, "case.yaml")
    assert editor[e.value.line - 1].startswith("payment:") or editor[e.value.line - 2].startswith("payment:")


# --- 6. a refused acceptance judged on an unknown condition ----------------------------------------


def test_incomplete_documents_on_an_unknown_condition_is_needs_data_not_unlawful() -> None:
    """The alimony statement (11.3) is required only if persons entitled to alimony live in Kazakhstan;
    the case does not say. Before: treated as not required, so "incomplete documents" was unlawful."""
    facts = {k: v for k, v in base()["facts"].items() if k != "alimony_persons_in_kz"}
    refusal = {"outcome": "refused-acceptance", "grounds": ["incomplete-at-acceptance"]}
    review = decide(base(facts=facts, decision=refusal), "review")
    assert review.verdict == "needs-data"
    [ground] = [f for f in review.findings if f.subject.id == "incomplete-at-acceptance"]
    # (and whether a court resolved the matter, 11.3 «мәселе сот тәртібімен шешіледі», which would lift it)
    assert ground.code == "needs-data"
    assert sorted(ground.facts_needed) == ["alimony_matter_resolved_by_court", "alimony_persons_in_kz"]
    # Known either way, it is judged.
    facts = {**facts, "alimony_matter_resolved_by_court": False}
    required = decide(base(facts={**facts, "alimony_persons_in_kz": True}, decision=refusal), "review")
    not_required = decide(base(facts={**facts, "alimony_persons_in_kz": False}, decision=refusal), "review")
    assert required.verdict == "lawful" and not_required.verdict == "unlawful"


@given(st.data())
def test_documents_missing_never_contradicts_what_the_facts_later_say(data: st.DataObject) -> None:
    """Three-valued: whether documents are missing, judged with some facts unknown, is unknown or what
    it is once those facts are given — never a guess that the facts can overturn."""
    slug = data.draw(st.sampled_from(sorted(RULES.files)))
    compiled = RULES.get(slug, slug, None)
    full = data.draw(cases(compiled))
    from .strategies import fact_values

    for fid, fact in compiled.facts.items():
        full["facts"].setdefault(fid, data.draw(fact_values(fact)))
    # Counts and issue dates are the case's to give like facts: given in full, a count or date is never open.
    full["documents"] = [{**d, "count": 100, "issued_on": full["submitted_on"]} for d in full["documents"]]
    # And so is a form: a document handed in with none, where its entry on this channel asks for one, is open.
    forms = {
        e.id: e.forms[0] for e in compiled.entries if e.forms and full["channel"] in (e.channels or [full["channel"]])
    }
    full["documents"] = [{"form": forms[d["id"]], **d} if d["id"] in forms else d for d in full["documents"]]
    dropped = data.draw(st.sets(st.sampled_from(sorted(compiled.facts)))) if compiled.facts else set()
    partial = {**full, "facts": {k: v for k, v in full["facts"].items() if k not in dropped}}

    def missing(raw: dict[str, Any]) -> bool | None:
        case = Case.model_validate(raw)
        handed = frozenset(d.id for d in case.documents).union(
            *(compiled.satisfies.get(d.id, ()) for d in case.documents)
        )
        env = conditions.Env(case.facts, case.channel, handed, lambda: False)
        ctx = Ctx(compiled, case, "check", env, case.submitted_on)
        return missing_documents(ctx)

    before, after = missing(partial), missing(full)
    assert after is not None
    assert before is None or before == after, (dropped, before, after)
