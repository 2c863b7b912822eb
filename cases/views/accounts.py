"""A user's own account: where they are signed in, ending the other sessions, and changing
or resetting the password (Django's views, which end every other session too)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..access import Capability, has_capability
from ..selectors.sessions import active_sessions
from ..services.second_factor import has_second_factor
from ..services.sessions import session_record, sessions_end_others
from .requests import AuthenticatedHttpRequest


class PasswordChange(auth_views.PasswordChangeView):
    """Django's, keeping this session (under its new key) and ending the others."""

    def form_valid(self, form):
        response = super().form_valid(form)
        request = self.request
        session_record(request=request, user=request.user)
        sessions_end_others(user=request.user, keep_session_key=request.session.session_key)
        return response


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's, ending every session of the user whose password was reset."""

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions_end_others(user=form.user, keep_session_key="")
        return response


@require_GET
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/account.html",
        {
            "sessions": active_sessions(request.user),
            "this_session": request.session.session_key,
            "has_second_factor": has_second_factor(request.user),
            "may_sign_forms": has_capability(request.user, Capability.DETERMINE),
        },
    )


@require_POST
def sessions_end(request: AuthenticatedHttpRequest) -> HttpResponse:
    ended = sessions_end_others(
        user=request.user, keep_session_key=request.session.session_key or ""
    )
    messages.success(
        request,
        f"Signed out of {ended} other session{'s' if ended != 1 else ''}."
        if ended
        else "You were signed in nowhere else.",
    )
    return redirect("account")
