"""The permission matrix: every URL name in the URLconf, for every role in the cast.

A URL name without a row in tests/support/permissions.py fails
`test_every_url_name_has_a_row`, so nothing ships unchecked. Expected statuses: 404 where
the user may not see the case (exactly like a case that does not exist), 403 where they see
it but their role may not act, 302 to the login page for anonymous visitors.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cases.access import cases_visible_to, of_visible_cases
from cases.models import Determination
from tests.support.cast import client_for
from tests.support.factories import (
    CaseFactory,
    ConsultationFactory,
    DeterminationFactory,
    DiagnosticFactory,
    TreatmentFactory,
)
from tests.support.permissions import RECORD_CLINICAL, ROWS, url_names

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test


def test_every_url_name_has_a_row():
    missing = url_names() - set(ROWS)
    assert not missing, f"URL names without a permission row: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_permission_matrix(name, cast):
    row = ROWS[name]
    url = reverse(name, kwargs=row.kwargs(cast))
    data = row.data(cast)
    got = {}
    for role, user in cast.roles().items():
        response = getattr(client_for(user), row.method)(url, data)
        got[role] = response.status_code
    assert got == row.expect, f"{name} ({url})"


@pytest.mark.parametrize(
    "kind,factory",
    [
        ("diagnostics", DiagnosticFactory),
        ("consultations", ConsultationFactory),
    ],
)
def test_every_record_kind_follows_the_clinical_profile(kind, factory, cast):
    record = factory(case=cast.case)
    for name, kwargs in [
        ("record-add", {"case_id": cast.case.pk, "kind": kind}),
        ("record-edit", {"case_id": cast.case.pk, "kind": kind, "record_id": record.pk}),
    ]:
        url = reverse(name, kwargs=kwargs)
        got = {role: client_for(user).get(url).status_code for role, user in cast.roles().items()}
        assert got == RECORD_CLINICAL, url


def test_anonymous_visitors_are_sent_to_the_login_page(cast):
    response = client_for(None).get(reverse("case-detail", args=[cast.case.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_another_case_id_answers_like_a_missing_one(cast, client):
    client.force_login(cast.other_clinician)
    hidden = client.get(reverse("case-detail", args=[cast.case.pk]))
    missing = client.get(reverse("case-detail", args=[cast.case.pk + 10_000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_a_record_of_another_case_is_not_reachable_through_a_visible_case(cast, client):
    foreign = TreatmentFactory()
    client.force_login(cast.clinician)
    url = reverse(
        "record-edit",
        kwargs={"case_id": cast.case.pk, "kind": "treatments", "record_id": foreign.pk},
    )
    assert client.get(url).status_code == 404


def test_unknown_record_kind_is_404(cast, client):
    client.force_login(cast.clinician)
    url = reverse("record-add", kwargs={"case_id": cast.case.pk, "kind": "invoices"})
    assert client.get(url).status_code == 404


def test_the_filter_on_a_records_case_keeps_what_cases_visible_to_keeps(cast):
    theirs = DeterminationFactory(case=cast.case)
    others = DeterminationFactory(case=CaseFactory())
    inactive = cast.case_manager
    inactive.is_active = False
    for role, user in [*cast.roles().items(), ("inactive", inactive)]:
        user = user or AnonymousUser()
        kept = set(Determination.objects.filter(of_visible_cases(user)))
        assert kept == set(Determination.objects.filter(case__in=cases_visible_to(user))), role
        assert kept <= {theirs, others}
