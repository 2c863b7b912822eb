"""The daily digest email (locmem backend): what it says for each role, when it is sent
(the user's hour, once a day), failures retried, and the settings page."""

from datetime import datetime, timedelta
from smtplib import SMTPException
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse

from cases import tasks
from cases.models import Case, CaseStatus, Patient, User
from cases.services.digests import users_due_digest
from tests.support.cast import client_for
from tests.support.factories import (
    CaseFactory,
    DeterminationFactory,
    odi_tracked,
)

CHICAGO = ZoneInfo("America/Chicago")
MORNING = datetime(2026, 3, 10, 7, 5, tzinfo=CHICAGO)


@pytest.fixture
def at_seven():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def worklists(cast, at_seven):
    """The cast's case is overdue a review and in treatment with no assessment; the
    clinician has a draft on it. Another manager's case is overdue too."""
    today = MORNING.date()
    Case.objects.filter(pk=cast.case.pk).update(
        next_review_date=today - timedelta(days=3), status=CaseStatus.IN_TREATMENT
    )
    cast.case.patient.first_name, cast.case.patient.last_name = "Maria", "<b>O'Brien</b>"
    cast.case.patient.save()
    DeterminationFactory(case=cast.case, version=1, certifying_clinician=cast.clinician)
    cast.elsewhere = CaseFactory(next_review_date=today - timedelta(days=1))
    return cast


def _digest_for(user: User, mailoutbox) -> EmailMessage:
    tasks.send_due_digests.delay()
    mine = [message for message in mailoutbox if message.to == [user.email]]
    assert len(mine) == 1, [message.to for message in mailoutbox]
    return mine[0]


def test_case_manager_digest_lists_the_status_board_worklists(worklists, mailoutbox):
    message = _digest_for(worklists.case_manager, mailoutbox)
    case = worklists.case

    assert message.subject == "MMI Tracker: 2 items due today"
    body = message.body
    assert "Your MMI Tracker worklists on 10 Mar 2026:" in body
    assert "Reviews overdue: 1" in body
    assert "No assessment in 30 days: 1" in body
    assert f"- {case.claim_number}. Review was due 7 Mar 2026" in body
    assert f"http://127.0.0.1:8000/cases/{case.pk}/" in body
    assert worklists.elsewhere.claim_number not in body
    assert "My unsigned determination drafts" not in body
    assert "http://127.0.0.1:8000/account/digest/" in body


def test_clinician_digest_lists_cases_due_an_assessment_and_their_drafts(worklists, mailoutbox):
    message = _digest_for(worklists.clinician, mailoutbox)
    case = worklists.case

    body = message.body
    assert "My cases due an assessment: 1" in body
    assert f"- {case.claim_number}. In treatment with no assessment" in body
    assert "My unsigned determination drafts: 1" in body
    assert "Draft v1 started 10 Mar 2026." in body
    assert "Reviews overdue" not in body
    assert worklists.elsewhere.claim_number not in body


def scored_case(cast, claim: str, odi: list[str]) -> Case:
    """A case of the cast's manager and clinician in treatment, tracking ODI, scored 12, 6
    and 0 weeks ago."""
    case = CaseFactory(claim_number=claim, case_manager=cast.case_manager)
    case.care_team.add(cast.clinician)
    case.status = CaseStatus.IN_TREATMENT
    case.save()
    return odi_tracked(case, odi, ending=MORNING.date())


@pytest.mark.parametrize("role", ["case_manager", "clinician"])
def test_the_digest_names_no_patient_and_no_score(worklists, mailoutbox, role):
    scored_case(worklists, "FLAT-1", ["50", "44", "42"])
    scored_case(worklists, "WORSE-1", ["50", "40", "52"])

    body = _digest_for(getattr(worklists, role), mailoutbox).body
    assert "- FLAT-1. Every tracked measure has plateaued: due an MMI review." in body
    assert "- WORSE-1. A tracked measure is deteriorating and needs attention." in body
    assert f"- {worklists.case.claim_number}. " in body
    for patient in Patient.objects.all():
        assert str(patient) not in body
    assert "O'Brien" not in body
    assert "ODI" not in body
    assert "points worse" not in body


def test_a_user_with_nothing_due_is_told_so(cast, at_seven, mailoutbox):
    message = _digest_for(cast.other_clinician, mailoutbox)

    assert message.subject == "MMI Tracker: nothing due today"
    assert "Nothing is due on your MMI Tracker worklists on 10 Mar 2026." in message.body


def test_adjusters_and_administrators_get_no_digest(worklists, mailoutbox):
    tasks.send_due_digests.delay()

    recipients = {address for message in mailoutbox for address in message.to}
    assert worklists.adjuster.email not in recipients
    assert worklists.admin.email not in recipients
    assert worklists.case_manager.email in recipients


