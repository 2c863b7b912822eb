"""The worklists of each role's home page: which cases need someone today, and why.

Each list is one selector taking (user, today) and answering from the cases the user may see
(cases/access.py), with a fixed number of queries whatever the data size (docs/architecture.md §4).
Case lists are ordered most urgent first; the home pages show the first rows and the total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from ..access import (
    cases_visible_to,
    determinations_visible_to,
    of_visible_cases,
    summary_scope,
)
from ..domain.outcomes import PlateauVerdict
from ..models import (
    Assessment,
    Case,
    CaseStatus,
    Determination,
    Dispute,
    Patient,
    Plateau,
    StatusCount,
    User,
    WorkStatus,
)
from ..models.determinations import impairment_in_words
from ..templatetags.dates import day
from . import outcomes

ROWS_SHOWN = 25
STATUTORY_WARNING = timedelta(weeks=8)
STALE_DRAFT_AGE = timedelta(days=7)
DISPUTE_WARNING = timedelta(days=14)
WORK_STATUS_WARNING = timedelta(days=7)
ASSESSMENT_INTERVAL = timedelta(days=30)
RECENT = timedelta(days=30)
# Worklist totals are counted this far and no further: an administrator's list over 100,000
# cases would otherwise cost a full count on every visit to the board.
COUNT_LIMIT = 1000

# Cases nobody needs to act on any more.
_FINISHED = [CaseStatus.CLOSED]


def _days(day: date, today: date) -> str:
    """ "today", "in 3 days" or "3 days ago"."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    count = f"{abs(delta)} day{'s' if abs(delta) != 1 else ''}"
    return f"in {count}" if delta > 0 else f"{count} ago"


def _on(when: date, today: date) -> str:
    return f"{day(when)} ({_days(when, today)})"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def status_counts(user: User) -> list[tuple[str, str, int]]:
    """(status, label, number of cases) for every status, in the order cases move. One query:
    of the counts kept as cases change for users who see every case or an insurer's
    (cases/services/summaries.py), of their own cases for the others."""
    scope = summary_scope(user)
    counts: dict[str, int]
    if scope is None:
        cases = cases_visible_to(user).order_by()
        counts = dict(cases.values_list("status").annotate(number=Count("pk")))
    else:
        kept = StatusCount.objects.order_by()
        if scope.insurer_id is not None:
            kept = kept.filter(insurer_id=scope.insurer_id)
        counts = dict(kept.values_list("status").annotate(number=Sum("cases")))
    return [(value, label, counts.get(value, 0)) for value, label in CaseStatus.choices]


def reviews_overdue(user: User, today: date) -> QuerySet[Case]:
    """Open cases whose next review date has passed, longest overdue first."""
    return (
        cases_visible_to(user)
        .exclude(status__in=_FINISHED)
        .filter(next_review_date__lt=today)
        .order_by("next_review_date", "pk")
    )


def statutory_mmi_due(user: User, today: date) -> QuerySet[Case]:
    """Cases whose statutory MMI date is within 8 weeks or already past, with no signed
    determination; earliest statutory date first. Jurisdictions without statutory MMI
    (MMI is clinical only there) never appear: their cases have no statutory MMI date."""
    signed = Determination.objects.filter(
        case=OuterRef("pk"), status=Determination.Status.SIGNED
    ).order_by()
    return (
        cases_visible_to(user)
        .exclude(status__in=[*_FINISHED, CaseStatus.AT_MMI])
        .filter(statutory_mmi_date__lte=today + STATUTORY_WARNING)
        .exclude(Exists(signed))
        .order_by("statutory_mmi_date", "pk")
    )


def stale_drafts(user: User, today: date) -> QuerySet[Determination]:
    """Determination drafts started more than 7 days ago and still unsigned, oldest first."""
    return (
        determinations_visible_to(user)
        .drafts()
        .filter(started_at__lt=_start_of(today - STALE_DRAFT_AGE))
        .select_related("case", "case__patient", "certifying_clinician")
        .order_by("started_at", "pk")
    )


