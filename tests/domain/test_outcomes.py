"""Outcome trends, MCID and the plateau rule (docs/domain.md §5). Pure: no database, no
Django."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from cases.domain.outcomes import (
    DOMAIN_INSTRUMENTS,
    DatedScore,
    MeasureTrend,
    PlateauStatus,
    ScoreOutOfRange,
    check_in_range,
    format_decimal,
    instrument_by_abbreviation,
    measure_trend,
    plateau_candidate,
)

D = Decimal
START = dt.date(2024, 1, 1)
NOT_ENOUGH = (
    "not enough data: needs two assessments at least four weeks apart within the last 8 weeks"
)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def trend_of(abbreviation: str, series: list[tuple[int, str | None]]) -> MeasureTrend:
    spec = instrument_by_abbreviation(abbreviation)
    scores = [DatedScore(day(n), None if v is None else D(v)) for n, v in series]
    return measure_trend(spec, scores)


# --- reference data: one row per docs/domain.md §5 table row ------------------------------


@pytest.mark.parametrize(
    ("abbreviation", "maximum", "higher_is_better", "mcid", "mcid_percent", "source_word"),
    [
        ("NPRS", "10", False, "2", "30", "Farrar 2001"),
        ("VAS", "100", False, "15", None, "Ostelo 2008"),
        ("ODI", "100", False, "10", None, "Ostelo 2008"),
        ("RMDQ", "24", False, "5", None, "Ostelo 2008"),
        ("NDI", "50", False, "7.5", None, "2009"),
        ("DASH", "100", False, "10.83", None, "Franchignoni 2014"),
        ("QuickDASH", "100", False, "15.91", None, "Franchignoni 2014"),
        ("LEFS", "80", True, "9", None, "Binkley 1999"),
        ("PSFS", "10", True, "2", None, "Stratford 1995"),
        ("PHQ-9", "27", False, "5", None, "Löwe 2004"),
    ],
)
def test_domain_instruments_follow_the_domain_table(
    abbreviation: str,
    maximum: str,
    higher_is_better: bool,
    mcid: str,
    mcid_percent: str | None,
    source_word: str,
) -> None:
    spec = instrument_by_abbreviation(abbreviation)
    assert spec.minimum == 0
    assert spec.maximum == D(maximum)
    assert spec.higher_is_better is higher_is_better
    assert spec.mcid == D(mcid)
    assert spec.mcid_percent == (None if mcid_percent is None else D(mcid_percent))
    assert source_word in spec.source
    assert spec.name


def test_domain_instruments_are_the_ten_rows_and_only_ndi_has_a_points_scale() -> None:
    assert len(DOMAIN_INSTRUMENTS) == 10
    assert len({spec.abbreviation for spec in DOMAIN_INSTRUMENTS}) == 10
    assert [s.abbreviation for s in DOMAIN_INSTRUMENTS if s.points_scale] == ["NDI"]
    assert instrument_by_abbreviation("NDI").points_scale == 50
    # Lookup ignores case: "rmdq" finds the Roland-Morris row.
    assert instrument_by_abbreviation("rmdq").name == "Roland-Morris Disability Questionnaire"


def test_unknown_instrument_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        instrument_by_abbreviation("SF-36")


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("34.00", "34"),
        ("7.50", "7.5"),
        ("7.5", "7.5"),
        ("100", "100"),
        ("1E+2", "100"),
        ("-0", "0"),
        ("10.83", "10.83"),
        ("-4.0", "-4"),
    ],
)
def test_format_decimal_drops_trailing_zeros(raw: str, text: str) -> None:
    assert format_decimal(D(raw)) == text


# --- range checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abbreviation", "value", "scale_max"),
    [
        ("ODI", "0", None),
        ("ODI", "100", None),
        ("ODI", "55", "100"),
        ("NDI", "50", None),
        ("NDI", "18", "50"),
        ("NDI", "100", "100"),
        ("NPRS", "7.5", None),
        ("PSFS", "3.33", None),
        ("PHQ-9", "27", None),
    ],
)
def test_score_in_range_is_accepted(abbreviation: str, value: str, scale_max: str | None) -> None:
    spec = instrument_by_abbreviation(abbreviation)
    check_in_range(spec, D(value), None if scale_max is None else D(scale_max))


@pytest.mark.parametrize(
    ("abbreviation", "value", "scale_max", "message"),
    [
        ("ODI", "101", None, "ODI must be between 0 and 100 %"),
        ("ODI", "-1", None, "ODI must be between 0 and 100 %"),
        ("VAS", "100.5", None, "VAS must be between 0 and 100 mm"),
        ("NPRS", "11", None, "NPRS must be between 0 and 10 points"),
        ("NDI", "51", None, "NDI must be between 0 and 50 points"),
        ("NDI", "101", "100", "NDI must be between 0 and 100 %"),
        ("ODI", "20", "50", "ODI has no 0–50 scale"),
        ("LEFS", "NaN", None, "LEFS must be between 0 and 80 points"),
    ],
)
def test_score_out_of_range_names_the_range(
    abbreviation: str, value: str, scale_max: str | None, message: str
) -> None:
    spec = instrument_by_abbreviation(abbreviation)
    with pytest.raises(ScoreOutOfRange, match=message) as caught:
        check_in_range(spec, D(value), None if scale_max is None else D(scale_max))
    assert isinstance(caught.value, ValueError)


def test_measure_trend_refuses_an_out_of_range_score() -> None:
    with pytest.raises(ScoreOutOfRange, match="between 0 and 80"):
        trend_of("LEFS", [(0, "30"), (30, "90")])


# --- improvement and MCID -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("abbreviation", "before", "after", "improvement"),
    [
        ("ODI", "40", "34", "6"),  # lower is better: a drop is an improvement
        ("ODI", "34", "40", "-6"),
        ("LEFS", "30", "40", "10"),  # higher is better: a rise is an improvement
        ("LEFS", "40", "30", "-10"),
        ("PHQ-9", "12", "12", "0"),
    ],
)
def test_improvement_is_positive_in_the_better_direction(
    abbreviation: str, before: str, after: str, improvement: str
) -> None:
    spec = instrument_by_abbreviation(abbreviation)
    assert spec.improvement(D(before), D(after)) == D(improvement)


@pytest.mark.parametrize(
    ("abbreviation", "before", "after", "reaches"),
    [
        ("ODI", "40", "30", True),
        ("ODI", "40", "31", False),
        ("ODI", "30", "40", False),  # worse, by the MCID amount
        ("LEFS", "30", "39", True),
        ("LEFS", "30", "38", False),
        ("NDI", "20", "12.5", True),
        ("NDI", "20", "12.6", False),
        ("QuickDASH", "50", "34.09", True),
        ("QuickDASH", "50", "34.10", False),
        ("NPRS", "8", "6", True),  # 2 points
        ("NPRS", "8", "6.5", False),  # 1.5 points, 18.75 %
        ("NPRS", "3", "2", True),  # 1 point but 33 %
        ("NPRS", "5", "3.5", True),  # exactly 30 %
        ("NPRS", "5", "3.6", False),  # 28 %
        ("NPRS", "0", "0", False),
        ("NPRS", "2", "4", False),  # worse by 100 %: never an improvement
    ],
)
def test_reaches_mcid(abbreviation: str, before: str, after: str, reaches: bool) -> None:
    spec = instrument_by_abbreviation(abbreviation)
    assert spec.reaches_mcid(D(before), D(after)) is reaches


# --- trends -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abbreviation", "series", "from_baseline", "from_previous", "percent", "reaches"),
    [
        (
            "ODI",
            [(0, "40"), (28, "34"), (70, "32")],
            ["0", "6", "8"],
            [None, "6", "2"],
            ["0", "15", "20"],
            [False, False, False],
        ),
        (
            "LEFS",
            [(0, "30"), (30, "40"), (60, "50")],
            ["0", "10", "20"],
            [None, "10", "10"],
            ["0", "33.3", "66.7"],
            [False, True, True],
        ),
        (
            "ODI",
            [(0, "30"), (28, "34"), (70, "38")],
            ["0", "-4", "-8"],
            [None, "-4", "-4"],
            ["0", "-13.3", "-26.7"],
            [False, False, False],
        ),
        (
            "NPRS",
            [(0, "0"), (30, "2")],
            ["0", "-2"],
            [None, "-2"],
            [None, None],  # no percentage of a zero baseline
            [False, False],
        ),
    ],
)
def test_each_point_reports_improvement_from_baseline_and_previous(
    abbreviation: str,
    series: list[tuple[int, str]],
    from_baseline: list[str],
    from_previous: list[str | None],
    percent: list[str | None],
    reaches: list[bool],
) -> None:
    trend = trend_of(abbreviation, series)
    assert [p.improvement_from_baseline for p in trend.points] == [D(v) for v in from_baseline]
    assert [p.improvement_from_previous for p in trend.points] == [
        None if v is None else D(v) for v in from_previous
    ]
    assert [p.percent_from_baseline for p in trend.points] == [
        None if v is None else D(v) for v in percent
    ]
    assert [p.reaches_mcid_from_baseline for p in trend.points] == reaches
    assert trend.improvement == D(from_baseline[-1])
    assert trend.reached_mcid is reaches[-1]


def test_trend_summary_names_baseline_and_latest() -> None:
    trend = trend_of("LEFS", [(60, "50"), (0, "30"), (30, "40")])  # out of order on purpose
    assert [p.date for p in trend.points] == [day(0), day(30), day(60)]
    assert trend.baseline is not None and trend.baseline.value == 30
    assert trend.latest is not None and trend.latest.value == 50
    assert trend.improvement == 20
    assert trend.percent == D("66.7")
    assert trend.reached_mcid is True
    assert trend.points[1].reaches_mcid_from_previous is True


def test_missing_values_are_skipped_and_counted() -> None:
    trend = trend_of("ODI", [(0, "40"), (14, None), (28, "36"), (42, None)])
    assert [p.value for p in trend.points] == [40, 36]
    assert trend.skipped_missing == 2
    assert any("2 ODI assessments without a score" in note for note in trend.notes)


@pytest.mark.parametrize("series", [[], [(0, None)], [(0, None), (40, None)]])
def test_no_scores_at_all_gives_an_empty_trend(series: list[tuple[int, str | None]]) -> None:
    trend = trend_of("ODI", series)
    assert trend.points == ()
    assert trend.baseline is None and trend.latest is None
    assert trend.improvement is None and trend.percent is None
    assert trend.reached_mcid is False
    assert trend.plateau.plateaued is False
    assert trend.plateau.reason == f"ODI: {NOT_ENOUGH}"


# --- NDI scales ---------------------------------------------------------------------------


def ndi_trend(series: list[tuple[int, str, str | None]]) -> MeasureTrend:
    spec = instrument_by_abbreviation("NDI")
    return measure_trend(
        spec,
        [DatedScore(day(n), D(v), None if s is None else D(s)) for n, v, s in series],
    )


def test_ndi_mixed_scales_are_compared_on_the_50_point_scale() -> None:
    # 40 % is 20 of 50; 18 of 50 is 2 better, below the MCID of 7.5.
    trend = ndi_trend([(0, "40", "100"), (42, "18", "50")])
    assert [p.value for p in trend.points] == [20, 18]
    assert [p.recorded_value for p in trend.points] == [40, 18]
    assert [p.converted for p in trend.points] == [True, False]
    assert trend.normalised is True
    assert trend.improvement == 2
    assert trend.plateau.plateaued is True
    assert trend.plateau.first_value == 20 and trend.plateau.last_value == 18
    assert trend.plateau.reason == (
        "NDI (0–50 scale): 20 → 18 over 6 weeks, 2 points better, under its MCID of 7.5, and "
        "the trend projects 2.7 more points of improvement in the next 8 weeks, also under the "
        "MCID: plateaued"
    )
    assert any("converted to the 0–50 scale" in note for note in trend.notes)


# Eight weeks apart, so the trend projects the change again and the change decides.
@pytest.mark.parametrize(
    ("series", "values", "plateaued"),
    [
        ([(0, "60", "100"), (56, "20", "50")], ["30", "20"], False),  # 10 better ≥ 7.5
        ([(0, "60", "100"), (56, "45", "100")], ["30", "22.5"], False),  # exactly 7.5
        ([(0, "60", "100"), (56, "46", "100")], ["30", "23"], True),  # 7 better
        ([(0, "30", None), (56, "25", "50")], ["30", "25"], True),  # no % at all
    ],
)
def test_ndi_plateau_uses_mcid_7_5_of_50(
    series: list[tuple[int, str, str | None]], values: list[str], plateaued: bool
) -> None:
    trend = ndi_trend(series)
    assert [p.value for p in trend.points] == [D(v) for v in values]
    assert trend.plateau.plateaued is plateaued


def test_ndi_without_percent_scores_has_no_conversion_note() -> None:
    trend = ndi_trend([(0, "30", None), (42, "25", "50")])
    assert trend.normalised is False
    assert trend.notes == ()


# --- plateau rule -------------------------------------------------------------------------
#
# The window is the assessments of the 8 weeks up to the latest one: an assessment 56 days
# before the latest is in it, one 57 days before is not. It needs two assessments spanning
# 28 days or more. Projections are the least-squares slope × 56 days, worked by hand in
# the comments.

PLATEAUED = PlateauStatus.PLATEAUED
IMPROVING = PlateauStatus.IMPROVING
DETERIORATING = PlateauStatus.DETERIORATING
NO_DATA = PlateauStatus.NOT_ENOUGH_DATA

# A window is (start day, first value, last value, whole weeks); None: no window.
# fmt: off
PLATEAU_CASES = [
    pytest.param(
        "ODI", [(0, "40"), (28, "34"), (70, "32")], PLATEAUED, (28, "34", "32", 6),
        # day 0 is 70 days before the latest: out. 2 better in 42 days → 2 × 56/42 = 2.67.
        "ODI: 34 → 32 over 6 weeks, 2 points better, under its MCID of 10, and the trend "
        "projects 2.7 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued",
        id="odi-hand-worked-window-34-to-32",
    ),
    pytest.param(
        "ODI", [(0, "40")], NO_DATA, None, f"ODI: {NOT_ENOUGH}",
        id="one-assessment-only",
    ),
    pytest.param(
        "ODI", [(0, "40"), (10, "38"), (27, "39")], NO_DATA, None, f"ODI: {NOT_ENOUGH}",
        id="all-within-four-weeks",
    ),
    pytest.param(
        "ODI", [(0, "40"), (27, "38")], NO_DATA, None, f"ODI: {NOT_ENOUGH}",
        id="27-days-is-not-enough",
    ),
    pytest.param(
        "ODI", [(0, "40"), (28, "38")], PLATEAUED, (0, "40", "38", 4),
        # 2 better in 28 days → 4 in 56.
        "ODI: 40 → 38 over 4 weeks, 2 points better, under its MCID of 10, and the trend "
        "projects 4 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued",
        id="exactly-28-days-is-enough",
    ),
    pytest.param(
        "ODI", [(0, "40"), (28, "30")], IMPROVING, (0, "40", "30", 4),
        "ODI: 40 → 30 over 4 weeks, 10 points better, at least its MCID of 10, and the trend "
        "projects 20 more points of improvement in the next 8 weeks: still improving, not a "
        "plateau",
        id="28-days-improved-by-the-mcid",
    ),
    pytest.param(
        "ODI", [(0, "50"), (3, "48"), (20, "47"), (45, "46"), (47, "45")], PLATEAUED,
        (0, "50", "45", 6),
        # days 0 3 20 45 47 (mean 23), gains 0 2 3 4 5 (mean 2.8): Sxy 159, Sxx 1998;
        # 159/1998 × 56 = 4.46.
        "ODI: 50 → 45 over 6 weeks, 5 points better, under its MCID of 10, and the trend "
        "projects 4.5 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued",
        id="irregular-intervals-all-in-the-window",
    ),
    pytest.param(
        "QuickDASH", [(0, "52"), (14, "50"), (28, "51"), (42, "50"), (56, "50")], PLATEAUED,
        (0, "52", "50", 8),
        # gains 0 2 1 2 2 at 0 14 28 42 56: Sxy 56, Sxx 1960; 56/1960 × 56 = 1.6.
        "QuickDASH: 52 → 50 over 8 weeks, 2 points better, under its MCID of 15.91, and the "
        "trend projects 1.6 more points of improvement in the next 8 weeks, also under the "
        "MCID: plateaued",
        id="lisa-shoulder-quickdash-flat-for-8-weeks",
    ),
    pytest.param(
        "LEFS", [(0, "30"), (30, "40"), (60, "50"), (90, "60")], IMPROVING, (60, "50", "60", 4),
        # day 30 is 60 days before the latest: out. 10 in 30 days → 18.67 in 56.
        "LEFS: 50 → 60 over 4 weeks, 10 points better, at least its MCID of 9, and the trend "
        "projects 18.7 more points of improvement in the next 8 weeks: still improving, not a "
        "plateau",
        id="maria-lefs-improving-10-a-month",
    ),
    pytest.param(
        "LEFS", [(0, "40"), (35, "45")], PLATEAUED, (0, "40", "45", 5),
        # higher is better: 5 in 35 days → 8 in 56, under 9.
        "LEFS: 40 → 45 over 5 weeks, 5 points better, under its MCID of 9, and the trend "
        "projects 8 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued",
        id="higher-is-better-small-gain",
    ),
    pytest.param(
        "ODI", [(0, "30"), (28, "34"), (70, "38")], PLATEAUED, (28, "34", "38", 6),
        "ODI: 34 → 38 over 6 weeks, 4 points worse, under its MCID of 10, and the trend "
        "projects no further improvement: plateaued",
        id="worsening-under-the-mcid-is-still-stable",
    ),
    pytest.param(
        "ODI", [(0, "40"), (42, "40")], PLATEAUED, (0, "40", "40", 6),
        "ODI: 40 → 40 over 6 weeks, unchanged, under its MCID of 10, and the trend projects "
        "no further improvement: plateaued",
        id="unchanged",
    ),
    pytest.param(
        "ODI", [(0, "40"), (28, None), (56, "38")], PLATEAUED, (0, "40", "38", 8),
        "ODI: 40 → 38 over 8 weeks, 2 points better, under its MCID of 10, and the trend "
        "projects 2 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued",
        id="missing-value-inside-the-window",
    ),
    pytest.param(
        "NPRS", [(0, "8"), (28, "7"), (56, "5")], IMPROVING, (0, "8", "5", 8),
        # gains 0 1 3: Sxy 84, Sxx 1568; 84/1568 × 56 = 3.
        "NPRS: 8 → 5 over 8 weeks, 3 points better (37.5 %), at least its MCID of 2 points or "
        "30 %, and the trend projects 3 more points of improvement in the next 8 weeks: still "
        "improving, not a plateau",
        id="nprs-by-points",
    ),
    pytest.param(
        "NPRS", [(0, "3"), (28, "2.5"), (56, "2")], IMPROVING, (0, "3", "2", 8),
        # 1 point is 33 % of 3; the 1 projected is over 30 % of the latest 2 (0.6).
        "NPRS: 3 → 2 over 8 weeks, 1 point better (33.3 %), at least its MCID of 2 points or "
        "30 %, and the trend projects 1 more point of improvement in the next 8 weeks: still "
        "improving, not a plateau",
        id="nprs-by-30-percent",
    ),
    pytest.param(
        "NPRS", [(0, "8"), (28, "7.5"), (56, "7")], PLATEAUED, (0, "8", "7", 8),
        "NPRS: 8 → 7 over 8 weeks, 1 point better (12.5 %), under its MCID of 2 points or "
        "30 %, and the trend projects 1 more point of improvement in the next 8 weeks, also "
        "under the MCID: plateaued",
        id="nprs-neither-points-nor-percent",
    ),
    # A steady slow improver is not a plateau.
    pytest.param(
        "ODI", [(0, "60"), (28, "52"), (56, "44"), (84, "36")], IMPROVING, (28, "52", "36", 8),
        # 8 points each 4 weeks, under the MCID, but 52 → 36 over the 8 weeks and 16 more
        # projected: both parts say improving.
        "ODI: 52 → 36 over 8 weeks, 16 points better, at least its MCID of 10, and the trend "
        "projects 16 more points of improvement in the next 8 weeks: still improving, not a "
        "plateau",
        id="slow-improver-at-four-week-steps",
    ),
    pytest.param(
        "ODI", [(0, "60"), (42, "52"), (84, "44"), (126, "36")], IMPROVING, (84, "44", "36", 6),
        # Only day 84 and 126 are in the 8 weeks: 8 better, under the MCID; 8/42 × 56 = 10.67.
        "ODI: 44 → 36 over 6 weeks, 8 points better, under its MCID of 10, but the trend "
        "projects 10.7 more points of improvement in the next 8 weeks: still improving, not a "
        "plateau",
        id="slow-improver-at-six-week-steps-the-trend-decides",
    ),
    pytest.param(
        "ODI", [(0, "44"), (28, "36")], IMPROVING, (0, "44", "36", 4),
        "ODI: 44 → 36 over 4 weeks, 8 points better, under its MCID of 10, but the trend "
        "projects 16 more points of improvement in the next 8 weeks: still improving, not a "
        "plateau",
        id="eight-points-in-four-weeks-the-trend-decides",
    ),
    pytest.param(
        "ODI", [(0, "50"), (14, "38"), (42, "39"), (56, "40")], IMPROVING, (0, "50", "40", 8),
        # gains 0 12 11 10 at 0 14 42 56: Sxy 266, Sxx 1960; 266/1960 × 56 = 7.6.
        "ODI: 50 → 40 over 8 weeks, 10 points better, at least its MCID of 10 (though the "
        "trend projects 7.6 more points of improvement in the next 8 weeks, under the MCID): "
        "still improving, not a plateau",
        id="the-change-decides-the-trend-does-not",
    ),
    pytest.param(
        "ODI", [(0, "12"), (28, "4")], PLATEAUED, (0, "12", "4", 4),
        # 16 projected, but an ODI of 4 has only 4 points left to gain.
        "ODI: 12 → 4 over 4 weeks, 8 points better, under its MCID of 10, and the trend "
        "projects 4 more points of improvement in the next 8 weeks (all the scale has left), "
        "also under the MCID: plateaued",
        id="projection-stops-at-the-end-of-the-scale",
    ),
    pytest.param(
        "ODI", [(0, "40"), (30, "34.66")], PLATEAUED, (0, "40", "34.66", 4),
        # 5.34 × 56/30 = 9.968: shown to two decimals, since 10.0 would read as the MCID.
        "ODI: 40 → 34.66 over 4 weeks, 5.34 points better, under its MCID of 10, and the trend "
        "projects 9.97 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued",
        id="words-never-round-across-the-mcid",
    ),
    # Deterioration is not a plateau.
    pytest.param(
        "NPRS", [(0, "4"), (28, "5.9")], PLATEAUED, (0, "4", "5.9", 4),
        # 1.9 points is 47 % of 4, but a worsening is counted in points only.
        "NPRS: 4 → 5.9 over 4 weeks, 1.9 points worse, under its MCID of 2 points or 30 %, and "
        "the trend projects no further improvement: plateaued",
        id="nprs-worse-just-under-the-mcid",
    ),
    pytest.param(
        "NPRS", [(0, "4"), (28, "6")], DETERIORATING, (0, "4", "6", 4),
        "NPRS: 4 → 6 over 4 weeks, 2 points worse, at least its MCID of 2 points: "
        "deteriorating, not a plateau",
        id="nprs-worse-by-the-mcid",
    ),
    pytest.param(
        "NPRS", [(0, "4"), (28, "6.5")], DETERIORATING, (0, "4", "6.5", 4),
        "NPRS: 4 → 6.5 over 4 weeks, 2.5 points worse, at least its MCID of 2 points: "
        "deteriorating, not a plateau",
        id="nprs-worse-by-more-than-the-mcid",
    ),
    pytest.param(
        "LEFS", [(0, "50"), (42, "41.5")], PLATEAUED, (0, "50", "41.5", 6),
        "LEFS: 50 → 41.5 over 6 weeks, 8.5 points worse, under its MCID of 9, and the trend "
        "projects no further improvement: plateaued",
        id="lefs-falls-just-under-the-mcid",
    ),
    pytest.param(
        "LEFS", [(0, "50"), (42, "41")], DETERIORATING, (0, "50", "41", 6),
        # higher is better: a fall of 9 is a worsening of 9.
        "LEFS: 50 → 41 over 6 weeks, 9 points worse, at least its MCID of 9: deteriorating, "
        "not a plateau",
        id="lefs-falls-by-the-mcid",
    ),
    pytest.param(
        "ODI", [(0, "50"), (28, "48"), (50, "36"), (70, "47")], DETERIORATING,
        (28, "48", "47", 6),
        # Net 1 better, but 11 worse than the 36 three weeks before.
        "ODI: 48 → 47 over 6 weeks, 1 point better; 47 is 11 points worse than 36 on "
        "20 Feb 2024, at least its MCID of 10: deteriorating, not a plateau",
        id="mcid-reached-inside-the-window-then-lost",
    ),
    pytest.param(
        "NPRS", [(0, "3"), (28, "7"), (56, "3")], PLATEAUED, (0, "3", "3", 8),
        # A flare since recovered from: the latest score is no worse than any before it.
        "NPRS: 3 → 3 over 8 weeks, unchanged, under its MCID of 2 points or 30 %, and the "
        "trend projects no further improvement: plateaued",
        id="a-recovered-flare-is-not-deterioration",
    ),
    # The 8 weeks' edge: 56 days before the latest is in, 57 is out.
    pytest.param(
        "ODI", [(0, "60"), (28, "51"), (56, "50")], IMPROVING, (0, "60", "50", 8),
        "ODI: 60 → 50 over 8 weeks, 10 points better, at least its MCID of 10, and the trend "
        "projects 10 more points of improvement in the next 8 weeks: still improving, not a "
        "plateau",
        id="56-days-before-the-latest-is-in-the-window",
    ),
    pytest.param(
        "ODI", [(0, "60"), (28, "51"), (57, "50")], PLATEAUED, (28, "51", "50", 4),
        # 1 better in 29 days → 56/29 = 1.93.
        "ODI: 51 → 50 over 4 weeks, 1 point better, under its MCID of 10, and the trend "
        "projects 1.9 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued",
        id="57-days-before-the-latest-is-not",
    ),
    pytest.param(
        "ODI", [(0, "40"), (56, "40")], PLATEAUED, (0, "40", "40", 8),
        "ODI: 40 → 40 over 8 weeks, unchanged, under its MCID of 10, and the trend projects "
        "no further improvement: plateaued",
        id="two-assessments-56-days-apart",
    ),
    pytest.param(
        "ODI", [(0, "40"), (57, "40")], NO_DATA, None, f"ODI: {NOT_ENOUGH}",
        id="two-assessments-57-days-apart-leave-one-in-the-window",
    ),
]
# fmt: on


@pytest.mark.parametrize(("abbreviation", "series", "status", "window", "reason"), PLATEAU_CASES)
def test_plateau_rule(
    abbreviation: str,
    series: list[tuple[int, str | None]],
    status: PlateauStatus,
    window: tuple[int, str, str, int] | None,
    reason: str,
) -> None:
    result = trend_of(abbreviation, series).plateau
    assert result.status is status
    assert result.plateaued is (status is PLATEAUED)
    assert result.deteriorating is (status is DETERIORATING)
    assert result.improving is (status is IMPROVING)
    assert result.reason == reason
    assert "DOMAIN" not in result.reason and "§" not in result.reason
    if window is None:
        assert (result.window_start, result.window_end) == (None, None)
        assert (result.first_value, result.last_value, result.weeks) == (None, None, None)
        assert (result.change, result.projected) == (None, None)
        return
    start, first, last, weeks = window
    last_scored_day = max(n for n, v in series if v is not None)
    assert (result.window_start, result.window_end) == (day(start), day(last_scored_day))
    assert (result.first_value, result.last_value) == (D(first), D(last))
    assert result.weeks == weeks


def test_the_verdict_is_exact_decimal_and_fraction_never_float() -> None:
    result = trend_of("ODI", [(0, "60"), (42, "52"), (84, "44"), (126, "36")]).plateau
    assert result.change == D("8") and isinstance(result.change, Decimal)
    assert result.projected == Fraction(32, 3) and isinstance(result.projected, Fraction)
    irregular = trend_of("ODI", [(0, "50"), (3, "48"), (20, "47"), (45, "46"), (47, "45")])
    assert irregular.plateau.projected == Fraction(159 * 56, 1998)


def test_slow_improver_is_not_a_plateau_and_the_reason_says_the_trend() -> None:
    # docs/domain.md §5's own example: under the MCID in any four weeks, 24 points in twelve.
    series = [(0, "60"), (28, "52"), (56, "44"), (84, "36")]
    steps = trend_of("ODI", series).points
    assert all(not point.reaches_mcid_from_previous for point in steps[1:])
    result = trend_of("ODI", series).plateau
    assert not result.plateaued
    assert "the trend projects 16 more points of improvement in the next 8 weeks" in result.reason
    assert result.reason.endswith("still improving, not a plateau")


def test_a_real_plateau() -> None:
    # Lisa Reed's shoulder in the demo: QuickDASH 49, 48, 48 over the last 7 weeks.
    result = trend_of(
        "QuickDASH", [(0, "70"), (28, "58"), (56, "50"), (84, "49"), (112, "48"), (133, "48")]
    ).plateau
    assert result.plateaued
    assert result.window_start == day(84)  # 133 − 56 = 77: day 56 is out
    assert result.reason.startswith("QuickDASH: 49 → 48 over 7 weeks, 1 point better, under")


def test_same_day_assessments_and_order_do_not_matter() -> None:
    forwards = trend_of("ODI", [(0, "40"), (28, "38"), (28, "39"), (56, "38")]).plateau
    backwards = trend_of("ODI", [(56, "38"), (28, "38"), (0, "40"), (28, "39")]).plateau
    assert forwards.status is backwards.status is PLATEAUED
    assert forwards.projected == backwards.projected


# --- plateau candidate --------------------------------------------------------------------

FLAT_ODI = [(0, "40"), (28, "34"), (70, "32")]
FLAT_NPRS = [(0, "6"), (42, "5")]
RISING_LEFS = [(0, "30"), (30, "40"), (60, "50"), (90, "60")]
SHORT_ODI = [(0, "40"), (14, "38")]
WORSE_NPRS = [(0, "4"), (28, "6")]
FALLING_LEFS = [(0, "50"), (42, "41")]


@pytest.mark.parametrize(
    ("measures", "restrictions_changed", "is_candidate", "verdict"),
    [
        pytest.param(
            [("ODI", FLAT_ODI), ("NPRS", FLAT_NPRS)],
            False,
            True,
            "Plateau candidate: every tracked measure (ODI, NPRS) has plateaued and "
            "restrictions have not changed.",
            id="all-plateaued-restrictions-unchanged",
        ),
        pytest.param(
            [("ODI", FLAT_ODI), ("NPRS", FLAT_NPRS)],
            True,
            False,
            "Not a plateau candidate: restrictions changed.",
            id="all-plateaued-but-restrictions-changed",
        ),
        pytest.param(
            [("ODI", FLAT_ODI), ("LEFS", RISING_LEFS)],
            False,
            False,
            "Not a plateau candidate: LEFS is still improving.",
            id="one-measure-still-improving",
        ),
        pytest.param(
            [("LEFS", RISING_LEFS), ("ODI", SHORT_ODI)],
            True,
            False,
            "Not a plateau candidate: LEFS is still improving; ODI has not enough data; "
            "restrictions changed.",
            id="improving-short-and-restrictions-changed",
        ),
        pytest.param(
            [("ODI", FLAT_ODI), ("NPRS", WORSE_NPRS)],
            False,
            False,
            "Not a plateau candidate: NPRS is deteriorating and needs attention.",
            id="one-measure-deteriorating-the-rest-plateaued",
        ),
        pytest.param(
            [("NPRS", WORSE_NPRS), ("LEFS", FALLING_LEFS), ("ODI", SHORT_ODI)],
            True,
            False,
            "Not a plateau candidate: NPRS and LEFS are deteriorating and need attention; "
            "ODI has not enough data; restrictions changed.",
            id="two-deteriorating",
        ),
        pytest.param(
            [],
            False,
            False,
            "Not a plateau candidate: no outcome measure is tracked.",
            id="no-measures-tracked",
        ),
    ],
)
def test_plateau_candidate(
    measures: list[tuple[str, list[tuple[int, str | None]]]],
    restrictions_changed: bool,
    is_candidate: bool,
    verdict: str,
) -> None:
    trends = [trend_of(abbreviation, series) for abbreviation, series in measures]
    result = plateau_candidate(trends, restrictions_changed=restrictions_changed)
    assert result.is_candidate is is_candidate
    assert result.reasons[0] == verdict
    for trend in trends:
        assert any(trend.plateau.reason in reason for reason in result.reasons)
    expected_restrictions = (
        "Restrictions changed over the window."
        if restrictions_changed
        else "Restrictions have not changed over the window."
    )
    assert result.reasons[-1] == expected_restrictions


def test_a_case_with_a_deteriorating_measure_is_never_a_candidate() -> None:
    # Every other measure plateaued, restrictions unchanged: still not a candidate.
    for worse in (WORSE_NPRS, [(0, "4"), (28, "7"), (56, "7")]):
        trends = [trend_of("ODI", FLAT_ODI), trend_of("NPRS", worse)]
        verdict = plateau_candidate(trends, restrictions_changed=False)
        assert not verdict.is_candidate
        assert verdict.is_deteriorating
        assert verdict.deteriorating == ("NPRS",)
        assert verdict.deterioration_reasons == (f"{trends[1].plateau.reason}.",)
        assert verdict.deterioration_reasons[0].endswith("deteriorating, not a plateau.")


def test_a_verdict_without_deterioration_says_so() -> None:
    verdict = plateau_candidate([trend_of("ODI", FLAT_ODI)], restrictions_changed=False)
    assert verdict.is_candidate
    assert not verdict.is_deteriorating
    assert verdict.deteriorating == () and verdict.deterioration_reasons == ()


def test_plateau_candidate_reasons_say_which_measure_did_what() -> None:
    trends = [
        trend_of("ODI", FLAT_ODI),
        trend_of("LEFS", RISING_LEFS),
        trend_of("ODI", SHORT_ODI),
        trend_of("LEFS", FALLING_LEFS),
    ]
    reasons = plateau_candidate(trends, restrictions_changed=False).reasons
    assert reasons[1].startswith("ODI: 34 → 32 over 6 weeks, 2 points better, under its MCID")
    assert reasons[1].endswith(": plateaued.")
    assert reasons[2].endswith("still improving, not a plateau.")
    assert reasons[3] == f"ODI: {NOT_ENOUGH}."
    assert reasons[4].endswith("deteriorating, not a plateau.")
    for reason in reasons:
        assert "DOMAIN" not in reason and "STYLE" not in reason and "shared" not in reason
