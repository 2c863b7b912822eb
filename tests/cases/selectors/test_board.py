"""The role home pages and each worklist's inclusion and exclusion rules, on fixed dates."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, Determination, Dispute, WorkStatus
from cases.selectors import worklists
from tests.support.cast import client_for
from tests.support.factories import (
    AdjusterFactory,
    AssessmentFactory,
    CaseFactory,
    CaseManagerFactory,
    ClinicianFactory,
    DeterminationFactory,
    WorkStatusFactory,
    odi_tracked,
)

TODAY = date(2026, 3, 2)
STATUTORY_DAYS = 7 + 728  # Texas: TIBs accrue on day 8, statutory MMI 728 days later


@pytest.fixture
def today():
    noon = timezone.make_aware(datetime.combine(TODAY, time(12)))
    with time_machine.travel(noon, tick=False):
        yield TODAY


@pytest.fixture
def manager(db):
    return CaseManagerFactory(first_name="Karen", last_name="Jones")


def claims(selected) -> list[str]:
    """The claim numbers of a worklist's rows, whether cases or records of a case."""
    return [getattr(row, "case", row).claim_number for row in selected]


def signed(case, **fields) -> Determination:
    return DeterminationFactory(
        case=case,
        **{
            "status": Determination.Status.SIGNED,
            "signed_at": timezone.now(),
            "mmi_reached": True,
            "mmi_date": case.date_of_injury + timedelta(days=100),
            **fields,
        },
    )


def draft_started(case, days_ago: int) -> Determination:
    draft = DeterminationFactory(case=case)
    Determination.objects.filter(pk=draft.pk).update(
        started_at=timezone.now() - timedelta(days=days_ago)
    )
    return draft


# Reviews overdue


def test_review_date_passed_is_listed_and_due_today_is_not(today, manager):
    CaseFactory(claim_number="LATE", case_manager=manager, next_review_date=today - timedelta(1))
    CaseFactory(claim_number="TODAY", case_manager=manager, next_review_date=today)
    CaseFactory(claim_number="NONE", case_manager=manager, next_review_date=None)
    assert claims(worklists.reviews_overdue(manager, today)) == ["LATE"]


def test_closed_cases_and_other_managers_cases_are_never_overdue(today, manager):
    late = today - timedelta(days=5)
    closed = CaseFactory(claim_number="CLOSED", case_manager=manager, next_review_date=late)
    closed.status = CaseStatus.CLOSED
    closed.save()
    CaseFactory(claim_number="OTHER", next_review_date=late)
    assert claims(worklists.reviews_overdue(manager, today)) == []


# Statutory MMI


def texas_case(manager, claim: str, statutory: date, **fields):
    began = statutory - timedelta(days=STATUTORY_DAYS)
    return CaseFactory(
        claim_number=claim,
        case_manager=manager,
        jurisdiction=fields.pop("jurisdiction", "TX"),
        date_of_injury=began,
        disability_began=began,
        **fields,
    )


def test_statutory_mmi_within_eight_weeks_or_past_is_listed(today, manager):
    texas_case(manager, "IN-8-WEEKS", today + timedelta(weeks=8))
    texas_case(manager, "PAST", today - timedelta(days=10))
    texas_case(manager, "LATER", today + timedelta(weeks=8, days=1))
    assert claims(worklists.statutory_mmi_due(manager, today)) == ["PAST", "IN-8-WEEKS"]


def test_statutory_mmi_with_a_signed_determination_is_not_listed(today, manager):
    case = texas_case(manager, "SIGNED", today + timedelta(days=3))
    signed(case)
    assert claims(worklists.statutory_mmi_due(manager, today)) == []


def test_jurisdictions_without_statutory_mmi_are_not_listed(today, manager):
    texas_case(manager, "FLORIDA", today - timedelta(days=10), jurisdiction="FL")
    assert claims(worklists.statutory_mmi_due(manager, today)) == []


