"""Helpers several test modules share: a server that is up, a disk that fills."""

from __future__ import annotations

import errno
import subprocess
import time
import urllib.request
from typing import Any


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
    """A text file with `room` characters of space left: writes what fits, then fails as a full disk does."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room

    def write(self, text: str) -> int:
        if len(text) > self.room:
            self.real.write(text[: self.room])
            self.real.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(text)
        return int(self.real.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)
