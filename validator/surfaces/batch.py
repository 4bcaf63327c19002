"""Batch checking: one case per JSON line in, one report per line out, in the same order.

Streamed in bounded windows (memory stays flat however long the input, and however long one line:
a line is read to at most `MAX_LINE` characters, the rest of a longer one is skipped and the line is
refused as too large), spread over worker processes with `jobs`. Each line is read by the case
loader (`validator.decision.load`) as JSON, exactly as the CLI and the service read a case: the same
refusals (duplicate keys, NaN, bad Unicode, …) and the same problem codes.

Every input line gives exactly one output line, in its place: a report, or an error line
`{"line": n, "error": [problem, …]}` — for a case that cannot be read (its problem codes) and for a
case on which Ereje hits a bug (code `internal-error`); either way the run goes on.

Output and resuming (`run_batch_file`, what `ereje check --batch … --out OUT` runs):

- the output is written a window at a time, whole lines only, and flushed after each window: a run
  that stops (a crash, a full disk, `kill -9`) leaves every finished window and at most a torn line;
- beside the output, the record `OUT.resume.json` names the run the output belongs to: the input as
  the reports name it and its absolute path, the mode, the language, the rules and standards in use
  (origin and hash, as the reports' `versions` name them) and, rewritten after each window, how many
  input lines the output holds, a SHA-256 of those input lines, their verdict counts and the byte size
  of their reports. The record is
  rewritten (at line 0) before the output is emptied, and moved on only after a window is flushed, so
  the output always holds at least the reports of the record's lines of the record's input;
- `--resume` refuses (exit 2) an output with reports but no record, a record of another input, mode,
  language, rules or standards, an output whose first lines are not the record's size, and an input
  whose first lines no longer hash to the record's; else
  it keeps the record's lines (cutting anything after them) and goes on from the next input line.
  The summary and exit code then cover the whole output, earlier lines included;
- `--out` is refused before anything is opened for writing when it is the input itself (the same file
  by device and inode: the same path, a hard or a symbolic link), a folder, a FIFO or a device.

Workers (`jobs` > 1) are forked; each dies with its parent: on Linux by `prctl(PR_SET_PDEATHSIG,
SIGKILL)`, elsewhere by a thread that watches `os.getppid()`. They leave each window's output in a
spool folder `ereje-batch-<pid>-*` of the temp folder (the parent copies them in order); the folder
records its owner (pid, start time, host), and each run removes the spool folders of owners that are
dead, never those of a live run.

Failures of the environment — a full disk or temp folder, no permission, an output that cannot be
written — raise `EnvironmentFailure` (exit 4) with what failed; what was written stays resumable.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal

from validator.decision.engine import Mode, evaluate
from validator.decision.load import load_case_text
from validator.errors import EnvironmentFailure, InputError, InputErrors, Problem
from validator.report.render import brief_bytes, report_bytes
from validator.rules.ruleset import RuleSet, shown_name
from validator.rules.yamlload import MAX_BYTES

WINDOW_PER_JOB = 256
MAX_LINE = MAX_BYTES + 1  # characters of one line held; a longer line is refused as too large
INTERNAL = "internal-error"
RECORD_SUFFIX = ".resume.json"
RECORD_FORMAT = 1
SPOOL_PREFIX = "ereje-batch-"
_SPOOL_NAME = re.compile(rf"^{re.escape(SPOOL_PREFIX)}(\d+)-")
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_RULES: RuleSet | None = None
_MODE: Mode = "check"
_RULES_DIR: Path | None = None
_LANG: Any = "en"
_DETAIL: Any = "full"

Counts = dict[str, int]
Detail = Literal["full", "brief"]
FINDING = "finding:"  # counts keyed so are finding codes (--detail brief), not verdicts
Progress = Callable[[int, float], None]


def _init(rules_dir: Path | None, mode: Mode, lang: str = "en", detail: Detail = "full") -> None:
    global _RULES, _MODE, _RULES_DIR, _LANG, _DETAIL
    _RULES = RuleSet.lazy([rules_dir] if rules_dir else None)
    _MODE = mode
    _RULES_DIR = rules_dir
    _LANG = lang
    _DETAIL = detail


def _dumps(data: Any) -> bytes:
    """An error line as UTF-8. A message may quote what a line held: bytes that were not UTF-8 go back as
    they were read (`surrogateescape`, as the reader escaped them); a lone surrogate no byte gave is
    written as its JSON escape (valid UTF-8, the same string)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode("ascii")


