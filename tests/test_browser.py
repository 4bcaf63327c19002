"""The clerk's page end to end, in a real headless browser: Debian's Chromium driven by Playwright.

The server is the real one (`ereje serve` in a subprocess on a free port) over the bundled
exit-permanent-residence-2011 rules. Skipped, with the reason, only where /usr/bin/chromium is absent
(`apt-get install -y chromium`); Playwright never downloads a browser here.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)",
)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SLUG = "exit-permanent-residence-2011"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    rules = tmp_path_factory.mktemp("rules")
    shutil.copy(ROOT / "rules" / f"{SLUG}.yaml", rules)
    if (ROOT / "rules" / "_shared").is_dir():
        shutil.copytree(ROOT / "rules" / "_shared", rules / "_shared")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "validator.surfaces.cli", "serve", "--port", str(port), "--rules", str(rules)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15_000)
    outside: list[str] = []
    errors: list[str] = []
    p.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.goto(server + "/")
    p.wait_for_selector("body[data-ready='true']", state="attached")
    yield p
    context.close()
    assert outside == [], f"the page fetched from elsewhere: {outside}"
    assert errors == [], f"errors in the page: {errors}"


def wait_report(page: Page) -> None:
    """Until the newest report is shown (the page marks body[data-busy])."""
    page.wait_for_selector("body[data-busy='false']", state="attached")


def fill_case(page: Page) -> None:
    """An adult citizen files in person with the questionnaire and the identity card only."""
    page.get_by_test_id("standard").select_option(SLUG)
    page.wait_for_selector("#fact-citizen")
    expect(page.get_by_test_id("channel")).to_have_value("migration-police")
    page.get_by_test_id("submitted-on").fill("2013-05-06")
    page.get_by_test_id("facts-all-no").click()
    page.get_by_test_id("fact-citizen").check()
    page.get_by_test_id("fact-age").fill("35")
    page.get_by_test_id("fact-submitted_by").select_option("applicant")
    page.get_by_test_id("fact-files_at_residence").check()
    page.get_by_test_id("event-submitted").fill("2013-05-06T11:30")
    wait_report(page)
    page.get_by_test_id("doc-application-questionnaire").check()
    page.get_by_test_id("doc-identity-card").check()
    wait_report(page)


def finding(page: Page, code: str, subject: str) -> object:
    return page.locator(f"#findings li[data-code='{code}'][data-subject='{subject}']")


def test_missing_documents_are_listed_with_their_paragraphs(page: Page) -> None:
    fill_case(page)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incomplete")
    passport = page.locator("#findings li[data-code='document-missing'][data-subject='passport']")
    expect(passport).to_contain_text("Missing document: Citizen's passport.")
    expect(passport.locator("button.cite")).to_have_attribute("data-unit", "11.2")
    expect(passport.locator("button.cite")).to_contain_text("paragraph 11, subparagraph 2")  # the page's language
    receipt = page.locator("#findings li[data-code='document-missing'][data-subject='state-duty-receipt-copy']")
    expect(receipt.locator("button.cite")).to_have_attribute("data-unit", "11.7")
    # a finding with several citations shows each: the fee paragraph, then the receipt the list requires
    fee_cites = page.locator("#findings li[data-code='fee-unpaid'] button.cite")
    expect(fee_cites).to_have_count(2)
    expect(fee_cites.nth(0)).to_have_attribute("data-unit", "8")
    expect(fee_cites.nth(1)).to_have_attribute("data-unit", "11.7")
    # the checklist is the engine's: only documents whose condition holds (no alimony statement, no consent)
    items = page.locator("#checklist li[data-doc]")
    expect(items).to_have_count(4)
    expect(page.locator("#checklist li[data-doc='other-parent-consent']")).to_have_count(0)
    expect(page.locator("#checklist li[data-doc='passport']")).to_have_class("missing")
    # a minor leaving with one parent whose other parent lives in Kazakhstan: the notarised consent appears
    page.get_by_test_id("fact-age").fill("15")
    page.get_by_test_id("fact-submitted_by").select_option("legal-representative")
    page.get_by_test_id("fact-leaves_with_one_parent").check()
    page.get_by_test_id("fact-other_parent_in_kz").check()
    wait_report(page)
    expect(page.locator("#checklist li[data-doc='other-parent-consent']")).to_have_count(1)
    expect(page.get_by_test_id("form-other-parent-consent")).to_be_visible()
    # handing in the passport takes its finding away
    page.get_by_test_id("doc-passport").check()
    wait_report(page)
    expect(passport).to_have_count(0)
    expect(page.get_by_test_id("fee")).to_contain_text("1,731")


def test_switching_the_language_changes_the_messages(page: Page) -> None:
    fill_case(page)
    passport = page.locator("#findings li[data-code='document-missing'][data-subject='passport'] .message")
    heading = page.locator("#checklist-heading")
    page.get_by_test_id("lang-kk").click()
    expect(passport).to_have_text("Құжат ұсынылмаған: Азаматтың паспорты.")
    expect(heading).to_have_text("Құжаттар")
    expect(page.get_by_test_id("verdict")).to_contain_text("құжаттар толық емес")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.get_by_test_id("lang-ru").click()
    expect(passport).to_have_text("Не представлен документ: Паспорт гражданина.")
    expect(heading).to_have_text("Документы")
    expect(page.locator("label[for='fact-age']")).to_contain_text("Возраст")
    page.get_by_test_id("lang-en").click()
    expect(passport).to_have_text("Missing document: Citizen's passport.")
    expect(page.get_by_test_id("lang-en")).to_have_attribute("aria-pressed", "true")
    # the choice is remembered
    page.get_by_test_id("lang-ru").click()
    page.reload()
    page.wait_for_selector("body[data-ready='true']", state="attached")
    expect(heading).to_have_text("Документы")


def test_a_citation_opens_the_paragraphs_kazakh_text(page: Page) -> None:
    fill_case(page)
    panel = page.get_by_test_id("paragraph-panel")
    expect(panel).to_be_hidden()
    page.locator("#findings li[data-code='document-missing'][data-subject='passport'] button.cite").click()
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("paragraph-title")).to_have_text("11-тармақтың 2) тармақшасы (11.2)")
    text = page.get_by_test_id("paragraph-text")
    expect(text).to_have_text("Қазақстан Республикасы азаматының жеке куәлігін және паспортын;")
    expect(text).to_have_attribute("lang", "kk")
    expect(text.locator("mark")).to_have_text("жеке куәлігін және паспортын")  # the finding's quote
    expect(page.get_by_test_id("paragraph-close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # a checklist citation opens its paragraph too
    page.locator("#checklist li[data-doc='state-duty-receipt-copy'] button.cite").click()
    expect(text).to_contain_text("мемлекеттік баж салығын төлегенін растайтын құжаттың көшірмесі")


def test_review_finds_a_refusal_on_an_unlisted_ground_unlawful(page: Page) -> None:
    fill_case(page)
    page.get_by_test_id("doc-passport").check()
    page.get_by_test_id("doc-state-duty-receipt-copy").check()
    page.get_by_test_id("form-state-duty-receipt-copy").select_option("copy")
    page.get_by_test_id("payment-amount").fill("1731")
    page.get_by_test_id("payment-date").fill("2013-05-06")
    wait_report(page)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "accept")
    expect(page.get_by_test_id("due-decision")).to_have_text("05.06.2013")  # 30 calendar days from handing in
    page.get_by_test_id("mode-review").check()
    expect(page.get_by_test_id("decision-outcome")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Choose the decision's outcome.")
    page.get_by_test_id("decision-outcome").select_option("refused")
    page.get_by_test_id("decision-other-grounds").fill("incomplete documents")
    wait_report(page)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "unlawful")
    # a refusal is a decision: with no date for it, whether the term was kept is a question
    expect(page.locator("#findings li[data-code='term-end-date-not-given']")).to_have_count(1)
    page.get_by_test_id("event-decided").fill("2013-05-20T10:00")
    wait_report(page)
    expect(page.locator("#findings li[data-code='term-end-date-not-given']")).to_have_count(0)
    unlisted = page.locator("#findings li[data-code='ground-not-listed']")
    expect(unlisted).to_contain_text("The ground «incomplete documents» is not among the standard's grounds")
    expect(unlisted.locator("button.cite")).to_have_attribute("data-unit", "16.7")
    # a listed ground the facts do not support is unlawful too; one they support is lawful
    page.get_by_test_id("decision-other-grounds").fill("")
    page.get_by_test_id("ground-tax-debt").check()
    wait_report(page)
    expect(page.locator("#findings li[data-code='ground-not-supported']")).to_have_count(1)
    page.get_by_test_id("fact-tax_debt").check()
    wait_report(page)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "lawful")


def test_the_printable_view_and_accessible_labels(page: Page) -> None:
    fill_case(page)
    controls = "#case-form input, #case-form select, #case-form textarea, #checklist input, #checklist select"
    unlabelled = page.evaluate(
        "sel => [...document.querySelectorAll(sel)].filter(e => e.labels.length === 0).map(e => e.id || e.name)",
        controls,
    )
    assert unlabelled == []
    assert page.locator(controls).count() > 30
    view = page.get_by_test_id("print-view")
    expect(view).to_be_hidden()
    page.emulate_media(media="print")
    expect(view).to_be_visible()
    expect(page.locator("#case-form")).to_be_hidden()
    expect(view).to_contain_text("Verdict: incomplete")
    expect(view).to_contain_text("Citizen's passport")
    expect(view).to_contain_text("paragraph 11, subparagraph 2: «жеке куәлігін және паспортын»")
    expect(view).to_contain_text("1,731")
    # everything handed in and paid: the printout says so, with the date the result is due
    page.emulate_media(media="screen")
    page.get_by_test_id("doc-passport").check()
    page.get_by_test_id("doc-state-duty-receipt-copy").check()
    page.get_by_test_id("form-state-duty-receipt-copy").select_option("copy")
    page.get_by_test_id("payment-amount").fill("1731")
    page.get_by_test_id("payment-date").fill("2013-05-06")
    wait_report(page)
    page.emulate_media(media="print")
    expect(view).to_contain_text("Verdict: accept")
    expect(view).to_contain_text("05.06.2013")
    page.emulate_media(media="screen")
    expect(page.get_by_test_id("print")).to_be_visible()


def test_facts_not_stated_make_the_report_ask_for_them(page: Page) -> None:
    page.get_by_test_id("standard").select_option(SLUG)
    page.wait_for_selector("#fact-citizen")
    expect(page.get_by_test_id("status")).to_have_text("Enter the date the application was handed in.")
    page.get_by_test_id("submitted-on").fill("2013-05-06")
    wait_report(page)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incomplete")
    needs = page.locator("#findings li[data-code='needs-data'][data-subject='citizen-of-age']")
    expect(needs).to_contain_text("Citizen of Kazakhstan")
    expect(page.get_by_test_id("fact-citizen")).to_have_attribute("aria-checked", "mixed")
    page.get_by_test_id("fact-citizen").check()
    expect(page.get_by_test_id("fact-citizen")).to_have_attribute("aria-checked", "true")
    page.get_by_test_id("clear-citizen").click()
    expect(page.get_by_test_id("fact-citizen")).to_have_attribute("aria-checked", "mixed")
