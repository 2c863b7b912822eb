"""Reads of the questionnaire links: the link a token opens, a case's links and plan, the
clinician's "to review" list and each case manager's completion rate. Each takes a fixed
number of queries whatever the number of links."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.access import Capability, has_capability, of_visible_cases
from cases.models import Case, User

from . import domain, questions
from .models import QuestionnaireLink, QuestionnairePlan

# The links a case page lists, newest first; the counts cover them all.
LINKS_SHOWN = 20
# The responses the "to review" list shows, oldest first.
TO_REVIEW_SHOWN = 20


def link_for_token(token: str) -> QuestionnaireLink | None:
    """The link this token opens while it may be answered; None for a token that is used,
    expired, altered or made up: the caller cannot tell which, and neither can the patient."""
    if not domain.is_token_shaped(token):
        return None
    digest = domain.token_digest(token)
    return (
        QuestionnaireLink.objects.unanswered()
        .filter(Q(token_digest=digest) | Q(reminder_token_digest=digest))
        .select_related("case__patient")
        .first()
    )


def links_visible_to(user: User) -> QuerySet[QuestionnaireLink]:
    return QuestionnaireLink.objects.filter(of_visible_cases(user))


def get_link_for(user: User, link_id: int) -> QuestionnaireLink:
    """The link, if the user may see its case (404 otherwise, as for one that does not
    exist)."""
    link = links_visible_to(user).select_related("case").filter(pk=link_id).first()
    if link is None:
        raise Http404("No such questionnaire link.")
    return link


def get_plan_for(user: User, plan_id: int) -> QuestionnairePlan:
    plan = (
        QuestionnairePlan.objects.filter(of_visible_cases(user))
        .select_related("case")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404("No such questionnaire plan.")
    return plan


@dataclass(frozen=True)
class LinkRow:
    link: QuestionnaireLink
    state: domain.LinkState
    instruments: list[questions.Instrument]


@dataclass(frozen=True)
class CaseLinks:
    """The case page's questionnaires panel."""

    sent: int
    opened: int
    completed: int
    expired: int
    rows: list[LinkRow]
    plan: QuestionnairePlan | None


def case_links(case: Case) -> CaseLinks:
    """Four queries: the counts, the latest links, their instruments, the running plan with
    its instruments (one more)."""
    now = timezone.now()
    links = QuestionnaireLink.objects.filter(case=case)
    counts = links.aggregate(
        sent=Count("pk"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        completed=Count("pk", filter=Q(submitted_at__isnull=False)),
        expired=Count("pk", filter=Q(submitted_at__isnull=True, expires_at__lte=now)),
    )
    latest = links.select_related("sent_by").prefetch_related(
        Prefetch("instruments", queryset=questions.instrument_queryset())
    )[:LINKS_SHOWN]
    plan = (
        QuestionnairePlan.objects.filter(case=case, stopped_at__isnull=True)
        .prefetch_related(Prefetch("instruments", queryset=questions.instrument_queryset()))
        .first()
    )
    return CaseLinks(
        **counts,
        rows=[LinkRow(link, link.state(now), list(link.instruments.all())) for link in latest],
        plan=plan,
    )


def to_review(user: User) -> list[QuestionnaireLink]:
    """Responses the patients of the user's cases sent that no clinician has marked reviewed,
    oldest first: a clinician's list (one query)."""
    if not has_capability(user, Capability.RECORD_CLINICAL):
        return []
    return list(
        links_visible_to(user)
        .filter(submitted_at__isnull=False, reviewed_at__isnull=True)
        .select_related("case__patient")
        .order_by("submitted_at", "pk")[:TO_REVIEW_SHOWN]
    )


@dataclass(frozen=True)
class ManagerCompletion:
    case_manager: str
    sent: int
    completion: domain.Completion


def completion_by_case_manager(user: User) -> list[ManagerCompletion]:
    """Each case manager's links over the cases the user sees: sent, and the share of those
    settled (answered or expired) that were answered. One query."""
    now = timezone.now()
    rows = (
        links_visible_to(user)
        .values(
            "case__case_manager_id",
            "case__case_manager__first_name",
            "case__case_manager__last_name",
            "case__case_manager__username",
        )
        .annotate(
            sent=Count("pk"),
            completed=Count("pk", filter=Q(submitted_at__isnull=False)),
            expired=Count("pk", filter=Q(submitted_at__isnull=True, expires_at__lte=now)),
        )
        .order_by("case__case_manager__last_name", "case__case_manager__first_name")
    )
    return [
        ManagerCompletion(
            case_manager=User.shown_name(
                row["case__case_manager__first_name"],
                row["case__case_manager__last_name"],
                row["case__case_manager__username"],
            ),
            sent=row["sent"],
            completion=domain.Completion(completed=row["completed"], expired=row["expired"]),
        )
        for row in rows
    ]
