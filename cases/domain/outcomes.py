"""Outcome measures: reference data, trends and the plateau rule (docs/domain.md §5).

Pure rules: standard library only, exact ``Decimal`` arithmetic (``Fraction`` for the
least-squares trend), no floats and no Django.

Every change is expressed as an *improvement*: positive means the patient got better,
whatever the instrument's direction ("Improvement is always computed in the measure's
'better' direction"). A drop of 6 on the ODI and a rise of 6 on the LEFS are both an
improvement of 6.
"""

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from cases.domain.dates import day_label

__all__ = [
    "DOMAIN_INSTRUMENTS",
    "PERCENT_SCALE",
    "PLATEAU_LOOKBACK",
    "PAIN_NOW_MEASURE",
    "PLATEAU_MIN_SPAN",
    "PROJECTION_DAYS",
    "DatedScore",
    "InstrumentSpec",
    "MeasureTrend",
    "PainAnswersDiffer",
    "PlateauResult",
    "PlateauStatus",
    "PlateauVerdict",
    "RestrictionSet",
    "ScoreOutOfRange",
    "TrendPoint",
    "check_in_range",
    "format_decimal",
    "instrument_by_abbreviation",
    "measure_trend",
    "one_pain_answer",
    "plateau_candidate",
    "restrictions_changed",
]

# NDI may be stored on its 0–50 points scale or as 0–100 % (docs/domain.md §5: "store the
# scale").
PERCENT_SCALE = Decimal(100)

# docs/domain.md §5: the plateau rule looks at "the assessments of the last 8 weeks (at
# least two, spanning at least four weeks)". The 8 weeks end on the latest assessment and
# include the day 56 days before it: an assessment 56 days older than the latest is in the
# window, one 57 days older is not.
PLATEAU_LOOKBACK = dt.timedelta(days=56)
PLATEAU_MIN_SPAN = dt.timedelta(days=28)
# ... and whether "their least-squares trend projects less than one MCID of further gain
# over the next 8 weeks".
PROJECTION_DAYS = 56

NOT_ENOUGH_DATA = (
    "not enough data: needs two assessments at least four weeks apart within the last 8 weeks"
)

_ONE_DECIMAL = Decimal("0.1")


class ScoreOutOfRange(ValueError):
    """A score lies outside its instrument's range, or on a scale the instrument lacks."""


def format_decimal(value: Decimal) -> str:
    """Write a number without trailing zeros or exponent: 34.00 → "34", 7.50 → "7.5"."""
    if value == 0:
        return "0"  # also turns Decimal("-0") into "0"
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class InstrumentSpec:
    """One outcome measure as listed in docs/domain.md §5.

    ``minimum``/``maximum`` and ``mcid`` are on the instrument's reference scale. For the NDI
    that is the 0–50 points scale (``points_scale`` = 50); NDI scores may also be stored on
    the 0–100 % scale and are converted to points before any comparison.
    ``mcid_percent`` is an alternative threshold as a percentage of the earlier value
    (NPRS: "2 points (or 30 %)"): a change reaching *either* counts.
    """

    abbreviation: str
    name: str
    minimum: Decimal
    maximum: Decimal
    higher_is_better: bool
    mcid: Decimal
    mcid_percent: Decimal | None = None
    unit: str = "points"
    points_scale: Decimal | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.minimum >= self.maximum:
            raise ValueError(f"{self.abbreviation}: minimum must be below maximum")
        if self.mcid <= 0:
            raise ValueError(f"{self.abbreviation}: MCID must be positive")
        if self.points_scale is not None and (
            self.minimum != 0 or self.points_scale != self.maximum
        ):
            raise ValueError(
                f"{self.abbreviation}: a points scale needs a 0–{self.points_scale} range"
            )

    @property
    def better_word(self) -> str:
        """ "higher" or "lower": which way is better."""
        return "higher" if self.higher_is_better else "lower"

    @property
    def mcid_text(self) -> str:
        """The MCID in words, e.g. "10" or "2 points or 30 %"."""
        if self.mcid_percent is None:
            return format_decimal(self.mcid)
        return f"{format_decimal(self.mcid)} points or {format_decimal(self.mcid_percent)} %"

    @property
    def scale_text(self) -> str:
        """The reference scale in words, e.g. "0–50 scale"."""
        return f"{format_decimal(self.minimum)}–{format_decimal(self.maximum)} scale"

    def accepts_scale(self, scale_max: Decimal | None) -> bool:
        """Whether a score may be stored on the scale ending at ``scale_max``."""
        if scale_max is None or scale_max == self.maximum:
            return True
        return self.points_scale is not None and scale_max == PERCENT_SCALE

    def to_reference_scale(self, value: Decimal, scale_max: Decimal | None) -> Decimal:
        """Convert a stored value to the reference scale (NDI: 40 % → 20 of 50)."""
        if scale_max is None or scale_max == self.maximum:
            return value
        if not self.accepts_scale(scale_max):
            raise ScoreOutOfRange(_scale_message(self, scale_max))
        # Exact for NDI: × 50 / 100 halves the value.
        return value * self.maximum / scale_max

    def improvement(self, before: Decimal, after: Decimal) -> Decimal:
        """Change from ``before`` to ``after`` in the better direction (positive = better)."""
        return after - before if self.higher_is_better else before - after

    def reaches_mcid(self, before: Decimal, after: Decimal) -> bool:
        """Whether going from ``before`` to ``after`` improves by at least the MCID.

        NPRS counts either 2 points or 30 % of ``before`` (docs/domain.md §5); the percentage is
        compared by cross-multiplying so no rounding is involved.
        """
        gain = self.improvement(before, after)
        if gain <= 0:
            return False
        if gain >= self.mcid:
            return True
        if self.mcid_percent is not None and before > 0:
            return gain * 100 >= self.mcid_percent * before
        return False

    def effective_mcid(self, before: Decimal) -> Decimal:
        """The smallest improvement from ``before`` that reaches the MCID (NPRS: 2 or 30 %)."""
        if self.mcid_percent is not None and before > 0:
            return min(self.mcid, before * self.mcid_percent / 100)
        return self.mcid


