"""Batch checking: order kept, every line its own line (a malformed case or a bug in one case included),
resumable only into the output of the same run, `--out` never the input, workers and spool folders
never outliving their run, same output with any --jobs."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from validator.rules.ruleset import shown_name
from validator.surfaces import batch
from validator.surfaces.batch import clean_stale_spools, complete_lines, make_spool, record_path, run_batch
from validator.surfaces.cli import cli

from .helpers import FullDisk, children

ROOT = Path(__file__).resolve().parent.parent
EXIT = sorted((ROOT / "cases" / "exit-permanent-residence-2011").glob("*.yaml"))
EREJE = [sys.executable, "-c", "from validator.surfaces.cli import main; main()"]


def _lines() -> list[str]:
    out = []
    for p in EXIT:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        data.pop("expect", None)
        out.append(json.dumps(data, default=str, ensure_ascii=False))
    return out


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _check(*args: str) -> Any:
    return CliRunner().invoke(cli, ["check", *args])


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, out: Path, room: int) -> None:
    """The output file `out` (as batch opens it) takes `room` bytes, then the disk is full."""
    real_open = open

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        f = real_open(file, *args, **kwargs)
        return FullDisk(f, room) if str(file) == str(out) else f

    monkeypatch.setattr(batch, "open", fake_open, raising=False)


# --- order, malformed lines, --jobs ---------------------------------------------------------------


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


def test_a_broken_rule_file_gives_the_same_output_with_any_jobs(tmp_path: Path) -> None:
    """With --jobs 2 the rules are compiled up front; a broken file must still only fail its own cases."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "funeral-lump-sum-2012.yaml").write_text("standard: [broken\n", encoding="utf-8")
    src = _write(tmp_path / "cases.jsonl", _lines()[:3])
    one = _check("--batch", str(src), "--rules", str(rules))
    two = _check("--batch", str(src), "--rules", str(rules), "--jobs", "2")
    assert one.exit_code == two.exit_code == 1, two.stderr  # findings; not 2 (the whole run refused)
    assert one.stdout == two.stdout and len(two.stdout.splitlines()) == 3


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


# --- a bug in one case: its own line, the run goes on (exit 3) --------------------------------------


def _boom_on(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Make evaluation (`evaluate`) or rendering (`to_json`) crash on the case with id 'boom'."""
    real = getattr(batch, where)

    def crashing(*args: Any, **kwargs: Any) -> Any:
        case_id = args[1].id if where == "evaluate" else args[0].case
        if case_id == "boom":
            raise OverflowError("int too large to convert to float")
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, where, crashing)


@pytest.mark.parametrize(("where", "jobs"), [("evaluate", 1), ("evaluate", 2), ("report_bytes", 1)])
def test_a_case_that_hits_a_bug_gets_its_own_line_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, jobs: int
) -> None:
    good = _lines()
    boom = json.loads(good[1])
    boom["id"] = "boom"
    lines = [*good[:3], json.dumps(boom, ensure_ascii=False), *good[3:]] * 30  # several windows with --jobs 2
    src = _write(tmp_path / "cases.jsonl", lines)
    expected = _check("--batch", str(src), "--jobs", str(jobs)).stdout.splitlines()  # before the bug is planted
    _boom_on(monkeypatch, where)
    out = tmp_path / "out.jsonl"
    result = _check("--batch", str(src), "--out", str(out), "--jobs", str(jobs))
    assert result.exit_code == 3, result.output
    got = out.read_text(encoding="utf-8").splitlines()
    assert len(got) == len(lines)
    block = len(good) + 1
    for n, (line, want) in enumerate(zip(got, expected, strict=True), start=1):
        if n % block == 4:
            entry = json.loads(line)
            assert entry["line"] == n
            assert entry["error"][0]["code"] == "internal-error" and entry["error"][0]["line"] == n
            assert "OverflowError" in entry["error"][0]["message"]
        else:
            assert line == want  # every other report exactly as without the bug
    assert "internal-error 30" in result.stderr


def test_check_of_several_files_keeps_every_place_also_for_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = EXIT[0], tmp_path / "boom.yaml"
    data = yaml.safe_load(EXIT[1].read_text(encoding="utf-8"))
    data["id"] = "boom"
    b.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from validator.surfaces import jobs

    real = jobs.run

    def crashing(path: Path, *args: Any) -> Any:
        if path == b:
            raise ZeroDivisionError("division by zero")
        return real(path, *args)

    monkeypatch.setattr(jobs, "run", crashing)
    result = _check(str(a), str(b), str(EXIT[2]), "--format", "json")
    assert result.exit_code == 3
    reports = json.loads(result.stdout)
    assert [r.get("verdict") for r in reports] == ["accept", None, reports[2]["verdict"]]
    assert reports[1]["file"] == str(b) and reports[1]["error"][0]["code"] == "internal-error"
    assert f"internal error: {b}" in result.stderr


def test_every_line_keeps_its_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Good, malformed, empty, invalid and crashing lines: one output line each, numbered as in the input."""
    good = _lines()
    boom = json.loads(good[0])
    boom["id"] = "boom"
    lines = [good[0], "{broken", "", '{"standard": "no-such"}', json.dumps(boom), "[1]", good[1]]
    _boom_on(monkeypatch, "evaluate")
    src = _write(tmp_path / "mixed.jsonl", lines)
    result = _check("--batch", str(src))
    got = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(got) == len(lines)
    assert [g.get("line") for g in got] == [None, 2, 3, 4, 5, 6, None]
    assert got[0]["case"] == f"{src}:1" and got[6]["case"] == f"{src}:7"
    assert [g["error"][0]["code"] for g in got[1:6]][3] == "internal-error"
    assert result.exit_code == 3


# --- --out is never the input ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["same-path", "other-spelling", "hard-link", "symbolic-link", "record"])
def test_out_that_is_the_input_is_refused_before_anything_is_written(tmp_path: Path, how: str) -> None:
    src = _write(tmp_path / "cases.jsonl", _lines())
    before = src.read_bytes()
    out = {
        "same-path": src,
        "other-spelling": tmp_path / "sub" / ".." / "cases.jsonl",
        "hard-link": tmp_path / "hard.jsonl",
        "symbolic-link": tmp_path / "sym.jsonl",
        "record": tmp_path / "cases",  # its record cases.resume.json... is the input below
    }[how]
    (tmp_path / "sub").mkdir()
    if how == "hard-link":
        os.link(src, out)
    elif how == "symbolic-link":
        out.symlink_to(src)
    elif how == "record":
        src = src.rename(tmp_path / "cases.resume.json")
    result = _check("--batch", str(src), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "same-file" in result.stderr and "would be the input itself" in result.stderr
    assert src.read_bytes() == before
    assert not record_path(out).exists() or how == "record"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell redirection")
def test_stdin_redirected_from_the_output_is_refused(tmp_path: Path) -> None:
    src = _write(tmp_path / "cases.jsonl", _lines())
    before = src.read_bytes()
    with src.open("rb") as stdin:
        proc = subprocess.run(
            [*EREJE, "check", "--batch", "-", "--out", str(src)], stdin=stdin, capture_output=True, timeout=120
        )
    assert proc.returncode == 2 and b"would be the input itself (stdin)" in proc.stderr
    assert src.read_bytes() == before


# --- --resume: only the same run, and nothing lost or duplicated ----------------------------------


def test_resume_after_a_torn_line_loses_and_duplicates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _write(tmp_path / "cases.jsonl", _lines())
    full = tmp_path / "full.jsonl"
    _check("--batch", str(src), "--out", str(full))
    expected = full.read_text(encoding="utf-8").splitlines()
    # An interrupted run (windows of 5 lines): the disk fills up 40 characters into the sixth report.
    part = tmp_path / "part.jsonl"
    monkeypatch.setattr(batch, "WINDOW_PER_JOB", 5)
    fill_disk_after(monkeypatch, part, sum(len(x.encode()) + 1 for x in expected[:5]) + 40)
    with pytest.raises(Exception, match="No space left on device"):
        CliRunner().invoke(cli, ["check", "--batch", str(src), "--out", str(part)], catch_exceptions=False)
    monkeypatch.undo()
    assert part.read_bytes() == ("\n".join(expected[:5]) + "\n").encode() + expected[5].encode()[:40]
    assert json.loads(record_path(part).read_text(encoding="utf-8"))["lines"] == 5
    result = _check("--batch", str(src), "--out", str(part), "--resume")
    assert "resumed after 5" in result.stderr
    assert part.read_text(encoding="utf-8").splitlines() == expected
    assert complete_lines(part) == len(expected)


def test_resume_of_a_finished_output_changes_nothing_and_exits_as_the_whole_output(tmp_path: Path) -> None:
    src = _write(tmp_path / "cases.jsonl", [*_lines()[:3], "{broken"])
    out = tmp_path / "out.jsonl"
    first = _check("--batch", str(src), "--out", str(out))
    before = out.read_bytes()
    again = _check("--batch", str(src), "--out", str(out), "--resume")
    assert out.read_bytes() == before
    assert first.exit_code == again.exit_code == 2  # the broken line of the first run still counts
    assert "0 cases (resumed after 4)" in again.stderr and "error 1" in again.stderr


def test_resume_goes_on_when_the_input_grew(tmp_path: Path) -> None:
    lines = _lines()
    src = _write(tmp_path / "cases.jsonl", lines[:4])
    out = tmp_path / "out.jsonl"
    _check("--batch", str(src), "--out", str(out))
    _write(src, lines)
    result = _check("--batch", str(src), "--out", str(out), "--resume")
    assert f"{len(lines) - 4} cases (resumed after 4)" in result.stderr
    whole = tmp_path / "whole.jsonl"
    _check("--batch", str(src), "--out", str(whole))
    assert out.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize(
    "change", ["other-input", "changed-input", "shorter-input", "mode", "lang", "no-record", "edited-output"]
)
def test_resume_refuses_an_output_of_another_run(tmp_path: Path, change: str) -> None:
    lines = _lines()
    src = _write(tmp_path / "cases.jsonl", lines)
    out = tmp_path / "out.jsonl"
    _check("--batch", str(src), "--out", str(out))
    if change == "edited-output":
        out.write_bytes(out.read_bytes().replace(b'"verdict":', b'"verdict": ', 1))
    before = out.read_bytes()
    args = ["check", "--batch", str(src), "--out", str(out), "--resume"]
    if change == "other-input":
        args[2] = str(_write(tmp_path / "other.jsonl", lines))  # same lines, another input: other case ids
    elif change == "changed-input":
        _write(src, [lines[1], lines[0], *lines[2:]])
    elif change == "shorter-input":
        _write(src, lines[:-1])
    elif change == "mode":
        args[0] = "review"
    elif change == "lang":
        args += ["--lang", "kk"]
    elif change == "no-record":
        record_path(out).unlink()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "resume-mismatch" in result.stderr and "rerun without --resume" in result.stderr
    assert out.read_bytes() == before  # nothing of another run mixed in, nothing cut


def test_a_new_run_rewrites_the_record_before_it_empties_the_output(tmp_path: Path) -> None:
    """So a crash right after the new run starts cannot leave the old record over the new reports."""
    src = _write(tmp_path / "a.jsonl", _lines())
    out = tmp_path / "out.jsonl"
    _check("--batch", str(src), "--out", str(out))
    other = _write(tmp_path / "b.jsonl", _lines()[:2])
    seen: list[tuple[int, int]] = []
    real = batch.write_record

    def spy(path: Path, prov: Any, lines: int, *rest: Any) -> None:
        seen.append((lines, out.stat().st_size))
        real(path, prov, lines, *rest)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(batch, "write_record", spy)
        _check("--batch", str(other), "--out", str(out))
    assert seen[0][0] == 0 and seen[0][1] > 0  # the record went to line 0 while the old output was still whole
    assert json.loads(record_path(out).read_text(encoding="utf-8"))["input"] == str(other)


# --- workers die with their parent; spool folders of dead runs are removed, of live ones kept ----


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"  # killed; only not yet reaped


def _recorded(out: Path) -> int:
    """The lines an output's record says it holds (0 while there is none)."""
    try:
        return int(json.loads(record_path(out).read_text(encoding="utf-8"))["lines"])
    except (OSError, ValueError, KeyError):
        return 0


def _wait(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent_and_the_next_run_cleans_only_dead_spools(tmp_path: Path) -> None:
    from bench.generate import write_exit_cases

    big = tmp_path / "big.jsonl"
    write_exit_cases(str(big), 8_000, seed=5)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    out = tmp_path / "out.jsonl"
    doomed = subprocess.Popen(
        [*EREJE, "check", "--batch", str(big), "--jobs", "2", "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    live = None
    workers: list[int] = []
    try:
        assert _wait(lambda: _recorded(out) > 0, 120), "the batch never finished a window"
        workers = children(doomed.pid)
        assert len(workers) == 2
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait()
        started = time.monotonic()
        assert _wait(lambda: all(_gone(w) for w in workers), 5), "workers outlived their parent"
        died_within = time.monotonic() - started
        dead_spools = list(tmp.glob(f"ereje-batch-{doomed.pid}-*"))
        assert len(dead_spools) == 1  # kill -9 left it behind

        # A live run (blocked reading its stdin) keeps its spool folder while another run cleans up.
        live = subprocess.Popen(
            [*EREJE, "check", "--batch", "-", "--jobs", "2", "--out", str(tmp_path / "live.jsonl")],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert _wait(lambda: list(tmp.glob(f"ereje-batch-{live.pid}-*")), 120)
        small = _write(tmp_path / "small.jsonl", _lines()[:1])
        cleaner = subprocess.run(
            [*EREJE, "check", "--batch", str(small), "--jobs", "2"], env=env, capture_output=True, timeout=120
        )
        assert cleaner.returncode == 0, cleaner.stderr
        assert not any(p.exists() for p in dead_spools)
        assert list(tmp.glob(f"ereje-batch-{live.pid}-*"))
        assert live.stdin is not None
        live.stdin.close()  # its input ends: it finishes and removes its own spool folder
        assert live.wait(timeout=120) == 0
        assert not list(tmp.glob(f"ereje-batch-{live.pid}-*"))
        # The interrupted output resumes to exactly what an uninterrupted run writes.
        resumed = subprocess.run(
            [*EREJE, "check", "--batch", str(big), "--jobs", "2", "--out", str(out), "--resume"],
            env=env,
            capture_output=True,
            timeout=300,
        )
        assert b"resumed after" in resumed.stderr
        assert complete_lines(out) == 8_000
        assert died_within < 5
    finally:
        for proc in (doomed, live):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        if live is not None and live.stdin is not None:
            live.stdin.close()
        for w in workers:  # should they have outlived their parent, do not leave them running
            if not _gone(w):
                os.kill(w, signal.SIGKILL)


def test_clean_stale_spools_keeps_live_owners_and_foreign_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    mine = make_spool()  # this live process
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = tmp_path / f"ereje-batch-{gone.pid}-abcd1234"
    dead.mkdir()
    (dead / "window.jsonl").write_text("{}\n", encoding="utf-8")
    reused = tmp_path / f"ereje-batch-{os.getpid()}-reused00"  # a live pid, but another start time: reused
    reused.mkdir()
    (reused / "owner.json").write_text(json.dumps({"pid": os.getpid(), "start": 1, "host": None}), encoding="utf-8")
    old = tmp_path / "ereje-batch-x1y2z3ab"  # an older Ereje's folder: no owner known, left alone
    old.mkdir()
    removed = clean_stale_spools()
    assert set(removed) == ({dead, reused} if Path("/proc/self/stat").exists() else {dead})
    assert mine.exists() and old.exists()
    shutil.rmtree(mine)


def test_workers_arm_their_death_with_the_parent() -> None:
    how = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from validator.surfaces.batch import die_with_parent as d; print(d(os.getppid()))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.strip()
    assert how == ("pdeathsig" if sys.platform.startswith("linux") else "watch")


def test_an_error_line_is_utf8_whatever_the_message_quotes() -> None:
    """An error line goes out as bytes: bytes of the input that were not UTF-8 (escaped by the reader) go
    back as they were read; a lone surrogate no byte gave becomes its JSON escape, the same string."""
    escaped = b"caf\xe9".decode("utf-8", "surrogateescape")
    assert batch._dumps({"message": escaped}) == b'{"message":"caf\xe9"}'
    lone = batch._dumps({"message": "a\ud800b"})
    assert json.loads(lone.decode("utf-8")) == {"message": "a\ud800b"}
    assert batch._dumps({"message": "қазақ"}) == '{"message":"қазақ"}'.encode()


def test_a_file_name_that_is_not_utf8_is_shown_not_a_crash(tmp_path: Path) -> None:
    """A batch file whose name holds a byte that is not UTF-8 (an outside tester's finding): every case is
    decided (its id, from the name, shows the byte as \\xff), every output line is UTF-8, and the run's
    record names the file alike, so --resume finds it."""
    src = _write(
        tmp_path / os.fsdecode(b"b\xffc.jsonl"), [json.dumps({**json.loads(x), "id": None}) for x in _lines()[:3]]
    )
    out = tmp_path / "out.jsonl"
    for jobs in ("1", "2"):
        result = _check("--batch", str(src), "--out", str(out), "--jobs", jobs, "--lang", "kk")
        assert result.exit_code in (0, 1), result.output
        lines = out.read_bytes().decode("utf-8").splitlines()  # strict: no raw byte of the name
        reports = [json.loads(line) for line in lines]
        assert [r["case"] for r in reports] == [f"{shown_name(str(src))}:{n}" for n in (1, 2, 3)]
        assert all(r["case"].endswith(f"b\\xffc.jsonl:{n}") for r, n in zip(reports, (1, 2, 3), strict=True))
        assert "internal-error" not in result.stderr
    assert json.loads(record_path(out).read_text(encoding="utf-8"))["input"].endswith("b\\xffc.jsonl")
    again = _check("--batch", str(src), "--out", str(out), "--resume", "--lang", "kk")
    assert "resumed after 3" in again.stderr


def test_a_case_file_named_with_a_byte_that_is_not_utf8_gets_its_report(tmp_path: Path) -> None:
    """`ereje check FILE --format json` on such a file: the report, its id the name with the byte shown."""
    path = tmp_path / os.fsdecode(b"a\xffb.yaml")
    text = EXIT[0].read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines() if not line.startswith("id:")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["case"] == "a\\xffb"
