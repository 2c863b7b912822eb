"""Diaries in the browser, at desktop and phone widths: the case manager adds a task for the
doctor from the case's page, the doctor finds it at the head of their home page and marks
it done, and a task due yesterday is refused with the reason."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from diaries.models import Task

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LISA = "GCC-2026-0202"


def test_a_task_for_the_doctor_is_added_found_on_their_home_and_marked_done(app):
    page = app.page
    case = Case.objects.get(claim_number=LISA)
    app.log_in("cm.jones")
    app.visit(case.get_absolute_url())
    tasks = page.get_by_role("region", name="Tasks")
    tasks.get_by_role("link", name="New task").click()

    page.get_by_label("What is to be done").fill("Ask for the FCE results")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Due on").fill(yesterday.isoformat())
    page.get_by_label("Who is to do it").select_option(label="Emily Chen (Clinician)")
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_text("A task cannot be due in the past")).to_be_visible()
    expect(page.get_by_label("What is to be done")).to_have_value("Ask for the FCE results")
    app.audit("task-refused-in-the-past")

    due = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Due on").fill(due.isoformat())
    page.get_by_role("button", name="Add task").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/#tasks$"))
    expect(page.get_by_role("region", name="Tasks")).to_contain_text("Ask for the FCE results")
    page.get_by_role("button", name="Log out").click()

    app.log_in("dr.chen")
    mine = page.get_by_role("region", name=re.compile(r"^My tasks"))
    expect(mine).to_contain_text("Ask for the FCE results")
    app.audit("clinician-home-my-tasks")
    mine.get_by_role("button", name=re.compile(r"^Done.*Ask for the FCE results")).click()
    expect(page.get_by_text("“Ask for the FCE results” is done.")).to_be_visible()
    expect(page.get_by_role("region", name=re.compile(r"^My tasks"))).not_to_contain_text(
        "Ask for the FCE results"
    )
    task = Task.objects.get(title="Ask for the FCE results")
    assert task.done_by.username == "dr.chen"

    page.get_by_role("link", name="All my tasks, done ones too").click()
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("main")).to_contain_text("Marked done by Emily Chen")
    app.audit("my-tasks-done")