def disputes_due(user: User, today: date) -> QuerySet[Determination]:
    """Certifications in force (signed) still open to dispute, with no dispute filed, whose
    window closes within the next 14 days, soonest first. Read from the determinations, in
    the order of the index determination_window, so the page stops after the first rows."""
    return (
        Determination.objects.filter(
            of_visible_cases(user),
            status=Determination.Status.SIGNED,
            dispute_deadline__gte=today,
            dispute_deadline__lte=today + DISPUTE_WARNING,
        )
        .exclude(Exists(Dispute.objects.filter(determination=OuterRef("pk"))))
        .select_related("case", "case__patient")
        .order_by("dispute_deadline", "pk")
    )


def work_status_expiring(user: User, today: date) -> QuerySet[WorkStatus]:
    """The latest work status of each open case, where it runs out within 7 days or
    already has, soonest first. Read from the work status side so that the expiry index
    gives the order and the page stops after the first rows."""
    newer = WorkStatus.objects.filter(
        Q(effective_from__gt=OuterRef("effective_from"))
        | Q(effective_from=OuterRef("effective_from"), pk__gt=OuterRef("pk")),
        case=OuterRef("case"),
    )
    return (
        WorkStatus.objects.filter(
            of_visible_cases(user),
            ~Q(case__status__in=_FINISHED),
            expected_through__lte=today + WORK_STATUS_WARNING,
        )
        .exclude(Exists(newer))
        .select_related("case", "case__patient")
        .order_by("expected_through", "pk")
    )


def assessment_overdue(user: User, today: date) -> QuerySet[Case]:
    """Cases in treatment with no assessment in the last 30 days, never assessed first, then
    longest without (index case_status_last_assessed)."""
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.IN_TREATMENT)
        .filter(
            Q(last_assessed_on__isnull=True) | Q(last_assessed_on__lte=today - ASSESSMENT_INTERVAL)
        )
        .order_by(F("last_assessed_on").asc(nulls_first=True), "pk")
    )


def no_clinician(user: User, today: date) -> QuerySet[Case]:
    """Open cases nobody treats yet (no clinician on the care team), oldest first (index
    case_without_clinician)."""
    return (
        cases_visible_to(user)
        .filter(has_clinician=False)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("opened_at", "pk")
    )


