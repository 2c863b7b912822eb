"""Texas DWC069, Report of Medical Evaluation, Rev. 01/15: its file and its field map.

Field names are the form's own (pypdf ``get_fields()``), spaces included. Section VI (the
treating doctor's agreement with another doctor's certification) is the treating doctor's
to fill and sign; it is left blank.
"""

from datetime import date

from .filling import FORMS_DIR, FieldValues, OfficialForm
from .sources import MedicalEvaluation

FORM = OfficialForm(
    code="DWC069",
    title="Report of Medical Evaluation",
    revision="Rev. 01/15",
    file=FORMS_DIR / "texas" / "DWC069-rev0115.pdf",
    signature_field="18. Signature of Certifying Doctor",
)

ROLE_BOXES = {
    "treating": "13. Treating Doctor",
    "for_treating": "13. Doctor selected by Treating Doctor acting in place of the Treating Doctor",
    "designated": "13. Designated Doctor selected by DWC",
    "carrier_rme": "13. Insurance Carrierselected RME Doctor approved by DWC to evaluate MMI "
    "andor permanent impairment after a Designated Doctor examination",
}
EDITION_BOXES = {
    "3rd": "17. third edition second printing February 1989",
    "4th": "17. fourth edition 1st 2nd 3rd or 4th printing",
}


def _date(values: dict[str, str | bool], fields: tuple[str, str, str], day: date | None) -> None:
    if day is not None:
        month_field, day_field, year_field = fields
        values[month_field] = f"{day:%m}"
        values[day_field] = f"{day:%d}"
        values[year_field] = f"{day:%Y}"


def field_values(report: MedicalEvaluation) -> FieldValues:
    claim, doctor = report.claim, report.certifier
    values: dict[str, str | bool] = {
        "DWC Claim": claim.state_claim_number,
        "Carrier Claim": claim.carrier_claim_number,
        "1 Workers Compensation Insurance Carrier": claim.carrier,
        "2 Employers Name": claim.employer,
        "3 Employers Address  Street or PO Box City State Zip": claim.employer_address,
        "4 Injured Employees Name First Middle Last": claim.employee,
        "5 Date of Injury": f"{claim.date_of_injury:%m/%d/%Y}",
        "6 Social Security Number": f"XXX-XX-{claim.ssn_last4}" if claim.ssn_last4 else "",
        "7 Employees Phone Number": claim.employee_phone,
        "8 Employees Address  Street or PO Box City State Zip": claim.employee_address,
        "9 Certifying Doctors Name and License Type": ", ".join(
            part for part in (doctor.name, doctor.licence_type) if part
        ),
        "10 Certifying Doctors License Number and Jurisdiction": " ".join(
            part for part in (doctor.licence_number, doctor.licence_jurisdiction) if part
        ),
        "11 Doctors Phone": doctor.phone,
        "11 Doctors Fax": doctor.fax,
        "12 Certifying Doctors Address Street or PO Box City State Zip": doctor.address,
        "15 Diagnosis Codes": ", ".join(report.diagnosis_codes),
    }
    if report.certifier_role in ROLE_BOXES:
        values[ROLE_BOXES[report.certifier_role]] = True
    _date(
        values,
        ("14. Month - Date of Exam", "14. Day - Date of Exam", "14. Year - Date of Exam"),
        report.exam_date,
    )
    if report.mmi_reached:
        values["Yes I certify that the employee reached"] = True
        if report.mmi_type == "statutory":
            values["STATUTORY MMI"] = True
        elif report.mmi_type == "clinical":
            values["CLINICAL MMI"] = True
        _date(
            values,
            ("16. Month of MMI Date", "16. Day MMI Date", "16. Year of MMI Date"),
            report.mmi_date,
        )
        # Section IV is answered only by a certification that MMI was reached.
        if report.impairment_finding == "none":
            values[
                "17a. I certify that the employee does not have any permanent impairment as a "
                "result of the compensable injury"
            ] = True
        elif report.impairment_finding == "rated":
            values[
                "17b. I certify that the employee has permanent impairment as a result of the "
                "compensable injury"
            ] = True
            if report.impairment_rating is not None:
                values["17. Amount of permanent impairment (percent)"] = str(
                    report.impairment_rating
                )
            if report.guides_edition in EDITION_BOXES:
                values[EDITION_BOXES[report.guides_edition]] = True
    elif report.mmi_reached is False:
        values[
            "No I certify that the employee has NOT reached MMI but is expected to reach MMI "
            "on or about"
        ] = True
        _date(
            values,
            (
                "16. Month of Expected MMI Date",
                "16. Day of Expected MMI Date",
                "16. Year of Expected MMI Date",
            ),
            report.expected_mmi_date,
        )
    if report.certified_on is not None:
        values["18. Date of Certification"] = f"{report.certified_on:%m/%d/%Y}"
    return {name: value for name, value in values.items() if value}
