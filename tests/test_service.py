"""The HTTP service (`ereje serve`): every endpoint, the problem documents and their status codes,
Accept-Language, the rules-version header, reports byte-identical to the library's and the CLI's,
the real server over HTTP, and property-based tests of the API from its OpenAPI schema."""

from __future__ import annotations

import asyncio
import atexit
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from click.testing import CliRunner
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from starlette.routing import Route

with warnings.catch_warnings():
    # Starlette's TestClient prefers the `httpx2` package and warns when it runs on `httpx` (the dev extra's).
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from validator.decision.engine import evaluate
from validator.errors import InputErrors
from validator.law.standard import load_standard
from validator.report.render import to_json
from validator.report.schema import check_report
from validator.surfaces.catalog import standards_table
from validator.surfaces.cli import cli
from validator.surfaces.jobs import RuleSet, case_from_text, run
from validator.surfaces.service import Limits, create_app, decide, negotiate_language, rules_version

from .helpers import copy_exit_rules, free_port, running_server

ROOT = Path(__file__).resolve().parent.parent
SLUG = "exit-permanent-residence-2011"
CASES = ROOT / "cases" / SLUG
MISSING = CASES / "02-missing-passport-and-duty.yaml"
UNLAWFUL = CASES / "09-review-unlawful-refusal.yaml"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exit-permanent-residence rules alone (other standards' rules come and go as authors work)."""
    return copy_exit_rules(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def app(rules_dir: Path) -> FastAPI:
    return create_app(rules_dir)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def case_json(path: Path, **changes: Any) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    return json.dumps(data, ensure_ascii=False, default=str, indent=2)


def post(
    client: TestClient, url: str, body: str | bytes, content_type: str = "application/json", **headers: str
) -> Any:
    return client.post(url, content=body, headers={"content-type": content_type, **headers})


def library_report(text: str, rules_dir: Path, mode: str = "check", lang: str = "en") -> bytes:
    """The report the library gives for the same case text: `to_json(evaluate(...), lang)`."""
    case, compiled = case_from_text(text, RuleSet.load([rules_dir]))
    return to_json(evaluate(compiled, case, mode), compiled, lang).encode("utf-8")  # type: ignore[arg-type]


def library_json(path: Path, rules_dir: Path, mode: str, lang: str = "en") -> str:
    decision, compiled = run(path, RuleSet.lazy([rules_dir]), mode)  # type: ignore[arg-type]
    return to_json(decision, compiled, lang)  # type: ignore[arg-type]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("https://ereje.kz/problems/")
    assert body["title"] and body["detail"]
    for p in body["errors"]:
        assert set(p) == {"file", "line", "path", "code", "message"}
        assert p["path"].startswith("$")
    assert "Traceback" not in response.text
    return body


# --- reading -------------------------------------------------------------------------------------------


def test_health_and_the_rules_version_header(client: TestClient, rules_dir: Path) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    version = rules_version(rules_dir)
    assert body == {
        "status": "ok",
        "ereje": "0.1.0",
        "rules_version": version,
        "rules": [SLUG],
        "standards": body["standards"],
    }
    assert len(version) == 12
    for response in (
        r,
        client.get("/standards"),
        client.get("/no/such/page"),
        client.delete("/check"),
        post(client, "/check", "{"),
        client.get("/"),
        client.get("/static/app.js"),
        client.get("/openapi.json"),
    ):
        assert response.headers["x-ereje-rules-version"] == version, response.request.url


def test_the_rules_version_changes_with_a_rule_file(rules_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "rules"
    shutil.copytree(rules_dir, other)
    assert rules_version(other) == rules_version(rules_dir)
    f = other / f"{SLUG}.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert rules_version(other) != rules_version(rules_dir)


def test_standards_is_the_catalogue_table(client: TestClient, rules_dir: Path) -> None:
    r = client.get("/standards")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    rows = r.json()
    assert rows == json.loads(json.dumps(standards_table(rules_dir)))
    exit_row = next(row for row in rows if row["slug"] == SLUG)
    assert exit_row["rules"] is True and exit_row["coverage"] == 100.0
    assert any(row["rules"] is False for row in rows)  # the others have no rules in this folder


def test_standard_shows_metadata_and_the_compiled_rules(client: TestClient) -> None:
    r = client.get(f"/standards/{SLUG}")
    assert r.status_code == 200
    body = r.json()
    std = body["standard"]
    assert std["slug"] == SLUG and std["title_kk"].startswith("«Қазақстан")
    assert "units" not in std and "11" in std["paragraphs"]
    rules = body["rules"]
    assert rules["standard"] == SLUG and rules["in_force"] == {
        "from": "2011-03-10",
        "to": "2014-02-13",
        "note": rules["in_force"]["note"],
    }
    assert [c["id"] for c in rules["channels"]] == ["migration-police"]
    age = next(f for f in rules["facts"] if f["id"] == "age")
    assert age["type"] == "integer" and age["label"] == {"kk": "Жасы", "ru": "Возраст", "en": "Age"}
    consent = next(d for d in rules["documents"] if d["id"] == "other-parent-consent")
    assert consent["forms"] == ["notarised"] and consent["cite"] == "11.6"
    assert {"fact": "leaves_with_one_parent", "eq": True} in consent["when"]["all"]
    assert all(d["name"]["kk"] for d in rules["documents"])
    assert "tax-debt" in [g["id"] for g in rules["refusals"]["grounds"]]
    decision = next(t for t in rules["terms"] if t["id"] == "decision")
    assert (decision["from"], decision["to"], decision["duration"]) == ("submitted", "decided", 30)
    assert rules["fee"]["kind"] == "state-duty" and rules["fee"]["mci_percent"] == 100
    assert body["rules_file"].endswith(f"{SLUG}.yaml") and len(body["rules_sha256"]) == 64


def test_a_standard_without_rules_has_metadata_only(client: TestClient) -> None:
    slug = next(row["slug"] for row in client.get("/standards").json() if not row["rules"])
    body = client.get(f"/standards/{slug}").json()
    assert body["standard"]["slug"] == slug and body["rules"] is None and body["rules_file"] is None


def test_paragraph_by_unit_id_and_by_its_kazakh_form(client: TestClient) -> None:
    by_id = client.get(f"/standards/{SLUG}/paragraphs/11.2")
    kazakh = urllib.parse.quote("11-тармақтың 2) тармақшасы")
    by_kk = client.get(f"/standards/{SLUG}/paragraphs/{kazakh}")
    assert by_id.status_code == by_kk.status_code == 200
    assert by_id.json() == by_kk.json()
    p = by_id.json()
    assert p["unit"] == "11.2" and p["label_kk"] == "11-тармақтың 2) тармақшасы"
    assert p["text"] == load_standard(SLUG).full_text("11.2")
    assert "жеке куәлігін және паспортын" in p["text"]
    whole = client.get(f"/standards/{SLUG}/paragraphs/16").json()
    assert whole["kind"] == "paragraph" and "салықтық берешегі" in whole["text"]  # with its subparagraphs


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/standards/no-such-standard", "unknown-standard"),
        ("/standards/no-such-standard/paragraphs/11", "unknown-standard"),
        (f"/standards/{SLUG}/paragraphs/99", "unknown-paragraph"),
        (f"/standards/{SLUG}/paragraphs/{urllib.parse.quote('тармақ он бір')}", "bad-citation"),
        ("/no/such/page", "not-found"),
    ],
)
def test_unknown_standard_or_paragraph_is_404(client: TestClient, url: str, code: str) -> None:
    body = assert_problem(client.get(url), 404)
    assert body["code"] == code
    assert body["type"].endswith(code)


def test_the_docs_and_the_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {
        "/check",
        "/review",
        "/health",
        "/standards",
        "/standards/{slug}",
        "/standards/{slug}/paragraphs/{citation}",
    } <= set(schema["paths"])
    body = schema["paths"]["/check"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "application/yaml"}
    assert schema["components"]["schemas"]["Case"]["properties"]["standard"]["enum"] == [SLUG]
    assert "application/problem+json" in schema["paths"]["/check"]["post"]["responses"]["422"]["content"]
    assert {"400", "408", "413", "415", "422"} <= set(schema["paths"]["/check"]["post"]["responses"])
    # the bounds are stated where a client reads the API
    description = schema["info"]["description"]
    for words in (
        "`$.decision.grounds` 50",
        "`$.decision.demanded_documents` 50",
        "`$.documents` 500",
        "4000000 bytes",
    ):
        assert words in description, words
    components = schema["components"]["schemas"]
    assert components["Case"]["properties"]["documents"]["maxItems"] == 500
    grounds = components["CaseDecision"]["properties"]["grounds"]
    assert grounds["maxItems"] == 50 and grounds["items"]["maxLength"] == 300
    # the docs page is ours: a page and a script of this server that read /openapi.json, nothing inline
    docs = client.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert 'src="/static/docs.js"' in docs.text and "<script>" not in docs.text and "style=" not in docs.text
    assert 'fetch("/openapi.json"' in client.get("/static/docs.js").text
    for text in (docs.text, client.get("/static/docs.js").text, client.get("/static/docs.css").text):
        assert "http://" not in text and "https://" not in text  # nothing fetched from elsewhere
    assert client.get("/redoc").status_code == 404


def test_the_page_and_its_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert 'src="/static/app.js"' in page.text and "http://" not in page.text and "https://" not in page.text
    for name in ("app.js", "app.css"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200
        assert "https://" not in r.text and "http://" not in r.text  # nothing fetched from elsewhere


# --- evaluating ----------------------------------------------------------------------------------------


def test_check_is_byte_identical_to_the_library_and_the_cli(client: TestClient, rules_dir: Path) -> None:
    text = case_json(MISSING)
    r = post(client, "/check", text)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.content == library_report(text, rules_dir)
    assert r.json()["verdict"] == "incomplete"
    # the YAML file itself, as YAML
    y = post(client, "/check", MISSING.read_bytes(), "application/yaml")
    assert y.content == r.content
    # with the case id the CLI takes from the file name: the same bytes as `ereje check --format json`
    named = post(client, "/check", case_json(MISSING, id=MISSING.stem))
    assert named.content == library_json(MISSING, rules_dir, "check").encode("utf-8")
    out = CliRunner().invoke(cli, ["check", str(MISSING), "--format", "json", "--rules", str(rules_dir)])
    assert out.exit_code == 1 and out.stdout == named.text + "\n"


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_case_gives_the_librarys_report(client: TestClient, rules_dir: Path, path: Path) -> None:
    modes = list(yaml.safe_load(path.read_text(encoding="utf-8")).get("expect") or {"check": None})
    for mode in modes:
        r = post(client, f"/{mode}", path.read_bytes(), "application/yaml")
        assert r.status_code == 200, r.text
        case = json.loads(r.content)["case"]
        assert case == "<request>"
        library = library_json(path, rules_dir, mode).replace(f'"case": "{path.stem}"', f'"case": "{case}"')
        assert r.text == library
        check_report(r.json())  # the shape the OpenAPI document promises


def test_review_gives_an_unlawful_verdict_for_an_unlisted_ground(client: TestClient) -> None:
    r = post(client, "/review", case_json(UNLAWFUL))
    assert r.status_code == 200
    report = r.json()
    assert report["kind"] == "review" and report["verdict"] == "unlawful"
    codes = {(f["code"], f["citations"][0]["unit"] if f["citations"] else None) for f in report["findings"]}
    assert ("ground-not-listed", "16.7") in codes and ("document-demanded-beyond-list", "11.u3") in codes


def test_accept_language_selects_the_problem_words_and_content_language(client: TestClient, rules_dir: Path) -> None:
    bad = case_json(MISSING, channel="migration-polis")
    details = {}
    for lang, title in (("kk", "Іс дұрыс толтырылмаған"), ("ru", "Дело заполнено неверно"), ("en", "Invalid case")):
        r = post(client, "/check", bad, **{"accept-language": lang})
        body = assert_problem(r, 422)
        assert r.headers["content-language"] == lang and body["title"] == title
        details[lang] = body["detail"]
    assert len(set(details.values())) == 3
    assert post(client, "/check", bad).headers["content-language"] == "en"  # default
    weighted = post(client, "/check", bad, **{"accept-language": "de-DE, ru;q=0.5, kk-KZ;q=0.8"})
    assert weighted.headers["content-language"] == "kk"
    # the report is rendered in the header's language, byte for byte the CLI's `--format json --lang`
    for x, word in (("kk", "Құжат ұсынылмаған"), ("ru", "Не представлен документ"), ("en", "Missing document")):
        r = post(client, "/check", case_json(MISSING, id=MISSING.stem), **{"accept-language": x})
        assert r.headers["content-language"] == x
        assert r.json()["lang"] == x and word in r.text
        out = CliRunner().invoke(
            cli, ["check", str(MISSING), "--format", "json", "--lang", x, "--rules", str(rules_dir)]
        )
        assert out.stdout == r.text + "\n"
    # ?lang= wins over the header; `all` gives every rendered field in the three languages
    r = post(client, "/check?lang=ru", case_json(MISSING), **{"accept-language": "kk"})
    assert r.json()["lang"] == "ru"
    r = post(client, "/check?lang=all", case_json(MISSING))
    finding = r.json()["findings"][1]
    assert set(finding["message"]) == {"kk", "ru", "en"} and set(finding["citations"][0]["label"]) == {"kk", "ru", "en"}
    check_report(r.json())
    bad_lang = post(client, "/check?lang=de", case_json(MISSING))
    assert_problem(bad_lang, 422)
    # a problem document follows ?lang= too
    r = post(client, "/check?lang=kk", bad, **{"accept-language": "en"})
    assert assert_problem(r, 422)["title"] == "Іс дұрыс толтырылмаған"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("ru", "ru"),
        ("kk-KZ,kk;q=0.9", "kk"),
        ("fr, en;q=0.1, ru;q=0.2", "ru"),
        ("ru;q=0, en", "en"),
        ("*", "en"),
        ("ru;q=abc, kk", "kk"),
        ("ru;q=nan", "en"),
    ],
)
def test_negotiate_language(header: str | None, lang: str) -> None:
    assert negotiate_language(header) == lang


