"""Who sees and records deliveries, by the capabilities of cases/access.py: the deliveries of
a case go to those who may see the case; recording or withdrawing one takes
``Capability.RECORD_DELIVERY`` (case managers, the care team's clinicians, administrators).
A delivery the user may not see answers 404, like one that does not exist; an action their
role may not take answers 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cases.access import Capability, has_capability, of_visible_cases
from cases.models import User

from .models import Delivery


def deliveries_visible_to(user: User) -> QuerySet[Delivery]:
    """The deliveries of the cases the user may see."""
    return Delivery.objects.filter(of_visible_cases(user))


def get_delivery_for(
    user: User, delivery_id: int, *, capability: Capability | None = None
) -> Delivery:
    """The delivery, if the user may see its case (404 otherwise) and, when a capability is
    named, may do that (403 otherwise)."""
    delivery = (
        deliveries_visible_to(user)
        .select_related(
            "case", "case__patient", "recipient__determination", "recipient__work_status"
        )
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise Http404("No such delivery.")
    if capability is not None and not has_capability(user, capability):
        raise PermissionDenied("Your role may not record deliveries.")
    return delivery
