"""Batch checking: one case per JSON line in, one report per line out, in the same order.

Streamed in bounded windows (memory stays flat however long the input), spread over worker
processes with `jobs`, resumable: the output is appended line by line, and `resume` keeps the
complete lines already written (dropping a torn last line) and skips that many input lines.
A malformed line becomes an error report for that line; the run goes on. Each line is read by the
case loader (`validator.decision.load`) as JSON, exactly as the CLI and the service read a case:
the same refusals (duplicate keys, NaN, bad Unicode, …) and the same problem codes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from validator.decision.engine import Mode, evaluate
from validator.decision.load import load_case_text
from validator.errors import InputError, InputErrors, Problem
from validator.report.render import to_json
from validator.rules.ruleset import RuleSet

WINDOW_PER_JOB = 256

_RULES: RuleSet | None = None
_MODE: Mode = "check"
_RULES_DIR: Path | None = None
_LANG: Any = "en"


def _init(rules_dir: Path | None, mode: Mode, lang: str = "en") -> None:
    global _RULES, _MODE, _RULES_DIR, _LANG
    _RULES = RuleSet.lazy([rules_dir] if rules_dir else None)
    _MODE = mode
    _RULES_DIR = rules_dir
    _LANG = lang


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _as_read(line: str) -> str | bytes:
    """A line as the loader should see it: its bytes in the file where the reader escaped some (the CLI
    reads with `surrogateescape`), so a line that is not UTF-8 is refused as `bad-encoding`."""
    if line.isascii():
        return line
    try:
        return line.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no file byte gave: the loader refuses it as text
        return line


def evaluate_line(line: str, number: int, source: str = "<batch>") -> tuple[str, str]:
    """One input line → (verdict or 'error', one output line without newline)."""
    assert _RULES is not None
    name = f"{source}:{number}"
    try:
        case, compiled = load_case_text(_as_read(line), "json", _RULES, source, default_id=name)
        decision = evaluate(compiled, case, _MODE)
        return decision.verdict, to_json(decision, compiled, _LANG, compact=True)
    except (InputErrors, InputError) as e:
        fixed = [Problem(p.file, number, p.message, p.path, p.code) for p in e.problems]
        return "error", _dumps({"line": number, "error": [p.to_json() for p in fixed]})


def _evaluate_window_to_file(args: tuple[list[tuple[int, str]], str, str]) -> tuple[dict[str, int], str]:
    """In a worker: evaluate a window and leave its output in a file of the run's spool folder, so only
    a path crosses back to the parent (which copies the file into the output, in order)."""
    window, source, spool = args
    counts, text = _evaluate_window((window, source))
    fd, path = tempfile.mkstemp(dir=spool, suffix=".jsonl")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return counts, path


def _evaluate_window(args: tuple[list[tuple[int, str]], str]) -> tuple[dict[str, int], str]:
    """A window of lines → (verdict counts, the window's output lines as one text).

    One string per window, not one object per report, is what crosses back from a worker: the parent
    only writes it, so it does not become the bottleneck of `--jobs`."""
    window, source = args
    counts: Counter[str] = Counter()
    texts = []
    for n, line in window:
        verdict, text = evaluate_line(line, n, source)
        counts[verdict] += 1
        texts.append(text)
    return dict(counts), "\n".join(texts) + "\n"


@dataclass
class Summary:
    cases: int = 0
    skipped: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0

    def render(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.verdicts.items()))
        resumed = f" (resumed after {self.skipped})" if self.skipped else ""
        return f"{self.cases} cases{resumed} in {self.seconds:.2f} s, {self.rate:.0f} cases/s: {counts}"


def complete_lines(path: Path) -> int:
    """Count complete lines of an output file and cut off a torn last line (a crash mid-write)."""
    if not path.exists():
        return 0
    with path.open("rb+") as f:
        data = f.read()
        keep = data.rfind(b"\n") + 1
        if keep != len(data):
            f.truncate(keep)
        return data.count(b"\n", 0, keep)


def _numbered(lines: Iterable[str], skip: int) -> Iterator[tuple[int, str]]:
    for n, line in enumerate(lines, start=1):
        if n <= skip:
            continue
        if line.strip():
            yield n, line
        else:
            yield n, "{}"  # an empty line is a malformed case, reported, keeping the order


def run_batch(
    lines: Iterable[str],
    out: IO[str],
    *,
    rules_dir: Path | None = None,
    mode: Mode = "check",
    jobs: int = 1,
    skip: int = 0,
    source: str = "<batch>",
    progress: Callable[[int, float], None] | None = None,
    lang: str = "en",
) -> Summary:
    """Evaluate every line; write one output line per input line (the JSON report in `lang`), in order."""
    summary = Summary(skipped=skip)
    start = time.perf_counter()
    numbered = _numbered(lines, skip)
    _init(rules_dir, mode, lang)

    def record(counts: dict[str, int]) -> None:
        out.flush()
        summary.verdicts.update(counts)
        summary.cases += sum(counts.values())
        if progress:
            progress(summary.cases, time.perf_counter() - start)

    def emit(result: tuple[dict[str, int], str]) -> None:
        counts, text = result
        out.write(text)  # whole lines only, so an interrupted run leaves at most a torn last line
        record(counts)

    if jobs <= 1:
        while window := list(islice(numbered, WINDOW_PER_JOB)):
            emit(_evaluate_window((window, source)))
    else:
        # Compile every rule file once here; forked workers inherit the compiled rules (copy-on-write)
        # instead of each compiling them again.
        global _RULES
        _RULES = RuleSet.load([rules_dir] if rules_dir else None)
        ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        spool = tempfile.mkdtemp(prefix="ereje-batch-")

        def emit_file(result: tuple[dict[str, int], str]) -> None:
            counts, path = result
            with open(path, encoding="utf-8") as f:
                shutil.copyfileobj(f, out, 1 << 20)
            os.unlink(path)
            record(counts)

        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                # At most 2*jobs windows in flight: memory stays bounded, output stays in input order.
                pending: list[Any] = []
                exhausted = False
                while not exhausted or pending:
                    while not exhausted and len(pending) < 2 * jobs:
                        window = list(islice(numbered, WINDOW_PER_JOB))
                        if not window:
                            exhausted = True
                            break
                        pending.append(pool.submit(_evaluate_window_to_file, (window, source, spool)))
                    if pending:
                        emit_file(pending.pop(0).result())
        finally:
            shutil.rmtree(spool, ignore_errors=True)  # nothing of a failed run is left behind
    summary.seconds = time.perf_counter() - start
    return summary


def open_output(path: Path | None, resume: bool) -> tuple[IO[str], int]:
    """The output stream and how many input lines a resumed run skips."""
    if path is None:
        return sys.stdout, 0
    skip = complete_lines(path) if resume else 0
    mode = "a" if resume else "w"
    return path.open(mode, encoding="utf-8", newline="\n"), skip


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
