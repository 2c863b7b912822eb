"""Distribution lists made when a document is issued, deliveries recorded and withdrawn, and
each party's window (docs/domain.md §10), through the services and the case's events."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Case, Determination, Dispute
from cases.models.append_only import AppendOnly
from cases.templatetags.dates import day
from deliveries.models import Delivery, Recipient
from deliveries.selectors import case_deliveries, party_windows, received, undelivered
from deliveries.services import delivery_record, delivery_withdraw
from tests.support.determinations import complete_draft, save_step, signed_determination
from tests.support.factories import WorkStatusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(cast, django_capture_on_commit_callbacks) -> Determination:
    with django_capture_on_commit_callbacks(execute=True):
        return signed_determination(cast.case, cast.clinician)


def _parties(determination: Determination) -> list[str]:
    return [row.recipient.party for row in party_windows(determination)]


def test_signing_a_texas_certification_lists_carrier_division_and_employee(cast, signed):
    assert _parties(signed) == ["carrier", "division", "employee"]
    names = {r.party: r.name for r in Recipient.objects.filter(determination=signed)}
    assert names["carrier"] == "Lone Star Mutual"
    assert names["employee"] == str(cast.case.patient)


def test_a_designated_doctors_certification_also_goes_to_the_treating_doctor(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.determination_start(case=cast.case, started_by=cast.clinician)
        complete_draft(draft, cast.clinician)
        save_step(draft, "legal", cast.clinician, certifier_role="designated")
        signed = services.determination_sign(determination=draft, signed_by=cast.clinician)
    assert _parties(signed) == ["carrier", "treating_doctor", "division", "employee"]


def test_a_represented_employees_attorney_is_listed_by_name_and_starts_no_window(
    cast, django_capture_on_commit_callbacks
):
    Case.objects.filter(pk=cast.case.pk).update(representative_name="Elena Ruiz, Ruiz Law")
    with django_capture_on_commit_callbacks(execute=True):
        signed = signed_determination(cast.case, cast.clinician)
    assert _parties(signed) == ["carrier", "division", "employee", "representative"]
    attorney = _recipient(signed, "representative")
    assert attorney.name == "Elena Ruiz, Ruiz Law"
    delivery_record(
        recipient=attorney,
        method="fax",
        delivered_on=timezone.localdate(),
        address="(512) 555-0177",
        recorded_by=cast.case_manager,
    )
    rows = {row.recipient.party: row for row in party_windows(signed)}
    assert rows["representative"].window is None and rows["representative"].standing
    assert rows["employee"].window.state == "waiting"


def test_a_work_status_lists_employee_employer_and_carrier(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status = WorkStatusFactory(case=cast.case, issued_by=cast.clinician)
    parties = list(
        Recipient.objects.filter(work_status=status).order_by("pk").values_list("party", flat=True)
    )
    assert parties == ["employee", "employer", "carrier"]


def _recipient(determination: Determination, party: str) -> Recipient:
    return Recipient.objects.get(determination=determination, party=party)


def test_mailed_copy_opens_the_employees_window_from_its_own_date(cast, signed):
    today = timezone.localdate()
    delivery_record(
        recipient=_recipient(signed, "employee"),
        method="mail",
        delivered_on=today,
        address="12 Elm St, Austin TX",
        recorded_by=cast.case_manager,
    )
    rows = {row.recipient.party: row for row in party_windows(signed)}
    assert rows["employee"].window.state == "open"
    assert rows["employee"].window.last_day == today + timedelta(days=90)
    assert rows["carrier"].window.state == "waiting"
    assert rows["division"].window is None
    # Signing at MMI also issued a work status, undelivered too.
    assert [(r.document, r.party) for r in undelivered(cast.case.pk)] == [
        ("certification", "carrier"),
        ("certification", "division"),
        ("work_status", "employee"),
        ("work_status", "employer"),
        ("work_status", "carrier"),
    ]


def test_delivery_before_signing_or_in_the_future_is_refused(cast, signed):
    employee = _recipient(signed, "employee")
    today = timezone.localdate()
    for when, words in (
        (today - timedelta(days=1), "before the document was issued"),
        (today + timedelta(days=1), "in the future"),
    ):
        with pytest.raises(ValidationError) as refused:
            delivery_record(
                recipient=employee, method="hand", delivered_on=when, recorded_by=cast.clinician
            )
        assert words in refused.value.message_dict["delivered_on"][0]
    assert not Delivery.objects.exists()


def test_fax_without_a_number_and_a_portal_delivery_by_hand_are_refused(cast, signed):
    carrier = _recipient(signed, "carrier")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        delivery_record(recipient=carrier, method="fax", delivered_on=today, recorded_by=cast.admin)
    assert "fax number" in refused.value.message_dict["address"][0]
    with pytest.raises(ValidationError) as refused:
        delivery_record(
            recipient=carrier, method="portal", delivered_on=today, recorded_by=cast.admin
        )
    assert "recorded by itself" in refused.value.message_dict["method"][0]


def test_proof_is_kept_when_its_content_is_a_pdf_and_refused_otherwise(cast, signed):
    carrier = _recipient(signed, "carrier")
    today = timezone.localdate()
    html = SimpleUploadedFile("proof.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        delivery_record(
            recipient=carrier,
            method="fax",
            address="512-555-0100",
            delivered_on=today,
            recorded_by=cast.admin,
            proof=html,
        )
    assert "PDF, PNG or JPEG" in refused.value.message_dict["proof"][0]
    pdf = SimpleUploadedFile("confirmation.exe", b"%PDF-1.4\nfax ok\n%%EOF", "text/plain")
    delivery = delivery_record(
        recipient=carrier,
        method="fax",
        address="512-555-0100",
        delivered_on=today,
        recorded_by=cast.admin,
        proof=pdf,
    )
    assert delivery.proof_content_type == "application/pdf"
    assert delivery.proof.name.endswith(".pdf")
    assert delivery.proof.read().startswith(b"%PDF")


def test_withdrawn_delivery_no_longer_counts_and_stays_in_history(cast, signed):
    employee = _recipient(signed, "employee")
    delivery = delivery_record(
        recipient=employee,
        method="hand",
        delivered_on=timezone.localdate(),
        recorded_by=cast.clinician,
    )
    with pytest.raises(AppendOnly):
        delivery.address = "changed"
        delivery.save()
    with pytest.raises(ValidationError):
        delivery_withdraw(delivery=delivery, reason="  ", withdrawn_by=cast.case_manager)
    delivery_withdraw(
        delivery=delivery, reason="Wrong patient's envelope", withdrawn_by=cast.case_manager
    )
    rows = {row.recipient.party: row for row in party_windows(signed)}
    assert rows["employee"].window.state == "waiting"
    assert len(rows["employee"].deliveries) == 1
    assert rows["employee"].standing == []
    with pytest.raises(ValidationError):
        delivery_withdraw(delivery=delivery, reason="again", withdrawn_by=cast.case_manager)


def test_dispute_by_the_employee_shows_in_the_employees_window_only(cast, signed):
    today = timezone.localdate()
    delivery_record(
        recipient=_recipient(signed, "employee"),
        method="hand",
        delivered_on=today,
        recorded_by=cast.clinician,
    )
    services.dispute_record(
        determination=signed,
        recorded_by=cast.case_manager,
        disputed_by=Dispute.Party.EMPLOYEE,
        disputed_issue=Dispute.Issue.RATING,
        notice_date=today,
        received_on=today,
        review_requested=Dispute.Review.DESIGNATED_DOCTOR,
    )
    rows = {row.recipient.party: row.window for row in party_windows(signed)}
    assert rows["employee"].state == "disputed"
    assert rows["carrier"].state == "waiting"


def test_amendment_has_its_own_list_and_windows_and_the_old_deliveries_stay(
    cast, signed, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    delivery_record(
        recipient=_recipient(signed, "employee"),
        method="hand",
        delivered_on=today,
        recorded_by=cast.clinician,
    )
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.determination_amend(determination=signed, amended_by=cast.clinician)
        complete_draft(draft, cast.clinician)
        amendment = services.determination_sign(determination=draft, signed_by=cast.clinician)
    assert {
        row.recipient.party: row.window.state for row in party_windows(amendment) if row.window
    } == {
        "carrier": "waiting",
        "employee": "waiting",
    }
    assert party_windows(signed)[2].window.state == "open"
    documents = case_deliveries(cast.case)
    assert [d.title for d in documents] == [
        f"MMI certification v{amendment.version}",
        f"Work status as of {day(timezone.localdate())}",
    ]
    assert [r.party for r in received(signed).recipients] == ["employee"]
