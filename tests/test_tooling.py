"""The project's own quality gates run in CI: ruff on everything, mypy strict on validator/, and the
engine free of CLI and HTTP libraries (layering)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_is_clean() -> None:
    proc = subprocess.run(
        [str(BIN / "ruff"), "check", "validator", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_mypy_strict_is_clean() -> None:
    proc = subprocess.run([str(BIN / "mypy"), "validator"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_engine_does_not_import_cli_or_http_libraries() -> None:
    code = (
        "import sys, validator.decision.engine, validator.surfaces.jobs, validator.rules.compiler; "
        "bad = [m for m in ('click', 'fastapi', 'starlette', 'uvicorn', 'httpx') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the library imports {out.stdout.strip()}"
