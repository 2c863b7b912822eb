"""The plateau candidate's "restrictions have not changed" (DOMAIN.md §5), on hand-made
work status histories."""

import datetime as dt

import pytest

from cases.domain.outcomes import RestrictionSet, restrictions_changed

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
