"""A clinician's practice details, and the SSN's last four digits on the patient form."""

import pytest
from django.urls import reverse

from cases.forms.cases import PatientForm
from tests.support.cast import client_for

PATIENT = {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1980-01-02"}


@pytest.mark.parametrize("typed", ["12345", "123", "12a4", "123-45-6789"])
def test_anything_but_four_digits_is_refused_with_a_message(db, typed):
    form = PatientForm({**PATIENT, "ssn_last4": typed})
    assert not form.is_valid()
    assert form.errors["ssn_last4"]


def test_four_digits_or_none_are_taken(db):
    assert PatientForm({**PATIENT, "ssn_last4": "0042"}).is_valid()
    assert PatientForm({**PATIENT, "ssn_last4": ""}).is_valid()


def test_a_clinician_saves_the_practice_details_the_forms_print(cast):
    client = client_for(cast.clinician)
    response = client.post(
        reverse("practice-details"),
        {
            "facility_name": "Riverside Occupational Clinic",
            "office_street": "4100 Riverside Pkwy",
            "office_city": "San Antonio",
            "office_state": "tx",
            "office_zip": "78210",
            "office_phone": "(210) 555-0140",
            "office_fax": "",
        },
    )
    assert response.status_code == 302
    cast.clinician.refresh_from_db()
    assert cast.clinician.office_state == "TX"
    assert cast.clinician.facility_name == "Riverside Occupational Clinic"
    assert "Practice details" in client.get(reverse("account")).content.decode()


def test_a_bad_zip_code_is_refused_with_a_message(cast):
    response = client_for(cast.clinician).post(reverse("practice-details"), {"office_zip": "7821"})
    assert response.status_code == 200
    assert "ZIP code of 5 digits" in response.content.decode()
