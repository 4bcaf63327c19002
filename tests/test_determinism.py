"""The same case and rules give byte-identical JSON in any process, on any day, in any locale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EREJE = str(Path(sys.executable).with_name("ereje"))
CASES = [
    ROOT / "cases" / "exit-permanent-residence-2011" / "02-missing-passport-and-duty.yaml",
    ROOT / "cases" / "exit-permanent-residence-2011" / "09-review-unlawful-refusal.yaml",
]


def _run(env: dict[str, str], mode: str) -> bytes:
    full = {**os.environ, **env}
    return subprocess.run(
        [EREJE, mode, *map(str, CASES), "--format", "json"], cwd=ROOT, env=full, capture_output=True, check=False
    ).stdout


def test_reports_do_not_depend_on_hash_seed_timezone_or_locale() -> None:
    for mode in ("check", "review"):
        a = _run({"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"}, mode)
        b = _run({"PYTHONHASHSEED": "987654", "TZ": "Asia/Almaty", "LC_ALL": "C", "LANG": "kk_KZ.UTF-8"}, mode)
        assert a, "no output"
        assert a == b


def test_no_clock_is_read_on_the_evaluation_path() -> None:
    """The evaluation date is an input (`evaluated_on`, else the case's own dates), never the clock."""
    clocks = ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time(", "datetime.today(")
    paths = [p for stage in ("rules", "decision", "report") for p in (ROOT / "validator" / stage).rglob("*.py")]
    assert len(paths) > 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for clock in clocks:
            assert clock not in text, f"{path.relative_to(ROOT)} reads the clock: {clock}"
