"""Batch checking: order kept, malformed lines reported, resumable, same output with any --jobs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from validator.surfaces.batch import complete_lines, run_batch
from validator.surfaces.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXIT = sorted((ROOT / "cases" / "exit-permanent-residence-2011").glob("*.yaml"))


def _lines() -> list[str]:
    out = []
    for p in EXIT:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        data.pop("expect", None)
        out.append(json.dumps(data, default=str, ensure_ascii=False))
    return out


def test_order_kept_and_malformed_line_reported_in_place() -> None:
    lines = _lines()
    lines.insert(2, "{broken")
    out = io.StringIO()
    summary = run_batch([line + "\n" for line in lines], out)
    results = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(results) == len(lines)
    assert results[2] == {
        "line": 3,
        "error": [
            {
                "code": "bad-json",
                "file": "<batch>",
                "line": 3,
                "message": results[2]["error"][0]["message"],
                "path": "$",
            }
        ],
    }
    assert results[0]["case"] == "<batch>:1" and results[0]["verdict"] == "accept"
    assert summary.verdicts["error"] == 1
    assert summary.cases == len(lines)


def test_jobs_give_identical_output() -> None:
    lines = [line + "\n" for line in _lines()] * 20
    one, two = io.StringIO(), io.StringIO()
    run_batch(lines, one, jobs=1)
    run_batch(lines, two, jobs=2)
    assert one.getvalue() == two.getvalue()


def test_resume_after_a_torn_line_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text("".join(line + "\n" for line in _lines()), encoding="utf-8")
    full = tmp_path / "full.jsonl"
    runner = CliRunner()
    runner.invoke(cli, ["check", "--batch", str(src), "--out", str(full)])
    expected = full.read_text(encoding="utf-8").splitlines()
    # An interrupted run: 5 complete lines and half of the sixth.
    part = tmp_path / "part.jsonl"
    part.write_text("\n".join(expected[:5]) + "\n" + expected[5][:40], encoding="utf-8")
    assert complete_lines(part) == 5
    result = runner.invoke(cli, ["check", "--batch", str(src), "--out", str(part), "--resume"])
    assert "resumed after 5" in result.stderr
    assert part.read_text(encoding="utf-8").splitlines() == expected


def test_cli_exit_codes_and_summary(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(_lines()[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--batch", str(src)])
    assert result.exit_code == 0
    assert "1 cases in" in result.stderr and "accept 1" in result.stderr
    src.write_text(_lines()[0] + "\nnot json\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--batch", str(src)])
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 2
    result = CliRunner().invoke(cli, ["check", "--batch", str(src), "--resume"])
    assert result.exit_code == 2 and "--resume needs --out" in result.output
