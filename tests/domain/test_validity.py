"""The validity checklist before signing an MMI certification (28 TAC 130.1, Labor Code
§408.123, 401.011(30); docs/domain.md §2).

Plain pytest: no database, no Django.
"""

import ast
import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from cases.domain import validity
from cases.domain.impairment import ImpairmentItem
from cases.domain.validity import (
    CertificationFacts,
    RuleCode,
    RuleResult,
    check_certification,
    consistency_warnings,
    field_errors,
    find_conditional_phrases,
)

INJURY = date(2024, 1, 10)
EXAM = date(2025, 5, 3)
TODAY = date(2025, 5, 5)
STATUTORY = date(2026, 1, 8)
DAY = timedelta(days=1)


def at_mmi(**changes: object) -> CertificationFacts:
    """A complete, valid certification at clinical MMI; tests change one thing."""
    facts = CertificationFacts(
        date_of_injury=INJURY,
        jurisdiction_name="Texas",
        exam_date=EXAM,
        mmi_reached=True,
        mmi_date=date(2025, 4, 20),
        expected_mmi_date=None,
        statutory_mmi_date=STATUTORY,
        mmi_type="clinical",
        impairment_finding="rated",
        impairment_rating=8,
        mmi_unconditional=True,
        rationale="Stable for three months; no further material recovery expected.",
        certifier_may_certify=True,
        certifier_may_rate=True,
        certifier_role="treating",
        certifier_licence_jurisdiction="TX",
        case_jurisdiction="TX",
        guides_edition="4th",
        accepted_guides_editions=("4th", "3rd"),
        today=TODAY,
        has_permanent_restrictions=True,
        has_objective_findings=True,
        has_diagnostic_objective_findings=True,
    )
    return dataclasses.replace(facts, **changes)


def not_at_mmi(**changes: object) -> CertificationFacts:
    """A complete, valid "not at MMI, expected on or about" certification."""
    facts = at_mmi(
        mmi_reached=False,
        mmi_date=None,
        mmi_type=None,
        expected_mmi_date=date(2025, 8, 1),
        impairment_finding=None,
        impairment_rating=None,
        mmi_unconditional=False,
        rationale="Still improving with physical therapy; MMI expected after 12 weeks.",
        has_permanent_restrictions=False,
    )
    return dataclasses.replace(facts, **changes)


def rule(facts: CertificationFacts, code: RuleCode) -> RuleResult:
    result = check_certification(facts).get(code)
    assert result is not None, f"rule {code} did not apply"
    return result


def assert_refused(facts: CertificationFacts, code: RuleCode) -> RuleResult:
    result = rule(facts, code)
    checklist = check_certification(facts)
    assert not result.passed
    assert not checklist.ok
    assert result in checklist.failures
    assert result.reason
    return result


def assert_accepted(facts: CertificationFacts, code: RuleCode) -> RuleResult:
    result = rule(facts, code)
    assert result.passed, result.reason
    return result


# --- The whole checklist ---------------------------------------------------------------


def test_complete_certification_at_mmi_passes_every_rule():
    checklist = check_certification(at_mmi())
    assert checklist.ok
    assert checklist.failures == ()
    assert set(checklist.codes) == {
        RuleCode.EXAM_DATE_PRESENT,
        RuleCode.EXAM_DATE_NOT_IN_FUTURE,
        RuleCode.EXAM_DATE_NOT_BEFORE_INJURY,
        RuleCode.MMI_TYPE_CHOSEN,
        RuleCode.MMI_DATE_PRESENT,
        RuleCode.MMI_DATE_NOT_PROSPECTIVE,
        RuleCode.MMI_DATE_NOT_BEFORE_INJURY,
        RuleCode.MMI_DATE_NOT_AFTER_STATUTORY,
        RuleCode.NOT_CONDITIONAL,
        RuleCode.IMPAIRMENT_DETERMINED,
        RuleCode.RATING_WHOLE_PERCENT,
        RuleCode.CERTIFIER_AUTHORISED,
        RuleCode.CERTIFIER_ROLE_GIVEN,
        RuleCode.CERTIFIER_MAY_RATE,
        RuleCode.GUIDES_EDITION_ACCEPTED,
        RuleCode.RATIONALE_PRESENT,
    }


