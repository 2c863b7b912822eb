"""The History page: every change to a case and its records, in plain words, newest first."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AccessLogEntry
from cases import services
from cases.models import Determination, Instrument, Treatment, WorkRestriction, WorkStatus
from cases.selectors.history import case_history
from tests.support.cast import client_for
from tests.support.determinations import save_step, signed_determination
from tests.support.factories import (
    AssessmentFactory,
    ConsultationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

TODAY = timezone.localdate


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def history_text(cast, user=None) -> str:
    response = client_for(user or cast.clinician).get(reverse("case-history", args=[cast.case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def sentences(case) -> list[str]:
    return [f"{entry.who} {entry.sentence}" for entry in case_history(case)]


@pytest.fixture
def odi(db):
    return Instrument.objects.get(abbreviation="ODI")


def test_correcting_a_score_reads_who_changed_it_from_what_to_what(cast, odi):
    cast.case.tracked_instruments.set([odi])
    client = client_for(cast.clinician)
    assessment_date = date(2026, 3, 12)
    if assessment_date > TODAY():
        assessment_date = TODAY()
    # No time off work, so the periods of disability need not follow the moved injury.
    services.case_update(
        case=cast.case,
        date_of_injury=assessment_date - timedelta(days=60),
        disability_periods=[],
    )
    add = client.post(
        reverse("assessment-add", args=[cast.case.pk]),
        {"date": str(assessment_date), f"score_{odi.pk}": "38"},
    )
    assert add.status_code == 302
    assessment = cast.case.assessments.get()
    edit = client.post(
        reverse("assessment-edit", args=[cast.case.pk, assessment.pk]),
        {"date": str(assessment_date), f"score_{odi.pk}": "34"},
    )
    assert edit.status_code == 302
    day = _day(assessment_date)
    assert sentences(cast.case)[:3] == [
        f"Emily Chen changed ODI on {day} from 38 to 34",
        f"Emily Chen recorded ODI on {day}: 38",
        f"Emily Chen added the assessment of {day}",
    ]
    assert f"Emily Chen</span> changed ODI on {day} from 38 to 34" in history_text(cast)


def test_removing_a_score_is_shown(cast, odi):
    score = OutcomeScoreFactory(assessment=AssessmentFactory(case=cast.case), value=Decimal(40))
    services.assessment_save(assessment=score.assessment, scores={odi: (None, None)})
    assert sentences(cast.case)[0].endswith("removed ODI on " + _day(score.assessment.date))


def test_treatment_added_then_changed_field_by_field(cast):
    client = client_for(cast.clinician)
    start = TODAY() - timedelta(days=20)
    client.post(
        reverse("record-add", args=[cast.case.pk, "treatments"]),
        {"kind": "pt", "description": "Core stability", "start_date": str(start)},
    )
    treatment = Treatment.objects.get(case=cast.case)
    client.post(
        reverse("record-edit", args=[cast.case.pk, "treatments", treatment.pk]),
        {
            "kind": "pt",
            "description": "Core stability",
            "start_date": str(start),
            "end_date": str(TODAY()),
            "sessions": "12",
        },
    )
    lines = sentences(cast.case)
    assert "Emily Chen added the treatment “Core stability”" in lines
    assert (
        f"Emily Chen changed the end date of the treatment “Core stability” from — to "
        f"{_day(TODAY())}" in lines
    )
    assert "Emily Chen changed the sessions of the treatment “Core stability” from — to 12" in lines
    # The first treatment moved the case into treatment: an event, attributed too.
    assert "Emily Chen changed the status of the case from Open to In treatment" in lines


def case_form_data(client, case) -> dict:
    """The case form as its page shows it, periods of disability included."""
    page = client.get(reverse("case-edit", args=[case.pk]))
    form, periods = page.context["form"], page.context["periods"]
    data = {
        f"case-{name}": value for name, value in form.initial.items() if value not in (None, [])
    }
    data["case-diagnosis_codes"] = case.diagnosis_codes
    data["case-care_team"] = [member.pk for member in case.care_team.all()]
    data.update({f"periods-{key}": value for key, value in periods.management_form.initial.items()})
    for index, period in enumerate(periods.forms):
        for name, value in period.initial.items():
            data[f"periods-{index}-{name}"] = "" if value is None else str(value)
    return data


def test_case_details_and_care_team_changes_name_the_manager(cast):
    client = client_for(cast.case_manager)
    url = reverse("case-edit", args=[cast.case.pk])
    data = case_form_data(client, cast.case)
    data["case-care_team"] = [cast.clinician.pk, cast.other_clinician.pk]
    data["case-next_review_date"] = str(TODAY() + timedelta(days=14))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    lines = sentences(cast.case)
    assert f"Karen Jones added {cast.other_clinician} to the care team" in lines
    assert (
        f"Karen Jones changed the next review date of the case from — to "
        f"{_day(TODAY() + timedelta(days=14))}" in lines
    )
    # The periods were posted back unchanged: nothing derived from them changed.
    assert not [
        line
        for line in lines
        if line.startswith("Karen Jones") and ("disability began" in line or "statutory" in line)
    ]


def test_a_changed_period_of_disability_names_what_it_moved(cast):
    client = client_for(cast.case_manager)
    before = cast.case.disability_began
    statutory_before = cast.case.statutory_mmi_date
    later = before + timedelta(days=3)
    data = case_form_data(client, cast.case)
    data["periods-0-began"] = str(later)
    response = client.post(reverse("case-edit", args=[cast.case.pk]), data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["periods"].errors,
        response.context["periods"].non_form_errors(),
    )
    lines = sentences(cast.case)
    # The first day of disability and statutory MMI are derived, and their history names them.
    assert (
        f"Karen Jones changed the disability began of the case from {_day(before)} to "
        f"{_day(later)}" in lines
    )
    assert (
        f"Karen Jones changed the statutory MMI date of the case from {_day(statutory_before)} "
        f"to {_day(statutory_before + timedelta(days=3))}" in lines
    )


def test_diagnostic_consultation_and_work_status_changes_are_listed(cast):
    diagnostic = DiagnosticFactory(case=cast.case, stability="not_compared")
    diagnostic.stability = "stable"
    services.record_save(record=diagnostic)
    consultation = ConsultationFactory(case=cast.case, consultant="Dr. Ward")
    consultation.mmi_opinion = "disagrees"
    services.record_save(record=consultation)
    status = services.work_status_save(
        work_status=WorkStatus(
            case=cast.case,
            kind="restricted",
            effective_from=TODAY(),
            expected_through=TODAY() + timedelta(days=30),
            issued_by=cast.clinician,
        ),
        restrictions=[WorkRestriction(category="lift_carry", activity="lift", max_pounds=20)],
    )
    restriction = status.restrictions.get()
    restriction.delete()
    lines = sentences(cast.case)
    assert (
        f"The system changed the stability of the MRI of {_day(diagnostic.date)} from Not "
        "compared to Stable" in lines
    )
    assert (
        "The system changed the opinion on MMI of the consultation with Dr. Ward from At MMI "
        "to Not at MMI" in lines
    )
    assert f"The system added the work status as of {_day(TODAY())}" in lines
    assert "The system added the work restriction “lift”" in lines
    assert lines[0] == "The system removed the work restriction “lift”"


def test_patient_changes_are_part_of_the_case_history(cast):
    patient = cast.case.patient
    patient.phone = "555-0100"
    patient.save()
    assert "The system changed the phone of the patient from — to 555-0100" in sentences(cast.case)


def test_history_is_newest_first(cast):
    TreatmentFactory(case=cast.case, description="First")
    TreatmentFactory(case=cast.case, description="Second")
    lines = [line for line in sentences(cast.case) if "treatment" in line]
    assert lines == [
        "The system added the treatment “Second”",
        "The system added the treatment “First”",
    ]


def test_history_of_one_case_does_not_show_another_cases_records(cast):
    TreatmentFactory(description="Someone else's surgery")
    assert "Someone else" not in history_text(cast)


def test_user_text_in_history_is_shown_as_text(cast):
    TreatmentFactory(case=cast.case, description="<script>alert(1)</script>")
    page = history_text(cast)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_viewing_the_history_is_logged(cast):
    history_text(cast, cast.adjuster)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.case, entry.action) == (
        cast.adjuster,
        cast.case,
        AccessLogEntry.Action.CASE_HISTORY_VIEW,
    )


@pytest.mark.parametrize(
    "role,status",
    [
        ("clinician", 200),
        ("other_clinician", 404),
        ("case_manager", 200),
        ("other_case_manager", 404),
        ("adjuster", 200),
        ("other_adjuster", 404),
        ("admin", 200),
    ],
)
def test_history_is_visible_to_whoever_may_see_the_case(cast, role, status):
    user = cast.roles()[role]
    response = client_for(user).get(reverse("case-history", args=[cast.case.pk]))
    assert response.status_code == status


def test_case_page_links_to_its_history(cast):
    page = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    assert f'href="{reverse("case-history", args=[cast.case.pk])}"' in page


def fill(cast, n):
    for i in range(n):
        treatment = TreatmentFactory(case=cast.case, description=f"Treatment {i}")
        treatment.sessions = i + 1
        treatment.save()
        assessment = AssessmentFactory(case=cast.case, clinician=cast.clinician)
        score = OutcomeScoreFactory(assessment=assessment)
        score.value = Decimal(30)
        score.save()
        DiagnosticFactory(case=cast.case)
        ConsultationFactory(case=cast.case)
        WorkRestrictionFactory(
            work_status=WorkStatusFactory(case=cast.case, issued_by=cast.clinician)
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_history_page_makes_the_same_queries_with_2_and_20_records_each(cast):
    client = client_for(cast.clinician)
    url = reverse("case-history", args=[cast.case.pk])
    fill(cast, 2)
    few = count_queries(client, url)
    fill(cast, 18)
    assert count_queries(client, url) == few


def reopen(signed: Determination, clinician) -> None:
    services.determination_rescind(
        determination=Determination.objects.get(pk=signed.pk),
        rescinded_by=clinician,
        category="new_diagnosis",
        reason="New MRI finding.",
    )


def test_determination_lifecycle_and_disputes_are_in_the_history(cast):
    signed = signed_determination(cast.case, cast.clinician)
    dispute = services.dispute_record(
        determination=signed,
        recorded_by=cast.case_manager,
        disputed_by="carrier",
        disputed_issue="both",
        notice_date=TODAY(),
        received_on=TODAY(),
        review_requested="ime",
        notes="",
    )
    services.dispute_resolve(
        dispute=dispute, outcome="overturned", outcome_date=TODAY(), notes="IME disagreed."
    )
    reopen(signed, cast.clinician)
    lines = sentences(cast.case)
    assert "The system added MMI determination v1" in lines
    assert "The system changed the status of MMI determination v1 from Draft to Signed" in lines
    assert "The system changed the status of MMI determination v1 from Signed to Rescinded" in lines
    assert "The system added the dispute by insurance carrier" in lines
    assert (
        "The system changed the outcome of the dispute by insurance carrier from Pending to "
        "Certification overturned" in lines
    )


def test_a_changed_step_answer_reads_as_its_own_sentence(cast):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    save_step(draft, "therapy", cast.clinician, interpretation="Still improving.")
    save_step(draft, "therapy", cast.clinician, interpretation="Levelled off.")
    lines = sentences(cast.case)
    assert (
        "The system changed “interpretation” in step “Therapy response” of MMI determination "
        "v1 from Still improving. to Levelled off." in lines
    )
    assert "The system added step “Therapy response” of MMI determination v1" in lines


def test_fields_are_named_in_words_never_by_their_columns(cast):
    signed = signed_determination(cast.case, cast.clinician)
    reopen(signed, cast.clinician)
    lines = sentences(cast.case)
    columns = [line for line in lines if re.search(r"\bmmi\b|_|\bat\b \w+ from", line)]
    assert not columns, columns
    assert "The system changed the MMI reached of MMI determination v1 from — to yes" in lines
    assert any(
        line.startswith("The system changed the signing time of MMI determination v1")
        for line in lines
    )
    assert (
        "The system changed the re-opening explanation of MMI determination v1 from — to "
        "New MRI finding." in lines
    )