def test_statutory_reason_gives_the_date_and_says_no_signed_determination(today, manager):
    texas_case(manager, "SOON", today + timedelta(days=45))
    board = {item.slug: item for item in worklists.board(manager, today)}
    reason = board["statutory-mmi"].rows[0].reason
    assert reason == "Statutory MMI falls 16 Apr 2026 (in 45 days); no signed determination."


# Drafts unsigned for more than 7 days


def test_draft_older_than_seven_days_is_listed_and_a_newer_one_is_not(today, manager):
    draft_started(CaseFactory(claim_number="OLD", case_manager=manager), days_ago=8)
    draft_started(CaseFactory(claim_number="NEW", case_manager=manager), days_ago=6)
    assert claims(worklists.stale_drafts(manager, today)) == ["OLD"]


def test_signed_determinations_are_not_stale_drafts(today, manager):
    case = CaseFactory(claim_number="SIGNED", case_manager=manager)
    signed(case)
    assert claims(worklists.stale_drafts(manager, today)) == []


# Dispute windows closing within 14 days


def window_closing(case, closes: date, **fields) -> Determination:
    """A signed certification of ``case`` whose dispute window closes on ``closes``."""
    return signed(case, dispute_deadline=closes, **fields)


def dispute(case, deadline: date, outcome=Dispute.Outcome.PENDING) -> Dispute:
    determination = window_closing(case, deadline)
    notice = deadline - timedelta(days=90)
    return Dispute.objects.create(
        case=case,
        determination=determination,
        disputed_by=Dispute.Party.CARRIER,
        notice_date=notice,
        received_on=notice,
        deadline=deadline,
        review_requested=Dispute.Review.DESIGNATED_DOCTOR,
        outcome=outcome,
        recorded_by=case.case_manager,
    )


def test_a_window_closing_within_fourteen_days_with_no_dispute_is_listed(today, manager):
    window_closing(CaseFactory(claim_number="DAY-14", case_manager=manager), today + timedelta(14))
    window_closing(CaseFactory(claim_number="DAY-0", case_manager=manager), today)
    window_closing(CaseFactory(claim_number="DAY-15", case_manager=manager), today + timedelta(15))
    window_closing(CaseFactory(claim_number="CLOSED", case_manager=manager), today - timedelta(1))
    # A dispute filed, pending or resolved, takes the case off the list.
    dispute(CaseFactory(claim_number="PENDING", case_manager=manager), today + timedelta(3))
    dispute(
        CaseFactory(claim_number="UPHELD", case_manager=manager),
        today + timedelta(3),
        outcome=Dispute.Outcome.UPHELD,
    )
    # Only the certification in force counts: the window of a superseded one is not open.
    replaced = CaseFactory(claim_number="SUPERSEDED", case_manager=manager)
    window_closing(
        replaced, today + timedelta(5), version=1, status=Determination.Status.SUPERSEDED
    )
    window_closing(replaced, today + timedelta(60), version=2)
    window_closing(CaseFactory(claim_number="OTHERS"), today + timedelta(5))
    assert claims(worklists.disputes_due(manager, today)) == ["DAY-0", "DAY-14"]


def test_the_dispute_window_reason_gives_the_closing_date(today, manager):
    window_closing(CaseFactory(case_manager=manager), today + timedelta(days=10))
    board = {item.slug: item for item in worklists.board(manager, today)}
    assert board["disputes"].title == "Dispute windows closing within 14 days"
    assert board["disputes"].rows[0].reason == (
        "Earliest dispute window, counted from signing, closes 12 Mar 2026 (in 10 days); "
        "each party's own runs from its delivery. No dispute filed."
    )


# Work status expiring


def test_latest_work_status_expiring_within_seven_days_or_expired_is_listed(today, manager):
    for claim, through in [("DAY-7", 7), ("DAY-8", 8), ("EXPIRED", -3)]:
        case = CaseFactory(claim_number=claim, case_manager=manager)
        WorkStatusFactory(
            case=case,
            effective_from=today - timedelta(days=30),
            expected_through=today + timedelta(days=through),
        )
    assert claims(worklists.work_status_expiring(manager, today)) == ["EXPIRED", "DAY-7"]


