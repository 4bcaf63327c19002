"""`ereje serve --workers 2`, the real server: two forked workers answer on one port with the library's
reports, a worker that dies is started again while the other keeps answering, and SIGTERM to the
parent stops them all (exit 0, no process left)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml

from .helpers import children, free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "exit-permanent-residence-2011" / "01-accept-adult.yaml"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(), reason="fork and /proc")


def _wait(predicate: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_two_workers_answer_restart_and_stop() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    body = json.dumps(
        {k: v for k, v in yaml.safe_load(CASE.read_text(encoding="utf-8")).items() if k != "expect"}, default=str
    )
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "validator.surfaces.cli", "serve", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_until_up(base, proc)
            _wait(lambda: len(set(children(proc.pid))) == 2)
            workers = set(children(proc.pid))

            def check(_: int) -> tuple[int, str]:
                r = httpx.post(f"{base}/check", content=body, headers={"Content-Type": "application/json"}, timeout=30)
                return r.status_code, r.json()["verdict"]

            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(check, range(64)))
            assert answers == [(200, "accept")] * 64

            # One worker dies (as the OOM killer would end it): the other answers, and it is started again.
            victim = min(workers)
            os.kill(victim, signal.SIGKILL)
            assert check(0) == (200, "accept")
            _wait(lambda: len(set(children(proc.pid))) == 2 and victim not in set(children(proc.pid)))
            assert check(0) == (200, "accept")

            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
            _wait(lambda: not any(Path(f"/proc/{p}").exists() for p in workers - {victim}))
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


def test_the_shared_socket_says_it_is_tcp() -> None:
    """asyncio turns Nagle's algorithm off (TCP_NODELAY) only on connections of a socket whose protocol is
    IPPROTO_TCP: with proto 0 every keep-alive request waited ~40 ms for a delayed ACK (22 requests/s
    against 720 with one worker, found by the benchmark)."""
    from validator.surfaces.prefork import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
