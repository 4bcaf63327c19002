"""The `ereje` command: a thin shell over the library (no rule logic here).

Exit codes: 0 clean (case acceptable, refusal lawful, rules valid), 1 findings, 2 bad input or
rule file, 3 internal error, 4 the environment failed (disk full, no permission, an output that
cannot be written).
"""

from __future__ import annotations

import codecs
import errno
import io
import json
import os
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import click

from validator import __version__
from validator.errors import EnvironmentFailure, EreError, InputError, InputErrors

EXIT_HELP = """\b
Exit codes:
  0  clean: case acceptable / refusal lawful / rules valid
  1  findings: incomplete, ineligible, refuse, unlawful, lint failures
  2  bad input: unreadable or invalid case or rule file, unknown ids,
     a --paper the case does not call for
  3  internal error (a bug in Ereje; please report it)
  4  the environment failed: disk or temp folder full, no permission, a
     directory as --out, an output that cannot take the report"""

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md", "html", "pdf"]),
    default=None,
    help="Output format: text (default), json, md; html or pdf print the report, or the --paper asked for "
    "(pdf needs ereje[pdf]).",
)
PAPER = click.option(
    "--paper",
    type=click.Choice(["acceptance", "talon", "refusal", "receipt", "conclusion"]),
    default=None,
    help="Print a paper the standard prescribes, as --format html (default) or pdf: acceptance (talon): the "
    "paper of acceptance of the channel; refusal (receipt): the receipt naming the missing documents of a set "
    "refused at intake; conclusion: a review's conclusion. The case's optional `paper` block fills in the "
    "officer, the number and the names; what it leaves out is a blank line.",
)
LANG = click.option(
    "--lang",
    type=click.Choice(["kk", "ru", "en", "all"]),
    default=None,
    help="Language of the report (all: every name and message in kk, ru and en; JSON only). "
    "Default for text and Markdown: $EREJE_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: kk, ru, else en); "
    "for JSON: en, whatever the locale.",
)


def report_language(option: str | None, fmt: str, env: Mapping[str, str] | None = None) -> str:
    """The report's language: --lang, then (text and Markdown only) $EREJE_LANG, then the locale.

    JSON keeps to --lang or English, so its bytes never depend on the machine's locale."""
    if option is not None:
        return option
    if fmt == "json":
        return "en"
    env = os.environ if env is None else env
    chosen = env.get("EREJE_LANG", "").strip().lower().split(".")[0].replace("-", "_").split("_")[0]
    if chosen in ("kk", "ru", "en"):
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            return code if code in ("kk", "ru") else "en"
    return "en"


RULES = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="Rules folder. Default: $EREJE_RULES, else ./rules, else the checkout's, else the bundled rules.",
)


