"""Progress chart geometry (cases.reports.charts). Pure: no database, no Django.

Default size 640 × 260 with margins 48 left, 24 right, 32 top, 40 bottom gives a plot box
at x 48–616 (width 568) and y 32–220 (height 188). Expected coordinates below are worked
out by hand from that box.
"""

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from cases.domain.outcomes import DatedScore, InstrumentSpec, instrument_by_abbreviation
from cases.reports.charts import (
    CHAR_WIDTH,
    TreatmentMarker,
    XTick,
    date_label,
    progress_chart,
    thin_ticks,
)

D = Decimal
START = dt.date(2024, 1, 1)
TEMPLATE = (
    Path(__file__).resolve().parents[3] / "templates" / "cases" / "partials" / "progress_chart.html"
)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def scores(series: list[tuple[int, str | None]]) -> list[DatedScore]:
    return [DatedScore(day(n), None if v is None else D(v)) for n, v in series]


ODI = instrument_by_abbreviation("ODI")
LEFS = instrument_by_abbreviation("LEFS")
ODI_SERIES = [(0, "40"), (28, "34"), (70, "32")]


def test_plot_box_leaves_room_for_labels() -> None:
    plot = progress_chart(ODI, []).plot
    assert (plot.x, plot.y, plot.width, plot.height) == (48.0, 32.0, 568.0, 188.0)
    assert (plot.right, plot.bottom) == (616.0, 220.0)


def test_points_sit_where_the_data_says_on_a_100_by_100_plot() -> None:
    # 172 × 172 leaves a 100 × 100 plot at (48, 32): one unit of ODI is one pixel,
    # and days 0, 5, 10 map to x 48, 98, 148.
    chart = progress_chart(ODI, scores([(0, "0"), (5, "50"), (10, "100")]), width=172, height=172)
    assert [(p.x, p.y) for p in chart.points] == [(48.0, 132.0), (98.0, 82.0), (148.0, 32.0)]
    assert chart.polyline == "48.0,132.0 98.0,82.0 148.0,32.0"


def test_points_on_the_default_plot() -> None:
    chart = progress_chart(ODI, scores(ODI_SERIES))
    # x: 48 + 568 × 28/70 = 275.2; y: 32 + 188 × (100 − v)/100 → 144.8, 156.08, 159.84
    assert [(p.x, p.y) for p in chart.points] == [(48.0, 144.8), (275.2, 156.1), (616.0, 159.8)]
    assert chart.polyline == "48.0,144.8 275.2,156.1 616.0,159.8"
    assert [p.value for p in chart.points] == [40, 34, 32]
    assert [p.date for p in chart.points] == [day(0), day(28), day(70)]


@pytest.mark.parametrize("spec", [ODI, LEFS], ids=["lower-is-better", "higher-is-better"])
def test_higher_values_are_drawn_higher_whatever_the_direction(spec: InstrumentSpec) -> None:
    chart = progress_chart(spec, scores([(0, "10"), (30, "20"), (60, "15")]))
    low, high, middle = (p.y for p in chart.points)
    assert high < middle < low  # SVG y grows downward
    assert chart.y_ticks[0].value == 0 and chart.y_ticks[0].y == chart.plot.bottom
    assert chart.y_ticks[-1].value == spec.maximum and chart.y_ticks[-1].y == chart.plot.y


@pytest.mark.parametrize(
    ("abbreviation", "labels"),
    [
        ("ODI", ["0", "20", "40", "60", "80", "100"]),
        ("NPRS", ["0", "2", "4", "6", "8", "10"]),
        ("RMDQ", ["0", "4", "8", "12", "16", "20", "24"]),
        ("NDI", ["0", "10", "20", "30", "40", "50"]),
        ("LEFS", ["0", "20", "40", "60", "80"]),
        ("PHQ-9", ["0", "5", "10", "15", "20", "27"]),
    ],
)
def test_y_ticks_cover_the_full_range(abbreviation: str, labels: list[str]) -> None:
    chart = progress_chart(instrument_by_abbreviation(abbreviation), [])
    assert [t.label for t in chart.y_ticks] == labels
    ys = [t.y for t in chart.y_ticks]
    assert ys == sorted(ys, reverse=True)


