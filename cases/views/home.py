"""Each role's home page: which of my cases need me today, and why."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from diaries.selectors import my_tasks

from ..access import Capability, cases_visible_to, has_capability
from ..selectors import worklists
from .requests import AuthenticatedHttpRequest


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Case managers and administrators get the status board, clinicians their own cases
    and drafts, adjusters their insurer's cases at MMI, disputes and determinations."""
    user, today = request.user, timezone.localdate()
    tasks = my_tasks(user, today)
    if has_capability(user, Capability.MANAGE_CASE):
        counts = worklists.status_counts(user)
        return render(
            request,
            "cases/home/board.html",
            {
                "today": today,
                "my_tasks": tasks,
                "counts": counts,
                "has_cases": any(number for _, _, number in counts),
                "may_open": has_capability(user, Capability.OPEN_CASE),
                "worklists": worklists.board(user, today),
            },
        )
    if has_capability(user, Capability.DETERMINE):
        return render(
            request,
            "cases/home/clinician.html",
            {
                "today": today,
                "my_tasks": tasks,
                "has_cases": cases_visible_to(user).exists(),
                "worklists": worklists.clinician_worklists(user, today),
                "drafts": list(worklists.my_drafts(user, today)[: worklists.ROWS_SHOWN]),
                "activity": worklists.my_recent_activity(user, today),
            },
        )
    return render(
        request,
        "cases/home/adjuster.html",
        {
            "today": today,
            "my_tasks": tasks,
            "counts": worklists.status_counts(user),
            "at_mmi": worklists.newly_at_mmi(user, today),
            "disputes": worklists.open_disputes(user, today),
            "determinations": worklists.recent_determinations(user, today),
        },
    )
