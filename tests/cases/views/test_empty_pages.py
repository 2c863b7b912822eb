"""A fresh user with no case yet: every empty list says what to do next, with the action
beside it when the user may take it."""

import pytest
from django.urls import reverse

from tests.support.cast import client_for
from tests.support.factories import (
    AdjusterFactory,
    CaseManagerFactory,
    ClinicianFactory,
)


def page(user, name: str) -> str:
    response = client_for(user).get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def clinician(db):
    return ClinicianFactory()


@pytest.fixture
def manager(db):
    return CaseManagerFactory()


@pytest.fixture
def adjuster(db):
    return AdjusterFactory()


def test_a_new_clinicians_home_says_who_assigns_cases(clinician):
    home = page(clinician, "home")
    assert "No cases are assigned to you yet. A case manager adds you to a case's care team" in home
    assert "start its determination from the case's page" in home
    assert "recorded from a case's page" in home


def test_a_new_case_managers_board_offers_to_open_a_case(manager):
    board = page(manager, "home")
    assert "No cases yet." in board
    assert f'href="{reverse("case-open")}">Open a case</a>' in board
    assert "Nothing here today." not in board  # no empty worklists before the first case


def test_an_empty_case_list_offers_to_open_the_first_case(manager):
    cases = page(manager, "case-list")
    assert (
        f'You have no cases yet. <a href="{reverse("case-open")}">Open the first case</a>' in cases
    )


def test_an_empty_case_list_tells_a_clinician_who_assigns_cases(clinician):
    cases = page(clinician, "case-list")
    assert "A case manager adds you to a case's care team" in cases
    assert reverse("case-open") not in cases


def test_no_exports_yet_leads_to_the_case_list(adjuster):
    exports = page(adjuster, "export-list")
    assert "You have no exports yet. Tick the cases with a signed certification" in exports
    assert f'href="{reverse("case-list")}">Go to the case list</a>' in exports


def test_an_adjusters_empty_home_says_how_disputes_and_mmi_arrive(adjuster):
    home = page(adjuster, "home")
    assert "No open disputes. To dispute a certification, ask the case manager" in home
    assert "A case reaches MMI when its clinician signs the determination" in home
    assert "Signed certifications show here" in home


@pytest.mark.parametrize("role", ["manager", "adjuster"])
def test_time_to_mmi_with_no_case_at_mmi_leads_to_the_cases_in_review(request, role):
    statistics = page(request.getfixturevalue(role), "time-to-mmi")
    assert "No case you can see has reached MMI yet." in statistics
    assert f'href="{reverse("case-list")}?status=mmi_review"' in statistics
    assert "<svg" not in statistics.split("<main", 1)[1]
