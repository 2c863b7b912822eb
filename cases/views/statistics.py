"""Caseload statistics for case managers, adjusters and administrators."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mmi_tracker.db_router import reads_replica

from ..access import Capability, has_capability
from ..filters import TimeToMmiFilter
from ..reports.spread import box_plot
from ..selectors.statistics import time_to_mmi
from .requests import AuthenticatedHttpRequest


@require_GET
@reads_replica
def time_to_mmi_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.SEE_CASELOAD_STATISTICS):
        raise PermissionDenied("Your role does not see caseload statistics.")
    filters = TimeToMmiFilter.of_user(request.GET or None, request.user)
    filtered = filters.in_use
    statistics = time_to_mmi(request.user, cases=filters.qs if filtered else None)
    return render(
        request,
        "cases/time_to_mmi.html",
        {
            "filter": filters,
            "filtered": filtered,
            "statistics": statistics,
            "charts": [
                box_plot(statistics.by_body_part, title="Days from injury to MMI by body part"),
                box_plot(
                    statistics.by_diagnosis, title="Days from injury to MMI by diagnosis group"
                ),
            ],
        },
    )
