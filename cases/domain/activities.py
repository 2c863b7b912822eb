"""Which row of the Texas work status report's grid a restriction belongs to (DWC073 part III,
docs/domain.md §7).

A restriction names its activity in the clinician's words ("stand", "overhead reach"); the
form has a fixed row for each of thirteen activities, ticked at 0, 2, 4, 6 or 8 hours a day,
and an "other" line. Words are matched, never guessed: an activity that names none of the
rows goes on the "other" line as written.
"""

POSTURE_ACTIVITIES = ("standing", "sitting", "kneeling", "bending", "pushing", "twisting")
MOTION_ACTIVITIES = (
    "walking",
    "climbing",
    "grasping",
    "wrist",
    "overhead",
    "reaching",
    "keyboarding",
)
GRID_ACTIVITIES = POSTURE_ACTIVITIES + MOTION_ACTIVITIES
GRID_HOURS = (0, 2, 4, 6, 8)

# Word stems, most specific first: "overhead reach" is overhead reaching, not reaching.
_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("overhead", ("overhead",)),
    ("wrist", ("wrist",)),
    ("keyboarding", ("keyboard", "typing")),
    ("grasping", ("grasp", "squeez", "grip")),
    ("climbing", ("climb", "stairs", "ladder")),
    ("kneeling", ("kneel", "squat", "crouch")),
    ("bending", ("bend", "stoop")),
    ("pushing", ("push", "pull")),
    ("twisting", ("twist",)),
    ("standing", ("stand",)),
    ("sitting", ("sit",)),
    ("walking", ("walk",)),
    ("reaching", ("reach",)),
)


def grid_activity(activity: str) -> str:
    """The grid row the activity's words name, or "" when they name none."""
    words = activity.lower()
    for row, stems in _STEMS:
        if any(stem in words for stem in stems):
            return row
    return ""


def grid_hours(hours: float | None) -> int | None:
    """The grid column for a limit of ``hours`` a day, or None when it falls between them."""
    if hours is None:
        return None
    for column in GRID_HOURS:
        if hours == column:
            return column
    return None


# The body parts the form has a box for, by the record's body part (cases.models.BodyPart)
# and side; "both" ticks the two.
_BODY_BOXES = {
    "wrist_hand": "hand/wrist",
    "shoulder": "arm",
    "elbow": "arm",
    "knee": "leg",
    "hip": "leg",
    "ankle_foot": "foot/ankle",
}


def body_part_boxes(body_part: str, side: str) -> tuple[str, ...]:
    """The DWC073 box 15 boxes for a restriction of ``body_part`` on ``side`` ("Left arm",
    "Back" …); none when the form has no box for it (it goes on the "other" line)."""
    if body_part == "neck":
        return ("Neck",)
    if body_part == "lower_back":
        return ("Back",)
    limb = _BODY_BOXES.get(body_part)
    if limb is None or side not in ("left", "right", "both"):
        return ()
    sides = ("Left", "Right") if side == "both" else (side.title(),)
    return tuple(f"{each} {limb}" for each in sides)
