"""Median and spread of a number of days per group, and the geometry of a box plot of them.

Pure rules: standard library only, no Django. The template
``templates/cases/partials/box_plot.html`` draws what ``box_plot`` returns.

Quartiles are interpolated linearly between the sorted values (``statistics.quantiles``
with method "inclusive"), the same definition as PostgreSQL's ``percentile_cont``, so the
numbers would not change if the aggregation moved into the database.
"""

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["BoxPlot", "BoxPlotRow", "Spread", "XTick", "box_plot", "spread", "spreads_by_group"]

ROW_HEIGHT = 28
LABEL_WIDTH = 170
MARGIN_RIGHT = 24
MARGIN_TOP = 12
AXIS_HEIGHT = 40
PLOT_WIDTH = 520
BOX_HEIGHT = 14
MAX_TICK_INTERVALS = 6
# A group of fewer cases shows its count only: quartiles of two or three cases say little,
# and each whisker would be one worker's own recovery.
FEWEST_TO_DRAW = 5


@dataclass(frozen=True)
class Spread:
    """How many days one group's values took: count, extremes, quartiles and median."""

    label: str
    count: int
    minimum: int
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: int


def spread(label: str, days: Sequence[int]) -> Spread:
    """The spread of ``days`` (at least one value). With one value every quartile is it."""
    if not days:
        raise ValueError("A spread needs at least one value.")
    ordered = sorted(days)
    if len(ordered) == 1:
        lower = upper = float(ordered[0])
    else:
        lower, _, upper = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(
        label=label,
        count=len(ordered),
        minimum=ordered[0],
        lower_quartile=lower,
        median=float(statistics.median(ordered)),
        upper_quartile=upper,
        maximum=ordered[-1],
    )


def spreads_by_group(pairs: Iterable[tuple[str, int]]) -> list[Spread]:
    """One spread per group of (group, days) pairs, shortest median first, then by name."""
    groups: dict[str, list[int]] = defaultdict(list)
    for group, days in pairs:
        groups[group].append(days)
    spreads = [spread(label, values) for label, values in groups.items()]
    return sorted(spreads, key=lambda item: (item.median, item.label))


@dataclass(frozen=True)
class XTick:
    x: float
    label: str


@dataclass(frozen=True)
class BoxPlotRow:
    """One group's box: whiskers from minimum to maximum, box over the quartiles."""

    spread: Spread
    label_y: float
    box_y: float
    middle_y: float
    x_minimum: float
    x_lower: float
    x_median: float
    x_upper: float
    x_maximum: float

    @property
    def drawn(self) -> bool:
        return self.spread.count >= FEWEST_TO_DRAW

    @property
    def box_width(self) -> float:
        return round(self.x_upper - self.x_lower, 1)

    @property
    def box_bottom(self) -> float:
        return self.box_y + BOX_HEIGHT


@dataclass(frozen=True)
class BoxPlot:
    id: str
    title_id: str
    desc_id: str
    title: str
    description: str
    width: int
    height: int
    label_x: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    box_height: int
    rows: tuple[BoxPlotRow, ...]
    ticks: tuple[XTick, ...]
    axis_label: str
    axis_label_x: float
    axis_label_y: float
    fewest_to_draw: int = FEWEST_TO_DRAW

    @property
    def has_boxes(self) -> bool:
        """Whether any group has enough cases to draw: otherwise the table says it all."""
        return any(row.drawn for row in self.rows)


def _nice_step(largest: float) -> int:
    """A round tick step (1, 2 or 5 × 10^n days) giving at most six intervals."""
    if largest <= 0:
        return 1
    raw = largest / MAX_TICK_INTERVALS
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return int(10 * magnitude)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _days(value: float) -> str:
    return f"{value:g}"


def box_plot(spreads: Sequence[Spread], *, title: str) -> BoxPlot:
    """A horizontal box plot, one row per spread, on a shared axis of days from 0."""
    largest = max((item.maximum for item in spreads if item.count >= FEWEST_TO_DRAW), default=0)
    step = _nice_step(largest)
    top = max(step, math.ceil(largest / step) * step)
    left, right = LABEL_WIDTH, LABEL_WIDTH + PLOT_WIDTH
    bottom = MARGIN_TOP + ROW_HEIGHT * len(spreads)

    def x_of(days: float) -> float:
        return round(left + (right - left) * days / top, 1)

    rows = []
    for index, item in enumerate(spreads):
        middle = MARGIN_TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2
        rows.append(
            BoxPlotRow(
                spread=item,
                label_y=middle,
                box_y=middle - BOX_HEIGHT / 2,
                middle_y=middle,
                x_minimum=x_of(item.minimum),
                x_lower=x_of(item.lower_quartile),
                x_median=x_of(item.median),
                x_upper=x_of(item.upper_quartile),
                x_maximum=x_of(item.maximum),
            )
        )
    ticks = tuple(XTick(x_of(value), str(value)) for value in range(0, top + 1, step))
    description = "; ".join(
        f"{item.label}: median {_days(item.median)} days, middle half "
        f"{_days(item.lower_quartile)}–{_days(item.upper_quartile)}, range "
        f"{item.minimum}–{item.maximum}, {item.count} cases"
        if item.count >= FEWEST_TO_DRAW
        else f"{item.label}: {item.count} case{'s' if item.count != 1 else ''}, too few to draw"
        for item in spreads
    )
    chart_id = f"box-{_slug(title)}"
    return BoxPlot(
        id=chart_id,
        title_id=f"{chart_id}-title",
        desc_id=f"{chart_id}-desc",
        title=title,
        description=description or "No case has reached MMI yet.",
        width=right + MARGIN_RIGHT,
        height=bottom + AXIS_HEIGHT,
        label_x=left - 8,
        plot_left=left,
        plot_right=right,
        plot_bottom=bottom,
        box_height=BOX_HEIGHT,
        rows=tuple(rows),
        ticks=ticks,
        axis_label="Days from injury to MMI",
        axis_label_x=(left + right) / 2,
        axis_label_y=bottom + AXIS_HEIGHT - 6,
    )