def test_an_expired_status_replaced_by_a_current_one_is_not_listed(today, manager):
    case = CaseFactory(claim_number="RENEWED", case_manager=manager)
    WorkStatusFactory(
        case=case,
        effective_from=today - timedelta(days=60),
        expected_through=today - timedelta(days=20),
    )
    WorkStatusFactory(
        case=case,
        kind=WorkStatus.Kind.FULL_DUTY,
        effective_from=today - timedelta(days=19),
        expected_through=None,
    )
    assert claims(worklists.work_status_expiring(manager, today)) == []


# No assessment in 30 days


def in_treatment(claim: str, manager, **fields):
    case = CaseFactory(claim_number=claim, case_manager=manager, **fields)
    case.status = CaseStatus.IN_TREATMENT
    case.save()
    return case


def test_case_in_treatment_without_an_assessment_for_thirty_days_is_listed(today, manager):
    AssessmentFactory(case=in_treatment("STALE", manager), date=today - timedelta(days=31))
    AssessmentFactory(case=in_treatment("RECENT", manager), date=today - timedelta(days=29))
    in_treatment("NEVER", manager)
    AssessmentFactory(
        case=CaseFactory(claim_number="OPEN", case_manager=manager),
        date=today - timedelta(days=60),
    )
    assert claims(worklists.assessment_overdue(manager, today)) == ["NEVER", "STALE"]


# Plateau candidates


def plateau_case(claim: str, manager, values: list[str]):
    return odi_tracked(in_treatment(claim, manager), values, ending=TODAY)


def test_plateaued_case_without_an_open_determination_is_a_candidate(today, manager):
    plateau_case("FLAT", manager, ["50", "44", "42"])
    plateau_case("BETTER", manager, ["50", "40", "28"])
    draft_started(plateau_case("DRAFTED", manager, ["50", "44", "42"]), days_ago=1)
    assert claims(worklists.plateau_candidates(manager, today)) == ["FLAT"]
    board = {item.slug: item for item in worklists.board(manager, today)}
    assert board["plateau"].rows[0].reason.startswith("Plateau candidate")


def test_deteriorating_case_is_listed_with_its_reason_and_is_no_plateau_candidate(today, manager):
    plateau_case("FLAT", manager, ["50", "44", "42"])
    plateau_case("WORSE", manager, ["50", "40", "52"])  # 12 worse over the last 6 weeks
    plateau_case("NEARLY", manager, ["50", "40", "49"])  # 9 worse: under the MCID of 10
    draft_started(plateau_case("DRAFTED", manager, ["50", "40", "52"]), days_ago=1)
    assert claims(worklists.deteriorating_cases(manager, today)) == ["WORSE"]
    assert claims(worklists.plateau_candidates(manager, today)) == ["FLAT", "NEARLY"]
    board = {item.slug: item for item in worklists.board(manager, today)}
    assert [row.case.claim_number for row in board["deteriorating"].rows] == ["WORSE"]
    assert board["deteriorating"].rows[0].reason == (
        "ODI: 40 → 52 over 6 weeks, 12 points worse, at least its MCID of 10: "
        "deteriorating, not a plateau."
    )
    assert [row.case.claim_number for row in board["plateau"].rows] == ["FLAT", "NEARLY"]


def test_the_board_shows_the_deteriorating_worklist_beside_the_plateau_candidates(today, manager):
    worse = plateau_case("WORSE", manager, ["50", "40", "52"])
    page = client_for(manager).get(reverse("home")).content.decode()
    plateau = page.index('id="worklist-plateau"')
    deteriorating = page.index('id="worklist-deteriorating"')
    assert plateau < deteriorating < page.index('id="worklist-stale-drafts"')
    section = page[deteriorating : page.index("</section>", deteriorating)]
    assert "Deteriorating" in section
    assert worse.get_absolute_url() in section
    assert "12 points worse, at least its MCID of 10: deteriorating, not a plateau." in section


