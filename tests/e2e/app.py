"""The application as a browser test sees it: one Playwright page on the live server, with
the checks every main page must pass (axe-core, no broken assets, no console errors) and,
with E2E_SCREENSHOTS=1, screenshots at desktop and phone widths."""

import io
import os
import re
from pathlib import Path

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, Request, Response
from pypdf import PdfReader

from cases.management.commands.seed_demo import DEMO_PASSWORD
from tests.support.second_factor import next_code

ASSETS = Path(__file__).parent / "assets"
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Writing the screenshots is a quarter of an audit's time: done when asked (E2E_SCREENSHOTS=1).
SAVE_SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS") == "1"
WIDTHS = {"desktop": 1280, "phone": 390}
# Evaluated through the DevTools protocol, which a strict Content-Security-Policy (script-src
# 'self') does not govern: the policy stays switched on for everything the page does. A route
# that served it would also switch off the browser's cache and stop every request of every
# page on its way to Playwright and back.
AXE_SOURCE = (ASSETS / "axe.min.js").read_text() + "\n;undefined"
BLOCKING_IMPACTS = {"serious", "critical"}


class App:
    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        page.on("response", self._check_response)
        page.on("requestfailed", self._request_failed)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    # What a page loads must all arrive: a 404 stylesheet or a blocked script is a bug even
    # when the page still looks right. Documents are the test's business (404s are expected).
    def _check_response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    # A load cut short because the test moved on to the next page (ERR_ABORTED) is not a
    # broken asset; a missing one answers 404, caught above.
    def _request_failed(self, request: Request) -> None:
        if request.resource_type != "document" and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed to load {request.url}: {request.failure}")

    # A refused document (404, 409) logs "Failed to load resource" too; the test expects those,
    # and a refused asset is already caught by _check_response.
    def _console(self, message) -> None:
        if message.type == "error" and not re.search(r"status of 4\d\d", message.text):
            self.problems.append(f"console error: {message.text}")

    def assert_no_broken_resources(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "The page had problems:\n" + "\n".join(problems)

    def url(self, path: str) -> str:
        return self.base_url + path

    def visit(self, path: str) -> Response | None:
        return self.page.goto(self.url(path))

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.visit("/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))
        if "/account/second-factor/verify/" in self.page.url:
            self.confirm_second_factor(username)

    def confirm_second_factor(self, username: str) -> None:
        """Type the code the user's authenticator app shows, as they would."""
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        self.page.get_by_label("Code").fill(next_code(device))
        self.page.get_by_role("button", name="Confirm", exact=True).click()
        self.page.wait_for_url(re.compile(r"^(?!.*/second-factor/).*$"))

    def audit(self, name: str, *, axe: bool = True) -> None:
        """Check the page the way a person relying on it would (axe-core: no serious or
        critical violation at either width), and save its screenshots if asked."""
        # A page can show the element a test waits for before its stylesheets have loaded;
        # axe-core would then measure the browser's default colours.
        self.page.wait_for_load_state("load")
        try:
            for label, width in WIDTHS.items():
                self.page.set_viewport_size({"width": width, "height": 900})
                if SAVE_SCREENSHOTS:
                    SCREENSHOTS.mkdir(exist_ok=True)
                    path = SCREENSHOTS / f"{name}-{label}.png"
                    self.page.screenshot(path=path, full_page=True)
                if axe:
                    self.assert_accessible(f"{name} at {width} px")
                self.assert_fits(f"{name} at {width} px")
        finally:
            self.page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
        self.assert_no_broken_resources()

    def assert_fits(self, where: str) -> None:
        """Nothing pushes the page sideways: wide tables scroll inside their own box."""
        too_wide = self.page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                const scrolls = document.documentElement.scrollWidth;
                if (scrolls <= width) return null;
                const wide = e => e.getBoundingClientRect().right > width + 1;
                const clipped = e => {
                    for (let a = e.parentElement; a; a = a.parentElement) {
                        if (getComputedStyle(a).overflowX !== 'visible') return true;
                    }
                    return false;
                };
                // Where the overflow starts; positioned elements escape their scroll box
                // unless a positioned ancestor contains them.
                const culprits = [...document.querySelectorAll('body *')].filter(e =>
                    wide(e) && (['absolute', 'fixed'].includes(getComputedStyle(e).position)
                                || (!wide(e.parentElement) && !clipped(e))));
                const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (typeof e.className === 'string' && e.className.trim()
                       ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                    + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)';
                return `the page is ${scrolls} px wide: `
                    + (culprits.slice(0, 5).map(name).join(', ') || 'cause not found');
            }"""
        )
        assert too_wide is None, f"{where} scrolls sideways: {too_wide}"

    def assert_accessible(self, where: str) -> None:
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SOURCE)
        violations = self.page.evaluate(
            """async () => {
                const results = await axe.run(document, {resultTypes: ['violations']});
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                    summary: v.nodes[0].failureSummary,
                }));
            }"""
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"Accessibility violations on {where}:\n" + "\n".join(
            f"- [{v['impact']}] {v['id']}: {v['help']} at {', '.join(v['targets'])}\n"
            f"  {v['summary']}"
            for v in blocking
        )

    def download_pdf_text(self, link_name: str) -> tuple[str, str]:
        """Click a download link; the suggested file name and the PDF's text."""
        with self.page.expect_download() as download_info:
            self.page.get_by_role("link", name=link_name).first.click()
        download = download_info.value
        content = Path(download.path()).read_bytes()
        assert content.startswith(b"%PDF"), f"{download.suggested_filename} is not a PDF"
        reader = PdfReader(io.BytesIO(content))
        return download.suggested_filename, "\n".join(p.extract_text() for p in reader.pages)
