"""Who each case event concerns (docs/architecture.md, "Notifications"). Everyone named here
is still filtered by ``notify`` to those who may see the case (cases/access.py).

"Everyone who received the earlier version" of an amended or rescinded certification is
whoever the deliveries record as having it (``receipts_of``).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min

from cases.models import Case, Determination, Dispute, User
from deliveries.domain.parties import Party
from deliveries.models import Delivery
from deliveries.selectors import received


@dataclass(frozen=True)
class Receipt:
    """One user who received a version, and the day they did."""

    user: User
    on: date


def case_parties(case: Case) -> list[User | None]:
    """The case's adjuster (the carrier's) and its case manager."""
    return [case.adjuster, case.case_manager]


def receipts_of(determination: Determination) -> list[Receipt]:
    """Who received this signed version, and the first day they did (deliveries/selectors.py
    ``received``): each user whose download recorded a portal delivery and, when a copy to
    the carrier stands (by fax, e-mail, mail or hand), the case's adjuster, who works for
    it. A withdrawn delivery does not count."""
    got = received(determination)
    standing = Delivery.objects.filter(
        recipient__determination=determination, withdrawal__isnull=True
    )
    first_days = dict(
        standing.filter(method=Delivery.Method.PORTAL)
        .values("recorded_by")
        .annotate(first=Min("delivered_on"))
        .values_list("recorded_by", "first")
    )
    receipts = {user.pk: Receipt(user, first_days[user.pk]) for user in got.users}
    adjuster = determination.case.adjuster
    to_carrier = [recipient for recipient in got.recipients if recipient.party == Party.CARRIER]
    if to_carrier and adjuster is not None and adjuster.pk not in receipts:
        first = standing.filter(recipient__in=to_carrier).aggregate(first=Min("delivered_on"))
        receipts[adjuster.pk] = Receipt(adjuster, first["first"])
    return list(receipts.values())


def dispute_parties(dispute: Dispute) -> list[User | None]:
    """The certifying doctor, the case manager and the adjuster."""
    case = dispute.case
    return [dispute.determination.certifying_clinician, case.case_manager, case.adjuster]


def record_parties(case: Case) -> list[User | None]:
    """The care team and the case manager."""
    return [*case.care_team.all(), case.case_manager]
