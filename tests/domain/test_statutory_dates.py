"""Statutory MMI, periods of disability, Texas working days and each party's dispute window.

Sources: Labor Code 401.011(30) and DWC Advisory 93-01 (statutory MMI is accrual + 728 days;
Appeals Panel Decision 950311); 28 TAC 124.7(a) (the 8th day of disability, every period
counted); §408.104 (spinal surgery extension); 28 TAC 102.3 (working days); §408.123(e) and
28 TAC 130.12(b) (90 days); 28 TAC 130.1(d)(2) (the DWC069 due date). Plain pytest.
"""

from datetime import date, datetime

import pytest

from cases.domain.disability import check_disability_periods, nth_day_of_disability
from cases.domain.jurisdictions import (
    BenefitInputError,
    DisabilityPeriod,
    SpinalSurgeryExtension,
    for_code,
)
from cases.domain.jurisdictions.texas_calendar import (
    is_working_day,
    next_working_day,
    non_working_reason,
    working_days_after,
)

TEXAS = for_code("TX")


def continuous(began: date) -> list[DisabilityPeriod]:
    return [DisabilityPeriod(began)]


# --- Statutory MMI ---------------------------------------------------------------------------


def test_appeals_panel_950311_accrual_16_sep_1991_gives_13_sep_1993() -> None:
    statutory = TEXAS.statutory_mmi(continuous(date(1991, 9, 9)))
    assert statutory is not None
    assert statutory.accrual_date == date(1991, 9, 16)
    assert statutory.mmi_date == date(1993, 9, 13)
    assert any("+ 728 days" in step for step in statutory.steps)


@pytest.mark.parametrize(
    ("began", "accrual", "mmi"),
    [
        (date(2024, 3, 2), date(2024, 3, 9), date(2026, 3, 7)),
        # Accrual on the leap day: 29 Feb 2024 + 731 days = 1 Mar 2026; 728 is 3 earlier.
        (date(2024, 2, 22), date(2024, 2, 29), date(2026, 2, 26)),
        # 104 weeks spanning 29 Feb 2024: 6 Jan 2024 + 728 days = 3 Jan 2026.
        (date(2023, 12, 30), date(2024, 1, 6), date(2026, 1, 3)),
        # Landing on the leap day's year: 4 Mar 2022 + 728 days = 1 Mar 2024.
        (date(2022, 2, 25), date(2022, 3, 4), date(2024, 3, 1)),
        # No leap day: 17 Jun 2021 + 728 days = 15 Jun 2023.
        (date(2021, 6, 10), date(2021, 6, 17), date(2023, 6, 15)),
    ],
)
def test_statutory_mmi_is_accrual_plus_728_days(began: date, accrual: date, mmi: date) -> None:
    statutory = TEXAS.statutory_mmi(continuous(began))
    assert statutory is not None
    assert (statutory.disability_began, statutory.accrual_date, statutory.mmi_date) == (
        began,
        accrual,
        mmi,
    )
    assert (statutory.mmi_date - statutory.accrual_date).days == 728


def test_intermittent_days_add_up_to_the_8th_day() -> None:
    # Off 1–3 March, then again from 20 March: the 8th day is 24 March, not 8 March.
    periods = [
        DisabilityPeriod(date(2026, 3, 1), date(2026, 3, 3)),
        DisabilityPeriod(date(2026, 3, 20)),
    ]
    statutory = TEXAS.statutory_mmi(periods)
    assert statutory is not None
    assert statutory.accrual_date == date(2026, 3, 24)
    assert statutory.mmi_date == date(2028, 3, 21)
    assert "2 periods of disability" in statutory.steps[0]


def test_periods_are_counted_in_date_order_whatever_order_they_are_given() -> None:
    periods = [
        DisabilityPeriod(date(2026, 3, 20)),
        DisabilityPeriod(date(2026, 3, 1), date(2026, 3, 3)),
    ]
    assert nth_day_of_disability(periods, 8) == date(2026, 3, 24)


