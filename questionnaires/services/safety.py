"""The safety alert: an answer above an item's alert (PHQ-9 item 9, "thoughts that you would
be better off dead or of hurting yourself") tells the case's clinicians at once, in the app
and by email (docs/domain.md §12)."""

from cases.models import Role
from notifications.services import notify

from ..models import Response


def safety_alert_send(*, response: Response, items: tuple[str, ...]) -> None:
    """Alert the clinicians of the response's case. The email says only that there is a
    safety alert on the claim (never the answer); the in-app text names the item."""
    case = response.case
    abbreviation = response.definition.instrument.abbreviation
    names = ", ".join(items)
    notify(
        recipients=case.care_team.filter(role=Role.CLINICIAN, is_active=True),
        kind="safety_alert",
        case=case,
        text=(
            f"{abbreviation} item {names} answered above 0 on {response.date:%b %-d, %Y}: "
            "contact the patient today."
        ),
        link=f"{case.get_absolute_url()}#assessments",
        actor=response.entered_by,
        email_text="A questionnaire answer on this claim needs a clinician's attention today.",
    )
