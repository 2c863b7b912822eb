"""A case's questionnaire plan stops when MMI is certified (cases/events.py). Closure is
caught when the plan next sends: the case's status is read then (services._plan_send)."""

from typing import Any

from cases import events
from cases.models import Determination

from .models import PlanStop
from .tasks import stop_plans_of_case


def _certification_signed(sender: type, determination: Determination, **kwargs: Any) -> None:
    if determination.mmi_reached:
        stop_plans_of_case.delay(case_id=determination.case_id, reason=PlanStop.MMI)


def connect() -> None:
    events.certification_signed.connect(_certification_signed, dispatch_uid="patient-links-mmi")
    # An amendment is a signed certification too: one that finds MMI stops the plan.
    events.certification_amended.connect(
        _certification_signed, dispatch_uid="patient-links-amended"
    )
