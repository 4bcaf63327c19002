"""The benchmark harness runs end to end on a tiny input (figures are not asserted, only agreement)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_harness_runs_and_the_implementations_agree() -> None:
    args = [sys.executable, "-m", "bench", "--quick", "--no-http"]
    if not (shutil.which("node") and shutil.which("npm")):
        args.append("--no-node")
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| agreement (verdict + blocking findings, per case) | floor = Ereje" in proc.stdout
    assert "Ereje in-process, decision only (evaluate: the compiled plan), cases/s" in proc.stdout
    assert "decision by the reference evaluator (evaluate_reference)" in proc.stdout
    assert "Ereje in-process, decision + JSON report in kk, cases/s" in proc.stdout
    assert "as UTF-8 bytes (what the service sends)" in proc.stdout


def test_floor_and_ereje_agree_on_a_disagreeing_case_detector() -> None:
    """The agreement check is real: a floor that forgets one document is caught."""
    import random

    from bench import floor
    from bench.__main__ import run_ereje
    from bench.generate import exit_case

    rng = random.Random(3)
    lines = []
    import json

    for i in range(40):
        case = exit_case(rng, i)
        case["documents"] = [d for d in case["documents"] if d["id"] != "passport"]
        lines.append(json.dumps(case))
    ours = run_ereje(lines)
    theirs = [floor.check(line) for line in lines]
    assert ours == theirs
    broken = [
        (v, [f for f in fs if f[:4] != ("document-missing", "error", "document", "passport")], *rest)
        for v, fs, *rest in theirs
    ]
    assert broken != ours