def _scale_message(spec: InstrumentSpec, scale_max: Decimal) -> str:
    return (
        f"{spec.abbreviation} has no 0–{format_decimal(scale_max)} scale; it is scored "
        f"between {format_decimal(spec.minimum)} and {format_decimal(spec.maximum)} {spec.unit}"
    )


def _range_text(spec: InstrumentSpec, scale_max: Decimal | None) -> str:
    if scale_max is not None and scale_max != spec.maximum and spec.accepts_scale(scale_max):
        return f"0 and {format_decimal(scale_max)} %"
    return f"{format_decimal(spec.minimum)} and {format_decimal(spec.maximum)} {spec.unit}"


def check_in_range(spec: InstrumentSpec, value: Decimal, scale_max: Decimal | None = None) -> None:
    """Refuse a score outside the instrument's range (docs/domain.md §5 "range" column).

    ``scale_max`` is the scale the value is stored on (None: the reference scale). The NDI
    accepts 50 (points) or 100 (%); other instruments only their own maximum.

    Raises ``ScoreOutOfRange`` with a message naming the range, e.g.
    "ODI must be between 0 and 100 %".
    """
    if scale_max is not None and not spec.accepts_scale(scale_max):
        raise ScoreOutOfRange(_scale_message(spec, scale_max))
    if not value.is_finite():
        raise ScoreOutOfRange(f"{spec.abbreviation} must be between {_range_text(spec, scale_max)}")
    top = spec.maximum if scale_max is None or scale_max == spec.maximum else scale_max
    if value < spec.minimum or value > top:
        raise ScoreOutOfRange(
            f"{spec.abbreviation} must be between {_range_text(spec, scale_max)}; "
            f"got {format_decimal(value)}"
        )


# "Pain now (0–10)" is the NPRS question itself (docs/domain.md §5): on a case that tracks
# the NPRS the two are one answer.
PAIN_NOW_MEASURE = "NPRS"


class PainAnswersDiffer(ValueError):
    """Pain now and the NPRS were both given, with different values."""


