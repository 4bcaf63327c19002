"""Helpers several test modules share: a server that is up, a disk that fills."""

from __future__ import annotations

import contextlib
import errno
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def wait_until_up(base: str, proc: subprocess.Popen[Any], seconds: float = 60) -> None:
    """Wait until the server at `base` answers /health; fail if it stops or does not start in time."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2):
                return
        except OSError:
            assert proc.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, f"the server did not start in {seconds:.0f} s"
            time.sleep(0.1)


class FullDisk:
    """A text file with `room` bytes of space left, written as text or through its `buffer`: writes what
    fits, then fails as a full disk does."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room
        self.buffer = _FullBuffer(self)

    def write(self, text: str) -> int:
        self.buffer.write(text.encode(self.real.encoding))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class _FullBuffer:
    def __init__(self, disk: FullDisk) -> None:
        self.disk = disk

    def write(self, data: bytes) -> int:
        disk = self.disk
        disk.real.flush()  # what was written as text stays before
        if len(data) > disk.room:
            disk.real.buffer.write(data[: disk.room])
            disk.real.buffer.flush()
            disk.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        disk.room -= len(data)
        return int(disk.real.buffer.write(data))

    def flush(self) -> None:
        self.disk.real.buffer.flush()


EXIT_SLUG = "exit-permanent-residence-2011"


def copy_exit_rules(dest: Path) -> Path:
    """`dest` holding the exit-permanent-residence rules alone, with the shared vocabularies (other
    standards' rules come and go as authors work; these tests are about the surfaces)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "rules" / f"{EXIT_SLUG}.yaml", dest)
    if (ROOT / "rules" / "_shared").is_dir():
        shutil.copytree(ROOT / "rules" / "_shared", dest / "_shared")
    return dest


def children(pid: int) -> list[int]:
    """The live child processes of `pid`, read from /proc."""
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(rules_dir: Path, *options: str) -> Iterator[tuple[str, int]]:
    """`ereje serve` on a free port with `options`, until it answers /health; (base URL, port)."""
    port = free_port()
    command = [sys.executable, "-m", "validator.surfaces.cli", "serve", "--port", str(port), "--rules", str(rules_dir)]
    proc = subprocess.Popen([*command, *options], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        yield base, port
    finally:
        proc.terminate()
        proc.wait(10)
