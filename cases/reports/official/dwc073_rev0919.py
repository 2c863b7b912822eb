"""Texas DWC073, Work Status Report, Rev. 09/19: its file and its field map.

The employer's copy: box 4 (the employee's description of the injury), box 13d (how the
injury prevents work) and box 21 (diagnosis) are never filled, since each may name the
condition (docs/domain.md §9). The form has no signature field: the signature goes in a field
of its own over the practitioner's signature box.
"""

from datetime import date

from .filling import FORMS_DIR, FieldValues, OfficialForm
from .sources import WorkStatusEvaluation

FORM = OfficialForm(
    code="DWC073",
    title="Work Status Report",
    revision="Rev. 09/19",
    file=FORMS_DIR / "texas" / "DWC073-rev0919.pdf",
    signature_field="Health care practitioner signature",
    signature_box=(0, (101, 58, 196, 72)),
    aligned_right=frozenset({"Health care practitioner's signature and license number"}),
)

_STATUS = (
    "13.  The injured employee’s medical condition resulting from the workers’ compensation injury:"
)
STATUS_BOXES = {
    "full_duty": f"{_STATUS} a.  will allow the employee to return to work as of (date) "
    "without restrictions",
    "restricted": f"{_STATUS}  b.  will allow the employee to return to work as of (date) with "
    "the restrictions identified in PART III, which are expected to last through (date)",
    "off_work": f"{_STATUS}   c. has prevented and still prevents the employee from returning "
    "to work as of (date) and is expected to continue through (date)",
}
# The practitioner's role and the visit type, beside the signature (WorkStatus's choices).
ROLE_BOXES = {
    "treating": "Role: Treating doctor",
    "referral": "Role: Referral doctor",
    "consulting": "Role: Consulting doctor",
    "designated": "Role: Designated doctor",
    "rme": "Role: RME doctor",
    "physician_assistant": "Role: Physician assistant",
    "aprn": "Role: Advanced Practice Registered Nurse",
    "other": "Role: Other doctor",
}
VISIT_BOXES = {"initial": "Initial visit", "follow_up": "Follow-up visit"}
# Each grid row: the check box names by hours, and its "other" line.
_GRID = {
    "standing": ("14a. {} hours standing", "14a.  other standing restriction"),
    "sitting": ("14b. {} hours sitting", "14b. other sitting restriction"),
    "kneeling": ("14c. {} hours kneeling/squatting", "14c. other kneeling/squatting restriction"),
    "bending": ("14d. {} hours bending/stooping", "14d. other bending/stooping restriction"),
    "pushing": ("14e. {} hours pushing/pulling", "14e. other pushing/pulling restriction"),
    "twisting": ("14f. {} hours twisting", "14f. other twisting restriction"),
    "walking": ("17a. {} hours walking", "17a. other walking restriction"),
    "climbing": (
        "17b. {} hours climbing stairs/ladders",
        "17b. other climbing stairs/ladders restriction",
    ),
    "grasping": ("17c. {} hours grasping/squeezing", "17c. other grasping/squeezing restriction"),
    "wrist": (
        "17d. {} hours wrist flexion/extension",
        "17d. other wrist flexion/extension restriction",
    ),
    "reaching": ("17e. {} hours reaching", "17e. other reaching restriction"),
    "overhead": ("17f. {}  hours overhead reaching", "17f. other overhead reaching restriction"),
    "keyboarding": ("17g. {}  hours keyboarding", "17g. other keyboarding restriction"),
}
POSTURE_OTHER = "14g. Other posture restrictions"
MOTION_OTHER = "17h. Other motion restrictions"
BODY_PART_BOXES = {
    "Left hand/wrist": "15. Restricions to Left hand/wrist",
    "Right hand/wrist": "15. Restrictions to Right hand/wrist",
    "Left arm": "15. Restrictions to Left arm",
    "Right arm": "15. Restrictions to Right arm",
    "Neck": "15. Restrictions to Neck",
    "Left leg": "15. Restrictions to Left leg",
    "Right leg": "15. Restrictions to Right leg",
    "Back": "15. Restrictions to Back",
    "Left foot/ankle": "15. Restrictions to Left foot/ankle",
    "Right foot/ankle": "15. Restrictions to Right foot/ankle",
}


def _date(values: dict[str, str | bool], fields: tuple[str, str, str], day: date | None) -> None:
    if day is not None:
        for field, part in zip(fields, (f"{day:%m}", f"{day:%d}", f"{day:%Y}"), strict=True):
            values[field] = part


def _hours(hours: float) -> str:
    return f"{hours:g} h/day"