def one_pain_answer(
    *, nprs: Decimal | None, pain_now: int | None
) -> tuple[Decimal | None, int | None]:
    """The (NPRS, pain now) pair of an assessment on a case that tracks the NPRS: either
    answer gives the other, and pain now is the NPRS in whole points, a half rounded up
    (NPRS 4.5 → pain now 5) since the pain column holds whole numbers. Two answers that do
    not agree raise ``PainAnswersDiffer``."""
    if nprs is None:
        return (None, None) if pain_now is None else (Decimal(pain_now), pain_now)
    whole = int(nprs.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if pain_now is not None and pain_now != whole:
        raise PainAnswersDiffer(
            f"Pain now ({pain_now}) and the NPRS ({format_decimal(nprs)}) are the same "
            "question on this case: give one of them, or the same value."
        )
    return nprs, whole


def _spec(
    abbreviation: str,
    name: str,
    maximum: int | str,
    mcid: str,
    *,
    higher_is_better: bool = False,
    mcid_percent: str | None = None,
    unit: str = "points",
    points_scale: int | None = None,
    source: str,
) -> InstrumentSpec:
    return InstrumentSpec(
        abbreviation=abbreviation,
        name=name,
        minimum=Decimal(0),
        maximum=Decimal(maximum),
        higher_is_better=higher_is_better,
        mcid=Decimal(mcid),
        mcid_percent=None if mcid_percent is None else Decimal(mcid_percent),
        unit=unit,
        points_scale=None if points_scale is None else Decimal(points_scale),
        source=source,
    )


# docs/domain.md §5 table, row by row. The app seeds its editable reference table from this:
# "MCIDs vary by population: keep them as editable reference data".
# fmt: off
DOMAIN_INSTRUMENTS: tuple[InstrumentSpec, ...] = (
    _spec("NPRS", "Numeric Pain Rating Scale", 10, "2", mcid_percent="30",
          source="Farrar 2001; Ostelo 2008"),
    _spec("VAS", "Visual Analogue Scale (pain)", 100, "15", unit="mm", source="Ostelo 2008"),
    _spec("ODI", "Oswestry Disability Index", 100, "10", unit="%", source="Ostelo 2008"),
    _spec("RMDQ", "Roland-Morris Disability Questionnaire", 24, "5", source="Ostelo 2008"),
    _spec("NDI", "Neck Disability Index", 50, "7.5", points_scale=50,
          source="Young 2009 (Spine J 9:802)"),
    _spec("DASH", "Disabilities of the Arm, Shoulder and Hand", 100, "10.83",
          source="Franchignoni 2014 (JOSPT 44:30)"),
    _spec("QuickDASH", "QuickDASH (short DASH)", 100, "15.91",
          source="Franchignoni 2014 (JOSPT 44:30)"),
    _spec("LEFS", "Lower Extremity Functional Scale", 80, "9", higher_is_better=True,
          source="Binkley 1999"),
    _spec("PSFS", "Patient-Specific Functional Scale (mean of 3–5 items)", 10, "2",
          higher_is_better=True, source="Stratford 1995; Rysstad 2020"),
    _spec("PHQ-9", "Patient Health Questionnaire-9 (mood)", 27, "5", source="Löwe 2004"),
)
# fmt: on


def instrument_by_abbreviation(abbreviation: str) -> InstrumentSpec:
    """The docs/domain.md §5 instrument with this abbreviation (case-insensitive); KeyError
    if none."""
    wanted = abbreviation.casefold()
    for spec in DOMAIN_INSTRUMENTS:
        if spec.abbreviation.casefold() == wanted:
            return spec
    raise KeyError(abbreviation)


@dataclass(frozen=True)
class DatedScore:
    """One assessment as stored. ``value`` None means missing (skipped, never an error).

    ``scale_max`` is the scale the value was recorded on (None: the instrument's own).
    """

    date: dt.date
    value: Decimal | None
    scale_max: Decimal | None = None


@dataclass(frozen=True)
class TrendPoint:
    """One scored assessment, on the instrument's reference scale.

    Improvements are positive when better. ``percent_from_baseline`` is the improvement as a
    percentage of the baseline value, to one decimal; None when the baseline is 0.
    """

    date: dt.date
    value: Decimal
    recorded_value: Decimal
    recorded_scale_max: Decimal | None
    converted: bool
    improvement_from_baseline: Decimal
    improvement_from_previous: Decimal | None
    percent_from_baseline: Decimal | None
    reaches_mcid_from_baseline: bool
    reaches_mcid_from_previous: bool | None


def _percent(gain: Decimal, base: Decimal) -> Decimal | None:
    if base == 0:
        return None
    return (gain * 100 / base).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _weeks_text(weeks: int) -> str:
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def _shown(value: Fraction, threshold: Fraction) -> str:
    """``value`` (≥ 0) in words, rounded half up to one decimal, or to as many more as it
    takes for the words to fall on the same side of ``threshold`` as the exact value: a
    projection of 9.97 against an MCID of 10 reads "9.97", never "10"."""
    for places in range(1, 9):
        scale = 10**places
        rounded = Fraction(math.floor(value * scale + Fraction(1, 2)), scale)
        if (rounded >= threshold) == (value >= threshold):
            break
    return format_decimal(Decimal(rounded.numerator) / Decimal(rounded.denominator))


class PlateauStatus(StrEnum):
    """What the plateau rule found for one measure (docs/domain.md §5)."""

    PLATEAUED = "plateaued"
    IMPROVING = "improving"
    DETERIORATING = "deteriorating"
    NOT_ENOUGH_DATA = "not enough data"


@dataclass(frozen=True)
class PlateauResult:
    """The plateau rule applied to one measure; ``reason`` explains it in words.

    The window is the assessments of the 8 weeks up to the latest one (see
    ``measure_trend``). ``change`` is the improvement from the window's first score to its
    last (positive = better); ``projected`` the further improvement the window's
    least-squares trend projects over the next 8 weeks, exact, never beyond the end of the
    scale (negative: the trend points the worse way). All None without a window.
    """

    status: PlateauStatus
    window_start: dt.date | None
    window_end: dt.date | None
    first_value: Decimal | None
    last_value: Decimal | None
    weeks: int | None
    reason: str
    change: Decimal | None = None
    projected: Fraction | None = None

    @property
    def plateaued(self) -> bool:
        return self.status is PlateauStatus.PLATEAUED

    @property
    def improving(self) -> bool:
        return self.status is PlateauStatus.IMPROVING

    @property
    def deteriorating(self) -> bool:
        return self.status is PlateauStatus.DETERIORATING


@dataclass(frozen=True)
class MeasureTrend:
    """A measure's scores over time, with the summary and the plateau verdict."""

    spec: InstrumentSpec
    points: tuple[TrendPoint, ...]
    skipped_missing: int
    baseline: TrendPoint | None
    latest: TrendPoint | None
    improvement: Decimal | None
    percent: Decimal | None
    reached_mcid: bool
    plateau: PlateauResult
    notes: tuple[str, ...]

    @property
    def normalised(self) -> bool:
        """Whether any score was converted to the reference scale (NDI % → points)."""
        return any(point.converted for point in self.points)


def _unit(spec: InstrumentSpec, text: str) -> str:
    """The word for an amount on the instrument's scale: "point", "points", "mm".

    ODI changes are percentage points, so they read as points too."""
    unit = "points" if spec.unit in ("", "%", "points") else spec.unit
    return "point" if unit == "points" and text == "1" else unit


def _amount(spec: InstrumentSpec, value: Decimal) -> str:
    """An amount on the instrument's scale in words: "1 point", "8 points", "15 mm"."""
    text = format_decimal(value)
    return f"{text} {_unit(spec, text)}"


def _projection(spec: InstrumentSpec, window: Sequence[TrendPoint]) -> tuple[Fraction, bool]:
    """The further improvement the window's least-squares line projects over the next
    8 weeks, and whether the end of the scale cut it short.

    Ordinary least squares of value against days, in exact fractions; the slope (in the
    better direction, per day) times 56 days. A line cannot project past the best end of
    the scale, so the projection is capped at the room left from the latest score (an ODI
    of 4 has 4 points left to gain, whatever its slope)."""
    origin = window[0]
    xs = [Fraction((point.date - origin.date).days) for point in window]
    ys = [Fraction(spec.improvement(origin.value, point.value)) for point in window]
    mean_x = sum(xs, Fraction(0)) / len(xs)
    mean_y = sum(ys, Fraction(0)) / len(ys)
    sxx = sum(((x - mean_x) ** 2 for x in xs), Fraction(0))  # > 0: spans at least 28 days
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Fraction(0))
    projected = sxy / sxx * PROJECTION_DAYS
    best_end = spec.maximum if spec.higher_is_better else spec.minimum
    room = Fraction(spec.improvement(window[-1].value, best_end))
    if projected > room:
        return room, True
    return projected, False


