"""California rules (docs/domain.md §8)."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import DateField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from cases.models import Case, CaseStatus, WorkStatus

from .base import Due, Finding, Rule, on
from .people import treating_clinician_or_case_manager

CALIFORNIA = "CA"
# 8 CCR 9785: a progress report at least every 45 days.
PR2_INTERVAL = timedelta(days=45)
# The task appears a week before the report is due, as the work status lists warn.
PR2_LEAD = timedelta(days=7)


class PR2Due(Rule):
    """A California case in treatment whose primary treating physician's progress report
    (PR-2) falls due: at least every 45 days (8 CCR 9785).

    What counts as the last PR-2: the case's latest work status report, which in this record
    is the progress report a treating doctor issues after a visit (the status, its
    restrictions and the next visit): its visit date, or its "as of" date when no visit date
    was given. A case with none yet counts from the day it was opened. The task appears a
    week before the due day, goes to the treating doctor (people.py) and closes itself when
    a newer report is issued, or the case reaches permanent and stationary (the PR-4 then
    follows) or closes."""

    key = "ca-pr2-due"
    name = "PR-2 due"
    ended = "A newer progress report was issued, or the case is permanent and stationary."

    @staticmethod
    def judge(last_report: date) -> Due:
        due_on = last_report + PR2_INTERVAL
        return Due(opens_on=due_on - PR2_LEAD, due_on=due_on)

    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        latest = (
            WorkStatus.objects.filter(case=OuterRef("pk"))
            .order_by("-effective_from", "-pk")
            .annotate(reported_on=Coalesce("visited_on", "effective_from"))
            .values("reported_on")[:1]
        )
        rows = (
            cases.filter(jurisdiction=CALIFORNIA)
            .exclude(status__in=[CaseStatus.CLOSED, CaseStatus.AT_MMI])
            .annotate(
                last_report=Coalesce(
                    Subquery(latest, output_field=DateField()),
                    TruncDate(F("opened_at")),
                ),
                assignee=treating_clinician_or_case_manager(),
            )
            .filter(last_report__lte=today + PR2_LEAD - PR2_INTERVAL)
            .values_list("pk", "last_report", "assignee")
        )
        for pk, last_report, assignee_id in rows:
            due = self.judge(last_report)
            if not due.holds_on(today):
                continue
            yield Finding(
                case_id=pk,
                subject=f"case:{pk}:pr2:{last_report.isoformat()}",
                due_on=due.due_on,
                title="PR-2 progress report due",
                text=(
                    f"The last progress report is of {on(last_report)}: the next PR-2 is due "
                    f"by {on(due.due_on)}, 45 days later (8 CCR 9785). Issuing a new work "
                    "status report after the visit closes this task."
                ),
                assignee_id=assignee_id,
            )