def test_complete_not_at_mmi_certification_passes_every_rule():
    checklist = check_certification(not_at_mmi())
    assert checklist.ok
    assert set(checklist.codes) == {
        RuleCode.EXAM_DATE_PRESENT,
        RuleCode.EXAM_DATE_NOT_IN_FUTURE,
        RuleCode.EXAM_DATE_NOT_BEFORE_INJURY,
        RuleCode.NOT_AT_MMI_BEFORE_STATUTORY,
        RuleCode.EXPECTED_MMI_DATE_PRESENT,
        RuleCode.EXPECTED_MMI_DATE_AFTER_EXAM,
        RuleCode.EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY,
        RuleCode.RATING_NEEDS_MMI_DATE,
        RuleCode.CERTIFIER_AUTHORISED,
        RuleCode.CERTIFIER_ROLE_GIVEN,
        RuleCode.GUIDES_EDITION_ACCEPTED,
        RuleCode.RATIONALE_PRESENT,
    }


def test_every_result_has_the_title_of_its_rule():
    for result in check_certification(at_mmi()):
        assert result.title == RuleCode(result.code).label


def test_one_failure_makes_the_checklist_not_ok_and_lists_only_that_failure():
    checklist = check_certification(at_mmi(rationale=" "))
    assert not checklist.ok
    assert [r.code for r in checklist.failures] == [RuleCode.RATIONALE_PRESENT]


# --- Exam date -------------------------------------------------------------------------


def test_missing_exam_date_is_refused():
    result = assert_refused(at_mmi(exam_date=None), RuleCode.EXAM_DATE_PRESENT)
    assert "No exam date" in result.reason


def test_missing_exam_date_skips_rules_that_compare_with_it():
    codes = check_certification(at_mmi(exam_date=None)).codes
    assert RuleCode.EXAM_DATE_NOT_IN_FUTURE not in codes
    assert RuleCode.MMI_DATE_NOT_PROSPECTIVE not in codes


def test_exam_date_present_is_accepted():
    assert_accepted(at_mmi(), RuleCode.EXAM_DATE_PRESENT)


@pytest.mark.parametrize(
    ("exam", "passed"),
    [(TODAY, True), (TODAY - DAY, True), (TODAY + DAY, False)],
    ids=["today", "yesterday", "tomorrow"],
)
def test_exam_date_in_the_future_is_refused(exam: date, passed: bool):
    facts = at_mmi(exam_date=exam, mmi_date=exam)
    assert rule(facts, RuleCode.EXAM_DATE_NOT_IN_FUTURE).passed is passed


def test_future_exam_reason_names_both_dates():
    result = assert_refused(at_mmi(exam_date=date(2025, 5, 6)), RuleCode.EXAM_DATE_NOT_IN_FUTURE)
    assert "6 May 2025" in result.reason
    assert "5 May 2025" in result.reason


@pytest.mark.parametrize(
    ("exam", "passed"),
    [(INJURY, True), (INJURY + DAY, True), (INJURY - DAY, False)],
    ids=["same-day", "day-after", "day-before"],
)
def test_exam_before_the_injury_is_refused(exam: date, passed: bool):
    facts = not_at_mmi(exam_date=exam, expected_mmi_date=exam + 30 * DAY)
    assert rule(facts, RuleCode.EXAM_DATE_NOT_BEFORE_INJURY).passed is passed


# --- At MMI: type and date -------------------------------------------------------------


@pytest.mark.parametrize(("mmi_type", "passed"), [("clinical", True), (None, False), ("x", False)])
def test_mmi_without_clinical_or_statutory_type_is_refused(mmi_type: str | None, passed: bool):
    assert rule(at_mmi(mmi_type=mmi_type), RuleCode.MMI_TYPE_CHOSEN).passed is passed


def test_mmi_reached_without_mmi_date_is_refused():
    facts = at_mmi(mmi_date=None)
    result = assert_refused(facts, RuleCode.MMI_DATE_PRESENT)
    assert "no MMI date" in result.reason
    # Rules comparing the MMI date with other dates cannot apply without it.
    assert RuleCode.MMI_DATE_NOT_PROSPECTIVE not in check_certification(facts).codes