def test_y_tick_positions_on_the_odi_axis() -> None:
    chart = progress_chart(ODI, [])
    assert [t.y for t in chart.y_ticks] == [220.0, 182.4, 144.8, 107.2, 69.6, 32.0]


@pytest.mark.parametrize(
    ("abbreviation", "series", "low", "high", "y", "height", "label"),
    [
        # 40 ± 10 → 30..50: y(50) = 126, y(30) = 163.6
        ("ODI", [(0, "40"), (30, "36")], "30", "50", 126.0, 37.6, "MCID band: baseline 40 ± 10"),
        # 95 ± 10 clipped to 85..100: y(100) = 32, y(85) = 60.2
        ("ODI", [(0, "95")], "85", "100", 32.0, 28.2, "MCID band: baseline 95 ± 10"),
        # LEFS 5 ± 9 clipped to 0..14: y(14) = 32 + 188 × 66/80 = 187.1, y(0) = 220
        ("LEFS", [(0, "5")], "0", "14", 187.1, 32.9, "MCID band: baseline 5 ± 9"),
        # NPRS 8: 2 points is smaller than 30 % (2.4)
        ("NPRS", [(0, "8")], "6", "10", 32.0, 75.2, "MCID band: baseline 8 ± 2"),
        # NPRS 5: 30 % (1.5) is smaller than 2 points
        ("NPRS", [(0, "5")], "3.5", "6.5", 97.8, 56.4, "MCID band: baseline 5 ± 1.5"),
    ],
)
def test_mcid_band_is_baseline_plus_minus_mcid_clipped_to_the_range(
    abbreviation: str,
    series: list[tuple[int, str]],
    low: str,
    high: str,
    y: float,
    height: float,
    label: str,
) -> None:
    chart = progress_chart(instrument_by_abbreviation(abbreviation), scores(series))
    band = chart.band
    assert band is not None
    assert (band.low, band.high) == (D(low), D(high))
    assert (band.x, band.width) == (48.0, 568.0)
    assert (band.y, band.height) == (y, height)
    assert band.label == label


def test_ndi_band_and_points_use_the_50_point_scale() -> None:
    ndi = instrument_by_abbreviation("NDI")
    chart = progress_chart(
        ndi, [DatedScore(day(0), D(40), D(100)), DatedScore(day(42), D(18), D(50))]
    )
    assert chart.band is not None
    assert (chart.band.low, chart.band.high) == (D("12.5"), D("27.5"))
    # 20 of 50 → y = 32 + 188 × 30/50 = 144.8; 18 → 32 + 188 × 32/50 = 152.32
    assert [p.y for p in chart.points] == [144.8, 152.3]
    assert chart.points[0].score_text == "20 of 50 (recorded 40 %)"
    assert chart.points[1].score_text == "18"
    assert any("converted to the 0–50 scale" in note for note in chart.notes)
    assert chart.axis_label.text == "NDI (0–50 scale)"


@pytest.mark.parametrize(
    "series",
    [[(0, "40")], [(10, "40"), (10, "36")]],
    ids=["single-score", "two-scores-same-day"],
)
def test_single_date_does_not_divide_by_zero(series: list[tuple[int, str]]) -> None:
    chart = progress_chart(ODI, scores(series))
    assert all(p.x == 332.0 for p in chart.points)  # middle of the plot: 48 + 568 / 2
    assert [t.x for t in chart.x_ticks] == [332.0]
    assert chart.x_ticks[0].anchor == "middle"


def test_single_score_has_no_line_and_says_so() -> None:
    chart = progress_chart(ODI, scores([(0, "40")]))
    assert chart.polyline == ""
    assert chart.points[0].change_text == "baseline"
    assert chart.points[0].reaches_mcid is None
    assert "One score: 40 on 1 Jan 2024" in chart.description
    assert "not enough data" in chart.description


def test_no_scores_draws_an_empty_chart() -> None:
    chart = progress_chart(ODI, scores([(0, None)]), [TreatmentMarker(day(3), "PT", "therapy")])
    assert chart.points == () and chart.polyline == "" and chart.x_ticks == ()
    assert chart.band is None
    assert chart.markers == ()
    assert len(chart.omitted_markers) == 1
    assert chart.description == "ODI over time. No ODI scores recorded."


