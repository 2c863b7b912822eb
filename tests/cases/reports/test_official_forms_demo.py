"""The four Texan demo cases on the state's own forms: each one's DWC069 and DWC073 read back
(field values with pypdf, page text with pdftotext) after Maria Sanchez's and Lisa Reed's
certifications are signed as their doctor would; Lisa Reed's documents then agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, Determination, IssuedReport, User, WorkStatus
from cases.reports.documents import render_case_document, render_determination_document
from cases.reports.official.filling import form_field_values
from tests.support.determinations import save_step
from tests.support.official_forms import check, page_text
from tests.support.reports import text

Kind = IssuedReport.Kind
NOW = timezone.now()
LISA_RESTRICTIONS = "Lift no more than 20 lb occasionally; no overhead reach with the left arm."
RESTRICTED = (
    "13.  The injured employee’s medical condition resulting from the workers’ compensation "
    "injury:  b.  will allow the employee to return to work as of (date) with the "
    "restrictions identified in PART III, which are expected to last through (date)"
)
FULL_DUTY = (
    "13.  The injured employee’s medical condition resulting from the workers’ compensation "
    "injury: a.  will allow the employee to return to work as of (date) without restrictions"
)
OFF_WORK = (
    "13.  The injured employee’s medical condition resulting from the workers’ compensation "
    "injury:   c. has prevented and still prevents the employee from returning to work as of "
    "(date) and is expected to continue through (date)"
)
NO_IMPAIRMENT = (
    "17a. I certify that the employee does not have any permanent impairment as a result of "
    "the compensable injury"
)
# claim number: employee, last four SSN digits, employer (fax), carrier (fax), certifier
DEMO = {
    "LSM-2026-0101": (
        "John Davis",
        "4821",
        ("Alamo Freight Lines", "(210) 555-0191"),
        ("Lone Star Mutual", "(512) 555-0190"),
        "Emily Chen, MD",
    ),
    "LSM-2026-0102": (
        "Maria Sanchez",
        "3390",
        ("Alamo Freight Lines", "(210) 555-0191"),
        ("Lone Star Mutual", "(512) 555-0190"),
        "Emily Chen, MD",
    ),
    "GCC-2026-0201": (
        "Alex Thompson",
        "7016",
        ("Bayou Builders", "(713) 555-0192"),
        ("Gulf Coast Casualty", "claims@gulfcoast.demo.invalid"),
        "Raj Patel, DO",
    ),
    "GCC-2026-0202": (
        "Lisa Reed",
        "5542",
        ("Bayou Builders", "(713) 555-0192"),
        ("Gulf Coast Casualty", "claims@gulfcoast.demo.invalid"),
        "Emily Chen, MD",
    ),
}


def _sign(case: Case, **outcome) -> Determination:
    """Walk the steps as Dr Chen would on the case's own record, and sign."""
    doctor = User.objects.get(username="dr.chen")
    draft = services.determination_start(case=case, started_by=doctor)
    exam = timezone.localdate() - timedelta(days=2)
    save_step(
        draft,
        "clinical",
        doctor,
        exam_date=exam.isoformat(),
        diagnosis_codes=case.diagnosis_codes,
    )
    for slug in ("therapy", "diagnostics", "consultations", "legal"):
        save_step(draft, slug, doctor)
    save_step(draft, "outcome", doctor, **outcome)
    return services.determination_sign(determination=draft, signed_by=doctor)


@pytest.fixture
def demo(module_demo, db):
    """The demo with the two Texan certifications it leaves unsigned signed: Maria Sanchez
    not yet at MMI, Lisa Reed at MMI with permanent restrictions."""
    exam = timezone.localdate() - timedelta(days=2)
    _sign(
        Case.objects.get(claim_number="LSM-2026-0102"),
        mmi_reached="no",
        mmi_date="",
        impairment_finding="",
        impairment_rating="",
        expected_mmi_date=(exam + timedelta(days=60)).isoformat(),
        permanent_restrictions="",
        plan="Six more weeks of knee rehabilitation.",
    )
    _sign(
        Case.objects.get(claim_number="GCC-2026-0202"),
        mmi_date=exam.isoformat(),
        impairment_rating="6",
        permanent_restrictions=LISA_RESTRICTIONS,
    )


