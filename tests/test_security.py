"""No rule or case can make Ereje read a file, open a socket or run code; the service binds to localhost.

An audit hook (PEP 578) records every file open, socket, subprocess and code compilation while
cases (good, bad and hostile) are parsed and evaluated from memory after the rules are loaded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from validator.decision.engine import evaluate
from validator.errors import InputError, InputErrors
from validator.surfaces.jobs import RuleSet, case_from_text

from .helpers import copy_exit_rules, running_server

ROOT = Path(__file__).resolve().parent.parent
EVENTS: list[tuple[str, Any]] = []
WATCHING = False
WATCHED = (
    "open",
    "socket.",
    "subprocess.",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "compile",
    "exec",
    "ctypes.",
    "import",
)


def _hook(event: str, args: Any) -> None:
    if WATCHING and event.startswith(WATCHED):
        # inspect.signature() of a builtin parses its fixed text signature as "def foo(...): pass";
        # that source comes from CPython, never from a case.
        if event == "compile" and isinstance(args[0], bytes) and args[0].startswith(b"def foo("):
            return
        EVENTS.append((event, args))


sys.addaudithook(_hook)

HOSTILE = [
    "standard: ../../../../etc/passwd\nchannel: x\nsubmitted_on: 2013-01-01\n",
    "standard: exit-permanent-residence-2011\nchannel: !!python/object/apply:os.system ['id']\nsubmitted_on: 2013-01-01\n",
    "standard: exit-permanent-residence-2011\nchannel: !!python/name:builtins.open\nsubmitted_on: 2013-01-01\n",
    "standard: exit-permanent-residence-2011\nchannel: migration-police\nsubmitted_on: 2013-01-01\n"
    "facts: {age: \"__import__('os').system('id')\"}\n",
    '{"standard": "exit-permanent-residence-2011", "channel": "migration-police", "submitted_on": "2013-01-01",'
    ' "documents": [{"id": "file:///etc/passwd"}]}',
    "!include /etc/passwd\n",
    "standard: exit-permanent-residence-2011\n<<: *x\n",
]


def _cases() -> list[str]:
    texts = []
    for p in sorted((ROOT / "cases").rglob("*.yaml"))[:60]:
        texts.append(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "tests" / "bad_inputs").glob("*.yaml")):
        if p.name != "expected.yaml":
            texts.append(p.read_bytes().decode("utf-8", "replace"))
    return texts + HOSTILE


def _run(texts: list[str], rules: RuleSet) -> None:
    for text in texts:
        try:
            case, compiled = case_from_text(text, rules)
        except (InputError, InputErrors):
            continue
        evaluate(compiled, case)
        if case.decision:
            evaluate(compiled, case, "review")


def test_cases_cannot_read_files_open_sockets_or_run_code() -> None:
    global WATCHING
    rules = RuleSet.load()
    texts = _cases()
    # A first pass outside the watch fills the library's own lazy imports and caches (the MCI table,
    # the holiday calendar); the watched second pass shows no input reaches a file, socket or code.
    _run(texts, rules)
    EVENTS.clear()
    WATCHING = True
    try:
        _run(texts, rules)
    finally:
        WATCHING = False
    assert EVENTS == [], EVENTS[:5]


def test_a_rule_file_cannot_name_a_file_outside_rules_shared(tmp_path: Path) -> None:
    from validator.rules.compiler import load_rules

    text = (ROOT / "rules" / "exit-permanent-residence-2011.yaml").read_text(encoding="utf-8")
    for bad in ("../../../etc/passwd", "/etc/passwd", "_shared/../../x.yaml"):
        path = tmp_path / "exit-permanent-residence-2011.yaml"
        path.write_text(text.replace("in_force:", f"uses: [{bad!r}]\nin_force:", 1), encoding="utf-8")
        with pytest.raises(InputErrors) as e:
            load_rules(path)
        assert "does not match" in str(e.value) and "uses" in str(e.value)
    path.write_text(
        text.replace("standard: exit-permanent-residence-2011", "standard: ../standards/x"), encoding="utf-8"
    )
    with pytest.raises(InputErrors, match="does not match"):
        load_rules(path)


def test_yaml_is_never_constructed_into_objects() -> None:
    from validator.rules.yamlload import load_yaml_text

    for text in HOSTILE[1:3]:
        with pytest.raises(InputError, match="not allowed"):
            load_yaml_text(text, "hostile.yaml")
    data = load_yaml_text("a: 1\nb: 2013-01-01\n", "ok.yaml").data
    assert all(type(v) in (str, int) for v in data.values())
    # Even a standard tag is refused, never ignored (tests/test_case_inputs.py has the family).
    with pytest.raises(InputError, match="not allowed"):
        load_yaml_text("a: !!str 1\n", "ok.yaml")


def test_service_binds_to_localhost_by_default() -> None:
    from click.testing import CliRunner

    from validator.surfaces.cli import cli

    if "serve" not in cli.commands:  # pragma: no cover - the service is optional
        pytest.skip("ereje serve is not available")
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert "127.0.0.1" in result.output
    params = {p.name: p.default for p in cli.commands["serve"].params}
    assert params["host"] == "127.0.0.1"


def test_yaml_module_is_only_used_through_compose() -> None:
    """The loader builds data from nodes; yaml.load / unsafe_load / full_load appear nowhere."""
    for path in (ROOT / "validator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for bad in ("yaml.load(", "yaml.unsafe_load", "yaml.full_load", "yaml.UnsafeLoader", "eval(", "exec("):
            assert bad not in text, f"{path.name} uses {bad}"
    assert yaml.__with_libyaml__ in (True, False)


# --- the service's safety headers, and its pages under their CSP -------------------------------------------

SAFETY_HEADERS = {
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


def _exit_rules(tmp: Path) -> Path:
    return copy_exit_rules(tmp)


def _assert_safety_headers(headers: Any, what: str) -> None:
    for name, value in SAFETY_HEADERS.items():
        assert headers.get(name) == value, (what, name, headers.get(name))
    csp = headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == ["'self'"], (what, csp)
    assert directives.get("script-src") == ["'self'"] and directives.get("style-src") == ["'self'"], (what, csp)
    assert directives.get("frame-ancestors") == ["'none'"] and directives.get("object-src") == ["'none'"], (what, csp)
    assert "unsafe" not in csp and "http" not in csp, (what, csp)
    permissions = headers.get("permissions-policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, (what, permissions)


def test_every_response_carries_the_safety_headers(tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from validator.surfaces.service import create_app

    app = create_app(_exit_rules(tmp_path), max_body=10_000)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    case = (ROOT / "cases" / "exit-permanent-residence-2011" / "02-missing-passport-and-duty.yaml").read_bytes()
    json_type = {"content-type": "application/json"}
    with TestClient(app, raise_server_exceptions=False) as c:
        responses = {
            "/": c.get("/"),
            "/static/app.js": c.get("/static/app.js"),
            "/static/docs.js": c.get("/static/docs.js"),
            "/docs": c.get("/docs"),
            "/openapi.json": c.get("/openapi.json"),
            "HEAD /": c.head("/"),
            "a report": c.post("/check", content=case, headers={"content-type": "application/yaml"}),
            "404": c.get("/no/such/page"),
            "404 static": c.get("/static/nothing.js"),
            "405": c.delete("/check"),
            "413": c.post("/check", content=b"[" + b"1," * 6000 + b"1]", headers=json_type),
            "415": c.post("/check", content=b"{}", headers={"content-type": "text/plain"}),
            "400": c.post("/check", content=b"{", headers=json_type),
            "422": c.post("/check", content=b'{"standard": "x"}', headers=json_type),
            "500": c.get("/boom"),
        }
    expected = {"405": 405, "413": 413, "415": 415, "400": 400, "422": 422, "500": 500, "404": 404, "404 static": 404}
    for what, r in responses.items():
        assert r.status_code == expected.get(what, 200), (what, r.status_code)
        _assert_safety_headers(r.headers, what)


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
def test_the_docs_page_works_under_its_csp(tmp_path: Path) -> None:
    """/docs in a real browser: it lists the operations and schemas from /openapi.json, fetches nothing from
    elsewhere, and the CSP (self only) blocks nothing it needs (a blocked script or style is a console error)."""
    from playwright.sync_api import sync_playwright

    with running_server(_exit_rules(tmp_path)) as (base, _port):
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            outside: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            response = page.goto(base + "/docs")
            assert response is not None
            _assert_safety_headers(response.headers, "/docs in the browser")
            page.wait_for_selector("body[data-ready='true']", state="attached", timeout=15_000)
            check = page.locator("article.op[data-method='post'][data-path='/check']")
            assert check.count() == 1
            text = check.inner_text()
            assert "Request body" in text and "application/yaml" in text and "lang" in text and "413" in text
            assert page.locator("#schema-Case").count() == 1 and page.locator("#schema-ProblemDocument").count() == 1
            assert page.locator("#toc a[href='#op-get--health']").count() == 1
            assert "Limits:" in page.locator("#intro").inner_text()
            browser.close()
        assert outside == [], outside
        assert errors == [], errors
