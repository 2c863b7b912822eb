"""Work status and physical demand levels (docs/domain.md §7). Plain pytest: no database."""

import ast
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from cases.domain import work_status
from cases.domain.work_status import (
    DOL_TABLE,
    FREQUENCIES,
    MOTIONS,
    POSTURES,
    Frequency,
    PhysicalDemandLevel,
    WorkStatusEntry,
    WorkStatusKind,
    certified_restrictions,
    check_work_status,
    demand_level_for,
    describe_work_status,
    is_expired,
    is_expiring,
    work_status_problems,
)

L = PhysicalDemandLevel
START = date(2025, 5, 3)
DAY = timedelta(days=1)


# --- Physical demand levels ------------------------------------------------------------


def test_dol_table_matches_domain_section_7():
    rows = {
        level: (limits.occasional_lb, limits.frequent_lb, limits.constant_lb)
        for level, limits in DOL_TABLE.items()
    }
    assert rows == {
        L.SEDENTARY: (10, 0, 0),
        L.LIGHT: (20, 10, 0),
        L.MEDIUM: (50, 25, 10),
        L.HEAVY: (100, 50, 20),
        L.VERY_HEAVY: (None, None, None),
    }
    assert list(L) == [L.SEDENTARY, L.LIGHT, L.MEDIUM, L.HEAVY, L.VERY_HEAVY]
    assert L.VERY_HEAVY.label == "Very heavy"
    assert L.LIGHT.limits is DOL_TABLE[L.LIGHT]


@pytest.mark.parametrize(
    ("occasional", "frequent", "constant", "level"),
    [
        # below or at sedentary
        (0, 0, 0, L.SEDENTARY),
        (5, 0, 0, L.SEDENTARY),
        (10, 0, 0, L.SEDENTARY),
        # light boundary: 20 occasionally AND 10 frequently
        (19, 10, 0, L.SEDENTARY),
        (20, 9, 0, L.SEDENTARY),
        (20, 10, 0, L.LIGHT),
        # medium boundary: 50 / 25 / 10
        (49, 25, 10, L.LIGHT),
        (50, 24, 10, L.LIGHT),
        (50, 25, 9, L.LIGHT),
        (50, 25, 10, L.MEDIUM),
        # heavy boundary: 100 / 50 / 20
        (99, 50, 20, L.MEDIUM),
        (100, 49, 20, L.MEDIUM),
        (100, 50, 19, L.MEDIUM),
        (100, 50, 20, L.HEAVY),
        # very heavy: more than 100 / 50 / 20
        (101, 51, 20, L.HEAVY),
        (101, 50, 21, L.HEAVY),
        (100, 51, 21, L.HEAVY),
        (101, 51, 21, L.VERY_HEAVY),
        # one tight limit lowers the level
        (200, 100, 0, L.LIGHT),
        (200, 5, 50, L.SEDENTARY),
    ],
)
def test_demand_level_for_lift_limits(occasional, frequent, constant, level):
    assert demand_level_for(occasional, frequent, constant) is level


@pytest.mark.parametrize(
    ("occasional", "frequent", "constant", "level"),
    [
        (None, None, None, L.VERY_HEAVY),
        (20, None, None, L.LIGHT),
        (None, 10, 0, L.LIGHT),
        (None, None, 10, L.MEDIUM),
        (150, None, 25, L.VERY_HEAVY),
    ],
)
def test_missing_lift_limit_means_not_limited(occasional, frequent, constant, level):
    assert demand_level_for(occasional, frequent, constant) is level


def test_lift_limits_may_be_decimal_or_float():
    assert demand_level_for(Decimal("20.0"), 10.0, 0) is L.LIGHT
    assert demand_level_for(Decimal("19.5"), 10, 0) is L.SEDENTARY


def test_negative_lift_limit_is_refused():
    with pytest.raises(ValueError, match="negative"):
        demand_level_for(20, -1, 0)


# --- Vocabulary ------------------------------------------------------------------------


def test_posture_and_motion_choices():
    assert [value for value, _ in POSTURES] == ["stand", "sit", "walk", "kneel", "bend", "twist"]
    assert [value for value, _ in MOTIONS] == ["reach", "overhead_reach", "keyboard", "grasp"]


def test_frequencies_carry_their_dol_definitions():
    assert [value for value, _ in FREQUENCIES] == ["occasional", "frequent", "constant"]
    assert "up to 1/3" in Frequency.OCCASIONAL.definition
    assert "1/3 to 2/3" in Frequency.FREQUENT.definition
    assert "2/3 of the working day or more" in Frequency.CONSTANT.definition


# --- Work status -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start", "end", "explanation", "restrictions"),
    [
        (WorkStatusKind.FULL_DUTY, START, None, "", 0),
        (WorkStatusKind.RESTRICTED, START, START + 28 * DAY, "", 2),
        (WorkStatusKind.RESTRICTED, START, START, "", 1),
        (WorkStatusKind.OFF_WORK, START, START + 14 * DAY, "Non-weight-bearing.", 0),
        ("off_work", START, START, "Awaiting surgery.", 0),
    ],
    ids=["full-duty", "restricted", "restricted-one-day", "off-work", "off-work-as-string"],
)
def test_complete_work_status_has_no_problems(kind, start, end, explanation, restrictions):
    assert check_work_status(kind, start, end, explanation, restrictions) == ()