@pytest.mark.parametrize("claim_number", DEMO)
def test_each_texan_demo_certification_reads_back_from_its_dwc069(demo, settings, claim_number):
    employee, ssn, (employer, _), (carrier, _), certifier = DEMO[claim_number]
    signed = Determination.objects.signed().get(case__claim_number=claim_number)

    pdf = render_determination_document(signed.pk, Kind.CERTIFICATION, generated_at=NOW).pdf
    values = form_field_values(pdf)

    assert values["Carrier Claim"] == claim_number
    assert values["1 Workers Compensation Insurance Carrier"] == carrier
    assert values["2 Employers Name"] == employer
    assert values["4 Injured Employees Name First Middle Last"] == employee
    assert values["6 Social Security Number"] == f"XXX-XX-{ssn}"
    assert values["9 Certifying Doctors Name and License Type"] == certifier
    assert values["11 Doctors Phone"] == "(210) 555-0140"
    assert values["13. Treating Doctor"] == "/On"
    assert values["14. Day - Date of Exam"] == f"{signed.exam_date:%d}"
    assert values["15 Diagnosis Codes"] == signed.diagnosis_codes.replace(",", ", ")
    if signed.mmi_reached:
        assert values["Yes I certify that the employee reached"] == "/On"
        assert values["16. Day MMI Date"] == f"{signed.mmi_date:%d}"
        if signed.impairment_finding == Determination.ImpairmentFinding.NONE:
            # Dr Patel may not rate: "no permanent impairment", its own box, not 0 %.
            assert values[NO_IMPAIRMENT] == "/On"
            assert "17. Amount of permanent impairment (percent)" not in values
        else:
            assert values["17. Amount of permanent impairment (percent)"] == str(
                signed.impairment_rating
            )
    else:
        assert "Yes I certify that the employee reached" not in values
        assert values["16. Month of Expected MMI Date"] == f"{signed.expected_mmi_date:%m}"
        assert not any(name.startswith("17") for name in values)
    form_pages = page_text(pdf).split("\f")[:3]
    assert "Report of Medical Evaluation" in form_pages[0]
    assert employee in form_pages[0] and carrier in form_pages[0]
    assert check(pdf, settings).passes


@pytest.mark.parametrize("claim_number", DEMO)
def test_each_texan_demo_work_status_reads_back_from_its_dwc073(demo, settings, claim_number):
    employee, ssn, (employer, employer_fax), (carrier, carrier_fax), _ = DEMO[claim_number]
    status = (
        WorkStatus.objects.filter(case__claim_number=claim_number)
        .order_by("-effective_from", "-pk")
        .first()
    )
    assert status is not None

    pdf = render_case_document(status.case_id, Kind.WORK_STATUS, generated_at=NOW).pdf
    values = form_field_values(pdf)

    assert values["1.  Injured Employee's Name"] == employee
    assert values["3.  Social Security Number"] == ssn
    assert values["9.  Employer's Name"] == employer
    assert values["10.  Employer’s Fax # or E-mail Address (if known)"] == employer_fax
    assert values["11.  Insurance Carrier"] == carrier
    assert values["12.  Carrier’s Fax # or E-mail Address (if known)"] == carrier_fax
    assert values["6.  Clinic/Facility Name"] == "Riverside Occupational Clinic"
    assert values["Role: Treating doctor"] == "/Yes"
    box = {"restricted": RESTRICTED, "full_duty": FULL_DUTY, "off_work": OFF_WORK}[status.kind]
    assert values[box] == "/Yes"
    assert [name for name in (RESTRICTED, FULL_DUTY, OFF_WORK) if name in values] == [box]
    # The visit it was given at: the certification's exam, or the visit recorded.
    assert values["Date/time of visit"] == f"{status.visited_on:%m/%d/%Y}"
    if status.determination_id is None:
        assert values["Follow-up visit"] == "/Yes"
    # The employer's copy: no diagnosis.
    assert "21. Injury diagnosis information" not in values
    words = page_text(pdf)
    assert "Work Status Report" in words and employee in words
    for code in status.case.diagnosis_codes.split(","):
        assert code not in words
    assert check(pdf, settings).passes


@pytest.mark.pdf
def test_lisa_reeds_signed_certification_summary_and_work_status_agree(demo):
    case = Case.objects.get(claim_number="GCC-2026-0202")
    signed = Determination.objects.signed().get(case=case)

    certification = render_determination_document(
        signed.pk, Kind.CERTIFICATION, generated_at=NOW
    ).pdf
    work_status = form_field_values(
        render_case_document(case.pk, Kind.WORK_STATUS, generated_at=NOW).pdf
    )
    summary = " ".join(
        text(render_case_document(case.pk, Kind.CASE_SUMMARY, generated_at=NOW).pdf).split()
    )

    # The diagnosis: the certification's, the case's, the summary's.
    case.refresh_from_db()
    assert form_field_values(certification)["15 Diagnosis Codes"] == "M75.112"
    assert case.diagnosis_codes == "M75.112" and "M75.112" in summary
    # The restrictions: permanent, 20 lb, no overhead reach, no end date, everywhere.
    assert work_status[RESTRICTED] == "/Yes"
    assert "13b. date restrictions are expected to continue through year (yyyy)" not in work_status
    restrictions = " ".join(str(value) for value in work_status.values())
    assert "20 lb" in restrictions and "overhead reach" in restrictions
    assert "10 lb" not in restrictions
    current = summary.split("Current work status")[1].split("every signed version")[0]
    assert "permanent restrictions" in current
    assert "Lift no more than 20 lb occasionally" in current
    assert "10 lb" not in current and "expected through" not in current.lower()
    narrative = " ".join(text(certification).split())
    assert "Lift no more than 20 lb occasionally" in narrative
