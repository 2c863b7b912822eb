"""Outcome trends, MCID and the plateau rule (DOMAIN.md §5). Pure: no database, no Django."""

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from cases.domain.outcomes import (
    DOMAIN_INSTRUMENTS,
    DatedScore,
    MeasureTrend,
    ScoreOutOfRange,
    check_in_range,
    format_decimal,
    instrument_by_abbreviation,
    measure_trend,
    plateau_candidate,
)

D = Decimal
START = dt.date(2024, 1, 1)
NOT_ENOUGH = "not enough data: needs two assessments at least four weeks apart"


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def trend_of(abbreviation: str, series: list[tuple[int, str | None]]) -> MeasureTrend:
    spec = instrument_by_abbreviation(abbreviation)
    scores = [DatedScore(day(n), None if v is None else D(v)) for n, v in series]
    return measure_trend(spec, scores)


def test_domain_modules_do_not_import_django() -> None:
    domain = Path(__file__).resolve().parents[2] / "cases" / "domain"
    for name in ("outcomes.py", "charts.py"):
        tree = ast.parse((domain / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not any(m.split(".")[0] == "django" for m in modules), name


# --- reference data: one row per DOMAIN §5 table row ---------------------------------------


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
    assert trend.plateau.reason == "NDI (0–50 scale): 20 → 18 over 6 weeks, below its MCID of 7.5"
    assert any("converted to the 0–50 scale" in note for note in trend.notes)


@pytest.mark.parametrize(
    ("series", "values", "plateaued"),
    [
        ([(0, "60", "100"), (42, "20", "50")], ["30", "20"], False),  # 10 better ≥ 7.5
        ([(0, "60", "100"), (42, "45", "100")], ["30", "22.5"], False),  # exactly 7.5
        ([(0, "60", "100"), (42, "46", "100")], ["30", "23"], True),  # 7 better
        ([(0, "30", None), (42, "25", "50")], ["30", "25"], True),  # no % at all
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

# A window is (start day, first value, last value, whole weeks); None: no window.
# fmt: off
PLATEAU_CASES = [
    pytest.param(
        "ODI", [(0, "40"), (28, "34"), (70, "32")], True, (28, "34", "32", 6),
        "ODI: 34 → 32 over 6 weeks, below its MCID of 10",
        id="odi-hand-worked-window-34-to-32",
    ),
    pytest.param(
        "ODI", [(0, "40")], False, None, f"ODI: {NOT_ENOUGH}",
        id="one-assessment-only",
    ),
    pytest.param(
        "ODI", [(0, "40"), (10, "38"), (27, "39")], False, None, f"ODI: {NOT_ENOUGH}",
        id="all-within-four-weeks",
    ),
    pytest.param(
        "ODI", [(0, "40"), (27, "38")], False, None, f"ODI: {NOT_ENOUGH}",
        id="27-days-is-not-enough",
    ),
    pytest.param(
        "ODI", [(0, "40"), (28, "38")], True, (0, "40", "38", 4),
        "ODI: 40 → 38 over 4 weeks, below its MCID of 10",
        id="exactly-28-days-is-enough",
    ),
    pytest.param(
        "ODI", [(0, "40"), (28, "30")], False, (0, "40", "30", 4),
        "ODI: 40 → 30 over 4 weeks, improved by 10, at least its MCID of 10",
        id="28-days-improved-by-the-mcid",
    ),
    pytest.param(
        "ODI", [(0, "50"), (3, "48"), (20, "47"), (45, "46"), (47, "45")], True, (3, "48", "45", 6),
        "ODI: 48 → 45 over 6 weeks, below its MCID of 10",
        id="irregular-intervals-window-from-day-3",
    ),
    pytest.param(
        "QuickDASH", [(0, "52"), (14, "50"), (28, "51"), (42, "50"), (56, "50")], True,
        (28, "51", "50", 4),
        "QuickDASH: 51 → 50 over 4 weeks, below its MCID of 15.91",
        id="lisa-shoulder-quickdash-flat-for-8-weeks",
    ),
    pytest.param(
        "LEFS", [(0, "30"), (30, "40"), (60, "50"), (90, "60")], False, (60, "50", "60", 4),
        "LEFS: 50 → 60 over 4 weeks, improved by 10, at least its MCID of 9",
        id="maria-lefs-improving-10-a-month",
    ),
    pytest.param(
        "LEFS", [(0, "40"), (35, "45")], True, (0, "40", "45", 5),
        "LEFS: 40 → 45 over 5 weeks, below its MCID of 9",
        id="higher-is-better-small-gain",
    ),
    pytest.param(
        "ODI", [(0, "30"), (28, "34"), (70, "38")], True, (28, "34", "38", 6),
        "ODI: 34 → 38 over 6 weeks, worsened by 4: no improvement",
        id="worsening-counts-as-plateau",
    ),
    pytest.param(
        "LEFS", [(0, "50"), (42, "41")], True, (0, "50", "41", 6),
        "LEFS: 50 → 41 over 6 weeks, worsened by 9: no improvement",
        id="worsening-higher-is-better",
    ),
    pytest.param(
        "ODI", [(0, "40"), (42, "40")], True, (0, "40", "40", 6),
        "ODI: 40 → 40 over 6 weeks, unchanged, below its MCID of 10",
        id="unchanged",
    ),
    pytest.param(
        "ODI", [(0, "50"), (28, "48"), (50, "36"), (70, "47")], False, (28, "48", "47", 6),
        "ODI: 48 → 47 over 6 weeks; improved by 12 to 36 on 2024-02-20, at least its MCID of 10",
        id="mcid-reached-inside-the-window-then-lost",
    ),
    pytest.param(
        "ODI", [(0, "40"), (28, None), (70, "38")], True, (0, "40", "38", 10),
        "ODI: 40 → 38 over 10 weeks, below its MCID of 10",
        id="missing-value-inside-the-window",
    ),
    pytest.param(
        "NPRS", [(0, "8"), (28, "7"), (56, "5")], False, (28, "7", "5", 4),
        "NPRS: 7 → 5 over 4 weeks, improved by 2 (28.6 %), at least its MCID of 2 points or 30 %",
        id="nprs-by-points",
    ),
    pytest.param(
        "NPRS", [(0, "4"), (28, "3"), (56, "2")], False, (28, "3", "2", 4),
        "NPRS: 3 → 2 over 4 weeks, improved by 1 (33.3 %), at least its MCID of 2 points or 30 %",
        id="nprs-by-30-percent",
    ),
    pytest.param(
        "NPRS", [(0, "8"), (28, "7"), (56, "6")], True, (28, "7", "6", 4),
        "NPRS: 7 → 6 over 4 weeks, below its MCID of 2 points or 30 %",
        id="nprs-neither-points-nor-percent",
    ),
]
# fmt: on


@pytest.mark.parametrize(("abbreviation", "series", "plateaued", "window", "reason"), PLATEAU_CASES)
def test_plateau_rule(
    abbreviation: str,
    series: list[tuple[int, str | None]],
    plateaued: bool,
    window: tuple[int, str, str, int] | None,
    reason: str,
) -> None:
    result = trend_of(abbreviation, series).plateau
    assert result.plateaued is plateaued
    assert result.reason == reason
    if window is None:
        assert (result.window_start, result.window_end) == (None, None)
        assert (result.first_value, result.last_value, result.weeks) == (None, None, None)
        return
    start, first, last, weeks = window
    last_scored_day = max(n for n, v in series if v is not None)
    assert (result.window_start, result.window_end) == (day(start), day(last_scored_day))
    assert (result.first_value, result.last_value) == (D(first), D(last))
    assert result.weeks == weeks


# --- plateau candidate --------------------------------------------------------------------

FLAT_ODI = [(0, "40"), (28, "34"), (70, "32")]
FLAT_NPRS = [(0, "6"), (42, "5")]
RISING_LEFS = [(0, "30"), (30, "40"), (60, "50"), (90, "60")]
SHORT_ODI = [(0, "40"), (14, "38")]


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
            "Not a plateau candidate: LEFS has not plateaued.",
            id="one-measure-still-improving",
        ),
        pytest.param(
            [("LEFS", RISING_LEFS), ("ODI", SHORT_ODI)],
            True,
            False,
            "Not a plateau candidate: LEFS and ODI have not plateaued; restrictions changed.",
            id="improving-short-and-restrictions-changed",
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


def test_plateau_candidate_reasons_say_which_measure_did_what() -> None:
    trends = [trend_of("ODI", FLAT_ODI), trend_of("LEFS", RISING_LEFS), trend_of("ODI", SHORT_ODI)]
    reasons = plateau_candidate(trends, restrictions_changed=False).reasons
    assert reasons[1] == "ODI: 34 → 32 over 6 weeks, below its MCID of 10 — plateaued."
    assert reasons[2].endswith("at least its MCID of 9 — not plateaued.")
    assert reasons[3] == f"ODI: {NOT_ENOUGH} — not plateaued."
