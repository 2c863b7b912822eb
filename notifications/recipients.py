"""Who each case event concerns (docs/architecture.md, "Notifications"). Everyone named here
is still filtered by ``notify`` to those who may see the case (cases/access.py).

"Everyone who received the earlier version" of an amended or rescinded certification is,
for now, the parties the product knows to hold it: the case's adjuster, its case manager
and its care team.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cases.models import Case, Determination, Dispute, User


@dataclass(frozen=True)
class Receipt:
    """One user who received a version, and the day they did."""

    user: User
    on: date


def case_parties(case: Case) -> list[User | None]:
    """The case's adjuster (the carrier's) and its case manager."""
    return [case.adjuster, case.case_manager]


def receipts_of(determination: Determination) -> list[Receipt]:
    """Who received this signed version, and when: the case's adjuster, case manager and
    care team, on the day it was signed."""
    case = determination.case
    assert determination.signed_at is not None, "only a signed version is received"
    received = timezone.localtime(determination.signed_at).date()
    people = [*case_parties(case), *case.care_team.all()]
    return [Receipt(user, received) for user in people if user is not None]


def dispute_parties(dispute: Dispute) -> list[User | None]:
    """The certifying doctor, the case manager and the adjuster."""
    case = dispute.case
    return [dispute.determination.certifying_clinician, case.case_manager, case.adjuster]


def record_parties(case: Case) -> list[User | None]:
    """The care team and the case manager."""
    return [*case.care_team.all(), case.case_manager]