@pytest.mark.parametrize(
    ("periods", "eighth"),
    [
        # Exactly 7 days closed: no 8th day yet.
        ([DisabilityPeriod(date(2026, 1, 1), date(2026, 1, 7))], None),
        # Exactly 8 days closed: the 8th is the last.
        ([DisabilityPeriod(date(2026, 1, 1), date(2026, 1, 8))], date(2026, 1, 8)),
        # 7 days, then one more day later.
        (
            [
                DisabilityPeriod(date(2026, 1, 1), date(2026, 1, 7)),
                DisabilityPeriod(date(2026, 2, 10), date(2026, 2, 10)),
            ],
            date(2026, 2, 10),
        ),
        ([], None),
    ],
)
def test_the_8th_day_at_its_edges(periods: list[DisabilityPeriod], eighth: date | None) -> None:
    assert nth_day_of_disability(periods, 8) == eighth


def test_no_statutory_mmi_before_the_8th_day_of_disability() -> None:
    assert TEXAS.statutory_mmi([DisabilityPeriod(date(2026, 1, 1), date(2026, 1, 7))]) is None


def test_a_spinal_surgery_extension_order_sets_the_later_date() -> None:
    order = SpinalSurgeryExtension(ordered_on=date(2026, 1, 5), extended_to=date(2026, 9, 1))
    statutory = TEXAS.statutory_mmi(continuous(date(2024, 3, 2)), extension=order)
    assert statutory is not None
    assert statutory.computed_date == date(2026, 3, 7)
    assert statutory.mmi_date == date(2026, 9, 1)
    assert "order of 5 Jan 2026" in statutory.steps[-1]


def test_an_extension_never_moves_statutory_mmi_earlier() -> None:
    order = SpinalSurgeryExtension(ordered_on=date(2026, 1, 5), extended_to=date(2026, 3, 6))
    statutory = TEXAS.statutory_mmi(continuous(date(2024, 3, 2)), extension=order)
    assert statutory is not None
    assert statutory.mmi_date == date(2026, 3, 7)


@pytest.mark.parametrize("code", ["FL", "CA", "OH"])
def test_no_statutory_mmi_or_dispute_deadline_outside_texas(code: str) -> None:
    jurisdiction = for_code(code)
    assert jurisdiction.statutory_mmi(continuous(date(2024, 3, 2))) is None
    assert jurisdiction.dispute_deadline(date(2024, 3, 2)) is None
    assert jurisdiction.certification_due(date(2024, 3, 2), None) is None


@pytest.mark.parametrize("code", ["TX", "OH"])
@pytest.mark.parametrize("value", ["2024-03-02", datetime(2024, 3, 2, 9, 30), None])
def test_dates_must_be_calendar_dates(code: str, value: object) -> None:
    jurisdiction = for_code(code)
    with pytest.raises(BenefitInputError, match="must be a calendar date"):
        jurisdiction.statutory_mmi([DisabilityPeriod(value)])  # type: ignore[arg-type]
    with pytest.raises(BenefitInputError, match="must be a calendar date"):
        jurisdiction.dispute_deadline(value)  # type: ignore[arg-type]


# --- Checking periods of disability ----------------------------------------------------------

INJURY = date(2026, 1, 10)
TODAY = date(2026, 6, 1)


def problems(*periods: DisabilityPeriod) -> tuple[str, ...]:
    return check_disability_periods(periods, date_of_injury=INJURY, today=TODAY)


def test_good_periods_pass() -> None:
    assert (
        problems(DisabilityPeriod(INJURY, date(2026, 1, 20)), DisabilityPeriod(date(2026, 3, 1)))
        == ()
    )


@pytest.mark.parametrize(
    ("periods", "words"),
    [
        ((DisabilityPeriod(date(2026, 1, 9)),), "before the date of injury"),
        ((DisabilityPeriod(date(2026, 6, 2)),), "in the future"),
        ((DisabilityPeriod(date(2026, 2, 1), date(2026, 1, 31)),), "ends before it begins"),
        ((DisabilityPeriod(date(2026, 2, 1), date(2026, 6, 2)),), "end in the future"),
        (
            (DisabilityPeriod(date(2026, 2, 1)), DisabilityPeriod(date(2026, 3, 1))),
            "is still open",
        ),
        (
            (
                DisabilityPeriod(date(2026, 2, 1), date(2026, 2, 10)),
                DisabilityPeriod(date(2026, 2, 10)),
            ),
            "overlap",
        ),
    ],
)
def test_bad_periods_are_refused_in_words(
    periods: tuple[DisabilityPeriod, ...], words: str
) -> None:
    found = problems(*periods)
    assert any(words in problem for problem in found), found


