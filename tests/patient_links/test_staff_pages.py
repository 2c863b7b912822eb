"""The staff's side: sending a set by email or showing it with its QR code, the case page's
questionnaires panel with sent, opened, completed and expired links, the clinician's "to
review" list, marking reviewed, and the board's completion rate by case manager."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from patient_links.models import QuestionnaireLink
from tests.support.cast import client_for
from tests.support.factories import (
    AdministratorFactory,
    CaseFactory,
    CaseManagerFactory,
    ClinicianFactory,
    PatientFactory,
)
from tests.support.questionnaire_links import (
    answer_everything,
    expire,
    running_plan,
    send_link,
    shipped,
    token_in_last_email,
)


@pytest.fixture
def patient(cast):
    patient = cast.case.patient
    patient.email = "pat@example.invalid"
    patient.save()
    return patient


def _new(cast):
    return reverse("patient_links:link-new", args=[cast.case.pk])


def _picked(*names):
    return [str(instrument.pk) for instrument in shipped(*names)]


@pytest.mark.parametrize("who", ["clinician", "case_manager"])
def test_a_clinician_or_case_manager_emails_a_set_to_the_patient(
    cast, patient, who, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(getattr(cast, who)).post(
            _new(cast), {"instruments": _picked("PHQ-9", "NPRS"), "channel": "email"}
        )
    assert response.status_code == 302
    assert response["Location"].endswith("#questionnaires")
    assert mail.outbox[-1].to == ["pat@example.invalid"]
    token = token_in_last_email()
    assert client_for(None).get(f"/q/{token}/").status_code == 200


def test_showing_the_link_gives_its_url_and_qr_code_once(cast, patient, settings):
    settings.SITE_URL = "https://mmi.example.org"
    response = client_for(cast.clinician).post(
        _new(cast), {"instruments": _picked("NPRS"), "channel": "shown"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    url = re.search(r'value="(https://mmi\.example\.org/q/[A-Za-z0-9_-]{43}/)"', page).group(1)
    assert "<svg" in page and 'aria-label="QR code of the link"' in page
    assert "shown once only" in page
    assert not mail.outbox
    token = url.rsplit("/", 2)[1]
    assert client_for(None).get(f"/q/{token}/").status_code == 200


def test_email_to_a_patient_without_an_address_is_refused_in_the_page(cast):
    response = client_for(cast.clinician).post(
        _new(cast), {"instruments": _picked("NPRS"), "channel": "email"}
    )
    assert response.status_code == 400
    assert "no email address on file" in response.content.decode()
    assert not QuestionnaireLink.objects.exists()


def test_a_set_without_a_questionnaire_is_refused(cast, patient):
    response = client_for(cast.clinician).post(_new(cast), {"channel": "email"})
    assert response.status_code == 400
    assert "Choose at least one questionnaire." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_clinician", 404), ("other_case_manager", 404), ("adjuster", 403), ("admin", 403)],
)
def test_only_the_cases_clinicians_and_case_manager_send(cast, patient, who, status):
    response = client_for(getattr(cast, who)).post(
        _new(cast), {"instruments": _picked("NPRS"), "channel": "email"}
    )
    assert response.status_code == status
    assert not QuestionnaireLink.objects.exists()


def _submitted(cast, *names, pick=min):
    sent = send_link(cast.case, cast.clinician, *names)
    client = client_for(None)
    answer_everything(client, sent.token, pick=pick)
    client.post(f"/q/{sent.token}/send/")
    return QuestionnaireLink.objects.get(pk=sent.link.pk)


def test_the_case_page_counts_sent_opened_completed_and_expired_links(cast, patient):
    _submitted(cast, "NPRS")
    opened = send_link(cast.case, cast.clinician, "NPRS")
    client_for(None).get(f"/q/{opened.token}/")
    expired = send_link(cast.case, cast.case_manager, "NPRS")
    expire(expired.link)
    send_link(cast.case, cast.clinician, "PHQ-9")
    page = client_for(cast.case_manager).get(cast.case.get_absolute_url()).content.decode()
    counts = page.split('id="questionnaire-counts">')[1].split("</p>")[0]
    assert re.sub(r"<[^>]+>", " ", counts).split() == [
        "Sent",
        "4",
        "Opened",
        "2",
        "Completed",
        "1",
        "Expired",
        "1",
    ]
    section = page[page.index('id="questionnaires"') :].split("</section>")[0]
    assert "Not opened" in section and "Opened, not sent yet" in section
    assert "Completed" in section and "Expired" in section


def test_a_completed_response_is_on_the_clinicians_list_to_review_until_marked(cast, patient):
    link = _submitted(cast, "NPRS")
    home = client_for(cast.clinician).get(reverse("home")).content.decode()
    assert "Patient questionnaires to review" in home
    assert reverse("patient_links:link-answers", args=[link.pk]) in home
    mark = reverse("patient_links:link-reviewed", args=[link.pk])
    assert client_for(cast.clinician).post(mark).status_code == 302
    link.refresh_from_db()
    assert link.reviewed_by == cast.clinician and link.reviewed_at is not None
    home = client_for(cast.clinician).get(reverse("home")).content.decode()
    assert "Patient questionnaires to review" not in home
    page = client_for(cast.clinician).get(cast.case.get_absolute_url()).content.decode()
    assert f"Reviewed by {cast.clinician}" in page


def test_the_clinician_reads_each_answer_with_its_label_and_the_scores(cast, patient):
    link = _submitted(cast, "PHQ-9", "NPRS", pick=max)
    panel = client_for(cast.clinician).get(cast.case.get_absolute_url()).content.decode()
    answers = reverse("patient_links:link-answers", args=[link.pk])
    assert f'href="{answers}"' in panel

    page = client_for(cast.clinician).get(answers)

    assert page.status_code == 200
    html = " ".join(page.content.decode().split())
    assert "Safety answer." in html
    assert "Patient Health Questionnaire (PHQ-9)" in html and "Score <strong>27</strong>" in html
    assert (
        "<td>Thoughts that you would be better off dead or of hurting yourself in some way</td>"
        " <td>3 · Nearly every day</td>"
    ) in html
    assert '<tr class="table-danger">' in html  # item 9, above its alert
    assert (
        "Score <strong>10</strong>" in html and "<td>10 · 10 – Worst pain imaginable</td>" in html
    )
    viewed = AccessLogEntry.objects.filter(user=cast.clinician, case=cast.case).latest("pk")
    assert viewed.detail.startswith("Questionnaire answers sent ")


def test_the_answers_page_makes_the_same_queries_for_one_item_and_for_ten(cast, patient):
    one, ten = _submitted(cast, "NPRS"), _submitted(cast, "PHQ-9", "NPRS")
    client = client_for(cast.case_manager)
    counts = []
    for link in (one, ten):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("patient_links:link-answers", args=[link.pk])).status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_nobody_without_the_case_sees_or_marks_a_response(cast, patient):
    link = _submitted(cast, "NPRS")
    other = client_for(cast.other_clinician)
    assert "to review" not in other.get(reverse("home")).content.decode()
    mark = reverse("patient_links:link-reviewed", args=[link.pk])
    assert other.post(mark).status_code == 404
    assert client_for(cast.case_manager).post(mark).status_code == 403
    link.refresh_from_db()
    assert link.reviewed_at is None


def test_the_board_shows_each_case_managers_completion_rate(cast, patient):
    _submitted(cast, "NPRS")
    _submitted(cast, "NPRS")
    expired = send_link(cast.case, cast.clinician, "NPRS")
    expire(expired.link)
    send_link(cast.case, cast.clinician, "NPRS")  # still open: not counted yet
    page = client_for(cast.admin).get(reverse("home")).content.decode()
    section = page[page.index('id="completion-h"') :].split("</section>")[0]
    row = re.sub(r"<[^>]+>", " ", section.split(str(cast.case_manager))[1].split("</tr>")[0])
    assert row.split() == ["4", "2", "1", "67", "%"]
    # A case manager sees their own cases' rate only.
    other = client_for(cast.other_case_manager).get(reverse("home")).content.decode()
    assert str(cast.case_manager) not in other


def _busy_manager(links: int):
    manager = CaseManagerFactory()
    for _ in range(links):
        case = CaseFactory(
            case_manager=manager,
            patient=PatientFactory(email="p@example.invalid"),
            care_team=[ClinicianFactory()],
        )
        send_link(case, manager, "NPRS")
    return manager


@pytest.mark.parametrize("links", [1, 6])
def test_the_board_completion_is_one_query_whatever_the_links(db, links, django_assert_num_queries):
    from patient_links import selectors

    for _ in range(2):
        _busy_manager(links)
    admin = AdministratorFactory()
    with django_assert_num_queries(1):
        rows = selectors.completion_by_case_manager(admin)
    assert sum(row.sent for row in rows) == 2 * links


@pytest.mark.parametrize("links", [1, 8])
def test_the_case_panel_makes_the_same_queries_whatever_the_links(
    cast, patient, links, django_assert_num_queries
):
    from patient_links import selectors

    running_plan(cast)
    for _ in range(links):
        send_link(cast.case, cast.clinician, "PHQ-9", "NPRS")
    with django_assert_num_queries(5):
        panel = selectors.case_links(cast.case)
    assert panel.sent == links


@pytest.mark.parametrize("links", [1, 8])
def test_the_to_review_list_is_one_query(cast, patient, links, django_assert_num_queries):
    from patient_links import selectors

    for _ in range(links):
        _submitted(cast, "NPRS")
    with django_assert_num_queries(1):
        rows = selectors.to_review(cast.clinician)
    assert len(rows) == links


def test_the_case_page_makes_the_same_queries_whatever_the_links(cast, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.clinician)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(cast.case.get_absolute_url()).status_code == 200
        return len(captured)

    _submitted(cast, "NPRS")
    send_link(cast.case, cast.clinician, "NPRS")
    few = queries()
    for _ in range(5):
        send_link(cast.case, cast.case_manager, "PHQ-9", "NPRS")
    expire(send_link(cast.case, cast.clinician, "NPRS").link)
    assert queries() == few
