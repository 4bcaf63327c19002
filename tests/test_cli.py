"""The CLI end to end with click's CliRunner: outputs, formats, languages and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.surfaces.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXIT = ROOT / "cases" / "exit-permanent-residence-2011"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_incomplete_exits_1_and_names_documents_with_paragraphs() -> None:
    code, out, _ = run("check", str(EXIT / "02-missing-passport-and-duty.yaml"))
    assert code == 1
    assert "Verdict: incomplete" in out
    assert "Missing document: Citizen's passport. — paragraph 11, subparagraph 2" in out
    code, out, _ = run("check", str(EXIT / "02-missing-passport-and-duty.yaml"), "--lang", "kk")
    assert "Құжат ұсынылмаған: Азаматтың паспорты. — 11-тармақтың 2) тармақшасы" in out


def test_check_accept_exits_0_and_json_is_stable() -> None:
    code, out, _ = run("check", str(EXIT / "01-accept-adult.yaml"), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["verdict"] == "accept"
    assert report["fee"]["due_amount"] == 1731
    assert list(report)[:5] == ["schema_version", "lang", "kind", "standard", "standard_name"]
    assert report["schema_version"] == 2 and report["lang"] == "en"
    code2, out2, _ = run("check", str(EXIT / "01-accept-adult.yaml"), "--format", "json")
    assert out == out2


def test_review_in_kazakh_and_russian() -> None:
    code, out, _ = run("review", str(EXIT / "09-review-unlawful-refusal.yaml"), "--lang", "kk")
    assert code == 1 and "Қорытынды: шешім заңсыз" in out
    assert "Тізбеден тыс құжат талап етілген" in out
    code, out, _ = run("review", str(EXIT / "09-review-unlawful-refusal.yaml"), "--lang", "ru", "--format", "md")
    assert "Истребован документ сверх перечня" in out and "| Ошибка |" in out
    code, out, err = run("review", str(EXIT / "09-review-unlawful-refusal.yaml"), "--lang", "all")
    assert code == 2 and "--lang all needs --format json" in err


def test_bad_case_exits_2_with_file_line_and_suggestion(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (EXIT / "01-accept-adult.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("{id: passport, form: original}", "{id: pasport, form: original}"), encoding="utf-8")
    code, out, err = run("check", str(bad))
    assert code == 2
    assert re.search(r"bad\.yaml:\d+: unknown-document: unknown document 'pasport'; did you mean 'passport'\?", err)
    assert "Traceback" not in err + out


def test_unknown_fact_and_wrong_type(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (EXIT / "01-accept-adult.yaml").read_text(encoding="utf-8")
    bad.write_text(
        text.replace("  age: 35", "  aged: 35\n  married_: x").replace("  married: false", "  married: 7"),
        encoding="utf-8",
    )
    code, _, err = run("check", str(bad))
    assert code == 2
    assert "unknown fact 'aged'; did you mean 'age'?" in err
    assert "fact 'married': expected true or false, got 7" in err


def test_schema_error_has_line_and_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "standard: exit-permanent-residence-2011\nchannel: migration-police\nsubmitted_on: soon\n", encoding="utf-8"
    )
    code, _, err = run("check", str(bad))
    assert code == 2
    assert "bad.yaml:3:" in err and "valid date" in err and "(at $.submitted_on)" in err


def test_missing_file_exits_2() -> None:
    code, _, err = run("check", "no/such/case.yaml")
    assert code == 2 and "no such file" in err


def test_lint_passes_on_bundled_rules() -> None:
    code, out, _ = run("lint", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["ok"] and data["problems"] == []
    assert all(c["uncovered"] == [] for c in data["coverage"])


def test_lint_reports_unfound_quote_and_bad_citation(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "exit-permanent-residence-2011.yaml").read_text(encoding="utf-8")
    text = text.replace("quote: өтініш - сауалнама", "quote: өтініш - анкета")
    text = text.replace('cite: "11.7"', 'cite: "11.9"')
    (tmp_path / "exit-permanent-residence-2011.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run("lint", str(tmp_path / "exit-permanent-residence-2011.yaml"))
    assert code == 2
    assert "quote-not-found: quote not found in 11.1" in out
    assert "unresolved-citation: '11.9' is not a unit of exit-permanent-residence-2011" in out


def test_lint_fails_on_uncovered_document_paragraph(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "exit-permanent-residence-2011.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: guardianship-child-opinion")
    end = text.index("  - id: other-parent-consent")
    (tmp_path / "exit-permanent-residence-2011.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    code, out, _ = run("lint", str(tmp_path / "exit-permanent-residence-2011.yaml"), "--no-notes")
    assert code == 1
    assert "UNCOVERED documents:11.5" in out


def test_test_command_runs_cases() -> None:
    code, out, _ = run("test", str(EXIT))
    assert code == 0 and re.search(r"\d+ passed, 0 failed", out)


def test_standards_show_both_citation_forms() -> None:
    code, a, _ = run("standards", "show", "exit-permanent-residence-2011", "11.2")
    code2, b, _ = run("standards", "show", "exit-permanent-residence-2011", "11-тармақтың 2) тармақшасы")
    assert code == code2 == 0 and a == b
    assert "жеке куәлігін және паспортын" in a
    code, _, err = run("standards", "show", "exit-permanent-residence-2011", "11.9")
    assert code == 2 and "has no unit '11.9'" in err


def test_standards_list_json_lists_all() -> None:
    code, out, _ = run("standards", "list", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 29
    assert {"slug", "title_kk", "title_en", "in_force_from", "in_force_to", "paragraphs"} <= set(rows[0])


def test_readme_standards_table_is_current() -> None:
    code, table, _ = run("standards", "list", "--format", "md")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- standards-table:start -->\n", "<!-- standards-table:end -->"
    current = readme[readme.index(start) + len(start) : readme.index(end)]
    assert current == table, "README standards table is stale: regenerate with `ereje standards list --format md`"


def test_schemas_are_current() -> None:
    code, out, _ = run("schema")
    assert code == 0, out


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["lint", "--help"]])
def test_help_documents_exit_codes(args: list[str]) -> None:
    code, out, _ = run(*args)
    assert code == 0 and "Exit codes:" in out and "3  internal error" in out


def test_readme_examples_show_real_output(update_golden: bool) -> None:
    """Each `<!-- example: cmd -->` block of the README shows what the command prints;
    `pytest --update-golden` rewrites the blocks from the real output."""
    import shlex

    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- example: (.*?) -->\n```console\n\$ (.*?)\n(.*?)\n```\n<!-- example-end -->", re.S)
    blocks = pattern.findall(readme)
    assert len(blocks) >= 3

    def output_of(cmd: str) -> str:
        return CliRunner().invoke(cli, shlex.split(cmd)[1:]).stdout.rstrip()

    if update_golden:

        def fresh(m: re.Match[str]) -> str:
            cmd = m.group(1)
            return f"<!-- example: {cmd} -->\n```console\n$ {cmd}\n{output_of(cmd)}\n```\n<!-- example-end -->"

        readme = pattern.sub(fresh, readme)
        path.write_text(readme, encoding="utf-8")
        blocks = pattern.findall(readme)
    for cmd, shown, output in blocks:
        assert cmd == shown
        assert output_of(cmd) == output, f"README example `{cmd}` is stale: run pytest --update-golden and review"
