"""Geometry for the server-rendered SVG progress chart of one outcome measure.

Pure rules: standard library only, no Django, no JavaScript. The template
``templates/cases/partials/progress_chart.html`` draws what ``progress_chart`` returns;
the same partial serves the case page, determination step 2 and the WeasyPrint PDF.

Conventions:
- coordinates are SVG user units as floats rounded to one decimal (half up);
- higher values are drawn higher, whatever the instrument's better direction (SVG's y
  grows downward, so y is inverted here);
- the y axis always spans the instrument's full reference range (NDI: 0–50, with scores
  recorded as % converted first, docs/domain.md §5), so charts of one measure compare at a glance;
- treatment markers dated outside the first–last score dates are **dropped** from the
  drawing (clipping them to the edge would show a wrong date) and listed in ``notes``;
  those drawn carry a number, and the legend under the chart names them in full;
- date labels on the x axis never overlap: ``thin_ticks`` drops those that would;
- the markup repeated once per score (the points' circles and the data table's rows) is
  built here, escaped, as ``ChartMarkup``: a case followed for years has hundreds of
  scores, and a template loop over them took most of its page's time.
"""

import datetime as dt
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cases.domain.dates import day_label as date_label
from cases.domain.outcomes import (
    DatedScore,
    InstrumentSpec,
    MeasureTrend,
    TrendPoint,
    format_decimal,
    measure_trend,
)

__all__ = [
    "ChartMarkup",
    "ChartPoint",
    "ChartText",
    "MarkerLine",
    "McidBand",
    "PlotArea",
    "ProgressChart",
    "TreatmentMarker",
    "XTick",
    "YTick",
    "date_label",
    "progress_chart",
    "thin_ticks",
]

MARGIN_LEFT = 48
MARGIN_RIGHT = 24
MARGIN_TOP = 32
MARGIN_BOTTOM = 40

MAX_X_TICKS = 6
MIN_X_TICK_GAP = 64  # px: room for a label like "12 Sep 2024" at 11px
MAX_Y_INTERVALS = 6
# An estimate of a tick label's width: DejaVu Sans at 11 px averages under 6.6 px a
# character for dates ("12 Sep 2024"), and labels keep this much space between them.
CHAR_WIDTH = 6.6
TICK_LABEL_GAP = 8

_TENTH = Decimal("0.1")

_POINT_CIRCLE = (
    '<circle class="chart-point" cx="{}" cy="{}" r="3.5" fill="#ffffff" stroke="#0d47a1" '
    'stroke-width="2"><title>{}</title></circle>\n'
)
_TABLE_ROW = '<tr><td><time datetime="{}">{}</time></td><td>{}</td><td>{}</td><td>{}</td></tr>\n'


class ChartMarkup(str):
    """SVG or HTML built by this module, every value in it escaped. Templates print it as
    it is: Django's autoescaping, like other engines, leaves alone what has ``__html__``."""

    __slots__ = ()

    def __html__(self) -> str:
        return self


def _markup(template: str, rows: Iterable[Iterable[str]]) -> ChartMarkup:
    """``template`` filled once per row with the row's values escaped, as Django's
    ``format_html_join`` does (the same ``html.escape``)."""
    return ChartMarkup(
        "".join(template.format(*(html.escape(value) for value in row)) for row in rows)
    )


