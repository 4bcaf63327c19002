"""A screenshot of the clerk's form at 1366×768 for the docs: docs/screenshots/form.png.

Starts `ereje serve` on a free local port (or uses --url) and fills in, in Kazakh, a case of the bundled
exit-permanent-residence-2011 rules handed in on 09.04.2013: an adult citizen with the complete set, so
the form shows only the questions that matter, and the result panel the verdict, no missing document and
the due date moved past Victory Day, the transferred day off and the weekend.

    .venv/bin/python docs/make_form_screenshot.py [--url http://127.0.0.1:8000] [--lang kk]
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from make_screenshots import CHROMIUM, LAUNCH_ARGS, SLUG, server, wait_report
from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots" / "form.png"


def fill(page: Page) -> None:
    """An adult citizen files in person at the unit of his residence, with every document, on 09.04.2013."""
    page.get_by_test_id("submitted-on").fill("2013-04-09")
    page.get_by_test_id("fact-citizen").check()
    page.get_by_test_id("fact-age").fill("35")
    page.get_by_test_id("fact-submitted_by").select_option("applicant")
    page.get_by_test_id("fact-files_at_residence").check()
    page.wait_for_timeout(400)
    wait_report(page)
    page.get_by_test_id("facts-all-no").click()
    for doc in ("application-questionnaire", "identity-card", "passport", "state-duty-receipt-copy"):
        page.get_by_test_id(f"doc-{doc}").check()
    page.get_by_test_id("form-state-duty-receipt-copy").select_option("copy")
    page.get_by_test_id("payment-amount").fill("1731")
    page.get_by_test_id("payment-date").fill("2013-04-09")
    page.wait_for_timeout(400)
    wait_report(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running `ereje serve` (default: start one)")
    parser.add_argument("--lang", default="kk", choices=["kk", "ru", "en"])
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(server(None))
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        # (the date inputs are drawn in the browser's own language, en-US in Debian's Chromium without
        # chromium-l10n: a clerk's browser in Russian or Kazakh shows them as 09.04.2013)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/?standard={SLUG}&lang={args.lang}")
        page.wait_for_selector("body[data-ready='true']", state="attached")
        fill(page)
        page.evaluate("() => window.scrollTo(0, 0)")
        OUT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT))
        browser.close()
    print(OUT)


if __name__ == "__main__":
    main()
