"""The clerk's page asks only what matters, keeps the result in view, speaks the clerk's language, saves and
opens case files, and is usable by keyboard alone — in Debian's Chromium driven by Playwright, against the
real server over the bundled exit-permanent-residence-2011 rules (the fixtures of tests/test_browser.py).

Skipped, with the reason, only where /usr/bin/chromium is absent; Playwright never downloads a browser here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .helpers import running_server
from .test_browser import CHROMIUM, SLUG, browser, server, wait_report  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)",
)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, Route, expect  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1366, "height": 768}
MINOR = ["leaves_with_one_parent", "other_parent_in_kz", "departure_resolved_by_court"]
# Every control a clerk may use, and what it holds (the file input is driven by its button).
SNAPSHOT = """() => {
  const out = {};
  const sel = '#case-form input, #case-form select, #case-form textarea, #checklist input, #checklist select';
  for (const e of document.querySelectorAll(sel)) {
    if (e.type === 'file') continue;
    const key = e.type === 'radio' ? `${e.name}=${e.value}` : e.id;
    out[key] = e.type === 'checkbox' || e.type === 'radio' ? [e.checked, e.getAttribute('aria-checked')] : e.value;
  }
  out.hiddenRows = [...document.querySelectorAll('#facts .fact')].filter((r) => r.hidden).map((r) => r.dataset.fact);
  return out;
}"""


def open_page(chromium: Browser, url: str, **context: Any) -> tuple[Page, list[str]]:
    ctx = chromium.new_context(viewport=VIEWPORT, accept_downloads=True, **context)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_selector("body[data-ready='true']", state="attached")
    return page, errors


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:  # noqa: F811
    p, errors = open_page(browser, f"{server}/?standard={SLUG}&lang=en")
    yield p
    p.context.close()
    assert errors == [], f"errors in the page: {errors}"


def settle(page: Page) -> None:
    """Until the debounced request has gone and its answer is shown."""
    page.wait_for_timeout(350)
    wait_report(page)


def row(page: Page, fact: str) -> Any:
    return page.get_by_test_id(f"row-{fact}")


def adult_case(page: Page, submitted_on: str = "2013-04-09") -> None:
    """An adult citizen files in person at the unit of his place of residence."""
    page.get_by_test_id("submitted-on").fill(submitted_on)
    page.get_by_test_id("fact-citizen").check()
    page.get_by_test_id("fact-age").fill("35")
    page.get_by_test_id("fact-submitted_by").select_option("applicant")
    page.get_by_test_id("fact-files_at_residence").check()
    settle(page)
    page.get_by_test_id("facts-all-no").click()
    settle(page)


def complete_set(page: Page, paid_on: str = "2013-04-09") -> None:
    for doc in ("application-questionnaire", "identity-card", "passport", "state-duty-receipt-copy"):
        page.get_by_test_id(f"doc-{doc}").check()
    page.get_by_test_id("form-state-duty-receipt-copy").select_option("copy")
    page.get_by_test_id("payment-amount").fill("1731")
    page.get_by_test_id("payment-date").fill(paid_on)
    settle(page)


def in_view(page: Page, locator: Any) -> None:
    """The element is drawn wholly inside the 1366×768 viewport, with no scrolling."""
    assert page.evaluate("() => [window.scrollX, window.scrollY]") == [0, 0]
    box = locator.bounding_box()
    assert box is not None, "not drawn"
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= VIEWPORT["width"] and box["y"] + box["height"] <= VIEWPORT["height"], box


# --- 1. ask only what matters -------------------------------------------------------------------------------


def test_questions_appear_and_disappear_as_answers_change(page: Page) -> None:
    page.get_by_test_id("submitted-on").fill("2013-05-06")
    settle(page)
    # the age not known: whether the minor's consent is needed hangs on it
    for fact in MINOR:
        expect(row(page, fact)).to_be_visible()
    page.get_by_test_id("fact-age").fill("35")
    settle(page)
    for fact in [*MINOR, "married"]:
        expect(row(page, fact)).to_be_hidden()
    expect(row(page, "citizen")).to_be_visible()
    # a minor: the consent's questions come back, one after the other as the condition reads them
    page.get_by_test_id("fact-age").fill("15")
    settle(page)
    expect(row(page, "leaves_with_one_parent")).to_be_visible()
    page.get_by_test_id("fact-leaves_with_one_parent").check()
    page.get_by_test_id("clear-leaves_with_one_parent").click()
    page.get_by_test_id("fact-leaves_with_one_parent").check()
    settle(page)
    expect(row(page, "other_parent_in_kz")).to_be_visible()
    # a 17-year-old filing alone may file if married: asked; 15, not
    page.get_by_test_id("fact-submitted_by").select_option("applicant")
    settle(page)
    expect(row(page, "married")).to_be_hidden()
    page.get_by_test_id("fact-age").fill("17")
    settle(page)
    expect(row(page, "married")).to_be_visible()
    # back to an adult: the minor's answer is hidden, and kept in the case
    page.get_by_test_id("fact-age").fill("35")
    settle(page)
    expect(row(page, "leaves_with_one_parent")).to_be_hidden()
    expect(page.get_by_test_id("facts-kept")).to_have_text("Answers not needed now, kept in the case: 1.")
    with page.expect_download() as saved:
        page.get_by_test_id("save-case").click()
    text = Path(saved.value.path()).read_text(encoding="utf-8")
    assert "  leaves_with_one_parent: true\n" in text


def test_the_authoritys_facts_are_folded_for_reviewers(page: Page) -> None:
    adult_case(page)
    folded = page.get_by_test_id("authority-facts")
    expect(folded).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("fact-tax_debt")).to_be_hidden()
    page.get_by_test_id("authority-summary").click()
    expect(page.get_by_test_id("fact-tax_debt")).to_be_visible()
    page.get_by_test_id("authority-summary").click()
    expect(page.get_by_test_id("fact-tax_debt")).to_be_hidden()
    page.get_by_test_id("mode-review").check()  # a reviewer weighs them: unfolded
    expect(page.get_by_test_id("fact-tax_debt")).to_be_visible()


# --- 2. the result in view --------------------------------------------------------------------------------


def test_verdict_missing_documents_and_due_date_are_in_view_at_1366x768(page: Page) -> None:
    page.get_by_test_id("lang-ru").click()  # the longer words
    adult_case(page)
    page.get_by_test_id("doc-application-questionnaire").check()
    settle(page)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incomplete")
    missing = page.locator("#summary-missing-list li")
    expect(missing).to_have_count(3)
    page.evaluate("() => window.scrollTo(0, 0)")  # ticking a box may have scrolled it into view: from the top
    in_view(page, page.get_by_test_id("verdict"))
    in_view(page, page.get_by_test_id("summary-missing"))
    in_view(page, page.get_by_test_id("summary-due"))
    expect(page.get_by_test_id("summary-due")).to_contain_text("Документы не принимаются")
    # all handed in: the due date, and the days off it moved past, in view too
    complete_set(page)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "accept")
    page.evaluate("() => window.scrollTo(0, 0)")
    in_view(page, page.get_by_test_id("verdict"))
    in_view(page, page.get_by_test_id("summary-due-decision"))
    expect(page.get_by_test_id("summary-due-date-decision")).to_have_text("13.05.2013")
    skipped = page.get_by_test_id("skipped-decision")
    in_view(page, skipped)
    expect(skipped.locator("li")).to_have_text(
        [
            "09.05.2013 — День Победы",
            "10.05.2013 — выходной, перенесённый с 04.05.2013",
            "11.05.2013 — суббота",
            "12.05.2013 — воскресенье",
        ]
    )
    expect(page.get_by_test_id("summary-missing")).to_contain_text("Все документы в порядке.")
    # and it stays in view while the clerk works further down the form
    page.get_by_test_id("payment-date").scroll_into_view_if_needed()
    box = page.get_by_test_id("verdict").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"]


def test_the_days_off_are_named_in_kazakh(page: Page) -> None:
    page.get_by_test_id("lang-kk").click()
    adult_case(page)
    complete_set(page)
    skipped = page.get_by_test_id("skipped-decision")
    expect(skipped).to_contain_text("Соңғы күні, 09.05.2013, — демалыс күні")
    expect(skipped.locator("li").first).to_have_text("09.05.2013 — Жеңіс күні")
    expect(skipped.locator("li").nth(1)).to_have_text("10.05.2013 — 04.05.2013 күнінен ауыстырылған демалыс күні")
    expect(page.get_by_test_id("summary-due-decision")).to_contain_text("09.04.2013 бастап")


# --- 3. enum values labelled -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_choice_is_labelled_in_the_page_language_never_by_its_id(page: Page, lang: str) -> None:
    page.get_by_test_id(f"lang-{lang}").click()
    adult_case(page)
    page.get_by_test_id("mode-review").check()
    options = page.evaluate(
        "() => [...document.querySelectorAll('select option')].filter((o) => o.value)"
        ".map((o) => [o.parentElement.id, o.value, o.textContent])"
    )
    assert len(options) >= 10
    # an id is written as words, in the page's language: no «refused-acceptance», no Latin in kk or ru
    raw = [
        (s, v, text)
        for s, v, text in options
        if re.search(r"[a-z][_-][a-z]", text) or (lang != "en" and re.search(r"[A-Za-z]", text))
    ]
    assert raw == []
    labels = {v: text for s, v, text in options if s == "fact-submitted_by"}
    expected = {
        "kk": "Азаматтың жеке өзі",
        "ru": "Сам гражданин лично",
        "en": "The citizen in person",
    }
    assert labels["applicant"] == expected[lang]  # the rule file's value_labels


# --- 4. cases in and out -----------------------------------------------------------------------------------------


def test_save_then_open_gives_the_same_form(browser: Browser, server: str, tmp_path: Path) -> None:  # noqa: F811
    page, errors = open_page(browser, f"{server}/?standard={SLUG}&lang=kk")
    adult_case(page, "2013-10-01")
    complete_set(page, "2013-10-01")
    page.get_by_test_id("event-submitted").fill("2013-10-01T10:00")
    page.get_by_test_id("mode-review").check()
    page.get_by_test_id("decision-outcome").select_option("refused")
    page.get_by_test_id("ground-tax-debt").check()
    page.get_by_test_id("decision-other-grounds").fill("Құжаттар толық емес — ӘҒҚҢӨҰҮҺІ әғқңөұүһі")
    page.get_by_test_id("decision-demanded").fill("Неке туралы куәлік")
    page.locator("#paper-details summary").click()
    page.get_by_test_id("paper-officer").fill("Сәрсенбаева Әйгерім Қ.")  # the papers' block is saved too
    page.get_by_test_id("event-decided").fill("2013-11-15T16:45")
    page.get_by_test_id("fact-age").fill("15")  # the consent's questions come, answered no by the button
    settle(page)
    page.get_by_test_id("fact-age").fill("35")  # and hide again: their answers stay
    settle(page)
    before = page.evaluate(SNAPSHOT)
    assert before["hiddenRows"]
    with page.expect_download() as saved:
        page.get_by_test_id("save-case").click()
    download = saved.value
    assert download.suggested_filename == f"{SLUG}-2013-10-01.yaml"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../validator/schemas/case.schema.json\n")
    assert "Құжаттар толық емес — ӘҒҚҢӨҰҮҺІ әғқңөұүһі" in text  # Kazakh letters as typed
    assert 'paper:\n  officer: "Сәрсенбаева Әйгерім Қ."' in text
    expect(page.get_by_test_id("file-status")).to_contain_text("сақталды")
    page.context.close()
    assert errors == []

    fresh, errors = open_page(browser, f"{server}/?lang=kk")
    fresh.get_by_test_id("case-file").set_input_files(str(path))
    expect(fresh.get_by_test_id("file-status")).to_contain_text("ашылды")
    settle(fresh)
    assert fresh.evaluate(SNAPSHOT) == before
    assert f"standard={SLUG}" in fresh.url and "channel=migration-police" in fresh.url
    fresh.context.close()
    assert errors == []


def test_a_bad_file_shows_the_loaders_problems_with_their_lines(browser: Browser, server: str) -> None:  # noqa: F811
    page, errors = open_page(browser, f"{server}/?standard={SLUG}&lang=ru")
    bad = b"standard: exit-permanent-residence-2011\nchannel: migration-police\nsubmitted_on: 2013-13-01\n"
    page.get_by_test_id("case-file").set_input_files(
        {"name": "bad.yaml", "mimeType": "application/yaml", "buffer": bad}
    )
    status = page.get_by_test_id("file-status")
    expect(status).to_contain_text("Файл bad.yaml не открывается:")
    expect(status.locator("li")).to_have_attribute("data-line", "3")
    expect(status.locator("li")).to_contain_text("строка 3: $.submitted_on")
    broken = b"facts: [\n"
    page.get_by_test_id("case-file").set_input_files(
        {"name": "broken.yaml", "mimeType": "text/plain", "buffer": broken}
    )
    expect(status).to_contain_text("Файл broken.yaml не открывается:")
    expect(status).to_contain_text("YAML")
    page.context.close()
    refused = "Failed to load resource: the server responded with a status of"
    assert [e for e in errors if not (e.startswith(refused) and (" 400 " in e or " 422 " in e))] == []


def test_a_link_opens_the_same_form(browser: Browser, server: str) -> None:  # noqa: F811
    url = f"{server}/?standard={SLUG}&channel=migration-police&lang=ru"
    page, errors = open_page(browser, url)
    expect(page.get_by_test_id("standard")).to_have_value(SLUG)
    expect(page.get_by_test_id("channel")).to_have_value("migration-police")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#checklist-heading")).to_have_text("Документы")
    assert urlsplit(page.url).query == f"standard={SLUG}&channel=migration-police&lang=ru"
    page.get_by_test_id("lang-kk").click()  # the address follows the form
    assert urlsplit(page.url).query.endswith("lang=kk")
    page.context.close()
    assert errors == []


# --- the papers: printed from the page ------------------------------------------------------------------------

# window.print is replaced before the page's scripts run (a headless print dialog would do nothing to see):
# each call is counted, with what the paper view then holds and whether the page is set to print it alone.
PRINT_SPY = """
window.__printed = [];
window.print = () => window.__printed.push({
  printing: document.body.dataset.printing || '',
  paper: (document.querySelector('#paper-view') || {}).textContent || '',
});
"""


def _printed(page: Page) -> list[dict[str, str]]:
    printed: list[dict[str, str]] = page.evaluate("() => window.__printed")
    return printed


def test_the_talon_and_the_conclusion_are_printed_from_the_page(browser: Browser, server: str) -> None:  # noqa: F811
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(PRINT_SPY)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/?standard={SLUG}&lang=ru")
    page.wait_for_selector("body[data-ready='true']", state="attached")
    adult_case(page)
    # an incomplete set: the exit standard gives no receipt (§14 only presupposes the refusal), no talon
    page.get_by_test_id("doc-application-questionnaire").check()
    settle(page)
    expect(page.get_by_test_id("papers")).to_be_hidden()
    complete_set(page)
    page.locator("#paper-details summary").click()
    page.get_by_test_id("paper-officer").fill("Сәрсенбаева Ә. <b>")
    page.get_by_test_id("paper-number").fill("17/4")
    button = page.get_by_test_id("paper-acceptance")
    expect(button).to_have_text("Печать: Талон о приёме документов")
    button.click()
    expect(page.get_by_test_id("paper-view")).to_contain_text("Талон о приёме документов № 17/4")
    printed = _printed(page)
    assert len(printed) == 1 and printed[0]["printing"] == "paper"
    paper = printed[0]["paper"]
    assert "Сәрсенбаева Ә. <b>" in paper  # the officer as typed, as text (never markup)
    assert "Паспорт гражданина" in paper and "Дата выдачи результата" in paper
    assert "құжаттарды қабылдағаны туралы талон береді" in paper  # §14 quoted in Kazakh
    # in print, the paper alone shows, in the papers' own style
    page.emulate_media(media="print")
    expect(page.get_by_test_id("paper-view")).to_be_visible()
    expect(page.locator("main")).to_be_hidden()
    expect(page.get_by_test_id("print-view")).to_be_hidden()
    page.emulate_media(media="screen")
    # a review prints its conclusion, each point with the law it rests on
    page.get_by_test_id("mode-review").check()
    page.get_by_test_id("decision-outcome").select_option("refused")
    page.get_by_test_id("decision-other-grounds").fill("документы неполные")
    settle(page)
    expect(page.get_by_test_id("paper-acceptance")).to_have_count(0)
    page.get_by_test_id("paper-conclusion").click()
    expect(page.get_by_test_id("paper-view")).to_contain_text("Заключение по рассмотрению жалобы")
    conclusion = _printed(page)[-1]["paper"]
    # the unlisted ground, measured against §16's closed list, quoted in Kazakh
    assert "«документы неполные»" in conclusion and "подпункт 7) пункта 16" in conclusion
    assert "оған мемлекеттік қызметті ұсынудан бас тартылады" in conclusion
    ctx.close()
    assert errors == []


@pytest.fixture(scope="module")
def every_rule_server() -> Iterator[str]:
    """A server over every bundled rule file (the refusal receipt is a centre's: childbirth benefits)."""
    with running_server(ROOT / "rules") as (base, _):
        yield base


def test_a_refused_set_prints_the_receipt_naming_the_missing_documents(
    browser: Browser,  # noqa: F811
    every_rule_server: str,
) -> None:
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(PRINT_SPY)
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{every_rule_server}/?lang=kk")
    page.wait_for_selector("body[data-ready='true']", state="attached")
    case = ROOT / "cases" / "childbirth-childcare-benefits-2012" / "10-centre-plain-copies.yaml"
    page.get_by_test_id("case-file").set_input_files(str(case))
    expect(page.get_by_test_id("file-status")).to_contain_text("ашылды")
    settle(page)
    expect(page.get_by_test_id("paper-acceptance")).to_have_count(0)  # a set not accepted gets no talon
    page.get_by_test_id("paper-refusal").click()
    expect(page.get_by_test_id("paper-view")).to_contain_text("Жетіспейтін құжаттар көрсетілген қолхат")
    receipt = _printed(page)[-1]["paper"]
    assert "Барлығы: 2" in receipt and "11-тармақтың 2) тармақшасы" in receipt
    assert "жетіспейтін құжаттар көрсетілген қолхат береді" in receipt  # the sentence that prescribes it
    ctx.close()


# --- 5. keyboard, accessibility, nothing from elsewhere ----------------------------------------------------------------


def test_every_control_is_reached_by_tab_and_labelled(page: Page) -> None:
    adult_case(page)
    page.get_by_test_id("doc-application-questionnaire").check()
    settle(page)
    page.get_by_test_id("authority-summary").click()
    page.locator("#paper-details summary").click()
    controls = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
          .filter((e) => e.offsetParent !== null && !e.disabled && e.tabIndex >= 0)
          .filter((e) => e.tagName === 'SUMMARY' || !e.closest('details:not([open])'))  // shown, not folded
          .filter((e) => e.type !== 'radio' || e.checked)  // a radio group is one stop; the arrows choose in it
          .map((e) => e.id || e.dataset.testid || e.textContent.trim())"""
    )
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')]
          .filter((e) => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
            && !e.textContent.trim()).map((e) => e.id)"""
    )
    assert unlabelled == []
    page.locator("body").focus()
    reached: list[str] = []
    for _ in range(len(controls) * 2 + 10):
        page.keyboard.press("Tab")
        here = page.evaluate(
            "() => { const e = document.activeElement; return e ? (e.id || e.dataset.testid || e.textContent.trim()) : '' }"
        )
        if reached and here == reached[0]:
            break
        reached.append(here)
    assert set(controls) <= set(reached), sorted(set(controls) - set(reached))
    # and used by keyboard alone: the mode chosen with the arrows, a document ticked with the space bar
    page.get_by_test_id("mode-check").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("mode-review")).to_be_checked()
    expect(page.get_by_test_id("decision-outcome")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("mode-check")).to_be_checked()
    page.get_by_test_id("doc-passport").focus()
    page.keyboard.press("Space")
    settle(page)
    expect(page.locator("#summary-missing-list li[data-doc='passport']")).to_have_count(0)