def _projection_threshold(spec: InstrumentSpec, latest: Decimal) -> Fraction:
    """The smallest further gain from ``latest`` that reaches the MCID (NPRS: 2 points or
    30 % of the latest score)."""
    return Fraction(spec.effective_mcid(latest))


def _window(points: Sequence[TrendPoint]) -> list[TrendPoint]:
    """The assessments of the last 8 weeks: dated on or after the latest minus 56 days."""
    if not points:
        return []
    since = points[-1].date - PLATEAU_LOOKBACK
    return [point for point in points if point.date >= since]


def _change_words(spec: InstrumentSpec, first: Decimal, change: Decimal) -> str:
    if change == 0:
        return "unchanged"
    if change < 0:
        return f"{_amount(spec, -change)} worse"
    text = f"{_amount(spec, change)} better"
    if spec.mcid_percent is not None and first > 0:
        percent = Fraction(change) * 100 / Fraction(first)
        text += f" ({_shown(percent, Fraction(spec.mcid_percent))} %)"
    return text


def _plateau(spec: InstrumentSpec, points: Sequence[TrendPoint]) -> PlateauResult:
    """docs/domain.md §5 plateau rule; ``measure_trend`` describes it."""
    label = spec.abbreviation
    if spec.points_scale is not None:
        label = f"{spec.abbreviation} ({spec.scale_text})"
    window = _window(points)
    if len(window) < 2 or window[-1].date - window[0].date < PLATEAU_MIN_SPAN:
        return PlateauResult(
            status=PlateauStatus.NOT_ENOUGH_DATA,
            window_start=None,
            window_end=None,
            first_value=None,
            last_value=None,
            weeks=None,
            reason=f"{label}: {NOT_ENOUGH_DATA}",
        )

    first, latest = window[0], window[-1]
    weeks = (latest.date - first.date).days // 7
    change = spec.improvement(first.value, latest.value)
    summary = (
        f"{label}: {format_decimal(first.value)} → {format_decimal(latest.value)} "
        f"over {_weeks_text(weeks)}, {_change_words(spec, first.value, change)}"
    )
    projected, capped = _projection(spec, window)

    # Deterioration: the latest score is worse, by at least the MCID in points, than one
    # of the window's earlier scores (the first, or a better one since). A worsening that has since
    # recovered is not one. The NPRS's 30 % alternative is a *reduction* in pain (Farrar
    # 2001), so a worsening is measured in points only: NPRS 4 → 5.9 is not deteriorating.
    peak = max(window[:-1], key=lambda point: spec.improvement(latest.value, point.value))
    if spec.improvement(latest.value, peak.value) >= spec.mcid:
        mcid = format_decimal(spec.mcid) + (" points" if spec.mcid_percent is not None else "")
        if -change >= spec.mcid:
            reason = f"{summary}, at least its MCID of {mcid}: deteriorating, not a plateau"
        else:
            drop = spec.improvement(latest.value, peak.value)
            reason = (
                f"{summary}; {format_decimal(latest.value)} is {_amount(spec, drop)} worse "
                f"than {format_decimal(peak.value)} on {day_label(peak.date)}, at least its "
                f"MCID of {mcid}: deteriorating, not a plateau"
            )
        status = PlateauStatus.DETERIORATING
    else:
        changed = spec.reaches_mcid(first.value, latest.value)
        threshold = _projection_threshold(spec, latest.value)
        trending = projected > 0 and projected >= threshold
        if projected <= 0:
            trend = "the trend projects no further improvement"
        else:
            shown = _shown(projected, threshold)
            trend = (
                f"the trend projects {shown} more {_unit(spec, shown)} of improvement in the "
                "next 8 weeks"
            )
            if capped:
                trend += " (all the scale has left)"
        mcid = f"its MCID of {spec.mcid_text}"
        if changed:
            status = PlateauStatus.IMPROVING
            if trending:
                reason = f"{summary}, at least {mcid}, and {trend}: still improving, not a plateau"
            else:
                under = ", under the MCID" if projected > 0 else ""
                reason = (
                    f"{summary}, at least {mcid} (though {trend}{under}): "
                    "still improving, not a plateau"
                )
        elif trending:
            status = PlateauStatus.IMPROVING
            reason = f"{summary}, under {mcid}, but {trend}: still improving, not a plateau"
        else:
            status = PlateauStatus.PLATEAUED
            also = ", also under the MCID" if projected > 0 else ""
            reason = f"{summary}, under {mcid}, and {trend}{also}: plateaued"

    return PlateauResult(
        status=status,
        window_start=first.date,
        window_end=latest.date,
        first_value=first.value,
        last_value=latest.value,
        weeks=weeks,
        reason=reason,
        change=change,
        projected=projected,
    )


