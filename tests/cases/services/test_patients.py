"""A new patient is put on file by services.patient_create (docs/architecture.md §3): checked
like any row, refused by field, and written with the case it comes with or not at all."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.models import Case, Patient
from tests.cases.views.test_case_record import open_case_data


def test_a_patient_is_put_on_file_with_their_details(db):
    patient = services.patient_create(
        first_name="Rosa",
        last_name="Diaz",
        date_of_birth=date(1984, 2, 29),
        email="rosa@example.com",
    )
    saved = Patient.objects.get(pk=patient.pk)
    assert (saved.first_name, saved.last_name, saved.date_of_birth) == (
        "Rosa",
        "Diaz",
        date(1984, 2, 29),
    )
    assert (saved.email, saved.phone, saved.address) == ("rosa@example.com", "", "")
    assert saved.history.count() == 1


def test_a_patient_is_refused_by_field_and_nothing_saved(db):
    with pytest.raises(ValidationError) as refused:
        services.patient_create(
            first_name="", last_name="Diaz", date_of_birth=date(1984, 2, 29), email="not mail"
        )
    assert set(refused.value.message_dict) == {"first_name", "email"}
    assert not Patient.objects.exists()


def test_the_details_are_given_by_name(db):
    with pytest.raises(TypeError):
        services.patient_create("Rosa", "Diaz", date(1984, 2, 29))


def test_opening_a_case_for_a_new_patient_puts_them_on_file(cast, client):
    client.force_login(cast.case_manager)
    response = client.post(reverse("case-open"), open_case_data(cast))
    assert response.status_code == 302
    case = Case.objects.get(claim_number="LSM-NEW-1")
    assert (case.patient.first_name, case.patient.date_of_birth) == ("Rosa", date(1984, 2, 29))


def test_a_case_refused_by_the_services_leaves_no_new_patient(cast, client):
    client.force_login(cast.case_manager)
    before = Patient.objects.count()
    # The periods of disability are checked by services.case_open, after the patient.
    response = client.post(
        reverse("case-open"), open_case_data(cast, **{"periods-0-began": "2000-01-01"})
    )
    assert response.status_code == 200
    assert "before the date of injury" in response.content.decode()
    assert Patient.objects.count() == before
