"""The ICD-10-CM code search behind the diagnosis picker (static/js/diagnosis-picker.js)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ..access import edits_diagnoses
from ..selectors.diagnoses import search_diagnoses
from .requests import AuthenticatedHttpRequest

# A query longer than any description is no search anyone typed.
QUERY_AT_MOST = 100


@require_GET
def diagnosis_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Up to 20 billable codes with their descriptions for ``q``: a code or its start
    (S43.4) or words (shoulder dislocation). An empty query answers no codes."""
    if not edits_diagnoses(request.user):
        raise PermissionDenied("Your role does not record diagnoses.")
    query = request.GET.get("q", "")[:QUERY_AT_MOST]
    results = search_diagnoses(query)
    return JsonResponse(
        {
            "query": query,
            "results": [{"code": item.code, "description": item.description} for item in results],
        }
    )
