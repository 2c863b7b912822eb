"""The diary pages as a user meets them: the case's tasks and the form that adds one, "My
tasks" at the head of the home page and in full, marking a task done, and the digest."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.services.digests import digest_for, digest_message
from diaries import services, signals
from diaries.models import Task
from tests.support.cast import client_for
from tests.support.factories import CaseFactory, PatientFactory

pytestmark = pytest.mark.usefixtures("module_cast")


def today():
    return timezone.localdate()


def hand_task(case, by, to, days=0, title="Chase the MRI report"):
    return services.task_create(
        case=case, created_by=by, title=title, due_on=today() + timedelta(days=days), assignee=to
    )


def overdue_task(case, to, days=3, title="Overdue thing"):
    task = hand_task(case, to, to, title=title)
    Task.objects.filter(pk=task.pk).update(due_on=today() - timedelta(days=days))
    return task


def test_the_case_page_lists_its_tasks_and_offers_a_new_one(cast):
    hand_task(cast.case, cast.case_manager, cast.clinician, days=2)
    page = client_for(cast.adjuster).get(reverse("case-detail", args=[cast.case.pk]))
    html = page.content.decode()
    assert 'id="tasks"' in html
    assert "Chase the MRI report" in html
    assert str(cast.clinician) in html
    assert reverse("diaries:task-add", args=[cast.case.pk]) in html


def test_a_task_made_by_hand_goes_to_the_chosen_colleague(cast):
    client = client_for(cast.case_manager)
    url = reverse("diaries:task-add", args=[cast.case.pk])
    form = client.get(url)
    assert form.status_code == 200
    options = form.content.decode()
    assert str(cast.clinician) in options and str(cast.adjuster) in options
    assert str(cast.other_clinician) not in options  # not on the case: not offered
    response = client.post(
        url,
        {
            "title": "Ask for the FCE",
            "due_on": (today() + timedelta(days=5)).isoformat(),
            "assignee": cast.clinician.pk,
            "text": "Before the review.",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(title="Ask for the FCE")
    assert task.assignee == cast.clinician and task.created_by == cast.case_manager
    assert task.events.get().kind == "opened"


def test_the_assignee_is_told_once_the_task_is_saved(cast, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, task, by, **kwargs):
        received.append((task.assignee, by))

    signals.task_assigned.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            hand_task(cast.case, cast.case_manager, cast.clinician)
            hand_task(cast.case, cast.case_manager, cast.case_manager)  # for oneself: no
    finally:
        signals.task_assigned.disconnect(receiver)
    assert received == [(cast.clinician, cast.case_manager)]


def test_a_task_due_in_the_past_is_refused_with_what_was_typed_kept(cast):
    client = client_for(cast.clinician)
    url = reverse("diaries:task-add", args=[cast.case.pk])
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = client.post(
        url, {"title": "Book the IME", "due_on": yesterday, "assignee": cast.clinician.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A task cannot be due in the past" in html
    assert 'value="Book the IME"' in html and yesterday in html
    assert not Task.objects.filter(title="Book the IME").exists()


def test_a_task_for_someone_who_may_not_see_the_case_is_refused(cast):
    response = client_for(cast.case_manager).post(
        reverse("diaries:task-add", args=[cast.case.pk]),
        {"title": "Call", "due_on": today().isoformat(), "assignee": cast.other_adjuster.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Task.objects.filter(title="Call").exists()


@pytest.mark.parametrize("who", ["other_clinician", "other_case_manager", "other_adjuster"])
def test_a_case_the_user_may_not_see_answers_404(cast, who):
    task = hand_task(cast.case, cast.case_manager, cast.case_manager)
    client = client_for(getattr(cast, who))
    assert client.get(reverse("diaries:task-add", args=[cast.case.pk])).status_code == 404
    assert client.post(reverse("diaries:task-done", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert not task.is_done


def test_my_tasks_lead_the_home_page_overdue_first(cast):
    hand_task(cast.case, cast.case_manager, cast.clinician, days=4, title="Later")
    overdue_task(cast.case, cast.clinician, title="Late")
    hand_task(cast.case, cast.case_manager, cast.clinician, days=0, title="Today")
    hand_task(cast.case, cast.case_manager, cast.case_manager, title="Not mine")
    html = client_for(cast.clinician).get(reverse("home")).content.decode()
    section = html[html.index('id="my-tasks-h"') :]
    assert html.index('id="my-tasks-h"') < html.index("My unsigned drafts")
    assert section.index("Late") < section.index("Today") < section.index("Later")
    assert "Not mine" not in section
    assert "1 overdue" in section and "Overdue" in section


def test_the_task_list_filters_done_and_marks_a_task_done_with_its_token(cast):
    task = hand_task(cast.case, cast.case_manager, cast.clinician, title="Sign the report")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.clinician)
    page = client.get(reverse("diaries:task-list"))
    assert "Sign the report" in page.content.decode()
    done_url = reverse("diaries:task-done", args=[task.pk])
    assert client.post(done_url).status_code == 403  # no CSRF token
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = client.post(
        done_url, {"csrfmiddlewaretoken": token.group(1), "next": reverse("diaries:task-list")}
    )
    assert response.status_code == 302 and response.url == reverse("diaries:task-list")
    task.refresh_from_db()
    assert task.done_by == cast.clinician
    assert (
        "no open task is assigned to you"
        in client.get(reverse("diaries:task-list")).content.decode()
    )
    done = client.get(reverse("diaries:task-list"), {"state": "done"}).content.decode()
    assert "Sign the report" in done and f"Marked done by {cast.clinician}" in done


def test_a_task_on_a_case_no_longer_visible_leaves_my_list(cast):
    hand_task(cast.case, cast.case_manager, cast.clinician, title="Gone with the case")
    cast.case.care_team.remove(cast.clinician)
    html = client_for(cast.clinician).get(reverse("diaries:task-list")).content.decode()
    assert "Gone with the case" not in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _more_tasks(cast, count):
    for n in range(count):
        case = CaseFactory(case_manager=cast.case_manager, care_team=[cast.clinician])
        overdue_task(case, cast.clinician, days=n + 1, title=f"Task {n}")
        hand_task(case, cast.case_manager, cast.clinician, days=n, title=f"Later {n}")


@pytest.mark.parametrize("who", ["clinician", "case_manager", "admin"])
def test_home_and_task_list_make_the_same_queries_with_3_and_30_tasks(cast, who):
    user = getattr(cast, who)
    _more_tasks(cast, 2)
    client = client_for(user)
    few = (_queries(client, reverse("home")), _queries(client, reverse("diaries:task-list")))
    _more_tasks(cast, 15)
    many = (_queries(client, reverse("home")), _queries(client, reverse("diaries:task-list")))
    assert few == many


def test_the_case_page_makes_the_same_queries_with_3_and_30_tasks(cast):
    client = client_for(cast.case_manager)
    url = reverse("case-detail", args=[cast.case.pk])
    for n in range(3):
        hand_task(cast.case, cast.case_manager, cast.clinician, days=n)
    few = _queries(client, url)
    for n in range(27):
        hand_task(cast.case, cast.clinician, cast.adjuster, days=n)
    assert _queries(client, url) == few


def test_the_digest_lists_tasks_due_with_the_claim_number_and_no_patient(cast):
    cast.case.patient = PatientFactory(first_name="Maria", last_name="Obrien")
    Case.objects.filter(pk=cast.case.pk).update(patient=cast.case.patient)
    overdue_task(cast.case, cast.clinician, title="Ask about her back surgery")
    hand_task(cast.case, cast.case_manager, cast.clinician, days=5, title="Not yet due")
    body = digest_message(digest_for(cast.clinician, today())).body
    section = body[body.index("My tasks due today or overdue: 1") :].split("\n\n")[0]
    assert cast.case.claim_number in section and "overdue since" in section
    assert f"A task from {cast.clinician}" in section
    assert "back surgery" not in body and "Not yet due" not in body
    assert "Maria" not in section
