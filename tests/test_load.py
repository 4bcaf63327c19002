"""The real server (`ereje serve`) under load on loopback, bounded in count and time.

* `test_mixed_load`: 2 000 requests from 16 clients (valid checks and reviews in every language,
  invalid, unreadable, oversized and over-the-bounds cases, a missing Content-Type, GETs and HEADs, a
  tenth of them on a new connection) while stalled connections (half a head, half a body, or none)
  are opened all along. Zero 5xx; every report byte for byte the library's
  (`to_json(evaluate(...))`); every stalled connection dropped by the server after its read
  timeout; a fresh request answered at once meanwhile; the server's memory flat.
* `test_caches_do_not_grow_with_request_input`: 2 000 requests, each with grounds typed as text
  never seen before, large ones (refused by the typed-text bound) and the largest accepted; the
  server's memory grows by less than `CACHE_GROWTH_MIB`.

The figures (requests/s, p50/p99 latency, RSS before/after) are printed for the README (`pytest -s`).
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SLUG = "exit-permanent-residence-2011"
CASES = ROOT / "cases" / SLUG
REQUESTS = int(os.environ.get("EREJE_LOAD_REQUESTS", "2000"))
CLIENTS = 16
SECONDS = 45.0  # the whole mixed load on 2 cores takes ~10 s; this bound is for a slow CI machine
READ_TIMEOUT = 2.0  # the server's --read-timeout below (10 s by default)
RSS_GROWTH_MIB = 50  # the mixed load, after a warm-up: documented in the README
CACHE_GROWTH_MIB = 50  # 2 000 requests of new typed grounds: documented in the README


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _memory_kib(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


@dataclass
class Server:
    base: str
    port: int
    proc: subprocess.Popen[bytes]

    def rss_mib(self) -> float:
        return _memory_kib(self.proc.pid)["VmRSS"] / 1024

    def peak_mib(self) -> float:
        return _memory_kib(self.proc.pid)["VmHWM"] / 1024


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    port = _free_port()
    # The access log goes to a file: a pipe nobody reads would fill and stop the server.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "validator.surfaces.cli", "serve", "--port", str(port), "--read-timeout", "2"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    if proc.poll() is not None:
                        log.seek(0)
                        pytest.fail(log.read().decode(errors="replace"))
                    assert time.monotonic() < deadline, "the server did not start in 60 s"
                    time.sleep(0.2)
            yield Server(base, port, proc)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


# --- what is sent ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    kind: str  # valid, invalid, unreadable, oversized, over-bounds, no-type, get, head
    method: str
    url: str
    body: bytes = b""
    content_type: str | None = "application/json"
    expected: bytes | None = None  # the library's report, for `valid`
    status: int = 200


def _library_report(body: bytes, mode: str, lang: str) -> bytes:
    """What the library renders for the same body: `to_json(evaluate(...))`, the case read by the case loader."""
    from validator.decision.engine import evaluate
    from validator.decision.load import load_case_text
    from validator.report.render import to_json
    from validator.rules.ruleset import RuleSet

    case, compiled = load_case_text(body, "json", RuleSet.lazy(), "<request>")
    return to_json(evaluate(compiled, case, mode), compiled, lang).encode("utf-8")  # type: ignore[arg-type]


def _items() -> list[Item]:
    out: list[Item] = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.pop("expect", None)
        body = json.dumps(data, default=str, ensure_ascii=False).encode()
        modes = ["check", "review"] if data.get("decision") else ["check"]
        for mode in modes:
            for lang in ("en", "kk", "ru", "all"):
                out.append(
                    Item("valid", "POST", f"/{mode}?lang={lang}", body, expected=_library_report(body, mode, lang))
                )
    case = json.dumps({"standard": SLUG, "channel": "nowhere", "submitted_on": "2013-01-10"}).encode()
    out += [
        Item("invalid", "POST", "/check", case, status=422),
        Item("invalid", "POST", "/check", b'{"standard": "../../etc/passwd"}', status=422),
        Item("unreadable", "POST", "/check", b"{not json", status=400),
        Item("oversized", "POST", "/check", b'{"x": "' + b"a" * 300_000 + b'"}', status=413),
        Item("no-type", "POST", "/check", case, content_type=None, status=415),
        Item("get", "GET", "/health"),
        Item("get", "GET", f"/standards/{SLUG}/paragraphs/11.2"),
        Item("head", "HEAD", "/"),
    ]
    # The brief's case: 25 000 demanded documents (~240 kB), answered with ~90 MB before the bounds.
    many = yaml.safe_load((CASES / "09-review-unlawful-refusal.yaml").read_text(encoding="utf-8"))
    many.pop("expect", None)
    many["decision"]["demanded_documents"] = [f"d{i}" for i in range(25_000)]
    body = json.dumps(many, default=str, separators=(",", ":")).encode()
    assert 200_000 < len(body) < 256_000
    out.append(Item("over-bounds", "POST", "/review?lang=all", body, status=422))
    return out


# --- connections that stall --------------------------------------------------------------------------------


class Stallers:
    """Opens connections that stall (half a head, half a body, or nothing sent) every `every` seconds
    until stopped, at most `most`; `dropped()` says which the server has closed (or answered with 408)."""

    def __init__(self, port: int, every: float = 0.1, most: int = 300) -> None:
        self.port, self.every, self.most = port, every, most
        self.held: list[tuple[float, socket.socket]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Stallers:
        for _ in range(48):  # a first crowd at once
            self._open()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        for _, s in self.held:
            s.close()

    def _open(self) -> None:
        s = socket.create_connection(("127.0.0.1", self.port))
        n = len(self.held)
        if n % 3 == 0:
            s.sendall(
                b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999\r\n\r\n{"
            )
        elif n % 3 == 1:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        self.held.append((time.monotonic(), s))

    def _run(self) -> None:
        while not self.stop.wait(self.every) and len(self.held) < self.most:
            self._open()

    def undropped(self, older_than: float) -> int:
        """How many connections opened more than `older_than` seconds ago the server has not dropped."""
        now, left = time.monotonic(), 0
        for opened, s in self.held:
            if now - opened < older_than:
                continue
            s.settimeout(0.2)
            try:
                while s.recv(65536):  # a 408 for half a body, then the end; for half a head, the end at once
                    pass
            except TimeoutError:  # still open
                left += 1
            except OSError:  # reset: dropped too
                pass
        return left


# --- the tests ---------------------------------------------------------------------------------------------


def test_mixed_load(server: Server) -> None:
    items = _items()
    rng = random.Random(11)
    plan = [rng.choice(items) for _ in range(REQUESTS)]
    with httpx.Client(base_url=server.base, timeout=30) as warm:  # every path once, before measuring
        for item in items:
            warm.request(item.method, item.url, content=item.body, headers=_headers(item))
    rss_before = server.rss_mib()
    statuses: Counter[int] = Counter()
    wrong: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def client(share: list[Item]) -> None:
        with httpx.Client(base_url=server.base, timeout=30) as c:
            for i, item in enumerate(share):
                headers = _headers(item)
                if i % 10 == 9:  # a tenth on a new connection
                    headers["Connection"] = "close"
                t = time.perf_counter()
                r = c.request(item.method, item.url, content=item.body, headers=headers)
                elapsed = time.perf_counter() - t
                with lock:
                    latencies.append(elapsed)
                    statuses[r.status_code] += 1
                    if r.status_code != item.status:
                        wrong.append(f"{item.kind} {item.url}: {r.status_code} {r.text[:200]}")
                    elif item.expected is not None and r.content != item.expected:
                        wrong.append(f"{item.kind} {item.url}: not the library's report")
                    elif item.kind == "head" and r.content:
                        wrong.append("HEAD with a body")

    with Stallers(server.port) as stalls:
        start = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(client, [plan[i::CLIENTS] for i in range(CLIENTS)]))
        elapsed = time.perf_counter() - start
        t = time.perf_counter()  # while the stalled connections are held, a fresh request at once
        assert httpx.get(f"{server.base}/health", timeout=5).status_code == 200
        health = time.perf_counter() - t
        opened = len(stalls.held)
        undropped = stalls.undropped(older_than=READ_TIMEOUT + 1.5)
    rss_after, peak = server.rss_mib(), server.peak_mib()
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(
        f"\n{REQUESTS} requests from {CLIENTS} clients in {elapsed:.1f} s ({REQUESTS / elapsed:.0f}/s), "
        f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, statuses {dict(sorted(statuses.items()))}, "
        f"{opened} stalled connections opened; RSS {rss_before:.0f} → {rss_after:.0f} MiB (peak {peak:.0f} MiB), "
        f"/health meanwhile in {health * 1000:.0f} ms"
    )
    assert not [c for c in statuses if c >= 500], statuses
    assert wrong == [], wrong[:3]
    assert elapsed < SECONDS, f"{REQUESTS} requests took {elapsed:.1f} s"
    assert health < 1.0
    assert undropped == 0, f"{undropped} stalled connections still open after the read timeout"
    assert rss_after - rss_before < RSS_GROWTH_MIB, f"memory grew by {rss_after - rss_before:.0f} MiB"


def _headers(item: Item) -> dict[str, str]:
    return {"Content-Type": item.content_type} if item.content_type and item.method == "POST" else {}


def test_caches_do_not_grow_with_request_input(server: Server) -> None:
    """Every ground typed as text is new: 1 000 requests with one of 100 000 characters (refused by the
    bound on typed text before anything reads it) and 1 000 with ten of the most a service accepts
    (300 characters), decided and rendered. The library's caches on the request path are bounded in
    entries and the texts they may keep are bounded in length, so the server's memory stays flat."""
    data = yaml.safe_load((CASES / "09-review-unlawful-refusal.yaml").read_text(encoding="utf-8"))
    data.pop("expect", None)
    statuses: Counter[str] = Counter()
    lock = threading.Lock()

    def body(grounds: list[str]) -> bytes:
        case = {**data, "decision": {**data["decision"], "grounds": grounds}}
        return json.dumps(case, default=str, ensure_ascii=False).encode()

    def send(share: range) -> None:
        with httpx.Client(base_url=server.base, timeout=30) as c:
            for i in share:
                # the most a service accepts, or a large text the bound refuses
                large = [f"{i:06d} " + "ж" * 99_993]
                grounds = [f"{i:06d}{j} " + "ж" * 292 for j in range(10)] if i % 2 else large
                r = c.post("/review?lang=en", content=body(grounds), headers={"Content-Type": "application/json"})
                with lock:
                    statuses[f"{r.status_code} {r.json().get('code', '')}".strip()] += 1

    with httpx.Client(base_url=server.base, timeout=30) as c:  # warm: every path once
        c.post("/review", content=body(["x" * 300] * 10), headers={"Content-Type": "application/json"})
    before = server.rss_mib()
    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, [range(i, 2000, 8) for i in range(8)]))
    elapsed = time.perf_counter() - start
    after = server.rss_mib()
    print(f"\n2000 requests of new typed grounds in {elapsed:.1f} s; RSS {before:.0f} → {after:.0f} MiB")
    assert after - before < CACHE_GROWTH_MIB, f"memory grew by {after - before:.0f} MiB"
    assert statuses == {"200": 1000, "422 case-too-large": 1000}, statuses
