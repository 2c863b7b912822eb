"""Texas rules (docs/domain.md §1 and §8)."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from cases.domain.jurisdictions.texas import Texas
from cases.models import Case, CaseStatus, Determination

from .base import Due, Finding, Rule, on
from .people import treating_clinician_or_case_manager

TEXAS = Texas()
# The Division writes to the treating doctor at 98 weeks, six weeks before statutory MMI
# (104 weeks after income benefits begin to accrue).
STATUTORY_MMI_NOTICE = timedelta(weeks=6)


class DWC069Due(Rule):
    """A Texas case with an MMI determination under way and its exam held: the DWC069 is due
    by the 7th working day after the later of the exam and the day all the medical records
    needed were received (28 TAC 130.1(d)(2); working days of 28 TAC 102.3(b), from
    cases/domain/jurisdictions/texas_calendar.py).

    The records date is the one the certifying doctor records on the determination's
    clinical step ("all medical records received on"); without it the exam date counts
    alone. The task goes to the certifying doctor and closes itself once the determination
    is signed (or the draft is discarded, or its exam date cleared)."""

    key = "tx-dwc069-due"
    name = "DWC069 due"
    ended = "The certification was signed."

    @staticmethod
    def judge(exam_date: date, records_received: date | None) -> Due:
        return Due(opens_on=exam_date, due_on=TEXAS.certification_due(exam_date, records_received))

    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        drafts = (
            Determination.objects.drafts()
            .filter(case__in=cases, case__jurisdiction=TEXAS.code, exam_date__isnull=False)
            .values_list(
                "pk",
                "case_id",
                "version",
                "exam_date",
                "records_received_date",
                "certifying_clinician_id",
            )
        )
        for pk, case_id, version, exam, records, clinician_id in drafts:
            assert exam is not None  # the query keeps drafts with an exam date
            due = self.judge(exam, records)
            if not due.holds_on(today):
                continue
            start = (
                f"the exam on {on(exam)}"
                if records is None or records <= exam
                else f"the day all medical records were received, {on(records)}"
            )
            yield Finding(
                case_id=case_id,
                subject=f"determination:{pk}",
                due_on=due.due_on,
                title=f"Sign and file the DWC069 (determination v{version})",
                text=(
                    f"The Report of Medical Evaluation is due by {on(due.due_on)}: the 7th "
                    f"working day after {start} (28 TAC 130.1(d)(2); working days as 28 TAC "
                    "102.3(b) counts them). This task closes itself when the determination "
                    "is signed."
                ),
                assignee_id=clinician_id,
            )


class StatutoryMMIApproaching(Rule):
    """Statutory MMI six weeks away, or past, and no certification signed: at 98 weeks the
    Division writes to the treating doctor that statutory MMI is near, and by the statutory
    date MMI must be certified (Labor Code §401.011(30); 28 TAC 130.1). Any case whose
    jurisdiction sets a statutory MMI date (Texas alone today) is looked at. The task goes
    to the treating doctor (people.py) and closes itself once a certification is signed,
    the case closes, or the date moves (an extension order makes a new task)."""

    key = "statutory-mmi-approaching"
    name = "Statutory MMI approaching"
    ended = "A certification was signed, the case closed, or statutory MMI moved."

    @staticmethod
    def judge(statutory_mmi: date) -> Due:
        return Due(opens_on=statutory_mmi - STATUTORY_MMI_NOTICE, due_on=statutory_mmi)

    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        signed = Determination.objects.filter(
            case=OuterRef("pk"), status=Determination.Status.SIGNED
        ).order_by()
        rows = (
            cases.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.AT_MMI])
            .filter(statutory_mmi_date__lte=today + STATUTORY_MMI_NOTICE)
            .exclude(Exists(signed))
            .annotate(assignee=treating_clinician_or_case_manager())
            .values_list("pk", "statutory_mmi_date", "assignee")
        )
        for pk, statutory, assignee_id in rows:
            assert statutory is not None  # the query keeps cases with a statutory MMI date
            due = self.judge(statutory)
            if not due.holds_on(today):
                continue
            yield Finding(
                case_id=pk,
                subject=f"case:{pk}:statutory-mmi:{statutory.isoformat()}",
                due_on=statutory,
                title="Statutory MMI approaching: certify MMI",
                text=(
                    f"Statutory MMI falls on {on(statutory)}, 104 weeks after income benefits "
                    "began to accrue (Labor Code §401.011(30)), and no certification is "
                    "signed. At 98 weeks, six weeks before that date, the Division writes to "
                    "the treating doctor that statutory MMI is near: the examination and the "
                    "certification of MMI and impairment are needed by then. This task "
                    "closes itself when a certification is signed."
                ),
                assignee_id=assignee_id,
            )