def _choose_standards(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    from validator.law.origin import choose

    if value is not None:
        if not value.is_dir():
            raise click.BadParameter(f"{value}: no such folder")
        choose("standards", value)
    return value


STANDARDS = click.option(
    "--standards",
    "standards_dir",
    type=click.Path(path_type=Path),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_choose_standards,
    help="Standards folder. Default: $EREJE_STANDARDS, else ./standards, else the checkout's, else the bundled.",
)


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`ereje --version`: Ereje's version, and the rules and standards it would use here."""
    if not value or ctx.resilient_parsing:
        return
    from validator.law.origin import locate

    click.echo(f"ereje {__version__}")
    for kind in ("rules", "standards"):
        click.echo(f"{kind}: {locate(kind).describe()}")
    ctx.exit(0)


def _fail_input(err: InputErrors | InputError) -> NoReturn:
    for p in err.problems:
        click.echo(f"error: {p}", err=True)
    sys.exit(2)


class _Group(click.Group):
    """Click's group, except that a reader who closed the pipe (EPIPE) is the environment failing (exit 4,
    said on stderr), not "findings" (click's own handler exits 1 in silence)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # main() says so and sends what is still buffered nowhere (_environment_failed)
            raise EnvironmentFailure("the output was closed before the report was written (broken pipe)") from None


@click.group(cls=_Group, epilog=EXIT_HELP)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version and the rules and standards in use (origin and hash), and exit.",
)
def cli() -> None:
    """Ereje: check a case against a Kazakh state service standard, review a refusal, lint rule files."""
    from validator.law.origin import choose

    choose("standards", None)  # a --standards of an earlier command in this process (tests) does not carry over


# --- standards -------------------------------------------------------------------------------------


@cli.group(epilog=EXIT_HELP)
def standards() -> None:
    """The law as data: import the official texts, list, read and compare them."""


@standards.command("import", epilog=EXIT_HELP)
@click.argument("seeds", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("standards"), show_default=True)
@click.option("--report", is_flag=True, help="Print the quirk report: every defect of the text worked around.")
def standards_import(seeds: tuple[Path, ...], out: Path, report: bool) -> None:
    """Import Әділет decree texts (SEEDS) into paragraph-addressable standards."""
    from validator.law.importer import SeedError, import_seeds

    try:
        result = import_seeds(list(seeds), out)
    except SeedError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    click.echo(f"imported {len(result.standards)} standards into {out}")
    if report:
        click.echo(result.render_quirks())


@standards.command("list", epilog=EXIT_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True)
@RULES
@STANDARDS
def standards_list(fmt: str, rules_dir: Path | None) -> None:
    """List the standards, their period in force, and whether rules cover them."""
    from validator.surfaces.catalog import markdown_table, standards_table

    rows = standards_table(rules_dir)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "md":
        click.echo(markdown_table(rows), nl=False)
    else:
        click.echo(render_table([{**r, "rules": "yes" if r["rules"] else "no"} for r in rows]))


def render_table(rows: list[dict[str, Any]]) -> str:
    cols = [
        ("slug", "slug"),
        ("in_force_from", "from"),
        ("in_force_to", "to"),
        ("paragraphs", "§"),
        ("rules", "rules"),
        ("coverage", "coverage"),
        ("title_en", "title"),
    ]
    table = [[str(r.get(k) if r.get(k) is not None else "-") for k, _ in cols] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h) for i, (_, h) in enumerate(cols)]
    lines = ["  ".join(h.ljust(w) for (_, h), w in zip(cols, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table]
    return "\n".join(line.rstrip() for line in lines)


@standards.command("diff", epilog=EXIT_HELP)
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def standards_diff(old: Path, new: Path, fmt: str) -> None:
    """What changed between two imports of the standards: units added, removed, reworded, moved.

    OLD and NEW are each a standards/ folder as `ereje standards import` writes it, or one
    standard.json. Exits 0 when nothing differs, 1 when something does."""
    from validator.law.diff import diff_standards, read_standards, render_text, to_json

    try:
        result = diff_standards(read_standards(old), read_standards(new))
    except InputError as e:
        _fail_input(e)
    if fmt == "json":
        click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result))
    sys.exit(1 if result.differs else 0)


@standards.command("show", epilog=EXIT_HELP)
@click.argument("slug")
@click.argument("citation", required=False)
def standards_show(slug: str, citation: str | None) -> None:
    """Show a standard's metadata, or the Kazakh text of one unit (CITATION: '11.2' or '11-тармақтың 2) тармақшасы')."""
    from validator.errors import did_you_mean
    from validator.law.citation import CitationError, parse_citation
    from validator.law.standard import list_slugs, load_standard

    try:
        std = load_standard(slug)
    except FileNotFoundError:
        click.echo(f"error: unknown standard {slug!r}{did_you_mean(slug, list_slugs())}", err=True)
        sys.exit(2)
    if citation is None:
        click.echo(
            f"{std.slug}\n{std.title_kk}\n{std.title_en}\n"
            f"in force: {std.in_force_from} – {std.in_force_to} ({std.in_force_note})\n"
            f"source: {std.source_file} lines {std.lines.start}–{std.lines.end}\n"
            f"paragraphs: {len(std.paragraphs())}"
        )
        return
    try:
        cit = parse_citation(citation)
    except CitationError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    # A Kazakh label is as reports print it, counting lists as a reader does («3-тізбедегі 2)»); a short
    # id is the unit's own id, as rule files write it.
    real = (std.from_read(cit.unit) if "тізбедегі" in citation else cit.unit) or cit.unit
    unit = std.unit(real)
    if unit is None:
        click.echo(f"error: {slug} has no unit {real!r}{did_you_mean(real, [u.id for u in std.units])}", err=True)
        sys.exit(2)
    label = parse_citation(std.as_read(real)).kazakh()
    click.echo(f"{real} ({label}), lines {unit.lines.start}–{unit.lines.end}:")
    click.echo(std.full_text(real))


