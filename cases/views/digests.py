"""A user's own daily digest settings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import Capability, has_capability
from ..forms.digests import DigestSettingsForm
from ..services.digests import user_digest_settings_save
from .requests import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def digest_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, Capability.RECEIVE_DIGEST):
        raise PermissionDenied("Daily digests are for case managers and clinicians.")
    initial = {"enabled": user.digest_enabled, "hour": user.digest_hour}
    form = DigestSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_digest_settings_save(
            user=user, enabled=form.cleaned_data["enabled"], hour=form.cleaned_data["hour"]
        )
        if form.cleaned_data["enabled"]:
            messages.success(request, f"Your daily digest will come at {user.digest_hour:02d}:00.")
        else:
            messages.success(request, "Daily digests are off.")
        return redirect("digest-settings")
    return render(request, "cases/digest_settings.html", {"form": form})
