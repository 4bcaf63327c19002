"""The case vocabulary of each standard (`ereje standards vocabulary SLUG`), kept in docs/standards/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.report.vocabulary import describe, vocabulary_markdown
from validator.rules.model import RuleFile
from validator.surfaces.cli import cli
from validator.surfaces.jobs import RuleSet

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "standards"
RULES = RuleSet.lazy([ROOT / "rules"])
SLUGS = sorted(RULES.files)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_vocabulary_page_is_current(slug: str, update_golden: bool) -> None:
    """docs/standards/<slug>.md is what the command prints now; `pytest --update-golden` rewrites it."""
    text = vocabulary_markdown(RULES.get(slug, slug, None))
    page = DOCS / f"{slug}.md"
    if update_golden:
        DOCS.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    assert page.exists(), f"no {page}; run pytest --update-golden"
    assert page.read_text(encoding="utf-8") == text, f"{page} is stale; run pytest --update-golden and review it"


def test_every_page_belongs_to_a_rule_file() -> None:
    assert sorted(p.stem for p in DOCS.glob("*.md")) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_the_page_names_every_id_a_case_may_use(slug: str) -> None:
    """Every channel, fact, document (with its alternatives and former ids), ground and term id is on the
    page, so an integrator can build any case from it."""
    compiled = RULES.get(slug, slug, None)
    text = vocabulary_markdown(compiled)
    ids = [c.id for c in compiled.rules.channels] + list(compiled.facts) + list(compiled.aliases)
    ids += [g.id for g in compiled.rules.refusals.grounds] + [t.id for t in compiled.rules.terms]
    missing = [i for i in ids if i not in text]
    assert not missing, missing


def test_conditions_read_as_written() -> None:
    rules = RuleFile.model_validate(
        {
            "standard": "x",
            "title": {"kk": "x", "ru": "x", "en": "x"},
            "in_force": {"start": "2013-01-01", "end": "2013-12-31"},
            "channels": [
                {
                    "id": "centre",
                    "kind": "service-centre",
                    "name": {"kk": "x", "ru": "x", "en": "x"},
                    "cite": "1",
                    "quote": "xxx",
                }
            ],
            "refusals": {"closed": False, "grounds": []},
            "fee": {"kind": "free", "cite": "8", "quote": "xxx"},
            "eligibility": [
                {
                    "id": "r",
                    "cite": "6",
                    "quote": "xxx",
                    "message": {"kk": "x", "ru": "x", "en": "x"},
                    "require": {
                        "any": [
                            {"all": [{"fact": "age", "ge": 18}, {"channel": ["centre"]}]},
                            {"not": {"fact": "kind", "in": ["a", "b"]}},
                            {"documents_missing": True},
                        ]
                    },
                }
            ],
        }
    )
    text = describe(rules.eligibility[0].require)
    assert text == "(age ≥ 18 and channel in [centre]) or not (kind in [a, b]) or a required document is missing"


def test_the_command_prints_the_page_and_refuses_an_unknown_standard() -> None:
    slug = SLUGS[0]
    result = CliRunner().invoke(cli, ["standards", "vocabulary", slug])
    assert result.exit_code == 0 and result.output == vocabulary_markdown(RULES.get(slug, slug, None))
    result = CliRunner().invoke(cli, ["standards", "vocabulary", "no-such-standard"])
    assert result.exit_code == 2 and "no-such-standard" in result.output
