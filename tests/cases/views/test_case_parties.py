"""Opening and editing a case without the Django admin: the parties added on the form, the
patient found by typing or entered once, the patient's details edited, the case handed
over to another case manager."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.access import Capability, roles_with
from cases.models import Case, Organisation, Patient, Role, User
from cases.selectors.history import case_history
from cases.selectors.patients import PATIENTS_FOUND
from tests.cases.views.test_case_record import open_case_data
from tests.support.cast import client_for
from tests.support.factories import CaseFactory, OrganisationFactory, PatientFactory

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


# Adding an employer, an insurer or an adjuster on the form


def open_data(cast, **overrides) -> dict:
    return open_case_data(cast, **overrides)


NEW_PARTIES = {
    "case-employer": "",
    "case-new_employer_name": "Brazos Concrete",
    "case-new_employer_phone": "512-555-0100",
    "case-new_employer_fax": "512-555-0101",
    "case-insurer": "",
    "case-new_insurer_name": "Pecos Mutual",
    "case-new_insurer_fax": "claims@pecos.example",
    "case-adjuster": "",
    "case-new_adjuster_first_name": "Dana",
    "case-new_adjuster_last_name": "Ruiz",
    "case-new_adjuster_email": "Dana.Ruiz@pecos.example",
}


def test_a_case_manager_adds_the_parties_while_opening_a_case(cast):
    client = client_for(cast.case_manager)
    response = client.post(reverse("case-open"), open_data(cast, **NEW_PARTIES))
    case = Case.objects.get(claim_number="LSM-NEW-1")
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert (case.employer.name, case.employer.kind, case.employer.phone) == (
        "Brazos Concrete",
        Organisation.Kind.EMPLOYER,
        "512-555-0100",
    )
    assert (case.insurer.name, case.insurer.kind) == ("Pecos Mutual", Organisation.Kind.INSURER)
    # The work status form (DWC073) asks for each one's fax or email address.
    assert (case.employer.fax, case.insurer.fax) == ("512-555-0101", "claims@pecos.example")
    adjuster = case.adjuster
    assert (adjuster.get_full_name(), adjuster.email, adjuster.role) == (
        "Dana Ruiz",
        "dana.ruiz@pecos.example",
        Role.ADJUSTER,
    )
    assert adjuster.organisation == case.insurer
    # A password nobody knows, which they replace through "Forgot your password?".
    assert adjuster.has_usable_password()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Brazos Concrete" in page and "Dana Ruiz" in page
    # The new adjuster reads the case at once.
    assert client_for(adjuster).get(case.get_absolute_url()).status_code == 200


def test_a_party_already_on_file_under_that_name_is_not_added_twice(cast):
    employers = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER)
    existing = OrganisationFactory(name="Brazos Concrete", kind=Organisation.Kind.EMPLOYER)
    data = open_data(cast, **{"case-employer": "", "case-new_employer_name": " brazos  concrete"})
    before = employers.count()
    client_for(cast.case_manager).post(reverse("case-open"), data)
    assert Case.objects.get(claim_number="LSM-NEW-1").employer == existing
    assert employers.count() == before


def test_a_refused_case_adds_nobody_and_keeps_what_was_typed(cast):
    data = open_data(cast, **NEW_PARTIES, **{"case-claim_number": ""})
    organisations, users = Organisation.objects.count(), User.objects.count()
    response = client_for(cast.case_manager).post(reverse("case-open"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "The case was not opened" in page
    assert (Organisation.objects.count(), User.objects.count()) == (organisations, users)
    assert 'value="Brazos Concrete"' in page and 'value="Dana.Ruiz@pecos.example"' in page
    assert page.count('class="add-party" open') == 3


def test_a_case_needs_an_employer_picked_or_added(cast):
    client = client_for(cast.case_manager)
    response = client.post(reverse("case-open"), open_data(cast, **{"case-employer": ""}))
    assert "Pick the employer from the list, or add one not listed." in response.content.decode()
    assert not Case.objects.filter(claim_number="LSM-NEW-1").exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"case-new_adjuster_email": ""}, "A new adjuster needs this too."),
        (
            {"case-new_insurer_name": "", "case-insurer": ""},
            "Pick the insurer from the list, or add one not listed.",
        ),
        ({"case-new_adjuster_email": "not-an-address"}, "Enter a valid email address."),
    ],
)
def test_a_new_adjuster_is_refused_with_a_reason(cast, overrides, message):
    users = User.objects.count()
    client = client_for(cast.case_manager)
    response = client.post(reverse("case-open"), open_data(cast, **{**NEW_PARTIES, **overrides}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == users


def test_an_email_address_someone_else_uses_is_refused_under_the_adjuster(cast):
    users = User.objects.count()
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("case-open"),
        open_data(cast, **{**NEW_PARTIES, "case-new_adjuster_email": cast.clinician.email}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f"Someone on file who is not an adjuster of Pecos Mutual uses {cast.clinician.email}"
        in page
    )
    assert User.objects.count() == users
    assert not Organisation.objects.filter(name="Pecos Mutual").exists()


def test_a_picked_adjuster_must_work_for_the_new_insurer(cast):
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("case-open"),
        open_data(cast, **{"case-insurer": "", "case-new_insurer_name": "Pecos Mutual"}),
    )
    assert f"{cast.adjuster} does not work for Pecos Mutual." in response.content.decode()


def test_the_edit_form_adds_an_employer_and_history_records_the_change(cast):
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("case-edit", args=[cast.case.pk]),
        edit_data(client, cast.case, **{"case-new_employer_name": "Brazos Concrete"}),
    )
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.employer.name == "Brazos Concrete"
    assert cast.case.history.first().history_user == cast.case_manager


@pytest.mark.parametrize(
    "who,url_name,status",
    [
        ("clinician", "case-open", 403),
        ("adjuster", "case-open", 403),
        ("clinician", "case-edit", 403),
        ("adjuster", "case-edit", 403),
        ("other_adjuster", "case-edit", 404),
        ("other_case_manager", "case-edit", 404),
    ],
)
def test_only_case_managers_and_administrators_add_parties(cast, who, url_name, status):
    args = [cast.case.pk] if url_name == "case-edit" else []
    data = open_data(cast, **NEW_PARTIES)
    organisations, users = Organisation.objects.count(), User.objects.count()
    response = client_for(getattr(cast, who)).post(reverse(url_name, args=args), data)
    assert response.status_code == status
    assert (Organisation.objects.count(), User.objects.count()) == (organisations, users)


def test_the_roles_that_add_parties_are_case_managers_and_administrators():
    assert set(roles_with(Capability.ADD_PARTIES)) == {Role.CASE_MANAGER, Role.ADMINISTRATOR}


def test_an_administrator_sees_and_uses_the_add_forms(cast):
    client = client_for(cast.admin)
    page = client.get(reverse("case-open")).content.decode()
    assert "Add an employer not listed" in page and "Add an adjuster not listed" in page
    response = client.post(
        reverse("case-open"),
        open_data(cast, **NEW_PARTIES, **{"case-case_manager": cast.case_manager.pk}),
    )
    assert response.status_code == 302
    assert Case.objects.get(claim_number="LSM-NEW-1").insurer.name == "Pecos Mutual"


# Finding the patient


def found(client, typed: str) -> str:
    response = client.get(reverse("patient-search"), {"choice-find": typed})
    assert response.status_code == 200
    return response.content.decode()


def test_patients_are_found_by_name_and_birth_date_among_those_one_may_see(cast):
    mine = cast.case.patient
    mine.first_name, mine.last_name, mine.date_of_birth = "Rosa", "Álvarez", date(1984, 2, 3)
    services.patient_update(patient=mine)
    theirs = PatientFactory(first_name="Rosa", last_name="Alvarado", date_of_birth=date(1984, 2, 3))
    CaseFactory(patient=theirs)  # another manager's case
    client = client_for(cast.case_manager)
    for typed in ("rosa", "alv", "Rosa Alvarez", "1984-02-03", "2/3/1984"):
        page = found(client, typed)
        assert "Rosa Álvarez, born 3 Feb 1984" in page, typed
        assert "Alvarado" not in page, typed
    assert "No patient on file that you may see matches “Nobody”" in found(client, "Nobody")
    # An administrator sees every patient.
    assert "Alvarado" in found(client_for(cast.admin), "rosa")


def test_the_lookup_makes_the_same_queries_however_many_patients_match(cast):
    client = client_for(cast.case_manager)
    CaseFactory.create_batch(2, case_manager=cast.case_manager)
    with CaptureQueriesContext(connection) as few:
        found(client, "Ient")
    CaseFactory.create_batch(20, case_manager=cast.case_manager)
    with CaptureQueriesContext(connection) as many:
        page = found(client, "Ient")
    assert len(few) == len(many)
    assert page.count('type="radio"') == PATIENTS_FOUND + 1  # and "None of these"


def test_picking_a_patient_on_file_opens_the_case_for_them(cast):
    patients = Patient.objects.count()
    client = client_for(cast.case_manager)
    blank = {"patient-first_name": "", "patient-last_name": "", "patient-date_of_birth": ""}
    response = client.post(
        reverse("case-open"),
        open_data(cast, **blank, **{"choice-existing_patient": cast.case.patient.pk}),
    )
    assert response.status_code == 302
    assert Case.objects.get(claim_number="LSM-NEW-1").patient == cast.case.patient
    assert Patient.objects.count() == patients


def test_another_managers_patient_cannot_be_picked(cast):
    theirs = CaseFactory(case_manager=cast.other_case_manager).patient
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("case-open"), open_data(cast, **{"choice-existing_patient": theirs.pk})
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Case.objects.filter(claim_number="LSM-NEW-1").exists()


def test_a_new_patient_already_on_file_is_offered_rather_than_entered_twice(cast):
    # On file through another manager's case: only what was typed is told about them.
    rosa = PatientFactory(first_name="Rosa", last_name="Diaz", date_of_birth=date(1984, 2, 29))
    CaseFactory(patient=rosa, case_manager=cast.other_case_manager)
    patients = Patient.objects.count()
    client = client_for(cast.case_manager)
    data = open_data(cast, **{"patient-first_name": "ROSA", "patient-last_name": "diaz"})
    first = client.post(reverse("case-open"), data)
    page = first.content.decode()
    assert first.status_code == 200
    assert "Rosa Diaz, born 29 Feb 1984, is already on file" in page
    assert f'value="{rosa.pk}" checked' in page
    assert not Case.objects.filter(claim_number="LSM-NEW-1").exists()

    second = client.post(reverse("case-open"), {**data, "choice-existing_patient": rosa.pk})
    assert second.status_code == 302
    assert Case.objects.get(claim_number="LSM-NEW-1").patient == rosa
    assert Patient.objects.count() == patients


@pytest.mark.parametrize("how", [{"find": "1"}, {}])
def test_finding_without_javascript_lists_the_patients_and_keeps_what_was_typed(cast, how):
    # By the Find button, or by Enter in the search box with no patient entered.
    client = client_for(cast.case_manager)
    blank = {"patient-first_name": "", "patient-last_name": "", "patient-date_of_birth": ""}
    typed = open_data(cast, **blank, **{"choice-find": cast.case.patient.last_name}, **how)
    response = client.post(reverse("case-open"), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{cast.case.patient.pk}"' in page
    assert 'value="LSM-NEW-1"' in page and "s83.511a, M23.91" in page
    assert "The case was not opened" not in page and "This field is required" not in page
    assert not Case.objects.filter(claim_number="LSM-NEW-1").exists()


def test_a_case_opened_with_no_clinician_is_on_the_board_as_no_clinician_assigned(cast):
    client = client_for(cast.case_manager)
    data = open_data(cast, **NEW_PARTIES)
    del data["case-care_team"]
    assert client.post(reverse("case-open"), data).status_code == 302
    page = client.get(reverse("home")).content.decode()
    section = page[page.index('id="worklist-no-clinician"') :]
    section = section[: section.index("</section>")]
    assert "No clinician assigned" in section and "LSM-NEW-1" in section


# The employee's representative


def test_the_employees_representative_is_entered_on_the_case_and_shown_on_its_page(cast):
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("case-edit", args=[cast.case.pk]),
        edit_data(
            client,
            cast.case,
            **{
                "case-representative_name": "Elena Ruiz, Ruiz & Ortega Law",
                "case-representative_address": "401 Congress Ave\nAustin, TX 78701",
                "case-representative_fax": "(512) 555-0177",
            },
        ),
    )
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.representative_fax == "(512) 555-0177"
    page = client.get(cast.case.get_absolute_url()).content.decode()
    assert (
        'Employee\'s representative</dt><dd class="col-sm-9">Elena Ruiz, Ruiz &amp; Ortega Law'
        in page
    )


def test_a_representatives_address_without_a_name_is_refused_and_kept_in_the_form(cast):
    client = client_for(cast.case_manager)
    response = client.post(
        reverse("case-edit", args=[cast.case.pk]),
        edit_data(client, cast.case, **{"case-representative_address": "401 Congress Ave"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Name the representative whose address this is." in html
    assert "401 Congress Ave</textarea>" in html
    cast.case.refresh_from_db()
    assert cast.case.representative_address == ""
