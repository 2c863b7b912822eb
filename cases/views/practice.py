"""A clinician's own practice details (their account page links here)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import Capability, has_capability
from ..forms.practice import PracticeDetailsForm
from ..services.practice import user_practice_save
from .requests import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def practice_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, Capability.DETERMINE):
        raise PermissionDenied("Practice details are for the clinicians who sign forms.")
    form = PracticeDetailsForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            user_practice_save(
                user=user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
            messages.success(request, "Your practice details were saved.")
            return redirect("practice-details")
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(request, "cases/practice_details.html", {"form": form})
