"""The names suggested under the case list's person boxes (static/js/person-picker.js)."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from ..access import case_managers_to_filter_by, clinicians_to_filter_by
from ..forms.person_search import TYPED_AT_MOST
from ..selectors.people import suggested_people
from .requests import AuthenticatedHttpRequest

# The people each box picks from: only those on the cases the user may see.
PICKABLE = {"case-manager": case_managers_to_filter_by, "clinician": clinicians_to_filter_by}


@require_GET
def person_search(request: AuthenticatedHttpRequest, role: str) -> JsonResponse:
    """Up to ten of the people the user may filter the case list by whose names start with
    the words of ``q``, by last name; with no words, the first ten."""
    if role not in PICKABLE:
        raise Http404("No such list of people.")
    typed = request.GET.get("q", "")[:TYPED_AT_MOST]
    people = suggested_people(PICKABLE[role](request.user), typed)
    return JsonResponse({"results": [{"id": pk, "name": name} for pk, name in people]})
