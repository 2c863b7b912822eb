"""plateau_candidates and deteriorating_cases: the status board's plateau and deterioration
worklists, judged in bulk (docs/domain.md §5)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cases.models import Case, Instrument
from cases.selectors.cases import case_with_records
from cases.selectors.outcomes import (
    OUTCOME_PREFETCHES,
    case_outcome_trends,
    deteriorating_cases,
    judge_cases,
    plateau_candidates,
)
from tests.support.factories import (
    AdministratorFactory,
    AssessmentFactory,
    CaseFactory,
    ClinicianFactory,
    OutcomeScoreFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

PLATEAUED = {"ODI": ["60", "40", "38"], "NPRS": ["7", "5", "5"]}
IMPROVING = {"ODI": ["60", "45", "30"], "NPRS": ["7", "5", "5"]}
# NPRS 5 → 7 over the last six weeks: worse by its MCID of 2 points.
DETERIORATING = {"ODI": ["60", "40", "38"], "NPRS": ["7", "5", "7"]}
DAYS = [0, 60, 102]


def make_case(series: dict[str, list[str]], *, claim: str | None = None, **fields) -> Case:
    """A case tracking the series' measures, assessed on DAYS after the injury, with one
    work status in force since before the first assessment."""
    case = CaseFactory(**({"claim_number": claim} if claim else {}), **fields)
    clinician = ClinicianFactory()
    case.care_team.add(clinician)
    instruments = {name: Instrument.objects.get(abbreviation=name) for name in series}
    case.tracked_instruments.set(instruments.values())
    for index, days in enumerate(DAYS):
        assessment = AssessmentFactory(
            case=case, clinician=clinician, date=case.date_of_injury + timedelta(days=days)
        )
        for name, values in series.items():
            OutcomeScoreFactory(
                assessment=assessment, instrument=instruments[name], value=Decimal(values[index])
            )
    WorkRestrictionFactory(
        work_status=WorkStatusFactory(
            case=case,
            effective_from=case.date_of_injury,
            expected_through=case.date_of_injury + timedelta(days=190),
            issued_by=clinician,
        )
    )
    return case


def claims(judged: list[tuple[Case, object]]) -> list[str]:
    return [case.claim_number for case, _ in judged]


def test_only_plateau_candidates_are_listed_with_their_reasons(db):
    plateaued = make_case(PLATEAUED, claim="PLATEAU-1")
    make_case(IMPROVING, claim="IMPROVING-1")
    make_case({}, claim="UNTRACKED-1")
    judged = plateau_candidates(Case.objects.all())
    assert claims(judged) == ["PLATEAU-1"]
    case, verdict = judged[0]
    assert case == plateaued
    assert verdict.reasons[0].startswith("Plateau candidate: every tracked measure")
    assert (
        "ODI: 40 → 38 over 6 weeks, 2 points better, under its MCID of 10, and the trend "
        "projects 2.7 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued."
    ) in verdict.reasons


def test_deteriorating_cases_are_listed_and_never_plateau_candidates(db):
    make_case(PLATEAUED, claim="PLATEAU-1")
    make_case(IMPROVING, claim="IMPROVING-1")
    worse = make_case(DETERIORATING, claim="WORSE-1")
    assert claims(plateau_candidates(Case.objects.all())) == ["PLATEAU-1"]
    judged = deteriorating_cases(Case.objects.all())
    assert claims(judged) == ["WORSE-1"]
    case, verdict = judged[0]
    assert case == worse
    assert not verdict.is_candidate
    assert verdict.deteriorating == ("NPRS",)
    assert verdict.reasons[0] == (
        "Not a plateau candidate: NPRS is deteriorating and needs attention."
    )
    assert verdict.deterioration_reasons == (
        "NPRS: 5 → 7 over 6 weeks, 2 points worse, at least its MCID of 2 points: "
        "deteriorating, not a plateau.",
    )


def test_judge_cases_gives_every_case_its_verdict_in_order(db):
    for claim, series in [("B-2", DETERIORATING), ("A-1", PLATEAUED), ("C-3", IMPROVING)]:
        make_case(series, claim=claim)
    judged = judge_cases(Case.objects.order_by("claim_number"))
    assert claims(judged) == ["A-1", "B-2", "C-3"]
    assert [(v.is_candidate, v.is_deteriorating) for _, v in judged] == [
        (True, False),
        (False, True),
        (False, False),
    ]


def test_the_queryset_order_is_kept(db):
    for claim in ["B-2", "A-1", "C-3"]:
        make_case(PLATEAUED, claim=claim)
    assert claims(plateau_candidates(Case.objects.order_by("claim_number"))) == [
        "A-1",
        "B-2",
        "C-3",
    ]
    assert claims(plateau_candidates(Case.objects.order_by("-claim_number"))) == [
        "C-3",
        "B-2",
        "A-1",
    ]


def test_only_the_cases_given_are_judged(db):
    make_case(PLATEAUED, claim="MINE-1", jurisdiction="TX")
    make_case(PLATEAUED, claim="OTHER-1", jurisdiction="FL")
    assert claims(plateau_candidates(Case.objects.filter(jurisdiction="TX"))) == ["MINE-1"]
    assert plateau_candidates(Case.objects.none()) == []


def test_changed_restrictions_take_a_case_off_the_list(db):
    case = make_case(PLATEAUED, claim="CHANGED-1")
    WorkRestrictionFactory(
        work_status=WorkStatusFactory(
            case=case,
            effective_from=case.date_of_injury + timedelta(days=80),
            expected_through=case.date_of_injury + timedelta(days=190),
        ),
        max_pounds=40,
    )
    assert plateau_candidates(Case.objects.all()) == []


def test_a_renewal_with_the_same_restrictions_is_no_change(db):
    case = make_case(PLATEAUED, claim="RENEWED-1")
    WorkRestrictionFactory(
        work_status=WorkStatusFactory(
            case=case,
            effective_from=case.date_of_injury + timedelta(days=80),
            expected_through=case.date_of_injury + timedelta(days=190),
        ),
        activity="  Lift ",  # the same restriction, typed differently
    )
    assert claims(plateau_candidates(Case.objects.all())) == ["RENEWED-1"]


def test_bulk_and_single_case_verdicts_agree(db):
    cases = [
        make_case(PLATEAUED),
        make_case(IMPROVING),
        make_case({"ODI": ["50", "50", "49"]}),
        make_case(DETERIORATING),
    ]
    changed = cases[0]
    WorkStatusFactory(
        case=changed,
        kind="off_work",
        effective_from=changed.date_of_injury + timedelta(days=70),
        expected_through=changed.date_of_injury + timedelta(days=190),
    )
    admin = AdministratorFactory()
    bulk = {case.pk: verdict for case, verdict in plateau_candidates(Case.objects.all())}
    worse = {case.pk: verdict for case, verdict in deteriorating_cases(Case.objects.all())}
    every = dict(judge_cases(Case.objects.all()))
    for case in cases:
        single = case_outcome_trends(case_with_records(case.pk, admin)).verdict
        assert (case.pk in bulk) is single.is_candidate
        assert (case.pk in worse) is single.is_deteriorating
        assert every[case] == single


@pytest.mark.parametrize("cases", [3, 21])
def test_four_queries_whatever_the_number_of_cases(db, cases, django_assert_num_queries):
    for n in range(cases):
        make_case([IMPROVING, PLATEAUED, DETERIORATING][n % 3])
    with django_assert_num_queries(4):
        judged = plateau_candidates(Case.objects.with_parties())
    assert len(judged) == cases // 3
    with django_assert_num_queries(4):
        worse = deteriorating_cases(Case.objects.with_parties())
    assert len(worse) == cases // 3


@pytest.mark.parametrize("cases", [1, 5])
def test_cases_loaded_with_outcome_prefetches_need_no_more_queries(
    db, cases, django_assert_num_queries
):
    for _ in range(cases):
        make_case(PLATEAUED)
    # cases, tracked measures, treatments, assessments, scores, work statuses, restrictions
    with django_assert_num_queries(7):
        loaded = list(Case.objects.prefetch_related(*OUTCOME_PREFETCHES))
    with django_assert_num_queries(0):
        verdicts = [case_outcome_trends(case).verdict.is_candidate for case in loaded]
    assert verdicts == [True] * cases
