"""Each role's home page: which of my cases need me today, and why."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from diaries.selectors import my_tasks

from ..access import Capability, cases_visible_to, has_capability
from ..selectors import worklists
from .requests import AuthenticatedHttpRequest, page_number


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
            **{
                name: _paged(request, today, name, rows)
                for name, rows in (
                    ("at_mmi", worklists.newly_at_mmi),
                    ("disputes", worklists.open_disputes),
                    ("determinations", worklists.recent_determinations),
                )
            },
        },
    )


@dataclass(frozen=True)
class PagedList:
    """A list of the adjuster's home, with the links to its newer and older pages ("" where
    there is none); the other lists stay on the pages they were on."""

    page: worklists.ListPage
    newer: str
    older: str


def _paged(
    request: AuthenticatedHttpRequest, today: date, parameter: str, rows: Callable
) -> PagedList:
    number = page_number(request, parameter, at_most=worklists.ADJUSTER_PAGES)
    page = rows(request.user, today, number)

    def link(to: int) -> str:
        query = request.GET.copy()
        query[parameter] = str(to)
        return f"?{query.urlencode()}#{parameter}"

    return PagedList(
        page,
        newer=link(number - 1) if number > 1 else "",
        older=link(number + 1) if page.more else "",
    )
