"""Middleware of the whole site."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from cases.services.second_factor import (
    has_second_factor,
    second_factor_required,
    session_verified,
)


class NoStoreMiddleware:
    """Every response the application writes (pages, API answers, downloads) may hold
    health data, so none is kept by a browser's cache or a proxy: a shared computer's back
    button shows nothing after logging out. Static files are answered before this, by
    WhiteNoise, and keep their long cache. A response that says how it may be cached keeps
    what it says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class SecondFactorMiddleware:
    """A signed-in user whose second factor is not yet confirmed in this session reaches
    only the pages that confirm it: users who have one are asked for it, clinicians and
    administrators without one are asked to add one (cases/services/second_factor.py). The
    REST API's own tokens are not sessions and are not asked."""

    # URL names a session may reach while its second factor is pending.
    VERIFYING = frozenset(
        {
            "logout",
            "second-factor-verify",
            "otp_webauthn:credential-authentication-begin",
            "otp_webauthn:credential-authentication-complete",
            "otp_webauthn:js-i18n-catalog",
        }
    )
    ENROLLING = VERIFYING | {
        "second-factor",
        "second-factor-authenticator",
        "second-factor-authenticator-qr",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or session_verified(request):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if has_second_factor(user):
            allowed, target = self.VERIFYING, "second-factor-verify"
        elif second_factor_required(user):
            allowed, target = self.ENROLLING, "second-factor"
        else:
            return None
        if name in allowed:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Confirm your second factor in the browser first."}, status=403
            )
        htmx = getattr(request, "htmx", None)
        if htmx:
            # After confirming, back to the page the fragment was asked from.
            back = htmx.current_url_abs_path or reverse("home")
            return HttpResponseClientRedirect(self._asking(target, back))
        return redirect(self._asking(target, request.get_full_path()))

    @staticmethod
    def _asking(target: str, back: str) -> str:
        return f"{reverse(target)}?{urlencode({'next': back})}"
