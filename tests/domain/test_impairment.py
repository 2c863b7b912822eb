"""Combined Values Chart, level conversions and itemised whole person ratings (docs/domain.md §3).

Expected values are worked by hand in the comments; no database, no Django.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cases.domain.impairment import (
    ImpairmentError,
    ImpairmentItem,
    Level,
    Mode,
    Operation,
    add,
    combine,
    convert,
    rate_whole_person,
    round_half_up,
)

REPO = Path(__file__).resolve().parents[2]


def test_impairment_rules_do_not_import_django() -> None:
    code = "import sys, cases.domain.impairment; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("23.5"), 24),
        (Decimal("49.6"), 50),
        (Decimal("49.4"), 49),
        (Decimal("0.5"), 1),
        (Decimal("13.5"), 14),
        (Decimal("8.4"), 8),
        (Decimal("100"), 100),
        (7, 7),
        (0, 0),
    ],
)
def test_round_half_up_rounds_halves_up(value: Decimal | int, expected: int) -> None:
    assert round_half_up(value) == expected


@pytest.mark.parametrize("value", ["abc", 1.5, None, True, Decimal("NaN")])
def test_round_half_up_refuses_what_is_not_an_exact_number(value: object) -> None:
    with pytest.raises(ImpairmentError, match="must be a number"):
        round_half_up(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # docs/domain.md §3 examples.
        ([50, 30], 65),
        ([15, 10], 24),  # 15 + 10 × 0.85 = 23.5 → 24
        ([30, 20, 10], 50),  # 44 → 44 + 10 × 0.56 = 49.6 → 50
        # Own cases.
        ([20, 20], 36),  # 20 + 20 × 0.80 = 36
        ([60, 40, 25], 82),  # 60 + 40 × 0.40 = 76; 76 + 25 × 0.24 = 82
        ([10, 5], 15),  # 10 + 5 × 0.90 = 14.5 → 15
        ([0, 0], 0),
        ([100, 50], 100),  # never above 100
        ([100, 100, 100], 100),
        ([40], 40),
        ([Decimal("23.5")], 24),
        ([Decimal("12.5"), 10], 21),  # 12.5 + 10 × 0.875 = 21.25 → 21
    ],
)
def test_combine(values: list[int | Decimal], expected: int) -> None:
    assert combine(values).result == expected


def test_combine_shows_each_step_with_its_rounding() -> None:
    working = combine([10, 30, 20])
    assert [step.text for step in working.steps] == [
        "Combine 30 % and 20 %: 30 + 20 × (1 − 0.30) = 44 %",
        "Combine 44 % and 10 %: 44 + 10 × (1 − 0.44) = 49.6 %, rounded to 50 %",
    ]
    assert [(step.inputs, step.exact, step.result) for step in working.steps] == [
        ((Decimal(30), Decimal(20)), Decimal(44), 44),
        ((Decimal(44), Decimal(10)), Decimal("49.6"), 50),
    ]
    assert {step.operation for step in working.steps} == {Operation.COMBINE}


def test_combine_text_matches_the_domain_example() -> None:
    (step,) = combine([30, 50]).steps
    assert step.text == "Combine 50 % and 30 %: 50 + 30 × (1 − 0.50) = 65 %"


def test_combine_of_one_value_says_there_is_nothing_to_combine() -> None:
    (step,) = combine([40]).steps
    assert step.text == "Only one value, nothing to combine: 40 %"


@pytest.mark.parametrize("order", list(itertools.permutations([10, 30, 20, 5])))
def test_combine_does_not_depend_on_the_order_given(order: tuple[int, ...]) -> None:
    # 30 ⊕ 20 = 44; 44 ⊕ 10 = 49.6 → 50; 50 ⊕ 5 = 52.5 → 53
    assert combine(order).result == 53


def test_rounding_after_each_step_differs_from_rounding_once_at_the_end() -> None:
    # Per step: 15 ⊕ 10 = 23.5 → 24; 24 + 10 × 0.76 = 31.6 → 32.
    # Once: 1 − 0.85 × 0.90 × 0.90 = 0.3115 → 31 %.
    exact_once = (1 - Decimal("0.85") * Decimal("0.90") * Decimal("0.90")) * 100
    assert round_half_up(exact_once) == 31
    assert combine([15, 10, 10]).result == 32


@pytest.mark.parametrize(
    ("values", "expected", "text"),
    [
        ([10, 5, 3], 18, "Add 10 + 5 + 3 = 18 %"),
        ([60, 50], 100, "Add 60 + 50 = 110 %, capped at 100 %"),
        ([Decimal("2.5"), 3], 6, "Add 2.5 + 3 = 5.5 %, rounded to 6 %"),
        ([7], 7, "Only one value, nothing to add: 7 %"),
        ([0, 0], 0, "Add 0 + 0 = 0 %"),
    ],
)
def test_add_sums_and_caps_at_100(values: list[int | Decimal], expected: int, text: str) -> None:
    working = add(values)
    assert working.result == expected
    assert [step.text for step in working.steps] == [text]


@pytest.mark.parametrize("function", [combine, add])
@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([-1], "Value 1 to .* cannot be negative \\(got -1 %\\)"),
        ([50, 101], "Value 2 to .* cannot be above 100 % \\(got 101 %\\)"),
        ([50, "abc"], "Value 2 to .* must be a number, got 'abc'"),
        ([1.5], "must be a number"),
        ([], "There are no values to"),
        ("50", "as a list of numbers"),
        (None, "as a list of numbers"),
    ],
)
def test_add_and_combine_refuse_bad_values(function: object, values: object, message: str) -> None:
    with pytest.raises(ImpairmentError, match=message):
        function(values)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("level", "value", "expected"),
    [
        # docs/domain.md §3 example: 75 × 20 % = 15; 15 × 90 % = 13.5 → 14; 14 × 60 % = 8.4 → 8.
        ("index", 75, [("index", 75), ("hand", 15), ("upper_extremity", 14), ("whole_person", 8)]),
        # 50 × 40 % = 20; 20 × 90 % = 18; 18 × 60 % = 10.8 → 11.
        ("thumb", 50, [("thumb", 50), ("hand", 20), ("upper_extremity", 18), ("whole_person", 11)]),
        # 45 × 20 % = 9; 9 × 90 % = 8.1 → 8; 8 × 60 % = 4.8 → 5.
        ("middle", 45, [("middle", 45), ("hand", 9), ("upper_extremity", 8), ("whole_person", 5)]),
        # 35 × 10 % = 3.5 → 4; 4 × 90 % = 3.6 → 4; 4 × 60 % = 2.4 → 2.
        ("ring", 35, [("ring", 35), ("hand", 4), ("upper_extremity", 4), ("whole_person", 2)]),
        # 25 × 10 % = 2.5 → 3; 3 × 90 % = 2.7 → 3; 3 × 60 % = 1.8 → 2.
        ("little", 25, [("little", 25), ("hand", 3), ("upper_extremity", 3), ("whole_person", 2)]),
        # 50 × 90 % = 45; 45 × 60 % = 27.
        ("hand", 50, [("hand", 50), ("upper_extremity", 45), ("whole_person", 27)]),
        # 100 × 90 % = 90; 90 × 60 % = 54.
        ("hand", 100, [("hand", 100), ("upper_extremity", 90), ("whole_person", 54)]),
        # 25 × 60 % = 15.
        ("upper_extremity", 25, [("upper_extremity", 25), ("whole_person", 15)]),
        # 30 × 70 % = 21; 21 × 40 % = 8.4 → 8.
        ("foot", 30, [("foot", 30), ("lower_extremity", 21), ("whole_person", 8)]),
        # 5 × 70 % = 3.5 → 4; 4 × 40 % = 1.6 → 2.
        ("foot", 5, [("foot", 5), ("lower_extremity", 4), ("whole_person", 2)]),
        # 15 × 40 % = 6.
        ("lower_extremity", 15, [("lower_extremity", 15), ("whole_person", 6)]),
        ("whole_person", 12, [("whole_person", 12)]),
        ("thumb", 0, [("thumb", 0), ("hand", 0), ("upper_extremity", 0), ("whole_person", 0)]),
    ],
)
def test_convert_each_level_up_to_whole_person(
    level: str, value: int, expected: list[tuple[str, int]]
) -> None:
    conversion = convert(level, value)
    assert [(level.value, percent) for level, percent in conversion.values] == expected
    assert conversion.whole_person == expected[-1][1]
    assert len(conversion.steps) == len(expected) - 1


def test_convert_shows_each_conversion() -> None:
    conversion = convert(Level.INDEX, Decimal("75"))
    assert [step.text for step in conversion.steps] == [
        "Index finger 75 % → hand: 75 × 20 % = 15 %",
        "Hand 15 % → upper extremity: 15 × 90 % = 13.5 %, rounded to 14 %",
        "Upper extremity 14 % → whole person: 14 × 60 % = 8.4 %, rounded to 8 %",
    ]
    assert conversion.steps[1].inputs == (Decimal(15), Decimal(90))
    assert conversion.steps[1].exact == Decimal("13.5")


@pytest.mark.parametrize("level", ["Upper extremity", "upper-extremity", " UPPER_EXTREMITY "])
def test_convert_reads_level_names_as_written(level: str) -> None:
    assert convert(level, 25).whole_person == 15


@pytest.mark.parametrize(
    ("level", "value", "message"),
    [
        ("elbow", 10, "Unknown impairment level 'elbow'. Use one of: thumb, index"),
        (None, 10, "Unknown impairment level None"),
        ("index", -5, "The index finger impairment cannot be negative \\(got -5 %\\)"),
        ("index", 101, "The index finger impairment cannot be above 100 % \\(got 101 %\\)"),
        ("foot", "abc", "The foot impairment must be a number, got 'abc'"),
        ("index", Decimal("72.5"), "must be a whole percent \\(got 72.5 %\\)"),
        ("hand", 12.0, "must be a number"),
    ],
)
def test_convert_refuses_bad_input(level: object, value: object, message: str) -> None:
    with pytest.raises(ImpairmentError, match=message):
        convert(level, value)  # type: ignore[arg-type]


def test_impairment_error_is_a_value_error() -> None:
    assert issubclass(ImpairmentError, ValueError)


def _item(region: str, level: str, value: int, mode: str = "combine") -> ImpairmentItem:
    return ImpairmentItem(region=region, level=level, value=value, method="Guides table", mode=mode)


LEFT_ARM = "Left upper extremity"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # One whole person region: nothing to convert.
        ([_item("Lumbar spine", "whole_person", 10)], 10),
        # docs/domain.md §3 example: index 75 → 15 → 14 → 8.
        ([_item(LEFT_ARM, "index", 75)], 8),
        # Digits are added into the hand: thumb 50 → 20, index 75 → 15; 20 + 15 = 35 hand;
        # 35 × 90 % = 31.5 → 32 UE; 32 × 60 % = 19.2 → 19. (Combining 20 and 15 would give
        # 32 hand → 29 UE → 17.)
        ([_item(LEFT_ARM, "thumb", 50), _item(LEFT_ARM, "index", 75)], 19),
        # Two impairments of the same digit are combined at digit level first:
        # index 50 ⊕ 50 = 75 → hand 15 → UE 14 → WP 8.
        ([_item(LEFT_ARM, "index", 50), _item(LEFT_ARM, "index", 50)], 8),
        # Added first, then combined: UE adds 5 + 3 = 8; hand 20 → UE 18; combine 18, 10, 8:
        # 18 + 10 × 0.82 = 26.2 → 26; 26 + 8 × 0.74 = 31.92 → 32; 32 × 60 % = 19.2 → 19.
        (
            [
                _item(LEFT_ARM, "upper_extremity", 5, "add"),
                _item(LEFT_ARM, "upper_extremity", 3, "add"),
                _item(LEFT_ARM, "upper_extremity", 10),
                _item(LEFT_ARM, "hand", 20),
            ],
            19,
        ),
        # Lower limb: foot 30 → LE 21; 21 ⊕ 10 = 28.9 → 29; 29 × 40 % = 11.6 → 12.
        ([_item("Right leg", "foot", 30), _item("Right leg", "lower_extremity", 10)], 12),
        # Two spine regions: 10 ⊕ 5 = 14.5 → 15.
        (
            [_item("Lumbar spine", "whole_person", 10), _item("Cervical spine", "whole_person", 5)],
            15,
        ),
        # Arm 19 (as above, digits added) and lumbar 10: 19 + 10 × 0.81 = 27.1 → 27.
        (
            [
                _item(LEFT_ARM, "thumb", 50),
                _item("Lumbar spine", "whole_person", 10),
                _item(LEFT_ARM, "index", 75),
            ],
            27,
        ),
        # Region names match regardless of case: one arm, 10 ⊕ 10 = 19 UE → 11.4 → 11.
        # (As two regions it would be 6 ⊕ 6 = 11.64 → 12.)
        (
            [
                _item(LEFT_ARM, "upper_extremity", 10),
                _item("left UPPER extremity ", "upper_extremity", 10),
            ],
            11,
        ),
    ],
)
def test_rate_whole_person(items: list[ImpairmentItem], expected: int) -> None:
    assert rate_whole_person(items).result == expected


def test_rate_whole_person_lists_every_step_a_rater_needs() -> None:
    items = [
        ImpairmentItem(LEFT_ARM, Level.THUMB, 50, "Figure 16-15", Mode.COMBINE),
        ImpairmentItem(LEFT_ARM, "index", 75, "Figure 16-21"),
        ImpairmentItem("Lumbar spine", "whole_person", 10, "Table 15-3, DRE category III"),
    ]
    assert [step.text for step in rate_whole_person(items).steps] == [
        "Left upper extremity, thumb: 50 % (Figure 16-15), to be combined",
        "Left upper extremity, index finger: 75 % (Figure 16-21), to be combined",
        "Left upper extremity: Thumb 50 % → hand: 50 × 40 % = 20 %",
        "Left upper extremity: Index finger 75 % → hand: 75 × 20 % = 15 %",
        "Left upper extremity, hand: Add 20 + 15 = 35 %",
        "Left upper extremity: Hand 35 % → upper extremity: 35 × 90 % = 31.5 %, rounded to 32 %",
        "Left upper extremity: Upper extremity 32 % → whole person: 32 × 60 % = 19.2 %, "
        "rounded to 19 %",
        "Lumbar spine, whole person: 10 % (Table 15-3, DRE category III), to be combined",
        "Whole person, all regions: Combine 19 % and 10 %: 19 + 10 × (1 − 0.19) = 27.1 %, "
        "rounded to 27 %",
    ]


def test_item_normalises_level_and_mode() -> None:
    item = ImpairmentItem("Lumbar spine", "Whole person", 10, "Table 15-3", "ADD")
    assert (item.level, item.mode) == (Level.WHOLE_PERSON, Mode.ADD)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"region": " "}, "needs a region"),
        ({"method": ""}, "Lumbar spine: name the Guides table or figure"),
        ({"level": "spine"}, "Unknown impairment level 'spine'"),
        ({"mode": "multiply"}, "Unknown mode 'multiply': use 'add' or 'combine'"),
        ({"value": -1}, "Lumbar spine, whole person impairment cannot be negative"),
        ({"value": 101}, "Lumbar spine, whole person impairment cannot be above 100 %"),
        ({"value": "abc"}, "Lumbar spine, whole person impairment must be a number, got 'abc'"),
    ],
)
def test_item_refuses_bad_input(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "region": "Lumbar spine",
        "level": "whole_person",
        "value": 10,
        "method": "Table 15-3",
        "mode": "combine",
    } | fields
    with pytest.raises(ImpairmentError, match=message):
        ImpairmentItem(**values)  # type: ignore[arg-type]


def test_rate_whole_person_needs_items() -> None:
    with pytest.raises(ImpairmentError, match="no impairments to rate"):
        rate_whole_person([])


def test_rate_whole_person_refuses_what_is_not_an_item() -> None:
    with pytest.raises(ImpairmentError, match="Expected an impairment item, got 12"):
        rate_whole_person([12])  # type: ignore[list-item]


def test_rate_whole_person_refuses_an_arm_and_a_leg_in_one_region() -> None:
    items = [_item("Left side", "index", 20), _item("Left side", "foot", 10)]
    with pytest.raises(ImpairmentError, match="Left side mixes index finger and foot"):
        rate_whole_person(items)


def test_a_whole_person_item_may_sit_in_a_limb_region() -> None:
    # UE 25 → WP 15; 15 ⊕ 5 = 19.25 → 19 within the region.
    items = [_item(LEFT_ARM, "upper_extremity", 25), _item(LEFT_ARM, "whole_person", 5)]
    assert rate_whole_person(items).result == 19
