"""Ereje's benchmark: the floor, a peer and Ereje on the same seeded cases, in one run.

    python -m bench [--cases 20000] [--seed 7] [--http-seconds 10] [--quick] [--out bench/RESULTS.md]

1. the floor: the decision of leaving for permanent residence abroad by hand in plain Python (bench/floor.py);
2. the peer: the blocking checks for json-rules-engine on Node (bench/jre/, installed here with npm);
3. Ereje: in-process evaluation, and `ereje check --batch` end to end with --jobs 1 and 2.
Before any figure is printed, the floor and Ereje must agree on every case's whole decision (verdict,
findings with subjects and citations, checklist, terms with due dates, fee), and the peer with them on
the verdict and the blocking findings (all it expresses).
Also: load+compile time of all rule files, lint time, the service's peak memory, and HTTP
throughput of POST /check against GET /health of the same server (a load generator on loopback).
"""

from __future__ import annotations

import argparse
import functools
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
from bench.floor import COMPARED
from bench.generate import write_all_cases, write_exit_cases

ROOT = Path(__file__).resolve().parent.parent
JRE = ROOT / "bench" / "jre"
EREJE = str(Path(sys.executable).with_name("ereje"))


DAY_UNITS = frozenset({"calendar-days", "working-days", "months"})


def summary_of_decision(decision: Any) -> floor.Summary:
    """Ereje's decision as the floor states it (`bench.floor.check`): the verdict; the findings as a
    sorted list of (code, severity, subject kind, subject id, cited units in Ereje's order); the
    checklist (id, status) and the terms (id, status, due: a date for a term in days), in Ereje's order;
    the fee (kind, due amount, paid amount), or None."""
    findings = sorted(
        (f.code, f.severity, f.subject.kind, f.subject.id, tuple(c.unit for c in f.citations))
        for f in decision.findings
    )
    checklist = [(c.id, c.status) for c in decision.checklist]
    terms = [
        (t.id, t.status, t.due.date() if t.due is not None and t.unit in DAY_UNITS else t.due) for t in decision.terms
    ]
    fee = decision.fee
    return (
        decision.verdict,
        findings,
        checklist,
        terms,
        (fee.kind, fee.due_amount, fee.paid_amount) if fee is not None else None,
    )


def blocking(summary: floor.Summary) -> tuple[str, list[tuple[str, str]]]:
    """The verdict and the blocking findings (code, subject), all json-rules-engine expresses."""
    verdict, findings = summary[0], summary[1]
    return verdict, sorted((f[0], f[3]) for f in findings if f[1] == "error" and f[0] in COMPARED)


def summary_of(report: Any) -> tuple[str, list[tuple[str, str]]]:
    """The verdict and the blocking findings of Ereje's decision (the part json-rules-engine states)."""
    return blocking(summary_of_decision(report))


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def run_floor(lines: list[str]) -> list[floor.Summary]:
    """The floor's decisions (its summaries), for the agreement check."""
    return [floor.check(line) for line in lines]


@functools.lru_cache(maxsize=1)
def _ruleset() -> Any:
    from validator.surfaces.jobs import RuleSet

    return RuleSet.lazy()


@functools.lru_cache(maxsize=1)
def exit_rules() -> Any:
    """The compiled rules of the exit standard, compiled once outside the timings (the floor's constants
    and calendar are likewise built at import)."""
    return _ruleset().get("exit-permanent-residence-2011", "bench", None)


def read_case_line(line: str) -> Any:
    """A line read as every surface reads a case (`load_case_text`: the JSON read with its hooks, scanned,
    validated as a case, checked against the rules: facts, documents, timeline). This is the parse the
    timings include; `Case.model_validate_json` alone, timed before 2026-12-07, skipped two thirds of it."""
    from validator.decision.load import load_case_text

    return load_case_text(line, "json", _ruleset(), "<bench>")[0]


def run_ereje(lines: list[str]) -> list[floor.Summary]:
    """Ereje's decisions summarised as the floor states its own (`summary_of_decision`), for the
    agreement check: each line parsed and validated as a case, then evaluated."""
    from validator.decision.engine import evaluate

    compiled = exit_rules()
    return [summary_of_decision(evaluate(compiled, read_case_line(line))) for line in lines]


# What is timed: each implementation decides every case and keeps nothing, as a service answers and
# forgets; holding 20 000 results alive would time the garbage collector (it halves both rates).


def decide_floor(lines: list[str]) -> int:
    check = floor.check
    for line in lines:
        check(line)
    return len(lines)


