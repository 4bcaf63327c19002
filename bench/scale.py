"""Batch checking at scale: `--jobs 2` against `--jobs 1` on 100 000 cases, and memory from 100 000 to 1 000 000.

    python -m bench.scale [--cases 100000] [--repeat 3] [--rss-cases 1000000] [--out bench/RESULTS.md]

The cases are the bench's seeded all-standards cases (`bench.generate.write_all_cases`); each run is
`ereje check --batch FILE --jobs N` with the full JSON reports written to a discarded stdout, timed wall
clock (process start and the rules' compile included: what a user waits for). The `--jobs 1` and
`--jobs 2` runs alternate (1, 2, 1, 2, …) so a drift in the machine's speed falls on both; the ratio is
of the medians. Peak memory is the largest process's (the kernel's `ru_maxrss` of the children of a
fresh wrapper process, so one run's peak is not another's).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import EREJE
from bench.generate import write_all_cases

# Exit 1 is a batch with findings (what these cases have); 2 and above a failure.
_PEAK = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(0 if rc in (0, 1) else rc)\n"
)


def run(path: Path, jobs: int) -> tuple[float, float]:
    """One batch run: wall seconds, and the peak resident memory of its largest process in MiB."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, EREJE, "check", "--batch", str(path), "--jobs", str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, int(proc.stdout.strip()) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rss-cases", type=int, default=1_000_000, help="0 skips the memory run at scale")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)

    from validator.surfaces.jobs import RuleSet

    rules = RuleSet.load()
    tmp = Path(tempfile.mkdtemp(prefix="ereje-scale-"))
    small = tmp / "cases.jsonl"
    write_all_cases(str(small), args.cases, args.seed, rules)
    times: dict[int, list[float]] = {1: [], 2: []}
    peaks: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.repeat):
        for jobs in (1, 2):
            seconds, peak = run(small, jobs)
            times[jobs].append(seconds)
            peaks[jobs].append(peak)
    m1, m2 = statistics.median(times[1]), statistics.median(times[2])
    rows = [
        (f"{args.cases:,} cases, `--jobs 1`, wall s (interleaved runs)", _list(times[1]), f"median {m1:.1f}"),
        (
            f"{args.cases:,} cases, `--jobs 2`, wall s (same runs)",
            _list(times[2]),
            f"median {m2:.1f}: {m1 / m2:.2f} × `--jobs 1` (target ≥ 1.8)",
        ),
        (f"peak RSS, `--jobs 2`, {args.cases:,} cases", f"{max(peaks[2]):.1f} MiB", "largest process"),
    ]
    if args.rss_cases:
        big = tmp / "big.jsonl"
        # Fresh cases, not the small file repeated: a repeat would find every memo's key already there.
        write_all_cases(str(big), args.rss_cases, args.seed + 1, rules)
        seconds, peak = run(big, 2)
        growth = peak / max(peaks[2]) - 1
        rows.append(
            (
                f"peak RSS, `--jobs 2`, {args.rss_cases:,} cases",
                f"{peak:.1f} MiB",
                f"{growth:+.1%} against {args.cases:,} (target within 10 %); {seconds:.0f} s, "
                f"{args.rss_cases / seconds:,.0f} cases/s",
            )
        )
    table = ["| measure | value | note |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    text = "\n".join(table) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as f:
            f.write("\n" + text)
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return 0


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
