"""Texas documents on the state's own forms: the DWC069 (followed by the narrative) and the
DWC073, filled from the record, read back with pypdf and pdftotext, and signed (PAdES) so
that a changed byte is caught."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases.models import IssuedReport, WorkStatus
from cases.reports.documents import render_case_document, render_determination_document
from cases.reports.official.filling import form_field_values
from tests.support.official_forms import check, page_text, texan_certification

Kind = IssuedReport.Kind
NOW = timezone.now()


# --- The DWC069 of the demo's Texan certifications ----------------------------------------


@pytest.fixture
def demo(module_demo, db):
    return None


def test_john_davis_certification_is_the_filled_dwc069_then_the_narrative(demo, settings):
    determination = texan_certification("LSM-2026-0101")
    pdf = render_determination_document(determination.pk, Kind.CERTIFICATION, generated_at=NOW).pdf

    values = form_field_values(pdf)
    assert values["DWC Claim"] == "DWC-26-118204"
    assert values["Carrier Claim"] == "LSM-2026-0101"
    assert values["1 Workers Compensation Insurance Carrier"] == "Lone Star Mutual"
    assert values["2 Employers Name"] == "Alamo Freight Lines"
    assert values["4 Injured Employees Name First Middle Last"] == "John Davis"
    assert values["6 Social Security Number"] == "XXX-XX-4821"
    assert values["7 Employees Phone Number"] == "(210) 555-0172"
    assert "1187 Mission Rd" in values["8 Employees Address  Street or PO Box City State Zip"]
    assert values["9 Certifying Doctors Name and License Type"] == "Emily Chen, MD"
    assert values["11 Doctors Phone"] == "(210) 555-0140"
    assert values["11 Doctors Fax"] == "(210) 555-0141"
    assert "San Antonio, TX 78210" in values[
        "12 Certifying Doctors Address Street or PO Box City State Zip"
    ].replace("\n", ", ")
    assert values["13. Treating Doctor"] == "/On"
    assert values["14. Year - Date of Exam"] == f"{determination.exam_date:%Y}"
    assert values["15 Diagnosis Codes"] == "M54.50, S33.5XXA"
    assert values["Yes I certify that the employee reached"] == "/On"
    assert values["CLINICAL MMI"] == "/On"
    assert "STATUTORY MMI" not in values
    assert values["16. Month of MMI Date"] == f"{determination.mmi_date:%m}"
    assert (
        values[
            "17b. I certify that the employee has permanent impairment as a result of the "
            "compensable injury"
        ]
        == "/On"
    )
    assert values["17. Amount of permanent impairment (percent)"] == str(
        determination.impairment_rating
    )
    assert values["17. fourth edition 1st 2nd 3rd or 4th printing"] == "/On"
    assert values["18. Date of Certification"] == (
        f"{timezone.localdate(determination.signed_at):%m/%d/%Y}"
    )
    # Section VI is the treating doctor's to answer about another doctor's certification.
    assert "19 Treating Doctors Name and License Type" not in values

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 3  # the form's three pages, then the narrative
    text = page_text(pdf)
    assert "Report of Medical Evaluation" in text.split("\f")[0]
    assert "DWC069 Rev. 01/15" in text


def test_every_filled_field_is_read_only(demo):
    determination = texan_certification("LSM-2026-0101")
    pdf = render_determination_document(determination.pk, Kind.CERTIFICATION, generated_at=NOW).pdf
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    filled = [field for field in fields.values() if field.get("/FT") in ("/Tx", "/Btn")]
    assert filled
    assert all(int(field.get("/Ff", 0)) & 1 for field in filled)


def test_the_signature_validates_and_names_the_certifying_doctor(demo, settings):
    determination = texan_certification("LSM-2026-0101")
    pdf = render_determination_document(determination.pk, Kind.CERTIFICATION, generated_at=NOW).pdf

    result = check(pdf, settings)

    assert result.passes, result.summary
    assert result.signer_name == "Emily Chen"
    assert result.no_changes_allowed
    assert result.signed_at is not None


def test_one_byte_changed_in_the_signed_range_fails_validation(demo, settings):
    determination = texan_certification("LSM-2026-0101")
    pdf = bytearray(
        render_determination_document(determination.pk, Kind.CERTIFICATION, generated_at=NOW).pdf
    )
    # A byte of the form's own text, well inside the first signed range.
    at = pdf.index(b"/Title")
    pdf[at + 1] = ord("t")

    assert not check(bytes(pdf), settings).intact


# --- The DWC073 -----------------------------------------------------------------------------


def test_a_texan_work_status_is_the_filled_dwc073_employer_copy(demo, settings):
    status = (
        WorkStatus.objects.filter(case__jurisdiction="TX", kind=WorkStatus.Kind.RESTRICTED)
        .select_related("case__patient", "issued_by")
        .order_by("-effective_from", "-pk")
        .first()
    )
    assert status is not None
    # The case's current status is the one the form shows.
    WorkStatus.objects.filter(case=status.case).exclude(pk=status.pk).delete()
    WorkStatus.objects.filter(pk=status.pk).update(
        visited_on=status.effective_from, next_visit_on=status.effective_from + timedelta(14)
    )

    pdf = render_case_document(status.case_id, Kind.WORK_STATUS, generated_at=NOW).pdf
    values = form_field_values(pdf)

    assert values["1.  Injured Employee's Name"] == str(status.case.patient)
    assert values["3.  Social Security Number"] == status.case.patient.ssn_last4
    assert values["6.  Clinic/Facility Name"] == "Riverside Occupational Clinic"
    assert values["8. Clinic/Facility/Doctor City"] == "San Antonio"
    assert values["9.  Employer's Name"] == status.case.employer.name
    restricted = [name for name in values if "b.  will allow the employee" in name]
    assert restricted and values[restricted[0]] == "/Yes"
    assert values["13b. return to work date with restrictions year (yyyy)"] == (
        f"{status.effective_from:%Y}"
    )
    assert values["Date/time of visit"] == f"{status.effective_from:%m/%d/%Y}"
    assert values["date of TD evaluation day (dd)"] == (
        f"{status.effective_from + timedelta(14):%d}"
    )
    # The employer's copy: no diagnosis, no description of the injury, no explanation.
    assert "21. Injury diagnosis information" not in values
    assert "4.  Employee’s Description of Injury/Accident" not in values
    assert not any(name.startswith("13d.") for name in values)
    for code in status.case.diagnosis_codes.split(","):
        assert code.strip() not in " ".join(values.values())
        assert code.strip() not in page_text(pdf)

    result = check(pdf, settings)
    assert result.passes, result.summary
    assert result.signer_name == str(status.issued_by)