@pytest.mark.parametrize("cases", [1, 6])
def test_the_board_makes_the_same_queries_whatever_the_number_of_outcome_cases(
    today, manager, cases, django_assert_num_queries
):
    for n in range(cases):
        plateau_case(f"FLAT-{n}", manager, ["50", "44", "42"])
        plateau_case(f"WORSE-{n}", manager, ["50", "40", "52"])
        plateau_case(f"BETTER-{n}", manager, ["50", "40", "28"])
    # Two for each of the nine lists; the rows the plateau and deteriorating lists show are
    # judged again together, for their reasons (four).
    with django_assert_num_queries(22):
        board = {item.slug: item for item in worklists.board(manager, today)}
    assert board["plateau"].total == cases
    assert board["deteriorating"].total == cases


def test_every_case_is_judged_and_the_nearest_review_comes_first(today, manager):
    later = plateau_case("LATER", manager, ["50", "44", "42"])
    soon = plateau_case("SOON", manager, ["50", "44", "42"])
    unreviewed = plateau_case("UNREVIEWED", manager, ["50", "44", "42"])
    Case.objects.filter(pk=later.pk).update(next_review_date=today + timedelta(days=20))
    Case.objects.filter(pk=soon.pk).update(next_review_date=today + timedelta(days=1))
    Case.objects.filter(pk=unreviewed.pk).update(next_review_date=None)
    board = {item.slug: item for item in worklists.board(manager, today)}
    assert [row.case.claim_number for row in board["plateau"].rows] == [
        "SOON",
        "LATER",
        "UNREVIEWED",
    ]


def test_worklist_totals_stop_counting_past_the_limit(today, manager, monkeypatch):
    monkeypatch.setattr(worklists, "COUNT_LIMIT", 2)
    for _ in range(4):
        CaseFactory(case_manager=manager, next_review_date=today - timedelta(days=1))
    board = {item.slug: item for item in worklists.board(manager, today)}
    assert board["reviews-overdue"].total_label == "more than 2"
    assert len(board["reviews-overdue"].rows) == 4
    page = client_for(manager).get(reverse("home")).content.decode()
    assert 'worklist-count">more than 2</span>' in page


# The pages


def test_case_manager_board_lists_each_case_with_its_reason_and_link(today, manager):
    late = CaseFactory(case_manager=manager, next_review_date=today - timedelta(days=4))
    response = client_for(manager).get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reviews overdue" in page
    assert "Review was due 26 Feb 2026 (4 days ago)." in page
    assert late.get_absolute_url() in page
    for definition in worklists.BOARD:
        assert definition.title in page


def test_board_counts_only_the_managers_own_cases(today, manager):
    CaseFactory(case_manager=manager)
    CaseFactory(case_manager=manager)
    CaseFactory(next_review_date=today - timedelta(days=4))  # another manager's
    counts = {status: number for status, _, number in worklists.status_counts(manager)}
    assert counts[CaseStatus.OPEN] == 2
    board = {item.slug: item for item in worklists.board(manager, today)}
    assert board["reviews-overdue"].total == 0


def test_status_counts_are_labelled_in_words(today, manager):
    CaseFactory(case_manager=manager)
    page = client_for(manager).get(reverse("home")).content.decode()
    assert '<span class="status-count-label">In treatment</span>' in page


def test_administrator_sees_the_board_over_every_case(today, cast):
    cast.case.next_review_date = today - timedelta(days=1)
    cast.case.save()
    page = client_for(cast.admin).get(reverse("home")).content.decode()
    assert "MMI status board" in page
    assert cast.case.claim_number in page


