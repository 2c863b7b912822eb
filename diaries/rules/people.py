"""Whom a rule's task goes to, read in the rule's own query (no query per case)."""

from django.db.models import BigIntegerField, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from cases.models import Case


def treating_clinician_or_case_manager() -> Coalesce:
    """Annotates a query of cases with the case's treating doctor as the diaries take it:
    the first active clinician put on its care team, those who may certify MMI before those
    who may not; without one, the case manager."""
    first_on_team = (
        Case.care_team.through.objects.filter(case_id=OuterRef("pk"), user__is_active=True)
        .order_by("-user__may_certify_mmi", "pk")
        .values("user_id")[:1]
    )
    return Coalesce(Subquery(first_on_team), F("case_manager_id"), output_field=BigIntegerField())


def on_care_team(user: str) -> Exists:
    """Annotates a query of records with whether the user at lookup ``user`` is still on
    their case's care team."""
    return Exists(
        Case.care_team.through.objects.filter(case_id=OuterRef("case_id"), user_id=OuterRef(user))
    )
