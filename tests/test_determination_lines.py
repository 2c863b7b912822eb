"""What the determination page and report say for a step nobody has answered yet."""

from cases.determination_steps import STEPS_BY_SLUG
from cases.models import Determination


def test_unanswered_psychological_readiness_reads_as_not_answered_not_as_a_placeholder():
    lines = STEPS_BY_SLUG["clinical"].report_lines(Determination(diagnosis_codes=""), None)
    readiness = next(line for line in lines if line.label.startswith("Psychological"))
    assert readiness.text == ""
