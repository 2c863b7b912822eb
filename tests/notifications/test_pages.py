"""The notification pages as a user meets them: the count in the navigation bar, the list,
marking read, and the choice of what comes by email."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import EmailPreference, Notification
from notifications.services import notify
from tests.support.cast import client_for
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.usefixtures("module_cast")


def tell(user, case, count=1, kind="task_assigned"):
    for number in range(count):
        notify(
            recipients=[user],
            kind=kind,
            case=case,
            text=f"Something happened, number {number}",
            link=case.get_absolute_url(),
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def badge(html):
    match = re.search(r"nav-notifications[^\n]*?>Notifications</span>(?: <span[^>]*>(\d+))?", html)
    assert match, "no notifications link in the navigation bar"
    return int(match.group(1) or 0)


def test_the_navigation_bar_counts_the_unread_notifications(cast):
    client = client_for(cast.adjuster)
    assert badge(client.get(reverse("home")).content.decode()) == 0
    tell(cast.adjuster, cast.case, 3)
    oldest = Notification.objects.filter(recipient=cast.adjuster).last()
    Notification.objects.filter(pk=oldest.pk).update(read_at=timezone.now())
    html = client.get(reverse("home")).content.decode()
    assert badge(html) == 2
    assert '2<span class="visually-hidden"> unread</span>' in html


def test_the_count_costs_one_query_and_none_for_a_visitor(cast):
    client = client_for(cast.case_manager)
    calculator = reverse("calculator")
    before = queries(client, calculator)
    tell(cast.case_manager, cast.case, 40)
    assert queries(client, calculator) == before
    with CaptureQueriesContext(connection) as context:
        client.get(calculator)
    counts = [
        q["sql"] for q in context.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(counts) == 1 and "COUNT" in counts[0]
    with CaptureQueriesContext(connection) as context:
        Client().get(reverse("login"))
    assert not any("notifications_notification" in q["sql"] for q in context.captured_queries)


def test_the_list_is_newest_first_and_its_queries_do_not_grow(cast):
    client = client_for(cast.clinician)
    tell(cast.clinician, cast.case, 2)
    url = reverse("notifications:list")
    few = queries(client, url)
    other_case = CaseFactory(care_team=[cast.clinician])
    tell(cast.clinician, other_case, 40)
    assert queries(client, url) == few
    html = client.get(url).content.decode()
    assert html.index("number 39") < html.index("number 38")
    assert "Page 1 of 2" in html
    assert other_case.claim_number in html
    assert f'href="{other_case.get_absolute_url()}"' in html


def test_a_notification_about_a_case_one_no_longer_sees_is_not_shown(cast):
    tell(cast.clinician, cast.case)
    cast.case.care_team.remove(cast.clinician)
    client = client_for(cast.clinician)
    assert "Something happened" not in client.get(reverse("notifications:list")).content.decode()
    assert badge(client.get(reverse("home")).content.decode()) == 0


def test_marking_one_read_and_all_read(cast):
    tell(cast.adjuster, cast.case, 3)
    client = client_for(cast.adjuster)
    first = Notification.objects.filter(recipient=cast.adjuster).first()
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=cast.adjuster).unread().count() == 2
    response = client.post(reverse("notifications:read-all"), follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert badge(response.content.decode()) == 0


def test_nobody_marks_anothers_notification_and_marking_needs_a_post_with_csrf(cast):
    tell(cast.adjuster, cast.case)
    mine = Notification.objects.get(recipient=cast.adjuster)
    assert (
        client_for(cast.case_manager)
        .post(reverse("notifications:read", args=[mine.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(cast.adjuster).get(reverse("notifications:read", args=[mine.pk])).status_code
        == 405
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.adjuster)
    assert strict.post(reverse("notifications:read-all")).status_code == 403
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_the_account_page_leads_to_the_email_choices(cast):
    html = client_for(cast.adjuster).get(reverse("account")).content.decode()
    assert reverse("notifications:preferences") in html


def test_email_choices_are_saved_but_a_safety_alert_cannot_be_turned_off(cast):
    client = client_for(cast.clinician)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="safety_alert"[^>]*disabled', page)
    assert re.search(r'<input[^>]*name="certification_signed"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="record_added"[^>]*checked', page)
    response = client.post(url, {"record_added": "on"}, follow=True)
    assert "Your email choices are saved." in response.content.decode()
    chosen = dict(EmailPreference.objects.filter(user=cast.clinician).values_list("kind", "email"))
    assert chosen["record_added"] is True
    assert chosen["certification_signed"] is False
    assert "safety_alert" not in chosen
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="safety_alert"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="record_added"[^>]*checked', page)