def test_the_digest_waits_for_the_users_hour(cast, mailoutbox):
    User.objects.filter(pk=cast.case_manager.pk).update(digest_hour=9)

    with time_machine.travel(MORNING.replace(hour=8, minute=59), tick=False):
        tasks.send_due_digests.delay()
    assert cast.case_manager.email not in [m.to[0] for m in mailoutbox]

    with time_machine.travel(MORNING.replace(hour=9, minute=0), tick=False):
        tasks.send_due_digests.delay()
    assert [m.to[0] for m in mailoutbox].count(cast.case_manager.email) == 1


def test_the_digest_is_sent_once_a_day_and_a_missed_hour_is_caught_up(cast, mailoutbox):
    def sent() -> int:
        return [m.to[0] for m in mailoutbox].count(cast.case_manager.email)

    # The hourly run at 07:00 did not happen; the 10:00 run catches up.
    with time_machine.travel(MORNING.replace(hour=10), tick=False):
        tasks.send_due_digests.delay()
        tasks.send_due_digests.delay()
    assert sent() == 1
    with time_machine.travel(MORNING.replace(hour=23), tick=False):
        tasks.send_due_digests.delay()
    assert sent() == 1
    with time_machine.travel(MORNING + timedelta(days=1), tick=False):
        tasks.send_due_digests.delay()
    assert sent() == 2


def test_users_who_turned_it_off_or_have_no_address_get_nothing(cast, at_seven, mailoutbox):
    User.objects.filter(pk=cast.case_manager.pk).update(digest_enabled=False)
    User.objects.filter(pk=cast.clinician.pk).update(email="")

    tasks.send_due_digests.delay()

    recipients = {address for message in mailoutbox for address in message.to}
    assert cast.case_manager.email not in recipients
    assert "" not in recipients
    assert cast.other_clinician.email in recipients


def test_a_digest_that_could_not_be_sent_is_sent_by_a_later_run(cast, at_seven, mailoutbox):
    with mock.patch.object(EmailMessage, "send", side_effect=SMTPException("server down")):
        tasks.send_digest.delay(user_id=cast.case_manager.pk)
    cast.case_manager.refresh_from_db()
    assert cast.case_manager.last_digest_sent_on is None

    tasks.send_due_digests.delay()

    cast.case_manager.refresh_from_db()
    assert cast.case_manager.last_digest_sent_on == MORNING.date()
    assert [m.to[0] for m in mailoutbox].count(cast.case_manager.email) == 1


def test_a_digest_task_delivered_twice_sends_one_email(cast, at_seven, mailoutbox):
    tasks.send_digest.delay(user_id=cast.case_manager.pk)
    tasks.send_digest.delay(user_id=cast.case_manager.pk)

    assert len(mailoutbox) == 1


@pytest.mark.parametrize("extra_cases", [0, 5])
def test_the_due_users_are_found_in_one_query(
    cast, at_seven, extra_cases, django_assert_num_queries
):
    for _ in range(extra_cases):
        CaseFactory()
    with django_assert_num_queries(1):
        due = users_due_digest(now=MORNING)

    assert cast.case_manager.pk in due


# --- The settings page -------------------------------------------------------------------


def test_a_case_manager_turns_the_digest_off(cast):
    client = client_for(cast.case_manager)

    response = client.post(reverse("digest-settings"), {"hour": "7"}, follow=True)

    cast.case_manager.refresh_from_db()
    assert cast.case_manager.digest_enabled is False
    assert "Daily digests are off." in response.content.decode()


def test_a_clinician_moves_the_digest_to_another_hour(cast):
    client = client_for(cast.clinician)

    page = client.get(reverse("digest-settings")).content.decode()
    assert 'value="7" selected' in page
    response = client.post(reverse("digest-settings"), {"enabled": "on", "hour": "16"}, follow=True)

    cast.clinician.refresh_from_db()
    assert (cast.clinician.digest_enabled, cast.clinician.digest_hour) == (True, 16)
    assert "Your daily digest will come at 16:00." in response.content.decode()


@pytest.mark.parametrize("hour", ["24", "-1", "seven", ""])
def test_an_hour_outside_the_day_is_refused_next_to_the_field(cast, hour):
    response = client_for(cast.case_manager).post(
        reverse("digest-settings"), {"enabled": "on", "hour": hour}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["hour"]
    assert 'id="error_1_id_hour"' in response.content.decode()
    cast.case_manager.refresh_from_db()
    assert cast.case_manager.digest_hour == 7


def test_adjusters_have_no_digest_settings(cast):
    assert client_for(cast.adjuster).get(reverse("digest-settings")).status_code == 403
    assert (
        client_for(cast.adjuster).post(reverse("digest-settings"), {"hour": "8"}).status_code == 403
    )


def test_send_digests_command_does_the_hourly_run_for_cron(cast, at_seven, mailoutbox, capsys):
    call_command("send_digests")
    call_command("send_digests")

    recipients = [message.to[0] for message in mailoutbox]
    assert recipients.count(cast.case_manager.email) == 1
    assert "0 digests sent." in capsys.readouterr().out