@pytest.mark.parametrize(
    ("kind", "start", "end", "explanation", "restrictions", "expected"),
    [
        (WorkStatusKind.FULL_DUTY, None, None, "", 0, "starts"),
        (WorkStatusKind.RESTRICTED, START, None, "", 1, "at next visit"),
        (WorkStatusKind.OFF_WORK, START, None, "Surgery.", 0, "at next visit"),
        (WorkStatusKind.RESTRICTED, START, START - DAY, "", 1, "before the start date"),
        (WorkStatusKind.OFF_WORK, START, START - DAY, "Surgery.", 0, "before the start date"),
        (WorkStatusKind.OFF_WORK, START, START + DAY, "  ", 0, "Explain"),
        (WorkStatusKind.RESTRICTED, START, START + DAY, "", 0, "at least one restriction"),
        (WorkStatusKind.FULL_DUTY, START, START + DAY, "", 0, "no end date"),
        (WorkStatusKind.FULL_DUTY, START, None, "", 2, "cannot list restrictions"),
    ],
    ids=[
        "no-start",
        "restricted-without-end",
        "off-work-without-end",
        "restricted-ends-before-start",
        "off-work-ends-before-start",
        "off-work-without-explanation",
        "restricted-without-restrictions",
        "full-duty-with-end",
        "full-duty-with-restrictions",
    ],
)
def test_incomplete_work_status_is_explained(kind, start, end, explanation, restrictions, expected):
    problems = check_work_status(kind, start, end, explanation, restrictions)
    assert len(problems) == 1
    assert expected in problems[0]


def test_end_before_start_names_both_dates():
    (problem,) = check_work_status(
        WorkStatusKind.RESTRICTED, date(2025, 5, 3), date(2025, 5, 1), "", 1
    )
    assert "1 May 2025" in problem and "3 May 2025" in problem


def test_every_problem_is_reported_at_once():
    problems = check_work_status(WorkStatusKind.OFF_WORK, None, None, "", 0)
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("kind", "end", "sentence"),
    [
        (
            WorkStatusKind.FULL_DUTY,
            None,
            "May return to work without restrictions as of 3 May 2025.",
        ),
        (
            WorkStatusKind.RESTRICTED,
            date(2025, 6, 1),
            "May return to work with restrictions as of 3 May 2025, expected through 1 Jun 2025.",
        ),
        (
            WorkStatusKind.OFF_WORK,
            date(2025, 6, 1),
            "Prevented from working from 3 May 2025 through 1 Jun 2025.",
        ),
    ],
)
def test_work_status_reads_as_the_dwc073_words_it(kind, end, sentence):
    assert describe_work_status(kind, START, end) == sentence


# --- Expiry ----------------------------------------------------------------------------


TODAY = date(2025, 5, 10)


@pytest.mark.parametrize(
    ("end", "expiring", "expired"),
    [
        (None, False, False),
        (TODAY - DAY, False, True),
        (TODAY, True, False),
        (TODAY + 7 * DAY, True, False),
        (TODAY + 8 * DAY, False, False),
    ],
    ids=["no-end", "yesterday", "today", "in-7-days", "in-8-days"],
)
def test_work_status_expiry(end, expiring, expired):
    assert is_expiring(end, TODAY) is expiring
    assert is_expired(end, TODAY) is expired


def test_expiring_window_can_be_changed():
    assert is_expiring(TODAY + 14 * DAY, TODAY, within_days=14)
    assert not is_expiring(TODAY + 14 * DAY, TODAY, within_days=13)


# --- Purity ----------------------------------------------------------------------------


def test_work_status_rules_do_not_import_django():
    tree = ast.parse(Path(work_status.__file__).read_text())
    modules = [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    modules += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not any(m.split(".")[0] == "django" for m in modules)


def test_certified_restrictions_are_one_a_line_or_clause_without_list_marks() -> None:
    text = "- Lift no more than 20 lb occasionally;  no overhead reach.\n\n• Sit 4 h a day."

    assert certified_restrictions(text) == (
        "Lift no more than 20 lb occasionally",
        "no overhead reach",
        "Sit 4 h a day",
    )
    assert certified_restrictions("  \n ; ") == ()


def test_permanent_restrictions_have_no_expected_end() -> None:
    start = date(2026, 12, 3)

    assert work_status_problems("restricted", start, None, "", 1, permanent=True) == ()
    [(entry, message)] = work_status_problems(
        "restricted", start, date(2027, 1, 1), "", 1, permanent=True
    )
    assert entry is WorkStatusEntry.END and "no “expected through” date" in message
    assert describe_work_status("restricted", start, None, permanent=True) == (
        "May return to work with permanent restrictions as of 3 Dec 2026."
    )