def _as_read(line: str) -> str | bytes:
    """A line as the loader should see it: its bytes in the file where the reader escaped some (the CLI
    reads with `surrogateescape`), so a line that is not UTF-8 is refused as `bad-encoding`."""
    if line.isascii():
        return line
    try:
        return line.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no file byte gave: the loader refuses it as text
        return line


def evaluate_line(
    line: str,
    number: int,
    source: str = "<batch>",
    rules: RuleSet | None = None,
    mode: Mode | None = None,
    lang: Any = None,
    detail: Detail | None = None,
    codes: Counter[str] | None = None,
) -> tuple[str, bytes]:
    """One input line → (verdict, 'error' or 'internal-error'; one output line as UTF-8, without newline):
    the JSON report in `lang` (as `report_bytes` writes it: never decoded here to be encoded again), or
    with `detail` brief the auditor's line (`brief_bytes`), its finding codes
    counted into `codes`. The rules, mode, language and detail are this process's run's (`_init`)
    unless given (a Dask worker's)."""
    rules = rules or _RULES
    assert rules is not None
    name = f"{source}:{number}"
    if not line.strip():
        # Said as what it is: not a case with every field missing, nor a JSON syntax error.
        problem = Problem(source, number, "is empty: each line of a batch is one case, a JSON object", (), "empty-line")
        return "error", _dumps({"line": number, "error": [problem.to_json()]})
    try:
        case, compiled = load_case_text(_as_read(line), "json", rules, source, default_id=name)
        decision = evaluate(compiled, case, mode or _MODE)
        if (detail or _DETAIL) == "brief":
            if codes is not None:
                codes.update(FINDING + f.code for f in decision.findings)
            return decision.verdict, brief_bytes(decision)
        return decision.verdict, report_bytes(decision, compiled, lang or _LANG, compact=True)
    except (InputErrors, InputError) as e:
        fixed = [Problem(p.file, number, p.message, p.path, p.code) for p in e.problems]
        return "error", _dumps({"line": number, "error": [p.to_json() for p in fixed]})
    except OSError:
        raise  # a rule or standard file became unreadable: the environment, the run stops (exit 4)
    except Exception as e:  # a bug in Ereje, on this case only: its own line says so, the run goes on
        return INTERNAL, internal_error_line(number, source, e)


def internal_error_line(number: int, source: str, err: BaseException) -> bytes:
    """The output line of a case on which Ereje hit a bug (EREJE_DEBUG=1: its traceback on stderr)."""
    if os.environ.get("EREJE_DEBUG"):
        traceback.print_exception(err, file=sys.stderr)
    detail = (str(err).splitlines() or [""])[0][:200]
    what = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
    message = f"Ereje hit a bug on this case ({what}); rerun it with EREJE_DEBUG=1 and report it"
    return _dumps({"line": number, "error": [Problem(source, number, message, (), INTERNAL).to_json()]})


def evaluate_window(
    args: tuple[list[tuple[int, str]], str],
    rules: RuleSet | None = None,
    mode: Mode | None = None,
    lang: str | None = None,
    detail: Detail | None = None,
) -> tuple[Counts, bytes]:
    """A window of lines → (verdict counts, the window's output lines as one UTF-8 text).

    One block of bytes per window, not one object per report, is what crosses back from a worker: the
    parent only writes it, so it does not become the bottleneck of `--jobs`."""
    window, source = args
    counts: Counter[str] = Counter()
    texts = []
    codes: Counter[str] = Counter()
    for n, line in window:
        verdict, text = evaluate_line(line, n, source, rules, mode, lang, detail, codes)
        counts[verdict] += 1
        texts.append(text)
    return dict(counts + codes), b"\n".join(texts) + b"\n"