@standards.command("vocabulary", epilog=EXIT_HELP)
@click.argument("slug")
@RULES
@STANDARDS
def standards_vocabulary(slug: str, rules_dir: Path | None) -> None:
    """Print the case vocabulary of a standard's rules (Markdown): channels, facts, documents per channel,
    grounds, terms, events and the fee, every name in kk, ru and en — what a case may say."""
    from validator.report.vocabulary import vocabulary_markdown

    rules = _load_rules(rules_dir)
    try:
        compiled = rules.get(slug, slug, None)
    except (InputErrors, InputError) as e:
        _fail_input(e)
    click.echo(vocabulary_markdown(compiled), nl=False)


# --- check / review ----------------------------------------------------------------------------------


def _load_rules(rules_dir: Path | None) -> Any:
    from validator.surfaces.jobs import RuleSet

    try:
        return RuleSet.lazy([rules_dir] if rules_dir else None)
    except (InputErrors, InputError) as e:
        _fail_input(e)


def _evaluate(cases: tuple[Path, ...], mode: str, fmt: str, lang: str, rules_dir: Path | None) -> None:
    from validator.report.render import render
    from validator.surfaces.jobs import run

    if lang == "all" and fmt != "json":
        raise click.UsageError("--lang all needs --format json (text and Markdown are in one language)")
    rules = _load_rules(rules_dir)
    clean_verdict = "accept" if mode == "check" else "lawful"
    status = 0
    reports = []
    for path in cases:
        try:
            decision, compiled = run(path, rules, mode)  # type: ignore[arg-type]
            report = render(decision, compiled, lang, fmt)  # type: ignore[arg-type]
        except (InputErrors, InputError) as e:
            for p in e.problems:
                click.echo(f"error: {p}", err=True)
            status = max(status, 2)
            # In a JSON array every case keeps its place: a case that could not be read is an error entry.
            problems = [p.to_json() for p in e.problems]
            reports.append(json.dumps({"file": str(path), "error": problems}, ensure_ascii=False, indent=2))
            continue
        except OSError:
            raise  # the environment: main() says so (exit 4)
        except Exception as e:  # a bug in Ereje on this case: it keeps its place too, the others go on
            from validator.surfaces.batch import internal_error_line

            entry = json.loads(internal_error_line(0, str(path), e))["error"][0]
            entry["line"] = None
            click.echo(f"internal error: {path}: {entry['message']}", err=True)
            status = 3
            reports.append(json.dumps({"file": str(path), "error": [entry]}, ensure_ascii=False, indent=2))
            continue
        if decision.verdict != clean_verdict and status == 0:
            status = 1
        reports.append(report)
        if fmt != "json":
            click.echo(report)
    if fmt == "json":
        if len(cases) > 1:
            click.echo("[" + ",\n".join(reports) + "]")
        elif status < 2:  # one case that could not be read: the error is on stderr, stdout stays empty
            click.echo(reports[0])
    sys.exit(status)


