"""Batch checking beyond one machine, on Dask's distributed scheduler (the `ereje[dask]` extra).

    ereje check|review --batch 'cases/*.jsonl' --dask tcp://HOST:8786 --out DIR/ [--resume]
    ereje check --batch cases.jsonl --dask local:2 --out DIR/

The input is the files the pattern names, in name order, read as one stream of lines numbered from 1
(a bad line is reported by its place in the whole input). It is cut into parts of `part_lines` lines;
each part is checked on a worker and written by this process as `DIR/part-NNNNNN.jsonl`, whole, under
a temporary name first (a part file that exists is complete). So `cat DIR/part-*.jsonl` is byte for
byte what a local `ereje check --batch INPUT --out FILE` writes for the same input, mode and language.

A worker compiles the rules once (per process), from its own rules folder: before the run every
worker's rules and standards hashes are compared with this process's, and each part checks them
again (a worker that joins later). A worker with other rules is refused with both hashes, never
silently used. A worker that dies mid-part is Dask's to handle: the part is run again elsewhere, and
since only this process writes parts, nothing is written twice or lost.

`DIR/.ereje-run/` holds the run's record (input, mode, language, rules, standards, part size) and one
record per finished part (its first line, its lines' SHA-256, its verdicts). `--resume` keeps a part
whose record matches the same lines of the input now, and checks the others again; a record of another
run is refused (exit 2), as a local `--resume` refuses one.

`check_bag` is the library call: a `dask.bag` of case lines in, a bag of report lines out, in order.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from validator.decision.engine import Mode
from validator.errors import EnvironmentFailure, InputError
from validator.law.standard import standards_origin
from validator.rules.ruleset import RuleSet, shown_name
from validator.surfaces import batch
from validator.surfaces.batch import Counts, Detail, Summary

PART_LINES = 2_000
MAX_LOCAL_WORKERS = 64  # local:N on one machine: beyond this it is a typo, not a cluster
# A scheduler's address: a protocol Dask speaks, a host and a port.
ADDRESS = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://[^\s/:]+(:\d{1,5})$|^(tcp|tls)://\[[0-9A-Fa-f:.]+\]:\d{1,5}$")
RUN_DIR = ".ereje-run"
RUN_FORMAT = 1
_PART_NAME = "part-{:06d}.jsonl"


class RulesMismatch(Exception):
    """A worker's rules or standards are not this process's: its reports would not be the same."""


@dataclass(frozen=True)
class Fingerprint:
    """What a worker must share with the client for its reports to be the client's: the rules and the
    standards, by hash (their origin label, "bundled" or "checkout", may differ between machines)."""

    rules: str
    standards: str


def fingerprint(rules_dir: str | None) -> Fingerprint:
    rules = RuleSet.lazy([Path(rules_dir)] if rules_dir else None).origin
    return Fingerprint(rules.digest if rules else "", standards_origin().digest)


# --- on a worker -------------------------------------------------------------------------------------

_WORKER_RULES: dict[str | None, tuple[RuleSet, Fingerprint]] = {}
_WORKER_LOCK = threading.Lock()


def _worker_rules(rules_dir: str | None, expected: Fingerprint) -> RuleSet:
    """This worker process's rules (compiled once, on first use), after checking they are the client's."""
    with _WORKER_LOCK:
        held = _WORKER_RULES.get(rules_dir)
        if held is None:
            held = _WORKER_RULES[rules_dir] = (
                RuleSet.lazy([Path(rules_dir)] if rules_dir else None),
                fingerprint(rules_dir),
            )
    rules, mine = held
    if mine != expected:
        raise RulesMismatch(
            f"worker {_worker_name()} has rules {mine.rules} and standards {mine.standards}; the client has "
            f"rules {expected.rules} and standards {expected.standards}"
        )
    return rules


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


def check_part(
    window: list[tuple[int, str]],
    source: str,
    mode: Mode,
    lang: str,
    rules_dir: str | None,
    expected: Fingerprint,
    detail: Detail = "full",
) -> tuple[Counts, bytes]:
    """On a worker: one part's lines (numbered in the whole input) → (verdict counts, output as UTF-8)."""
    rules = _worker_rules(rules_dir, expected)
    return batch.evaluate_window((window, source), rules, mode, lang, detail)


def worker_fingerprint(rules_dir: str | None) -> Fingerprint:
    return fingerprint(rules_dir)


# --- on the client -----------------------------------------------------------------------------------


def input_files(pattern: str, out: Path | None = None) -> list[str]:
    """The files a pattern names, in name order; a plain path is itself. Refused (exit 2) if none, or if
    one lies in the output folder `out` (a new run empties the folder's parts: it would delete its input)."""
    files = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
    if not files:
        raise InputError(pattern, None, "names no file; give a JSONL file or a pattern such as 'cases/*.jsonl'")
    if out is not None and out.is_dir():
        folder = out.resolve()
        for name in files:
            where = Path(name).resolve().parent
            if where == folder or folder in where.parents:
                raise InputError(
                    name,
                    None,
                    f"is in the output folder {out}: the parts written there would replace the input; "
                    "give another --out",
                    (),
                    "same-file",
                )
    return files


