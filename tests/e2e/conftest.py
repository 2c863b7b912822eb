"""Browser tests: real Chromium driven by Playwright against pytest-django's live server.

One browser per session, one context per test. When Debian's headless Chromium is missing
the tests are skipped with a clear reason, unless REQUIRE_BROWSER=1 (set by .ci/run): then
they fail.
"""

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import weasyprint
from django.core.management import call_command
from django.test.utils import override_settings
from playwright.sync_api import Browser, sync_playwright
from pytest_django.live_server_helper import LiveServer
from pytest_django.plugin import blocking_manager_key

from cases.models import Instrument
from cases.reports import rendering
from tests.e2e.app import App
from tests.support.snapshot import Snapshot

# Debian's chromium-headless-shell: the same Chromium build as the `chromium` package, without
# the desktop browser around it (Playwright's own choice for headless runs). The full browser
# in its headless mode did the same work with a quarter more CPU.
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
SKIP_REASON = f"Chromium not found at {CHROMIUM}: browser tests skipped"
# Flags for a machine with no network: nothing may phone home or wait for it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # After pytest-django has put transactional tests after the others: the browser tests go
    # first among them, so the first one finds the database as the migrations left it
    # (reference data included) and the demo snapshot is taken from that.
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        rest = [item for item in items if not item.get_closest_marker("browser")]
        at = next((i for i, item in enumerate(rest) if _transactional(item)), len(rest))
        items[:] = rest[:at] + browser + rest[at:]
    if CHROMIUM.exists() or browser_required():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in browser:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "browser" in report.keywords
    ]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} browser test(s) skipped: Chromium not found at {CHROMIUM} "
            "(apt-get install chromium-headless-shell to run them; .ci/run requires them).",
            yellow=True,
        )


class BrowserRun:
    """Chromium, launched for the first browser test and closed after the last one (they run
    one after another), not at the end of the session: while Playwright's sync API is open
    it keeps an event loop running in the test thread, which makes Django refuse database
    calls as "async unsafe". DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly that stretch:
    elsewhere it must not be (`check --deploy` rightly fails wherever it is set)."""

    def __init__(self):
        self.playwright = None
        self.chromium = None

    def start(self) -> Browser:
        if self.chromium is None:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self.playwright = sync_playwright().start()
            # launch() starts Chromium on a fresh temporary profile (--user-data-dir).
            self.chromium = self.playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        return self.chromium

    def stop(self) -> None:
        if self.chromium is not None:
            self.chromium.close()
            self.playwright.stop()
            self.chromium = self.playwright = None
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


BROWSER_RUN = BrowserRun()
# The database as the migrations left it and with the demo loaded, taken by the first browser
# test of this process.
AS_MIGRATED = Snapshot("migrated")
DEMO = Snapshot("demo")


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last browser test (its fixtures are torn down by now, the database flushed):
    the tests that follow on this worker find the reference data the migrations load."""
    if item.get_closest_marker("browser") and (
        nextitem is None or not nextitem.get_closest_marker("browser")
    ):
        BROWSER_RUN.stop()
        if nextitem is not None and AS_MIGRATED.taken:
            with item.config.stash[blocking_manager_key].unblock():
                AS_MIGRATED.restore()


def pytest_unconfigure(config):
    BROWSER_RUN.stop()


@pytest.fixture
def browser() -> Browser:
    """The one Chromium of the run (a new context per test is made from it)."""
    if not CHROMIUM.exists():
        pytest.fail(f"REQUIRE_BROWSER=1 but Chromium is not installed at {CHROMIUM}.")
    return BROWSER_RUN.start()


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    """pytest-django's live server, over plain http: SecurityMiddleware reads
    SECURE_SSL_REDIRECT once, when the server builds its handler, so it is off just then.

    Per module rather than per session: a running server keeps SQLite's in-memory test
    database shared between threads, which the tests that run after these do not expect."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
    yield server
    server.stop()


@pytest.fixture
def e2e_settings(settings):
    """The live server speaks plain http on localhost."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return settings


@pytest.fixture(scope="session")
def demo_media(tmp_path_factory) -> Path:
    """Where the demo's reports live: every browser test starts from the same files."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture
def demo(live_server, e2e_settings, demo_media) -> None:
    """The demo data every journey starts from (users log in with the demo password): seeded
    by the first browser test, put back from its snapshot for the others, in a fraction of
    the seed's time (which renders PDFs)."""
    e2e_settings.MEDIA_ROOT = demo_media
    if DEMO.taken:
        DEMO.restore()
        return
    assert Instrument.objects.exists(), (
        "The browser tests need the reference data the migrations load: another "
        "transactional test emptied the database before them."
    )
    AS_MIGRATED.take()
    # The journeys read the demo's signed PDFs: WeasyPrint's, whichever test seeds it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "HTML", weasyprint.HTML)
        call_command("seed_demo", stdout=io.StringIO())
    DEMO.take()


def _open_app(browser, live_server, **context_options) -> Iterator[App]:
    # Without motion, Bootstrap runs no transitions: axe-core measures colours as they settle,
    # never halfway through a button's fade on a busy machine.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        reduced_motion="reduce",
        **context_options,
    )
    context.set_default_timeout(10_000)
    app = App(context.new_page(), live_server.url)
    yield app
    context.close()
    app.assert_no_broken_resources()


@pytest.fixture
def app(browser, live_server, demo) -> Iterator[App]:
    """A fresh browser context on the seeded live server, JavaScript on."""
    yield from _open_app(browser, live_server)


@pytest.fixture
def app_without_js(browser, live_server, demo) -> Iterator[App]:
    """The same, with JavaScript switched off: pages must read and forms must submit."""
    yield from _open_app(browser, live_server, java_script_enabled=False)
