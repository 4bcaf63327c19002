"""Ereje's benchmark: the floor, a peer and Ereje on the same seeded cases, in one run.

    python -m bench [--cases 20000] [--seed 7] [--http-seconds 10] [--quick] [--out bench/RESULTS.md]

1. the floor: the checks of leaving for permanent residence abroad by hand in plain Python (bench/floor.py);
2. the peer: the same checks for json-rules-engine on Node (bench/jre/, installed here with npm);
3. Ereje: in-process evaluation, and `ereje check --batch` end to end with --jobs 1 and 2.
The three must agree on every case's verdict and blocking findings before any figure is printed.
Also: load+compile time of all rule files, lint time, the service's peak memory, and HTTP
throughput of POST /check against GET /health of the same server (a load generator on loopback).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bench import floor
from bench.generate import write_all_cases, write_exit_cases

ROOT = Path(__file__).resolve().parent.parent
JRE = ROOT / "bench" / "jre"
EREJE = str(Path(sys.executable).with_name("ereje"))
COMPARED = {
    "not-in-force",
    "ineligible",
    "document-missing",
    "document-wrong-form",
    "refusal-ground-applies",
    "fee-unpaid",
    "fee-underpaid",
}


def summary_of(report: Any) -> tuple[str, list[tuple[str, str]]]:
    """The verdict and the blocking findings, as all three implementations state them."""
    pairs = sorted((f.code, f.subject.id) for f in report.findings if f.severity == "error" and f.code in COMPARED)
    return report.verdict, pairs


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def run_floor(lines: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    return [floor.check(line) for line in lines]


def run_ereje(lines: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    from validator.decision.case import Case
    from validator.decision.engine import evaluate
    from validator.surfaces.jobs import RuleSet

    rules = RuleSet.lazy()
    compiled = rules.get("exit-permanent-residence-2011", "bench", None)
    out = []
    for line in lines:
        case = Case.model_validate_json(line)
        out.append(summary_of(evaluate(compiled, case)))
    return out


def run_ereje_rendered(lines: list[str], lang: str, fmt: str) -> int:
    """Decision and report in one language: what a clerk or a client actually receives."""
    from validator.decision.case import Case
    from validator.decision.engine import evaluate
    from validator.report.render import render
    from validator.surfaces.jobs import RuleSet

    rules = RuleSet.lazy()
    compiled = rules.get("exit-permanent-residence-2011", "bench", None)
    size = 0
    for line in lines:
        size += len(render(evaluate(compiled, Case.model_validate_json(line)), compiled, lang, fmt))  # type: ignore[arg-type]
    return size


def run_jre(path: Path) -> tuple[float, list[tuple[str, list[tuple[str, str]]]]]:
    if not (JRE / "node_modules" / "json-rules-engine").is_dir():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=JRE, check=True)
    out = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    proc = subprocess.run(
        ["node", str(JRE / "run.js"), str(path), str(out)], capture_output=True, text=True, check=True
    )
    seconds = json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]
    results = []
    for line in out.read_text(encoding="utf-8").splitlines():
        verdict, pairs = json.loads(line)
        results.append((verdict, [tuple(p) for p in pairs]))
    out.unlink()
    return seconds, results  # type: ignore[return-value]


def batch(path: Path, jobs: int) -> float:
    out = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    t = time.perf_counter()
    subprocess.run(
        [EREJE, "check", "--batch", str(path), "--jobs", str(jobs), "--out", str(out)], capture_output=True, check=False
    )
    seconds = time.perf_counter() - t
    out.unlink()
    return seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def http_bench(seconds: float, body: str) -> dict[str, Any]:
    """Start `ereje serve`, then load POST /check and GET /health in turn, bounded in time."""
    port = free_port()
    proc = subprocess.Popen([EREJE, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server died") from None
                time.sleep(0.2)
        from bench.load import load

        health = load(f"http://127.0.0.1:{port}/health", None, seconds)
        check = load(f"http://127.0.0.1:{port}/check", body, seconds)
        return {"health": health, "check": check, "peak_rss_mib": peak_rss_kib(proc.pid) / 1024}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--http-seconds", type=float, default=10.0)
    ap.add_argument("--quick", action="store_true", help="A tiny run that only proves the harness works.")
    ap.add_argument("--no-node", action="store_true", help="Skip json-rules-engine (no Node).")
    ap.add_argument("--no-http", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="Append the results table to this Markdown file.")
    args = ap.parse_args(argv)
    if args.quick:
        args.cases, args.repeat, args.http_seconds = 200, 1, 1.0

    tmp = Path(tempfile.mkdtemp(prefix="ereje-bench-"))
    exit_path = tmp / "exit.jsonl"
    write_exit_cases(str(exit_path), args.cases, args.seed)
    lines = exit_path.read_text(encoding="utf-8").splitlines()

    from validator.rules.lint import lint
    from validator.surfaces.jobs import RuleSet

    t_compile, rules = timed(lambda: RuleSet.load(), args.repeat)
    all_path = tmp / "all.jsonl"
    write_all_cases(str(all_path), args.cases, args.seed, rules)
    t_lint, lint_result = timed(lambda: lint(), 1)

    t_floor, r_floor = timed(lambda: run_floor(lines), args.repeat)
    t_ereje, r_ereje = timed(lambda: run_ereje(lines), args.repeat)
    t_json, _ = timed(lambda: run_ereje_rendered(lines, "kk", "json"), args.repeat)
    t_text, _ = timed(lambda: run_ereje_rendered(lines, "kk", "text"), args.repeat)
    node = shutil.which("node") and not args.no_node
    t_jre, r_jre = run_jre(exit_path) if node else (float("nan"), None)

    # Agreement first: no figure is printed unless the three agree on every case.
    for i, (a, b) in enumerate(zip(r_floor, r_ereje, strict=True)):
        if (a[0], list(a[1])) != (b[0], list(b[1])):
            print(f"DISAGREEMENT floor vs Ereje on case {i}: {a} != {b}\n{lines[i]}", file=sys.stderr)
            return 1
    if r_jre is not None:
        for i, (a, c) in enumerate(zip(r_floor, r_jre, strict=True)):
            if (a[0], list(a[1])) != (c[0], list(c[1])):
                print(f"DISAGREEMENT floor vs json-rules-engine on case {i}: {a} != {c}\n{lines[i]}", file=sys.stderr)
                return 1

    t_b1 = batch(all_path, 1)
    t_b2 = batch(all_path, 2)
    http = None
    if not args.no_http:
        http = http_bench(args.http_seconds, lines[0])

    n = len(lines)
    rows = [
        ("cases (leaving for permanent residence, seeded)", f"{n}", ""),
        (
            "agreement (verdict + blocking findings, per case)",
            "floor = Ereje" + (" = json-rules-engine" if r_jre else ""),
            "",
        ),
        ("floor: hand-written Python, cases/s", f"{n / t_floor:,.0f}", "1.00 × floor"),
        (
            "Ereje in-process, decision only (evaluate), cases/s",
            f"{n / t_ereje:,.0f}",
            f"{t_floor / t_ereje:.3f} × floor (target ≥ 0.5)",
        ),
        (
            "Ereje in-process, decision + JSON report in kk, cases/s",
            f"{n / t_json:,.0f}",
            f"{t_floor / t_json:.3f} × floor; rendering is {(t_json - t_ereje) / t_json:.0%} of it",
        ),
        (
            "Ereje in-process, decision + text report in kk, cases/s",
            f"{n / t_text:,.0f}",
            f"{t_floor / t_text:.3f} × floor; rendering is {(t_text - t_ereje) / t_text:.0%} of it",
        ),
    ]
    if r_jre is not None:
        rows.append(
            (
                "json-rules-engine (Node), cases/s",
                f"{n / t_jre:,.0f}",
                f"Ereje = {t_jre / t_ereje:.2f} × json-rules-engine (target ≥ 10)",
            )
        )
    rows += [
        ("batch end to end, --jobs 1, all standards, cases/s", f"{n / t_b1:,.0f}", "process start included"),
        ("batch end to end, --jobs 2, cases/s", f"{n / t_b2:,.0f}", f"{t_b1 / t_b2:.2f} × --jobs 1 (target ≥ 1.6)"),
        ("load + compile all rule files", f"{t_compile * 1000:,.0f} ms", f"{len(rules.by_slug)} files"),
        ("lint all of rules/", f"{t_lint * 1000:,.0f} ms", "ok" if lint_result.ok else "FAILED"),
    ]
    if http:
        h, c = http["health"], http["check"]
        rows += [
            ("service peak memory (all standards loaded)", f"{http['peak_rss_mib']:.0f} MiB", "VmHWM"),
            ("HTTP GET /health, requests/s", f"{h['rps']:,.0f}", f"errors {h['errors']}"),
            (
                "HTTP POST /check, requests/s",
                f"{c['rps']:,.0f}",
                f"{c['rps'] / h['rps']:.2f} × trivial endpoint (target ≥ 0.5); errors {c['errors']}",
            ),
        ]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    table = [
        f"### {date.today().isoformat()} — {machine} — seed {args.seed}",
        "",
        "| measure | value | ratio / note |",
        "|---|---|---|",
    ]
    table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    text = "\n".join(table) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as f:
            f.write("\n" + text)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
