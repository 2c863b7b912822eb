"""What the determination page and report say for a step nobody has answered yet."""

from cases.models import Determination
from cases.reports.determination_lines import step_lines


def test_unanswered_psychological_readiness_reads_as_not_answered_not_as_a_placeholder():
    lines = step_lines("clinical", Determination(diagnosis_codes=""), None)
    readiness = next(line for line in lines if line.label.startswith("Psychological"))
    assert readiness.text == ""
