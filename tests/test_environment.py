"""When the environment fails — a full disk or temp folder, no permission, a folder or a FIFO where a file
belongs, a stdout that cannot take UTF-8 — Ereje says what failed and exits 4, never 3 ("a bug") and never
with a traceback; what was written stays resumable. Inputs are read only from regular files (or a pipe
on stdin), never without limit."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from validator.surfaces import batch
from validator.surfaces.batch import MAX_LINE, bounded_lines, record_path
from validator.surfaces.cli import main

from .helpers import FullDisk

try:
    import resource
except ImportError:  # Windows: the tests that need limits are skipped there
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases" / "exit-permanent-residence-2011"
CASE = CASES / "02-missing-passport-and-duty.yaml"
EREJE = [sys.executable, "-c", "from validator.surfaces.cli import main; main()"]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files, devices and limits")


def _lines() -> list[str]:
    out = []
    for p in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        data.pop("expect", None)
        out.append(json.dumps(data, default=str, ensure_ascii=False))
    return out


def _cases(path: Path, copies: int = 1) -> Path:
    path.write_text("".join(line + "\n" for line in _lines() * copies), encoding="utf-8")
    return path


def ereje(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `ereje ARGS` in this process through main(), as the installed command does (exit codes included)."""
    monkeypatch.setattr(sys, "argv", ["ereje", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    code = exit_.value.code
    return (code if isinstance(code, int) else 0), out, err


def run(*args: str, timeout: float = 120, limit: dict[int, int] | None = None, **kwargs: Any) -> Any:
    """Run `ereje ARGS` in a subprocess (with resource limits, e.g. a file size limit)."""

    def limits() -> None:
        for which, value in (limit or {}).items():
            resource.setrlimit(which, (value, value))  # POSIX only: callers are marked so

    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([*EREJE, *args], timeout=timeout, preexec_fn=limits if limit else None, **kwargs)


# Without the refusals, reading /dev/zero would fill memory: the subprocesses get 2 GiB at most.
MEMORY = {resource.RLIMIT_AS: 2 << 30} if resource else {}


def _no_traceback(err: str | bytes) -> None:
    text = err.decode("utf-8", "replace") if isinstance(err, bytes) else err
    assert "Traceback" not in text and "Exception ignored" not in text, text


# --- only regular files are read or written -------------------------------------------------------


def test_a_directory_as_out_exits_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    src = _cases(tmp_path / "cases.jsonl")
    folder = tmp_path / "reports"
    folder.mkdir()
    code, _, err = ereje(monkeypatch, capsys, "check", "--batch", str(src), "--out", str(folder))
    assert code == 4, err
    assert f"error: the environment failed: --out {folder} is a directory" in err
    _no_traceback(err)
    assert list(folder.iterdir()) == [] and not record_path(folder).exists()


@POSIX
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_as_out_exits_4_at_once(tmp_path: Path, kind: str) -> None:
    src = _cases(tmp_path / "cases.jsonl")
    out = tmp_path / "fifo" if kind == "fifo" else Path("/dev/null")
    if kind == "fifo":
        os.mkfifo(out)  # opening it to write would wait for a reader for ever
    proc = run("check", "--batch", str(src), "--out", str(out), timeout=60)
    assert proc.returncode == 4, proc.stderr
    assert b"is not a regular file" in proc.stderr
    _no_traceback(proc.stderr)


@POSIX
@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
@pytest.mark.parametrize("how", ["case", "batch"])
def test_a_fifo_a_device_or_a_directory_as_input_is_refused_at_once(tmp_path: Path, kind: str, how: str) -> None:
    path = {"fifo": tmp_path / "cases.yaml", "device": Path("/dev/zero"), "directory": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes to it: reading it would wait for ever
    args = ["check", str(path)] if how == "case" else ["check", "--batch", str(path)]
    proc = run(*args, timeout=60, limit=MEMORY)
    assert proc.returncode == 2, proc.stderr
    expected = b"is a directory" if kind == "directory" else b"is not a regular file"
    assert expected in proc.stderr
    _no_traceback(proc.stderr)


@POSIX
def test_stdin_may_be_a_pipe_but_not_a_device(tmp_path: Path) -> None:
    src = _cases(tmp_path / "cases.jsonl")
    piped = run("check", "--batch", "-", input=src.read_bytes())
    assert piped.returncode == 1 and len(piped.stdout.splitlines()) == len(_lines())
    with open("/dev/zero", "rb") as zero:
        proc = run("check", "--batch", "-", stdin=zero, timeout=60, limit=MEMORY)
    assert proc.returncode == 2 and b"<stdin>: bad-input: is a device" in proc.stderr


def test_a_line_is_never_held_longer_than_the_limit() -> None:
    """A line of 5 MB without a newline is held to MAX_LINE characters; the lines after it are still read."""
    stream = io.StringIO("x" * 5_000_000 + "\n" + "{}\n")
    lines = list(bounded_lines(stream))
    assert [len(x) for x in lines] == [MAX_LINE, 3]


def test_an_over_long_line_is_refused_in_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    good = _lines()[0]
    src = tmp_path / "cases.jsonl"
    src.write_text(good + "\n" + '{"facts": "' + "x" * 3_000_000 + '"}\n' + good + "\n", encoding="utf-8")
    code, out, _ = ereje(monkeypatch, capsys, "check", "--batch", str(src))
    results = [json.loads(x) for x in out.splitlines()]
    assert code == 2 and len(results) == 3
    assert results[1]["error"][0]["code"] == "too-large" and results[1]["line"] == 2
    assert results[0]["verdict"] == results[2]["verdict"] == "accept"


# --- a full disk, a full temp folder, no permission: exit 4, what was written resumable -----------


def test_a_full_disk_exits_4_and_the_output_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    src = _cases(tmp_path / "cases.jsonl", copies=3)
    whole = tmp_path / "whole.jsonl"
    ereje(monkeypatch, capsys, "check", "--batch", str(src), "--out", str(whole))
    out = tmp_path / "out.jsonl"
    real_open = open

    def full_disk_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        f = real_open(file, *args, **kwargs)
        return FullDisk(f, 120_000) if str(file) == str(out) else f

    with monkeypatch.context() as m:
        m.setattr(batch, "WINDOW_PER_JOB", 7)
        m.setattr(batch, "open", full_disk_open, raising=False)
        code, _, err = ereje(monkeypatch, capsys, "check", "--batch", str(src), "--out", str(out))
    assert code == 4, err
    assert "error: the environment failed: cannot write the reports: No space left on device" in err
    assert f"the reports written so far are kept in {out}: rerun with --resume" in err
    _no_traceback(err)
    kept = json.loads(record_path(out).read_text(encoding="utf-8"))["lines"]
    assert kept > 0 and kept % 7 == 0  # whole windows
    code, _, err = ereje(monkeypatch, capsys, "check", "--batch", str(src), "--out", str(out), "--resume")
    assert code == 1 and f"(resumed after {kept})" in err
    assert out.read_bytes() == whole.read_bytes()


@POSIX
def test_a_file_size_limit_exits_4_and_the_output_resumes(tmp_path: Path) -> None:
    """A real write failure (EFBIG under RLIMIT_FSIZE: the kernel refuses the bytes past the limit)."""
    src = _cases(tmp_path / "cases.jsonl", copies=40)  # 560 lines: three windows of 256
    whole = tmp_path / "whole.jsonl"
    assert run("check", "--batch", str(src), "--out", str(whole)).returncode == 1
    out = tmp_path / "out.jsonl"
    # stops inside the second window: past the first 256 reports, half way through the next ones
    reports = whole.read_bytes().splitlines(keepends=True)
    limit = sum(map(len, reports[:256])) + sum(map(len, reports[256:512])) // 2
    proc = run("check", "--batch", str(src), "--out", str(out), limit={resource.RLIMIT_FSIZE: limit})
    assert proc.returncode == 4, proc.stderr
    assert b"cannot write the reports: File too large" in proc.stderr
    _no_traceback(proc.stderr)
    assert out.stat().st_size == limit  # the first window whole, the second torn
    assert json.loads(record_path(out).read_text(encoding="utf-8"))["lines"] == 256
    resumed = run("check", "--batch", str(src), "--out", str(out), "--resume")
    assert resumed.returncode == 1 and b"(resumed after 256)" in resumed.stderr
    assert out.read_bytes() == whole.read_bytes()


def _namespace_mounts() -> bool:
    """Whether this machine lets us mount a tmpfs in a user and mount namespace of our own."""
    if not sys.platform.startswith("linux") or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp",
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def in_tmpfs(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a mount namespace of its own (tiny tmpfs mounts vanish with it)."""
    env = {**os.environ, **env, "EREJE": " ".join(f"'{a}'" for a in EREJE)}
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], env=env, capture_output=True, text=True, timeout=300, check=False
    )


TMPFS = pytest.mark.skipif(not _namespace_mounts(), reason="cannot mount a tmpfs in a user namespace here")


@TMPFS
def test_a_full_tmpfs_exits_4_and_the_output_resumes_once_there_is_room(tmp_path: Path) -> None:
    src = _cases(tmp_path / "cases.jsonl", copies=40)
    whole = tmp_path / "whole.jsonl"
    assert run("check", "--batch", str(src), "--out", str(whole)).returncode == 1
    disk = tmp_path / "disk"
    disk.mkdir()
    script = """
    mount -t tmpfs -o size="$SIZE" tmpfs "$DISK" || exit 90
    eval "$EREJE check --batch '$SRC' --out '$DISK/out.jsonl'" 2> "$LOG/first.err"; echo "first=$?"
    cat "$DISK/out.jsonl.resume.json" > "$LOG/record.json"
    mount -o remount,size=64m "$DISK" || exit 91
    eval "$EREJE check --batch '$SRC' --out '$DISK/out.jsonl' --resume" 2> "$LOG/second.err"; echo "second=$?"
    cp "$DISK/out.jsonl" "$LOG/out.jsonl"
    """
    size = f"{whole.stat().st_size // 2 // 1024}k"  # room for about half of the reports
    proc = in_tmpfs(script, {"DISK": str(disk), "SRC": str(src), "LOG": str(tmp_path), "SIZE": size})
    assert "first=4" in proc.stdout and "second=1" in proc.stdout, (proc.stdout, proc.stderr)
    first = (tmp_path / "first.err").read_text(encoding="utf-8")
    assert "cannot write the reports: No space left on device" in first and "rerun with --resume" in first
    _no_traceback(first)
    kept = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))["lines"]
    assert kept > 0 and f"(resumed after {kept})" in (tmp_path / "second.err").read_text(encoding="utf-8")
    assert (tmp_path / "out.jsonl").read_bytes() == whole.read_bytes()


@TMPFS
def test_a_full_temp_folder_exits_4(tmp_path: Path) -> None:
    src = _cases(tmp_path / "cases.jsonl", copies=40)
    temp = tmp_path / "temp"
    temp.mkdir()
    script = """
    mount -t tmpfs -o size=64k tmpfs "$TEMP" || exit 90
    export TMPDIR="$TEMP"
    eval "$EREJE check --batch '$SRC' --jobs 2 --out '$OUT'" 2> "$OUT.err"; echo "rc=$?"
    """
    proc = in_tmpfs(script, {"TEMP": str(temp), "SRC": str(src), "OUT": str(tmp_path / "out.jsonl")})
    assert "rc=4" in proc.stdout, (proc.stdout, proc.stderr)
    err = (tmp_path / "out.jsonl.err").read_text(encoding="utf-8")
    assert f"cannot write to the temp folder {temp}/ereje-batch-" in err and "No space left on device" in err
    _no_traceback(err)


@POSIX
def test_no_permission_to_write_the_output_exits_4(tmp_path: Path) -> None:
    src = _cases(tmp_path / "cases.jsonl")
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() != 0:
        locked.chmod(0o500)
        proc = run("check", "--batch", str(src), "--out", str(locked / "out.jsonl"))
        locked.chmod(0o700)
        code, err = proc.returncode, proc.stderr.decode()
        reason = "Permission denied"
    elif _namespace_mounts():  # root may write anywhere: a read-only file system refuses even root
        script = """
        mount -t tmpfs -o ro,size=64k tmpfs "$LOCKED" || exit 90
        eval "$EREJE check --batch '$SRC' --out '$LOCKED/out.jsonl'"
        """
        proc = in_tmpfs(script, {"LOCKED": str(locked), "SRC": str(src)})
        code, err = proc.returncode, proc.stderr
        reason = "Read-only file system"
    else:
        pytest.skip("running as root without mount namespaces: nothing refuses to be written")
    assert code == 4, err
    assert f"error: the environment failed: cannot write the record {locked}/out.jsonl.resume.json: {reason}" in err
    _no_traceback(err)


@POSIX
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [["check", str(CASE)], ["check", "--batch", "CASES"]])
def test_a_full_stdout_exits_4(tmp_path: Path, args: list[str]) -> None:
    args = [str(_cases(tmp_path / "cases.jsonl")) if a == "CASES" else a for a in args]
    with open("/dev/full", "wb") as full:
        proc = run(*args, stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 4, proc.stderr
    assert b"error: the environment failed:" in proc.stderr and b"No space left on device" in proc.stderr
    _no_traceback(proc.stderr)


def test_a_worker_that_dies_exits_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    src = _cases(tmp_path / "cases.jsonl")
    real = batch.evaluate_line

    def killed(line: str, number: int, *args: Any) -> tuple[str, str]:
        if number == 3:
            os._exit(9)  # as the OOM killer would end it
        return real(line, number, *args)

    monkeypatch.setattr(batch, "evaluate_line", killed)
    code, _, err = ereje(monkeypatch, capsys, "check", "--batch", str(src), "--jobs", "2", "--out", str(tmp_path / "o"))
    assert code == 4 and "a worker process died" in err and "rerun with --resume" in err
    _no_traceback(err)


# --- stdout in UTF-8 whatever the locale ----------------------------------------------------------


@pytest.mark.parametrize("args", [["check", str(CASE), "--lang", "ru"], ["check", str(CASE), "--lang", "kk"]])
def test_a_non_utf8_stdout_gets_utf8(args: list[str]) -> None:
    """A Kazakh clerk's Windows console code page (cp1251) redirected to a file: the file is UTF-8."""
    utf8 = run(*args, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    legacy = run(*args, env={**os.environ, "PYTHONIOENCODING": "cp1251"})
    assert legacy.returncode == utf8.returncode == 1, legacy.stderr
    assert legacy.stdout == utf8.stdout
    assert "Қ".encode() in legacy.stdout or "✓".encode() in legacy.stdout  # beyond cp1251
    _no_traceback(legacy.stderr)


def test_batch_to_a_non_utf8_stdout_gets_utf8(tmp_path: Path) -> None:
    src = _cases(tmp_path / "cases.jsonl")
    utf8 = run("check", "--batch", str(src), "--lang", "kk", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    legacy = run("check", "--batch", str(src), "--lang", "kk", env={**os.environ, "PYTHONIOENCODING": "cp1251"})
    assert legacy.returncode == utf8.returncode == 1
    assert legacy.stdout == utf8.stdout and "ә".encode() in legacy.stdout


class Cp1251Stream(io.TextIOBase):
    """A stdout that cannot be switched to UTF-8 (not an io.TextIOWrapper) and encodes strictly."""

    encoding = "cp1251"

    def __init__(self) -> None:
        self.data = b""

    def write(self, text: str) -> int:
        self.data += text.encode(self.encoding)
        return len(text)


def test_a_stdout_that_cannot_take_the_report_exits_4(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Cp1251Stream())
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(sys, "argv", ["ereje", "check", str(CASE), "--lang", "kk"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 4
    assert "the output's encoding (cp1251) cannot hold the report" in stderr.getvalue()
    _no_traceback(stderr.getvalue())