def test_mmi_reached_with_mmi_date_is_accepted():
    assert_accepted(at_mmi(), RuleCode.MMI_DATE_PRESENT)


def test_mmi_date_after_exam_date_is_refused():
    facts = at_mmi(mmi_date=date(2025, 5, 12), exam_date=date(2025, 5, 3), today=date(2025, 6, 1))
    result = assert_refused(facts, RuleCode.MMI_DATE_NOT_PROSPECTIVE)
    assert result.reason.startswith(
        "The MMI date 12 May 2025 is after the exam date 3 May 2025: MMI cannot be certified "
        "for a date after the examination (28 TAC 130.1)."
    )


@pytest.mark.parametrize("mmi", [EXAM, EXAM - DAY], ids=["same-day", "day-before"])
def test_mmi_date_on_or_before_exam_date_is_accepted(mmi: date):
    assert_accepted(at_mmi(mmi_date=mmi), RuleCode.MMI_DATE_NOT_PROSPECTIVE)


def test_mmi_date_before_injury_is_refused():
    result = assert_refused(at_mmi(mmi_date=INJURY - DAY), RuleCode.MMI_DATE_NOT_BEFORE_INJURY)
    assert "9 Jan 2024" in result.reason
    assert "10 Jan 2024" in result.reason


def test_mmi_on_the_day_of_injury_is_accepted():
    assert_accepted(at_mmi(mmi_date=INJURY), RuleCode.MMI_DATE_NOT_BEFORE_INJURY)


def test_mmi_date_after_statutory_mmi_date_is_refused():
    facts = at_mmi(
        exam_date=date(2026, 2, 1),
        today=date(2026, 2, 2),
        mmi_date=STATUTORY + DAY,
    )
    result = assert_refused(facts, RuleCode.MMI_DATE_NOT_AFTER_STATUTORY)
    assert "8 Jan 2026" in result.reason


def test_mmi_date_on_statutory_mmi_date_is_accepted():
    facts = at_mmi(exam_date=date(2026, 2, 1), today=date(2026, 2, 2), mmi_date=STATUTORY)
    assert_accepted(facts, RuleCode.MMI_DATE_NOT_AFTER_STATUTORY)


def test_statutory_limit_does_not_apply_where_the_jurisdiction_has_none():
    codes = check_certification(at_mmi(statutory_mmi_date=None)).codes
    assert RuleCode.MMI_DATE_NOT_AFTER_STATUTORY not in codes
    assert RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE not in codes


def test_statutory_mmi_on_another_date_is_refused():
    facts = at_mmi(
        mmi_type="statutory",
        exam_date=date(2026, 2, 1),
        today=date(2026, 2, 2),
        mmi_date=STATUTORY - DAY,
    )
    result = assert_refused(facts, RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE)
    assert "7 Jan 2026" in result.reason
    assert "8 Jan 2026" in result.reason


def test_statutory_mmi_on_the_statutory_date_is_accepted():
    facts = at_mmi(
        mmi_type="statutory",
        exam_date=date(2026, 2, 1),
        today=date(2026, 2, 2),
        mmi_date=STATUTORY,
    )
    assert_accepted(facts, RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE)
    assert check_certification(facts).ok


def test_statutory_mmi_without_a_known_statutory_date_is_refused():
    facts = at_mmi(mmi_type="statutory", statutory_mmi_date=None)
    result = assert_refused(facts, RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE)
    assert "no statutory MMI date" in result.reason


def test_clinical_mmi_is_not_held_to_the_statutory_date():
    assert RuleCode.STATUTORY_MMI_ON_STATUTORY_DATE not in check_certification(at_mmi()).codes


# --- Not at MMI ------------------------------------------------------------------------


def test_not_at_mmi_without_expected_date_is_refused():
    result = assert_refused(not_at_mmi(expected_mmi_date=None), RuleCode.EXPECTED_MMI_DATE_PRESENT)
    assert "expected" in result.reason


def test_not_at_mmi_with_expected_date_is_accepted():
    assert_accepted(not_at_mmi(), RuleCode.EXPECTED_MMI_DATE_PRESENT)