@pytest.mark.parametrize(
    ("body", "content_type", "code", "line"),
    [
        ('{"standard": ', "application/json", "bad-json", 1),
        ("{\n  'standard': 1\n}", "application/json", "bad-json", 2),
        ('{"amount": NaN}', "application/json", "bad-number", None),
        ('{"a": 1, "a": 2}', "application/json", "duplicate-key", None),
        ('{"a": "\\ud800"}', "application/json", "bad-unicode", None),
        ('{"a": 1' + "0" * 5000 + "}", "application/json", "bad-number", None),
        (b'{"standard": "\xff"}', "application/json", "bad-encoding", None),
        ("standard: [", "application/yaml", "bad-yaml", None),
        ("- a list\n", "application/yaml", "bad-yaml", 1),
        ("a: 1" + "0" * 5000, "application/yaml", "bad-yaml", None),
        ('a: "\\ud800"', "application/yaml", "bad-unicode|bad-yaml", None),
    ],
)
def test_bad_bodies_are_400(
    client: TestClient, body: str | bytes, content_type: str, code: str, line: int | None
) -> None:
    problem = assert_problem(post(client, "/check", body, content_type), 400)
    assert problem["code"] in code.split("|")
    if line is not None:
        assert problem["errors"][0]["line"] == line


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        ({"standard": "no-such-standard"}, "unknown-standard", "$.standard"),
        ({"channel": "migration-polis"}, "unknown-channel", "$.channel"),
        ({"documents": [{"id": "pasport"}]}, "unknown-document", "$.documents[0].id"),
        ({"facts": {"agee": 3}}, "unknown-fact", "$.facts.agee"),
        ({"facts": {"age": "old"}}, "fact-type", "$.facts.age"),
        ({"submitted_on": "2013-02-30"}, "model", "$.submitted_on"),
        ({"colour": "red"}, "schema", "$"),
        ({"documents": {"id": "passport"}}, "schema", "$.documents"),
    ],
)
def test_an_invalid_case_is_422_with_the_json_path(
    client: TestClient, change: dict[str, Any], code: str, path: str
) -> None:
    problem = assert_problem(post(client, "/check", case_json(MISSING, **change)), 422)
    assert problem["code"] == "invalid-case"
    assert (code, path) in {(p["code"], p["path"]) for p in problem["errors"]}, problem["errors"]
    assert all(p["file"] == "<request>" for p in problem["errors"])


