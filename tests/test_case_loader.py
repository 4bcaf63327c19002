"""One loader of cases for every surface (`validator.decision.load`): the same body is accepted or refused
alike, with the same problem codes, by `ereje check CASE.json`, by POST /check and by `ereje check --batch`.
The same holds for YAML through the CLI and the service, and for the loader called as a library."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's TestClient asks for httpx2
    from fastapi.testclient import TestClient

from validator.decision.load import UnreadableInput, load_case, load_case_text, media_kind_of
from validator.errors import InputErrors
from validator.rules.ruleset import RuleSet
from validator.rules.yamlload import MAX_BYTES, MAX_DEPTH
from validator.surfaces.cli import cli
from validator.surfaces.service import create_app

from .helpers import copy_exit_rules

ROOT = Path(__file__).resolve().parent.parent
SLUG = "exit-permanent-residence-2011"
GOOD_FILE = ROOT / "cases" / SLUG / "01-accept-adult.yaml"


def _good() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(GOOD_FILE.read_text(encoding="utf-8"))
    data.pop("expect", None)
    return data


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)


def _with(raw: str, **fields: str) -> str:
    """The good case on one line with FIELDS as raw JSON text (what `json.dumps` cannot write)."""
    text = _json(_good())
    for key, value in fields.items():
        text = text[:-1] + f', "{key}": {value}' + "}"
    return text


def _payment(raw_amount: str) -> str:
    return _json(_good()).replace('"amount": 1731', f'"amount": {raw_amount}')


GOOD = _json(_good())
# name → (the body: one line of JSON, or bytes; the problem codes every surface gives, empty if accepted;
#         the service's status and its problem document's code)
BODIES: dict[str, tuple[str | bytes, set[str], int, str | None]] = {
    "good": (GOOD, set(), 200, None),
    "duplicate-key": (GOOD[:-1] + ', "channel": "migration-police"}', {"duplicate-key"}, 400, "duplicate-key"),
    "nested-duplicate-key": (
        GOOD.replace('"age": 35', '"age": 35, "age": 36'),
        {"duplicate-key"},
        400,
        "duplicate-key",
    ),
    "nan": (_payment("NaN"), {"bad-number"}, 400, "bad-number"),
    "infinity": (_payment("Infinity"), {"bad-number"}, 400, "bad-number"),
    "minus-infinity": (_payment("-Infinity"), {"bad-number"}, 400, "bad-number"),
    "1e999": (_payment("1e999"), {"bad-number"}, 400, "bad-number"),
    "200-digits": (_payment("1" + "0" * 200), {"bad-number"}, 400, "bad-number"),
    "lone-surrogate": (
        GOOD.replace('"description": "', '"description": "\\ud800'),
        {"bad-unicode"},
        400,
        "bad-unicode",
    ),
    "lone-surrogate-key": (
        GOOD.replace('"age": 35', '"a\\udfffe": 35'),
        {"bad-unicode"},
        400,
        "bad-unicode",
    ),
    "not-utf8": (GOOD.replace("An adult", "An \xff adult").encode("latin-1"), {"bad-encoding"}, 400, "bad-encoding"),
    "too-deep": (
        GOOD.replace('"description": "', '"description": ' + "[" * 70 + "]" * 70 + ', "x": "'),
        {"bad-input"},
        422,
        "invalid-case",
    ),
    "syntax": (GOOD[:-1], {"bad-json"}, 400, "bad-json"),
    "unknown-fact": (GOOD.replace('"age": 35', '"agee": 35'), {"unknown-fact"}, 422, "invalid-case"),
    "schema": (GOOD.replace('"channel"', '"chanel"'), {"schema"}, 422, "invalid-case"),
}


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exit-permanent-residence rules alone (other standards' rules come and go as authors work)."""
    return copy_exit_rules(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def client(rules_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(rules_dir)) as c:
        yield c


def _bytes(body: str | bytes) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8")


# What a surface made of a body: the verdict (None if refused) and the problem codes.
Outcome = tuple[str | None, set[str]]


def through_cli(body: str | bytes, rules_dir: Path, tmp_path: Path, suffix: str = ".json") -> Outcome:
    path = tmp_path / f"case{suffix}"
    path.write_bytes(_bytes(body))
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json", "--rules", str(rules_dir)])
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        codes = {line.split(": ")[2] for line in result.stderr.splitlines() if line.startswith("error: ")}
        return None, codes
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["verdict"], set()


def through_service(
    body: str | bytes, client: TestClient, content_type: str = "application/json"
) -> tuple[Outcome, int, str | None]:
    r = client.post("/check", content=_bytes(body), headers={"content-type": content_type})
    if r.status_code == 200:
        return (r.json()["verdict"], set()), 200, None
    assert r.headers["content-type"] == "application/problem+json", r.text
    problem = r.json()
    return (None, {p["code"] for p in problem["errors"]}), r.status_code, problem["code"]


def through_batch(body: str | bytes, rules_dir: Path, tmp_path: Path) -> Outcome:
    src = tmp_path / "cases.jsonl"
    src.write_bytes(_bytes(body) + b"\n")
    result = CliRunner().invoke(cli, ["check", "--batch", str(src), "--rules", str(rules_dir)])
    assert "Traceback" not in result.output
    [line] = result.stdout.splitlines()
    out = json.loads(line)
    if "error" in out:
        assert result.exit_code == 2 and out["line"] == 1
        return None, {p["code"] for p in out["error"]}
    assert result.exit_code in (0, 1)
    return out["verdict"], set()


@pytest.mark.parametrize("name", sorted(BODIES))
def test_every_surface_gives_the_same_answer(name: str, rules_dir: Path, client: TestClient, tmp_path: Path) -> None:
    body, codes, status, problem_code = BODIES[name]
    cli_outcome = through_cli(body, rules_dir, tmp_path)
    service_outcome, service_status, service_code = through_service(body, client)
    batch_outcome = through_batch(body, rules_dir, tmp_path)
    assert cli_outcome == service_outcome == batch_outcome, (cli_outcome, service_outcome, batch_outcome)
    verdict, got = cli_outcome
    assert got == codes
    assert (verdict is None) == bool(codes)
    assert (service_status, service_code) == (status, problem_code)


def _good_yaml() -> str:
    """The good case file with a marker for its description, without its `expect` block."""
    text = GOOD_FILE.read_text(encoding="utf-8")
    text = text[: text.index("expect:")]
    start = text.index("description: ")
    return text[:start] + "description: marker" + text[text.index("\n", start) :]


@pytest.mark.parametrize(
    ("old", "new", "code", "service"),
    [
        ("description: marker", "description: x\ndescription: y", "duplicate-key", (400, "bad-yaml")),
        ("description: marker", "description: 1e999", "bad-number", (400, "bad-number")),
        ("description: marker", "description: 1" + "0" * 200, "bad-number", (400, "bad-yaml")),
        # libyaml refuses the escape itself; PyYAML's pure-Python parser reads it and the loader refuses it
        ("description: marker", 'description: "\\ud800"', "bad-input|bad-unicode", (400, "bad-yaml|bad-unicode")),
        ("description: marker", "description: " + "[" * 70 + "]" * 70, "bad-input", (400, "bad-yaml")),
        ("  age: 35", "  agee: 35", "unknown-fact", (422, "invalid-case")),
    ],
)
def test_yaml_is_refused_alike_by_the_cli_and_the_service(
    old: str, new: str, code: str, service: tuple[int, str], rules_dir: Path, client: TestClient, tmp_path: Path
) -> None:
    text = _good_yaml()
    assert through_cli(text, rules_dir, tmp_path, ".yaml")[1] == set()
    text = text.replace(old, new, 1)
    cli_outcome = through_cli(text, rules_dir, tmp_path, ".yaml")
    service_outcome, status, problem_code = through_service(text, client, "application/yaml")
    assert cli_outcome == service_outcome
    verdict, codes = cli_outcome
    assert verdict is None and len(codes) == 1 and codes <= set(code.split("|"))
    assert status == service[0] and problem_code in service[1].split("|")


def test_the_loader_as_a_library(rules_dir: Path, tmp_path: Path) -> None:
    rules = RuleSet.lazy([rules_dir])
    case, compiled = load_case_text(GOOD, "json", rules, "x/request.json")
    assert case.id == "request" and compiled.rules.standard == SLUG
    case, _ = load_case_text(GOOD.encode(), "json", rules, "<batch>", default_id="<batch>:7")
    assert case.id == "<batch>:7"
    # JSON is read as JSON, YAML as YAML, by the file's suffix
    path = tmp_path / "a.json"
    path.write_text(GOOD, encoding="utf-8")
    assert media_kind_of(path) == "json" and media_kind_of(GOOD_FILE) == "yaml"
    assert load_case(path, rules)[0].id == "a"
    assert load_case(GOOD_FILE, rules)[0].facts == case.facts
    # an unreadable body: every problem with its path, the code of the first in the text, the facts for a message
    text = GOOD.replace('"age": 35', '"age": 35, "age": 36').replace('"amount": 1731', '"amount": NaN')
    with pytest.raises(UnreadableInput) as err:
        load_case_text(text, "json", rules, "r.json")
    assert err.value.code == "duplicate-key" and err.value.details["key"] == "age"
    assert {(p.code, p.path) for p in err.value.problems} == {
        ("duplicate-key", ("facts",)),
        ("bad-number", ("payment", "amount")),
    }
    assert all(p.file == "r.json" for p in err.value.problems)
    # a valid document that is not a valid case: a plain InputErrors, with the lines of the JSON text
    text = json.dumps({**_good(), "channel": "migration-polis"}, default=str, indent=2)
    with pytest.raises(InputErrors) as invalid:
        load_case_text(text, "json", rules)
    assert not isinstance(invalid.value, UnreadableInput)
    [problem] = invalid.value.problems
    assert (
        problem.code == "unknown-channel"
        and problem.line == text.splitlines().index('  "channel": "migration-polis",') + 1
    )
    # the limits are the YAML loader's
    with pytest.raises(UnreadableInput) as big:
        load_case_text(" " * (MAX_BYTES + 1), "json", rules)
    assert big.value.code == "too-large"
    for kind in ("json", "yaml"):
        deepest = '{"a": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"  # MAX_DEPTH below the top: read
        with pytest.raises(InputErrors) as read:
            load_case_text(deepest, kind, rules)  # type: ignore[arg-type]
        assert {p.code for p in read.value.problems} == {"schema"}
        with pytest.raises(InputErrors) as too_deep:
            load_case_text(deepest.replace("[", "[[", 1).replace("]", "]]", 1), kind, rules)  # type: ignore[arg-type]
        assert [p.code for p in too_deep.value.problems] == ["bad-input"]
    assert "nesting deeper than 64" in str(too_deep.value)
    with pytest.raises(InputErrors) as stack:  # deeper than the JSON parser's own stack
        load_case_text("[" * 100_000 + "]" * 100_000, "json", rules)
    assert "nesting deeper than 64" in str(stack.value)


def test_the_loader_imports_no_surface_and_no_report() -> None:
    """`validator.decision.load` sits below the surfaces and the report: it may use the rules, the law and
    the errors (and the case model), never `validator.surfaces` or `validator.report`."""
    import ast

    import validator.decision.load as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    ours = {m for m in imported if m.startswith("validator")}
    assert ours and not {m for m in ours if m.startswith(("validator.surfaces", "validator.report"))}, ours