@pytest.mark.parametrize(
    ("expected", "passed"),
    [(EXAM + DAY, True), (EXAM, False), (EXAM - DAY, False)],
    ids=["day-after", "same-day", "day-before"],
)
def test_expected_mmi_date_not_after_exam_is_refused(expected: date, passed: bool):
    facts = not_at_mmi(expected_mmi_date=expected)
    assert rule(facts, RuleCode.EXPECTED_MMI_DATE_AFTER_EXAM).passed is passed


def test_mmi_date_rules_do_not_apply_when_not_at_mmi():
    codes = set(check_certification(not_at_mmi()).codes)
    assert not codes & {
        RuleCode.MMI_TYPE_CHOSEN,
        RuleCode.MMI_DATE_PRESENT,
        RuleCode.MMI_DATE_NOT_PROSPECTIVE,
        RuleCode.MMI_DATE_NOT_AFTER_STATUTORY,
        RuleCode.NOT_CONDITIONAL,
    }


def test_expected_date_rules_do_not_apply_at_mmi():
    codes = set(check_certification(at_mmi(expected_mmi_date=None)).codes)
    assert not codes & {RuleCode.EXPECTED_MMI_DATE_PRESENT, RuleCode.EXPECTED_MMI_DATE_AFTER_EXAM}


# --- Not at MMI after statutory MMI ----------------------------------------------------


@pytest.mark.parametrize(
    ("exam", "passed"),
    [(STATUTORY - DAY, True), (STATUTORY, True), (STATUTORY + DAY, False)],
    ids=["day-before", "on-the-day", "day-after"],
)
def test_not_at_mmi_examined_after_statutory_mmi_is_refused(exam: date, passed: bool):
    facts = not_at_mmi(exam_date=exam, expected_mmi_date=STATUTORY, today=exam + DAY)
    result = rule(facts, RuleCode.NOT_AT_MMI_BEFORE_STATUTORY)
    assert result.passed is passed
    if not passed:
        assert "401.011(30)" in result.reason


@pytest.mark.parametrize(
    ("expected", "passed"),
    [(STATUTORY - DAY, True), (STATUTORY, True), (STATUTORY + DAY, False)],
    ids=["day-before", "on-the-day", "day-after"],
)
def test_expected_mmi_date_after_statutory_mmi_is_refused(expected: date, passed: bool):
    result = rule(
        not_at_mmi(expected_mmi_date=expected), RuleCode.EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY
    )
    assert result.passed is passed


def test_no_statutory_limits_where_the_jurisdiction_has_none():
    codes = check_certification(not_at_mmi(statutory_mmi_date=None)).codes
    assert RuleCode.NOT_AT_MMI_BEFORE_STATUTORY not in codes
    assert RuleCode.EXPECTED_MMI_DATE_NOT_AFTER_STATUTORY not in codes


# --- Not conditional -------------------------------------------------------------------


def test_mmi_without_the_unconditional_statement_is_refused():
    result = assert_refused(at_mmi(mmi_unconditional=False), RuleCode.NOT_CONDITIONAL)
    assert "does not depend on any future treatment or event" in result.reason
    assert "28 TAC 130.1" in result.reason


def test_mmi_with_the_unconditional_statement_is_accepted():
    assert_accepted(at_mmi(), RuleCode.NOT_CONDITIONAL)


@pytest.mark.parametrize(
    ("rationale", "phrase"),
    [
        ("At MMI unless surgery is approved.", "unless"),
        ("At MMI if no further surgery is performed.", "if no"),
        ("At MMI provided that he completes therapy.", "provided that"),
        ("At MMI if surgery is denied.", "if surgery"),
        ("At MMI pending the MRI result.", "pending"),
        ("MMI is contingent on the injection outcome.", "contingent"),
        ("At MMI assuming no further injections.", "assuming"),
        ("At MMI depending on the surgical consult.", "depending on"),
        ("AT MMI UNLESS SURGERY.", "UNLESS"),
        ("At MMI Provided   That the FCE agrees.", "Provided That"),
    ],
)
def test_wording_that_reads_as_a_condition_warns_but_never_blocks(rationale: str, phrase: str):
    facts = at_mmi(rationale=rationale)
    warning = next(w for w in consistency_warnings(facts) if w.code == "conditional_wording")
    assert f"“{phrase}”" in warning.message
    assert check_certification(facts).ok