def _print_page(
    cases: tuple[Path, ...], mode: str, paper: str | None, fmt: str, lang: str | None, rules_dir: Path | None
) -> NoReturn:
    """`--paper` / `--format html|pdf`: one case's paper (or its report, or a review's conclusion) as a
    page to print. Exit 1 where the case does not call for the paper asked for (the message names the one it
    does), 2 where PDF is asked for without ereje[pdf] or the case does not call for the paper (the message
    says which paper is due, if any); a PDF is never written to a terminal."""
    from validator.decision.engine import evaluate
    from validator.decision.load import load_case
    from validator.report.papers import PaperNotDue, paper_choice, paper_html
    from validator.report.pdf import PdfUnavailable, to_pdf

    if fmt not in ("html", "pdf"):
        raise click.UsageError(f"--paper prints a page: --format html or pdf (not {fmt})")
    if len(cases) != 1:
        raise click.UsageError("--paper and --format html|pdf take one CASE file")
    if fmt == "pdf" and sys.stdout.isatty():
        raise click.UsageError("a PDF is not for the terminal: redirect it to a file (> paper.pdf)")
    language = report_language(lang, "text")
    if language == "all":
        raise click.UsageError("a paper is in one language: --lang kk, ru or en")
    choice = paper_choice(paper, mode)
    rules = _load_rules(rules_dir)
    try:
        case, compiled = load_case(cases[0], rules)
        decision = evaluate(compiled, case, mode)  # type: ignore[arg-type]
        page = paper_html(decision, compiled, case, choice, language)  # type: ignore[arg-type]
        out = to_pdf(page) if fmt == "pdf" else page.encode("utf-8")
    except (InputErrors, InputError) as e:
        _fail_input(e)
    except PaperNotDue as e:  # asked for a paper the case does not call for: nothing is printed
        click.echo(f"error: {cases[0]}: {e}", err=True)
        sys.exit(2)
    except PdfUnavailable as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # stdout closed before Ereje started (`>&-`): main() says so, exit 4
        raise OSError(errno.EBADF, "standard output is closed")
    binary.write(out)
    binary.flush()
    clean = "accept" if mode == "check" else "lawful"
    sys.exit(0 if decision.verdict == clean else 1)


BATCH = click.option(
    "--batch",
    "batch",
    type=click.Path(path_type=Path),
    default=None,
    help="A JSONL file of cases (or - for stdin): one report per line out, same order.",
)
JOBS = click.option(
    "--jobs", type=int, default=1, show_default=True, help="Worker processes for --batch (0: all cores)."
)
OUT = click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Where --batch writes the reports (default: stdout); the record OUT.resume.json beside it names "
    "the run, for --resume.",
)
RESUME = click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted --batch run into the same --out file (refused unless its record "
    "OUT.resume.json matches this input, mode, language, rules and standards).",
)


DASK = click.option(
    "--dask",
    "dask_address",
    default=None,
    metavar="ADDRESS",
    help="Run --batch on a Dask cluster: tcp://HOST:8786 (a scheduler), or local:N (N worker processes here). "
    "--batch may then be a pattern ('cases/*.jsonl'); --out is a folder of parts (needs ereje[dask]).",
)
DETAIL = click.option(
    "--detail",
    type=click.Choice(["full", "brief"]),
    default="full",
    show_default=True,
    help="--batch output: the full report per case, or brief: verdict, finding codes, subjects, citation "
    "units and due dates (a line for an auditor's table), with counts per finding code at the end on stderr.",
)
PART_LINES = click.option(
    "--part-lines",
    type=click.IntRange(1, 10_000_000),
    default=None,
    help="With --dask: input lines per part (one task, one output file); default 2000.",
)


def _batch(
    batch: Path,
    mode: str,
    jobs: int,
    out_path: Path | None,
    resume: bool,
    rules_dir: Path | None,
    lang: str,
    detail: str = "full",
    dask_address: str | None = None,
    part_lines: int | None = None,
) -> None:
    """Refusals (exit 2: input not a file or pipe, --out the input, a resume of another run; exit 4: --out
    a folder or not writable) come before anything is written; see validator/surfaces/batch.py."""
    from validator.surfaces.batch import default_jobs, run_batch_file

    if resume and out_path is None:
        raise click.UsageError("--resume needs --out (the file an earlier run was writing)")
    if dask_address is not None:
        _batch_dask(batch, mode, out_path, resume, rules_dir, lang, detail, dask_address, part_lines)
    if part_lines is not None:
        raise click.UsageError("--part-lines is for --dask runs")
    tty = sys.stderr.isatty()
    started = 0.0

    def progress(n: int, seconds: float) -> None:
        nonlocal started
        if tty:
            started = seconds
            click.echo(f"\r{n} cases, {n / seconds if seconds else 0:.0f}/s", nl=False, err=True)

    try:
        summary = run_batch_file(
            str(batch),
            out_path,
            resume=resume,
            rules_dir=rules_dir,
            mode=mode,  # type: ignore[arg-type]
            jobs=jobs or default_jobs(),
            lang=lang,
            progress=progress,
            detail=detail,  # type: ignore[arg-type]
        )
    except (InputErrors, InputError) as e:
        _fail_input(e)
    except EnvironmentFailure:
        if tty and started:
            click.echo("", err=True)
        raise  # main(): exit 4
    if tty:
        click.echo("", err=True)
    click.echo(summary.render(), err=True)
    sys.exit(summary.exit_code("accept" if mode == "check" else "lawful"))