def test_lines_point_into_the_body(client: TestClient) -> None:
    text = case_json(MISSING, channel="migration-polis")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "migration-polis" in s)
    problem = assert_problem(post(client, "/check", text), 422)
    assert problem["errors"][0]["line"] == line
    assert "did you mean 'migration-police'" in problem["errors"][0]["message"]


def test_a_review_needs_a_decision_and_not_json_at_the_top_is_422(client: TestClient) -> None:
    assert "missing-decision" in {
        p["code"] for p in assert_problem(post(client, "/review", case_json(MISSING)), 422)["errors"]
    }
    for body in ("[1, 2]", '"a case"', "null", "{}"):
        assert_problem(post(client, "/check", body), 422)


def test_json_that_yaml_reads_otherwise_is_read_as_json(client: TestClient) -> None:
    data = yaml.safe_load(MISSING.read_text(encoding="utf-8"))
    reference = post(client, "/check", json.dumps(data, default=str)).json()
    # an exponent without a dot, tabs for indentation, a character outside the BMP as a surrogate-pair escape
    data["payment"] = {"amount": 1e3, "date": "2013-05-06"}
    data["description"] = "😀"
    text = json.dumps(data, default=str, indent="\t").replace('"amount": 1000.0', '"amount": 1E3')
    assert "1E3" in text and "\\ud83d\\ude00" in text
    r = post(client, "/check", text)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["fee"]["paid_amount"] == 1000 and report["verdict"] == reference["verdict"]
    # a too-deep document is refused, not crashed on
    deep = '{"standard": ' + "[" * 500 + "]" * 500 + "}"
    assert_problem(post(client, "/check", deep), 422)


