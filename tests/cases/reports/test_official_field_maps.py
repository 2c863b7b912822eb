"""The field maps of the Texas forms, from plain values: no database, no PDF."""

from datetime import date

from cases.reports.official import dwc069_rev0115, dwc073_rev0919
from cases.reports.official.sources import (
    ActivityLimit,
    Claim,
    MedicalEvaluation,
    Practice,
    WorkStatusEvaluation,
)

CLAIM = Claim(
    state_claim_number="DWC-26-1",
    carrier_claim_number="LSM-1",
    carrier="Lone Star Mutual",
    employer="Alamo Freight Lines",
    employer_address="",
    employer_fax="",
    carrier_fax="",
    employee="John Davis",
    employee_phone="",
    employee_address="",
    ssn_last4="",
    date_of_injury=date(2026, 3, 4),
)
DOCTOR = Practice(
    name="Emily Chen", licence_type="MD", licence_number="1", licence_jurisdiction="TX"
)


def evaluation(**changes) -> MedicalEvaluation:
    values = {
        "claim": CLAIM,
        "certifier": DOCTOR,
        "certifier_role": "designated",
        "exam_date": date(2026, 9, 1),
        "diagnosis_codes": ("M54.50",),
        "mmi_reached": True,
        "mmi_type": "statutory",
        "mmi_date": date(2026, 9, 1),
        "expected_mmi_date": None,
        "impairment_finding": "none",
        "impairment_rating": None,
        "guides_edition": "4th",
        "certified_on": date(2026, 9, 2),
        **changes,
    }
    return MedicalEvaluation(**values)


def test_no_impairment_is_its_own_box_not_a_zero_rating():
    values = dwc069_rev0115.field_values(evaluation())
    assert values[
        "17a. I certify that the employee does not have any permanent impairment as a result "
        "of the compensable injury"
    ]
    assert "17. Amount of permanent impairment (percent)" not in values
    assert values["STATUTORY MMI"] and "CLINICAL MMI" not in values
    assert values["13. Designated Doctor selected by DWC"]


def test_not_at_mmi_gives_the_expected_date_and_leaves_section_iv_blank():
    values = dwc069_rev0115.field_values(
        evaluation(mmi_reached=False, mmi_date=None, expected_mmi_date=date(2027, 3, 1))
    )
    assert values["16. Month of Expected MMI Date"] == "03"
    assert values["16. Year of Expected MMI Date"] == "2027"
    assert "16. Month of MMI Date" not in values
    assert not any(name.startswith("17") for name in values)


def test_what_the_record_lacks_is_left_out():
    values = dwc069_rev0115.field_values(evaluation())
    assert "6 Social Security Number" not in values
    assert "11 Doctors Phone" not in values


def test_the_employer_copy_has_no_diagnosis_box_filled():
    report = WorkStatusEvaluation(
        claim=CLAIM,
        doctor=DOCTOR,
        kind="off_work",
        effective_from=date(2026, 9, 1),
        expected_through=date(2026, 10, 1),
        hours_per_day=None,
        limits=(ActivityLimit("standing", 2.0, "stand"),),
        lift_pounds=None,
        lift_hours=None,
        no_lifting=False,
        other_lift=(),
        body_parts=(),
        other_body_parts=(),
        other_restrictions=(),
        visited_on=None,
        visit_type="",
        practitioner_role="",
        next_visit_on=None,
        sent_on=date(2026, 9, 2),
    )
    values = dwc073_rev0919.field_values(report)
    assert values["13c. and is expected to continue through month (mm)"] == "10"
    assert "21. Injury diagnosis information" not in values
    # Part III is completed only with box 13b.
    assert "14a. 2 hours standing" not in values