def _batch_dask(
    batch: Path,
    mode: str,
    out_path: Path | None,
    resume: bool,
    rules_dir: Path | None,
    lang: str,
    detail: str,
    address: str,
    part_lines: int | None,
) -> None:
    """`--batch PATTERN --dask ADDRESS --out DIR/`: see validator/surfaces/cluster.py."""
    from validator.surfaces.cluster import PART_LINES as DEFAULT_PART_LINES
    from validator.surfaces.cluster import run_dask

    if out_path is None:
        raise click.UsageError("--dask needs --out DIR/ (the folder the parts are written to)")
    if str(batch) == "-":
        raise click.UsageError("--dask reads files (a path or a pattern), not stdin")
    try:
        summary = run_dask(
            str(batch),
            out_path,
            address,
            mode=mode,  # type: ignore[arg-type]
            lang=lang,
            rules_dir=rules_dir,
            resume=resume,
            part_lines=part_lines or DEFAULT_PART_LINES,
            detail=detail,  # type: ignore[arg-type]
        )
    except (InputErrors, InputError) as e:
        _fail_input(e)
    click.echo(summary.render(), err=True)
    sys.exit(summary.exit_code("accept" if mode == "check" else "lawful"))


def _job_command(mode: str, doc: str) -> click.Command:
    """`ereje check` and `ereje review`: the same options, one library call with a different mode."""

    @click.argument("cases", nargs=-1, type=click.Path(path_type=Path))
    @FORMAT
    @PAPER
    @LANG
    @RULES
    @STANDARDS
    @BATCH
    @JOBS
    @OUT
    @RESUME
    @DETAIL
    @DASK
    @PART_LINES
    def command(
        cases: tuple[Path, ...],
        fmt: str | None,
        paper: str | None,
        lang: str | None,
        rules_dir: Path | None,
        batch: Path | None,
        jobs: int,
        out_path: Path | None,
        resume: bool,
        detail: str,
        dask_address: str | None,
        part_lines: int | None,
    ) -> None:
        if batch is None and (dask_address or detail != "full" or part_lines or out_path or resume):
            # Never ignored silently: a report asked for in a file and written only to the screen is lost.
            raise click.UsageError("--out, --resume, --dask, --detail and --part-lines are for --batch runs")
        if paper is not None or fmt in ("html", "pdf"):
            if batch is not None:
                raise click.UsageError("--paper and --format html|pdf print one case, not a --batch run")
            _print_page(cases, mode, paper, fmt or "html", lang, rules_dir)
        fmt = fmt or "text"
        if batch is not None:
            language = report_language(lang, "json")
            _batch(batch, mode, jobs, out_path, resume, rules_dir, language, detail, dask_address, part_lines)
        if not cases:
            raise click.UsageError("give CASE files, or --batch CASES.jsonl")
        _evaluate(cases, mode, fmt, report_language(lang, fmt), rules_dir)

    command.__doc__ = doc
    return cli.command(mode, epilog=EXIT_HELP)(command)


check = _job_command("check", "Pre-check CASES for a clerk: missing documents, eligibility, fee, due dates.")
review = _job_command(
    "review", "Review the decision in CASES for a complaint reviewer: grounds, terms, demanded documents."
)


# --- lint / test / schema ----------------------------------------------------------------------------