def test_far_dates_are_never_a_crash(client: TestClient) -> None:
    for events in ({"queue_joined": "9999-12-31T23:59"}, {"submitted": "9999-12-31T23:59"}):
        r = post(client, "/check", case_json(MISSING, events=events))
        assert r.status_code in (200, 422), r.text
        if r.status_code == 422:
            assert_problem(r, 422)


@pytest.mark.parametrize(
    "content_type",
    [
        None,  # missing: a client must say what it sends
        "",
        "text/plain",
        "text/plain; charset=utf-8",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/xml",
        "application/octet-stream",
        "application/json; charset=latin-1",
        "application/json; charset=utf-16",
        'application/json; charset="iso-8859-1"',
        "application/yaml; charset=windows-1251",
    ],
)
def test_an_unknown_content_type_is_415(client: TestClient, content_type: str | None) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    r = client.post("/check", content=case_json(MISSING).encode(), headers=headers)
    assert ("content-type" in r.request.headers) == (content_type is not None)
    problem = assert_problem(r, 415)
    assert problem["code"] == "unsupported-media-type" and "application/json" in problem["detail"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        'application/json; charset="UTF-8"',
        "application/json;charset=utf8",
        "application/merge-patch+json",
        "application/yaml; charset=utf-8",
        "text/yaml",
    ],
)
def test_json_and_yaml_in_utf8_are_read(client: TestClient, content_type: str) -> None:
    text = case_json(MISSING)  # JSON is YAML too
    assert post(client, "/check", text, content_type).content == post(client, "/check", text).content
    assert post(client, "/check", "\ufeff" + text, content_type).status_code == 200  # a byte order mark is fine


