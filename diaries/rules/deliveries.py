"""Rules on the copies of issued documents and each party's dispute window (docs/domain.md
§2 and §10), read from the deliveries' own records (deliveries/models.py) in bulk, with the
window's own rule (deliveries/domain/windows.py)."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.db.models import (
    BigIntegerField,
    DateField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Case as Choose
from django.utils import timezone

from cases.domain.jurisdictions import for_code
from cases.models import Case, Determination, Dispute, WorkStatus
from deliveries.domain.parties import DISPUTING_PARTIES, Party
from deliveries.domain.windows import PartyDispute, WindowState, party_window
from deliveries.models import Delivery, Recipient

from .base import Due, Finding, Rule, on

# A copy not delivered two days after the document was issued is chased.
UNDELIVERED_AFTER = timedelta(days=2)
# A party's window is watched from 14 days before it closes.
WINDOW_WARNING = timedelta(days=14)
# No jurisdiction MMI Tracker knows keeps a window open this long after a delivery (Texas:
# 90 days): older deliveries are not read.
LONGEST_WINDOW = timedelta(days=365)


def _standing(recipient: str = "pk") -> QuerySet[Delivery]:
    return Delivery.objects.filter(recipient=OuterRef(recipient), withdrawal__isnull=True)


class CopiesUndelivered(Rule):
    """Copies of a document in force (the certification in force, the case's current work
    status) still undelivered to a party on its distribution list two days after it was
    signed or issued. One task a document, for the case manager, who records the copies
    mailed, faxed or handed over; it closes itself once every party has a delivery (or the
    document is replaced)."""

    key = "copies-undelivered"
    name = "Copies undelivered"
    ended = "Every copy was delivered, or the document was replaced."

    @staticmethod
    def judge(issued_on: date) -> Due:
        chase_on = issued_on + UNDELIVERED_AFTER
        return Due(opens_on=chase_on, due_on=chase_on)

    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        newer = WorkStatus.objects.filter(
            Q(effective_from__gt=OuterRef("work_status__effective_from"))
            | Q(
                effective_from=OuterRef("work_status__effective_from"),
                pk__gt=OuterRef("work_status_id"),
            ),
            case=OuterRef("case_id"),
        )
        latest_issue = _start_of(today - UNDELIVERED_AFTER + timedelta(days=1))
        rows = (
            Recipient.objects.filter(case__in=cases)
            .filter(
                Q(
                    determination__status=Determination.Status.SIGNED,
                    determination__signed_at__lt=latest_issue,
                )
                | Q(work_status__isnull=False, work_status__created_at__lt=latest_issue)
            )
            .exclude(Q(work_status__isnull=False) & Exists(newer))
            .exclude(Exists(_standing()))
            .values_list(
                "case_id",
                "determination_id",
                "determination__version",
                "determination__signed_at",
                "work_status_id",
                "work_status__created_at",
                "party",
                "case__case_manager_id",
            )
            .order_by("case_id", "pk")
        )
        documents: dict[str, list] = defaultdict(list)
        for row in rows:
            subject = f"certification:{row[1]}" if row[1] else f"work-status:{row[4]}"
            documents[subject].append(row)
        labels = dict(Recipient.PartyChoice.choices)
        for subject, waiting in documents.items():
            case_id, determination_id, version, signed_at, _, created_at, _, manager_id = waiting[0]
            issued_at: datetime = signed_at if determination_id else created_at
            issued_on = timezone.localdate(issued_at)
            due = self.judge(issued_on)
            if not due.holds_on(today):
                continue
            what = f"MMI certification v{version}" if determination_id else "work status report"
            parties = ", ".join(labels[row[6]] for row in waiting)
            yield Finding(
                case_id=case_id,
                subject=f"{subject}:undelivered",
                due_on=due.due_on,
                title=f"Deliver the {what}",
                text=(
                    f"Issued {on(issued_on)}; no copy recorded as delivered yet to: {parties}. "
                    "Each party's own delivery starts its own window. Recording each "
                    "delivery closes this task."
                ),
                assignee_id=manager_id,
            )


class WindowClosing(Rule):
    """A party's window to dispute the certification in force closes within 14 days, counted
    from that party's own first delivery (Labor Code §408.123(e); 28 TAC 130.12(b)), and
    that party has filed no dispute. The task goes to the case's adjuster for the carrier's
    own window (the carrier decides whether to dispute), else to the case manager, who
    records disputes; it closes itself when the party disputes, the window closes, the
    delivery is withdrawn or the certification is replaced."""

    key = "dispute-window-closing"
    name = "Dispute window closing"
    ended = "The party disputed, the window closed, or the certification was replaced."

    @staticmethod
    def judge(last_day: date) -> Due:
        return Due(opens_on=last_day - WINDOW_WARNING, due_on=last_day)

    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        first_delivery = (
            Delivery.objects.filter(recipient=OuterRef("pk"), withdrawal__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(first=Min("delivered_on"))
            .values("first")
        )
        rows = list(
            Recipient.objects.filter(
                case__in=cases,
                determination__status=Determination.Status.SIGNED,
                party__in=[party.value for party in DISPUTING_PARTIES],
            )
            .annotate(
                delivered_on=Subquery(first_delivery, output_field=DateField()),
                assignee=Choose(
                    When(
                        party=Party.CARRIER,
                        case__adjuster__isnull=False,
                        then=F("case__adjuster_id"),
                    ),
                    default=F("case__case_manager_id"),
                    output_field=BigIntegerField(),
                ),
            )
            .filter(delivered_on__gte=today - LONGEST_WINDOW)
            .values_list(
                "pk",
                "case_id",
                "party",
                "delivered_on",
                "determination_id",
                "determination__version",
                "determination__jurisdiction",
                "case__jurisdiction",
                "assignee",
            )
        )
        disputes: dict[tuple[int, str], list[PartyDispute]] = defaultdict(list)
        for determination_id, party, received_on, outcome in Dispute.objects.filter(
            determination_id__in={row[4] for row in rows}
        ).values_list("determination_id", "disputed_by", "received_on", "outcome"):
            disputes[(determination_id, party)].append(
                PartyDispute(received_on=received_on, late=outcome == Dispute.Outcome.LATE)
            )
        labels = dict(Recipient.PartyChoice.choices)
        for pk, case_id, party, delivered_on, determination_id, version, *rest in rows:
            certified_in, case_in, assignee_id = rest
            window = party_window(
                delivered_on=[delivered_on],
                dispute_deadline=for_code(certified_in or case_in).dispute_deadline,
                disputes=disputes[(determination_id, DISPUTING_PARTIES[Party(party)])],
                today=today,
            )
            if window.state != WindowState.OPEN or window.last_day is None:
                continue
            due = self.judge(window.last_day)
            if not due.holds_on(today):
                continue
            warning = (
                f" It is not a working day: the next one is {on(window.next_working_day)}, "
                "but 28 TAC 130.12(b) says the 90 days may not be extended."
                if window.next_working_day
                else ""
            )
            yield Finding(
                case_id=case_id,
                subject=f"recipient:{pk}:window",
                due_on=window.last_day,
                title=f"Dispute window closing: {labels[party]}",
                text=(
                    f"The {labels[party].lower()} received MMI certification v{version} on "
                    f"{on(delivered_on)}; their window to dispute it closes on "
                    f"{on(window.last_day)} (Labor Code §408.123(e); 28 TAC 130.12(b)).{warning} "
                    "A dispute recorded for that party closes this task."
                ),
                assignee_id=assignee_id,
            )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
