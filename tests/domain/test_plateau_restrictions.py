"""The plateau candidate's "restrictions have not changed" (docs/domain.md §5), on
hand-made work status histories, and how it meets a deteriorating measure."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.domain.outcomes import (
    DatedScore,
    RestrictionSet,
    instrument_by_abbreviation,
    measure_trend,
    plateau_candidate,
    restrictions_changed,
)

LIFT_20 = frozenset({("kind", "restricted"), ("lift", 20)})
LIFT_10 = frozenset({("kind", "restricted"), ("lift", 10)})
OFF = frozenset({("kind", "off_work")})

START = dt.date(2026, 3, 2)
END = dt.date(2026, 4, 13)


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


@pytest.mark.parametrize(
    ("history", "changed"),
    [
        pytest.param([], False, id="no-status-ever"),
        pytest.param([(-30, LIFT_20)], False, id="one-status-before-the-window"),
        pytest.param([(0, LIFT_20)], False, id="status-issued-on-the-window-start"),
        pytest.param([(-30, LIFT_20), (20, LIFT_20)], False, id="renewed-unchanged"),
        pytest.param([(-30, LIFT_20), (20, LIFT_10)], True, id="tightened-inside"),
        pytest.param([(-30, OFF), (20, LIFT_20)], True, id="back-to-work-inside"),
        pytest.param([(20, LIFT_20)], True, id="first-status-inside"),
        pytest.param([(-30, LIFT_20), (42, LIFT_10)], True, id="changed-on-the-window-end"),
        pytest.param([(-30, LIFT_20), (43, LIFT_10)], False, id="changed-after-the-window"),
        pytest.param([(-30, LIFT_20), (-5, LIFT_10)], False, id="changed-before-the-window"),
        pytest.param(
            [(-30, LIFT_20), (10, LIFT_10), (30, LIFT_20)], True, id="changed-and-changed-back"
        ),
    ],
)
def test_restrictions_changed_over_the_window(
    history: list[tuple[int, frozenset]], changed: bool
) -> None:
    entries = [RestrictionSet(day(offset), terms) for offset, terms in history]
    assert restrictions_changed(entries, start=START, end=END) is changed


def test_history_order_does_not_matter() -> None:
    entries = [RestrictionSet(day(20), LIFT_20), RestrictionSet(day(-30), LIFT_20)]
    assert restrictions_changed(entries, start=START, end=END) is False


def _trend(abbreviation: str, series: list[tuple[int, str]]):
    spec = instrument_by_abbreviation(abbreviation)
    return measure_trend(spec, [DatedScore(day(n), Decimal(v)) for n, v in series])


def test_unchanged_restrictions_do_not_make_a_deteriorating_case_a_candidate() -> None:
    # ODI flat over the last 8 weeks; NPRS 4 → 6 over four weeks, worse by its MCID.
    trends = [
        _trend("ODI", [(0, "40"), (28, "39"), (56, "39")]),
        _trend("NPRS", [(28, "4"), (56, "6")]),
    ]
    window_start = min(trend.plateau.window_start for trend in trends)
    window_end = max(trend.plateau.window_end for trend in trends)
    history = [RestrictionSet(day(-30), LIFT_20), RestrictionSet(day(20), LIFT_20)]
    changed = restrictions_changed(history, start=window_start, end=window_end)
    assert changed is False
    verdict = plateau_candidate(trends, restrictions_changed=changed)
    assert verdict.is_candidate is False
    assert verdict.deteriorating == ("NPRS",)
    assert (
        verdict.reasons[0] == "Not a plateau candidate: NPRS is deteriorating and needs attention."
    )
    assert verdict.reasons[-1] == "Restrictions have not changed over the window."


def test_just_under_the_mcid_worse_with_unchanged_restrictions_is_a_candidate() -> None:
    # NPRS 4 → 5.9: 1.9 points worse, under its MCID of 2: stable, so a plateau.
    trends = [_trend("ODI", [(0, "40"), (56, "39")]), _trend("NPRS", [(28, "4"), (56, "5.9")])]
    verdict = plateau_candidate(trends, restrictions_changed=False)
    assert verdict.is_candidate is True
    assert verdict.deteriorating == ()