def test_bodies_over_max_body_are_413_by_length_and_by_bytes(rules_dir: Path) -> None:
    with TestClient(create_app(rules_dir, max_body=1000)) as small:
        text = case_json(MISSING)
        assert len(text.encode()) > 1000
        body = assert_problem(post(small, "/check", text), 413)
        assert body["code"] == "too-large" and "1000" in body["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the bytes are counted as they come
            data = text.encode()
            for i in range(0, len(data), 100):
                yield data[i : i + 100]

        r = small.post("/check", content=chunks(), headers={"content-type": "application/json"})
        assert "content-length" not in r.request.headers
        assert_problem(r, 413)
        lying = small.post(
            "/check", content=b"{}", headers={"content-type": "application/json", "content-length": "999999"}
        )
        assert lying.status_code in (400, 413)
        assert post(small, "/check", '{"standard": 1}').status_code == 422  # small bodies still pass


# --- bounded cases, bounded answers ------------------------------------------------------------------------


def review_case(**decision: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(UNLAWFUL.read_text(encoding="utf-8"))
    data.pop("expect", None)
    data["decision"] = {**data["decision"], **decision}
    return data


def test_25000_demanded_documents_are_refused_before_they_are_decided(client: TestClient) -> None:
    """A 240 kB case answered, before the bounds, with 88 MB in 5.8 s: now a short 422 at once."""
    body = json.dumps(
        review_case(demanded_documents=[f"d{i}" for i in range(25_000)]), default=str, separators=(",", ":")
    )
    assert 200_000 < len(body) < 256_000
    start = time.perf_counter()
    r = post(client, "/review?lang=all", body)
    elapsed = time.perf_counter() - start
    problem = assert_problem(r, 422)
    assert problem["code"] == "case-too-large"
    assert [(p["path"], p["code"]) for p in problem["errors"]] == [("$.decision.demanded_documents", "too-many")]
    assert "25000 entries" in problem["errors"][0]["message"] and "at most 50" in problem["errors"][0]["message"]
    assert len(r.content) < 2_000 and elapsed < 1.0


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"decision": {"outcome": "refused", "grounds": ["tax-debt"] * 51}}, "$.decision.grounds", "too-many"),
        ({"documents": [{"id": "passport"}] * 501}, "$.documents", "too-many"),
        ({"facts": {f"f{i}": 1 for i in range(201)}}, "$.facts", "too-many"),
        ({"events": {f"e{i}": "2013-01-01" for i in range(51)}}, "$.events", "too-many"),
        (
            {"expect": {"check": {"verdict": "x", "findings": [{"code": "x"}] * 201}}},
            "$.expect.check.findings",
            "too-many",
        ),
        ({"colour": list(range(201))}, "$.colour", "too-many"),  # any other list or map
        ({"decision": {"outcome": "refused", "grounds": ["ж" * 301]}}, "$.decision.grounds[0]", "too-long"),
        (
            {"decision": {"outcome": "issued", "demanded_documents": ["x", "y" * 301]}},
            "$.decision.demanded_documents[1]",
            "too-long",
        ),
    ],
)
def test_a_case_beyond_a_bound_is_422_naming_the_path_and_the_limit(
    client: TestClient, change: dict[str, Any], path: str, code: str
) -> None:
    problem = assert_problem(post(client, "/review", case_json(UNLAWFUL, **change)), 422)
    assert problem["code"] == "case-too-large"
    assert [(p["path"], p["code"]) for p in problem["errors"]] == [(path, code)]
    assert "at most" in problem["errors"][0]["message"]


