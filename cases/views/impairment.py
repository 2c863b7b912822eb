"""The live whole person rating while a clinician edits the impairment items (htmx)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ..access import Capability, get_determination_for
from ..forms.impairment import ITEMS_PREFIX, ImpairmentItemFormSet, rate, unfinished
from .requests import AuthenticatedHttpRequest


@require_POST
def determination_impairment_rating(
    request: AuthenticatedHttpRequest, determination_id: int
) -> HttpResponse:
    """Rate the items as they are in the form right now; nothing is saved. No field is
    marked while the clinician types: the answer says what each incomplete item needs."""
    get_determination_for(request.user, determination_id, capability=Capability.DETERMINE)
    formset = ImpairmentItemFormSet(request.POST, prefix=ITEMS_PREFIX)
    working, problem = rate(formset)
    needs = unfinished(formset)
    rows = formset.rows() if formset.management_form.is_valid() else []
    return render(
        request,
        "cases/determinations/impairment_live.html",
        {"working": working, "problem": problem, "unfinished": needs, "rows": rows},
    )