def cold(compiled: Any) -> None:
    """Forget the compiled plans, their memos and the kept report pieces (and what they count against the
    process's budgets): each timed pass starts from the compiled rules alone, as a fresh process does (a
    repeat must not find the cases of the previous pass already decided)."""
    from validator.decision.compiled import forget
    from validator.report.render import forget_pieces

    forget(compiled)
    forget_pieces(compiled)


def decide_ereje(lines: list[str], reference: bool = False) -> int:
    """Ereje's decision of each line: read as a case (`read_case_line`), evaluated
    by the compiled plan (`evaluate`), or with `reference` by the reference evaluator."""
    from validator.decision.engine import evaluate, evaluate_reference

    compiled = exit_rules()
    cold(compiled)
    decide = evaluate_reference if reference else evaluate
    for line in lines:
        decide(compiled, read_case_line(line))
    return len(lines)


def memo_sizes() -> dict[str, int]:
    """How many distinct keys the exit plan's memos hold after a pass (each a step computed, not found)."""
    plan = exit_rules().cache.get(("plan", "migration-police"))
    if not plan:
        return {}
    return {
        "terms": len(plan._terms),
        "fee": len(plan._fee),
        "consequences": len(plan._consequences),
        "amendments by day": len(plan._amended),
    }


def disagreement(a: floor.Summary, b: floor.Summary) -> str:
    """The parts of two summaries that differ, one line each (floor first)."""
    names = ("verdict", "findings", "checklist", "terms", "fee")
    out = []
    for name, x, y in zip(names, a, b, strict=True):
        if x == y:
            continue
        if name == "findings":
            only_a = [f for f in x if f not in y]  # type: ignore[operator,union-attr]
            only_b = [f for f in y if f not in x]  # type: ignore[operator,union-attr]
            out.append(f"  findings only in the floor: {only_a}\n  findings only in Ereje: {only_b}")
        else:
            out.append(f"  {name}: floor {x!r} != Ereje {y!r}")
    return "\n".join(out)


def run_ereje_rendered(lines: list[str], lang: str, fmt: str) -> int:
    """Decision and report in one language: what a clerk or a client actually receives."""
    from validator.decision.engine import evaluate
    from validator.report.render import render

    compiled = exit_rules()
    cold(compiled)
    size = 0
    for line in lines:
        size += len(render(evaluate(compiled, read_case_line(line)), compiled, lang, fmt))  # type: ignore[arg-type]
    return size


def run_ereje_bytes(lines: list[str], lang: str) -> int:
    """Decision and JSON report as the service sends it: UTF-8 bytes (`report_bytes`), not text."""
    from validator.decision.engine import evaluate
    from validator.report.render import report_bytes

    compiled = exit_rules()
    cold(compiled)
    size = 0
    for line in lines:
        size += len(report_bytes(evaluate(compiled, read_case_line(line)), compiled, lang))  # type: ignore[arg-type]
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