def test_yaml_aliases_cannot_expand_a_small_body_into_a_large_case(client: TestClient) -> None:
    text = f"standard: {SLUG}\nchannel: migration-police\nsubmitted_on: 2013-01-10\ndescription: &t {'x' * 10_000}\n"
    text += "facts: {" + ", ".join(f"k{i}: *t" for i in range(60)) + "}\n"  # 60 aliases of 10 000 characters
    assert len(text) < 20_000
    problem = assert_problem(post(client, "/check", text, "application/yaml"), 422)
    assert [(p["path"], p["code"]) for p in problem["errors"]] == [("$", "too-much-text")]
    assert "at most 256000" in problem["errors"][0]["message"]


def test_a_case_at_the_bounds_is_decided(client: TestClient, rules_dir: Path) -> None:
    grounds = [f"{i:02d} " + "ж" * 297 for i in range(50)]
    demanded = [f"{i:02d} " + "д" * 297 for i in range(50)]
    text = case_json(UNLAWFUL, decision={"outcome": "refused", "grounds": grounds, "demanded_documents": demanded})
    r = post(client, "/review?lang=all", text)
    assert r.status_code == 200, r.text[:500]
    assert r.content == library_report(text, rules_dir, "review", "all")
    assert sum(f["code"] == "ground-not-listed" for f in r.json()["findings"]) == 50


def test_an_answer_over_its_bound_is_refused_never_cut(client: TestClient, rules_dir: Path) -> None:
    text = case_json(UNLAWFUL)
    full = post(client, "/review?lang=all", text)
    assert full.status_code == 200
    with TestClient(create_app(rules_dir, max_answer=len(full.content))) as exact:
        assert post(exact, "/review?lang=all", text).content == full.content
    with TestClient(create_app(rules_dir, max_answer=len(full.content) - 1)) as small:
        problem = assert_problem(post(small, "/review?lang=all", text), 422)
    assert problem["code"] == "answer-too-large"
    assert str(len(full.content)) in problem["detail"] and str(len(full.content) - 1) in problem["detail"]


def test_every_answer_within_the_bounds_stays_under_the_answer_bound() -> None:
    """The largest answers a case within the bounds can get, for every standard with rules and each of
    its channels: a review in all three languages of the most grounds and demanded documents, typed as
    text of the longest, 4-byte characters (each is shown five times). The largest is stated in the README."""
    rules = RuleSet.lazy()
    limits = Limits(max_answer=10**9)
    n = limits.max_typed
    sizes: dict[tuple[str, str], int] = {}
    for slug in sorted(rules.files):
        try:
            compiled = rules.get(slug, "", None)
        except InputErrors:  # a rule file being written: lint reports it
            continue
        for channel in compiled.rules.channels:
            case = {
                "standard": slug,
                "channel": channel.id,
                "submitted_on": "2013-01-10",
                "decision": {
                    "outcome": "refused",
                    "grounds": [f"{i:03d}" + "😀" * (n - 3) for i in range(limits.entries(("decision", "grounds")))],
                    "demanded_documents": [
                        f"{i:03d}" + "😀" * (n - 3) for i in range(limits.entries(("decision", "demanded_documents")))
                    ],
                    "demanded_fee": 99_999,
                },
            }
            body = json.dumps(case, ensure_ascii=False).encode()
            assert len(body) <= limits.max_body
            sizes[(slug, channel.id)] = len(decide(body, "json", "review", rules, "all", limits))
    (worst, where), largest = max(sizes.items(), key=lambda kv: kv[1])
    print(f"\nthe largest answer within the bounds: {largest} bytes ({worst}, {where})")
    assert largest < 0.9 * Limits().max_answer, (worst, where, largest)  # a margin for rules to come


# --- HEAD, and stalled bodies ----------------------------------------------------------------------------------


def test_head_is_answered_wherever_get_is(app: FastAPI, client: TestClient) -> None:
    samples = {"{slug}": SLUG, "{citation}": "11.2"}
    urls = {"/static/app.js", "/static/docs.js", "/no/such/page", "/standards/nope", f"/standards/{SLUG}/paragraphs/99"}
    for route in app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            path = route.path
            for name, value in samples.items():
                path = path.replace(name, value)
            urls.add(path)
    assert {"/", "/docs", "/health", "/openapi.json", f"/standards/{SLUG}/paragraphs/11.2"} <= urls
    for url in sorted(urls):
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code, url
        assert head.content == b"", url
        same = {k: v for k, v in get.headers.items() if k != "date"}
        assert {k: v for k, v in head.headers.items() if k != "date"} == same, url
        assert int(head.headers["content-length"]) == len(get.content), url
    # a HEAD where there is no GET is a 405 like any other method, with no body
    r = client.head("/check")
    assert r.status_code == 405 and r.content == b"" and r.headers["allow"] == "POST"
    assert r.headers["content-type"] == "application/problem+json"
    # and the methods a GET route allows include HEAD
    problem = assert_problem(client.delete("/health"), 405)
    assert client.delete("/health").headers["allow"] == "GET, HEAD" and "DELETE" in problem["detail"]