class SpoolFailure(Exception):
    """A worker could not write its window into the spool folder (the temp folder is full, …)."""

    def __init__(self, folder: str, reason: str) -> None:
        super().__init__(folder, reason)
        self.folder = folder
        self.reason = reason


def _evaluate_window_to_file(args: tuple[list[tuple[int, str]], str, str]) -> tuple[Counts, str]:
    """In a worker: evaluate a window and leave its output in a file of the run's spool folder, so only
    a path crosses back to the parent (which copies the file into the output, in order)."""
    window, source, spool = args
    counts, text = evaluate_window((window, source))
    try:
        fd, path = tempfile.mkstemp(dir=spool, suffix=".jsonl")
        with os.fdopen(fd, "wb") as f:
            f.write(text)
    except OSError as e:
        raise SpoolFailure(spool, _why(e)) from None
    return counts, path


def _why(err: OSError) -> str:
    return err.strerror or str(err)


# --- workers die with their parent; spool folders are owned ------------------------------------------


def die_with_parent(parent: int) -> str:
    """Make this process die when `parent` does: 'pdeathsig' (Linux) or 'watch' (a thread polls getppid)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the signal was armed
                    os._exit(1)
                return "pdeathsig"
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="ereje-parent-watch", daemon=True).start()
    return "watch"


def _worker_init(parent: int, rules_dir: Path | None, mode: Mode, lang: str, detail: Detail = "full") -> None:
    """Each worker: dies with the parent, leaves Ctrl-C to the parent, and has the rules (a forked one
    inherits them compiled; a spawned one, where fork does not exist, finds them itself)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    if _RULES is None:
        _init(rules_dir, mode, lang, detail)


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks) of a process from /proc, or None where there is no /proc."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        fields = data[data.rindex(")") + 2 :].split()
        return fields[0], int(fields[19])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int, start: int | None, host: str | None) -> bool:
    """Whether the process that owns a spool folder still runs (when in doubt: yes)."""
    if host is not None and host != socket.gethostname():
        return True  # another machine's run on a shared temp folder: not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's live process
    except OSError:
        return True
    st = _proc_stat(pid)
    if st is None:
        return True
    state, started = st
    if state == "Z":
        return False  # killed, not yet reaped
    return start is None or started == start  # a different start time: the pid was reused


def make_spool() -> Path:
    """A new spool folder in the temp folder, named and recorded with its owner (this process)."""
    pid = os.getpid()
    folder = Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{pid}-"))
    st = _proc_stat(pid)
    owner = {"pid": pid, "start": st[1] if st else None, "host": socket.gethostname()}
    (folder / "owner.json").write_text(json.dumps(owner), encoding="utf-8")
    return folder


def clean_stale_spools(folder: Path | None = None) -> list[Path]:
    """Remove the spool folders (in `folder`, default the temp folder) whose owner is dead; return them.

    A folder's owner is the pid in its name (`ereje-batch-<pid>-…`), checked against the start time
    and host in its `owner.json`; folders of live runs, of other users and of other machines stay."""
    where = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(where))
    except OSError:
        return []
    for entry in entries:
        m = _SPOOL_NAME.match(entry.name)
        try:
            if not m or not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
                continue
        except (OSError, AttributeError):
            continue
        pid, start, host = int(m.group(1)), None, None
        try:
            owner = json.loads((Path(entry.path) / "owner.json").read_text(encoding="utf-8"))
            if owner.get("pid") == pid:
                start, host = owner.get("start"), owner.get("host")
        except (OSError, ValueError, AttributeError):
            pass  # died before writing it: the pid in the name decides
        if not _alive(pid, start if isinstance(start, int) else None, host if isinstance(host, str) else None):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


