"""GoRules ZEN (`zen-engine` on PyPI) on the cases of leaving for permanent residence abroad.

    python -m bench.zen.run [--cases 20000] [--seed 7] [--repeat 3] [--paths]

The decision is the JDM graph bench/zen/exit.json (decision tables and expression nodes, no function
node). It is evaluated on ZEN's fastest path from Python (see bench/zen/README.md):

    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"exit": graph}}})
    engine.evaluate("exit", line)     # line: the case's JSON text, parsed by ZEN (serde_json), no json.loads

`run_zen` returns the median seconds over `repeat` runs of evaluating every line, and per case the
verdict and the sorted (code, subject) pairs of the blocking findings, as bench/__main__.py compares them.
Run as a script, it checks agreement with bench.floor case by case, then prints the throughput.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import zen

from bench.floor import COMPARED

GRAPH = Path(__file__).resolve().with_name("exit.json")
KEY = "exit"

Summary = tuple[str, list[tuple[str, str]]]
_engine: zen.ZenEngine | None = None


def engine() -> zen.ZenEngine:
    """One engine for the process, the graph handed to it by a static loader (compiled once, cached)."""
    global _engine
    if _engine is None:
        graph = json.loads(GRAPH.read_text(encoding="utf-8"))
        _engine = zen.ZenEngine({"loader": {"type": "static", "content": {KEY: graph}}})
    return _engine


def summary(result: dict[str, Any]) -> Summary:
    """The graph's response as the harness compares it: the blocking errors, sorted."""
    pairs = sorted(
        (f["code"], f["subject"]) for f in result["findings"] if f["severity"] == "error" and f["code"] in COMPARED
    )
    return result["verdict"], pairs


def run_zen(lines: list[str], repeat: int = 1) -> tuple[float, list[Summary]]:
    """Median seconds over `repeat` runs of evaluating every line (a JSON string, parsed inside ZEN),
    and the summaries of the last run."""
    evaluate = engine().evaluate
    evaluate(KEY, lines[0])  # the decision is loaded and compiled on first use: not timed
    times: list[float] = []
    out: list[Summary] = []
    for _ in range(max(repeat, 1)):
        t = time.perf_counter()
        out = [summary(evaluate(KEY, line)["result"]) for line in lines]
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def blocking(s: Any) -> Summary:
    """The verdict and blocking pairs of a floor summary, old (verdict, [(code, subject)]) or richer
    (verdict, [(code, severity, kind, subject, units)], checklist, terms, fee)."""
    pairs = []
    for f in s[1]:
        if len(f) == 2:
            code, severity, subject = f[0], "error", f[1]
        else:
            code, severity, subject = f[0], f[1], f[3]
        if severity == "error" and code in COMPARED:
            pairs.append((code, subject))
    return s[0], sorted(pairs)


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(max(repeat, 1)):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def api_paths(lines: list[str], repeat: int, t_floor_case: float) -> None:
    """Every way the binding offers to evaluate one case, timed on the same lines (one thread each,
    except evaluate_batch). The paths that build a Tokio runtime per call run on at most 1 000 lines."""
    text = GRAPH.read_text(encoding="utf-8")
    graph = json.loads(text)
    static = zen.ZenEngine({"loader": {"type": "static", "content": {KEY: graph}}})
    callback = zen.ZenEngine({"loader": lambda key: text})
    files = zen.ZenEngine({"loader": {"type": "fs", "path": str(GRAPH.parent)}})
    created = zen.ZenEngine().create_decision(text)
    got = static.get_decision(KEY)
    raw = [line.encode() for line in lines]
    few = lines[:1000]
    paths: list[tuple[str, Callable[[], Any], int]] = [
        (
            "create_decision(graph).evaluate(json.loads(line))  [documented]",
            lambda: [created.evaluate(json.loads(x)) for x in few],
            len(few),
        ),
        ("create_decision(graph).evaluate(line)", lambda: [created.evaluate(x) for x in few], len(few)),
        ("static engine: get_decision(key).evaluate(line)", lambda: [got.evaluate(x) for x in few], len(few)),
        ("callable loader: engine.evaluate(key, line)", lambda: [callback.evaluate(KEY, x) for x in few], len(few)),
        (
            "fs loader: engine.evaluate('exit.json', line)",
            lambda: [files.evaluate(GRAPH.name, x) for x in lines],
            len(lines),
        ),
        (
            "static engine: evaluate(key, json.loads(line))",
            lambda: [static.evaluate(KEY, json.loads(x)) for x in lines],
            len(lines),
        ),
        ("static engine: evaluate(key, line)  [used]", lambda: [static.evaluate(KEY, x) for x in lines], len(lines)),
        (
            "static engine: evaluate(key, line.encode()) (bytes ready)",
            lambda: [static.evaluate(KEY, x) for x in raw],
            len(lines),
        ),
        (
            "static engine: evaluate_batch(all lines)  [thread pool]",
            lambda: static.evaluate_batch([{"key": KEY, "context": x} for x in lines]),
            len(lines),
        ),
    ]
    for name, fn, n in paths:
        fn()  # warm
        t = _median(fn, repeat) / n
        print(f"  {name:<66} {1 / t:>9,.0f} cases/s  {t_floor_case / t:.3f} × floor")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.zen.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--paths", action="store_true", help="Also time every evaluation path of the binding.")
    args = ap.parse_args(argv)

    from bench import floor
    from bench.generate import write_exit_cases

    with tempfile.TemporaryDirectory(prefix="ereje-zen-") as tmp:
        path = Path(tmp) / "exit.jsonl"
        write_exit_cases(str(path), args.cases, args.seed)
        lines = path.read_text(encoding="utf-8").splitlines()

    t_zen, r_zen = run_zen(lines, args.repeat)
    times, r_floor = [], []
    for _ in range(max(args.repeat, 1)):
        t = time.perf_counter()
        r_floor = [floor.check(line) for line in lines]
        times.append(time.perf_counter() - t)
    t_floor = statistics.median(times)

    for i, (a, z) in enumerate(zip(r_floor, r_zen, strict=True)):
        b = blocking(a)
        if b != z:
            print(f"DISAGREEMENT floor vs ZEN on case {i}: {b} != {z}\n{lines[i]}", file=sys.stderr)
            return 1

    n = len(lines)
    print(f"cases: {n} (seed {args.seed}), agreement floor = ZEN on every verdict and blocking finding")
    print(f"zen-engine {_version()}, engine.evaluate(key, JSON string), static loader, median of {args.repeat}")
    print(f"floor (bench/floor.py): {n / t_floor:>10,.0f} cases/s")
    print(f"GoRules ZEN:            {n / t_zen:>10,.0f} cases/s   {t_floor / t_zen:.3f} × floor")
    if args.paths:
        print("evaluation paths of the binding:")
        api_paths(lines, args.repeat, t_floor / n)
    return 0


def _version() -> str:
    from importlib.metadata import version

    return version("zen-engine")


if __name__ == "__main__":
    sys.exit(main())
