"""Reviewing and signing an MMI determination: the validity checklist, who may sign, and
that a signed determination cannot be changed by any path."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseStatus, Determination, DeterminationLocked, DeterminationStep
from cases.models.determinations import Dispute
from cases.templatetags.dates import day
from tests.support.cast import Cast, client_for
from tests.support.determinations import (
    complete_draft,
    exam_day,
    save_step,
    signed_determination,
    today,
)
from tests.support.factories import PASSWORD, ClinicianFactory, DiagnosticFactory
from tests.support.guards import guards_lifted

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test


@pytest.fixture
def draft(cast: Cast) -> Determination:
    return services.determination_start(case=cast.case, started_by=cast.clinician)


@pytest.fixture
def complete(cast: Cast, draft: Determination) -> Determination:
    DiagnosticFactory(case=cast.case)
    return complete_draft(draft, cast.clinician)


def review_url(determination) -> str:
    return reverse("determination-review", args=[determination.pk])


def sign(client, determination, password=PASSWORD, confirm="on"):
    return client.post(
        reverse("determination-sign", args=[determination.pk]),
        {"password": password, "confirm": confirm},
    )


def checklist(client, determination) -> dict[str, bool]:
    """rule code → passed, as the review page reports it."""
    response = client.get(review_url(determination))
    return {rule.code: rule.passed for rule in response.context["review"].checklist}


# The checklist -----------------------------------------------------------------------------


def test_review_lists_every_rule_passed_in_words_for_a_valid_draft(cast, complete):
    response = client_for(cast.clinician).get(review_url(complete))
    page = response.content.decode()
    assert response.context["review"].may_sign
    assert "Failed:" not in page
    assert "Passed: MMI date not after the exam." in page
    assert "Sign the certification" in page


def test_incomplete_steps_are_listed_and_block_signing(cast, draft):
    save_step(draft, "clinical", cast.clinician)
    response = client_for(cast.clinician).get(review_url(draft))
    review = response.context["review"]
    assert [step.slug for step in review.incomplete] == [
        "therapy",
        "diagnostics",
        "consultations",
        "legal",
        "outcome",
    ]
    assert "Steps to complete before signing" in response.content.decode()
    assert "Sign the certification" not in response.content.decode()


def set_columns(determination, **columns):
    """Put a draft in a state the step forms would refuse, to exercise the checklist."""
    Determination.objects.filter(pk=determination.pk).update(**columns)


@pytest.mark.parametrize(
    ("columns", "rule"),
    [
        ({"exam_date": None}, "exam_date_present"),
        ({"exam_date": "TOMORROW"}, "exam_date_not_in_future"),
        (
            {"exam_date": "BEFORE_INJURY", "mmi_date": "BEFORE_INJURY"},
            "exam_date_not_before_injury",
        ),
        ({"mmi_type": ""}, "mmi_type_chosen"),
        ({"mmi_date": None, "impairment_rating": None}, "mmi_date_present"),
        ({"mmi_date": "AFTER_EXAM"}, "mmi_date_not_prospective"),
        ({"mmi_date": "BEFORE_INJURY"}, "mmi_date_not_before_injury"),
        ({"mmi_type": "statutory"}, "statutory_mmi_on_statutory_date"),
        # The doctor's explicit statement decides, not keywords in the rationale.
        ({"mmi_unconditional": False}, "not_conditional"),
        ({"rationale": ""}, "rationale_present"),
        (
            {"mmi_reached": False, "mmi_date": None, "expected_mmi_date": None},
            "expected_mmi_date_present",
        ),
        (
            {"mmi_reached": False, "mmi_date": None, "expected_mmi_date": "EXAM"},
            "expected_mmi_date_after_exam",
        ),
        (
            {"mmi_reached": False, "mmi_date": None, "expected_mmi_date": "LATER"},
            "rating_needs_mmi_date",
        ),
    ],
)
def test_each_failed_validity_rule_is_shown_and_blocks_signing(cast, complete, columns, rule):
    injury = cast.case.date_of_injury
    dates = {
        "TOMORROW": today() + timedelta(days=1),
        "BEFORE_INJURY": injury - timedelta(days=2),
        "AFTER_EXAM": exam_day(cast.case) + timedelta(days=1),
        "EXAM": exam_day(cast.case),
        "LATER": today() + timedelta(days=30),
    }
    set_columns(
        complete, **{k: dates.get(v, v) if isinstance(v, str) else v for k, v in columns.items()}
    )
    client = client_for(cast.clinician)

    assert checklist(client, complete)[rule] is False
    response = sign(client, complete)

    assert response.status_code == 200
    assert "Not signed: the checklist below shows what is missing." in response.content.decode()
    assert Determination.objects.get(pk=complete.pk).is_draft


def test_the_database_refuses_a_rating_above_100(complete):
    with pytest.raises(IntegrityError):
        set_columns(complete, impairment_rating=101)


def test_conditional_wording_with_the_unconditional_statement_only_warns(cast, complete):
    set_columns(complete, rationale="At MMI unless surgery is approved.")
    response = client_for(cast.clinician).get(review_url(complete))
    review = response.context["review"]
    assert review.checklist.get("not_conditional").passed
    assert "conditional_wording" in [w.code for w in review.warnings]
    assert "The rationale says “unless”, which can read as a condition on MMI" in (
        response.content.decode()
    )
    assert review.may_sign


def test_mmi_after_statutory_mmi_fails_the_checklist(cast, complete):
    long_ago = today() - timedelta(days=900)
    services.case_update(
        case=cast.case, date_of_injury=long_ago, disability_periods=[(long_ago, None)]
    )
    # Statutory MMI is now 7 + 728 days after 900 days ago; the MMI date (50 days ago) is
    # after it.
    assert checklist(client_for(cast.clinician), complete)["mmi_date_not_after_statutory"] is False


def test_a_certifier_not_authorised_to_certify_fails_the_checklist(cast, complete):
    cast.clinician.may_certify_mmi = False
    cast.clinician.save()
    assert checklist(client_for(cast.clinician), complete)["certifier_authorised"] is False


def test_a_doctor_not_certified_to_rate_may_certify_only_with_no_impairment(cast, complete):
    cast.clinician.may_rate_impairment = False
    cast.clinician.save()
    client = client_for(cast.clinician)
    assert checklist(client, complete)["certifier_may_rate"] is False
    # 0 % is a rating too (28 TAC 130.1(a)(1)(B)).
    set_columns(complete, impairment_rating=0)
    assert checklist(client, complete)["certifier_may_rate"] is False
    # Only "no permanent impairment", with no rating, may be certified.
    set_columns(complete, impairment_finding="none", impairment_rating=None)
    assert checklist(client, complete)["certifier_may_rate"] is True


def test_consistency_warnings_are_shown_but_do_not_block(cast, complete):
    set_columns(complete, impairment_rating=0)
    save_step(complete, "therapy", cast.clinician, improving_under_authorised_treatment="yes")
    response = client_for(cast.clinician).get(review_url(complete))
    page = response.content.decode()
    assert "permanent restrictions are recorded" in page
    assert "argues against MMI" in page
    assert response.context["review"].may_sign


# Signing ----------------------------------------------------------------------------------


def test_the_review_shows_what_is_about_to_be_certified_above_the_password(cast, complete):
    page = client_for(cast.clinician).get(review_url(complete)).content.decode()
    about = page.index("What you are about to certify")
    assert about < page.index('name="password"')
    certified = page[about : page.index('name="password"')]
    assert f"At MMI on {day(complete.mmi_date)}" in certified
    assert "Impairment" in certified and complete.impairment_in_words in certified


def test_the_certifying_clinician_signs_with_their_password(cast, complete):
    response = sign(client_for(cast.clinician), complete)

    assert response.url == complete.get_absolute_url()
    complete.refresh_from_db()
    assert complete.status == Determination.Status.SIGNED
    assert complete.signed_at is not None
    assert complete.statutory_mmi_date == cast.case.disability_began + timedelta(days=7 + 728)
    assert complete.dispute_deadline == today() + timedelta(days=90)
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.AT_MMI
    assert cast.case.mmi_date == exam_day(cast.case)
    # Texas: the certification becomes final unless disputed within 90 days.
    assert cast.case.next_review_date == today() + timedelta(days=90)


def test_signing_not_at_mmi_keeps_the_case_in_treatment_until_the_expected_date(cast, draft):
    expected = today() + timedelta(days=45)
    complete_draft(
        draft,
        cast.clinician,
        mmi_reached="no",
        impairment_rating="",
        expected_mmi_date=expected.isoformat(),
        plan="Four more weeks of therapy.",
    )
    sign(client_for(cast.clinician), draft)
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.IN_TREATMENT
    assert cast.case.next_review_date == expected
    assert cast.case.mmi_date is None


def test_a_wrong_password_is_refused_and_nothing_is_signed(cast, complete):
    response = sign(client_for(cast.clinician), complete, password="guess")
    assert response.status_code == 200
    assert "That is not your password. Nothing was signed." in response.content.decode()
    assert Determination.objects.get(pk=complete.pk).is_draft


def test_wrong_signing_passwords_count_with_failed_logins_and_lock_out(cast, complete):
    clinician = client_for(cast.clinician)
    for _ in range(2):
        Client().post(reverse("login"), {"username": cast.clinician.username, "password": "x"})
    for _ in range(2):
        assert sign(clinician, complete, password="guess").status_code == 200
    # The fifth wrong password: locked out, logged out, and nothing signed.
    locked = sign(clinician, complete, password="guess")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert Determination.objects.get(pk=complete.pk).is_draft
    assert clinician.get(reverse("home")).status_code == 302  # to the login page
    # The right password no longer signs in from here until the lockout ends.
    again = Client().post(
        reverse("login"), {"username": cast.clinician.username, "password": PASSWORD}
    )
    assert again.status_code == 429


def test_the_right_signing_password_after_a_wrong_one_signs(cast, complete):
    clinician = client_for(cast.clinician)
    assert sign(clinician, complete, password="guess").status_code == 200
    assert sign(clinician, complete).status_code == 302
    assert not Determination.objects.get(pk=complete.pk).is_draft


def test_signing_without_ticking_the_confirmation_is_refused(cast, complete):
    response = sign(client_for(cast.clinician), complete, confirm="")
    assert "Tick the box to confirm you are signing." in response.content.decode()
    assert Determination.objects.get(pk=complete.pk).is_draft


def test_another_clinician_on_the_care_team_may_not_sign(cast, complete):
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    client = client_for(colleague)
    page = client.get(review_url(complete)).content.decode()
    assert "Only the certifying clinician" in page
    assert "Sign the certification" not in page

    assert sign(client, complete).status_code == 403
    assert Determination.objects.get(pk=complete.pk).is_draft


def test_the_service_refuses_a_signer_other_than_the_certifying_clinician(cast, complete):
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    with pytest.raises(PermissionDenied):
        services.determination_sign(determination=complete, signed_by=colleague)


def test_the_service_refuses_to_sign_an_invalid_draft(cast, complete):
    set_columns(complete, rationale="")
    with pytest.raises(services.NotReadyToSign) as refused:
        services.determination_sign(determination=complete, signed_by=cast.clinician)
    assert [rule.code for rule in refused.value.review.checklist.failures] == ["rationale_present"]


@pytest.mark.parametrize("role", ["case_manager", "admin"])
def test_roles_that_may_not_determine_cannot_sign(cast, complete, role):
    assert sign(client_for(getattr(cast, role)), complete).status_code == 403


# A signed determination is read-only everywhere ----------------------------------------------


@pytest.fixture
def signed(cast: Cast) -> Determination:
    DiagnosticFactory(case=cast.case)
    return signed_determination(cast.case, cast.clinician)


def test_the_signed_page_is_read_only(cast, signed):
    page = client_for(cast.clinician).get(signed.get_absolute_url()).content.decode()
    assert "Signed" in page
    assert reverse("determination-step", args=[signed.pk, "clinical"]) not in page
    assert "Amend (new version)" in page


@pytest.mark.parametrize("slug", ["clinical", "outcome"])
def test_editing_a_step_of_a_signed_determination_answers_409(cast, signed, slug):
    client = client_for(cast.clinician)
    url = reverse("determination-step", args=[signed.pk, slug])
    before = Determination.objects.filter(pk=signed.pk).values().get()

    assert client.get(url).status_code == 409
    response = client.post(url, {"revision": 1, "rationale": "Changed.", "history": "Changed."})

    assert response.status_code == 409
    assert "can no longer be edited" in response.content.decode()
    assert Determination.objects.filter(pk=signed.pk).values().get() == before


def test_signing_twice_answers_409(cast, signed):
    assert sign(client_for(cast.clinician), signed).status_code == 409
    assert client_for(cast.clinician).get(review_url(signed)).status_code == 409


def test_the_save_step_service_refuses_a_signed_determination(cast, signed):
    with pytest.raises(DeterminationLocked):
        services.determination_save_step(
            determination=signed,
            slug="outcome",
            columns={"rationale": "Changed."},
            answers={},
            expected_revision=1,
            saved_by=cast.clinician,
        )
    assert Determination.objects.get(pk=signed.pk).rationale != "Changed."


def test_saving_a_signed_model_instance_is_refused(signed):
    signed.rationale = "Changed."
    with pytest.raises(DeterminationLocked):
        signed.save()
    assert Determination.objects.get(pk=signed.pk).rationale != "Changed."


def test_deleting_a_signed_determination_is_refused(signed):
    with pytest.raises(DeterminationLocked):
        signed.delete()
    with pytest.raises(DeterminationLocked):
        Determination.objects.filter(pk=signed.pk).delete()
    assert Determination.objects.filter(pk=signed.pk).exists()


def test_a_queryset_update_of_a_signed_determination_is_refused(signed):
    with pytest.raises(DeterminationLocked):
        Determination.objects.filter(pk=signed.pk).update(rationale="Changed.")
    with pytest.raises(DeterminationLocked):
        Determination.objects.filter(pk=signed.pk).update(status="draft")
    assert Determination.objects.get(pk=signed.pk).rationale != "Changed."


def test_a_bulk_update_of_a_signed_determination_is_refused(signed):
    signed.rationale = "Changed."
    # bulk_update runs in the caller's transaction: keep the test's usable after the refusal.
    with pytest.raises(DeterminationLocked), transaction.atomic():
        Determination.objects.bulk_update([signed], ["rationale"])
    assert Determination.objects.get(pk=signed.pk).rationale != "Changed."


def test_the_steps_of_a_signed_determination_cannot_change(signed):
    step = signed.steps.get(slug="clinical")
    step.answers = {"history": "Changed."}
    with pytest.raises(DeterminationLocked):
        step.save()
    with pytest.raises(DeterminationLocked):
        DeterminationStep.objects.filter(pk=step.pk).update(answers={})
    with pytest.raises(DeterminationLocked):
        step.delete()
    assert DeterminationStep.objects.get(pk=step.pk).answers["history"] != "Changed."


def test_the_admin_shows_a_signed_determination_read_only_and_never_deletes(cast, signed):
    client = client_for(cast.admin)
    change_url = reverse("admin:cases_determination_change", args=[signed.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="rationale"' not in page.content  # shown, not editable

    response = client.post(change_url, {"rationale": "Changed.", "version": 1})
    assert response.status_code == 403
    delete = client.post(
        reverse("admin:cases_determination_delete", args=[signed.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Determination.objects.get(pk=signed.pk).rationale != "Changed."


def test_the_admin_shows_a_draft_read_only_too(cast, draft):
    # Drafts are written through the steps, whose saves check the validity rules.
    client = client_for(cast.admin)
    change_url = reverse("admin:cases_determination_change", args=[draft.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="rationale"' not in page.content

    response = client.post(change_url, {"rationale": "Changed.", "version": 1})
    assert response.status_code == 403
    assert Determination.objects.get(pk=draft.pk).rationale != "Changed."


# Amending ---------------------------------------------------------------------------------


def amend(client, determination):
    return client.post(reverse("determination-amend", args=[determination.pk]))


def test_an_amendment_starts_as_a_copy_and_supersedes_the_original_once_signed(cast, signed):
    client = client_for(cast.clinician)
    response = amend(client, signed)

    amendment = Determination.objects.get(case=cast.case, version=2)
    assert response.url == reverse("determination-step", args=[amendment.pk, "clinical"])
    assert amendment.is_draft
    assert amendment.supersedes == signed
    assert (amendment.exam_date, amendment.mmi_date, amendment.rationale) == (
        signed.exam_date,
        signed.mmi_date,
        signed.rationale,
    )
    assert {s.slug: s.answers for s in amendment.steps.all()} == {
        s.slug: s.answers for s in signed.steps.all()
    }
    # Until the amendment is signed the original stays the certification in force.
    assert Determination.objects.get(pk=signed.pk).status == Determination.Status.SIGNED

    save_step(amendment, "outcome", cast.clinician, impairment_rating="8")
    sign(client, amendment)

    signed.refresh_from_db()
    amendment.refresh_from_db()
    assert amendment.status == Determination.Status.SIGNED
    assert amendment.impairment_rating == 8
    assert signed.status == Determination.Status.SUPERSEDED
    assert signed.impairment_rating == 5  # the old version is untouched
    page = client.get(signed.get_absolute_url()).content.decode()
    assert "Superseded" in page
    assert amendment.get_absolute_url() in page


def test_the_case_page_lists_the_amendment_chain(cast, signed):
    amendment = services.determination_amend(determination=signed, amended_by=cast.clinician)
    complete_draft(amendment, cast.clinician)
    services.determination_sign(determination=amendment, signed_by=cast.clinician)
    page = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    assert "v1" in page and "v2" in page
    assert "Superseded" in page and "Signed" in page


def test_only_one_amendment_is_drafted_at_a_time(cast, signed):
    client = client_for(cast.clinician)
    amend(client, signed)
    response = amend(client, signed)
    assert response.status_code == 409
    assert "already being drafted" in response.content.decode()
    assert Determination.objects.filter(case=cast.case).count() == 2


def test_a_superseded_version_cannot_be_amended_again(cast, signed):
    amendment = services.determination_amend(determination=signed, amended_by=cast.clinician)
    complete_draft(amendment, cast.clinician)
    services.determination_sign(determination=amendment, signed_by=cast.clinician)
    assert amend(client_for(cast.clinician), signed).status_code == 409


def test_a_draft_cannot_be_amended(cast, complete):
    assert amend(client_for(cast.clinician), complete).status_code == 409


def test_a_case_with_a_certification_in_force_gets_no_fresh_determination(cast, signed):
    with pytest.raises(services.InvalidTransition):
        services.determination_start(case=cast.case, started_by=cast.clinician)


# Re-opening MMI ---------------------------------------------------------------------------


def rescind(client, determination, **changes):
    data = {
        "category": "substantial_change",
        "reason": "New radicular symptoms in the left leg.",
        "confirm": "on",
        **changes,
    }
    return client.post(reverse("determination-rescind", args=[determination.pk]), data)


def test_rescinding_reopens_mmi_keeps_the_determination_and_puts_the_case_in_treatment(
    cast, signed
):
    response = rescind(client_for(cast.clinician), signed)

    assert response.url == signed.get_absolute_url()
    signed.refresh_from_db()
    assert signed.status == Determination.Status.RESCINDED
    assert signed.rescind_category == "substantial_change"
    assert signed.rescinded_by == cast.clinician
    assert signed.rationale  # nothing deleted
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.IN_TREATMENT
    assert cast.case.mmi_date is None
    page = client_for(cast.adjuster).get(signed.get_absolute_url()).content.decode()
    assert "Rescinded" in page and "substantial change of condition" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": ""}, "Choose why MMI is re-opened."),
        ({"category": "boredom"}, "Select a valid choice."),
        ({"reason": ""}, "This field is required."),
        ({"confirm": ""}, "Tick the box to confirm."),
    ],
)
def test_rescinding_needs_a_reason_and_a_confirmation(cast, signed, changes, message):
    response = rescind(client_for(cast.clinician), signed, **changes)
    assert message in response.content.decode()
    assert Determination.objects.get(pk=signed.pk).status == Determination.Status.SIGNED


def test_after_rescinding_a_new_determination_may_be_started(cast, signed):
    services.determination_rescind(
        determination=signed,
        rescinded_by=cast.clinician,
        category="new_diagnosis",
        reason="Cervical radiculopathy found.",
    )
    fresh = services.determination_start(case=cast.case, started_by=cast.clinician)
    assert fresh.version == 2
    assert fresh.supersedes is None


def test_a_rescinded_determination_cannot_be_rescinded_again(cast, signed):
    rescind(client_for(cast.clinician), signed)
    assert rescind(client_for(cast.clinician), signed).status_code == 409


# Disputes ---------------------------------------------------------------------------------


def dispute(client, determination, **changes):
    data = {
        "disputed_by": "carrier",
        "disputed_issue": "both",
        "notice_date": today().isoformat(),
        "received_on": today().isoformat(),
        "review_requested": "designated_doctor",
        "notes": "Carrier disputes the rating.",
        **changes,
    }
    return client.post(reverse("dispute-add", args=[determination.pk]), data)


def test_a_case_manager_records_a_dispute_with_its_texas_deadline(cast, signed):
    response = dispute(client_for(cast.case_manager), signed, notice_date=today().isoformat())

    assert response.status_code == 302
    recorded = Dispute.objects.get(determination=signed)
    assert recorded.deadline == today() + timedelta(days=90)
    assert (recorded.received_on, recorded.outcome) == (today(), Dispute.Outcome.PENDING)
    assert recorded.recorded_by == cast.case_manager
    assert recorded.review_requested == "designated_doctor"
    assert recorded.disputed_issue == Dispute.Issue.BOTH
    page = client_for(cast.case_manager).get(signed.get_absolute_url()).content.decode()
    assert "The MMI date and the impairment rating" in page
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.DISPUTED
    page = client_for(cast.case_manager).get(signed.get_absolute_url()).content.decode()
    assert date_filter(recorded.deadline) in page


@pytest.mark.parametrize(
    ("notice", "deadline"),
    [
        (date(2026, 1, 1), date(2026, 4, 1)),
        (date(2026, 12, 1), date(2027, 3, 1)),  # across a year and a short February
        (date(2027, 12, 1), date(2028, 2, 29)),  # into a leap day
    ],
)
def test_the_texas_dispute_deadline_is_90_days_after_notice(cast, signed, notice, deadline):
    # Signed before the earliest notice; the dispute is recorded on the day of the notice.
    with guards_lifted():
        Determination._base_manager.filter(pk=signed.pk).update(
            signed_at=timezone.make_aware(datetime(2025, 12, 1, 12))
        )
    with time_machine.travel(timezone.make_aware(datetime.combine(notice, time(12))), tick=False):
        recorded = services.dispute_record(
            determination=signed,
            recorded_by=cast.case_manager,
            disputed_by="employee",
            disputed_issue="both",
            notice_date=notice,
            received_on=notice,
            review_requested="ime",
        )
    assert recorded.deadline == deadline
    assert recorded.outcome == Dispute.Outcome.PENDING


def test_a_jurisdiction_without_a_dispute_window_sets_no_deadline(cast, signed):
    cast.case.jurisdiction = "NY"
    cast.case.save()
    recorded = services.dispute_record(
        determination=signed,
        recorded_by=cast.case_manager,
        disputed_by="employee",
        disputed_issue="both",
        notice_date=today(),
        received_on=today(),
        review_requested="ime",
    )
    assert recorded.deadline is None
    assert recorded.outcome == Dispute.Outcome.PENDING


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notice_date": ""}, "This field is required."),
        (
            {"notice_date": "TOMORROW", "received_on": "TOMORROW"},
            "The notice date cannot be in the future.",
        ),
        ({"received_on": ""}, "This field is required."),
        ({"received_on": "TOMORROW"}, "The day the dispute was received cannot be in the future."),
        (
            {"notice_date": "BEFORE_SIGNING"},
            "Notice cannot come before the certification was signed",
        ),
        ({"disputed_by": "cat"}, "Select a valid choice."),
        ({"disputed_issue": ""}, "Say what the party disputes."),
        ({"disputed_issue": "everything"}, "Select a valid choice."),
        ({"review_requested": ""}, "This field is required."),
    ],
)
def test_a_dispute_with_bad_input_is_refused_and_nothing_saved(cast, signed, changes, message):
    dates = {
        "TOMORROW": (today() + timedelta(days=1)).isoformat(),
        "BEFORE_SIGNING": (today() - timedelta(days=1)).isoformat(),
    }
    changes = {key: dates.get(value, value) for key, value in changes.items()}
    response = dispute(client_for(cast.case_manager), signed, **changes)
    assert message in response.content.decode()
    assert not Dispute.objects.exists()
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.AT_MMI


def test_only_the_certification_in_force_can_be_disputed(cast, complete):
    assert dispute(client_for(cast.case_manager), complete).status_code == 409


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("upheld", CaseStatus.AT_MMI),
        ("withdrawn", CaseStatus.AT_MMI),
        ("overturned", CaseStatus.MMI_REVIEW),
    ],
)
def test_resolving_a_dispute_returns_the_case_to_where_the_outcome_leaves_it(
    cast, signed, outcome, status
):
    recorded = services.dispute_record(
        determination=signed,
        recorded_by=cast.case_manager,
        disputed_by="carrier",
        disputed_issue="both",
        notice_date=today(),
        received_on=today(),
        review_requested="designated_doctor",
    )
    response = client_for(cast.case_manager).post(
        reverse("dispute-resolve", args=[recorded.pk]),
        {"outcome": outcome, "outcome_date": today().isoformat(), "notes": "Reviewed."},
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.outcome == outcome
    cast.case.refresh_from_db()
    assert cast.case.status == status


def test_a_dispute_outcome_before_the_notice_is_refused(cast, signed):
    recorded = services.dispute_record(
        determination=signed,
        recorded_by=cast.case_manager,
        disputed_by="carrier",
        disputed_issue="both",
        notice_date=today(),
        received_on=today(),
        review_requested="ime",
    )
    response = client_for(cast.case_manager).post(
        reverse("dispute-resolve", args=[recorded.pk]),
        {"outcome": "upheld", "outcome_date": (today() - timedelta(days=1)).isoformat()},
    )
    assert "The outcome cannot come before the notice" in response.content.decode()
    recorded.refresh_from_db()
    assert recorded.outcome == "pending"


def test_a_resolved_dispute_cannot_be_resolved_again(cast, signed):
    recorded = services.dispute_record(
        determination=signed,
        recorded_by=cast.case_manager,
        disputed_by="carrier",
        disputed_issue="both",
        notice_date=today(),
        received_on=today(),
        review_requested="ime",
    )
    services.dispute_resolve(dispute=recorded, outcome="upheld", outcome_date=today(), notes="")
    url = reverse("dispute-resolve", args=[recorded.pk])
    assert client_for(cast.case_manager).get(url).status_code == 409