def _asgi_post(
    app: FastAPI, first: bytes, length: int, timeout: float = 10
) -> tuple[list[MutableMapping[str, Any]], float]:
    """POST /check straight to the ASGI app: `first` of the body, then a client that never sends the rest."""

    async def run() -> tuple[list[MutableMapping[str, Any]], float]:
        sent: list[MutableMapping[str, Any]] = []
        calls = 0

        async def receive() -> dict[str, Any]:
            nonlocal calls
            calls += 1
            if calls == 1:
                return {"type": "http.request", "body": first, "more_body": True}
            await asyncio.sleep(3600)  # stalled
            raise AssertionError("unreachable")

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/check",
            "raw_path": b"/check",
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"x"),
                (b"content-type", b"application/json"),
                (b"content-length", str(length).encode()),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        start = time.perf_counter()
        await asyncio.wait_for(app(scope, receive, send), timeout)
        return sent, time.perf_counter() - start

    return asyncio.run(run())


def test_a_stalled_body_is_408_after_the_read_timeout(rules_dir: Path) -> None:
    sent, elapsed = _asgi_post(create_app(rules_dir, read_timeout=0.3), b'{"standard": ', 1000)
    assert 0.3 <= elapsed < 2
    start = sent[0]
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert start["status"] == 408 and headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"  # a client that stalled does not keep its connection
    body = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert body["code"] == "read-timeout" and body["status"] == 408 and "0.3 seconds" in body["detail"]


# --- caches ----------------------------------------------------------------------------------------------------


def test_request_input_never_enters_the_rule_caches(app: FastAPI, client: TestClient) -> None:
    """The compiled rules' caches are keyed by rule items only, and the citation parser's cache (which a
    URL reaches) never sees a citation longer than a citation can be; the RSS test under load is in
    tests/test_load.py."""
    from validator.law.citation import parse_citation

    compiled = app.state.ruleset.by_slug[SLUG]

    def vary(i: int) -> None:
        decision = {"outcome": "refused", "grounds": [f"ground {i}"], "demanded_documents": [f"paper {i}"]}
        payment = {"amount": 1000 + i / 100, "date": f"2013-0{1 + i % 9}-1{i % 10}"}
        text = case_json(UNLAWFUL, decision={**decision, "demanded_fee": 5000 + i}, payment=payment)
        assert post(client, "/review?lang=all", text).status_code == 200
        assert client.get(f"/standards/{SLUG}/paragraphs/11.{i % 7 + 1}").status_code == 200

    for i in range(20):
        vary(i)
    keys = set(compiled.cache)
    for i in range(20, 120):
        vary(i)
    assert set(compiled.cache) == keys
    before = parse_citation.cache_info().currsize
    long = "11." + "2." * 3000 + "3"  # a unit id by its form, 6 kB long
    problem = assert_problem(client.get(f"/standards/{SLUG}/paragraphs/{long}"), 404)
    assert problem["code"] == "bad-citation" and "at most 200" in problem["errors"][0]["message"]
    assert parse_citation.cache_info().currsize == before


def test_the_catch_all_hides_the_traceback(rules_dir: Path) -> None:
    app = create_app(rules_dir)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom", headers={"accept-language": "ru"})
    body = assert_problem(r, 500)
    assert body["code"] == "internal-error" and body["title"] == "Внутренняя ошибка"
    assert "secret" not in r.text and "RuntimeError" not in r.text
    assert r.headers["x-ereje-rules-version"] == app.state.rules_version
    assert app.state.internal_errors == [1]