def measure_trend(spec: InstrumentSpec, scores: Iterable[DatedScore]) -> MeasureTrend:
    """Sort one measure's scores by date and describe how it moved.

    Missing values (``value`` None) are skipped and counted. NDI scores stored as 0–100 %
    are converted to the 0–50 reference scale (MCID 7.5) before comparing, and a note says
    so. A value outside the instrument's range raises ``ScoreOutOfRange``.

    Each point carries its improvement from the baseline (the first score) and from the
    previous score, positive when better, and whether each reaches the MCID.

    Plateau (docs/domain.md §5). The window is the assessments of the last 8 weeks: those
    dated on or after the latest assessment's date minus 56 days (56 days before it is
    in, 57 is out). It must hold at least two assessments spanning at least 28 days;
    otherwise there is no window and the measure is "not enough data" (not plateaued).
    Over the window, in this order:

    - **deteriorating** when the latest score is worse, by at least the MCID in points,
      than one of the window's earlier scores (the first, or a better one since); a
      worsening since recovered from is not one. The NPRS's "30 %" is a reduction in
      pain, so it does not apply to a worsening: NPRS 4 → 5.9 is not deteriorating, 4 → 6
      is;
    - **improving** when the change from the window's first score to its latest reaches
      the MCID (NPRS: 2 points or 30 % of the first), or when the least-squares line of
      the window's scores against their dates projects at least one MCID of further
      improvement over the next 8 weeks (NPRS: 2 points or 30 % of the latest score), never
      counting gains past the end of the scale. A steady slow improver (ODI 60 → 52 → 44 →
      36 at four-week steps) is improving, not a plateau;
    - **plateaued** otherwise: the change is under the MCID and so is the projection.

    The reason says which part decided. Everything is exact: ``Decimal`` scores and a
    ``Fraction`` regression; only the words round (and never across the MCID).
    """
    missing = 0
    valid: list[tuple[dt.date, Decimal, Decimal | None]] = []
    for score in scores:
        if score.value is None:
            missing += 1
        else:
            valid.append((score.date, score.value, score.scale_max))
    valid.sort(key=lambda entry: entry[0])  # stable: same-day scores keep their order

    points: list[TrendPoint] = []
    baseline_value: Decimal | None = None
    previous_value: Decimal | None = None
    for when, recorded_value, scale_max in valid:
        check_in_range(spec, recorded_value, scale_max)
        value = spec.to_reference_scale(recorded_value, scale_max)
        converted = scale_max is not None and scale_max != spec.maximum
        if baseline_value is None:
            baseline_value = value
        gain = spec.improvement(baseline_value, value)
        points.append(
            TrendPoint(
                date=when,
                value=value,
                recorded_value=recorded_value,
                recorded_scale_max=scale_max,
                converted=converted,
                improvement_from_baseline=gain,
                improvement_from_previous=(
                    None if previous_value is None else spec.improvement(previous_value, value)
                ),
                percent_from_baseline=_percent(gain, baseline_value),
                reaches_mcid_from_baseline=spec.reaches_mcid(baseline_value, value),
                reaches_mcid_from_previous=(
                    None if previous_value is None else spec.reaches_mcid(previous_value, value)
                ),
            )
        )
        previous_value = value

    notes: list[str] = []
    if any(point.converted for point in points):
        notes.append(
            f"{spec.abbreviation} scores recorded on the 0–100 % scale were converted to the "
            f"{spec.scale_text} (× {format_decimal(spec.maximum)} / 100) before comparing; "
            f"its MCID is {format_decimal(spec.mcid)} of {format_decimal(spec.maximum)}."
        )
    if missing:
        notes.append(
            f"{missing} {spec.abbreviation} assessment{'s' if missing != 1 else ''} "
            "without a score left out."
        )

    baseline = points[0] if points else None
    latest = points[-1] if points else None
    return MeasureTrend(
        spec=spec,
        points=tuple(points),
        skipped_missing=missing,
        baseline=baseline,
        latest=latest,
        improvement=None if latest is None else latest.improvement_from_baseline,
        percent=None if latest is None else latest.percent_from_baseline,
        reached_mcid=latest is not None and latest.reaches_mcid_from_baseline,
        plateau=_plateau(spec, points),
        notes=tuple(notes),
    )