# --- reading the input --------------------------------------------------------------------------------


def bounded_lines(stream: IO[str], limit: int = MAX_LINE) -> Iterator[str]:
    """The lines of a text stream, none longer than `limit` characters in memory: of a longer line the
    first `limit` characters are kept (the loader refuses them as too large) and the rest is skipped."""
    while line := stream.readline(limit):
        if len(line) == limit and not line.endswith("\n"):
            rest = line
            while rest and not rest.endswith("\n"):
                rest = stream.readline(limit)
        yield line


def _line_bytes(line: str) -> bytes:
    """A line as hashed: its bytes (as read), with one newline whatever it ended with."""
    text = line.rstrip("\r\n")
    try:
        return text.encode("utf-8", "surrogateescape") + b"\n"
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass") + b"\n"


class LineReader:
    """The input lines, numbered from 1, and a SHA-256 of the lines read so far."""

    def __init__(self, lines: Iterable[str], source: str = "<batch>") -> None:
        self._lines = iter(lines)
        self.source = source
        self.count = 0
        self._sha = hashlib.sha256()

    def read(self, n: int) -> list[tuple[int, str]]:
        """Up to `n` more lines, numbered (an empty line is reported in its place by `evaluate_line`)."""
        out = []
        try:
            for line in islice(self._lines, n):
                self.count += 1
                self._sha.update(_line_bytes(line))
                out.append((self.count, line))
        except OSError as e:
            raise EnvironmentFailure(f"cannot read {self.source}: {_why(e)}") from e
        return out

    def skip(self, n: int) -> int:
        """Read (and hash) lines until `n` are read or the input ends; how many are read."""
        while self.count < n and self.read(min(n - self.count, 4096)):
            pass
        return self.count

    def digest(self) -> str:
        return self._sha.hexdigest()


# --- the run ------------------------------------------------------------------------------------------


@dataclass
class Summary:
    cases: int = 0
    skipped: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    earlier: Counter[str] = field(default_factory=Counter)  # verdicts of the lines a resumed run kept
    findings: Counter[str] = field(default_factory=Counter)  # finding codes this run wrote (--detail brief)

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0

    @property
    def whole(self) -> Counter[str]:
        """The verdicts of the whole output: the lines kept from before and this run's."""
        return self.earlier + self.verdicts

    def render(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.verdicts.items())) or "none"
        resumed = f" (resumed after {self.skipped})" if self.skipped else ""
        line = f"{self.cases} cases{resumed} in {self.seconds:.2f} s, {self.rate:.0f} cases/s: {counts}"
        if self.skipped and self.earlier:
            line += "; the whole output: " + ", ".join(f"{k} {v}" for k, v in sorted(self.whole.items()))
        if self.findings:
            # Most frequent first: what an auditor looks at first.
            ranked = sorted(self.findings.items(), key=lambda kv: (-kv[1], kv[0]))
            line += "\nfindings" + (" of this run" if self.skipped else "") + ": "
            line += ", ".join(f"{k} {v}" for k, v in ranked)
        return line

    def exit_code(self, clean: str) -> int:
        """3 if a case hit a bug, 2 if a line could not be read, 1 on findings, 0 if every case is clean."""
        whole = self.whole
        if whole.get(INTERNAL):
            return 3
        if whole.get("error"):
            return 2
        return 0 if set(whole) <= {clean} else 1


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


def _count_lines(path: Path) -> int:
    """The complete lines of a file, read in chunks, changing nothing."""
    n = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            n += chunk.count(b"\n")
    return n


def _offset_after(path: Path, lines: int) -> int | None:
    """The byte offset just after the first `lines` complete lines of a file (None: it has fewer)."""
    offset = seen = end = 0
    with path.open("rb") as f:
        while seen < lines and (chunk := f.read(1 << 20)):
            at = -1
            while seen < lines and (at := chunk.find(b"\n", at + 1)) >= 0:
                seen += 1
                end = offset + at + 1
            offset += len(chunk)
    return end if seen == lines else None


