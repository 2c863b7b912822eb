"""The case page's deliveries and windows, recording and withdrawing a delivery, its proof,
and the carrier's portal delivery made by its first download (docs/domain.md §10)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from cases.models import Determination
from cases.templatetags.dates import day
from deliveries.models import Delivery, Recipient
from deliveries.services import delivery_record
from tests.support.cast import client_for
from tests.support.determinations import signed_determination

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(cast, django_capture_on_commit_callbacks) -> Determination:
    with django_capture_on_commit_callbacks(execute=True):
        return signed_determination(cast.case, cast.clinician)


def _recipient(determination: Determination, party: str) -> Recipient:
    return Recipient.objects.get(determination=determination, party=party)


def _case_page(user, case) -> str:
    response = client_for(user).get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_case_page_shows_who_has_the_certification_and_each_windows_end(cast, signed):
    today = timezone.localdate()
    delivery_record(
        recipient=_recipient(signed, "employee"),
        method="mail",
        delivered_on=today,
        address="12 Elm St, Austin TX",
        recorded_by=cast.case_manager,
    )
    html = _case_page(cast.adjuster, cast.case)
    assert "Deliveries and dispute windows" in html
    assert f"MMI certification v{signed.version}" in html
    assert f"Window open until {day(today + timedelta(days=90))}" in html
    assert "Mail on" in html and "12 Elm St, Austin TX" in html
    assert "Waiting for delivery" in html  # the carrier
    assert "Earliest possible end of any party" in html
    # The adjuster reads it but records nothing.
    assert "Record a delivery" not in html


@pytest.mark.parametrize("who", ["clinician", "case_manager", "admin"])
def test_care_team_case_manager_and_admin_get_the_form(cast, signed, who):
    assert "Record a delivery" in _case_page(getattr(cast, who), cast.case)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("case_manager", 302),
        ("clinician", 302),
        ("admin", 302),
        ("adjuster", 403),
        ("other_case_manager", 404),
        ("other_clinician", 404),
        ("other_adjuster", 404),
    ],
)
def test_recording_a_delivery_by_role(cast, signed, who, status):
    response = client_for(getattr(cast, who)).post(
        reverse("deliveries:delivery-add", args=[cast.case.pk]),
        {
            "recipient": _recipient(signed, "division").pk,
            "method": "fax",
            "delivered_on": timezone.localdate().isoformat(),
            "address": "512-490-1047",
        },
    )
    assert response.status_code == status
    assert Delivery.objects.filter(recipient__party="division").exists() == (status == 302)


def test_future_date_and_recipient_of_another_case_are_refused_with_reasons(cast, signed):
    client = client_for(cast.case_manager)
    url = reverse("deliveries:delivery-add", args=[cast.case.pk])
    future = client.post(
        url,
        {
            "recipient": _recipient(signed, "employee").pk,
            "method": "hand",
            "delivered_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "address": "At the visit",
        },
    )
    assert future.status_code == 400
    assert "cannot be dated in the future" in future.content.decode()
    assert 'value="At the visit"' in future.content.decode()  # what was typed is kept
    not_listed = client.post(
        url,
        {"recipient": "999999", "method": "hand", "delivered_on": timezone.localdate().isoformat()},
    )
    assert not_listed.status_code == 400
    assert "Choose a recipient on the list of a document in force" in not_listed.content.decode()
    assert not Delivery.objects.exists()


def test_proof_is_served_as_an_attachment_with_nosniff_and_logged(cast, signed):
    delivery = delivery_record(
        recipient=_recipient(signed, "carrier"),
        method="fax",
        address="512-555-0100",
        delivered_on=timezone.localdate(),
        recorded_by=cast.case_manager,
        proof=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
    )
    url = reverse("deliveries:delivery-proof", args=[delivery.pk])
    assert client_for(cast.other_adjuster).get(url).status_code == 404
    response = client_for(cast.adjuster).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert AccessLogEntry.objects.filter(
        user=cast.adjuster, detail__startswith=f"Proof of delivery {delivery.pk}"
    ).exists()


def test_withdrawing_a_delivery_needs_a_reason_and_keeps_it_in_the_page(cast, signed):
    delivery = delivery_record(
        recipient=_recipient(signed, "employee"),
        method="hand",
        delivered_on=timezone.localdate(),
        recorded_by=cast.clinician,
    )
    url = reverse("deliveries:delivery-withdraw", args=[delivery.pk])
    assert client_for(cast.adjuster).post(url, {"reason": "no"}).status_code == 403
    client = client_for(cast.case_manager)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Handed to the wrong person"}).status_code == 302
    html = _case_page(cast.case_manager, cast.case)
    assert "Handed to the wrong person" in html
    assert "<del>" in html


def test_adjusters_first_download_records_the_carriers_portal_delivery_once(
    cast, signed, django_capture_on_commit_callbacks
):
    url = reverse("report-certification", args=[signed.pk])
    for user in (cast.case_manager, cast.adjuster, cast.adjuster, cast.other_adjuster):
        with django_capture_on_commit_callbacks(execute=True):
            client_for(user).get(url)
    portal = Delivery.objects.filter(method="portal")
    assert [(d.recipient.party, d.recorded_by, d.delivered_on) for d in portal] == [
        ("carrier", cast.adjuster, timezone.localdate())
    ]
    assert f"Portal download by {cast.adjuster} on {day(timezone.localdate())}" in _case_page(
        cast.case_manager, cast.case
    )


def test_adjusters_work_status_download_delivers_the_current_work_status(
    cast, signed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.adjuster).get(reverse("report-work-status", args=[cast.case.pk]))
    assert response.status_code == 200
    delivery = Delivery.objects.get(method="portal")
    assert delivery.recipient.document == "work_status"
    assert delivery.recipient.party == "carrier"


def _queries(user, case) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as context:
        assert client.get(case.get_absolute_url()).status_code == 200
    return len(context.captured_queries)


def test_case_page_makes_the_same_queries_with_one_and_many_deliveries(cast, signed):
    today = timezone.localdate()
    delivery_record(
        recipient=_recipient(signed, "employee"),
        method="hand",
        delivered_on=today,
        recorded_by=cast.clinician,
    )
    few = _queries(cast.case_manager, cast.case)
    for party in ("carrier", "division", "employee"):
        for _ in range(3):
            delivery_record(
                recipient=_recipient(signed, party),
                method="email",
                address="claims@example.com",
                delivered_on=today,
                recorded_by=cast.case_manager,
            )
    assert _queries(cast.case_manager, cast.case) == few
