"""Installable anywhere: a wheel carries the law and the rules; a rules repository of its own works.

These tests build the wheel from this checkout, install it with the `serve` extra into a fresh
virtual environment outside the checkout, and run it from an empty folder (a check, a review, the
standards, a lint of an outside rules folder, the service's /health); then a rules repository in
a temporary git repository runs the published pre-commit hooks with `pre-commit try-repo`.
They install packages from the index, as `.ci/run` does (about half a minute).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXIT = ROOT / "cases" / "exit-permanent-residence-2011"
SLUG = "exit-permanent-residence-2011"


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EREJE_")}
    return subprocess.run(
        args, cwd=cwd, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment, outside the checkout, with the wheel and its `serve` extra."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(wheels)], base)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next(wheels.glob("ereje-*.whl"))
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], base)
    assert made.returncode == 0, made.stderr
    pip = _run([str(venv / "bin" / "pip"), "install", "-q", f"{wheel}[serve]"], base, timeout=600)
    assert pip.returncode == 0, pip.stderr[-3000:]
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' build folder, not ours to keep
    return venv / "bin" / "ereje"


def test_the_wheel_carries_the_law_and_the_rules(installed: Path, tmp_path: Path) -> None:
    version = _run([str(installed), "--version"], tmp_path)
    assert version.returncode == 0
    assert "rules: bundled " in version.stdout and "standards: bundled " in version.stdout
    assert str(ROOT) not in version.stdout and "site-packages" not in version.stdout  # a label and a hash, never a path
    listed = _run([str(installed), "standards", "list", "--format", "json"], tmp_path)
    rows = json.loads(listed.stdout)
    assert len(rows) == 29 and all(r["rules"] for r in rows)
    shown = _run([str(installed), "standards", "show", SLUG, "11.2"], tmp_path)
    assert shown.returncode == 0 and "паспорт" in shown.stdout


def test_check_and_review_from_any_directory(installed: Path, tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(EXIT / "02-missing-passport-and-duty.yaml", case)
    checked = _run([str(installed), "check", str(case), "--lang", "kk"], tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert "Қорытынды: құжаттар толық емес" in checked.stdout
    review = tmp_path / "review.yaml"
    shutil.copy(EXIT / "09-review-unlawful-refusal.yaml", review)
    reviewed = _run([str(installed), "review", str(review), "--format", "json"], tmp_path)
    assert reviewed.returncode == 1, reviewed.stderr
    report = json.loads(reviewed.stdout)
    assert report["verdict"] == "unlawful"
    assert report["versions"]["rules"].startswith("bundled ")
    assert report["versions"]["rules_file"] == f"{SLUG}.yaml"
    assert str(tmp_path) not in reviewed.stdout


def _rules_repository(where: Path, broken: bool = False) -> Path:
    (where / "rules" / "_shared").mkdir(parents=True)
    text = (ROOT / "rules" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    if broken:
        text = text.replace(
            "    quote: жеке куәлігін және паспортын\n", "    quote: жеке куәлігін және төлқұжатын\n", 1
        )
        assert "төлқұжатын" in text
    (where / "rules" / f"{SLUG}.yaml").write_text(text, encoding="utf-8")
    (where / "cases").mkdir()
    for name in ("01-accept-adult.yaml", "02-missing-passport-and-duty.yaml"):
        shutil.copy(EXIT / name, where / "cases" / name)
    return where


def test_lint_and_test_of_an_outside_rules_folder(installed: Path, tmp_path: Path) -> None:
    repo = _rules_repository(tmp_path / "repo")
    linted = _run([str(installed), "lint"], repo)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    version = _run([str(installed), "--version"], repo)
    assert "rules: cwd " in version.stdout and "standards: bundled " in version.stdout
    tested = _run([str(installed), "test"], repo)
    assert tested.returncode == 0 and " passed, 0 failed" in tested.stdout, tested.stdout + tested.stderr
    # The folder replaces the bundled set: a standard it has no rules for is unknown there.
    other = tmp_path / "other.yaml"
    shutil.copy(
        ROOT
        / "cases"
        / "basic-pension-payment-2012"
        / sorted(os.listdir(ROOT / "cases" / "basic-pension-payment-2012"))[0],
        other,
    )
    replaced = _run([str(installed), "check", str(other)], repo)
    assert replaced.returncode == 2 and "no rules for standard 'basic-pension-payment-2012'" in replaced.stderr
    broken = _rules_repository(tmp_path / "broken", broken=True)
    failed = _run([str(installed), "lint", str(broken / "rules")], tmp_path)
    assert failed.returncode in (1, 2) and "quote" in (failed.stdout + failed.stderr)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_service_starts_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EREJE_")}
    proc = subprocess.Popen(
        [str(installed), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=clean,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    health = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.2)
        assert health["status"] == "ok" and len(health["rules"]) == 29
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


def test_pre_commit_hooks_in_a_rules_repository(tmp_path: Path) -> None:
    """`pre-commit try-repo` against this checkout runs ereje-lint and ereje-test in a repository of rules."""
    pre_commit = Path(sys.executable).parent / "pre-commit"
    repo = _rules_repository(tmp_path / "rules-repo")
    env = {
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "rules"]):
        assert _run(cmd, repo, env).returncode == 0
    for hook in ("ereje-lint", "ereje-test"):
        ran = _run([str(pre_commit), "try-repo", str(ROOT), hook, "--all-files"], repo, env, timeout=900)
        assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
        assert "Passed" in ran.stdout
    # A broken rule fails the hook.
    broken = _rules_repository(tmp_path / "broken-repo", broken=True)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "rules"]):
        assert _run(cmd, broken, env).returncode == 0
    ran = _run([str(pre_commit), "try-repo", str(ROOT), "ereje-lint", "--all-files"], broken, env, timeout=900)
    assert ran.returncode != 0 and "Failed" in ran.stdout