@pytest.mark.parametrize(
    "rationale",
    [
        "Stable for three months; no further material recovery expected.",
        "Returns to work subject to permanent restrictions.",
        "Surgery was declined; conservative care has plateaued.",
    ],
)
def test_valid_wording_raises_no_condition_warning(rationale: str):
    facts = at_mmi(rationale=rationale)
    assert "conditional_wording" not in [w.code for w in consistency_warnings(facts)]
    assert_accepted(facts, RuleCode.NOT_CONDITIONAL)


def test_every_conditional_phrase_found_is_quoted_once():
    text = "At MMI unless surgery, pending MRI, and UNLESS the FCE disagrees."
    assert find_conditional_phrases(text) == ("unless", "pending")


def test_not_at_mmi_pending_surgery_is_not_a_conditional_certification():
    facts = not_at_mmi(rationale="Not at MMI pending lumbar surgery.")
    assert RuleCode.NOT_CONDITIONAL not in check_certification(facts).codes
    assert "conditional_wording" not in [w.code for w in consistency_warnings(facts)]
    assert check_certification(facts).ok


# --- The impairment determination --------------------------------------------------------


def test_mmi_with_no_impairment_determination_is_refused():
    facts = at_mmi(impairment_finding=None, impairment_rating=None)
    result = assert_refused(facts, RuleCode.IMPAIRMENT_DETERMINED)
    assert "§408.123" in result.reason


def test_no_permanent_impairment_is_a_determination():
    facts = at_mmi(impairment_finding="none", impairment_rating=None)
    result = assert_accepted(facts, RuleCode.IMPAIRMENT_DETERMINED)
    assert "not the same as a 0 % rating" in result.reason


def test_zero_percent_is_a_rating_not_no_impairment():
    assert_accepted(at_mmi(impairment_rating=0), RuleCode.IMPAIRMENT_DETERMINED)
    result = assert_refused(
        at_mmi(impairment_finding="none", impairment_rating=0), RuleCode.IMPAIRMENT_DETERMINED
    )
    assert "choose one" in result.reason


def test_permanent_impairment_without_a_rating_is_refused():
    assert_refused(at_mmi(impairment_rating=None), RuleCode.IMPAIRMENT_DETERMINED)


def test_impairment_when_not_at_mmi_is_refused():
    result = assert_refused(not_at_mmi(impairment_rating=5), RuleCode.RATING_NEEDS_MMI_DATE)
    assert "5 %" in result.reason
    assert "not at MMI" in result.reason
    assert_refused(not_at_mmi(impairment_finding="none"), RuleCode.RATING_NEEDS_MMI_DATE)


def test_no_impairment_when_not_at_mmi_is_accepted():
    assert_accepted(not_at_mmi(), RuleCode.RATING_NEEDS_MMI_DATE)


@pytest.mark.parametrize(
    ("rating", "passed"),
    [(0, True), (1, True), (100, True), (-1, False), (101, False), (12.5, False), (True, False)],
)
def test_rating_outside_whole_percent_0_to_100_is_refused(rating: object, passed: bool):
    assert rule(at_mmi(impairment_rating=rating), RuleCode.RATING_WHOLE_PERCENT).passed is passed


def test_florida_caps_a_psychiatric_rating_at_1_percent():
    def florida(value: int) -> CertificationFacts:
        item = ImpairmentItem(
            "Psychiatric (mental and behavioural)", "whole_person", value, "FL UPIRS"
        )
        return at_mmi(
            jurisdiction_name="Florida",
            case_jurisdiction="FL",
            guides_edition="fl1996",
            accepted_guides_editions=("fl1996",),
            psychiatric_rating_cap=1,
            impairment_items=(item,),
            impairment_rating=value,
        )

    assert_accepted(florida(1), RuleCode.PSYCHIATRIC_RATING_CAPPED)
    result = assert_refused(florida(2), RuleCode.PSYCHIATRIC_RATING_CAPPED)
    assert "440.15(3)(b)" in result.reason
    # Texas has no such cap.
    assert RuleCode.PSYCHIATRIC_RATING_CAPPED not in check_certification(at_mmi()).codes


# --- Who certifies, and with which guides ----------------------------------------------


