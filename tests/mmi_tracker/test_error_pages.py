"""What a person (or a claims system under /api/) sees when a request is refused or fails."""

import json

from django.test import RequestFactory
from django.urls import reverse

from mmi_tracker import error_views
from tests.support.cast import client_for

TOO_MANY_FIELDS = "&".join(f"f{n}=1" for n in range(1200))


def test_a_case_the_user_may_not_see_answers_the_sites_not_found_page(cast):
    response = client_for(cast.other_clinician).get(reverse("case-detail", args=[cast.case.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Not found · MMI Tracker</title>" in page
    assert "There is no such page, or it is not one you may see." in page
    assert 'href="/cases/"' in page


def test_a_refused_action_says_why_and_that_nothing_changed(cast):
    response = client_for(cast.clinician).get(reverse("case-open"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only case managers open cases. Nothing was changed." in page


def test_an_unreadable_request_answers_the_sites_page_or_json_under_the_api(cast):
    page = client_for(cast.case_manager).get(f"{reverse('case-list')}?{TOO_MANY_FIELDS}")
    assert page.status_code == 400
    assert "Request refused" in page.content.decode()
    api = client_for(cast.case_manager).get(f"/api/v1/cases/?{TOO_MANY_FIELDS}")
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "bad_request"


def test_a_failure_answers_the_sites_page_or_json_under_the_api():
    page = error_views.server_error(RequestFactory().get("/cases/"))
    assert page.status_code == 500
    assert "Something went wrong" in page.content.decode()
    api = error_views.server_error(RequestFactory().get("/api/v1/cases/"))
    assert api.status_code == 500
    assert json.loads(api.content)["error"]["code"] == "server_error"