def _plateau_pool(user: User) -> QuerySet[Case]:
    """The cases the plateau lists are drawn from: in treatment, no open (draft)
    determination, nearest review first."""
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.IN_TREATMENT)
        .exclude(Exists(Determination.objects.drafts().filter(case=OuterRef("pk"))))
        .order_by(F("next_review_date").asc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class CheckedCase:
    """A case of a plateau list with its plateau verdict (docs/domain.md §5)."""

    case: Case
    plateau: PlateauVerdict


def plateau_candidates(user: User, today: date) -> QuerySet[Case]:
    """Cases in treatment with no open (draft) determination whose every tracked measure
    has plateaued and whose restrictions have not changed (docs/domain.md §5): the verdict
    kept on each case (cases/services/plateau.py), read from the index case_plateau_review."""
    return _plateau_pool(user).filter(plateau=Plateau.CANDIDATE)


def deteriorating_cases(user: User, today: date) -> QuerySet[Case]:
    """Cases in treatment with no open (draft) determination where a tracked measure is
    deteriorating: its latest score is worse by at least its MCID than one of the last
    8 weeks (docs/domain.md §5). Such a case is never a plateau candidate; it needs
    attention."""
    return _plateau_pool(user).filter(plateau=Plateau.DETERIORATING)


@dataclass(frozen=True)
class WorklistRow:
    case: Case
    reason: str


@dataclass(frozen=True)
class Worklist:
    slug: str
    title: str
    rows: list[WorklistRow]
    total: int
    # Where the rows' reasons quote outcome scores: why they are listed, without the scores,
    # for emails (cases/services/digests.py).
    plain_reason: str = ""

    @property
    def more(self) -> bool:
        """Whether the list holds cases beyond the rows shown."""
        return self.total > len(self.rows)

    @property
    def total_label(self) -> str:
        """The total in words for the page: "12", or "more than 1000" past the limit."""
        return f"more than {COUNT_LIMIT}" if self.total > COUNT_LIMIT else str(self.total)


@dataclass(frozen=True)
class _Definition:
    slug: str
    title: str
    # Cases, or records that belong to one (a draft, a work status): each row links to its
    # case.
    select: Callable[[User, date], QuerySet[Any]]
    reason: Callable[[Any, date], str]
    # The plateau lists: the rows shown are judged again, for the reasons in words.
    judged: bool = False
    plain_reason: str = ""


def _review_reason(case: Case, today: date) -> str:
    due = case.next_review_date
    assert due is not None  # reviews_overdue keeps cases whose review date has passed
    return f"Review was due {_on(due, today)}."


def _statutory_reason(case: Case, today: date) -> str:
    statutory = case.statutory_mmi_date
    assert statutory is not None  # statutory_mmi_due keeps cases with a statutory MMI date
    when = "reached" if statutory <= today else "falls"
    return f"Statutory MMI {when} {_on(statutory, today)}; no signed determination."


_PLATEAUED = "Every tracked measure has plateaued: due an MMI review."
_DETERIORATING = "A tracked measure is deteriorating and needs attention."


def _plateau_reason(checked: CheckedCase, today: date) -> str:
    return checked.plateau.reasons[0]


def _deteriorating_reason(checked: CheckedCase, today: date) -> str:
    return " ".join(checked.plateau.deterioration_reasons)


def _draft_reason(draft: Determination, today: date) -> str:
    started = timezone.localdate(draft.started_at)
    return (
        f"Determination draft v{draft.version} by {draft.certifying_clinician} started "
        f"{_on(started, today)}, unsigned."
    )


def _dispute_reason(certification: Determination, today: date) -> str:
    deadline = certification.dispute_deadline
    assert deadline is not None  # disputes_due keeps certifications with a window
    # Counted from the signing: the earliest any party's window can close; each party's
    # own window runs from its delivery (docs/domain.md §10, on the case page).
    return (
        f"Earliest dispute window, counted from signing, closes {_on(deadline, today)}; "
        "each party's own runs from its delivery. No dispute filed."
    )


def _work_status_reason(status: WorkStatus, today: date) -> str:
    through = status.expected_through
    assert through is not None  # work_status_expiring keeps statuses that run out
    verb = "expired" if through < today else "expires"
    return f"Work status “{status.get_kind_display()}” {verb} {_on(through, today)}."


def _no_clinician_reason(case: Case, today: date) -> str:
    return f"Opened {_on(timezone.localdate(case.opened_at), today)} with no clinician assigned."


def _assessment_reason(case: Case, today: date) -> str:
    if case.last_assessed_on is None:
        return "In treatment with no assessment recorded."
    return f"Last assessed {_on(case.last_assessed_on, today)}."


# On the board and a clinician's home page alike.
_DETERIORATING_LIST = _Definition(
    "deteriorating",
    "Deteriorating",
    deteriorating_cases,
    _deteriorating_reason,
    judged=True,
    plain_reason=_DETERIORATING,
)

BOARD: tuple[_Definition, ...] = (
    _Definition("reviews-overdue", "Reviews overdue", reviews_overdue, _review_reason),
    _Definition("no-clinician", "No clinician assigned", no_clinician, _no_clinician_reason),
    _Definition(
        "statutory-mmi",
        "Statutory MMI within 8 weeks or past",
        statutory_mmi_due,
        _statutory_reason,
    ),
    _Definition(
        "plateau",
        "Plateau candidates",
        plateau_candidates,
        _plateau_reason,
        judged=True,
        plain_reason=_PLATEAUED,
    ),
    _DETERIORATING_LIST,
    _Definition("stale-drafts", "Drafts unsigned for over 7 days", stale_drafts, _draft_reason),
    _Definition(
        "disputes", "Dispute windows closing within 14 days", disputes_due, _dispute_reason
    ),
    _Definition(
        "work-status",
        "Work status expiring within 7 days or expired",
        work_status_expiring,
        _work_status_reason,
    ),
    _Definition(
        "assessment-overdue",
        "No assessment in 30 days",
        assessment_overdue,
        _assessment_reason,
    ),
)


def _total_and_shown(definition: _Definition, user: User, today: date) -> tuple[int, list[Any]]:
    """Two queries: the total and the rows shown."""
    selected = definition.select(user, today)
    if selected.model is Case:
        selected = selected.select_related("patient")
    # Counted only up to COUNT_LIMIT + 1: past that the page says "more than". Keys only and
    # no ordering: the count then needs neither the sort nor the annotations the rows are
    # ordered by.
    total = selected.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return total, list(selected[:ROWS_SHOWN])


def _worklists(definitions: tuple[_Definition, ...], user: User, today: date) -> list[Worklist]:
    """Two queries a list, and four for the rows the judged lists show, judged together
    (selectors.outcomes.judge_cases)."""
    found = [(definition, *_total_and_shown(definition, user, today)) for definition in definitions]
    keys = {case.pk for definition, _, shown in found if definition.judged for case in shown}
    judged = outcomes.judge_cases(Case.objects.filter(pk__in=keys)) if keys else []
    verdicts = {case.pk: verdict for case, verdict in judged}

    def row(definition: _Definition, shown: Any) -> WorklistRow:
        if definition.judged:
            return WorklistRow(
                shown, definition.reason(CheckedCase(shown, verdicts[shown.pk]), today)
            )
        case = shown if isinstance(shown, Case) else shown.case
        return WorklistRow(case, definition.reason(shown, today))

    return [
        Worklist(
            definition.slug,
            definition.title,
            [row(definition, each) for each in shown],
            total,
            definition.plain_reason,
        )
        for definition, total, shown in found
    ]


def board(user: User, today: date) -> list[Worklist]:
    """Every board worklist for a case manager or administrator: two queries per list
    (the total and the rows shown), and four more to say why the plateau candidates and
    the deteriorating cases shown are there."""
    return _worklists(BOARD, user, today)


CLINICIAN: tuple[_Definition, ...] = (
    _Definition(
        "ready-for-review",
        "Ready for MMI review",
        plateau_candidates,
        _plateau_reason,
        judged=True,
        plain_reason=_PLATEAUED,
    ),
    _DETERIORATING_LIST,
    _Definition(
        "assessment-due", "My cases due an assessment", assessment_overdue, _assessment_reason
    ),
)


def clinician_worklists(user: User, today: date) -> list[Worklist]:
    """A clinician's own cases ready for an MMI review (plateau candidates, with the
    reason), deteriorating, and due an assessment."""
    return _worklists(CLINICIAN, user, today)


def my_drafts(user: User, today: date) -> QuerySet[Determination]:
    """The clinician's own unsigned determination drafts, oldest first."""
    return (
        determinations_visible_to(user)
        .drafts()
        .filter(certifying_clinician=user)
        .select_related("case", "case__patient")
        .order_by("started_at", "pk")
    )


@dataclass(frozen=True)
class Activity:
    day: date
    what: str
    case: Case


def my_recent_activity(user: User, today: date) -> list[Activity]:
    """What the clinician recorded or signed in the last 30 days, newest first (2 queries)."""
    since = today - RECENT
    visible = cases_visible_to(user)
    assessments = (
        Assessment.objects.filter(
            clinician=user, case__in=visible, date__gte=since, date__lte=today
        )
        .select_related("case", "case__patient")
        .order_by("-date", "-pk")[:ROWS_SHOWN]
    )
    signed = (
        Determination.objects.filter(
            certifying_clinician=user, case__in=visible, signed_at__gte=_start_of(since)
        )
        .select_related("case", "case__patient")
        .order_by("-signed_at")[:ROWS_SHOWN]
    )
    entries = [Activity(a.date, "Assessment recorded", a.case) for a in assessments]
    entries += [
        Activity(timezone.localdate(d.signed_at), f"Determination v{d.version} signed", d.case)
        for d in signed
    ]
    return sorted(entries, key=lambda entry: entry.day, reverse=True)[:ROWS_SHOWN]


# The adjuster's home: its three lists are read as plain rows of the columns they print
# (values_list), not as model instances of the four tables each row joins: building those
# cost more than the queries once the lists are full. Each list shows ADJUSTER_ROWS rows a
# page, newest (or nearest deadline) first, and pages on to the older ones: the page's work
# is the same for an insurer with a hundred cases as for one with thirty thousand.
ADJUSTER_ROWS = 10
# The deepest page of a list: a month's determinations of the largest insurer fit.
ADJUSTER_PAGES = 500


Row = TypeVar("Row")


@dataclass(frozen=True)
class ListPage(Generic[Row]):
    """One page of a list on the adjuster's home, and whether older rows follow."""

    rows: list[Row]
    number: int
    more: bool


def _page_of(rows: Iterable[Row], number: int) -> ListPage[Row]:
    """Page ``number`` of ``rows`` given from its first row and one beyond it."""
    shown = list(rows)
    return ListPage(shown[:ADJUSTER_ROWS], number, len(shown) > ADJUSTER_ROWS)


def _rows_of_page(rows: QuerySet, number: int) -> QuerySet:
    start = (number - 1) * ADJUSTER_ROWS
    return rows[start : start + ADJUSTER_ROWS + 1]


@dataclass(frozen=True)
class SignedRow:
    """A signed determination as the adjuster's home lists it."""

    case_url: str
    claim_number: str
    patient: str
    version: int
    status: str
    mmi_reached: bool | None
    mmi_date: date | None
    impairment: str
    signed_at: datetime
    signed_by: str


@dataclass(frozen=True)
class DisputeRow:
    """A pending dispute as the adjuster's home lists it."""

    case_url: str
    claim_number: str
    patient: str
    disputed_by: str
    review_requested: str
    deadline: date | None


_CASE_COLUMNS = (
    "case_id",
    "case__claim_number",
    "case__patient__first_name",
    "case__patient__last_name",
)
_SIGNED_COLUMNS = (
    *_CASE_COLUMNS,
    "version",
    "status",
    "mmi_reached",
    "mmi_date",
    "impairment_finding",
    "impairment_rating",
    "signed_at",
    "certifying_clinician__username",
    "certifying_clinician__first_name",
    "certifying_clinician__last_name",
)


def _signed_rows(determinations: QuerySet[Determination], page: int) -> ListPage[SignedRow]:
    rows = _rows_of_page(determinations.values_list(*_SIGNED_COLUMNS), page)
    return _page_of(
        [
            SignedRow(
                case_url=reverse("case-detail", args=[case_id]),
                claim_number=claim_number,
                patient=Patient.full_name(first, last),
                version=version,
                status=Determination.Status(status).label,
                mmi_reached=mmi_reached,
                mmi_date=mmi_date,
                impairment=impairment_in_words(finding, rating),
                signed_at=signed_at,
                signed_by=User.shown_name(by_first, by_last, username),
            )
            for (
                case_id,
                claim_number,
                first,
                last,
                version,
                status,
                mmi_reached,
                mmi_date,
                finding,
                rating,
                signed_at,
                username,
                by_first,
                by_last,
            ) in rows
        ],
        page,
    )


def newly_at_mmi(user: User, today: date, page: int = 1) -> ListPage[SignedRow]:
    """Signed determinations finding MMI reached, signed in the last 30 days, newest first
    (page ``page``): the adjuster's reports ready to download."""
    return _signed_rows(
        determinations_visible_to(user)
        .signed()
        .filter(mmi_reached=True, signed_at__gte=_start_of(today - RECENT))
        .order_by("-signed_at", "-pk"),
        page,
    )


def open_disputes(user: User, today: date, page: int = 1) -> ListPage[DisputeRow]:
    """Pending disputes on the user's cases, nearest deadline first (no deadline last; page
    ``page``)."""
    rows = (
        Dispute.objects.filter(of_visible_cases(user), outcome=Dispute.Outcome.PENDING)
        .order_by(F("deadline").asc(nulls_last=True), "pk")
        .values_list(*_CASE_COLUMNS, "disputed_by", "review_requested", "deadline")
    )
    return _page_of(
        [
            DisputeRow(
                case_url=reverse("case-detail", args=[case_id]),
                claim_number=claim_number,
                patient=Patient.full_name(first, last),
                disputed_by=Dispute.Party(disputed_by).label,
                review_requested=Dispute.Review(review_requested).label,
                deadline=deadline,
            )
            for case_id, claim_number, first, last, disputed_by, review_requested, deadline in (
                _rows_of_page(rows, page)
            )
        ],
        page,
    )


def recent_determinations(user: User, today: date, page: int = 1) -> ListPage[SignedRow]:
    """Determinations signed in the last 30 days on the user's cases, newest first (page
    ``page``), whatever has happened to them since (superseded, rescinded)."""
    return _signed_rows(
        determinations_visible_to(user)
        .filter(
            # Named rather than "not a draft", so the (status, signed_at) index serves it.
            status__in=[
                Determination.Status.SIGNED,
                Determination.Status.SUPERSEDED,
                Determination.Status.RESCINDED,
            ],
            signed_at__gte=_start_of(today - RECENT),
        )
        .order_by("-signed_at", "-pk"),
        page,
    )
