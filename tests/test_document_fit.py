"""A document handed in against its list entry: form, then count, then how recent it is (issue 13)."""

from __future__ import annotations

from datetime import date

import pytest

from validator.decision.case import HandedDocument
from validator.decision.context import fit, valid_from
from validator.rules.model import RequiredDocument

SUBMITTED = date(2013, 3, 31)


def entry(**extra: object) -> RequiredDocument:
    return RequiredDocument.model_validate({"id": "photo", "cite": "11.3", "quote": "екі фотосурет", **extra})


def handed(**extra: object) -> HandedDocument:
    return HandedDocument.model_validate({"id": "photo", **extra})


@pytest.mark.parametrize(
    ("given", "state"),
    [
        ([{"count": 2}], "handed-in"),
        ([{"count": 3}], "handed-in"),
        ([{"count": 1}], "short"),
        ([{"count": 1}, {"count": 1, "form": "original"}], "handed-in"),  # two entries of one each
        ([{}], "count-unstated"),  # never passed silently
        ([{"count": 1}, {}], "count-unstated"),
    ],
)
def test_a_count_the_text_asks_for(given: list[dict[str, object]], state: str) -> None:
    assert fit(entry(count=2), [handed(**g) for g in given], SUBMITTED) == state


VALID = {"months": 1, "cite": "11.2", "quote": "бір айдан кешіктірмей"}


@pytest.mark.parametrize(
    ("issued", "state"),
    [
        ("2013-03-01", "handed-in"),  # a month from 01.03 ends on 01.04
        ("2013-02-28", "expired"),  # a month from 28.02 ends on 28.03, before the 31.03 submission
        ("2013-03-31", "handed-in"),
        (None, "date-unstated"),
    ],
)
def test_how_recent_a_document_must_be(issued: str | None, state: str) -> None:
    doc = entry(valid_for=VALID)
    assert valid_from(doc, SUBMITTED) == date(2013, 3, 1)
    given = [handed(**({"issued_on": issued} if issued else {}))]
    assert fit(doc, given, SUBMITTED) == state


def test_the_form_is_judged_first() -> None:
    doc = entry(forms=["original"], count=2, valid_for=VALID)
    assert fit(doc, [handed(form="copy", count=1)], SUBMITTED) == "wrong-form"
    assert fit(doc, [handed(count=1)], SUBMITTED) == "form-unstated"
    assert fit(doc, [handed(form="original", count=2, issued_on="2013-03-01")], SUBMITTED) == "handed-in"


def test_a_validity_gives_one_period() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        entry(valid_for={"months": 1, "days": 3, "cite": "11.2", "quote": "бір айдан"})


@pytest.mark.parametrize(
    ("issued", "submitted", "state"),
    [
        ("2013-04-30", "2013-05-30", "handed-in"),  # a month from 30.04 ends on 30.05
        ("2013-04-30", "2013-05-31", "expired"),  # counted forward, not back from the submission
        ("2013-01-31", "2013-02-28", "handed-in"),  # a month from 31.01 ends on the month's last day
        ("2013-01-31", "2013-03-01", "expired"),
        ("2012-02-29", "2012-03-29", "handed-in"),  # a leap year
    ],
)
def test_a_period_runs_forward_from_the_issue(issued: str, submitted: str, state: str) -> None:
    doc = entry(valid_for=VALID)
    assert fit(doc, [handed(issued_on=issued)], date.fromisoformat(submitted)) == state
