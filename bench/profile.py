"""Where the time of one case goes: cProfile of reading the case (the loader) + decide + JSON report (kk,
as bytes) on seeded exit cases, from cold plans, after a warm-up pass on other cases (so the profile is
of steady work, not of loading). Written to bench/profile-evaluate.txt:

    python -m bench.profile [--cases 5000] [--out bench/profile-evaluate.txt]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import sys
from pathlib import Path

from bench.__main__ import cold, exit_rules, read_case_line
from bench.generate import exit_case


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("profile-evaluate.txt"))
    args = ap.parse_args(argv)
    from validator.decision.engine import evaluate
    from validator.report.render import report_bytes

    rng = random.Random(11)
    lines = [json.dumps(exit_case(rng, i)) for i in range(2 * args.cases)]
    compiled = exit_rules()

    def run(part: list[str]) -> None:
        for line in part:
            report_bytes(evaluate(compiled, read_case_line(line)), compiled, "kk")

    run(lines[args.cases :])  # warm-up on other cases: imports, calendars, catalogue
    cold(compiled)
    profile = cProfile.Profile()
    profile.runcall(run, lines[: args.cases])
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(45)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(30)
    header = (
        f"# cProfile: {args.cases} seeded exit cases, read as a case (the loader) + evaluate (compiled plan, cold) "
        "+ JSON report in kk as bytes\n"
        "# (python -m bench.profile; cProfile's overhead inflates small functions: read the shares)\n\n"
    )
    args.out.write_text(header + out.getvalue(), encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