def test_doctor_not_authorised_to_certify_is_refused():
    result = assert_refused(at_mmi(certifier_may_certify=False), RuleCode.CERTIFIER_AUTHORISED)
    assert "not recorded as a doctor authorised" in result.reason


def test_authorised_doctor_is_accepted():
    assert_accepted(at_mmi(), RuleCode.CERTIFIER_AUTHORISED)


@pytest.mark.parametrize(
    ("may_rate", "finding", "rating", "passed"),
    [
        (False, "none", None, True),
        (False, "rated", 0, False),
        (False, "rated", 5, False),
        (True, "rated", 0, True),
        (True, "rated", 5, True),
    ],
    ids=["no-impairment", "zero-is-a-rating", "rated", "rater-zero", "rater"],
)
def test_doctor_not_certified_to_rate_may_certify_only_no_permanent_impairment(
    may_rate: bool, finding: str, rating: int | None, passed: bool
):
    facts = at_mmi(
        certifier_may_rate=may_rate, impairment_finding=finding, impairment_rating=rating
    )
    assert rule(facts, RuleCode.CERTIFIER_MAY_RATE).passed is passed


def test_rater_rule_does_not_apply_when_not_at_mmi():
    facts = not_at_mmi(certifier_may_rate=False)
    assert RuleCode.CERTIFIER_MAY_RATE not in check_certification(facts).codes


def test_the_certifying_doctors_role_is_required():
    assert_refused(at_mmi(certifier_role=""), RuleCode.CERTIFIER_ROLE_GIVEN)
    assert_refused(not_at_mmi(certifier_role=""), RuleCode.CERTIFIER_ROLE_GIVEN)


@pytest.mark.parametrize(
    ("edition", "accepted", "passed"),
    [
        ("4th", ("4th", "3rd"), True),
        ("3rd", ("4th", "3rd"), True),
        ("5th", ("4th", "3rd"), False),
        ("6th", ("4th", "3rd"), False),
        ("", ("4th", "3rd"), False),
        ("5th", ("5th",), True),
        ("4th", ("5th",), False),
        ("fl1996", ("fl1996",), True),
        ("6th", ("fl1996",), False),
    ],
)
def test_only_the_guides_the_jurisdiction_accepts(
    edition: str, accepted: tuple[str, ...], passed: bool
):
    facts = at_mmi(guides_edition=edition, accepted_guides_editions=accepted)
    result = rule(facts, RuleCode.GUIDES_EDITION_ACCEPTED)
    assert result.passed is passed
    if not passed:
        assert "accepts" in result.reason or "not accepted" in result.reason


def test_the_edition_is_required_when_not_at_mmi_too():
    assert_refused(not_at_mmi(guides_edition=""), RuleCode.GUIDES_EDITION_ACCEPTED)


# --- Refusals by field, for saving a step -------------------------------------------------

OUTCOME_FIELDS = (
    "mmi_date",
    "expected_mmi_date",
    "mmi_reached",
    "mmi_unconditional",
    "impairment_finding",
    "impairment_rating",
)


def test_outcome_errors_name_the_field_with_the_checklists_reason():
    facts = at_mmi(mmi_date=EXAM + DAY, impairment_finding=None, impairment_rating=None)
    errors = field_errors(facts, OUTCOME_FIELDS)
    assert set(errors) == {"mmi_date", "impairment_finding"}
    checklist = check_certification(facts)
    assert errors["mmi_date"] == [rule(facts, RuleCode.MMI_DATE_NOT_PROSPECTIVE).reason]
    assert not checklist.ok


def test_outcome_errors_leave_other_steps_to_signing():
    facts = at_mmi(certifier_role="", guides_edition="", rationale="")
    assert field_errors(facts, OUTCOME_FIELDS) == {}


def test_mmi_date_after_today_is_refused_without_an_exam_date():
    facts = at_mmi(exam_date=None, mmi_date=TODAY + DAY)
    assert "mmi_date" in field_errors(facts, OUTCOME_FIELDS)


# --- Rationale -------------------------------------------------------------------------


@pytest.mark.parametrize("rationale", ["", "   ", "\n\t"])
def test_blank_rationale_is_refused(rationale: str):
    assert_refused(at_mmi(rationale=rationale), RuleCode.RATIONALE_PRESENT)