def field_values(report: WorkStatusEvaluation) -> FieldValues:
    claim, doctor = report.claim, report.doctor
    values: dict[str, str | bool] = {
        "Date Being Sent": f"{report.sent_on:%m/%d/%Y}",
        "1.  Injured Employee's Name": claim.employee,
        "2.  Date of Injury": f"{claim.date_of_injury:%m/%d/%Y}",
        "3.  Social Security Number": claim.ssn_last4,
        "5a.  Doctor's/Delegating Doctor's Name and Degree": ", ".join(
            part for part in (doctor.name, doctor.licence_type) if part
        ),
        "6.  Clinic/Facility Name": doctor.facility,
        "7.  Clinic/Facility/Doctor Phone & Fax": " / ".join(
            part
            for part in (
                f"Ph {doctor.phone}" if doctor.phone else "",
                f"Fax {doctor.fax}" if doctor.fax else "",
            )
            if part
        ),
        "8.  Clinic/Facility/Doctor Address (street address)": doctor.street,
        "8. Clinic/Facility/Doctor City": doctor.city,
        "8.  Clinic/Facility/Doctor State": doctor.state,
        "8.  Clinic/Facility/Doctor Zip Code": doctor.zip_code,
        "9.  Employer's Name": claim.employer,
        "10.  Employer’s Fax # or E-mail Address (if known)": claim.employer_fax,
        "11.  Insurance Carrier": claim.carrier,
        "12.  Carrier’s Fax # or E-mail Address (if known)": claim.carrier_fax,
        # Beside the signature, which takes the left of the same box (``FORM``).
        "Health care practitioner's signature and license number": " ".join(
            part for part in (doctor.licence_number, doctor.licence_jurisdiction) if part
        ),
    }
    if report.kind in STATUS_BOXES:
        values[STATUS_BOXES[report.kind]] = True
    if report.kind == "full_duty":
        _date(
            values,
            (
                "13a. return to work date month (mm)",
                "13a. return to work date day (dd)",
                "13a. return to work date year (yyyy)",
            ),
            report.effective_from,
        )
    elif report.kind == "restricted":
        _date(
            values,
            (
                "13b. return to work date with restrictions month (mm)",
                "13b. return to work date with restrictions day (dd)",
                "13b. return to work date with restrictions year (yyyy)",
            ),
            report.effective_from,
        )
        _date(
            values,
            (
                "13b. date restrictions are expected to continue through month (mm)",
                "13b. date restrictions are expected to continue through day (dd)",
                "13b. date restrictions are expected to continue through year (yyyy)",
            ),
            report.expected_through,
        )
    elif report.kind == "off_work":
        _date(
            values,
            (
                "13c. has prevented and still prevents the employee from returning to work "
                "as of month (mm)",
                "13c. has prevented and still prevents the employee from returning to work "
                "as of day (dd)",
                "13c. has prevented and still prevents the employee from returning to work "
                "as of year (yyyy)",
            ),
            report.effective_from,
        )
        _date(
            values,
            (
                "13c. and is expected to continue through month (mm)",
                "13c. and is expected to continue through day (dd)",
                "13c. and is expected to continue through year (yyyy)",
            ),
            report.expected_through,
        )
    # Part III is completed only when box 13b is checked (the form says so).
    if report.kind == "restricted":
        _restrictions(values, report)
    _visits(values, report)
    return {name: value for name, value in values.items() if value}


def _restrictions(values: dict[str, str | bool], report: WorkStatusEvaluation) -> None:
    posture_other: list[str] = []
    motion_other: list[str] = []
    for limit in report.limits:
        row = _GRID.get(limit.activity)
        if row is None:
            (motion_other if limit.motion else posture_other).append(limit.text)
            continue
        box, other = row
        if limit.hours is not None and limit.hours in (0, 2, 4, 6, 8):
            values[box.format(int(limit.hours))] = True
        else:
            values[other] = limit.text or (_hours(limit.hours) if limit.hours is not None else "")
    if posture_other:
        values[POSTURE_OTHER] = "; ".join(posture_other)
    if motion_other:
        values[MOTION_OTHER] = "; ".join(motion_other)
    for part in report.body_parts:
        if part in BODY_PART_BOXES:
            values[BODY_PART_BOXES[part]] = True
    if report.other_body_parts:
        values["15. Restricions to Other:"] = "; ".join(report.other_body_parts)
    if report.other_restrictions:
        values["16. Other restrictions, in any"] = "; ".join(report.other_restrictions)
    if report.no_lifting:
        values["18b. May not perform any lifting/carrying"] = True
    elif report.lift_pounds is not None:
        values["18a. May not lift/carry objects more than X lbs. for more than X hours per day"] = (
            True
        )
        values["18a. max pounds"] = str(report.lift_pounds)
        if report.lift_hours is not None:
            values["18a. max lift/carry hours per day"] = f"{report.lift_hours:g}"
    if report.other_lift:
        values["18c. other lift/carry restrictions"] = "; ".join(report.other_lift)
    if report.hours_per_day is not None:
        values["19a. Max hours per day of work:"] = True
        values["19a. show number of hours"] = str(report.hours_per_day)


def _visits(values: dict[str, str | bool], report: WorkStatusEvaluation) -> None:
    if report.visited_on is not None:
        values["Date/time of visit"] = f"{report.visited_on:%m/%d/%Y}"
    if report.visit_type in VISIT_BOXES:
        values[VISIT_BOXES[report.visit_type]] = True
    if report.practitioner_role in ROLE_BOXES:
        values[ROLE_BOXES[report.practitioner_role]] = True
    if report.next_visit_on is not None:
        values["22a. Evaluation by the treating doctor on (date) at  xx:xx  am/pm"] = True
        _date(
            values,
            (
                "date of TD evaluation month (mm)",
                "date of TD evaluation day (dd)",
                "date of TD evaluation year (yyyy)",
            ),
            report.next_visit_on,
        )