def numbered_lines(files: list[str]) -> Iterator[str]:
    """The lines of the files, one stream (each file's last line ends where the file does)."""
    for name in files:
        stream, _ = batch.open_input(name)
        with stream:
            for line in batch.bounded_lines(stream):
                yield line if line.endswith("\n") else line + "\n"


@dataclass(frozen=True)
class RunRecord:
    """What the parts in an output folder were made from."""

    input: str
    files: list[str]
    mode: str
    lang: str
    rules: str
    standards: str
    part_lines: int
    detail: str = "full"
    format: int = RUN_FORMAT


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise EnvironmentFailure(f"cannot write {path}: {e.strerror or e}") from e


def _prepare_out(out: Path, record: RunRecord, resume: bool) -> dict[int, dict[str, Any]]:
    """Make the output folder ready; on --resume, the records of the parts that may be kept."""
    if out.exists() and not out.is_dir():
        raise EnvironmentFailure(f"--out {out} is not a folder; with --dask the reports go to a folder of parts")
    meta = out / RUN_DIR
    try:
        meta.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise EnvironmentFailure(f"cannot make {meta}: {e.strerror or e}") from e
    run_file = meta / "run.json"
    hint = "rerun without --resume to start over, or give another --out"
    parts: dict[int, dict[str, Any]] = {}
    if resume and run_file.exists():
        try:
            earlier = json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = None
        if earlier != asdict(record):
            raise InputError(
                str(out), None, f"holds the parts of another run (its record differs); {hint}", (), "resume-mismatch"
            )
        for path in meta.glob("part-*.json"):
            with contextlib.suppress(OSError, ValueError, KeyError):
                rec = json.loads(path.read_text(encoding="utf-8"))
                if (out / _PART_NAME.format(rec["index"])).is_file():
                    parts[int(rec["index"])] = rec
        return parts
    if resume and any(out.glob("part-*.jsonl")):
        raise InputError(
            str(out), None, f"holds parts but no record of the run that wrote them; {hint}", (), "resume-mismatch"
        )
    # A new run: the folder's earlier parts and records go first, then the run's record.
    for path in [*out.glob("part-*.jsonl"), *meta.glob("part-*.json")]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    text = json.dumps(asdict(record), ensure_ascii=False, indent=1) + "\n"
    _write_atomic(run_file, text.encode("utf-8", "surrogateescape"))
    return parts


def _parts(lines: Iterator[str], size: int) -> Iterator[tuple[int, int, list[str], str]]:
    """(index, first line number, lines, SHA-256 of the lines) of each part of the input."""
    index, number = 0, 1
    while True:
        chunk = []
        sha = hashlib.sha256()
        for line in lines:
            chunk.append(line)
            sha.update(batch._line_bytes(line))
            if len(chunk) == size:
                break
        if not chunk:
            return
        yield index, number, chunk, sha.hexdigest()
        index += 1
        number += len(chunk)