def _number(value: float) -> str:
    """A coordinate as the template's ``floatformat:"u"`` writes it: "48", "144.8"."""
    whole, _, tenths = repr(value).partition(".")
    if tenths == "0":
        return str(int(value))
    if len(tenths) == 1:  # already rounded to one decimal, as _round leaves coordinates
        return f"{whole}.{tenths}"
    exact = Decimal(repr(value))
    if exact == exact.to_integral_value():
        return str(int(exact))
    return str(exact.quantize(_TENTH, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class TreatmentMarker:
    """A dated treatment event shown as a vertical line (kind: "surgery", "injection",
    "therapy_start", "therapy_end", ...)."""

    date: dt.date
    label: str
    kind: str


@dataclass(frozen=True)
class PlotArea:
    """The box the data is drawn in; ``right`` and ``bottom`` are its far edges."""

    x: float
    y: float
    width: float
    height: float
    right: float
    bottom: float


@dataclass(frozen=True)
class ChartPoint:
    """One score: its position, and the words the table prints for it."""

    x: float
    y: float
    date: dt.date
    value: Decimal  # on the reference scale
    label: str  # "4 Mar 2024: ODI 34", for the circle's tooltip
    score_text: str  # "34", or "20 of 50 (recorded 40 %)" when converted
    change_text: str  # "baseline", "6 better", "2 worse", "no change"
    reaches_mcid: bool | None  # None for the baseline
    reaches_mcid_text: str  # "yes", "no", "n/a (baseline)"


@dataclass(frozen=True)
class YTick:
    """A value on the y axis, with the gridline's y and where its label goes."""

    value: Decimal
    y: float
    label: str
    label_x: float


@dataclass(frozen=True)
class XTick:
    """A date on the x axis; ``anchor`` is the label's SVG text-anchor."""

    date: dt.date
    x: float
    label: str
    label_y: float
    anchor: str


@dataclass(frozen=True)
class McidBand:
    """Baseline ± MCID across the plot, clipped to the instrument's range."""

    x: float
    y: float
    width: float
    height: float
    low: Decimal
    high: Decimal
    label: str
    text: "ChartText"


@dataclass(frozen=True)
class ChartText:
    """A text label placed on the chart."""

    text: str
    x: float
    y: float
    anchor: str


@dataclass(frozen=True)
class MarkerLine:
    """A treatment marker as a vertical line from ``y1`` to ``y2`` at ``x``."""

    x: float
    y1: float
    y2: float
    date: dt.date
    label: str
    short_label: str
    kind: str  # slug, safe in a CSS class
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class ProgressChart:
    """Everything the template needs to draw one measure's progress chart."""

    id: str
    title_id: str
    desc_id: str
    title: str
    description: str
    caption: str
    width: int
    height: int
    plot: PlotArea
    points: tuple[ChartPoint, ...]
    polyline: str  # "x,y x,y ..."; empty with fewer than two points
    y_ticks: tuple[YTick, ...]
    x_ticks: tuple[XTick, ...]
    band: McidBand | None
    direction: ChartText
    axis_label: ChartText
    markers: tuple[MarkerLine, ...]
    omitted_markers: tuple[TreatmentMarker, ...]
    mcid_text: str
    plateau_text: str  # "Plateau check: ODI: 34 → 32 over 6 weeks, …: plateaued."
    notes: tuple[str, ...]
    trend: MeasureTrend

    @property
    def point_circles(self) -> ChartMarkup:
        """One ``<circle>`` per score, its ``<title>`` the score in words (``label``)."""
        return _markup(_POINT_CIRCLE, ((_number(p.x), _number(p.y), p.label) for p in self.points))

    @property
    def table_rows(self) -> ChartMarkup:
        """One data table row per score: date, score, change from baseline, MCID reached."""
        return _markup(
            _TABLE_ROW,
            (
                (
                    p.date.isoformat(),
                    date_label(p.date),
                    p.score_text,
                    p.change_text,
                    p.reaches_mcid_text,
                )
                for p in self.points
            ),
        )


def _round(value: Decimal) -> float:
    return float(value.quantize(_TENTH, rounding=ROUND_HALF_UP))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _y_tick_values(minimum: Decimal, maximum: Decimal) -> list[Decimal]:
    """Round ticks over the whole range, both ends included.

    Prefer a step that divides the range evenly (RMDQ 0–24 by 4); otherwise multiples of a
    round step plus the maximum, dropping a multiple that would crowd it (PHQ-9: 0, 5, 10,
    15, 20, 27).
    """
    span = maximum - minimum
    steps = [Decimal(n) * Decimal(10) ** exp for exp in range(-2, 5) for n in (1, 2, 4, 5)]
    steps = [step for step in steps if span / step <= MAX_Y_INTERVALS]
    even = [step for step in steps if span % step == 0]
    step = min(even) if even else min(steps)
    values: list[Decimal] = []
    value = minimum
    while value < maximum:
        values.append(value)
        value += step
    if values and maximum - values[-1] < step / 2 and len(values) > 1:
        values.pop()
    values.append(maximum)
    return values


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    starts: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month == 13:
            year, month = year + 1, 1
        start = dt.date(year, month, 1)
        if start >= last:
            return starts
        starts.append(start)


def thin_ticks(ticks: Sequence[XTick], *, char_width: float = CHAR_WIDTH) -> tuple[XTick, ...]:
    """The ticks whose labels fit side by side: each label's extent is estimated from its
    length and anchor; the first and the last are always kept, and a middle tick is dropped
    when its label would overlap or crowd its kept neighbour."""

    def extent(tick: XTick) -> tuple[float, float]:
        width = len(tick.label) * char_width
        if tick.anchor == "start":
            return tick.x, tick.x + width
        if tick.anchor == "end":
            return tick.x - width, tick.x
        return tick.x - width / 2, tick.x + width / 2

    if len(ticks) <= 1:
        return tuple(ticks)
    last = ticks[-1]
    kept = [ticks[0]]
    for tick in ticks[1:-1]:
        start, end = extent(tick)
        if start - extent(kept[-1])[1] >= TICK_LABEL_GAP and extent(last)[0] - end >= (
            TICK_LABEL_GAP
        ):
            kept.append(tick)
    if extent(last)[0] - extent(kept[-1])[1] < TICK_LABEL_GAP and len(kept) > 1:
        kept.pop()
    if extent(last)[0] - extent(kept[-1])[1] >= TICK_LABEL_GAP:
        kept.append(last)
    return tuple(kept)


def _change_text(spec: InstrumentSpec, point: TrendPoint, index: int) -> str:
    if index == 0:
        return "baseline"
    gain = point.improvement_from_baseline
    if gain == 0:
        return "no change"
    text = f"{format_decimal(abs(gain))} {'better' if gain > 0 else 'worse'}"
    if spec.mcid_percent is not None and point.percent_from_baseline is not None:
        text += f" ({format_decimal(abs(point.percent_from_baseline))} %)"
    return text


def _score_text(spec: InstrumentSpec, point: TrendPoint) -> str:
    if point.converted:
        return (
            f"{format_decimal(point.value)} of {format_decimal(spec.maximum)} "
            f"(recorded {format_decimal(point.recorded_value)} %)"
        )
    return format_decimal(point.value)


def _description(title: str, spec: InstrumentSpec, trend: MeasureTrend) -> str:
    if trend.baseline is None or trend.latest is None:
        return f"{title}. No {spec.abbreviation} scores recorded."
    direction = f"{spec.better_word} is better; MCID {spec.mcid_text}"
    baseline = trend.baseline
    latest = trend.latest
    if baseline is latest:
        scores = (
            f"One score: {format_decimal(baseline.value)} on {date_label(baseline.date)} "
            f"({direction})."
        )
    else:
        gain = latest.improvement_from_baseline
        if gain > 0:
            change = f"improved by {format_decimal(gain)}"
        elif gain < 0:
            change = f"worse by {format_decimal(-gain)}"
        else:
            change = "unchanged"
        reached = "reaching" if trend.reached_mcid else "not reaching"
        scores = (
            f"Baseline {format_decimal(baseline.value)} on {date_label(baseline.date)}, "
            f"latest {format_decimal(latest.value)} on {date_label(latest.date)}: "
            f"{change}, {reached} the MCID ({direction})."
        )
    return f"{title}. {scores} {_plateau_text(trend)}"


def _plateau_text(trend: MeasureTrend) -> str:
    # The reason ends with its verdict: plateaued, still improving or deteriorating.
    return f"Plateau check: {trend.plateau.reason}."


def progress_chart(
    spec: InstrumentSpec,
    scores: Iterable[DatedScore],
    markers: Sequence[TreatmentMarker] = (),
    *,
    width: int = 640,
    height: int = 260,
    chart_id: str | int = "",
) -> ProgressChart:
    """Lay out one measure's progress chart (see the module docstring for conventions).

    x: the first score's date at the plot's left edge, the last at its right edge; with a
    single score (or all on one day) every point sits in the middle. y: the instrument's
    minimum at the bottom, its maximum at the top. The MCID band is baseline ± MCID
    (NPRS: the smaller of 2 points and 30 % of the baseline, since either counts),
    clipped to the range. ``chart_id`` makes the SVG ids unique when one page shows the
    same measure twice. Missing scores are skipped; out-of-range ones raise
    ``ScoreOutOfRange`` (from ``measure_trend``).
    """
    plot_width = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = height - MARGIN_TOP - MARGIN_BOTTOM
    if plot_width <= 0 or plot_height <= 0:
        raise ValueError(f"a {width}×{height} chart leaves no room to plot")

    trend = measure_trend(spec, scores)
    base_id = "chart-" + _slug(spec.abbreviation)
    if _slug(str(chart_id)):
        base_id += "-" + _slug(str(chart_id))
    title = f"{spec.abbreviation} over time"

    left = Decimal(MARGIN_LEFT)
    top = Decimal(MARGIN_TOP)
    box_width = Decimal(plot_width)
    box_height = Decimal(plot_height)
    plot = PlotArea(
        x=float(MARGIN_LEFT),
        y=float(MARGIN_TOP),
        width=float(plot_width),
        height=float(plot_height),
        right=float(MARGIN_LEFT + plot_width),
        bottom=float(MARGIN_TOP + plot_height),
    )

    def y_of(value: Decimal) -> Decimal:
        # SVG y grows downward: the maximum sits at the top edge.
        return top + box_height * (spec.maximum - value) / (spec.maximum - spec.minimum)

    first_date = trend.points[0].date if trend.points else None
    last_date = trend.points[-1].date if trend.points else None

    def x_of(day: dt.date) -> Decimal:
        assert first_date is not None and last_date is not None
        span = (last_date - first_date).days
        if span == 0:
            return left + box_width / 2
        return left + box_width * (day - first_date).days / span

    points = tuple(
        ChartPoint(
            x=_round(x_of(point.date)),
            y=_round(y_of(point.value)),
            date=point.date,
            value=point.value,
            label=f"{date_label(point.date)}: {spec.abbreviation} {_score_text(spec, point)}",
            score_text=_score_text(spec, point),
            change_text=_change_text(spec, point, index),
            reaches_mcid=None if index == 0 else point.reaches_mcid_from_baseline,
            reaches_mcid_text=(
                "n/a (baseline)"
                if index == 0
                else ("yes" if point.reaches_mcid_from_baseline else "no")
            ),
        )
        for index, point in enumerate(trend.points)
    )
    polyline = " ".join(f"{p.x},{p.y}" for p in points) if len(points) > 1 else ""

    y_ticks = tuple(
        YTick(
            value=value,
            y=_round(y_of(value)),
            label=format_decimal(value),
            label_x=float(MARGIN_LEFT - 6),
        )
        for value in _y_tick_values(spec.minimum, spec.maximum)
    )

    x_ticks: tuple[XTick, ...] = ()
    if first_date is not None and last_date is not None:
        tick_y = float(MARGIN_TOP + plot_height + 16)
        if first_date == last_date:
            only = XTick(
                date=first_date,
                x=_round(x_of(first_date)),
                label=date_label(first_date),
                label_y=tick_y,
                anchor="middle",
            )
            x_ticks = (only,)
        else:
            starts = _month_starts(first_date, last_date)
            stride = max(1, math.ceil(len(starts) / (MAX_X_TICKS - 2)))
            kept: list[dt.date] = [first_date]
            last_x = x_of(last_date)
            for start in starts[stride - 1 :: stride] if stride > 1 else starts:
                x = x_of(start)
                if x - x_of(kept[-1]) >= MIN_X_TICK_GAP and last_x - x >= MIN_X_TICK_GAP:
                    kept.append(start)
            kept.append(last_date)
            x_ticks = thin_ticks(
                [
                    XTick(
                        date=day,
                        x=_round(x_of(day)),
                        label=date_label(day),
                        label_y=tick_y,
                        anchor="start" if i == 0 else "end" if i == len(kept) - 1 else "middle",
                    )
                    for i, day in enumerate(kept)
                ],
            )

    band: McidBand | None = None
    if trend.baseline is not None:
        baseline = trend.baseline.value
        threshold = spec.effective_mcid(baseline)
        low = max(spec.minimum, baseline - threshold)
        high = min(spec.maximum, baseline + threshold)
        band_top = _round(y_of(high))
        band = McidBand(
            x=plot.x,
            y=band_top,
            width=plot.width,
            height=round(_round(y_of(low)) - band_top, 1),
            low=low,
            high=high,
            label=f"MCID band: baseline {format_decimal(baseline)} ± {format_decimal(threshold)}",
            # Named above the plot, between the axis label and the direction, where no
            # score line can cross it.
            text=ChartText(
                text=(
                    f"Shaded: MCID band, baseline {format_decimal(baseline)} "
                    f"± {format_decimal(threshold)}"
                ),
                x=_round(left + box_width / 2),
                y=float(MARGIN_TOP - 12),
                anchor="middle",
            ),
        )

    marker_lines: list[MarkerLine] = []
    omitted: list[TreatmentMarker] = []
    for marker in sorted(markers, key=lambda m: m.date):
        if first_date is None or last_date is None or not first_date <= marker.date <= last_date:
            omitted.append(marker)
            continue
        x = x_of(marker.date)
        near_right = x > left + box_width * 3 / 4
        # Numbered on the chart, named in the legend under it; the numbers alternate over
        # two rows so markers close together stay readable.
        number = str(len(marker_lines) + 1)
        row = len(marker_lines) % 2
        marker_lines.append(
            MarkerLine(
                x=_round(x),
                y1=plot.y,
                y2=plot.bottom,
                date=marker.date,
                label=marker.label,
                short_label=number,
                kind=_slug(marker.kind) or "other",
                label_x=_round(x - 3 if near_right else x + 3),
                label_y=float(MARGIN_TOP + 12 + 12 * row),
                anchor="end" if near_right else "start",
            )
        )

    notes = list(trend.notes)
    if omitted:
        listed = "; ".join(f"{m.label} ({date_label(m.date)})" for m in omitted)
        notes.append(f"Not drawn, dated outside the scored period: {listed}.")

    unit = f" ({spec.unit})" if spec.unit != "points" else f" ({spec.scale_text})"
    return ProgressChart(
        id=base_id,
        title_id=f"{base_id}-title",
        desc_id=f"{base_id}-desc",
        title=title,
        description=_description(title, spec, trend),
        caption=(
            f"{spec.abbreviation} scores and change from baseline "
            f"({spec.better_word} is better; MCID {spec.mcid_text})"
        ),
        width=width,
        height=height,
        plot=plot,
        points=points,
        polyline=polyline,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        band=band,
        direction=ChartText(
            text="↑ better" if spec.higher_is_better else "↓ better",
            x=plot.right,
            y=float(MARGIN_TOP - 12),
            anchor="end",
        ),
        axis_label=ChartText(
            text=f"{spec.abbreviation}{unit}",
            x=plot.x,
            y=float(MARGIN_TOP - 12),
            anchor="start",
        ),
        markers=tuple(marker_lines),
        omitted_markers=tuple(omitted),
        mcid_text=spec.mcid_text,
        plateau_text=_plateau_text(trend),
        notes=tuple(notes),
        trend=trend,
    )