def _and_list(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class PlateauVerdict:
    """Whether the case is a plateau candidate, with the reasons in words.

    ``deteriorating`` names the measures that are deteriorating and
    ``deterioration_reasons`` says why, one reason each: such a case is never a candidate
    and needs attention (its own flag on the case page, the board and determination step 2).
    """

    is_candidate: bool
    reasons: tuple[str, ...]
    deteriorating: tuple[str, ...] = ()
    deterioration_reasons: tuple[str, ...] = ()

    @property
    def is_deteriorating(self) -> bool:
        return bool(self.deteriorating)


def _names_verb(names: Sequence[str], singular: str, plural: str) -> str:
    return f"{_and_list(names)} {singular if len(names) == 1 else plural}"


def plateau_candidate(
    trends: Sequence[MeasureTrend], *, restrictions_changed: bool
) -> PlateauVerdict:
    """Decide whether a case is a plateau candidate (docs/domain.md §5).

    A candidate tracks at least one measure, every tracked measure has plateaued, and the
    restrictions have not changed over the window (the caller decides that and passes
    ``restrictions_changed``). A deteriorating measure is not a plateau, so a case with one
    is never a candidate. This flags the case for an MMI review, as Texas lets a carrier
    presume MMI for review after no improvement across two or more exams (28 TAC 130.4);
    it is not a determination. The first reason is the verdict, then one reason per
    measure, then the restrictions.
    """
    restrictions_reason = (
        "Restrictions changed over the window."
        if restrictions_changed
        else "Restrictions have not changed over the window."
    )
    if not trends:
        return PlateauVerdict(
            is_candidate=False,
            reasons=(
                "Not a plateau candidate: no outcome measure is tracked.",
                restrictions_reason,
            ),
        )

    measure_reasons = tuple(f"{trend.plateau.reason}." for trend in trends)

    def named(status: PlateauStatus) -> list[str]:
        return [trend.spec.abbreviation for trend in trends if trend.plateau.status is status]

    deteriorating = named(PlateauStatus.DETERIORATING)
    improving = named(PlateauStatus.IMPROVING)
    unknown = named(PlateauStatus.NOT_ENOUGH_DATA)
    names = ", ".join(trend.spec.abbreviation for trend in trends)
    is_candidate = not (deteriorating or improving or unknown or restrictions_changed)
    if is_candidate:
        verdict = (
            f"Plateau candidate: every tracked measure ({names}) has plateaued and "
            "restrictions have not changed."
        )
    else:
        why: list[str] = []
        if deteriorating:
            why.append(
                _names_verb(deteriorating, "is", "are")
                + " deteriorating and "
                + ("needs" if len(deteriorating) == 1 else "need")
                + " attention"
            )
        if improving:
            why.append(_names_verb(improving, "is", "are") + " still improving")
        if unknown:
            why.append(_names_verb(unknown, "has", "have") + " not enough data")
        if restrictions_changed:
            why.append("restrictions changed")
        verdict = f"Not a plateau candidate: {'; '.join(why)}."
    return PlateauVerdict(
        is_candidate=is_candidate,
        reasons=(verdict, *measure_reasons, restrictions_reason),
        deteriorating=tuple(deteriorating),
        deterioration_reasons=tuple(
            f"{trend.plateau.reason}." for trend in trends if trend.plateau.deteriorating
        ),
    )


@dataclass(frozen=True)
class RestrictionSet:
    """The work restrictions one work status puts in force from ``effective_from`` until the
    next status replaces it (docs/domain.md §7). ``terms`` holds whatever the caller compares: the
    status kind, its hours a day and one entry per restriction."""

    effective_from: dt.date
    terms: frozenset[Hashable]


def restrictions_changed(
    history: Iterable[RestrictionSet], *, start: dt.date, end: dt.date
) -> bool:
    """Whether the restrictions changed between ``start`` and ``end`` (docs/domain.md §5: a plateau
    candidate's "restrictions have not changed").

    Each status replaces the one before it. A status dated after ``start`` and on or before
    ``end`` is a change when its terms differ from those in force before it; a status
    renewed with the same terms is not. The first status on record differs from having
    none, so one first issued inside the window is a change: the clinician set new limits.
    Same-day statuses keep the order given.
    """
    in_force: frozenset[Hashable] | None = None
    for entry in sorted(history, key=lambda e: e.effective_from):
        if start < entry.effective_from <= end and entry.terms != in_force:
            return True
        in_force = entry.terms
    return False
