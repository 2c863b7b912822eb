"""Pain now and the NPRS are one question on a case that tracks the NPRS."""

from decimal import Decimal

import pytest

from cases.domain.outcomes import PainAnswersDiffer, one_pain_answer


def test_the_nprs_gives_pain_now():
    assert one_pain_answer(nprs=Decimal("6"), pain_now=None) == (Decimal("6"), 6)


def test_pain_now_gives_the_nprs():
    assert one_pain_answer(nprs=None, pain_now=3) == (Decimal(3), 3)


def test_a_half_point_nprs_is_pain_now_rounded_up():
    assert one_pain_answer(nprs=Decimal("4.5"), pain_now=None) == (Decimal("4.5"), 5)
    assert one_pain_answer(nprs=Decimal("4.4"), pain_now=None) == (Decimal("4.4"), 4)


def test_no_answer_is_no_pain_recorded():
    assert one_pain_answer(nprs=None, pain_now=None) == (None, None)


def test_answers_that_agree_are_kept():
    assert one_pain_answer(nprs=Decimal("0"), pain_now=0) == (Decimal("0"), 0)


def test_answers_that_differ_are_refused_naming_both():
    with pytest.raises(PainAnswersDiffer, match=r"Pain now \(7\) and the NPRS \(4\)"):
        one_pain_answer(nprs=Decimal("4"), pain_now=7)