@cli.command(epilog=EXIT_HELP)
@click.argument("rules", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
@click.option("--notes/--no-notes", default=True, help="List the reading notes of the rule files.")
@click.option(
    "--since",
    type=click.Path(path_type=Path),
    default=None,
    help="The standards the rules were last read against (a standards/ folder or a standard.json): "
    "also name every rule item citing a unit reworded, moved or removed since then (to re-read).",
)
@STANDARDS
def lint(rules: tuple[Path, ...], fmt: str, notes: bool, since: Path | None) -> None:
    """Lint RULES (default: every rules/*.yaml): schema, citations, quotes, references, coverage."""
    from validator.rules.lint import lint as run_lint

    try:
        result = run_lint(list(rules) or None, since=since)
    except (InputErrors, InputError) as e:
        _fail_input(e)
    reread = {"since": str(since), "reread": [r.to_json() for r in result.rereads]} if since is not None else {}
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    **reread,
                    "ok": result.ok,
                    "problems": [p.to_json() for p in result.problems],
                    "coverage": [
                        {
                            "standard": c.standard,
                            "file": c.file,
                            "percent": c.percent,
                            "uncovered": c.uncovered,
                            "documents": [c.documents_covered, c.documents_total],
                            "grounds": [c.grounds_covered, c.grounds_total],
                            "cited": c.cited,
                            "excluded": [{"cite": a, "reason": b} for a, b in c.excluded],
                            "notes": [{"cite": a, "where": b, "text": t} for a, b, t in c.notes],
                        }
                        for c in result.coverage
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for problem in result.problems:
            click.echo(f"error: {problem}")
        for c in result.coverage:
            status = "ok" if not c.uncovered else "UNCOVERED " + ", ".join(c.uncovered)
            click.echo(
                f"{c.file}: {c.standard}: coverage {c.percent}% (documents {c.documents_covered}/"
                f"{c.documents_total}, grounds {c.grounds_covered}/{c.grounds_total}) {status}"
            )
            kinds = ", ".join(f"{k} §{' §'.join(v)}" if v else f"{k} none" for k, v in c.cited.items())
            click.echo(f"  paragraphs with rules: {kinds}")
            for cite, reason in c.excluded:
                click.echo(f"  excluded {cite}: {reason}")
            if notes:
                for cite, where, text in c.notes:
                    click.echo(f"  note {cite} ({where}): {text}")
        if since is not None:
            click.echo(f"re-read (the law changed since {since}): {len(result.rereads) or 'nothing'}")
            for r in result.rereads:
                click.echo(str(r))
    if result.problems:
        sys.exit(2)
    sys.exit(0 if result.ok else 1)


@cli.command("test", epilog=EXIT_HELP)
@click.argument("cases", nargs=-1, type=click.Path(path_type=Path))
@RULES
@STANDARDS
def test_cmd(cases: tuple[Path, ...], rules_dir: Path | None) -> None:
    """Run example CASES (default: cases/) and compare with their `expect:` blocks."""
    from validator.surfaces.jobs import case_files, run_expectations

    rules = _load_rules(rules_dir)
    try:
        files = case_files(list(cases) or None)
    except (InputErrors, InputError) as e:
        _fail_input(e)
    if not files:
        # A test run that tests nothing must not pass: a misplaced cases/ folder would go unnoticed.
        where = ", ".join(str(c) for c in cases) or "cases/"
        click.echo(f"error: no case files (*.yaml) in {where}", err=True)
        sys.exit(1)
    passed = failed = 0
    bad = False
    for path in files:
        try:
            results = run_expectations(path, rules)
        except (InputErrors, InputError) as e:
            for p in e.problems:
                click.echo(f"error: {p}")
            bad = True
            continue
        for r in results:
            if r.ok:
                passed += 1
            else:
                failed += 1
                click.echo(f"FAIL {r.file} [{r.mode}]")
                for msg in r.problems:
                    click.echo(f"     {msg}")
    click.echo(f"{passed} passed, {failed} failed" + (", some cases unreadable" if bad else ""))
    sys.exit(2 if bad else (1 if failed else 0))


@cli.command(epilog=EXIT_HELP)
@click.option("--write", is_flag=True, help="Regenerate the committed schemas from the models.")
def schema(write: bool) -> None:
    """Check (or --write) the published JSON Schemas of rule files, cases and shared vocabularies."""
    from validator.surfaces import schemas

    if write:
        for p in schemas.write():
            click.echo(f"wrote {p}")
        return
    stale = schemas.stale()
    if stale:
        click.echo(f"stale schemas: {', '.join(stale)}; run `ereje schema --write`")
        sys.exit(1)
    click.echo("schemas are current")


@cli.command(epilog=EXIT_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (only this machine by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--read-timeout",
    type=click.FloatRange(0.1, 600),
    default=10.0,
    show_default=True,
    help="Seconds a request's head, and then its body, may take to arrive (else the connection is dropped, or 408).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes, forked after the rules compile, sharing the port (one per core is the usual choice).",
)
@RULES
@STANDARDS
def serve(host: str, port: int, read_timeout: float, workers: int, rules_dir: Path | None) -> None:
    """Serve the HTTP API and the clerk's page at http://HOST:PORT/ (needs the `serve` extra)."""
    try:
        import uvicorn

        from validator.surfaces.service import create_app, server_settings
    except ImportError as e:
        click.echo(f"error: {e.name} is not installed; install the serve extra: pip install 'ereje[serve]'", err=True)
        sys.exit(2)
    try:
        app = create_app(rules_dir, read_timeout=read_timeout)
    except (InputErrors, InputError) as e:
        _fail_input(e)
    if workers > 1:
        from validator.surfaces import prefork

        prefork.serve(app, server_settings(app), host, port, workers)
        return
    uvicorn.run(app, host=host, port=port, **server_settings(app))


# errno values that say the environment failed, not Ereje: exit 4 wherever they surface.
ENVIRONMENT_ERRNOS = {
    getattr(errno, name)
    for name in (
        *("ENOSPC", "EDQUOT", "EFBIG", "EACCES", "EPERM", "EROFS", "EIO", "EISDIR", "ENOTDIR", "EMFILE"),
        *("ENFILE", "ENOMEM", "EPIPE", "ETXTBSY", "ENXIO", "EBADF"),
    )
    if hasattr(errno, name)
}


def utf8_streams() -> None:
    """Write stdout and stderr in UTF-8 whatever the locale or PYTHONIOENCODING says.

    Reports quote the law in Kazakh (ә, ғ, қ, ң, ө, ұ, ү, һ, і), which no legacy code page holds whole
    (cp1251 lacks most of them): a report redirected to a file on a Windows clerk's machine is UTF-8,
    which every editor opens. A stream that cannot be switched stays as it is; if it then cannot encode
    a report, main() exits 4 with a message."""
    if sys.stdout is None:  # started with stdout closed (`>&-`): writing a report must fail, not vanish
        sys.stdout = _ClosedStream()
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            if codecs.lookup(encoding).name != "utf-8" and isinstance(stream, io.TextIOWrapper):
                stream.reconfigure(encoding="utf-8")
        except (LookupError, ValueError, OSError):
            pass


class _ClosedStream(io.TextIOBase):
    """Standard output that was closed before Ereje started: a write fails as a closed descriptor does."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass


def _stdout_encodes() -> bool:
    try:
        return codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        return False


def _environment_failed(message: str) -> NoReturn:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        # stdout is broken (a full disk, a closed pipe): what is still buffered goes nowhere, quietly,
        # instead of a second error when Python flushes it on exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
    click.echo(f"error: the environment failed: {message}", err=True)
    sys.exit(4)


def main() -> None:
    utf8_streams()
    try:
        cli(standalone_mode=True)
    except EnvironmentFailure as e:
        _environment_failed(str(e))
    except EreError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)
    except OSError as e:
        if e.errno not in ENVIRONMENT_ERRNOS:
            _internal_error()
        where = f" ({e.filename})" if e.filename else ""
        _environment_failed(f"{e.strerror or e}{where}")
    except UnicodeEncodeError as e:
        if _stdout_encodes():
            _internal_error()
        _environment_failed(
            f"the output's encoding ({sys.stdout.encoding}) cannot hold the report ({e.reason}); "
            "let it be UTF-8 (PYTHONIOENCODING=utf-8) or use --format json"
        )
    except Exception:
        _internal_error()


def _internal_error() -> NoReturn:
    if os.environ.get("EREJE_DEBUG"):
        traceback.print_exc()
    click.echo("internal error: Ereje hit a bug; rerun with EREJE_DEBUG=1 for details and report it", err=True)
    sys.exit(3)


if __name__ == "__main__":
    main()