@pytest.mark.parametrize(
    ("marker_day", "x"),
    [(0, 48.0), (35, 332.0), (14, 161.6), (70, 616.0)],  # 48 + 568 × d / 70
)
def test_markers_inside_the_scored_period_sit_at_their_date(marker_day: int, x: float) -> None:
    marker = TreatmentMarker(day(marker_day), "Epidural injection", "injection")
    chart = progress_chart(ODI, scores(ODI_SERIES), [marker])
    (line,) = chart.markers
    assert line.x == x
    assert (line.y1, line.y2) == (32.0, 220.0)
    assert (line.label, line.kind, line.date) == (
        "Epidural injection",
        "injection",
        day(marker_day),
    )
    assert chart.omitted_markers == ()


@pytest.mark.parametrize("marker_day", [-1, 71, 400])
def test_markers_outside_the_scored_period_are_dropped_and_noted(marker_day: int) -> None:
    marker = TreatmentMarker(day(marker_day), "Lumbar fusion", "surgery")
    chart = progress_chart(ODI, scores(ODI_SERIES), [marker])
    assert chart.markers == ()
    assert chart.omitted_markers == (marker,)
    assert any(
        "Lumbar fusion" in note and date_label(day(marker_day)) in note for note in chart.notes
    )


def test_markers_are_sorted_slugged_numbered_and_kept_inside_the_plot() -> None:
    markers = [
        TreatmentMarker(day(65), "Therapy ends", "therapy_end"),
        TreatmentMarker(day(7), "Physical therapy starts twice weekly", "therapy_start"),
    ]
    chart = progress_chart(ODI, scores(ODI_SERIES), markers)
    first, last = chart.markers
    assert first.date == day(7) and first.kind == "therapy-start"
    # Numbered on the chart, no label cut short: the legend names them in full.
    assert (first.short_label, last.short_label) == ("1", "2")
    assert first.label == "Physical therapy starts twice weekly"
    assert first.anchor == "start" and first.label_x == first.x + 3
    # Near the right edge the label runs leftward so it stays inside the chart.
    assert last.kind == "therapy-end" and last.anchor == "end" and last.label_x == last.x - 3
    assert first.label_y != last.label_y  # staggered rows


@pytest.mark.parametrize(
    ("series", "labels"),
    [
        ([(0, "40"), (20, "38")], ["1 Jan 2024", "21 Jan 2024"]),
        # 1 Mar 2024 would overlap 11 Mar 2024 at the right edge: dropped.
        (ODI_SERIES, ["1 Jan 2024", "1 Feb 2024", "11 Mar 2024"]),
        (
            [(0, "60"), (365, "40")],
            ["1 Jan 2024", "1 Apr 2024", "1 Jul 2024", "1 Oct 2024", "31 Dec 2024"],
        ),
        (
            [(9, "60"), (739, "40")],
            ["10 Jan 2024", "1 Jul 2024", "1 Jan 2025", "1 Jul 2025", "9 Jan 2026"],
        ),
    ],
    ids=["under-a-month", "ten-weeks", "one-year", "two-years"],
)
def test_x_ticks_are_first_last_and_some_month_starts(
    series: list[tuple[int, str]], labels: list[str]
) -> None:
    chart = progress_chart(ODI, scores(series))
    ticks = chart.x_ticks
    assert [t.label for t in ticks] == labels
    assert len(ticks) <= 6
    assert ticks[0].x == 48.0 and ticks[-1].x == 616.0
    assert ticks[0].anchor == "start" and ticks[-1].anchor == "end"
    assert all(t.anchor == "middle" for t in ticks[1:-1])
    xs = [t.x for t in ticks]
    assert all(b - a >= 64 for a, b in zip(xs, xs[1:], strict=False))


def test_month_start_tick_is_placed_at_its_date() -> None:
    chart = progress_chart(ODI, scores(ODI_SERIES))
    assert [t.x for t in chart.x_ticks] == [48.0, 299.5, 616.0]  # 48 + 568 × 31/70 …


@pytest.mark.parametrize(
    ("spec", "text"), [(ODI, "↓ better"), (LEFS, "↑ better")], ids=["odi", "lefs"]
)
def test_better_direction_indicator(spec: InstrumentSpec, text: str) -> None:
    chart = progress_chart(spec, [])
    assert chart.direction.text == text
    assert chart.direction.x == chart.plot.right and chart.direction.y < chart.plot.y


