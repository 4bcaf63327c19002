"""A bounded load generator on loopback: wrk when installed (Debian's package), else a small
Python keep-alive client in two processes. Returns requests/s, error count and latency percentiles."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any
from urllib.parse import urlparse

WRK_POST = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
"""


def _wrk(url: str, body: str | None, seconds: float) -> dict[str, Any]:
    cmd = ["wrk", "-t2", "-c16", f"-d{max(1, int(seconds))}s", "--latency", url]
    script = None
    if body is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_POST.format(body=json.dumps(body)))
        cmd[1:1] = ["-s", script.name]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {"tool": "wrk -t2 -c16", "rps": rps, "errors": errors, "p99": p99.group(1) if p99 else None}


def _client(args: tuple[str, str | None, float]) -> tuple[int, int]:
    url, body, seconds = args
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    ok = err = 0
    end = time.perf_counter() + seconds
    data = body.encode() if body is not None else None
    while time.perf_counter() < end:
        if data is None:
            conn.request("GET", u.path)
        else:
            conn.request("POST", u.path, body=data, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        if 200 <= resp.status < 300:
            ok += 1
        else:
            err += 1
    conn.close()
    return ok, err


def _python(url: str, body: str | None, seconds: float) -> dict[str, Any]:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_client, [(url, body, seconds)] * 2))
    ok = sum(r[0] for r in results)
    return {"tool": "python keep-alive x2", "rps": ok / seconds, "errors": sum(r[1] for r in results), "p99": None}


def load(url: str, body: str | None, seconds: float) -> dict[str, Any]:
    if shutil.which("wrk"):
        return _wrk(url, body, seconds)
    return _python(url, body, seconds)
