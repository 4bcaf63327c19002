"""The papers the standards prescribe (талон, қолхат), and the printable report and review conclusion.

Which paper is due is part of the decision (language-free); the papers are rendered as HTML in one
language, and as PDF through WeasyPrint, read back to text here with pypdf. Every bundled case is held
to the rule: a set accepted gets its channel's papers of acceptance, a set refused at intake with a
receipt gets the receipt, nothing else gets a paper.
"""

from __future__ import annotations

import html
import io
import json
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from validator.decision.engine import evaluate
from validator.errors import InputErrors
from validator.report.papers import PAPER_STYLE, STYLE_HASH, paper_html
from validator.surfaces.cli import cli
from validator.surfaces.jobs import RuleSet, case_files, case_from_text
from validator.surfaces.service import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
EXIT = CASES / "exit-permanent-residence-2011"
ACCEPT = EXIT / "01-accept-adult.yaml"
MISSING = EXIT / "02-missing-passport-and-duty.yaml"
CENTRE_REFUSED = CASES / "childbirth-childcare-benefits-2012" / "10-centre-plain-copies.yaml"
REVIEW = EXIT / "09-review-unlawful-refusal.yaml"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.lazy()


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


def decided(rules: RuleSet, path: Path, mode: str = "check", **changes: Any) -> tuple[Any, Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    case, compiled = case_from_text(json.dumps(data, default=str, ensure_ascii=False), rules, kind="json")
    return case, compiled, evaluate(compiled, case, mode)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- which paper is due --------------------------------------------------------------------------------


def test_every_bundled_case_gets_the_papers_its_verdict_calls_for(rules: RuleSet) -> None:
    """Accepted — every document in order and nothing left for the clerk (accept, or refuse: a complete set
    the authority will refuse on a ground of §16 is still accepted) —: the channel's papers of acceptance, in
    the rule file's order; refused at intake by a ground with a receipt: that receipt; anything else (a
    clerk's open question, an incomplete or ineligible set), and every review: none."""
    seen = {"acceptance": 0, "refusal-to-accept": 0}
    for path in case_files([CASES]):
        from validator.decision.load import load_case

        case, compiled = load_case(path, rules)
        for mode in ("check", "review") if case.decision is not None else ("check",):
            d = evaluate(compiled, case, mode)  # type: ignore[arg-type]
            refused = [f for f in d.findings if f.code == "acceptance-refused"]
            if mode == "review":
                expected: list[tuple[str, str]] = []
            elif refused:
                ground = next(g for g in compiled.rules.refusals.grounds if g.id == refused[0].subject.id)
                expected = [("refusal-to-accept", ground.id)] if ground.receipt else []
            elif d.verdict in ("accept", "refuse") and all(
                i.status in ("handed-in", "if-authority-finds") for i in d.checklist
            ):
                expected = [("acceptance", p.id) for p in compiled.rules.papers if case.channel in p.channels]
            else:
                expected = []
            assert [(p.purpose, p.id) for p in d.papers] == expected, path
            for p in d.papers:
                seen[p.purpose] += 1
    # The bundled cases exercise both kinds of paper, many times.
    assert seen["acceptance"] > 100 and seen["refusal-to-accept"] > 10, seen


def test_every_standard_that_names_a_paper_encodes_it_with_what_it_carries(rules: RuleSet) -> None:
    """Each paper cites its sentence, and (unless the text says none is given) what it carries."""
    slugs = [p.stem for p in (ROOT / "rules").glob("*.yaml")]
    with_papers = 0
    for slug in slugs:
        compiled = rules.get(slug, "test", None)
        for paper in compiled.rules.papers:
            with_papers += 1
            assert paper.kind == "none" or paper.carries, (slug, paper.id)
            assert paper.quote in compiled.standard.full_text(paper.cite), (slug, paper.id)
    assert with_papers >= 40


# --- the paper of acceptance ---------------------------------------------------------------------------


def test_the_exit_talon_carries_what_annex_2_and_paragraph_14_ask_for(rules: RuleSet) -> None:
    case, compiled, d = decided(rules, ACCEPT)
    page = paper_html(d, compiled, case, "acceptance", "kk")
    assert '<html lang="kk">' in page
    assert "<h1>Құжаттарды қабылдағаны туралы талон</h1>" in page
    # the lines annex 2 gives, each with its unit, filled from the case or left blank
    for label in ("Нөмірі", "Мемлекеттік қызмет алушының тегі", "Қоса берілген құжаттардың саны мен атаулары"):
        assert label in page
    assert 'Қабылданған күні <span class="cite">(2-қосымша)</span></dt><dd>01.04.2013 ж.</dd>' in page
    # the due date of 7.1.а, counted on the calendar: 30 calendar days from 01.04.2013
    # annex 2 asks for «Берілген күні және уақыты»: the term gives the day, the hour is left to write in
    assert '<dd>02.05.2013 ж., <span class="blank hour">' in page and "(уақыты)</dd>" in page
    assert "7-тармақтың 1) тармақшасының а) тармақшасы" in page
    # the documents handed in, by name, with their count
    assert "Барлығы: 4" in page and "<li>Азаматтың паспорты (түпнұсқа)</li>" in page  # as handed in
    # what the case does not hold is a blank line to fill by hand, never a guess
    assert page.count('class="blank"') == 3  # number, applicant, officer
    # the law the paper rests on, in Kazakh
    assert "14-тармақ: <q>құжаттарды қабылдағаны туралы талон береді</q>" in page


def test_the_case_fills_the_blanks_and_nothing_it_gives_is_markup(rules: RuleSet) -> None:
    details = {"number": "17/4", "officer": "Сәрсенбаева Ә. <b>", "applicant": "Жұмабек Ұлы Қ."}
    case, compiled, d = decided(rules, ACCEPT, paper=details)
    page = paper_html(d, compiled, case, "acceptance", "kk")
    assert "<h1>Құжаттарды қабылдағаны туралы талон № 17/4</h1>" in page
    assert "Сәрсенбаева Ә. &lt;b&gt;" in page and "<b>" not in page
    assert "Жұмабек Ұлы Қ." in page
    assert page.count('class="blank"') == 0


def test_the_time_of_acceptance_comes_from_the_submission_else_from_the_block(rules: RuleSet) -> None:
    """Criminal record §14: the authority's talon shows «құжаттарды қабылдау күні, уақыты»."""
    with_time = CASES / "criminal-record-certificate-2012" / "01-authority-accept-terms-kept.yaml"
    case, compiled, d = decided(rules, with_time)
    assert "<dd>10:00</dd>" in paper_html(d, compiled, case, "acceptance", "ru")
    # the time given twice is refused, never one of the two silently kept
    with pytest.raises(InputErrors, match="time-given-twice"):
        decided(rules, with_time, paper={"accepted_at": "09:15"})
    date_only = CASES / "criminal-record-certificate-2012" / "19-dates-without-times.yaml"
    case, compiled, d = decided(rules, date_only)
    assert d.verdict == "accept"
    assert paper_html(d, compiled, case, "acceptance", "ru").count('class="blank"') == 2  # time, officer
    case, compiled, d = decided(rules, date_only, paper={"accepted_at": "09:15"})
    assert "<dd>09:15</dd>" in paper_html(d, compiled, case, "acceptance", "ru")
    # and it is the submission's time for the decision too: a time outside the reception hours is said
    case, compiled, d = decided(rules, date_only, paper={"accepted_at": "23:30"})
    assert any(f.code.startswith("outside-schedule") for f in d.findings), [f.code for f in d.findings]


def test_a_time_of_acceptance_after_the_service_ended_is_refused(rules: RuleSet) -> None:
    date_only = CASES / "criminal-record-certificate-2012" / "19-dates-without-times.yaml"
    data = yaml.safe_load(date_only.read_text(encoding="utf-8"))
    day = str(data["submitted_on"])
    with pytest.raises(InputErrors, match="impossible-timeline"):
        decided(
            rules, date_only, events={"submitted": day, "service_ended": f"{day}T10:03"}, paper={"accepted_at": "23:30"}
        )


@pytest.mark.parametrize("bad", [" ", "\u200b", "Сәрсенбаева\u202eӘ", "Сәрсенбаева\nӘ", "a\x00b"])
def test_a_paper_line_that_would_print_empty_or_reordered_is_refused(rules: RuleSet, bad: str) -> None:
    with pytest.raises(InputErrors):
        decided(rules, ACCEPT, paper={"officer": bad})


def test_a_centre_hands_over_both_papers_the_standard_gives_it(rules: RuleSet) -> None:
    """Basic pension 14.1 gives the tear-off talon at the branch and the centre, 14.2 the centre's receipt:
    the centre's clerk prints both, each on a page of its own."""
    accepted = [
        p
        for p in sorted((CASES / "basic-pension-payment-2012").glob("*.yaml"))
        if "centre" in yaml.safe_load(p.read_text(encoding="utf-8"))["channel"]
    ]
    for path in accepted:
        case, compiled, d = decided(rules, path)
        if d.verdict != "accept":
            continue
        assert [p.id for p in d.papers] == ["tear-off-talon", "acceptance-receipt"]
        page = paper_html(d, compiled, case, "acceptance", "kk")
        assert page.count('<section class="paper">') == 2
        assert "Өтініштің үзбелі талоны" in page or "үзбелі талон" in page.lower()
        return
    pytest.skip("no accepted centre case for basic pension")


def test_no_talon_for_a_set_not_accepted_and_the_message_says_what_is_due(rules: RuleSet) -> None:
    code, out, err = run("check", str(MISSING), "--paper", "talon")
    assert code == 2 and out == b""
    assert "not accepted on this case (verdict incomplete)" in err
    code, out, err = run("check", str(CENTRE_REFUSED), "--paper", "talon")
    assert code == 2 and "the paper due is 'refusal'" in err
    # a clerk's open question comes before the talon (exit §14: «барлық құжаттарды қабылдағаннан кейін»)
    needs = EXIT / "23-alimony-court-not-stated-needs-data.yaml"
    code, out, err = run("check", str(needs), "--paper", "talon")
    assert code == 2 and out == b"" and "verdict needs-data" in err
    # a complete set the authority will refuse (a tax debt, §16) is accepted: its talon is printed
    code, out, err = run("check", str(EXIT / "08-refuse-tax-debt.yaml"), "--paper", "talon", "--lang", "kk")
    assert code == 1 and "Құжаттарды қабылдағаны туралы талон" in out.decode("utf-8"), err
    # a channel on which the standard gives no written confirmation (apostille §14) prints nothing
    gpo = CASES / "gpo-apostille-2012" / "01-gpo-accept-same-day.yaml"
    code, out, err = run("check", str(gpo), "--paper", "talon")
    assert code == 2 and out == b"" and "no written confirmation of acceptance is given" in err
    # a standard with no paper of acceptance says so, not that the documents were refused
    none = CASES / "targeted-assistance-certificate-2012" / "01-citizen-accepted-authority.yaml"
    code, out, err = run("check", str(none), "--paper", "talon")
    assert code == 2 and "gives no paper of acceptance" in err


# --- the receipt of a refusal to accept ----------------------------------------------------------------


def test_the_receipt_names_the_missing_documents_the_ground_and_its_sentence(rules: RuleSet) -> None:
    code, out, err = run("check", str(CENTRE_REFUSED), "--paper", "receipt", "--lang", "ru")
    page = out.decode("utf-8")
    assert code == 1, err  # the verdict is not accept: the paper is printed and the exit says so
    assert "<h1>Расписка с указанием недостающих документов</h1>" in page
    assert "Всего: 2" in page
    assert "подпункт 2) пункта 11" in page and "подпункт 5) пункта 11" in page
    # the receipt's own sentence, quoted in Kazakh whatever the language
    assert "жетіспейтін құжаттар көрсетілген қолхат береді" in page


def test_the_receipt_names_only_what_the_refusal_names(rules: RuleSet) -> None:
    """A document handed in with its form unstated is a question for the clerk, not a missing document:
    the receipt lists what the refusal names (16.u1 «жетіспейтін құжаттар көрсетілген қолхат»), no more."""
    data = yaml.safe_load(CENTRE_REFUSED.read_text(encoding="utf-8"))
    documents = [
        {"id": "application"},
        {"id": "child-birth-certificate"},  # no form given
        {"id": "identity-document", "form": "notarised-copy"},
        {"id": "residence-registration", "form": "notarised-copy"},
    ]
    assert data["channel"] == "centre"
    case, compiled, d = decided(rules, CENTRE_REFUSED, documents=documents)
    refused = next(f for f in d.findings if f.code == "acceptance-refused")
    page = paper_html(d, compiled, case, "refusal", "en")
    assert "In all: 1" in page
    assert refused.params["documents"].ids == ["family-composition"]  # type: ignore[union-attr]
    assert "birth" not in page.split("Missing documents")[1].split("</dd>")[0].lower()


# --- the report and the conclusion ---------------------------------------------------------------------


def test_the_review_conclusion_quotes_every_point_s_law(rules: RuleSet) -> None:
    case, compiled, d = decided(rules, REVIEW, mode="review")
    page = paper_html(d, compiled, case, "conclusion", "kk")
    assert "<h1>Шағымды қарау қорытындысы</h1>" in page
    assert "Шағым жасалған шешім" in page
    for f in d.findings:
        if f.severity == "info":
            continue
        for c in f.citations:
            assert f'<q lang="kk">{html.escape(c.quote)}</q>' in page, c
    with pytest.raises(ValueError, match="printout of a review"):
        paper_html(evaluate(compiled, case, "check"), compiled, case, "conclusion", "kk")


def test_english_is_marked_as_a_translation(rules: RuleSet) -> None:
    case, compiled, d = decided(rules, ACCEPT)
    assert "English translation for information" in paper_html(d, compiled, case, "acceptance", "en")
    assert 'class="translation"' not in paper_html(d, compiled, case, "acceptance", "kk")


# --- PDF -----------------------------------------------------------------------------------------------


def test_the_pdf_talon_keeps_every_kazakh_letter(tmp_path: Path) -> None:
    code, out, err = run("check", str(ACCEPT), "--paper", "talon", "--format", "pdf", "--lang", "kk")
    assert code == 0, err
    assert out.startswith(b"%PDF-")
    text = pdf_text(out)
    assert "Құжаттарды қабылдағаны туралы талон" in text
    assert "02.05.2013 ж." in text and "Азаматтың паспорты" in text
    # every Kazakh letter the talon's words hold comes back out of the PDF (none dropped or replaced)
    assert {"қ", "ұ", "ә", "ө", "ғ", "ң", "і", "ү"} <= set(text) and "\ufffd" not in text


def test_pdf_without_a_paper_prints_the_report_and_a_review_prints_its_conclusion() -> None:
    code, out, _ = run("check", str(MISSING), "--format", "pdf", "--lang", "ru")
    assert code == 1 and "Результат предварительной проверки" in pdf_text(out)
    code, out, _ = run("review", str(REVIEW), "--format", "pdf", "--lang", "kk")
    assert code == 1 and "Шағымды қарау қорытындысы" in pdf_text(out)


def test_pdf_without_the_extra_exits_2_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint → ImportError
    code, out, err = run("check", str(ACCEPT), "--paper", "talon", "--format", "pdf")
    assert code == 2 and out == b""
    assert "pip install 'ereje[pdf]'" in err


def test_paper_options_refuse_what_they_cannot_do() -> None:
    code, _, err = run("check", str(ACCEPT), "--paper", "talon", "--format", "json")
    assert code == 2 and "--format html or pdf" in err
    code, _, err = run("check", str(ACCEPT), str(MISSING), "--paper", "talon")
    assert code == 2 and "one CASE file" in err
    code, _, err = run("check", str(ACCEPT), "--paper", "talon", "--lang", "all")
    assert code == 2 and "one language" in err
    code, _, err = run("check", "--batch", "x.jsonl", "--paper", "talon")
    assert code == 2 and "not a --batch run" in err


# --- the API -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


def _post(client: TestClient, path: Path, query: str, url: str = "/check") -> Any:
    body = path.read_text(encoding="utf-8")
    return client.post(f"{url}?{query}", content=body.encode("utf-8"), headers={"Content-Type": "application/yaml"})


def test_the_api_prints_papers_as_html_and_pdf(client: TestClient) -> None:
    r = _post(client, ACCEPT, "paper=talon&lang=kk")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert "Құжаттарды қабылдағаны туралы талон" in r.text
    # the paper's one inline style is allowed by its hash, and only it: the rest of the policy stands
    assert f"style-src 'self' '{STYLE_HASH}';" in r.headers["content-security-policy"]
    assert "script-src 'self';" in r.headers["content-security-policy"]
    assert f"<style>{PAPER_STYLE}</style>" in r.text
    assert client.get("/paper.css").text == PAPER_STYLE
    r = _post(client, CENTRE_REFUSED, "paper=receipt&format=pdf&lang=ru")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert "Расписка с указанием недостающих документов" in pdf_text(r.content)
    r = _post(client, REVIEW, "paper=conclusion&lang=kk", "/review")
    assert r.status_code == 200 and "Шағымды қарау қорытындысы" in r.text
    # the JSON report names the paper due
    r = _post(client, ACCEPT, "lang=ru")
    assert [(p["id"], p["name"]) for p in r.json()["papers"]] == [("acceptance-talon", "Талон о приёме документов")]


def test_the_api_refuses_a_paper_not_due_and_bad_parameters(client: TestClient) -> None:
    r = _post(client, ACCEPT, "paper=receipt")
    assert r.status_code == 422 and r.json()["code"] == "paper-not-due"
    assert r.json()["title"] == "Paper not due"  # not the case's fault
    assert "the paper due is 'acceptance'" in r.json()["errors"][0]["message"]
    r = _post(client, ACCEPT, "paper=talon&paper=receipt")
    assert r.status_code == 422 and r.json()["code"] == "bad-parameters"
    r = _post(client, ACCEPT, "paper=report")
    assert r.status_code == 422
    r = _post(client, ACCEPT, "paper=stamp")
    assert r.status_code == 422 and r.json()["code"] == "bad-parameters"
    r = _post(client, ACCEPT, "paper=talon&format=docx")
    assert r.status_code == 422 and r.json()["code"] == "bad-parameters"
    r = _post(client, ACCEPT, "paper=talon&lang=all")
    assert r.status_code == 422


# --- the output closed under it -------------------------------------------------------------------------


EREJE = str(Path(sys.executable).with_name("ereje"))


@pytest.mark.parametrize("args", [["--paper", "talon"], ["--format", "pdf"], []])
def test_a_closed_or_broken_output_is_the_environment_failing(args: list[str]) -> None:
    """Exit 4 with the reason on stderr, never a traceback (3) nor "findings" (1), whether standard
    output was closed before Ereje started or its reader went away (EPIPE)."""
    import subprocess

    closed = subprocess.run(
        [EREJE, "check", str(ACCEPT), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert closed.returncode == 4 and b"standard output is closed" in closed.stderr, closed.stderr
    proc = subprocess.Popen([EREJE, "check", str(ACCEPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before a byte is read
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(60) == 4 and b"broken pipe" in err, err