def test_clinician_home_shows_due_assessments_and_own_drafts(today, cast):
    cast.case.status = CaseStatus.IN_TREATMENT
    cast.case.save()
    DeterminationFactory(case=cast.case, certifying_clinician=cast.clinician)
    AssessmentFactory(case=cast.case, clinician=cast.clinician, date=today - timedelta(days=3))
    page = client_for(cast.clinician).get(reverse("home")).content.decode()
    assert "My cases due an assessment" in page
    assert "My unsigned drafts" in page
    assert "Determination v" in page
    assert "Assessment recorded" in page
    other = client_for(cast.other_clinician).get(reverse("home")).content.decode()
    assert cast.case.claim_number not in other


def test_adjuster_home_shows_own_insurers_reports_and_disputes_only(today, cast):
    dispute(cast.case, today + timedelta(days=5))
    mine = client_for(cast.adjuster).get(reverse("home")).content.decode()
    assert "Newly at MMI" in mine
    assert mine.count(cast.case.claim_number) == 3  # at MMI, dispute, recent determinations
    theirs = client_for(cast.other_adjuster).get(reverse("home")).content.decode()
    assert cast.case.claim_number not in theirs


def test_adjuster_home_lists_ten_rows_a_page_and_pages_on_to_the_rest(today, cast):
    for n in range(12):
        case = CaseFactory(
            claim_number=f"DISPUTED-{n:02d}",
            insurer=cast.case.insurer,
            case_manager=cast.case_manager,
        )
        dispute(case, today + timedelta(days=n + 1))
    client = client_for(cast.adjuster)

    def disputes(params=None) -> str:
        page = client.get(reverse("home"), params or {}).content.decode()
        return page.split('id="disputes"')[1].split('id="determinations"')[0]

    first = disputes()
    nearest = [f"DISPUTED-{n:02d}" for n in range(10)]
    assert all(claim in first for claim in nearest)
    assert "DISPUTED-10" not in first
    assert 'href="?disputes=2#disputes">Older</a>' in first
    # The next page keeps where the other lists are.
    second = disputes({"disputes": 2, "at_mmi": 1})
    assert "DISPUTED-10" in second and "DISPUTED-11" in second
    assert "DISPUTED-09" not in second
    assert 'href="?disputes=1&amp;at_mmi=1#disputes">Newer</a>' in second
    assert "Older</a>" not in second
    assert _queries(client, reverse("home")) == _queries(client, reverse("home") + "?disputes=2")
    for asked in ("x", "0", "-1", "9" * 30, "²"):
        assert client.get(reverse("home"), {"disputes": asked}).status_code == 200


def test_adjuster_never_sees_drafts_on_the_home_page(today, cast):
    DeterminationFactory(case=cast.case)
    page = client_for(cast.adjuster).get(reverse("home")).content.decode()
    assert "Draft" not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _fill_every_worklist(manager, today, n: int) -> None:
    for index in range(n):
        texas_case(
            manager,
            f"S-{n}-{index}",
            today + timedelta(days=10),
            next_review_date=today - timedelta(days=2),
        )
        draft_started(CaseFactory(case_manager=manager), days_ago=9)
        window_closing(CaseFactory(case_manager=manager), today + timedelta(days=4))
        dispute(CaseFactory(case_manager=manager), today + timedelta(days=40))  # adjuster's
        WorkStatusFactory(
            case=CaseFactory(case_manager=manager), expected_through=today + timedelta(1)
        )
        in_treatment(f"T-{n}-{index}", manager)
        plateau_case(f"P-{n}-{index}", manager, ["50", "44", "42"])
        plateau_case(f"D-{n}-{index}", manager, ["50", "40", "52"])