def test_title_description_and_table_rows() -> None:
    chart = progress_chart(ODI, scores(ODI_SERIES))
    assert chart.title == "ODI over time"
    assert chart.description == (
        "ODI over time. Baseline 40 on 1 Jan 2024, latest 32 on 11 Mar 2024: improved by 8, "
        "not reaching the MCID (lower is better; MCID 10). Plateau check: ODI: 34 → 32 over "
        "6 weeks, 2 points better, under its MCID of 10, and the trend projects 2.7 more "
        "points of improvement in the next 8 weeks, also under the MCID: plateaued."
    )
    assert chart.plateau_text == (
        "Plateau check: ODI: 34 → 32 over 6 weeks, 2 points better, under its MCID of 10, and "
        "the trend projects 2.7 more points of improvement in the next 8 weeks, also under the "
        "MCID: plateaued."
    )
    assert [p.change_text for p in chart.points] == ["baseline", "6 better", "8 better"]
    assert [p.reaches_mcid_text for p in chart.points] == ["n/a (baseline)", "no", "no"]
    assert chart.caption == "ODI scores and change from baseline (lower is better; MCID 10)"


@pytest.mark.parametrize(
    ("abbreviation", "series", "changes", "reaches"),
    [
        (
            "LEFS",
            [(0, "30"), (30, "40"), (60, "25")],
            ["baseline", "10 better", "5 worse"],
            ["n/a (baseline)", "yes", "no"],
        ),
        (
            "NPRS",
            [(0, "6"), (30, "4"), (60, "6")],
            ["baseline", "2 better (33.3 %)", "no change"],
            ["n/a (baseline)", "yes", "no"],
        ),
    ],
)
def test_table_words_for_change_and_mcid(
    abbreviation: str, series: list[tuple[int, str]], changes: list[str], reaches: list[str]
) -> None:
    chart = progress_chart(instrument_by_abbreviation(abbreviation), scores(series))
    assert [p.change_text for p in chart.points] == changes
    assert [p.reaches_mcid_text for p in chart.points] == reaches


@pytest.mark.parametrize(
    ("abbreviation", "chart_id", "expected"),
    [
        ("ODI", "", "chart-odi"),
        ("NDI", 7, "chart-ndi-7"),
        ("PHQ-9", "step 2", "chart-phq-9-step-2"),
    ],
)
def test_ids_are_slugs_the_view_can_make_unique(
    abbreviation: str, chart_id: str | int, expected: str
) -> None:
    chart = progress_chart(instrument_by_abbreviation(abbreviation), [], chart_id=chart_id)
    assert chart.id == expected
    assert (chart.title_id, chart.desc_id) == (f"{expected}-title", f"{expected}-desc")


def test_coordinates_are_floats_with_one_decimal() -> None:
    chart = progress_chart(
        ODI,
        scores([(0, "33.33"), (17, "31.7"), (49, "29")]),
        [TreatmentMarker(day(23), "Injection", "injection")],
    )
    values = [c for p in chart.points for c in (p.x, p.y)]
    values += [t.y for t in chart.y_ticks] + [t.x for t in chart.x_ticks]
    values += [m.x for m in chart.markers]
    assert chart.band is not None
    values += [chart.band.y, chart.band.height]
    assert all(isinstance(v, float) and round(v, 1) == v for v in values)


def test_too_small_a_chart_is_refused() -> None:
    with pytest.raises(ValueError, match="no room"):
        progress_chart(ODI, [], width=60, height=60)


def test_points_and_table_rows_come_as_escaped_markup() -> None:
    # The abbreviation is reference data an administrator edits.
    spec = dataclasses.replace(ODI, abbreviation="<b>ODI</b>")
    chart = progress_chart(spec, scores([(0, "40"), (28, "34.5")]))
    circles, rows = chart.point_circles, chart.table_rows
    # Printed as they are by the template: Django's autoescaping honours __html__.
    assert circles.__html__() == circles and rows.__html__() == rows
    assert circles.count('<circle class="chart-point"') == 2
    # Numbers as floatformat:"u" writes them: no ".0", never a decimal comma.
    assert '<circle class="chart-point" cx="48" cy="144.8" r="3.5"' in circles
    assert 'cx="616" cy="155.1"' in circles
    assert "<title>1 Jan 2024: &lt;b&gt;ODI&lt;/b&gt; 40</title>" in circles
    assert rows.splitlines() == [
        '<tr><td><time datetime="2024-01-01">1 Jan 2024</time></td><td>40</td>'
        "<td>baseline</td><td>n/a (baseline)</td></tr>",
        '<tr><td><time datetime="2024-01-29">29 Jan 2024</time></td><td>34.5</td>'
        "<td>5.5 better</td><td>no</td></tr>",
    ]
    assert "style=" not in circles + rows and "<b>" not in circles + rows


