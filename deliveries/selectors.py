"""Reads of deliveries (docs/domain.md §10), each with a fixed number of queries.

For the rest of the product:

- ``case_deliveries(case)``: the documents in force on a case (the certification in force,
  the current work status), each with its recipients, their deliveries and windows;
- ``party_windows(determination)``: each party's dispute window of one certification;
- ``undelivered(case_id)``: the recipients of the documents in force still without a
  delivery;
- ``received(determination)``: who received a version (for telling them of its amendment or
  re-opening).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cases.domain.jurisdictions import for_code
from cases.models import Case, Determination, Dispute, User, WorkStatus
from cases.templatetags.dates import day

from .domain.parties import DISPUTING_PARTIES, Party
from .domain.windows import PartyDispute, Window, party_window
from .models import Delivery, DeliveryWithdrawal, Recipient


@dataclass(frozen=True)
class RecipientDeliveries:
    """One recipient of a document: every delivery recorded (withdrawn ones included, for
    the history) and, for a party who may dispute a certification, its window."""

    recipient: Recipient
    deliveries: list[Delivery]
    window: Window | None

    @property
    def standing(self) -> list[Delivery]:
        """The deliveries that count: those not withdrawn."""
        return [delivery for delivery in self.deliveries if not _withdrawn(delivery)]

    @property
    def delivered_on(self) -> date | None:
        return min((delivery.delivered_on for delivery in self.standing), default=None)


@dataclass(frozen=True)
class DocumentDeliveries:
    """An issued document in force and where each of its copies stands."""

    title: str
    determination: Determination | None
    work_status: WorkStatus | None
    recipients: list[RecipientDeliveries] = field(default_factory=list)

    @property
    def waiting(self) -> list[RecipientDeliveries]:
        return [row for row in self.recipients if not row.standing]


def _withdrawn(delivery: Delivery) -> bool:
    try:
        return delivery.withdrawal is not None
    except DeliveryWithdrawal.DoesNotExist:
        return False


def _deliveries_prefetch() -> Prefetch:
    return Prefetch(
        "deliveries",
        queryset=Delivery.objects.select_related(
            "recorded_by", "withdrawal", "withdrawal__withdrawn_by"
        ).order_by("delivered_on", "recorded_at", "pk"),
    )


def _current_work_status(case_id: int) -> QuerySet[WorkStatus]:
    return WorkStatus.objects.filter(case_id=case_id).order_by("-effective_from", "-pk")[:1]


def in_force_q(case_id: int) -> Q:
    """Recipients of the case's documents in force: the certification in force and the
    current work status."""
    return Q(determination__status=Determination.Status.SIGNED) | Q(
        work_status__in=_current_work_status(case_id).values("pk")
    )


def _disputes_by_party(determination_ids: list[int]) -> dict[tuple[int, str], list[PartyDispute]]:
    disputes: dict[tuple[int, str], list[PartyDispute]] = defaultdict(list)
    rows = Dispute.objects.filter(determination_id__in=determination_ids).values_list(
        "determination_id", "disputed_by", "received_on", "outcome"
    )
    for determination_id, party, received_on, outcome in rows:
        disputes[(determination_id, party)].append(
            PartyDispute(received_on=received_on, late=outcome == Dispute.Outcome.LATE)
        )
    return disputes


def _window(
    recipient: Recipient,
    deliveries: list[Delivery],
    disputes: dict[tuple[int, str], list[PartyDispute]],
    today: date,
) -> Window | None:
    disputing_as = DISPUTING_PARTIES.get(Party(recipient.party))
    determination = recipient.determination
    if determination is None or disputing_as is None:
        return None
    jurisdiction = for_code(determination.jurisdiction or recipient.case.jurisdiction)
    return party_window(
        delivered_on=[d.delivered_on for d in deliveries if not _withdrawn(d)],
        dispute_deadline=jurisdiction.dispute_deadline,
        disputes=disputes.get((determination.pk, disputing_as), []),
        today=today,
    )


def _rows(recipients: list[Recipient], today: date) -> list[RecipientDeliveries]:
    disputes = _disputes_by_party(
        sorted({r.determination_id for r in recipients if r.determination_id is not None})
    )
    rows = []
    for recipient in recipients:
        deliveries = list(recipient.deliveries.all())
        rows.append(
            RecipientDeliveries(
                recipient, deliveries, _window(recipient, deliveries, disputes, today)
            )
        )
    return rows


def _title(recipient: Recipient) -> str:
    if recipient.determination is not None:
        return f"MMI certification v{recipient.determination.version}"
    assert recipient.work_status is not None
    return f"Work status as of {day(recipient.work_status.effective_from)}"


def case_deliveries(case: Case, *, today: date | None = None) -> list[DocumentDeliveries]:
    """The case's documents in force (the certification in force, then the current work
    status), each with its recipients in the list's order, their deliveries and, for the
    parties who may dispute a certification, their windows on ``today``. Three queries."""
    recipients = list(
        Recipient.objects.filter(case=case)
        .filter(in_force_q(case.pk))
        .select_related("case", "determination", "work_status")
        .prefetch_related(_deliveries_prefetch())
        .order_by("document", "pk")
    )
    documents: dict[tuple[int | None, int | None], DocumentDeliveries] = {}
    for row in _rows(recipients, today or timezone.localdate()):
        recipient = row.recipient
        key = (recipient.determination_id, recipient.work_status_id)
        if key not in documents:
            documents[key] = DocumentDeliveries(
                _title(recipient), recipient.determination, recipient.work_status
            )
        documents[key].recipients.append(row)
    return list(documents.values())


def party_windows(
    determination: Determination, *, today: date | None = None
) -> list[RecipientDeliveries]:
    """Each recipient of this certification version with its deliveries and, for the
    parties who may dispute it (carrier, employee, employer), its window on ``today``
    (``row.window``: state, delivered_on, last_day, next_working_day; None for the Division
    and a treating doctor). Three queries."""
    recipients = list(
        Recipient.objects.filter(determination=determination)
        .select_related("case", "determination", "work_status")
        .prefetch_related(_deliveries_prefetch())
        .order_by("pk")
    )
    return _rows(recipients, today or timezone.localdate())


def undelivered(case_id: int) -> QuerySet[Recipient]:
    """The recipients of the case's documents in force (the certification in force, the
    current work status) with no delivery standing (none recorded, or every one withdrawn),
    with their document (``determination``, ``work_status``) loaded. One query."""
    standing = Delivery.objects.filter(recipient=OuterRef("pk"), withdrawal__isnull=True)
    return (
        Recipient.objects.filter(case_id=case_id)
        .filter(in_force_q(case_id))
        .filter(~Exists(standing))
        .select_related("determination", "work_status")
        .order_by("document", "pk")
    )


@dataclass(frozen=True)
class Received:
    """Who received a certification version: the users who downloaded it from the portal,
    and the parties a copy was delivered to (by any means)."""

    users: list[User]
    recipients: list[Recipient]


def received(determination: Determination) -> Received:
    """Who received this certification version (a delivery standing, not withdrawn): the
    users whose download recorded a portal delivery, and every recipient with a delivery.
    One query."""
    deliveries = list(
        Delivery.objects.filter(recipient__determination=determination, withdrawal__isnull=True)
        .select_related("recipient", "recorded_by")
        .order_by("pk")
    )
    users = {
        d.recorded_by.pk: d.recorded_by for d in deliveries if d.method == Delivery.Method.PORTAL
    }
    recipients = {d.recipient.pk: d.recipient for d in deliveries}
    return Received(users=list(users.values()), recipients=list(recipients.values()))