def run_batch(
    lines: Iterable[str] | LineReader,
    out: IO[str],
    *,
    rules_dir: Path | None = None,
    mode: Mode = "check",
    jobs: int = 1,
    skip: int = 0,
    source: str = "<batch>",
    progress: Progress | None = None,
    lang: str = "en",
    checkpoint: Callable[[int, str, Counter[str]], None] | None = None,
    earlier: Counts | None = None,
    detail: Detail = "full",
) -> Summary:
    """Evaluate every line; write one output line per input line (the JSON report in `lang`), in order.

    `skip` lines are read (and hashed) but not evaluated; `checkpoint(lines, sha256, verdicts)` is
    called after each window is flushed, with the input lines the output now holds, their hash and the
    verdicts of the whole output (`earlier` ones included). Raises EnvironmentFailure when the output,
    the temp folder or the input fails."""
    reader = lines if isinstance(lines, LineReader) else LineReader(lines, source)
    reader.skip(skip)
    summary = Summary(skipped=skip, earlier=Counter(earlier or {}))
    start = time.perf_counter()
    _init(rules_dir, mode, lang, detail)

    def write(text: str) -> None:
        try:
            out.write(text)  # whole lines only, so an interrupted run leaves at most a torn last line
        except OSError as e:
            raise EnvironmentFailure(f"cannot write the reports: {_why(e)}") from e
        except UnicodeEncodeError as e:
            encoding = getattr(out, "encoding", "?")
            raise EnvironmentFailure(f"the output cannot take the reports: its encoding {encoding} {e.reason}") from e

    buffer = getattr(out, "buffer", None)
    utf8 = codecs.lookup(getattr(out, "encoding", None) or "ascii").name == "utf-8"

    def write_bytes(data: bytes) -> None:
        """Reports as a window wrote them (UTF-8): passed to the output's bytes when it is UTF-8 (not decoded
        and encoded again, per window, in this process: with `--jobs` it shares the cores with the
        workers), else written as text (its encoding then says what it cannot take)."""
        if buffer is None or not utf8:
            write(data.decode("utf-8", "surrogateescape"))
            return
        try:
            out.flush()  # text written before stays before
            buffer.write(data)
        except OSError as e:
            raise EnvironmentFailure(f"cannot write the reports: {_why(e)}") from e

    def record(counts: Counts, done: int, digest: str) -> None:
        try:
            out.flush()
        except OSError as e:
            raise EnvironmentFailure(f"cannot write the reports: {_why(e)}") from e
        findings = {k[len(FINDING) :]: v for k, v in counts.items() if k.startswith(FINDING)}
        verdicts = {k: v for k, v in counts.items() if not k.startswith(FINDING)}
        summary.verdicts.update(verdicts)
        summary.findings.update(findings)
        summary.cases += sum(verdicts.values())
        if checkpoint:
            checkpoint(done, digest, summary.whole)
        if progress:
            progress(skip + summary.cases, time.perf_counter() - start)

    if jobs <= 1:
        while window := reader.read(WINDOW_PER_JOB):
            counts, data = evaluate_window((window, source))
            write_bytes(data)
            record(counts, reader.count, reader.digest())
    else:
        _run_pool(reader, jobs, source, rules_dir, mode, lang, write_bytes, record, detail)
    summary.seconds = time.perf_counter() - start
    return summary