@contextlib.contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client: `local:N` starts a LocalCluster of N single-threaded worker processes on this
    machine; anything else is a scheduler's address (tcp://HOST:8786)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EnvironmentFailure("--dask needs the dask extra: pip install 'ereje[dask]'") from None
    if address.startswith("local:"):
        try:
            n = int(address.removeprefix("local:"))
        except ValueError:
            n = 0
        if not 1 <= n <= MAX_LOCAL_WORKERS:
            raise InputError(
                address, None, f"give local:N with 1 ≤ N ≤ {MAX_LOCAL_WORKERS} worker processes, e.g. local:2"
            )
        with (
            LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    if not ADDRESS.match(address):
        raise InputError(
            address or "''", None, "is not a Dask scheduler's address: give tcp://HOST:PORT (or local:N)", (), "usage"
        )
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as e:
        raise EnvironmentFailure(f"cannot reach the Dask scheduler at {address}: {e}") from e
    with client:
        yield client


def check_workers(client: Any, rules_dir: str | None, expected: Fingerprint) -> None:
    """Refuse the run (exit 4) if any worker's rules or standards are not this process's."""
    found = client.run(worker_fingerprint, rules_dir)
    if not found:
        raise EnvironmentFailure("the Dask cluster has no workers")
    wrong = {w: f for w, f in found.items() if f != expected}
    if wrong:
        said = "; ".join(f"{w}: rules {f.rules}, standards {f.standards}" for w, f in sorted(wrong.items()))
        raise EnvironmentFailure(
            f"Dask workers with other rules or standards than this client's (rules {expected.rules}, standards "
            f"{expected.standards}): {said}; their reports would differ, so the run is refused"
        )


def run_dask(
    pattern: str,
    out: Path,
    address: str,
    *,
    mode: Mode = "check",
    lang: str = "en",
    rules_dir: Path | None = None,
    resume: bool = False,
    part_lines: int = PART_LINES,
    detail: Detail = "full",
    client: Any = None,
) -> Summary:
    """`ereje check|review --batch PATTERN --dask ADDRESS --out DIR/`: see the module's docstring."""
    files = input_files(pattern, out)
    rules = str(rules_dir) if rules_dir else None
    expected = fingerprint(rules)
    source = shown_name(pattern)  # as reports and the run's record name it
    record = RunRecord(source, [shown_name(f) for f in files], mode, lang, expected.rules, expected.standards,
                       part_lines, detail)  # fmt: skip
    kept = _prepare_out(out, record, resume)
    if client is None:
        with connect(address) as c:
            return _run(c, files, source, out, mode, lang, rules, expected, kept, part_lines, detail)
    return _run(client, files, source, out, mode, lang, rules, expected, kept, part_lines, detail)


def _run(
    client: Any,
    files: list[str],
    source: str,
    out: Path,
    mode: Mode,
    lang: str,
    rules: str | None,
    expected: Fingerprint,
    kept: dict[int, dict[str, Any]],
    part_lines: int,
    detail: Detail,
) -> Summary:
    """Submit the parts (at most two per worker thread in flight, so memory stays bounded), write each
    as it finishes, and count the verdicts of the whole output."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    check_workers(client, rules, expected)
    start = time.perf_counter()
    summary = Summary()
    threads = max(1, sum(client.nthreads().values()))
    meta = out / RUN_DIR
    running = as_completed()
    info: dict[Any, tuple[int, int, int, str]] = {}

    def finish(future: Any) -> None:
        index, first, n, sha = info.pop(future)
        try:
            counts, text = future.result()
        except RulesMismatch as e:
            raise EnvironmentFailure(f"{e}; the run is refused (the parts written so far stay)") from None
        except KilledWorker as e:
            raise EnvironmentFailure(
                f"Dask workers died running part {index} (lines {first}–{first + n - 1}): {e}; the parts written "
                "so far stay: rerun with --resume to go on"
            ) from None
        _write_atomic(out / _PART_NAME.format(index), text)
        verdicts = {k: v for k, v in counts.items() if not k.startswith(batch.FINDING)}
        part = {"index": index, "first": first, "lines": n, "sha256": sha, "verdicts": verdicts}
        _write_atomic(meta / f"part-{index:06d}.json", (json.dumps(part, sort_keys=True) + "\n").encode("ascii"))
        summary.verdicts.update({k: v for k, v in counts.items() if not k.startswith(batch.FINDING)})
        summary.findings.update({k[len(batch.FINDING) :]: v for k, v in counts.items() if k.startswith(batch.FINDING)})
        summary.cases += n

    total = 0
    for index, first, chunk, sha in _parts(numbered_lines(files), part_lines):
        total = index + 1
        done = kept.get(index)
        if (
            done is not None
            and done.get("first") == first
            and done.get("lines") == len(chunk)
            and done.get("sha256") == sha
        ):
            summary.earlier.update(done.get("verdicts", {}))
            summary.skipped += len(chunk)
            continue
        window = list(zip(range(first, first + len(chunk)), chunk, strict=True))
        future = client.submit(check_part, window, source, mode, lang, rules, expected, detail, pure=False)
        info[future] = (index, first, len(chunk), sha)
        running.add(future)
        while running.count() >= 2 * threads:
            finish(next(running))
    for future in running:
        finish(future)
    # Parts past the input's end (a shorter input than a resumed run's) are not this input's reports.
    for path in [*out.glob("part-*.jsonl"), *meta.glob("part-*.json")]:
        number = path.name.removeprefix("part-").split(".")[0]
        if not number.isdigit() or int(number) >= total:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    summary.seconds = time.perf_counter() - start
    return summary


# --- the library call --------------------------------------------------------------------------------


def check_bag(
    bag: Any, *, mode: Mode = "check", lang: str = "en", rules_dir: Path | None = None, source: str = "<bag>"
) -> Any:
    """A `dask.bag` of case lines (JSON text, one case each) → a bag of report lines (compact JSON, no
    newline), in the same order and partitions; lines are numbered by their place in the whole bag (the
    partitions' lengths are computed first). Workers check their rules against this process's."""
    import dask
    import dask.bag as db

    rules = str(rules_dir) if rules_dir else None
    expected = fingerprint(rules)
    parts = bag.to_delayed()
    lengths = dask.compute(*[dask.delayed(len)(p) for p in parts])
    firsts = [1 + sum(lengths[:i]) for i in range(len(lengths))]
    checked = [
        dask.delayed(_check_bag_part)(p, first, source, mode, lang, rules, expected)
        for p, first in zip(parts, firsts, strict=True)
    ]
    return db.from_delayed(checked)


def _check_bag_part(
    lines: list[str], first: int, source: str, mode: Mode, lang: str, rules: str | None, expected: Fingerprint
) -> list[str]:
    window = list(zip(range(first, first + len(lines)), lines, strict=True))
    _, data = check_part(window, source, mode, lang, rules, expected)
    return data.decode("utf-8", "surrogateescape").split("\n")[:-1]


__all__ = ["PART_LINES", "Fingerprint", "RulesMismatch", "check_bag", "connect", "fingerprint", "run_dask"]