@pytest.mark.parametrize("role", ["manager", "clinician", "adjuster"])
def test_home_makes_the_same_number_of_queries_whatever_the_data_size(today, manager, role):
    clinician = ClinicianFactory()
    adjuster = AdjusterFactory()
    user = {"manager": manager, "clinician": clinician, "adjuster": adjuster}[role]

    def grow(n):
        _fill_every_worklist(manager, today, n)
        for case in manager.managed_cases.all():
            case.care_team.add(clinician)
        manager.managed_cases.update(insurer=adjuster.organisation)

    client = client_for(user)
    grow(1)
    small = _queries(client, reverse("home"))
    grow(4)
    assert _queries(client, reverse("home")) == small


def test_the_last_assessment_date_follows_every_change_to_the_assessments(today, manager):
    case = in_treatment("FOLLOWED", manager)
    older = AssessmentFactory(case=case, date=today - timedelta(days=40))
    newer = AssessmentFactory(case=case, date=today - timedelta(days=5))
    assert claims(worklists.assessment_overdue(manager, today)) == []

    newer.date = today - timedelta(days=35)
    services.assessment_save(assessment=newer, scores={})
    assert claims(worklists.assessment_overdue(manager, today)) == ["FOLLOWED"]
    stale_copy = type(case).objects.get(pk=case.pk)

    newer.date = today - timedelta(days=2)
    services.assessment_save(assessment=newer, scores={})
    # Saving the case from a copy read earlier does not put back the older date.
    stale_copy.next_review_date = today + timedelta(days=10)
    stale_copy.save()
    assert claims(worklists.assessment_overdue(manager, today)) == []

    services.assessment_delete(assessment=newer)
    assert claims(worklists.assessment_overdue(manager, today)) == ["FOLLOWED"]
    services.assessment_delete(assessment=older)
    case.refresh_from_db()
    assert case.last_assessed_on is None
    assert "no assessment recorded" in worklists.board(manager, today)[-1].rows[0].reason


def test_a_case_nobody_treats_is_on_the_board_until_a_clinician_is_assigned(today, manager):
    lonely = CaseFactory(claim_number="LONELY", case_manager=manager)
    treated = CaseFactory(claim_number="TREATED", case_manager=manager)
    clinician = ClinicianFactory()
    treated.care_team.set([clinician])
    CaseFactory(claim_number="SHUT", case_manager=manager, status=CaseStatus.CLOSED)

    page = client_for(manager).get(reverse("home")).content.decode()
    section = page[page.index('id="worklist-no-clinician"') :]
    section = section[: section.index("</section>")]
    assert "No clinician assigned" in section
    assert "LONELY" in section and "TREATED" not in section and "SHUT" not in section
    assert "with no clinician assigned" in section

    services.case_update(case=Case.objects.get(pk=lonely.pk), care_team=[clinician])
    assert claims(worklists.no_clinician(manager, today)) == []
    # However the care team changes.
    lonely.care_team.remove(clinician)
    assert claims(worklists.no_clinician(manager, today)) == ["LONELY"]
    treated.care_team.clear()
    assert claims(worklists.no_clinician(manager, today)) == ["LONELY", "TREATED"]
    lonely.care_team.add(clinician)
    assert claims(worklists.no_clinician(manager, today)) == ["TREATED"]


def test_a_clinicians_home_leads_with_their_cases_ready_for_review_and_deteriorating(
    today, manager
):
    clinician = ClinicianFactory()
    flat = plateau_case("FLAT", manager, ["50", "44", "42"])
    worse = plateau_case("WORSE", manager, ["50", "40", "52"])
    plateau_case("SOMEONE-ELSES", manager, ["50", "44", "42"])
    for case in (flat, worse):
        case.care_team.set([clinician])

    page = client_for(clinician).get(reverse("home")).content.decode()
    ready = page.index('id="worklist-ready-for-review"')
    deteriorating = page.index('id="worklist-deteriorating"')
    assert ready < deteriorating < page.index('id="worklist-assessment-due"')
    section = page[ready:deteriorating]
    assert "Ready for MMI review" in section
    assert "FLAT" in section and "Plateau candidate" in section
    assert "WORSE" not in section and "SOMEONE-ELSES" not in page
    assert "12 points worse" in page[deteriorating:]