def test_no_scores_gives_no_markup() -> None:
    chart = progress_chart(ODI, [])
    assert chart.point_circles == "" and chart.table_rows == ""


# --- the template partial (rendered by the lead's Django test; checked statically here) ---


def test_partial_is_csp_safe_and_accessible() -> None:
    text = TEMPLATE.read_text()
    assert "style=" not in text and "<script" not in text
    assert 'role="img"' in text
    assert 'aria-labelledby="{{ chart.title_id }} {{ chart.desc_id }}"' in text
    assert '<title id="{{ chart.title_id }}">' in text and '<desc id="{{ chart.desc_id }}">' in text
    assert 'stroke-dasharray="5 3"' in text  # band outline reads in black-and-white print
    assert '<table class="table table-sm' in text and "<caption>" in text


def test_partial_uses_only_builtin_tags_and_filters() -> None:
    text = TEMPLATE.read_text()
    tags = set(re.findall(r"{%\s*(\w+)", text))
    assert tags <= {
        "comment",
        "endcomment",
        "for",
        "empty",
        "endfor",
        "if",
        "else",
        "endif",
        "with",
        "endwith",
    }
    filters = set(re.findall(r"\|(\w+)", text))
    # `day` is the project's own date filter, a builtin of the engine (settings.TEMPLATES).
    assert filters <= {"floatformat", "date", "day"}
    assert text.count("{% for") == text.count("{% endfor")
    assert text.count("{% if") == text.count("{% endif")


def _tick(x: float, label: str, anchor: str = "middle") -> XTick:
    return XTick(date=day(0), x=x, label=label, label_y=0.0, anchor=anchor)


def test_tick_labels_that_would_overlap_are_dropped_keeping_both_ends() -> None:
    ticks = [
        _tick(48, "1 Jan 2024", "start"),
        _tick(90, "1 Feb 2024"),
        _tick(300, "1 Mar 2024"),
        _tick(560, "1 Apr 2024"),
        _tick(616, "11 Apr 2024", "end"),
    ]

    kept = thin_ticks(ticks)

    assert [tick.label for tick in kept] == ["1 Jan 2024", "1 Mar 2024", "11 Apr 2024"]


def test_thinned_tick_labels_never_overlap() -> None:
    ticks = [_tick(48, "1 Jan 2024", "start")]
    ticks += [_tick(48 + 20 * n, f"{n} Jan 2024") for n in range(1, 28)]
    ticks.append(_tick(616, "31 Dec 2024", "end"))

    kept = thin_ticks(ticks)

    def extent(tick: XTick) -> tuple[float, float]:
        width = len(tick.label) * CHAR_WIDTH
        start = {"start": tick.x, "end": tick.x - width}.get(tick.anchor, tick.x - width / 2)
        return start, start + width

    assert kept[0].label == "1 Jan 2024" and kept[-1].label == "31 Dec 2024"
    for left, right in zip(kept, kept[1:], strict=False):
        assert extent(right)[0] - extent(left)[1] >= 8


def test_the_mcid_band_is_named_above_the_plot_clear_of_the_other_labels() -> None:
    chart = progress_chart(ODI, scores(ODI_SERIES))

    assert chart.band is not None
    label = chart.band.text
    assert label.text == "Shaded: MCID band, baseline 40 ± 10"
    assert label.y < chart.plot.y  # above the plot: no score line crosses it
    half = len(label.text) * CHAR_WIDTH / 2
    axis_end = chart.axis_label.x + len(chart.axis_label.text) * CHAR_WIDTH
    direction_start = chart.direction.x - len(chart.direction.text) * CHAR_WIDTH
    assert axis_end < label.x - half and label.x + half < direction_start
