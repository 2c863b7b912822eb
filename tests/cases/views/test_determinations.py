"""Drafting an MMI determination: starting, the five steps and the outcome, resuming,
and two people saving the same step."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.template.defaultfilters import date as date_filter
from django.urls import reverse

from cases import services
from cases.management.commands.seed_demo import DEMO_PASSWORD
from cases.models import Case, CaseStatus, Determination, DeterminationStep, Instrument, User
from cases.templatetags.dates import day
from tests.support.cast import Cast, client_for
from tests.support.determinations import exam_day, save_step, today, valid_answers
from tests.support.factories import (
    AssessmentFactory,
    ClinicianFactory,
    ConsultationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
)


@pytest.fixture
def draft(cast: Cast) -> Determination:
    return services.determination_start(case=cast.case, started_by=cast.clinician)


def step_url(determination: Determination, slug: str) -> str:
    return reverse("determination-step", args=[determination.pk, slug])


def post_step(client, determination, slug, **changes):
    data = {**valid_answers(determination.case, slug), "revision": 0, **changes}
    return client.post(step_url(determination, slug), data)


def snapshot(determination: Determination) -> tuple:
    """Everything a refused save must leave as it was."""
    determination = Determination.objects.get(pk=determination.pk)
    return (
        {f.attname: getattr(determination, f.attname) for f in Determination._meta.fields},
        list(DeterminationStep.objects.filter(determination=determination).values()),
    )


# Starting ---------------------------------------------------------------------------------


def test_clinician_on_the_care_team_starts_a_determination_from_the_case_page(cast):
    client = client_for(cast.clinician)
    page = client.get(cast.case.get_absolute_url())
    assert "Start MMI determination" in page.content.decode()

    response = client.post(reverse("determination-start", args=[cast.case.pk]))

    determination = Determination.objects.get(case=cast.case)
    assert response.url == step_url(determination, "clinical")
    assert determination.is_draft
    assert determination.version == 1
    assert determination.certifying_clinician == cast.clinician
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.MMI_REVIEW


def test_starting_again_continues_the_open_draft(cast, draft):
    response = client_for(cast.clinician).post(reverse("determination-start", args=[cast.case.pk]))
    assert response.url == draft.get_absolute_url()
    assert Determination.objects.filter(case=cast.case).count() == 1


def test_the_database_refuses_a_second_open_draft(cast, draft):
    with pytest.raises(IntegrityError):
        Determination.objects.create(case=cast.case, version=2, certifying_clinician=cast.clinician)


def test_case_managers_see_no_start_button(cast):
    page = client_for(cast.case_manager).get(cast.case.get_absolute_url()).content.decode()
    assert "Start MMI determination" not in page


def test_case_page_lists_every_determination_with_version_status_and_signer(cast, draft):
    page = client_for(cast.case_manager).get(cast.case.get_absolute_url()).content.decode()
    assert "v1" in page
    assert "Draft" in page
    assert str(cast.clinician) in page
    assert draft.get_absolute_url() in page


def test_adjusters_do_not_see_drafts_on_the_case_page(cast, draft):
    page = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    assert draft.get_absolute_url() not in page
    assert client_for(cast.adjuster).get(draft.get_absolute_url()).status_code == 404


# Step 1: clinical evaluation ---------------------------------------------------------------


def test_step_one_prefills_from_the_case_and_the_latest_assessment(cast, draft):
    AssessmentFactory(
        case=cast.case,
        clinician=cast.clinician,
        date=cast.case.date_of_injury + timedelta(days=40),
        findings="Tender over L5.",
    )
    page = client_for(cast.clinician).get(step_url(draft, "clinical")).content.decode()
    assert "M54.50" in page
    assert "Tender over L5." in page
    assert (cast.case.date_of_injury + timedelta(days=40)).isoformat() in page


def test_saving_step_one_stores_columns_and_answers_and_moves_on(cast, draft):
    response = post_step(
        client_for(cast.clinician), draft, "clinical", diagnosis_codes="m5450, s335xxa"
    )

    assert response.url == step_url(draft, "therapy")
    draft.refresh_from_db()
    assert draft.exam_date == exam_day(cast.case)
    assert draft.diagnosis_codes == "M54.50,S33.5XXA"
    step = draft.steps.get(slug="clinical")
    assert step.revision == 1
    assert step.saved_by == cast.clinician
    assert step.answers["psychological_readiness"] == "ready"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("exam_date", "", "Enter the date you examined the worker."),
        ("exam_date", "not a date", "Enter a valid date."),
        # The exam date rules are the checklist's, refused by the service that saves the step.
        (
            "exam_date",
            "FUTURE",
            "a certification can only follow an examination that has taken place",
        ),
        (
            "exam_date",
            "BEFORE_INJURY",
            "the exam that certifies MMI must be on or after the injury",
        ),
        ("diagnosis_codes", "", "Enter at least one ICD-10 diagnosis code."),
        ("diagnosis_codes", "M54.50, 123.4", "“123.4” is not an ICD-10 code"),
        ("history", "", "This field is required."),
        ("objective_findings", "  ", "This field is required."),
        ("psychological_readiness", "", "Say whether the worker is psychologically ready."),
        ("psychological_readiness", "sure", "Select a valid choice."),
    ],
)
def test_step_one_refuses_bad_input_and_saves_nothing(cast, draft, field, value, message):
    value = {
        "FUTURE": (today() + timedelta(days=1)).isoformat(),
        "BEFORE_INJURY": (cast.case.date_of_injury - timedelta(days=1)).isoformat(),
    }.get(value, value)
    before = snapshot(draft)

    response = post_step(client_for(cast.clinician), draft, "clinical", **{field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(draft) == before


# Step 2: therapy response ------------------------------------------------------------------


def lisa_like_case(cast):
    """A shoulder that improved, then stopped improving, with physical therapy ongoing."""
    case = cast.case
    quickdash = Instrument.objects.get(abbreviation="QuickDASH")
    case.tracked_instruments.set([quickdash])
    TreatmentFactory(case=case, description="Rotator cuff strengthening", authorised=True)
    for weeks, value in [(1, 70), (5, 58), (9, 50), (13, 49), (17, 48), (20, 48)]:
        assessment = AssessmentFactory(
            case=case,
            clinician=cast.clinician,
            date=case.date_of_injury + timedelta(weeks=weeks),
        )
        OutcomeScoreFactory(assessment=assessment, instrument=quickdash, value=Decimal(value))
    return case


def test_step_two_shows_treatments_measure_table_chart_and_plateau(cast, draft):
    lisa_like_case(cast)
    page = client_for(cast.clinician).get(step_url(draft, "therapy")).content.decode()

    assert "Rotator cuff strengthening" in page
    assert "QuickDASH" in page
    assert "22 better" in page  # baseline 70 → latest 48
    assert "15.91" in page  # the MCID
    assert "Plateau candidate" in page
    assert "<svg" in page
    assert "Argues against MMI" not in page


def test_step_two_flags_authorised_treatment_still_producing_improvement(cast, draft):
    case = cast.case
    odi = Instrument.objects.get(abbreviation="ODI")
    case.tracked_instruments.set([odi])
    TreatmentFactory(case=case, description="Lumbar stabilisation", authorised=True)
    for weeks, value in [(2, 60), (8, 45), (14, 30)]:
        assessment = AssessmentFactory(
            case=case, clinician=cast.clinician, date=case.date_of_injury + timedelta(weeks=weeks)
        )
        OutcomeScoreFactory(assessment=assessment, instrument=odi, value=Decimal(value))

    response = client_for(cast.clinician).get(step_url(draft, "therapy"))

    page = response.content.decode()
    assert "Argues against MMI" in page
    assert "Lumbar stabilisation" in page
    assert "ODI is still improving over the last 8 weeks" in page
    assert response.context["form"]["improving_under_authorised_treatment"].value() == "yes"


def test_step_two_flags_a_deteriorating_measure(cast, draft):
    case = cast.case
    nprs = Instrument.objects.get(abbreviation="NPRS")
    case.tracked_instruments.set([nprs])
    TreatmentFactory(case=case, description="Home exercise", authorised=True)
    for weeks, value in [(2, 7), (8, 4), (14, 6)]:  # 4 → 6 over the last 6 weeks
        assessment = AssessmentFactory(
            case=case, clinician=cast.clinician, date=case.date_of_injury + timedelta(weeks=weeks)
        )
        OutcomeScoreFactory(assessment=assessment, instrument=nprs, value=Decimal(value))
    client = client_for(cast.clinician)

    response = client.get(step_url(draft, "therapy"))

    page = response.content.decode()
    assert 'class="alert alert-warning deteriorating-flag"' in page
    assert "<strong>Deteriorating:</strong> NPRS is worse by at least the MCID" in page
    assert "Not a plateau candidate: NPRS is deteriorating and needs attention." in page
    assert (
        "NPRS: 4 → 6 over 6 weeks, 2 points worse, at least its MCID of 2 points: "
        "deteriorating, not a plateau."
    ) in page
    assert "Argues against MMI" not in page  # worse is not "still improving"
    assert response.context["form"]["improving_under_authorised_treatment"].value() == "no"

    post_step(client, draft, "therapy")
    answers = draft.steps.get(slug="therapy").answers
    assert answers["plateau_reasons"][0] == (
        "Not a plateau candidate: NPRS is deteriorating and needs attention."
    )


def test_step_two_keeps_the_plateau_verdict_it_was_saved_with(cast, draft):
    lisa_like_case(cast)
    post_step(client_for(cast.clinician), draft, "therapy")
    answers = draft.steps.get(slug="therapy").answers
    assert answers["plateau_reasons"][0].startswith("Plateau candidate")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interpretation", "", "This field is required."),
        (
            "improving_under_authorised_treatment",
            "",
            "Answer whether authorised treatment is still helping.",
        ),
        ("improving_under_authorised_treatment", "perhaps", "Select a valid choice."),
    ],
)
def test_step_two_refuses_bad_input_and_saves_nothing(cast, draft, field, value, message):
    before = snapshot(draft)
    response = post_step(client_for(cast.clinician), draft, "therapy", **{field: value})
    assert message in response.content.decode()
    assert snapshot(draft) == before


# Step 3: diagnostic testing ----------------------------------------------------------------


def test_step_three_asks_about_each_diagnostic_and_snapshots_what_was_reviewed(cast, draft):
    mri = DiagnosticFactory(case=cast.case, body_part="Lumbar spine")
    xray = DiagnosticFactory(case=cast.case, kind="xray", stability="not_compared")
    client = client_for(cast.clinician)
    page = client.get(step_url(draft, "diagnostics")).content.decode()
    assert f"diagnostic_{mri.pk}" in page and f"diagnostic_{xray.pk}" in page

    post_step(client, draft, "diagnostics", **{f"diagnostic_{xray.pk}": "changed"})

    reviews = draft.steps.get(slug="diagnostics").answers["reviews"]
    assert [(r["diagnostic"], r["result"]) for r in reviews] == [
        (mri.pk, "stable"),
        (xray.pk, "changed"),
    ]
    assert "Lumbar spine" in reviews[0]["label"]


def test_step_three_refuses_a_test_left_unmarked_and_saves_nothing(cast, draft):
    mri = DiagnosticFactory(case=cast.case)
    before = snapshot(draft)
    response = post_step(
        client_for(cast.clinician), draft, "diagnostics", **{f"diagnostic_{mri.pk}": ""}
    )
    assert "Mark this test reviewed: stable or changed." in response.content.decode()
    assert snapshot(draft) == before


def test_a_test_added_after_step_three_was_saved_makes_it_incomplete_again(cast, draft):
    DiagnosticFactory(case=cast.case)
    save_step(draft, "diagnostics", cast.clinician)
    DiagnosticFactory(case=cast.case, kind="ct")
    page = client_for(cast.clinician).get(draft.get_absolute_url()).content.decode()
    nav = page.split("Step 3: Diagnostic testing")[1][:200]
    assert "Not complete yet" in nav


# Step 4: expert consultation ---------------------------------------------------------------


def test_step_four_records_each_opinion_and_why(cast, draft):
    consultation = ConsultationFactory(case=cast.case)
    post_step(client_for(cast.clinician), draft, "consultations")
    opinions = draft.steps.get(slug="consultations").answers["opinions"]
    assert opinions == [
        {
            "consultation": consultation.pk,
            "label": f"Specialist, Dr. Ward, {day(consultation.date)}",
            "opinion": "agrees",
            "why": "No surgical lesion.",
        }
    ]


def test_step_four_refuses_an_opinion_without_why(cast, draft):
    consultation = ConsultationFactory(case=cast.case)
    before = snapshot(draft)
    response = post_step(
        client_for(cast.clinician),
        draft,
        "consultations",
        **{f"consultation_{consultation.pk}_why": ""},
    )
    assert "Say why this opinion agrees or disagrees with MMI." in response.content.decode()
    assert snapshot(draft) == before


def test_step_four_refuses_no_designated_doctor_when_one_examined(cast, draft):
    ConsultationFactory(case=cast.case, kind="designated_doctor", consultant="Dr. Lee")
    before = snapshot(draft)
    response = post_step(
        client_for(cast.clinician), draft, "consultations", designated_doctor_examined="no"
    )
    assert "A designated doctor examination is on file" in response.content.decode()
    assert snapshot(draft) == before


def test_step_four_refuses_a_missing_designated_doctor_answer(cast, draft):
    before = snapshot(draft)
    response = post_step(
        client_for(cast.clinician), draft, "consultations", designated_doctor_examined=""
    )
    assert "Answer whether a designated doctor has examined." in response.content.decode()
    assert snapshot(draft) == before


def test_step_four_adds_a_consultation_and_comes_back_to_the_step(cast, draft):
    client = client_for(cast.clinician)
    step = step_url(draft, "consultations")
    add = reverse("record-add", args=[cast.case.pk, "consultations"])
    assert f'href="{add}?next={step.replace("/", "%2F")}"' in client.get(step).content.decode()

    response = client.post(
        f"{add}?next={step}",
        {
            "kind": "specialist",
            "date": (today() - timedelta(days=3)).isoformat(),
            "consultant": "Dr. Okafor",
            "specialty": "Orthopaedics",
            "opinion": "Stable since March.",
            "mmi_opinion": "agrees",
            "next": step,
        },
    )

    assert response.status_code == 302
    assert response.url == step
    assert "Dr. Okafor" in client.get(step).content.decode()


def test_a_record_form_never_sends_elsewhere(cast):
    add = reverse("record-add", args=[cast.case.pk, "consultations"])
    response = client_for(cast.clinician).post(
        add,
        {
            "kind": "specialist",
            "date": (today() - timedelta(days=3)).isoformat(),
            "consultant": "Dr. Okafor",
            "opinion": "Stable.",
            "mmi_opinion": "agrees",
            "next": "https://evil.example/",
        },
    )
    assert response.url == f"{cast.case.get_absolute_url()}#consultations"


# Step 5: legal / insurance -----------------------------------------------------------------


def test_step_five_shows_the_statutory_date_and_defaults_to_the_jurisdictions_edition(cast, draft):
    page = client_for(cast.clinician).get(step_url(draft, "legal")).content.decode()
    # Texas: TIBs accrue on the 8th day of disability; statutory MMI 728 days later.
    statutory = cast.case.disability_began + timedelta(days=7 + 728)
    assert date_filter(statutory) in page
    assert "DWC069" in page
    assert '<option value="4th" selected>AMA Guides, 4th edition</option>' in page


def test_saving_step_five_copies_the_jurisdiction_and_the_statutory_date(cast, draft):
    post_step(client_for(cast.clinician), draft, "legal")
    draft.refresh_from_db()
    assert draft.jurisdiction == "TX"
    assert draft.statutory_mmi_date == cast.case.disability_began + timedelta(days=7 + 728)
    assert draft.certifier_role == "treating"
    assert draft.guides_edition == "4th"
    assert draft.steps.get(slug="legal").answers["carrier_claim_number"] == cast.case.claim_number


def test_step_five_may_name_another_certifying_doctor_on_the_care_team(cast, draft):
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    post_step(client_for(cast.clinician), draft, "legal", certifying_clinician=colleague.pk)
    draft.refresh_from_db()
    assert draft.certifying_clinician == colleague


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"certifier_role": ""}, "Choose the certifying doctor&#x27;s role."),
        ({"certifier_role": "nurse"}, "Select a valid choice."),
        ({"guides_edition": ""}, "Choose the rating guides used."),
        ({"carrier_claim_number": ""}, "This field is required."),
        ({"certifying_clinician": ""}, "Choose the doctor who certifies."),
        ({"certifying_clinician": "OUTSIDER"}, "Select a valid choice."),
    ],
)
def test_step_five_refuses_bad_input_and_saves_nothing(cast, draft, changes, message):
    if changes.get("certifying_clinician") == "OUTSIDER":
        changes = {"certifying_clinician": cast.other_clinician.pk}
    before = snapshot(draft)
    response = post_step(client_for(cast.clinician), draft, "legal", **changes)
    assert message in response.content.decode()
    assert snapshot(draft) == before


def test_step_five_refuses_statutory_mmi_without_a_statutory_date(cast, draft):
    services.case_update(case=cast.case, disability_periods=[])
    before = snapshot(draft)
    response = post_step(client_for(cast.clinician), draft, "legal", mmi_type="statutory")
    assert "Statutory MMI needs a statutory MMI date" in response.content.decode()
    assert snapshot(draft) == before


# Outcome -----------------------------------------------------------------------------------


def test_an_mmi_date_after_the_exam_date_is_refused(cast, draft):
    save_step(draft, "clinical", cast.clinician)
    before = snapshot(draft)
    later = exam_day(cast.case) + timedelta(days=1)

    response = post_step(client_for(cast.clinician), draft, "outcome", mmi_date=later.isoformat())

    page = response.content.decode()
    assert "Nothing was saved" in page
    assert (
        f"The MMI date {day(later)} is after the exam date {day(exam_day(cast.case))}: MMI "
        "cannot be certified for a date after the examination"
    ) in page
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mmi_reached": ""}, "Say whether the worker has reached MMI."),
        ({"mmi_date": ""}, "give no MMI date: enter the date MMI was reached"),
        ({"mmi_date": "BEFORE_INJURY"}, "is before the date of injury"),
        ({"impairment_rating": "7.5"}, "Give the whole person impairment as a whole percent"),
        ({"impairment_rating": "101"}, "The impairment cannot be above 100 %."),
        ({"impairment_rating": "-1"}, "The impairment cannot be below 0 %."),
        ({"rationale": ""}, "This field is required."),
        (
            {
                "mmi_reached": "no",
                "impairment_rating": "5",
                "expected_mmi_date": "LATER",
                "plan": "More therapy.",
            },
            "impairment is determined only with MMI",
        ),
        (
            {"mmi_reached": "no", "impairment_rating": "", "plan": "More therapy."},
            "The worker is not at MMI, so give the date MMI is expected on or about.",
        ),
        (
            {
                "mmi_reached": "no",
                "impairment_rating": "",
                "expected_mmi_date": "EXAM",
                "plan": "More therapy.",
            },
            "is not after the exam date",
        ),
        (
            {"mmi_reached": "no", "impairment_rating": "", "expected_mmi_date": "LATER"},
            "Describe the plan to reach MMI.",
        ),
    ],
)
def test_the_outcome_refuses_bad_input_and_saves_nothing(cast, draft, changes, message):
    save_step(draft, "clinical", cast.clinician)
    dates = {
        "BEFORE_INJURY": (cast.case.date_of_injury - timedelta(days=1)).isoformat(),
        "LATER": (today() + timedelta(days=60)).isoformat(),
        "EXAM": exam_day(cast.case).isoformat(),
    }
    changes = {key: dates.get(value, value) for key, value in changes.items()}
    before = snapshot(draft)
    response = post_step(client_for(cast.clinician), draft, "outcome", **changes)
    assert message in response.content.decode()
    assert snapshot(draft) == before


def test_not_at_mmi_keeps_only_the_expected_date_and_plan(cast, draft):
    save_step(draft, "clinical", cast.clinician)
    expected = today() + timedelta(days=60)
    post_step(
        client_for(cast.clinician),
        draft,
        "outcome",
        mmi_reached="no",
        impairment_rating="",
        expected_mmi_date=expected.isoformat(),
        plan="Six more weeks of work hardening.",
    )
    draft.refresh_from_db()
    assert draft.mmi_reached is False
    assert draft.expected_mmi_date == expected
    assert draft.mmi_date is None
    assert draft.permanent_restrictions == ""
    assert draft.plan == "Six more weeks of work hardening."


# Navigating and resuming -------------------------------------------------------------------


def test_the_navigator_shows_each_step_complete_or_not(cast, draft):
    save_step(draft, "clinical", cast.clinician)
    save_step(draft, "legal", cast.clinician)
    page = client_for(cast.clinician).get(step_url(draft, "therapy")).content.decode()
    nav = page.split('aria-label="Steps of the determination"')[1].split("</nav>")[0]
    states = [part.split("</span>")[0] for part in nav.split('class="step-nav-state">')[1:]]
    assert states == [
        "Complete",
        "Not complete yet",
        "Not complete yet",
        "Not complete yet",
        "Complete",
        "Not complete yet",
    ]


def test_steps_can_be_visited_in_any_order(cast, draft):
    client = client_for(cast.clinician)
    assert client.get(step_url(draft, "outcome")).status_code == 200
    response = post_step(client, draft, "legal", go="stay")
    assert response.url == step_url(draft, "legal")


def test_a_clinician_who_logs_out_resumes_where_they_were(cast, draft):
    client = client_for(cast.clinician)
    post_step(client, draft, "clinical", history="Fell from a ladder in March.")
    client.post(reverse("logout"))
    assert client.get(step_url(draft, "therapy")).status_code == 302

    client.force_login(cast.clinician)
    case_page = client.get(cast.case.get_absolute_url()).content.decode()
    assert "Continue MMI determination v1" in case_page
    overview = client.get(draft.get_absolute_url()).content.decode()
    assert f'href="{step_url(draft, "therapy")}">Continue' in overview
    step_one = client.get(step_url(draft, "clinical")).content.decode()
    assert "Fell from a ladder in March." in step_one


def test_unknown_step_is_404(cast, draft):
    assert client_for(cast.clinician).get(step_url(draft, "billing")).status_code == 404


# Two people saving the same step ----------------------------------------------------------


def test_the_second_save_of_a_step_opened_at_the_same_time_is_told_and_sees_both(cast, draft):
    colleague = ClinicianFactory(first_name="Raj", last_name="Patel")
    cast.case.care_team.add(colleague)
    mine, theirs = client_for(cast.clinician), client_for(colleague)
    # Both open step 1 (revision 0); the colleague saves first.
    post_step(theirs, draft, "clinical", history="Their history.")
    before = snapshot(draft)

    response = post_step(mine, draft, "clinical", history="My history.")

    assert response.status_code == 409
    page = response.content.decode()
    assert "This step changed since you opened it" in page
    assert "Raj Patel saved it" in page
    assert "Their history." in page  # their version
    assert "My history." in page  # mine, still in the form
    assert snapshot(draft) == before
    assert 'name="revision" value="1"' in page


def test_saving_again_after_a_conflict_replaces_the_other_version_knowingly(cast, draft):
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    post_step(client_for(colleague), draft, "clinical", history="Their history.")

    response = post_step(client_for(cast.clinician), draft, "clinical", history="Mine.", revision=1)

    assert response.status_code == 302
    step = draft.steps.get(slug="clinical")
    assert (step.revision, step.answers["history"], step.saved_by) == (2, "Mine.", cast.clinician)


def test_the_service_refuses_a_stale_revision(cast, draft):
    save_step(draft, "therapy", cast.clinician)
    with pytest.raises(services.StepConflict) as conflict:
        services.determination_save_step(
            determination=draft,
            slug="therapy",
            columns={},
            answers={"interpretation": "Stale."},
            expected_revision=0,
            saved_by=cast.clinician,
        )
    assert conflict.value.saved.revision == 1
    assert draft.steps.get(slug="therapy").answers["interpretation"] != "Stale."


# The demo data --------------------------------------------------------------------------


def test_the_demo_certifies_john_and_alex_through_the_steps_and_leaves_lisa_to_walk(
    module_demo, db
):
    john = Determination.objects.get(case__claim_number="LSM-2026-0101")
    assert (john.status, john.certifying_clinician.username) == ("signed", "dr.chen")
    # One DRE item (lumbosacral category II, 5 %): the 4th edition rates a spine region
    # with one model, so the range-of-motion item of old is gone.
    assert (john.impairment_rating, john.mmi_type, john.jurisdiction) == (5, "clinical", "TX")
    assert (john.impairment_finding, john.mmi_unconditional) == ("rated", True)
    assert [item.value for item in john.impairment_items.all()] == [5]
    assert (john.certifier_role, john.guides_edition) == ("treating", "4th")
    assert john.permanent_restrictions
    assert john.steps.count() == 6
    assert john.case.status == CaseStatus.AT_MMI
    assert john.case.mmi_date == john.mmi_date

    alex = Determination.objects.get(case__claim_number="GCC-2026-0201")
    assert (alex.status, alex.certifying_clinician.username) == ("signed", "dr.patel")
    # "No permanent impairment" is certified as such, not as a 0 % rating.
    assert (alex.impairment_finding, alex.impairment_rating) == ("none", None)
    assert alex.mmi_unconditional is True
    assert not Determination.objects.filter(case__claim_number="GCC-2026-0202").exists()

    call_command("seed_demo", stdout=io.StringIO())
    assert Determination.objects.filter(case__claim_number="LSM-2026-0101").count() == 1


def test_the_demo_walk_lisa_reed_through_five_steps_sign_and_amend(module_demo, db):
    lisa = Case.objects.get(claim_number="GCC-2026-0202")
    client = client_for(User.objects.get(username="dr.chen"))
    client.post(reverse("determination-start", args=[lisa.pk]))
    draft = lisa.determinations.get()
    exam = lisa.assessments.order_by("date").last().date

    def post(slug, **changes):
        return post_step(client, draft, slug, **{"exam_date": exam.isoformat(), **changes})

    assert post("clinical").status_code == 302
    therapy = client.get(step_url(draft, "therapy")).content.decode()
    assert "Plateau candidate" in therapy
    assert "QuickDASH: 49 → 48 over 7 weeks, 1 point better, under its MCID of 15.91" in therapy
    for slug in ("therapy", "diagnostics", "consultations", "legal"):
        assert post(slug).status_code == 302
    refused = post("outcome", mmi_date=(exam + timedelta(days=1)).isoformat())
    assert (
        f"The MMI date {day(exam + timedelta(days=1))} is after the exam date {day(exam)}"
    ) in refused.content.decode()
    assert post("outcome", mmi_date=exam.isoformat()).status_code == 302

    signed = client.post(
        reverse("determination-sign", args=[draft.pk]),
        {"password": DEMO_PASSWORD, "confirm": "on"},
    )
    assert signed.url == draft.get_absolute_url()
    assert client.get(step_url(draft, "outcome")).status_code == 409

    client.post(reverse("determination-amend", args=[draft.pk]))
    amendment = lisa.determinations.get(version=2)
    client.post(
        reverse("determination-sign", args=[amendment.pk]),
        {"password": DEMO_PASSWORD, "confirm": "on"},
    )
    draft.refresh_from_db()
    amendment.refresh_from_db()
    assert (draft.status, amendment.status) == ("superseded", "signed")
