"""A case's plan: the task queue sends each link on its day, reminds once three days later
if unanswered, and stops at MMI (a signed certification) or when the case is closed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import events
from cases.models import Case, CaseStatus, Determination
from patient_links import services, tasks
from patient_links.models import PlanStop, QuestionnaireLink, QuestionnairePlan
from tests.support.cast import client_for
from tests.support.questionnaire_links import URL_IN_TEXT, answer_everything, shipped
from tests.support.reports import determination


@pytest.fixture
def patient(cast):
    patient = cast.case.patient
    patient.email = "pat@example.invalid"
    patient.save()
    return patient


@pytest.fixture
def plan(cast, patient):
    return services.plan_start(
        case=cast.case,
        created_by=cast.clinician,
        instruments=shipped("NPRS"),
        every_days=14,
        starts_on=timezone.localdate(),
    )


def _run_day(days: int, django_capture_on_commit_callbacks) -> dict:
    with time_machine.travel(timezone.now() + timedelta(days=days)):
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.send_planned_links()


def test_a_plan_is_made_from_the_case_page_every_two_weeks(cast, patient):
    response = client_for(cast.case_manager).post(
        reverse("patient_links:plan-new", args=[cast.case.pk]),
        {
            "instruments": [str(i.pk) for i in shipped("PHQ-9", "NPRS")],
            "every_weeks": "2",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    plan = QuestionnairePlan.objects.get()
    assert plan.every_days == 14 and plan.is_running
    page = client_for(cast.case_manager).get(cast.case.get_absolute_url()).content.decode()
    assert "every 2 weeks until MMI" in page


def test_the_queue_sends_each_link_on_its_day_and_not_twice(
    cast, plan, django_capture_on_commit_callbacks
):
    assert _run_day(0, django_capture_on_commit_callbacks)["sent"] == 1
    assert _run_day(0, django_capture_on_commit_callbacks)["sent"] == 0
    assert _run_day(13, django_capture_on_commit_callbacks)["sent"] == 0
    assert _run_day(14, django_capture_on_commit_callbacks)["sent"] == 1
    assert QuestionnaireLink.objects.filter(plan=plan).count() == 2
    sent = [m for m in mail.outbox if "reminder" not in m.body.lower()]
    assert len(sent) == 2 and sent[0].to == ["pat@example.invalid"]


def test_an_unanswered_link_is_reminded_once_three_days_later(
    cast, plan, django_capture_on_commit_callbacks
):
    _run_day(0, django_capture_on_commit_callbacks)
    first = URL_IN_TEXT.search(mail.outbox[-1].body).group(1)
    assert _run_day(2, django_capture_on_commit_callbacks)["reminded"] == 0
    assert _run_day(3, django_capture_on_commit_callbacks)["reminded"] == 1
    assert "This is a reminder" in mail.outbox[-1].body
    second = URL_IN_TEXT.search(mail.outbox[-1].body).group(1)
    assert second != first
    assert _run_day(4, django_capture_on_commit_callbacks)["reminded"] == 0
    # Both links open the same questionnaire, its answers kept.
    client = client_for(None)
    client.post(f"/q/{first}/1/", {"answer": "5", "action": "answer"})
    assert "You answered 1 of 1" in client.get(f"/q/{second}/send/").content.decode()


def test_an_answered_link_is_not_reminded(cast, plan, django_capture_on_commit_callbacks):
    _run_day(0, django_capture_on_commit_callbacks)
    token = URL_IN_TEXT.search(mail.outbox[-1].body).group(1)
    client = client_for(None)
    answer_everything(client, token)
    client.post(f"/q/{token}/send/")
    assert _run_day(3, django_capture_on_commit_callbacks)["reminded"] == 0


def test_the_plan_stops_when_mmi_is_certified(cast, plan, django_capture_on_commit_callbacks):
    signed = determination(cast.case, cast.clinician, mmi_reached=True)
    with django_capture_on_commit_callbacks(execute=True):
        events.send_on_commit(events.certification_signed, Determination, determination=signed)
    plan.refresh_from_db()
    assert plan.stop_reason == PlanStop.MMI and not plan.is_running
    assert _run_day(14, django_capture_on_commit_callbacks)["sent"] == 0


def test_a_certification_not_at_mmi_keeps_the_plan(cast, plan, django_capture_on_commit_callbacks):
    signed = determination(cast.case, cast.clinician, mmi_reached=False)
    with django_capture_on_commit_callbacks(execute=True):
        events.send_on_commit(events.certification_signed, Determination, determination=signed)
    plan.refresh_from_db()
    assert plan.is_running


@pytest.mark.parametrize(
    ("status", "reason"), [(CaseStatus.CLOSED, PlanStop.CLOSED), (CaseStatus.AT_MMI, PlanStop.MMI)]
)
def test_the_plan_stops_when_it_finds_the_case_closed_or_at_mmi(
    cast, plan, status, reason, django_capture_on_commit_callbacks
):
    Case.objects.filter(pk=cast.case.pk).update(status=status)
    counts = _run_day(0, django_capture_on_commit_callbacks)
    assert counts["stopped"] == 1 and counts["sent"] == 0
    plan.refresh_from_db()
    assert plan.stop_reason == reason
    assert not mail.outbox


def test_a_plan_is_stopped_by_hand(cast, plan):
    response = client_for(cast.clinician).post(reverse("patient_links:plan-stop", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.stop_reason == PlanStop.BY_HAND and plan.stopped_by == cast.clinician


def test_a_new_plan_replaces_the_running_one(cast, plan):
    services.plan_start(
        case=cast.case,
        created_by=cast.case_manager,
        instruments=shipped("PHQ-9"),
        every_days=7,
        starts_on=timezone.localdate(),
    )
    assert QuestionnairePlan.objects.filter(stopped_at__isnull=True).count() == 1
    plan.refresh_from_db()
    assert not plan.is_running


def test_nobody_without_the_case_stops_its_plan(cast, plan):
    stop = reverse("patient_links:plan-stop", args=[plan.pk])
    assert client_for(cast.other_case_manager).post(stop).status_code == 404
    assert client_for(cast.adjuster).post(stop).status_code == 403
    plan.refresh_from_db()
    assert plan.is_running