def test_periods_touching_end_to_start_do_not_overlap() -> None:
    assert (
        problems(
            DisabilityPeriod(date(2026, 2, 1), date(2026, 2, 10)),
            DisabilityPeriod(date(2026, 2, 11)),
        )
        == ()
    )


# --- Texas working days (28 TAC 102.3) -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 1, 19), "Martin Luther King Jr. Day"),
        (date(2026, 11, 26), "Thanksgiving Day"),
        (date(2026, 11, 27), "Friday after Thanksgiving Day"),
        (date(2026, 12, 24), "24 December"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 26), "Saturday"),
        (date(2027, 12, 24), "24 December"),
        (date(2026, 12, 6), "Sunday"),
    ],
)
def test_days_that_are_not_working_days(day: date, reason: str) -> None:
    assert non_working_reason(day) == reason
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 10, 12),  # Columbus Day: not a national holiday of §662.003(a).
        date(2026, 6, 19),  # Juneteenth / Emancipation Day: a state holiday, not national.
        date(2026, 3, 2),  # Texas Independence Day: a state holiday.
        date(2026, 12, 28),  # The Monday after a Saturday 26 December: not moved.
        date(2026, 12, 3),
    ],
)
def test_working_days(day: date) -> None:
    assert is_working_day(day)
    assert next_working_day(day) == day


def test_a_holiday_on_a_weekend_is_not_moved() -> None:
    # 4 July 2026 is a Saturday: Friday 3 July stays a working day.
    assert is_working_day(date(2026, 7, 3))


@pytest.mark.parametrize(
    ("start", "seventh"),
    [
        # Friday after Thanksgiving: Mon 30 Nov is the first working day after it.
        (date(2026, 11, 27), date(2026, 12, 8)),
        # Across Christmas: 23 Dec (Wed) → 28, 29, 30, 31 Dec, 4, 5, 6 Jan (1 Jan a holiday).
        (date(2026, 12, 23), date(2027, 1, 6)),
        # An ordinary week: Monday → next Tuesday.
        (date(2026, 3, 2), date(2026, 3, 11)),
    ],
)
def test_seventh_working_day(start: date, seventh: date) -> None:
    assert working_days_after(start, 7) == seventh


def test_certification_due_counts_from_the_later_of_exam_and_records() -> None:
    exam = date(2026, 3, 2)
    assert TEXAS.certification_due(exam, None) == date(2026, 3, 11)
    assert TEXAS.certification_due(exam, date(2026, 2, 20)) == date(2026, 3, 11)
    assert TEXAS.certification_due(exam, date(2026, 3, 4)) == date(2026, 3, 13)


# --- Each party's dispute window -------------------------------------------------------------


@pytest.mark.parametrize(
    ("notice", "deadline"),
    [
        # 16 days to 31 Jan, 29 in Feb (leap), 31 in Mar, 14 in Apr = 90.
        (date(2024, 1, 15), date(2024, 4, 14)),
        # 16 + 28 + 31 + 15 = 90.
        (date(2023, 1, 15), date(2023, 4, 15)),
        (date(2024, 12, 1), date(2025, 3, 1)),  # 30 + 31 + 28 + 1 = 90
    ],
)
def test_texas_dispute_deadline_is_90_days_after_the_party_received_it(
    notice: date, deadline: date
) -> None:
    assert TEXAS.dispute_deadline(notice).last_day == deadline


def test_a_deadline_on_a_working_day_carries_no_warning() -> None:
    window = TEXAS.dispute_deadline(date(2026, 9, 4))  # 90 days → Thu 3 Dec 2026
    assert window.last_day == date(2026, 12, 3)
    assert window.next_working_day is None


def test_a_deadline_on_a_saturday_names_the_next_working_day_beside_it() -> None:
    window = TEXAS.dispute_deadline(date(2026, 9, 6))  # 90 days → Sat 5 Dec 2026
    assert window.last_day == date(2026, 12, 5)
    assert window.next_working_day == date(2026, 12, 7)
    assert window.non_working_reason == "Saturday"


def test_a_deadline_on_a_holiday_skips_the_holiday_run() -> None:
    window = TEXAS.dispute_deadline(date(2026, 9, 25))  # 90 days → Thu 24 Dec 2026
    assert window.last_day == date(2026, 12, 24)
    assert window.next_working_day == date(2026, 12, 28)
    assert window.non_working_reason == "24 December"
