"""The case list: filter, search, sort and page through the cases a user may see, or take
the same filtered list away as CSV."""

import csv

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from audit.models import AccessLogEntry
from audit.services import log_access

from ..access import Capability, cases_visible_to, has_capability
from ..filters import CaseFilter
from ..models import Case
from .case_list_csv import case_csv_rows
from .requests import AuthenticatedHttpRequest, page_number

CASES_PER_PAGE = 25
COUNT_AT_LEAST = 1000
# Pages beyond this (25 million cases) are asked as this one: the count to reach a page must
# stay a number the database can hold.
PAGES_AT_MOST = 1_000_000

# The columns of the table: the sort key each header sets (CaseFilter.sort), the heading, and
# whether a phone shows it (the columns that tell cases apart and what to do next, so the
# table fits without scrolling sideways).
COLUMNS = (
    ("claim", "Claim", True),
    ("patient", "Patient", True),
    ("injured", "Injury", False),
    ("jurisdiction", "Jurisdiction", False),
    ("status", "Status", True),
    ("insurer", "Insurer", False),
    ("case_manager", "Case manager", False),
    ("review", "Next review", True),
    ("mmi", "MMI date", False),
)


class CaseListPaginator(Paginator):
    """Counts the matching cases only as far as the page asked for needs: to its end and
    one case beyond, and at least COUNT_AT_LEAST + 1. A broad search over 100,000 cases
    then costs about what a narrow one does; past the limit the page says "more than".

    It pages through the cases' keys; the view then puts the cases themselves in the page,
    so a page holds keys, then cases."""

    object_list: QuerySet[Case, int]

    def __init__(
        self, object_list: QuerySet[Case, int], per_page: int, *, wanted_page: int
    ) -> None:
        super().__init__(object_list, per_page)
        self.count_limit = max(COUNT_AT_LEAST, wanted_page * per_page) + 1

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.count_limit].count()

    @property
    def count_is_capped(self) -> bool:
        return self.count == self.count_limit

    @property
    def counted(self) -> int:
        """The number shown: exact, or the "more than" figure when capped."""
        return self.count - 1 if self.count_is_capped else self.count


def _filtered(request: AuthenticatedHttpRequest) -> CaseFilter:
    return CaseFilter.of_user(request.GET, request.user)


@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases = _filtered(request)
    # Deep pages: the database skips over bare keys (read from an index), then joins the
    # parties to the page's 25 cases only, instead of to every case it skips.
    wanted = page_number(request, "page", at_most=PAGES_AT_MOST)
    page = CaseListPaginator(
        cases.qs.values_list("pk", flat=True), CASES_PER_PAGE, wanted_page=wanted
    ).get_page(wanted)
    shown = list(page.object_list)
    # Only a case with a certification in force has something to export: its row alone
    # gets a checkbox.
    rows = cases_visible_to(request.user).with_parties().with_certification().in_bulk(shown)
    page.object_list = [rows[pk] for pk in shown]
    sort = request.GET.get("sort", "")
    headers = [
        {
            "label": label,
            "sort": f"-{key}" if sort == key else key,
            "direction": "ascending" if sort == key else "descending" if sort == f"-{key}" else "",
            "on_phone": on_phone,
        }
        for key, label, on_phone in COLUMNS
    ]
    filtered = any(value for name, value in request.GET.items() if name not in {"page", "sort"})
    return render(
        request,
        "cases/case_list.html",
        {
            "filter": cases,
            "page": page,
            "headers": headers,
            "filtered": filtered,
            "may_open": has_capability(request.user, Capability.OPEN_CASE),
        },
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


@require_GET
def case_list_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The filtered case list as CSV: the same cases as the page, every page of them."""
    writer = csv.writer(_Echo())
    rows = case_csv_rows(_filtered(request).qs)
    log_access(request, action=AccessLogEntry.Action.CASE_LIST_CSV, detail=request.GET.urlencode())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    return response