def _run_pool(
    reader: LineReader,
    jobs: int,
    source: str,
    rules_dir: Path | None,
    mode: Mode,
    lang: str,
    write_bytes: Callable[[bytes], None],
    record: Callable[[Counts, int, str], None],
    detail: Detail = "full",
) -> None:
    # Compile every rule file once here; forked workers inherit the compiled rules (copy-on-write)
    # instead of each compiling them again. A broken file stays uncompiled: its cases get its errors,
    # exactly as with one job.
    assert _RULES is not None
    for slug in sorted(_RULES.files):
        with contextlib.suppress(InputErrors, InputError):
            _RULES.get(slug, "", None)
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    clean_stale_spools()
    try:
        spool = make_spool()
    except OSError as e:
        where = tempfile.gettempdir()
        raise EnvironmentFailure(f"cannot make a spool folder in the temp folder {where}: {_why(e)}") from e
    try:
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(os.getpid(), rules_dir, mode, lang, detail),
        ) as pool:
            try:
                # At most 2*jobs windows in flight: memory stays bounded, output stays in input order.
                pending: deque[tuple[Future[tuple[Counts, str]], int, str]] = deque()
                exhausted = False
                while not exhausted or pending:
                    while not exhausted and len(pending) < 2 * jobs:
                        window = reader.read(WINDOW_PER_JOB)
                        if not window:
                            exhausted = True
                            break
                        job = pool.submit(_evaluate_window_to_file, (window, source, str(spool)))
                        pending.append((job, reader.count, reader.digest()))
                    if pending:
                        job, done, digest = pending.popleft()
                        try:
                            counts, path = job.result()
                        except SpoolFailure as e:
                            raise EnvironmentFailure(f"cannot write to the temp folder {e.folder}: {e.reason}") from e
                        except BrokenProcessPool as e:
                            raise EnvironmentFailure("a worker process died (killed, or out of memory)") from e
                        try:
                            with open(path, "rb") as f:
                                data = f.read()
                            os.unlink(path)
                        except OSError as e:
                            raise EnvironmentFailure(f"cannot read back from the temp folder {spool}: {_why(e)}") from e
                        write_bytes(data)
                        record(counts, done, digest)
            except BaseException:
                # The windows running finish, no new one starts. (wait=True: a shutdown without waiting
                # races with the executor's own thread, which then prints a traceback.)
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        shutil.rmtree(spool, ignore_errors=True)  # nothing of a failed run is left behind


# --- a run from a file into a file: refusals, the record, resuming ------------------------------------


@dataclass(frozen=True)
class Provenance:
    """What an output's reports depend on besides the input's lines: a resumed run must match all of it."""

    input: str  # the input as the reports name it (the path as given, or <stdin>)
    path: str  # its absolute path ("" for stdin)
    mode: str
    lang: str
    rules: str  # origin and hash, as a report's versions.rules
    standards: str
    detail: str = "full"  # full reports, or the auditor's brief lines

    def differences(self, record: dict[str, Any]) -> list[str]:
        # A record written before `detail` existed is of full reports.
        was = {"detail": "full", **record}
        return [f"{k} was {was.get(k)!r}, now {v!r}" for k, v in asdict(self).items() if was.get(k) != v]


def record_path(out: Path) -> Path:
    """The record beside an output file: `OUT.resume.json`."""
    return out.with_name(out.name + RECORD_SUFFIX)