def _serious(page: Page) -> list[tuple[str, str, list[Any]]]:
    found = Axe().run(page).response["violations"]
    return [
        (v["impact"], v["id"], [n["target"] for n in v["nodes"]])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations(browser: Browser, server: str) -> None:  # noqa: F811
    page, errors = open_page(browser, f"{server}/?standard={SLUG}&lang=kk")
    assert _serious(page) == []  # the form
    adult_case(page)
    page.get_by_test_id("doc-application-questionnaire").check()
    settle(page)
    assert _serious(page) == []  # a report
    page.get_by_test_id("mode-review").check()
    page.get_by_test_id("decision-outcome").select_option("refused")
    settle(page)
    assert _serious(page) == []  # a review
    page.goto(f"{server}/docs")
    page.wait_for_selector("body[data-ready='true']", state="attached")
    assert _serious(page) == []  # the API's pages
    page.context.close()
    assert errors == []


def test_nothing_is_fetched_from_another_host(browser: Browser, server: str) -> None:  # noqa: F811
    """Every request to a host other than the server's is aborted and recorded: none is made by / or /docs."""
    ctx = browser.new_context(viewport=VIEWPORT)
    own = urlsplit(server).netloc
    elsewhere: list[str] = []

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    page = ctx.new_page()
    page.goto(f"{server}/?standard={SLUG}&lang=en")
    page.wait_for_selector("body[data-ready='true']", state="attached")
    adult_case(page)
    page.get_by_test_id("doc-passport").check()
    settle(page)
    page.locator("#findings button.cite").first.click()
    expect(page.get_by_test_id("paragraph-panel")).to_be_visible()
    page.goto(f"{server}/docs")
    page.wait_for_selector("body[data-ready='true']", state="attached")
    expect(page.locator("#operations")).to_contain_text("/interview")
    ctx.close()
    assert elsewhere == []


# --- 6. every word in the chosen language ----------------------------------------------------------------------

# Latin words the page may show in any language: the product's name, file formats and the API, and the
# language switch's «English» (each language is named in itself, as «Қазақша» and «Русский» are).
ALLOWED_LATIN = {"Ereje", "API", "YAML", "JSON", "English"}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_word_is_in_the_chosen_language(page: Page, lang: str) -> None:
    page.get_by_test_id(f"lang-{lang}").click()
    adult_case(page)
    page.get_by_test_id("doc-application-questionnaire").check()
    settle(page)
    page.get_by_test_id("authority-summary").click()
    text = page.locator("body").inner_text()
    version = page.get_by_test_id("rules-version").inner_text()
    words = set(re.findall(r"[A-Za-z][A-Za-z'-]+", text.replace(version, ""))) - ALLOWED_LATIN
    assert words == set(), words
    expect(page.get_by_test_id("translation-note")).to_be_hidden()
    # Kazakh letters as the rule file writes them, never mangled
    label = "Қазақстан Республикасының азаматы" if lang == "kk" else "Гражданин Республики Казахстан"
    expect(page.locator("label[for='fact-citizen']")).to_have_text(label)


def test_english_is_marked_as_a_translation(page: Page) -> None:
    note = page.get_by_test_id("translation-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("translation")
    expect(page.get_by_test_id("lang-en")).to_contain_text("(translation)")
    page.get_by_test_id("lang-kk").click()
    expect(note).to_be_hidden()