def test_a_broken_rules_dir_stops_the_start(tmp_path: Path) -> None:
    broken = tmp_path / "rules"
    broken.mkdir()
    text = (ROOT / "rules" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    (broken / f"{SLUG}.yaml").write_text(text.replace('cite: "11.7"', 'cite: "11.77"'), encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        create_app(broken)
    assert any(p.code == "unresolved-citation" and p.line for p in err.value.problems)
    with pytest.raises(InputErrors):
        create_app(tmp_path / "no-such-folder")
    out = CliRunner().invoke(cli, ["serve", "--rules", str(broken), "--port", "0"])
    assert out.exit_code == 2 and "unresolved-citation" in out.stderr and "Traceback" not in out.stderr


# --- the real server -------------------------------------------------------------------------------------


def test_the_real_server_over_http(rules_dir: Path) -> None:
    assert "[default: 127.0.0.1]" in CliRunner().invoke(cli, ["serve", "--help"]).stdout  # this machine only
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "validator.surfaces.cli", "serve", "--port", str(port), "--rules", str(rules_dir)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    health = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.1)
        assert health["rules"] == [SLUG]
        text = case_json(MISSING)
        req = urllib.request.Request(
            base + "/check", data=text.encode(), headers={"Content-Type": "application/json", "Accept-Language": "kk"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200 and r.headers["Content-Language"] == "kk"
            assert r.headers["X-Ereje-Rules-Version"] == health["rules_version"]
            assert r.read() == library_report(text, rules_dir, lang="kk")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(base + f"/standards/{SLUG}/paragraphs/99", timeout=10)
        err.value.close()
        assert err.value.code == 404 and err.value.headers["Content-Type"] == "application/problem+json"
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()


def _read_response(s: socket.socket) -> bytes:
    """One HTTP response from a raw socket: the head and its Content-Length's body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        assert chunk, data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(v) for k, _, v in (h.partition(b":") for h in head.split(b"\r\n")) if k.lower() == b"content-length"
    )
    while len(body) < length:
        body += s.recv(65536)
    return head + b"\r\n\r\n" + body


def test_stalled_connections_are_dropped_and_delay_no_one(rules_dir: Path) -> None:
    """50 connections that send half a head or half a body and stall: /health is answered at once meanwhile;
    after the read timeout (1 s here) half a body gets a 408 and the connection closed, half a head the
    connection closed; a client that keeps trickling a body already refused (413) is dropped as well."""
    with running_server(rules_dir, "--read-timeout", "1") as (base, port):
        held = []
        for i in range(50):
            s = socket.create_connection(("127.0.0.1", port))
            if i % 2:
                s.sendall(
                    b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999\r\n\r\n{"
                )
            else:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(s)
        start = time.perf_counter()
        with urllib.request.urlopen(base + "/health", timeout=5) as r:
            assert r.status == 200
        assert time.perf_counter() - start < 0.5
        trickle = socket.create_connection(("127.0.0.1", port))
        trickle.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        trickle.sendall(b"Content-Length: 10000000\r\n\r\n" + b" " * 1000)
        assert _read_response(trickle).startswith(b"HTTP/1.1 413")
        refused = time.monotonic()
        while True:  # a byte every 50 ms, until the server closes the connection
            try:
                trickle.sendall(b" ")
                time.sleep(0.05)
            except OSError:
                break
            assert time.monotonic() - refused < 5, "a refused body trickling in is kept"
        for i, s in enumerate(held):
            s.settimeout(3)  # a connection still open after the timeout raises here
            data = b""
            while chunk := s.recv(65536):
                data += chunk
            if i % 2:
                assert data.startswith(b"HTTP/1.1 408") and b"read-timeout" in data, data[:300]
                assert b"content-security-policy" in data.lower()
            else:
                assert data == b""
            s.close()
        trickle.close()


# --- property-based tests from the OpenAPI schema ----------------------------------------------------------

# Every check of schemathesis but `positive_data_acceptance`: a schema-valid case can still name a channel,
# document or fact that its standard does not have (the schema cannot tie ids to a standard), so 422 is right.
SCHEMATHESIS_CONFIG = schemathesis.Config.from_dict({"checks": {"positive_data_acceptance": {"enabled": False}}})


def _exit_rules_copy() -> Path:
    out = Path(tempfile.mkdtemp(prefix="ereje-rules-"))
    atexit.register(shutil.rmtree, out, True)
    return copy_exit_rules(out)


# Built at import: schemathesis' lazy `from_fixture` schemas do not run under pytest 9.2 (`Function._nodeid`).
FUZZED_APP = create_app(_exit_rules_copy())
schema = schemathesis.openapi.from_asgi("/openapi.json", FUZZED_APP, config=SCHEMATHESIS_CONFIG)


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_fails_on_any_input(case: Any) -> None:
    """No 5xx, responses as documented (status, content type, headers, schema), invalid input refused with 4xx."""
    case.call_and_validate()
    assert FUZZED_APP.state.internal_errors == [0]  # no input reached the catch-all


def test_a_large_case_is_decided_off_the_event_loop_with_the_same_report(client: TestClient) -> None:
    """Cases up to INLINE_BODY bytes are decided on the event loop, larger ones in a thread: one report."""
    from validator.surfaces.service import INLINE_BODY

    small = case_json(MISSING, id="same")
    large = case_json(MISSING, id="same", description="ә" * INLINE_BODY)
    assert len(small.encode()) <= INLINE_BODY < len(large.encode())
    a = post(client, "/check", small)
    b = post(client, "/check", large)
    assert a.status_code == b.status_code == 200
    assert a.content == b.content