def read_record(path: Path) -> dict[str, Any] | None:
    """An output's record, or None when it is missing or not one (a damaged record is no record)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (
        isinstance(data, dict)
        and data.get("format") == RECORD_FORMAT
        and isinstance(data.get("lines"), int)
        and data["lines"] >= 0
        and isinstance(data.get("sha256"), str)
        and isinstance(data.get("bytes"), int)
        and isinstance(data.get("verdicts"), dict)
        and all(isinstance(k, str) and isinstance(v, int) for k, v in data["verdicts"].items())
    )
    return data if ok else None


def write_record(path: Path, provenance: Provenance, lines: int, sha256: str, verdicts: Counts, size: int = 0) -> None:
    """Replace the record atomically (a crash leaves the old one or the new one, never half of one).

    `lines` input lines hash to `sha256` and gave `verdicts`; their reports are the output's first
    `size` bytes."""
    data = {"format": RECORD_FORMAT, **asdict(provenance), "lines": lines, "sha256": sha256, "verdicts": verdicts}
    data["bytes"] = size
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise EnvironmentFailure(f"cannot write the record {path}: {_why(e)}") from e


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def open_input(batch: str) -> tuple[IO[str], os.stat_result | None]:
    """The input as text (UTF-8, bad bytes kept for the loader to refuse their line) and its stat where
    it is a regular file. A folder, a FIFO or a device is refused (exit 2); `-` is stdin: a pipe, a
    file or a terminal, not a device (`< /dev/zero` would never end)."""
    if batch == "-":
        st = None
        try:
            fd = sys.stdin.fileno()
            st = os.fstat(fd)
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            fd = -1
        if st is not None and (
            stat.S_ISDIR(st.st_mode) or stat.S_ISBLK(st.st_mode) or (stat.S_ISCHR(st.st_mode) and not os.isatty(fd))
        ):
            raise InputError("<stdin>", None, "is a device or a folder; give the cases on a pipe or in a file")
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:
            return sys.stdin, None
        # Lines end at "\n" only: a lone "\r" is JSON whitespace inside a case, not the end of a line.
        text = io.TextIOWrapper(buffer, encoding="utf-8", errors="surrogateescape", newline="\n")
        return text, st if st is not None and stat.S_ISREG(st.st_mode) else None
    try:
        st = os.stat(batch)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(batch, None, "is a directory; expected a JSONL file of cases")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(batch, None, "is not a regular file (a FIFO, a device or a socket); expected a JSONL file")
        fd = os.open(batch, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(batch, None, "no such file") from None
    except OSError as e:
        raise InputError(batch, None, f"cannot read: {_why(e)}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):  # replaced since the check
        os.close(fd)
        raise InputError(batch, None, "is not a regular file; expected a JSONL file")
    return open(fd, encoding="utf-8", errors="surrogateescape", newline="\n"), st  # "\n" ends a line, as above


def check_output(out: Path, input_stat: os.stat_result | None, batch: str) -> None:
    """Refuse an output that is the input (exit 2) or not a regular file (exit 4), before any writing."""
    try:
        st: os.stat_result | None = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise EnvironmentFailure(f"cannot use --out {out}: {_why(e)}") from e
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise EnvironmentFailure(f"--out {out} is a directory; give the path of a file to write the reports to")
        if not stat.S_ISREG(st.st_mode):
            raise EnvironmentFailure(f"--out {out} is not a regular file (a FIFO, a device or a socket)")
    for path in (out, record_path(out)):
        try:
            other = os.stat(path)
        except OSError:
            continue
        if input_stat is not None and _same_file(other, input_stat):
            what = "the output" if path == out else "the output's record"
            raise InputError(
                str(out),
                None,
                f"{what} would be the input itself ({'stdin' if batch == '-' else batch}): writing there "
                "would destroy the cases; "
                "give another --out",
                (),
                "same-file",
            )


def provenance(batch: str, mode: str, lang: str, rules_dir: Path | None, detail: Detail = "full") -> Provenance:
    from validator.law.standard import standards_origin

    rules = RuleSet.lazy([rules_dir] if rules_dir else None).origin
    return Provenance(
        input="<stdin>" if batch == "-" else shown_name(batch),
        path="" if batch == "-" else shown_name(os.path.abspath(batch)),
        mode=mode,
        lang=lang,
        rules=rules.describe() if rules else "",
        standards=standards_origin().describe(),
        detail=detail,
    )


def _verify_resume(out: Path, prov: Provenance, reader: LineReader) -> tuple[int, Counts, int]:
    """The lines of `out` to keep, their verdicts and their bytes, after checking that they are the
    reports of this input's first lines in this mode, language, rules and standards; InputError (exit 2)
    if not."""
    try:
        n = _count_lines(out) if out.exists() else 0
    except OSError as e:
        raise EnvironmentFailure(f"cannot read --out {out}: {_why(e)}") from e
    if n == 0:
        return 0, {}, 0
    rec_path = record_path(out)
    rec = read_record(rec_path)
    hint = "rerun without --resume to start over, or give another --out"
    if rec is None:
        raise InputError(
            str(out),
            None,
            f"holds {n} reports but no record of the run that wrote them ({rec_path.name} is missing or "
            f"damaged), so they cannot be continued safely; {hint}",
            (),
            "resume-mismatch",
        )
    if diffs := prov.differences(rec):
        raise InputError(
            str(out), None, f"holds the reports of another run ({'; '.join(diffs)}); {hint}", (), "resume-mismatch"
        )
    lines = rec["lines"]
    if lines > n or _offset_after(out, lines) != rec["bytes"]:
        raise InputError(
            str(out),
            None,
            f"holds {n} complete reports, not the {lines} of its record ({rec['bytes']} bytes): it was "
            f"changed since; {hint}",
            (),
            "resume-mismatch",
        )
    if reader.skip(lines) < lines or reader.digest() != rec["sha256"]:
        raise InputError(
            prov.input,
            None,
            f"is not the input {out} was made from: its first {lines} lines changed since; {hint}",
            (),
            "resume-mismatch",
        )
    return lines, dict(rec["verdicts"]), rec["bytes"]


def run_batch_file(
    batch: str,
    out_path: Path | None,
    *,
    resume: bool = False,
    rules_dir: Path | None = None,
    mode: Mode = "check",
    jobs: int = 1,
    lang: str = "en",
    progress: Progress | None = None,
    detail: Detail = "full",
) -> Summary:
    """`ereje check|review --batch BATCH [--out OUT] [--resume] [--detail brief]`: refusals first, then the run.

    Raises InputError (exit 2) for an input that is not a file or pipe, an output that is the input,
    a resume that does not match; EnvironmentFailure (exit 4) when writing fails."""
    stream, input_stat = open_input(batch)
    source = "<stdin>" if batch == "-" else shown_name(batch)
    reader = LineReader(bounded_lines(stream), source)
    try:
        if out_path is None:
            return run_batch(
                reader,
                sys.stdout,
                rules_dir=rules_dir,
                mode=mode,
                jobs=jobs,
                source=source,
                progress=progress,
                lang=lang,
                detail=detail,
            )
        check_output(out_path, input_stat, batch)
        prov = provenance(batch, mode, lang, rules_dir, detail)
        keep, earlier, size = _verify_resume(out_path, prov, reader) if resume else (0, {}, 0)
        rec = record_path(out_path)
        if keep == 0:
            write_record(rec, prov, 0, reader.digest(), {})  # before the output is emptied: see the module doc
        try:
            if keep:
                os.truncate(out_path, size)  # the reports of the record's lines, nothing after them
            out = open(out_path, "a" if keep else "w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed below)
        except OSError as e:
            raise EnvironmentFailure(f"cannot write --out {out_path}: {_why(e)}") from e

        def checkpoint(done: int, sha256: str, verdicts: Counter[str]) -> None:
            size = os.fstat(out.fileno()).st_size  # flushed: the reports of the first `done` lines
            write_record(rec, prov, done, sha256, dict(sorted(verdicts.items())), size)

        try:
            try:
                summary = run_batch(
                    reader,
                    out,
                    rules_dir=rules_dir,
                    mode=mode,
                    jobs=jobs,
                    skip=keep,
                    source=source,
                    progress=progress,
                    lang=lang,
                    checkpoint=checkpoint,
                    earlier=earlier,
                    detail=detail,
                )
            finally:
                # A failed flush here: the failure already raised says what; a torn line is cut on resume.
                with contextlib.suppress(OSError):
                    out.close()
        except EnvironmentFailure as e:
            raise EnvironmentFailure(
                f"{e}; the reports written so far are kept in {out_path}: rerun with --resume to go on"
            ) from e
        return summary
    finally:
        if stream is not sys.stdin:
            if isinstance(stream, io.TextIOWrapper) and batch == "-":
                stream.detach()  # stdin's buffer stays open
            else:
                stream.close()


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
