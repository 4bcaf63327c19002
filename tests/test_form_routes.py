"""The clerk's form's endpoints: POST /interview (questions and due dates) and POST /case-file (a case file in
and out, read by the one case loader), over the bundled exit-permanent-residence rules."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's TestClient prefers `httpx2`
    from fastapi.testclient import TestClient

from validator.decision.casefile import SCHEMA_LINE
from validator.decision.load import load_case
from validator.rules.ruleset import RuleSet
from validator.surfaces.service import create_app

from .helpers import copy_exit_rules

ROOT = Path(__file__).resolve().parent.parent
SLUG = "exit-permanent-residence-2011"
CASES = ROOT / "cases" / SLUG


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_exit_rules(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def app(rules_dir: Path) -> FastAPI:
    return create_app(rules_dir)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def case(**more: Any) -> dict[str, Any]:
    return {"standard": SLUG, "channel": "migration-police", "submitted_on": "2013-04-09", **more}


def test_interview_gives_the_questions_in_the_forms_order(client: TestClient) -> None:
    r = client.post("/interview", json=case(facts={"age": 35}))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    facts = [q["fact"] for q in body["questions"]]
    assert "leaves_with_one_parent" not in facts and "married" not in facts
    assert {"fact": "age", "established_by": "applicant", "answered": True} in body["questions"]
    assert {"fact": "tax_debt", "established_by": "authority", "answered": False} in body["questions"]
    minor = [q["fact"] for q in client.post("/interview", json=case(facts={"age": 15})).json()["questions"]]
    assert "leaves_with_one_parent" in minor


def test_interview_gives_the_days_off_a_due_date_skipped(client: TestClient) -> None:
    text = (CASES / "01-accept-adult.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data.pop("expect", None)
    data.update(submitted_on="2013-04-09", events={}, payment={"amount": 1731, "date": "2013-04-09"})
    body = client.post("/interview", json=json.loads(json.dumps(data, default=str))).json()
    [due] = body["due_dates"]
    assert due == {
        "term": "decision",
        "unit": "calendar-days",
        "start": "2013-04-09",
        "due": "2013-05-13",
        "nominal": "2013-05-09",
        "skipped": [
            {"day": "2013-05-09", "kind": "holiday", "holiday": "victory-day", "worked_on": None},
            {"day": "2013-05-10", "kind": "transferred", "holiday": None, "worked_on": "2013-05-04"},
            {"day": "2013-05-11", "kind": "weekend", "holiday": None, "worked_on": None},
            {"day": "2013-05-12", "kind": "weekend", "holiday": None, "worked_on": None},
        ],
        "worked": [],
    }


def test_interview_of_a_review_needs_its_decision_and_a_known_mode(client: TestClient) -> None:
    r = client.post("/interview?mode=review", json=case())
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "missing-decision"
    r = client.post("/interview?mode=complaint", json=case())
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "$.mode"
    decided = case(decision={"outcome": "refused", "grounds": ["tax-debt"]}, facts={"tax_debt": False})
    assert client.post("/interview?mode=review", json=decided).status_code == 200


def test_a_case_file_is_saved_as_the_projects_yaml(client: TestClient, rules_dir: Path, tmp_path: Path) -> None:
    sent = case(facts={"age": 35, "submitted_by": "applicant"}, documents=[{"id": "passport", "form": "original"}])
    sent["description"] = "Өтініш берушінің паспорты тексерілді"
    r = client.post("/case-file?format=yaml", json=sent)
    assert r.status_code == 200 and r.headers["content-type"] == "application/yaml; charset=utf-8"
    name = f"{SLUG}-2013-04-09.yaml"
    assert r.headers["content-disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    text = r.content.decode("utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert "Өтініш берушінің паспорты тексерілді" in text  # Kazakh letters as they are, UTF-8
    saved = tmp_path / "saved.yaml"
    saved.write_bytes(r.content)
    loaded, _ = load_case(saved, RuleSet.load([rules_dir]))
    assert loaded.facts == {"age": 35, "submitted_by": "applicant"} and loaded.documents[0].form == "original"


def test_a_case_file_is_read_into_the_form_as_json(client: TestClient) -> None:
    text = (CASES / "09-review-unlawful-refusal.yaml").read_bytes()
    r = client.post("/case-file", content=text, headers={"content-type": "application/yaml"})
    assert r.status_code == 200
    body = r.json()
    assert body["events"] == {"submitted": "2013-10-01T10:00", "decided": "2013-11-15"}  # a date stays a date
    assert body["decision"]["grounds"] == ["incomplete documents"]
    assert "id" not in body  # the loader would have named it after the request
    assert body["expect"]["review"]["verdict"] == "unlawful"  # what the form does not show is carried


def test_a_bad_case_file_comes_back_as_the_loaders_problems_with_lines(client: TestClient) -> None:
    text = "standard: exit-permanent-residence-2011\nchannel: migration-police\nsubmitted_on: 2013-13-01\n"
    r = client.post("/case-file", content=text.encode(), headers={"content-type": "application/yaml"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    [problem] = r.json()["errors"]
    assert problem["line"] == 3 and problem["path"] == "$.submitted_on"
    broken = client.post("/case-file", content=b"facts: [\n", headers={"content-type": "application/yaml"})
    assert broken.status_code == 400 and broken.json()["code"] == "bad-yaml" and broken.json()["errors"][0]["line"]
    latin1 = client.post(
        "/case-file", content="description: Жасы".encode("cp1251"), headers={"content-type": "application/yaml"}
    )
    assert latin1.status_code == 400 and latin1.json()["code"] == "bad-encoding"
    unknown = client.post("/case-file", json=case(facts={"agee": 3}), headers={"accept-language": "kk"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown-fact"
    assert unknown.json()["title"] == "Іс дұрыс толтырылмаған"  # the problem's words in the clerk's language


def test_a_case_named_in_kazakh_is_saved_under_its_name(client: TestClient) -> None:
    r = client.post("/case-file?format=yaml", json=case(id='Іс "1"\nекінші'))
    assert r.status_code == 200
    utf8 = "%D0%86%D1%81%20%221%22%0A%D0%B5%D0%BA%D1%96%D0%BD%D1%88%D1%96.yaml"  # «Іс "1"\nекінші.yaml»
    assert r.headers["content-disposition"] == f"attachment; filename=\"1.yaml\"; filename*=UTF-8''{utf8}"
    assert 'id: "Іс \\"1\\"\\nекінші"' in r.text


def test_the_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/case-file"]["post"]["responses"]["200"]["content"]) == {"application/json", "application/yaml"}
    interview = paths["/interview"]["post"]
    assert interview["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("InterviewOut")
    assert [p["name"] for p in interview["parameters"]] == ["mode"]
