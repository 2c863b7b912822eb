"""Rules for a case wherever it is: its review date and its work status."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, QuerySet, When
from django.db.models import Case as Choose

from cases.models import Case, CaseStatus, WorkStatus

from .base import Due, Finding, Rule, on
from .people import on_care_team

# As the board's "Work status expiring within 7 days or expired" (cases/selectors/
# worklists.py): a week is the time to book the visit that renews it.
WORK_STATUS_LEAD = timedelta(days=7)


class ReviewDateReached(Rule):
    """An open case whose next review date has come. The task goes to the case manager, who
    sets review dates, and closes itself when the review date is moved or cleared or the
    case closes (a new review date reached opens a new task)."""

    key = "review-date-reached"
    name = "Review date reached"
    ended = "The review date was moved, or the case closed."

    @staticmethod
    def judge(review_on: date) -> Due:
        return Due(opens_on=review_on, due_on=review_on)

    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        rows = (
            cases.exclude(status=CaseStatus.CLOSED)
            .filter(next_review_date__lte=today)
            .values_list("pk", "next_review_date", "case_manager_id")
        )
        for pk, review_on, manager_id in rows:
            assert review_on is not None  # the query keeps cases with a review date
            if not self.judge(review_on).holds_on(today):
                continue
            yield Finding(
                case_id=pk,
                subject=f"case:{pk}:review:{review_on.isoformat()}",
                due_on=review_on,
                title="Review the case",
                text=(
                    f"The case's review date, {on(review_on)}, has come. Setting the next "
                    "review date on the case closes this task."
                ),
                assignee_id=manager_id,
            )


class WorkStatusExpiring(Rule):
    """The current work status of an open case (its latest) runs out within 7 days, or has.
    The task goes to the clinician who issued it while they are on the care team, else to
    the case manager, and closes itself when a newer work status is issued (renewed, or
    the permanent status of a certification) or the case closes."""

    key = "work-status-expiring"
    name = "Work status expiring"
    ended = "A newer work status was issued, or the case closed."

    @staticmethod
    def judge(expected_through: date) -> Due:
        return Due(opens_on=expected_through - WORK_STATUS_LEAD, due_on=expected_through)

    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        newer = WorkStatus.objects.filter(
            Q(effective_from__gt=OuterRef("effective_from"))
            | Q(effective_from=OuterRef("effective_from"), pk__gt=OuterRef("pk")),
            case=OuterRef("case"),
        )
        rows = (
            WorkStatus.objects.filter(
                case__in=cases.exclude(status=CaseStatus.CLOSED),
                expected_through__lte=today + WORK_STATUS_LEAD,
            )
            .exclude(Exists(newer))
            .annotate(
                assignee=Choose(
                    When(on_care_team("issued_by_id"), then=F("issued_by_id")),
                    default=F("case__case_manager_id"),
                    output_field=BigIntegerField(),
                )
            )
            .values_list("pk", "case_id", "kind", "expected_through", "assignee")
        )
        kinds = dict(WorkStatus.Kind.choices)
        for pk, case_id, kind, through, assignee_id in rows:
            assert through is not None  # the query keeps statuses that run out
            if not self.judge(through).holds_on(today):
                continue
            verb = "ran out" if through < today else "runs out"
            yield Finding(
                case_id=case_id,
                subject=f"work-status:{pk}",
                due_on=through,
                title="Work status expiring: renew it",
                text=(
                    f"The work status “{kinds[kind]}” {verb} on {on(through)}. Issuing a "
                    "new work status after the next visit closes this task."
                ),
                assignee_id=assignee_id,
            )
