"""Which row of the DWC073 grid, and which body-part box, a restriction belongs to."""

from cases.domain.activities import body_part_boxes, grid_activity, grid_hours


def test_overhead_reaching_is_not_plain_reaching():
    assert grid_activity("Overhead reach") == "overhead"
    assert grid_activity("reach forward") == "reaching"


def test_the_clinicians_words_name_their_row():
    assert grid_activity("Stand") == "standing"
    assert grid_activity("squat") == "kneeling"
    assert grid_activity("Climb ladders") == "climbing"
    assert grid_activity("typing") == "keyboarding"


def test_an_activity_the_grid_lacks_goes_on_the_other_line():
    assert grid_activity("crawl") == ""


def test_only_the_grid_columns_are_ticked():
    assert grid_hours(4) == 4
    assert grid_hours(0.0) == 0
    assert grid_hours(3) is None
    assert grid_hours(None) is None


def test_both_sides_tick_both_boxes_and_a_part_without_a_box_ticks_none():
    assert body_part_boxes("wrist_hand", "both") == ("Left hand/wrist", "Right hand/wrist")
    assert body_part_boxes("shoulder", "right") == ("Right arm",)
    assert body_part_boxes("lower_back", "") == ("Back",)
    assert body_part_boxes("head", "") == ()
    assert body_part_boxes("knee", "") == ()
