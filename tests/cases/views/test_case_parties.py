"""Opening and editing a case without the Django admin: the parties added on the form, the
patient found by typing or entered once, the patient's details edited, the case handed
over to another case manager."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Case, Patient
from cases.selectors.history import case_history
from tests.support.cast import client_for
from tests.support.factories import CaseFactory, PatientFactory

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test


def edit_data(client, case: Case, **overrides) -> dict:
    """The case's edit form as the page shows it, posted back with ``overrides``."""
    page = client.get(reverse("case-edit", args=[case.pk]))
    form, periods = page.context["form"], page.context["periods"]
    data = {f"case-{name}": value for name, value in form.initial.items() if value is not None}
    data["case-care_team"] = [user.pk for user in form.initial["care_team"]]
    data["case-tracked_instruments"] = [i.pk for i in form.initial["tracked_instruments"]]
    data.update({f"periods-{k}": v for k, v in periods.management_form.initial.items()})
    for index, period in enumerate(periods.forms):
        for name, value in period.initial.items():
            data[f"periods-{index}-{name}"] = "" if value is None else str(value)
    data.update(overrides)
    return {k: v for k, v in data.items() if v != []}


# Handing a case over


def test_a_case_manager_hands_a_case_over_and_history_says_so(cast):
    client = client_for(cast.case_manager)
    newcomer = cast.other_case_manager
    response = client.post(
        reverse("case-edit", args=[cast.case.pk]),
        edit_data(client, cast.case, **{"case-case_manager": newcomer.pk}),
    )
    cast.case.refresh_from_db()
    assert cast.case.case_manager == newcomer
    # The case has left the list of the manager who handed it over.
    assert response.status_code == 302 and response.url == reverse("case-list")
    listed = client.get(response.url)
    assert f"handed over to {newcomer}" in listed.content.decode()
    assert client.get(cast.case.get_absolute_url()).status_code == 404
    assert client_for(newcomer).get(cast.case.get_absolute_url()).status_code == 200

    latest = cast.case.history.first()
    assert (latest.history_user, latest.case_manager_id) == (cast.case_manager, newcomer.pk)
    sentences = [f"{entry.who} {entry.sentence}" for entry in case_history(cast.case)]
    assert any(
        "Karen Jones changed" in s and "case manager" in s and str(newcomer) in s for s in sentences
    ), sentences


def test_the_case_goes_only_to_a_case_manager(cast):
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("case-edit", args=[cast.case.pk]),
        edit_data(client, cast.case, **{"case-case_manager": cast.clinician.pk}),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    cast.case.refresh_from_db()
    assert cast.case.case_manager == cast.case_manager


def test_a_case_manager_opening_a_case_manages_it_without_being_asked(cast):
    page = client_for(cast.case_manager).get(reverse("case-open"))
    assert "case-case_manager" not in page.content.decode()
    edit = client_for(cast.case_manager).get(reverse("case-edit", args=[cast.case.pk]))
    assert 'name="case-case_manager"' in edit.content.decode()


# Editing the patient


def test_the_case_page_leads_its_manager_to_the_patient_edit_page(cast):
    url = reverse("patient-edit", args=[cast.case.pk])
    assert url in client_for(cast.case_manager).get(cast.case.get_absolute_url()).content.decode()
    assert url not in client_for(cast.clinician).get(cast.case.get_absolute_url()).content.decode()


def patient_data(patient: Patient, **overrides) -> dict:
    data = {
        "patient-first_name": patient.first_name,
        "patient-last_name": patient.last_name,
        "patient-date_of_birth": str(patient.date_of_birth),
        "patient-phone": patient.phone,
        "patient-email": patient.email,
        "patient-address": patient.address,
    }
    data.update(overrides)
    return data


def test_the_patient_is_edited_and_history_keeps_each_version(cast):
    client = client_for(cast.case_manager)
    patient = cast.case.patient
    url = reverse("patient-edit", args=[cast.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, patient_data(patient, **{"patient-last_name": "Diaz-Ortega", "patient-phone": "555"})
    )
    assert response.status_code == 302 and response.url == cast.case.get_absolute_url()
    patient.refresh_from_db()
    assert (patient.last_name, patient.phone) == ("Diaz-Ortega", "555")
    latest = patient.history.first()
    assert latest.history_user == cast.case_manager
    assert patient.history.count() == 2
    history = client.get(reverse("case-history", args=[cast.case.pk])).content.decode()
    assert "Diaz-Ortega" in history
    # The case list finds the case under the new name.
    found = client.get(reverse("case-list"), {"q": "Diaz-Ortega"})
    assert [c.pk for c in found.context["page"].object_list] == [cast.case.pk]


def test_a_patient_cannot_take_the_name_and_birth_date_of_another(cast):
    PatientFactory(first_name="Rosa", last_name="Diaz", date_of_birth=date(1984, 2, 29))
    client = client_for(cast.case_manager)
    patient = cast.case.patient
    response = client.post(
        reverse("patient-edit", args=[cast.case.pk]),
        patient_data(
            patient,
            **{
                "patient-first_name": "rosa",
                "patient-last_name": "Diaz ",
                "patient-date_of_birth": "1984-02-29",
            },
        ),
    )
    assert response.status_code == 200
    assert "Rosa Diaz, born 29 Feb 1984, is already on file." in response.content.decode()
    patient.refresh_from_db()
    assert patient.first_name != "rosa"


@pytest.mark.parametrize(
    "who,status", [("clinician", 403), ("adjuster", 403), ("other_case_manager", 404)]
)
def test_only_whoever_manages_the_case_edits_the_patient(cast, who, status):
    client = client_for(getattr(cast, who))
    url = reverse("patient-edit", args=[cast.case.pk])
    before = cast.case.patient.last_name
    assert client.get(url).status_code == status
    response = client.post(url, patient_data(cast.case.patient, **{"patient-last_name": "X"}))
    assert response.status_code == status
    cast.case.patient.refresh_from_db()
    assert cast.case.patient.last_name == before


def test_a_bad_birth_date_is_explained_next_to_the_field(cast):
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("patient-edit", args=[cast.case.pk]),
        patient_data(cast.case.patient, **{"patient-date_of_birth": "31/31/1999"}),
    )
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_a_second_case_of_the_same_manager_keeps_its_patient(cast):
    # Two cases of one patient: the edit shows on both.
    other = CaseFactory(case_manager=cast.case_manager, patient=cast.case.patient)
    client = client_for(cast.case_manager)
    client.post(
        reverse("patient-edit", args=[other.pk]),
        patient_data(cast.case.patient, **{"patient-first_name": "Renamed"}),
    )
    assert "Renamed" in client.get(cast.case.get_absolute_url()).content.decode()
