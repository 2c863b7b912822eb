"""Texas forms filled from a record of the tests' own: the DWC073's hours grid, blanks for what
the record lacks, other jurisdictions, and the determination page's signature line."""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Case, IssuedReport, Patient, WorkStatus
from cases.reports.documents import render_case_document
from cases.reports.issuing import determination_reports_issue
from cases.reports.official.filling import form_field_values
from tests.support.cast import client_for
from tests.support.determinations import signed_determination

Kind = IssuedReport.Kind
NOW = timezone.now()


def test_the_hours_grid_ticks_the_column_of_each_limit(cast, settings):
    status = WorkStatus.objects.create(
        case=cast.case,
        kind=WorkStatus.Kind.RESTRICTED,
        effective_from=timezone.localdate(),
        expected_through=timezone.localdate() + timedelta(30),
        hours_per_day=6,
        issued_by=cast.clinician,
    )
    status.restrictions.create(category="posture", activity="Standing", max_hours_per_day=2)
    status.restrictions.create(category="motion", activity="Overhead reach", frequency="never")
    status.restrictions.create(category="posture", activity="Sitting", max_hours_per_day=3)
    status.restrictions.create(category="lift_carry", activity="Lift", max_pounds=20)
    status.restrictions.create(
        category="body_part", activity="Grip", body_part="wrist_hand", side="left"
    )

    values = form_field_values(
        render_case_document(cast.case.pk, Kind.WORK_STATUS, generated_at=NOW).pdf
    )

    assert values["14a. 2 hours standing"] == "/Yes"
    assert values["17f. 0  hours overhead reaching"] == "/Yes"
    assert "14b. 2 hours sitting" not in values
    assert "3" in values["14b. other sitting restriction"]
    assert values["18a. max pounds"] == "20"
    assert values["15. Restricions to Left hand/wrist"] == "/Yes"
    assert values["19a. show number of hours"] == "6"


def test_the_visit_type_role_and_parties_faxes_fill_their_dwc073_boxes(cast):
    cast.case.employer.fax = "(210) 555-0190"
    cast.case.employer.save()
    cast.case.insurer.fax = "claims@carrier.example"
    cast.case.insurer.save()
    WorkStatus.objects.create(
        case=cast.case,
        kind=WorkStatus.Kind.FULL_DUTY,
        effective_from=timezone.localdate(),
        visited_on=timezone.localdate(),
        visit_type=WorkStatus.VisitType.FOLLOW_UP,
        practitioner_role=WorkStatus.PractitionerRole.DESIGNATED,
        issued_by=cast.clinician,
    )

    values = form_field_values(
        render_case_document(cast.case.pk, Kind.WORK_STATUS, generated_at=NOW).pdf
    )

    assert values["10.  Employer’s Fax # or E-mail Address (if known)"] == "(210) 555-0190"
    assert values["12.  Carrier’s Fax # or E-mail Address (if known)"] == "claims@carrier.example"
    assert values["Follow-up visit"] == "/Yes"
    assert "Initial visit" not in values
    assert values["Role: Designated doctor"] == "/Yes"
    assert not any(
        name.startswith("Role:") and name != "Role: Designated doctor" for name in values
    )


def test_a_value_the_record_lacks_leaves_its_box_blank(cast):
    Patient.objects.filter(pk=cast.case.patient_id).update(ssn_last4="", address="")
    WorkStatus.objects.create(
        case=cast.case,
        kind=WorkStatus.Kind.FULL_DUTY,
        effective_from=timezone.localdate(),
        issued_by=cast.clinician,
    )

    values = form_field_values(
        render_case_document(cast.case.pk, Kind.WORK_STATUS, generated_at=NOW).pdf
    )

    assert "3.  Social Security Number" not in values
    assert "6.  Clinic/Facility Name" not in values
    assert "10.  Employer’s Fax # or E-mail Address (if known)" not in values
    assert not any(name.startswith("Role:") or name.endswith(" visit") for name in values)


def test_other_jurisdictions_keep_the_narrative_report(cast):
    Case.objects.filter(pk=cast.case.pk).update(jurisdiction="FL")
    cast.case.refresh_from_db()
    WorkStatus.objects.create(
        case=cast.case,
        kind=WorkStatus.Kind.FULL_DUTY,
        effective_from=timezone.localdate(),
        issued_by=cast.clinician,
    )
    pdf = render_case_document(cast.case.pk, Kind.WORK_STATUS, generated_at=NOW).pdf
    assert not PdfReader(io.BytesIO(pdf)).get_fields()


# --- The determination page -----------------------------------------------------------------


def test_the_determination_page_says_who_signed_the_file_and_its_sha256(cast):
    determination = signed_determination(cast.case, cast.clinician)
    (issued,) = [
        report
        for report in determination_reports_issue(determination=determination)
        if report.kind == Kind.CERTIFICATION
    ]

    response = client_for(cast.adjuster).get(
        reverse("determination-detail", args=[determination.pk])
    )

    page = response.content.decode()
    assert issued.sha256 in page
    assert f"Digitally signed by {cast.clinician}" in page
