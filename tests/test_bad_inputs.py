"""The corpus of bad inputs (tests/bad_inputs/): each gives a clear one-line error, never a traceback.

Every entry names the command it goes to, the error code, a fragment of the message and, where
the problem has one, the line. The same corpus is sent to the HTTP API in tests/test_service.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from validator.surfaces.cli import cli

HERE = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_a_clear_error(name: str, tmp_path: Path) -> None:
    exp = EXPECTED[name]
    path = HERE / name
    if exp["kind"] == "rules":
        # A rule file is named after its standard; lint it from a folder of its own.
        target = tmp_path / "exit-permanent-residence-2011.yaml"
        target.write_bytes(path.read_bytes())
        result = CliRunner().invoke(cli, ["lint", str(target)])
        output = result.stdout
    else:
        result = CliRunner().invoke(cli, ["check", str(path)])
        output = result.stderr
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    assert str(exp["fragment"]) in output, output
    assert f": {exp['code']}: " in output, output
    if "line" in exp:
        assert re.search(rf"\.yaml:{exp['line']}: ", output), output
    assert not Path("/tmp/ereje-pwned").exists()


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.yaml"
    big.write_text("standard: x\nfacts:\n" + "  k: v\n" * 400_000, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(big)])
    assert result.exit_code == 2
    assert "larger than 2000000 bytes" in result.stderr


def test_bom_and_crlf_are_accepted_and_change_nothing(tmp_path: Path) -> None:
    src = Path(__file__).parent.parent / "cases" / "exit-permanent-residence-2011" / "01-accept-adult.yaml"
    plain = CliRunner().invoke(cli, ["check", str(src), "--format", "json"])
    dos = tmp_path / "01-accept-adult.yaml"
    dos.write_bytes(b"\xef\xbb\xbf" + src.read_bytes().replace(b"\n", b"\r\n"))
    converted = CliRunner().invoke(cli, ["check", str(dos), "--format", "json"])
    assert converted.exit_code == plain.exit_code == 0
    assert converted.stdout.replace(str(dos), str(src)) == plain.stdout.replace(str(src), str(src))


def test_damaged_decree_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[1] / "sources" / "002_fb89d94cd7fa7297.txt"
    damaged = tmp_path / "002_damaged.txt"
    # A paragraph number mangled into a roman numeral: the structure cannot be followed.
    damaged.write_text(seed.read_text(encoding="utf-8").replace("\n11. ", "\nXI. "), encoding="utf-8")
    out = tmp_path / "standards"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier import", encoding="utf-8")
    result = CliRunner().invoke(cli, ["standards", "import", str(damaged), "--out", str(out)])
    assert result.exit_code == 2
    assert "002_damaged.txt:74: cannot parse the standard" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


@pytest.fixture(scope="module")
def api():  # type: ignore[no-untyped-def]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's TestClient asks for httpx2
        from fastapi.testclient import TestClient

    from validator.surfaces.service import create_app

    rules = Path(__file__).resolve().parent.parent / "rules"
    with TestClient(create_app(rules)) as client:
        yield client


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["kind"] == "case"))
def test_bad_input_through_the_api(name: str, api) -> None:  # type: ignore[no-untyped-def]
    """The same corpus sent as YAML to POST /check: a 4xx problem document, never a 5xx."""
    exp = EXPECTED[name]
    r = api.post("/check", content=(HERE / name).read_bytes(), headers={"Content-Type": "application/yaml"})
    assert 400 <= r.status_code < 500, r.text[:300]
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    text = r.text
    assert body["status"] == r.status_code
    # The problem names what is wrong: the corpus's fragment, or (for encoding and syntax errors that the
    # service words itself) at least the line of the problem.
    assert str(exp["fragment"]) in text or ("line" in exp and str(exp["line"]) in text), text[:500]


def test_truncated_decree_is_flagged_in_the_quirk_report(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[1] / "sources" / "002_fb89d94cd7fa7297.txt"
    cut = tmp_path / "002_cut.txt"
    cut.write_text("\n".join(seed.read_text(encoding="utf-8").splitlines()[:100]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["standards", "import", str(cut), "--out", str(tmp_path / "out"), "--report"])
    assert result.exit_code == 0
    assert "002_cut.txt:99: ends-early [13]: the text stops at paragraph 13" in result.stdout


def _as_json_line(name: str) -> str | None:
    """The corpus entry as one JSON line, where it is bad for what it says rather than for how YAML
    writes it (syntax, encoding, tags, separators are YAML's alone: those stay with the CLI and API)."""
    import json

    from validator.errors import InputError, InputErrors
    from validator.rules.yamlload import load_yaml_text

    try:
        loaded = load_yaml_text((HERE / name).read_text(encoding="utf-8"), name)
    except (InputErrors, InputError, UnicodeDecodeError):
        return None
    if not isinstance(loaded.data, dict):
        return None
    return json.dumps(loaded.data, ensure_ascii=False, default=str)


BATCHABLE = sorted(n for n, e in EXPECTED.items() if e["kind"] == "case" and _as_json_line(n) is not None)


def test_the_corpus_reaches_batch_too() -> None:
    assert len(BATCHABLE) >= 15, BATCHABLE


@pytest.mark.parametrize("name", BATCHABLE)
def test_bad_input_through_batch(name: str, tmp_path: Path) -> None:
    """The same corpus as JSON lines to `ereje check --batch`: an error line with the same code, between
    two good cases whose reports are still written (one bad line never takes the batch with it)."""
    import json

    accept = HERE.parent.parent / "cases" / "exit-permanent-residence-2011" / "01-accept-adult.yaml"
    case = yaml.safe_load(accept.read_text(encoding="utf-8"))
    case.pop("expect", None)
    good = json.dumps(case, ensure_ascii=False, default=str)
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([good, str(_as_json_line(name)), good]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["check", "--batch", str(src), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 and lines[0]["verdict"] == lines[2]["verdict"] == "accept"
    codes = {p["code"] for p in lines[1]["error"]}
    assert EXPECTED[name]["code"] in codes, (codes, lines[1])
