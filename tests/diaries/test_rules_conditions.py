"""Each rule's condition, as pure code: no database (a test here that touched one would fail,
for want of the db mark)."""

from datetime import date

from diaries.rules import RULES
from diaries.rules.california import PR2Due
from diaries.rules.every_jurisdiction import ReviewDateReached, WorkStatusExpiring
from diaries.rules.texas import DWC069Due, StatutoryMMIApproaching


def test_dwc069_is_due_the_7th_working_day_after_the_exam():
    # Friday 27 Nov 2026 is the Friday after Thanksgiving; Monday 30 Nov is the first
    # working day after it, Tuesday 8 Dec the 7th.
    due = DWC069Due.judge(date(2026, 11, 27), None)
    assert due.due_on == date(2026, 12, 8)
    assert due.opens_on == date(2026, 11, 27)


def test_dwc069_counts_from_the_records_when_they_came_after_the_exam():
    # Records in on Monday 21 Dec 2026: 24 and 25 (Christmas) and 26 December are not
    # working days; 22, 23, 28, 29, 30, 31 Dec and 4 Jan (1 Jan is New Year's Day).
    due = DWC069Due.judge(date(2026, 12, 14), date(2026, 12, 21))
    assert due.due_on == date(2027, 1, 4)


def test_dwc069_ignores_records_received_before_the_exam():
    assert DWC069Due.judge(date(2026, 11, 27), date(2026, 11, 2)).due_on == date(2026, 12, 8)


def test_statutory_mmi_task_opens_six_weeks_before_the_date_the_division_writes():
    due = StatutoryMMIApproaching.judge(date(2027, 3, 1))
    assert due.opens_on == date(2027, 1, 18)  # 98 weeks after accrual
    assert due.due_on == date(2027, 3, 1)
    assert not due.holds_on(date(2027, 1, 17))
    assert due.holds_on(date(2027, 1, 18))
    assert due.holds_on(date(2027, 4, 1))  # past and still uncertified: still open


def test_pr2_is_due_45_days_after_the_last_and_shows_a_week_before():
    due = PR2Due.judge(date(2026, 10, 1))
    assert due.due_on == date(2026, 11, 15)
    assert due.opens_on == date(2026, 11, 8)
    assert not due.holds_on(date(2026, 11, 7))


def test_review_task_opens_on_the_review_date_itself():
    due = ReviewDateReached.judge(date(2026, 12, 4))
    assert not due.holds_on(date(2026, 12, 3))
    assert due.holds_on(date(2026, 12, 4))


def test_work_status_task_opens_a_week_before_it_runs_out():
    due = WorkStatusExpiring.judge(date(2026, 12, 11))
    assert due.opens_on == date(2026, 12, 4)
    assert due.due_on == date(2026, 12, 11)


def test_every_rule_has_its_own_key_a_name_and_says_why_its_task_closes():
    keys = [rule.key for rule in RULES]
    assert len(keys) == len(set(keys))
    assert all(rule.name and rule.ended for rule in RULES)