def http_bench(seconds: float, body: str, workers: int = 1) -> dict[str, Any]:
    """Start `ereje serve --workers N`, then load POST /check and GET /health in turn, bounded in time."""
    port = free_port()
    proc = subprocess.Popen(
        [EREJE, "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # the access log of every request: unread, it would fill a pipe
    )
    try:
        # Ready when /health answers (the port alone is bound before any worker accepts on it).
        import urllib.request

        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("the server died") from None
                time.sleep(0.2)
        if workers > 1:
            time.sleep(2.0)  # the other workers finish starting (each its own uvicorn startup)
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
    ap.add_argument("--no-zen", action="store_true", help="Skip GoRules ZEN (the bench extra).")
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

    # Agreement first, untimed: nothing is measured unless the floor and Ereje agree on every case's
    # whole decision.
    exit_rules()
    r_floor = run_floor(lines)
    for i, (a, b) in enumerate(zip(r_floor, run_ereje(lines), strict=True)):
        if a != b:
            print(f"DISAGREEMENT floor vs Ereje on case {i}:\n{disagreement(a, b)}\n{lines[i]}", file=sys.stderr)
            return 1

    t_floor, _ = timed(lambda: decide_floor(lines), args.repeat)
    t_ereje, _ = timed(lambda: decide_ereje(lines), args.repeat)
    memos = memo_sizes()
    t_reference, _ = timed(lambda: decide_ereje(lines, reference=True), args.repeat)
    t_json, _ = timed(lambda: run_ereje_rendered(lines, "kk", "json"), args.repeat)
    t_bytes, _ = timed(lambda: run_ereje_bytes(lines, "kk"), args.repeat)
    t_text, _ = timed(lambda: run_ereje_rendered(lines, "kk", "text"), args.repeat)
    node = shutil.which("node") and not args.no_node
    t_jre, r_jre = run_jre(exit_path) if node else (float("nan"), None)
    # json-rules-engine states the verdict and the blocking findings: it must agree with the floor on those.
    if r_jre is not None:
        for i, (whole, c) in enumerate(zip(r_floor, r_jre, strict=True)):
            a = blocking(whole)
            if (a[0], list(a[1])) != (c[0], list(c[1])):
                print(f"DISAGREEMENT floor vs json-rules-engine on case {i}: {a} != {c}\n{lines[i]}", file=sys.stderr)
                return 1

    # GoRules ZEN (the bench extra): verdict and blocking findings, like json-rules-engine.
    t_zen, r_zen = float("nan"), None
    try:
        from bench.zen.run import run_zen
    except ImportError:
        run_zen = None  # type: ignore[assignment]
    if run_zen is not None and not args.no_zen:
        t_zen, r_zen = run_zen(lines, args.repeat)
        for i, (whole, z) in enumerate(zip(r_floor, r_zen, strict=True)):
            a = blocking(whole)
            if (a[0], list(a[1])) != (z[0], list(z[1])):
                print(f"DISAGREEMENT floor vs GoRules ZEN on case {i}: {a} != {z}\n{lines[i]}", file=sys.stderr)
                return 1

    t_b1 = batch(all_path, 1)
    t_b2 = batch(all_path, 2)
    http = http2 = None
    if not args.no_http:
        http = http_bench(args.http_seconds, lines[0])
        http2 = http_bench(args.http_seconds, lines[0], workers=2)

    n = len(lines)
    rows = [
        ("cases (leaving for permanent residence, seeded)", f"{n}", ""),
        (
            "agreement (whole decision: verdict, findings with subjects and citations, checklist, terms, fee)",
            "floor = Ereje",
            "per case",
        ),
        (
            "agreement (verdict + blocking findings, per case)",
            "floor = Ereje" + (" = json-rules-engine" if r_jre else "") + (" = GoRules ZEN" if r_zen else ""),
            "",
        ),
        ("floor: hand-written Python, whole decision, cases/s", f"{n / t_floor:,.0f}", "1.00 × floor"),
        (
            "Ereje in-process, decision only (evaluate: the compiled plan), cases/s",
            f"{n / t_ereje:,.0f}",
            f"{t_floor / t_ereje:.3f} × floor (target ≥ 0.5); each pass from cold plans",
        ),
        (
            "plan memos after a pass: distinct keys (each a step computed; the rest found)",
            ", ".join(f"{k} {v:,}" for k, v in memos.items()),
            f"of {n:,} cases",
        ),
        (
            "Ereje in-process, decision by the reference evaluator (evaluate_reference), cases/s",
            f"{n / t_reference:,.0f}",
            f"{t_floor / t_reference:.3f} × floor; the plan is {t_reference / t_ereje:.2f} × it",
        ),
        (
            "Ereje in-process, decision + JSON report in kk, cases/s",
            f"{n / t_json:,.0f}",
            f"{t_floor / t_json:.3f} × floor; rendering is {(t_json - t_ereje) / t_json:.0%} of it",
        ),
        (
            "Ereje in-process, decision + JSON report in kk as UTF-8 bytes (what the service sends), cases/s",
            f"{n / t_bytes:,.0f}",
            f"{t_floor / t_bytes:.3f} × floor (target ≥ 0.25)",
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
                f"Ereje = {t_jre / t_ereje:.2f} × json-rules-engine (target ≥ 8)",
            )
        )
    if r_zen is not None:
        rows.append(
            (
                "GoRules ZEN (zen-engine: ZenEngine, static loader, the line as a string), cases/s",
                f"{n / t_zen:,.0f}",
                f"{t_floor / t_zen:.3f} × floor; Ereje = {t_zen / t_ereje:.2f} × ZEN (target ≥ 2)",
            )
        )
    rows += [
        ("batch end to end, --jobs 1, all standards, cases/s", f"{n / t_b1:,.0f}", "process start included"),
        (
            "batch end to end, --jobs 2, cases/s",
            f"{n / t_b2:,.0f}",
            f"{t_b1 / t_b2:.2f} × --jobs 1 (target ≥ 1.8 on 100 000 cases: bench/README.md)",
        ),
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
                f"{c['rps'] / h['rps']:.2f} × trivial endpoint (target ≥ 0.7); errors {c['errors']}",
            ),
        ]
    if http and http2:
        c1, c2 = http["check"], http2["check"]
        rows.append(
            (
                "HTTP POST /check, `serve --workers 2`, requests/s",
                f"{c2['rps']:,.0f}",
                f"{c2['rps'] / c1['rps']:.2f} × one worker (target ≥ 1.3; the load generator shares the "
                f"2 cores); errors {c2['errors']}",
            )
        )
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
