"""Every main page, as each role that uses it sees it: it loads, axe-core finds no serious or
critical violation at desktop and phone widths, every asset arrives, and a screenshot of each
width lands in tests/e2e/screenshots/.

One test per role walks all of that role's pages, so a run reports every failing page at once
without logging in again for each."""

import threading
from collections.abc import Callable

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from cases import services
from cases.access import cases_visible_to
from cases.models import Case, Determination, DeterminationStep, ReportExport, User
from cases.services.report_exports import report_export_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# John D. (Lone Star Mutual): Dr Chen treats him, Karen Jones manages him, Tom Baker adjusts.
JOHN = "LSM-2026-0101"
# Lisa R. (Gulf Coast Casualty, Dr Chen): no determination yet; the pages start a draft.
LISA = "GCC-2026-0202"
# Carlos V. (Lone Star Mutual, Dr Patel): a signed certification under dispute.
CARLOS = "LSM-2026-0306"
# Derek L. (Lone Star Mutual, Dr Chen): at MMI, certification signed.
DEREK = "LSM-2026-0304"


def case_url(name: str, *args, claim: str = JOHN) -> Callable[[], str]:
    def build() -> str:
        case_id = Case.objects.get(claim_number=claim).pk
        return reverse(name, args=[case_id, *args])

    return build


def first_record_url(name: str, kind: str) -> Callable[[], str]:
    def build() -> str:
        case = Case.objects.get(claim_number=JOHN)
        record = getattr(case, kind).order_by("pk").first()
        return reverse(
            name, args=[case.pk, *([] if name == "assessment-edit" else [kind]), record.pk]
        )

    return build


def draft_url(name: str, *args) -> Callable[[], str]:
    """A page of Lisa R.'s draft determination, started by Dr Chen when first needed."""

    def build() -> str:
        case = Case.objects.get(claim_number=LISA)
        draft = case.determinations.filter(status=Determination.Status.DRAFT).first()
        if draft is None:
            draft = services.determination_start(
                case=case, started_by=User.objects.get(username="dr.chen")
            )
        return reverse(name, args=[draft.pk, *args])

    return build


def signed_url(name: str) -> Callable[[], str]:
    def build() -> str:
        case = Case.objects.get(claim_number=DEREK)
        return reverse(name, args=[case.determinations.signed().get().pk])

    return build


def dispute_url(name: str) -> Callable[[], str]:
    def build() -> str:
        case = Case.objects.get(claim_number=CARLOS)
        return reverse(name, args=[case.disputes.get().pk])

    return build


def export_url(name: str, username: str) -> Callable[[], str]:
    """A page of an export of every signed certification the user can see, built as with no
    broker: in a thread of its own (away from the event loop Playwright keeps in this one),
    waited for."""

    def build() -> str:
        user = User.objects.get(username=username)
        with override_settings(REPORT_EXPORTS_IN_THREAD=True):
            export = report_export_request(
                requested_by=user, cases=cases_visible_to(user), scope=ReportExport.Scope.FILTER
            )
        builds = [t for t in threading.enumerate() if t.name == f"report-export-{export.pk}"]
        for thread in builds:
            thread.join(timeout=60)
        return reverse(name, args=[export.pk])

    return build


def plain(name: str) -> Callable[[], str]:
    return lambda: reverse(name)


STEP_PAGES = [
    (f"determination-{slug}", draft_url("determination-step", slug))
    for slug in DeterminationStep.Slug.values
]

PAGES: dict[str, list[tuple[str, Callable[[], str]]]] = {
    "dr.chen": [
        ("clinician-home", plain("home")),
        ("clinician-case-list", plain("case-list")),
        ("clinician-case", case_url("case-detail")),
        ("assessment-add", case_url("assessment-add")),
        ("assessment-edit", first_record_url("assessment-edit", "assessments")),
        ("treatment-add", case_url("record-add", "treatments")),
        ("treatment-edit", first_record_url("record-edit", "treatments")),
        ("diagnostic-add", case_url("record-add", "diagnostics")),
        ("consultation-add", case_url("record-add", "consultations")),
        ("work-status-add", case_url("work-status-add")),
        ("case-history", case_url("case-history")),
        ("determination-draft", draft_url("determination-detail")),
        *STEP_PAGES,
        ("determination-review", draft_url("determination-review")),
        ("determination-signed", signed_url("determination-detail")),
        ("determination-rescind", signed_url("determination-rescind")),
        ("calculator", plain("calculator")),
        ("digest-settings", plain("digest-settings")),
    ],
    "cm.jones": [
        ("case-manager-board", plain("home")),
        ("case-manager-case-list", plain("case-list")),
        ("case-manager-case", case_url("case-detail")),
        ("case-open", plain("case-open")),
        ("case-edit", case_url("case-edit")),
        ("dispute-add", signed_url("dispute-add")),
        ("dispute-resolve", dispute_url("dispute-resolve")),
        ("time-to-mmi", plain("time-to-mmi")),
        ("export-list", plain("export-list")),
    ],
    "adj.lonestar": [
        ("adjuster-home", plain("home")),
        ("adjuster-case-list", plain("case-list")),
        ("adjuster-case", case_url("case-detail")),
        ("adjuster-determination", signed_url("determination-detail")),
        ("adjuster-disputed-case", case_url("case-detail", claim=CARLOS)),
        ("adjuster-exports", plain("export-list")),
        ("adjuster-export", export_url("export-detail", "adj.lonestar")),
    ],
    "admin": [
        ("admin-board", plain("home")),
    ],
}


def test_login_page_is_accessible(app):
    app.visit(reverse("login"))
    app.audit("login")


@pytest.mark.parametrize("username", sorted(PAGES))
def test_every_main_page_is_accessible_and_complete(app, username):
    app.log_in(username)
    failures = []
    for name, url in PAGES[username]:
        try:
            response = app.visit(url())
            assert response is not None and response.ok, f"{name}: {response and response.status}"
            app.audit(name)
        except AssertionError as failure:
            failures.append(str(failure))
    assert not failures, "\n\n".join(failures)


def test_the_browser_refuses_script_the_page_did_not_ship(app):
    """The Content-Security-Policy holds in a real browser: an injected inline script never
    runs (our own pages need none), so text that slipped through could not run either."""
    app.visit(reverse("login"))
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        app.page.add_script_tag(content="window.injected = true;")
    assert app.page.evaluate("() => window.injected === undefined")
    blocked = [problem for problem in app.problems if "Content Security Policy" in problem]
    assert blocked, "the browser reported no CSP violation"
    app.problems = [problem for problem in app.problems if problem not in blocked]
