"""The service under a bounded load on loopback: mixed valid, invalid and oversized requests from
concurrent clients, while slow and abandoned connections are held open. Zero 5xx, answers equal to
the library's reports, memory flat, and a slow client does not starve the others."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EREJE = str(Path(sys.executable).with_name("ereje"))
REQUESTS = int(os.environ.get("EREJE_LOAD_REQUESTS", "300"))
SECONDS = float(os.environ.get("EREJE_LOAD_SECONDS", "120"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from validator.surfaces.cli import cli

    if "serve" not in cli.commands:
        pytest.skip("ereje serve is not available")
    port = _free_port()
    proc = subprocess.Popen([EREJE, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode() if proc.stderr else "server died")
            time.sleep(0.2)
    assert CliRunner  # the CLI is the thing under test
    yield base, proc
    proc.terminate()
    proc.wait(timeout=10)
    if proc.stderr:
        proc.stderr.close()


def _payloads() -> list[tuple[str, bytes, str | None]]:
    """(kind, body, expected report JSON or None)."""
    from validator.decision.engine import evaluate
    from validator.report.render import to_json
    from validator.surfaces.jobs import RuleSet, load_case

    rules = RuleSet.lazy()
    out: list[tuple[str, bytes, str | None]] = []
    for path in sorted((ROOT / "cases" / "exit-permanent-residence-2011").glob("*.yaml"))[:8]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.pop("expect", None)
        data["id"] = path.stem
        body = json.dumps(data, default=str, ensure_ascii=False).encode()
        case, compiled = load_case(path, rules)
        case = case.model_copy(update={"id": path.stem})
        out.append(("valid", body, to_json(evaluate(compiled, case), compiled, "en")))
    out.append(("invalid", b'{"standard": "exit-permanent-residence-2011", "channel": "nowhere"}', None))
    out.append(("invalid", b"{not json", None))
    out.append(("invalid", b'{"standard": "../../etc/passwd"}', None))
    out.append(("oversized", b'{"x": "' + b"a" * 400_000 + b'"}', None))
    return out


def _slow_clients(base: str, n: int) -> list[socket.socket]:
    """Connections that send half a request and stall, and ones that connect and vanish."""
    host, port = base.removeprefix("http://").split(":")
    held = []
    for i in range(n):
        s = socket.create_connection((host, int(port)))
        if i % 2:
            s.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
            held.append(s)
        else:
            s.close()
    return held


def test_bounded_mixed_load(server) -> None:  # type: ignore[no-untyped-def]
    base, proc = server
    payloads = _payloads()
    rng = random.Random(11)
    plan = [rng.choice(payloads) for _ in range(REQUESTS)]
    held = _slow_clients(base, 20)
    with httpx.Client(base_url=base, timeout=30) as warm:
        for _kind, body, _ in payloads:
            warm.post("/check", content=body, headers={"Content-Type": "application/json"})
    rss_before = _rss_kib(proc.pid)
    statuses: Counter[int] = Counter()
    wrong: list[str] = []
    start = time.perf_counter()

    def send(item: tuple[str, bytes, str | None]) -> None:
        kind, body, expected = item
        with httpx.Client(base_url=base, timeout=30) as client:
            r = client.post("/check", content=body, headers={"Content-Type": "application/json"})
        statuses[r.status_code] += 1
        if kind == "valid" and r.text != expected:
            wrong.append(f"{r.status_code}: {r.text[:200]}")
        if kind == "oversized" and r.status_code != 413:
            wrong.append(f"oversized gave {r.status_code}")
        if kind == "invalid" and not 400 <= r.status_code < 500:
            wrong.append(f"invalid gave {r.status_code}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, plan))
    elapsed = time.perf_counter() - start
    # A fresh request still gets through at once while the stalled connections are held.
    t = time.perf_counter()
    assert httpx.get(f"{base}/health", timeout=5).status_code == 200
    health_latency = time.perf_counter() - t
    rss_after = _rss_kib(proc.pid)
    for s in held:
        s.close()
    assert not [c for c in statuses if c >= 500], statuses
    assert wrong == [], wrong[:3]
    assert elapsed < SECONDS, f"{REQUESTS} requests took {elapsed:.1f} s"
    assert health_latency < 2.0
    assert rss_after - rss_before < 40 * 1024, f"memory grew by {(rss_after - rss_before) / 1024:.0f} MiB"
    print(
        f"\n{REQUESTS} requests in {elapsed:.1f} s ({REQUESTS / elapsed:.0f}/s), statuses {dict(statuses)}, "
        f"RSS {rss_before // 1024} → {rss_after // 1024} MiB"
    )
