"""The certification rules, written once: the outcome form, the services and the checklist
refuse the same things with the same words; statutory MMI from every period of disability and
an extension order; each party's dispute window, late disputes, and the worklist of open
windows. Sources: Labor Code §408.123, 401.011(30), §408.104; 28 TAC 124.7(a), 130.1,
130.12(b), 102.3."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.determination.readiness import load_case_records, review, saved_steps
from cases.models import Case, CaseStatus, Determination, Dispute
from cases.selectors.worklists import disputes_due, statutory_mmi_due
from tests.support.cast import Cast, client_for
from tests.support.determinations import exam_day, save_step, valid_answers
from tests.support.factories import CaseFactory
from tests.support.guards import guards_lifted

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

TODAY = timezone.localdate


@pytest.fixture
def draft(cast: Cast) -> Determination:
    return services.determination_start(case=cast.case, started_by=cast.clinician)


def fill_steps(determination: Determination, user, *, outcome: dict | None = None) -> None:
    for slug in ("clinical", "therapy", "diagnostics", "consultations", "legal"):
        save_step(determination, slug, user)
    save_step(determination, "outcome", user, **(outcome or {}))


def outcome_url(determination: Determination) -> str:
    return reverse("determination-step", args=[determination.pk, "outcome"])


def post_outcome(user, determination: Determination, **changes):
    data = {**valid_answers(determination.case, "outcome"), "revision": 0, **changes}
    return client_for(user).post(outcome_url(determination), data)


def service_refusal(determination: Determination, user, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        save_step(determination, "outcome", user, **changes)
    return refused.value.message_dict


def prepare(determination: Determination, user) -> None:
    for slug in ("clinical", "therapy", "diagnostics", "consultations", "legal"):
        save_step(determination, slug, user)


# Each bad outcome is refused by the page and the service with the checklist's own words.
BAD_OUTCOMES = {
    "no impairment determination": (
        {"impairment_finding": "", "impairment_rating": ""},
        "impairment_finding",
        "It may not be left blank",
    ),
    "no impairment with a rating": (
        {"impairment_finding": "none", "impairment_rating": "0"},
        "impairment_finding",
        "A finding of no impairment is not a 0 % rating",
    ),
    "permanent impairment without a rating": (
        {"impairment_finding": "rated", "impairment_rating": ""},
        "impairment_finding",
        "It may not be left blank",
    ),
    "conditional": ({"mmi_unconditional": ""}, "mmi_unconditional", "does not depend"),
}


@pytest.mark.parametrize("case_name", list(BAD_OUTCOMES))
def test_the_page_and_the_service_refuse_a_bad_outcome_alike(cast, draft, case_name):
    changes, field, words = BAD_OUTCOMES[case_name]
    prepare(draft, cast.clinician)
    before = Determination.objects.get(pk=draft.pk)

    response = post_outcome(cast.clinician, draft, **changes)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert words in page
    assert "Nothing was saved" in page
    after = Determination.objects.get(pk=draft.pk)
    assert (after.mmi_reached, after.impairment_rating) == (
        before.mmi_reached,
        before.impairment_rating,
    )
    assert not after.steps.filter(slug="outcome").exists()

    errors = service_refusal(draft, cast.clinician, **changes)
    assert any(words in message for message in errors[field])
    assert any(message in page.replace("&quot;", '"') for message in errors[field])


def test_a_doctor_not_certified_to_rate_may_not_give_even_0_percent(cast, draft):
    cast.clinician.may_rate_impairment = False
    cast.clinician.save()
    prepare(draft, cast.clinician)
    response = post_outcome(cast.clinician, draft, impairment_rating="0")
    assert "a 0 % rating is a rating too" in response.content.decode()
    errors = service_refusal(draft, cast.clinician, impairment_rating="0")
    assert "28 TAC 130.1(a)(1)(B)" in errors["impairment_finding"][0]
    # "No permanent impairment" is theirs to certify.
    save_step(draft, "outcome", cast.clinician, impairment_finding="none", impairment_rating="")
    assert Determination.objects.get(pk=draft.pk).impairment_finding == "none"


def test_not_at_mmi_after_statutory_mmi_is_refused(cast, draft):
    case = cast.case
    began = TODAY() - timedelta(days=760)
    case.date_of_injury = began
    case.save()
    services.case_update(case=case, disability_periods=[(began, None)])
    statutory = Case.objects.get(pk=case.pk).statutory_mmi_date
    assert statutory == began + timedelta(days=7 + 728)
    prepare(draft, cast.clinician)
    save_step(
        draft, "clinical", cast.clinician, exam_date=(statutory + timedelta(days=1)).isoformat()
    )
    changes = {
        "mmi_reached": "no",
        "expected_mmi_date": (TODAY() + timedelta(days=30)).isoformat(),
        "plan": "More therapy.",
    }
    errors = service_refusal(draft, cast.clinician, **changes)
    assert "by law" in errors["mmi_reached"][0]
    assert "expected_mmi_date" in errors  # and the expected date is after statutory MMI too


def test_the_outcome_saves_the_impairment_determination_and_the_statement(cast, draft):
    fill_steps(draft, cast.clinician)
    saved = Determination.objects.get(pk=draft.pk)
    assert saved.impairment_finding == "rated"
    assert saved.impairment_rating == 5
    assert saved.mmi_unconditional is True
    page = client_for(cast.clinician).get(draft.get_absolute_url()).content.decode()
    assert "Permanent impairment of 5 % whole person" in page
    assert "MMI does not depend on any future treatment or event." in page


def test_no_permanent_impairment_is_printed_as_such_not_as_0_percent(cast, draft):
    fill_steps(
        draft, cast.clinician, outcome={"impairment_finding": "none", "impairment_rating": ""}
    )
    page = client_for(cast.clinician).get(draft.get_absolute_url()).content.decode()
    assert "No permanent impairment" in page
    assert "0 %" not in page


def test_an_edition_texas_does_not_accept_blocks_signing(cast, draft):
    fill_steps(draft, cast.clinician)
    # The form offers only the accepted guides; a row written another way is still refused.
    response = client_for(cast.clinician).post(
        reverse("determination-step", args=[draft.pk, "legal"]),
        {**valid_answers(cast.case, "legal"), "revision": 1, "guides_edition": "6th"},
    )
    assert "Select a valid choice" in response.content.decode()
    Determination.objects.filter(pk=draft.pk).update(guides_edition="6th")
    draft.refresh_from_db()
    checked = review(draft, saved_steps(draft), load_case_records(cast.case))
    failed = {rule.code: rule.reason for rule in checked.checklist.failures}
    assert "not accepted in Texas" in failed["guides_edition_accepted"]
    with pytest.raises(services.NotReadyToSign):
        services.determination_sign(determination=draft, signed_by=cast.clinician)


def test_the_review_page_warns_of_a_licence_from_another_state(cast, draft):
    cast.clinician.licence_jurisdiction = "OK"
    cast.clinician.save()
    fill_steps(draft, cast.clinician)
    page = client_for(cast.clinician).get(reverse("determination-review", args=[draft.pk]))
    assert "licensed in OK but the case is under Texas (TX) law" in page.content.decode()


def test_the_review_page_shows_the_due_date_and_warns_when_it_has_passed(cast, draft):
    prepare(draft, cast.clinician)
    exam = exam_day(cast.case)
    save_step(draft, "clinical", cast.clinician, records_received_date=exam.isoformat())
    save_step(draft, "outcome", cast.clinician)
    page = client_for(cast.clinician).get(reverse("determination-review", args=[draft.pk]))
    text = page.content.decode()
    assert "Certification due by" in text
    assert "is late" in text  # the exam of the test case was long ago


# Statutory MMI from the periods of disability -------------------------------------------


def test_the_case_form_records_intermittent_periods_and_the_extension(cast):
    case = cast.case
    injury = date(2026, 2, 27)
    Case.objects.filter(pk=case.pk).update(date_of_injury=injury)
    page = client_for(cast.case_manager).get(reverse("case-edit", args=[case.pk]))
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value is not None and not isinstance(value, list)
    }
    post = {f"case-{key}": value for key, value in data.items()}
    post.update(
        {
            "case-date_of_injury": injury.isoformat(),
            "case-employer": case.employer_id,
            "case-insurer": case.insurer_id,
            "case-care_team": [cast.clinician.pk],
            "case-spinal_extension_ordered_on": "2027-01-10",
            "case-spinal_extension_date": "2028-06-01",
            "periods-TOTAL_FORMS": 3,
            "periods-INITIAL_FORMS": 1,
            "periods-MIN_NUM_FORMS": 0,
            "periods-MAX_NUM_FORMS": 20,
            "periods-0-began": "2026-03-01",
            "periods-0-ended": "2026-03-03",
            "periods-1-began": "2026-03-20",
        }
    )
    response = client_for(cast.case_manager).post(reverse("case-edit", args=[case.pk]), post)
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.disability_began == date(2026, 3, 1)
    # Accrual 24 March 2026 + 728 days = 21 Mar 2028; the order extends it to 1 Jun 2028.
    assert case.statutory_mmi_date == date(2028, 6, 1)
    detail = client_for(cast.case_manager).get(case.get_absolute_url()).content.decode()
    assert "24 Mar 2026" in detail and "21 Mar 2028" in detail and "1 Jun 2028" in detail


def test_overlapping_periods_are_refused_with_a_reason_and_nothing_changes(cast):
    case = cast.case
    before = list(case.disability_periods.values_list("began", "ended"))
    began = case.date_of_injury + timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        services.case_update(
            case=case,
            disability_periods=[
                (began, began + timedelta(days=5)),
                (began + timedelta(days=5), None),
            ],
        )
    assert "overlap" in refused.value.message_dict["disability_periods"][0]
    assert list(case.disability_periods.values_list("began", "ended")) == before


def test_the_board_lists_statutory_mmi_from_the_stored_date(cast):
    near = CaseFactory(
        case_manager=cast.case_manager,
        date_of_injury=TODAY() - timedelta(days=740),
        off_work=[(TODAY() - timedelta(days=730), None)],
    )
    # Intermittent: the same first day, but a two-month return to work pushes it past 8 weeks.
    far = CaseFactory(
        case_manager=cast.case_manager,
        date_of_injury=TODAY() - timedelta(days=740),
        off_work=[
            (TODAY() - timedelta(days=730), TODAY() - timedelta(days=728)),
            (TODAY() - timedelta(days=600), None),
        ],
    )
    listed = list(statutory_mmi_due(cast.case_manager, TODAY()))
    assert near in listed
    assert far not in listed


# Disputes -------------------------------------------------------------------------------


@pytest.fixture
def signed(cast: Cast, draft: Determination) -> Determination:
    fill_steps(draft, cast.clinician)
    return services.determination_sign(determination=draft, signed_by=cast.clinician)


def record(signed, cast, *, notice, received, party=Dispute.Party.EMPLOYEE):
    return services.dispute_record(
        determination=signed,
        recorded_by=cast.case_manager,
        disputed_by=party,
        disputed_issue="both",
        notice_date=notice,
        received_on=received,
        review_requested=Dispute.Review.DESIGNATED_DOCTOR,
    )


def backdate(determination: Determination, days: int) -> None:
    signed_at = timezone.now() - timedelta(days=days)
    with guards_lifted():
        Determination._base_manager.filter(pk=determination.pk).update(signed_at=signed_at)
    determination.refresh_from_db()


def test_a_dispute_received_on_the_90th_day_is_in_time(cast, signed):
    backdate(signed, 100)
    notice = TODAY() - timedelta(days=95)
    dispute = record(signed, cast, notice=notice, received=notice + timedelta(days=90))
    assert not dispute.is_late
    assert Case.objects.get(pk=cast.case.pk).status == CaseStatus.DISPUTED


def test_a_dispute_received_on_the_91st_day_is_late_and_changes_nothing(cast, signed):
    backdate(signed, 100)
    notice = TODAY() - timedelta(days=95)
    dispute = record(signed, cast, notice=notice, received=notice + timedelta(days=91))
    assert dispute.is_late
    assert dispute.outcome == Dispute.Outcome.LATE
    case = Case.objects.get(pk=cast.case.pk)
    assert case.status == CaseStatus.AT_MMI
    assert Determination.objects.get(pk=signed.pk).is_in_force
    page = client_for(cast.case_manager).get(signed.get_absolute_url()).content.decode()
    assert "late" in page
    assert "the certification is final for this party" in page


def test_each_party_has_its_own_window(cast, signed):
    backdate(signed, 100)
    carrier_notice = TODAY() - timedelta(days=99)
    employee_notice = TODAY() - timedelta(days=60)
    late = record(
        signed, cast, notice=carrier_notice, received=TODAY(), party=Dispute.Party.CARRIER
    )
    in_time = record(signed, cast, notice=employee_notice, received=TODAY())
    assert late.is_late and not in_time.is_late
    assert late.deadline == carrier_notice + timedelta(days=90)
    assert in_time.deadline == employee_notice + timedelta(days=90)


def test_a_deadline_on_a_weekend_shows_the_next_working_day_as_a_warning(cast, signed):
    backdate(signed, 120)
    # Find a notice whose 90th day is a Saturday, in the last 100 days.
    notice = next(
        TODAY() - timedelta(days=back)
        for back in range(100, 113)
        if (TODAY() - timedelta(days=back) + timedelta(days=90)).weekday() == 5
    )
    dispute = record(signed, cast, notice=notice, received=notice + timedelta(days=90))
    assert dispute.deadline_next_working_day == dispute.deadline + timedelta(days=2)
    page = client_for(cast.case_manager).get(signed.get_absolute_url()).content.decode()
    assert "Not a working day" in page
    assert date_filter(dispute.deadline_next_working_day) in page
    assert "may not be extended" in page


def test_a_dispute_cannot_be_received_before_the_notice(cast, signed):
    with pytest.raises(ValidationError) as refused:
        record(signed, cast, notice=TODAY(), received=TODAY() - timedelta(days=1))
    assert "received_on" in refused.value.message_dict


def test_the_dispute_worklist_lists_only_open_windows_with_no_dispute(cast, signed):
    backdate(signed, 80)
    window_end = TODAY() + timedelta(days=10)
    with guards_lifted():
        Determination._base_manager.filter(pk=signed.pk).update(dispute_deadline=window_end)
    assert list(disputes_due(cast.case_manager, TODAY())) == [signed]
    record(signed, cast, notice=TODAY() - timedelta(days=5), received=TODAY())
    assert list(disputes_due(cast.case_manager, TODAY())) == []


def test_a_closed_window_is_not_listed(cast, signed):
    closed = TODAY() - timedelta(days=1)
    with guards_lifted():
        Determination._base_manager.filter(pk=signed.pk).update(dispute_deadline=closed)
    assert list(disputes_due(cast.case_manager, TODAY())) == []


def test_signing_sets_the_window_from_the_signing_date(cast, signed):
    assert signed.dispute_deadline == TODAY() + timedelta(days=90)
    assert Case.objects.get(pk=cast.case.pk).next_review_date == signed.dispute_deadline


def test_the_dispute_form_records_the_received_date(cast, signed):
    url = reverse("dispute-add", args=[signed.pk])
    response = client_for(cast.case_manager).post(
        url,
        {
            "disputed_by": "employee",
            "disputed_issue": "both",
            "notice_date": TODAY().isoformat(),
            "received_on": (TODAY() - timedelta(days=1)).isoformat(),
            "review_requested": "designated_doctor",
        },
    )
    assert response.status_code == 200
    assert "cannot be received before the party received" in response.content.decode()
    assert not Dispute.objects.exists()