def test_written_rationale_is_accepted():
    assert_accepted(at_mmi(), RuleCode.RATIONALE_PRESENT)


# --- Consistency warnings --------------------------------------------------------------

# No objective finding anywhere: not in the examination, not from diagnostic testing.
NO_FINDING = {"has_objective_findings": False, "has_diagnostic_objective_findings": False}


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, []),
        (
            {"impairment_rating": 0, "has_permanent_restrictions": True},
            ["zero_rating_with_permanent_restrictions"],
        ),
        (
            {"impairment_rating": None, **NO_FINDING},
            ["restrictions_without_objective_finding"],
        ),
        (
            {"has_diagnostic_objective_findings": False},
            ["restrictions_without_objective_finding"],
        ),
        (
            {"has_permanent_restrictions": False, **NO_FINDING},
            ["rating_without_objective_finding"],
        ),
        (
            {"impairment_rating": 0, **NO_FINDING},
            ["zero_rating_with_permanent_restrictions", "restrictions_without_objective_finding"],
        ),
        ({"impairment_rating": 0, "has_permanent_restrictions": False}, []),
        (
            {"impairment_rating": 0, "has_permanent_restrictions": False, **NO_FINDING},
            [],
        ),
    ],
    ids=[
        "consistent",
        "zero-with-restrictions",
        "restrictions-without-finding",
        "restrictions-with-an-exam-finding-only",
        "rating-without-finding",
        "zero-restrictions-no-finding",
        "zero-without-restrictions",
        "zero-nothing",
    ],
)
def test_consistency_warnings(changes: dict[str, object], codes: list[str]):
    warnings = consistency_warnings(at_mmi(**changes))
    assert [w.code for w in warnings] == codes
    assert all(w.message for w in warnings)


def test_rating_without_objective_finding_cites_408_122():
    facts = at_mmi(has_permanent_restrictions=False, **NO_FINDING)
    (warning,) = consistency_warnings(facts)
    assert "§408.122" in warning.message


def test_a_licence_from_another_state_warns_naming_both():
    (warning,) = consistency_warnings(at_mmi(certifier_licence_jurisdiction="OK"))
    assert warning.code == "licence_jurisdiction_differs"
    assert "licensed in OK" in warning.message and "Texas (TX)" in warning.message


def test_spine_models_mixed_in_one_region_warn_under_the_4th_edition():
    items = (
        ImpairmentItem("Lumbar spine", "whole_person", 5, "Table 72, DRE lumbosacral category II"),
        ImpairmentItem("Lumbar spine", "whole_person", 2, "Table 83, range of motion"),
    )
    codes = [w.code for w in consistency_warnings(at_mmi(impairment_items=items))]
    assert codes == ["spine_models_mixed"]
    other_regions = (items[0], ImpairmentItem("Cervical spine", "whole_person", 2, "ROM"))
    assert consistency_warnings(at_mmi(impairment_items=other_regions)) == ()
    fifth = at_mmi(impairment_items=items, guides_edition="5th")
    assert "spine_models_mixed" not in [w.code for w in consistency_warnings(fifth)]


@pytest.mark.parametrize(
    ("due", "warned"),
    [(TODAY + DAY, False), (TODAY, False), (TODAY - DAY, True), (None, False)],
    ids=["due-tomorrow", "due-today", "overdue", "no-rule"],
)
def test_signing_after_the_due_date_warns(due: date | None, warned: bool):
    warnings = consistency_warnings(at_mmi(certification_due=due))
    assert ("signed_after_due_date" in [w.code for w in warnings]) is warned


def test_warnings_do_not_block_signing():
    facts = at_mmi(impairment_rating=0, **NO_FINDING)
    assert consistency_warnings(facts)
    assert check_certification(facts).ok


# --- Purity ----------------------------------------------------------------------------


def test_validity_rules_do_not_import_django():
    tree = ast.parse(Path(validity.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in imported)


def test_the_exam_date_rules_refuse_the_clinical_step():
    facts = at_mmi(exam_date=TODAY + DAY)
    assert "after today" in field_errors(facts, ("exam_date",))["exam_date"][0]
    assert "exam_date" not in field_errors(facts, OUTCOME_FIELDS)
