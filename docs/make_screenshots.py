"""Screenshots of the clerk's page for the README: docs/screenshot-{check,review,print}.png.

Starts `ereje serve` on a free local port (or uses --url), fills in a case of the bundled
exit-permanent-residence-2011 rules in Debian's Chromium driven by Playwright, and saves what a
clerk sees: the pre-check (English), a review of a refusal (Kazakh), and the printable view (Russian).

    .venv/bin/python docs/make_screenshots.py [--url http://127.0.0.1:8000] [--out docs]
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SLUG = "exit-permanent-residence-2011"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def server(rules: Path | None) -> Iterator[str]:
    port = free_port()
    cmd = [sys.executable, "-m", "validator.surfaces.cli", "serve", "--port", str(port)]
    if rules:
        cmd += ["--rules", str(rules)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise SystemExit(f"the server did not start:\n{err}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def wait_report(page: Page) -> None:
    """Wait until the newest report is shown (the page's CSP forbids wait_for_function's eval)."""
    page.wait_for_selector("body[data-busy='false']", state="attached")


def fill_case(page: Page) -> None:
    """An adult citizen files in person at the place of residence, with the questionnaire and identity card."""
    page.get_by_test_id("standard").select_option(SLUG)
    page.wait_for_selector("#fact-citizen")
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


# The papers (validator/report/papers.py) as the CLI prints them: (file, ereje arguments).
PAPERS = (
    ("paper-talon.png", ["check", f"cases/{SLUG}/01-accept-adult.yaml", "--paper", "talon", "--lang", "kk"]),
    (
        "paper-receipt.png",
        [
            "check",
            "cases/childbirth-childcare-benefits-2012/10-centre-plain-copies.yaml",
            "--paper",
            "receipt",
            "--lang",
            "ru",
        ],
    ),
    (
        "paper-conclusion.png",
        ["review", f"cases/{SLUG}/09-review-unlawful-refusal.yaml", "--paper", "conclusion", "--lang", "kk"],
    ),
)


def paper_screenshots(browser: Any, out: Path) -> list[Path]:
    """The talon (kk), the receipt of a refusal to accept (ru) and a review's conclusion (kk), each as the
    CLI prints it, laid out on an A4-wide page."""
    made = []
    page = browser.new_page(viewport={"width": 794, "height": 1123}, device_scale_factor=1)
    for name, args in PAPERS:
        cmd = [sys.executable, "-m", "validator.surfaces.cli", *args]
        html = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False).stdout.decode("utf-8")
        if not html.startswith("<!doctype html>"):
            raise SystemExit(f"{' '.join(args)} printed no paper")
        page.set_content(html)
        page.screenshot(path=str(out / name), full_page=True)
        made.append(out / name)
    page.close()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="use a running server instead of starting one")
    parser.add_argument("--rules", type=Path, help="rules folder for the started server")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--papers-only", action="store_true", help="only the papers (no server)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        stack.callback(browser.close)
        for made in paper_screenshots(browser, args.out):
            print(made)
        if args.papers_only:
            return
        url = args.url or stack.enter_context(server(args.rules))
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready='true']")
        page.get_by_test_id("lang-en").click()

        # 1. the pre-check: the missing passport and duty receipt, each with its paragraph, one opened
        fill_case(page)
        page.locator("#findings [data-subject='passport'] button.cite").click()
        page.wait_for_selector("#paragraph:not([hidden])")
        page.screenshot(path=str(args.out / "screenshot-check.png"))  # the viewport: what the clerk sees
        page.get_by_test_id("paragraph-close").click()

        # 2. a review, in Kazakh: refused "for incomplete documents" (not a ground of §16), all documents in
        page.get_by_test_id("lang-kk").click()
        page.get_by_test_id("doc-passport").check()
        page.get_by_test_id("doc-state-duty-receipt-copy").check()
        page.get_by_test_id("form-state-duty-receipt-copy").select_option("copy")
        page.get_by_test_id("payment-amount").fill("1731")
        page.get_by_test_id("payment-date").fill("2013-05-06")
        page.get_by_test_id("mode-review").check()
        page.get_by_test_id("event-decided").fill("2013-06-20T10:00")
        page.get_by_test_id("decision-outcome").select_option("refused")
        page.get_by_test_id("decision-other-grounds").fill("құжаттар толық емес")
        page.get_by_test_id("decision-demanded").fill("marriage-certificate")
        page.wait_for_selector("#verdict[data-verdict='unlawful']")
        wait_report(page)
        page.locator("#report-heading").click()  # no focus ring in the picture
        page.screenshot(path=str(args.out / "screenshot-review.png"), full_page=True)

        # 3. the printable view of the pre-check once everything is in, in Russian: what to hand the applicant
        page.get_by_test_id("mode-check").check()
        page.get_by_test_id("event-decided").fill("")
        page.get_by_test_id("lang-ru").click()
        page.wait_for_selector("#verdict[data-verdict='accept']")
        wait_report(page)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.screenshot(path=str(args.out / "screenshot-print.png"), full_page=True)
    for name in ("check", "review", "print"):
        print(args.out / f"screenshot-{name}.png")


if __name__ == "__main__":
    main()
