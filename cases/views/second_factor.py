"""The second factor: confirming it after the password, adding and removing authenticator
apps and security keys, and recovery codes. The rules are in
cases/services/second_factor.py; SecondFactorMiddleware sends users here."""

import io

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.qr import write_qrcode_image
from django_otp_webauthn import views as webauthn_views

from ..forms.accounts import AuthenticatorConfirmForm, SecondFactorCodeForm
from ..selectors.second_factor import authenticators, factor_of, security_keys
from ..services import second_factor as factors
from .requests import AuthenticatedHttpRequest, next_url


def _security_keys_here(request: AuthenticatedHttpRequest) -> dict:
    """Whether security keys work at the address in use (they belong to one domain), and
    the address where they do."""
    origins = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS
    return {
        "keys_here": request.get_host().rsplit(":", 1)[0] == settings.OTP_WEBAUTHN_RP_ID
        and bool(origins),
        "keys_at": origins[0] if origins else "",
    }


@require_http_methods(["GET", "POST"])
def second_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        device = factors.code_check(user, form.cleaned_data["code"])
        if device is not None:
            factors.second_factor_passed(request, device)
            if device.name == factors.RECOVERY_CODES_NAME:
                left = factors.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. "
                    "Make new ones in Your account → Second factor if you are running out.",
                )
            return redirect(next_url(request) or "/")
        form.add_error(
            "code",
            "That code is not right, or was used already. Wait a few seconds before the "
            "next try: each wrong code makes the next wait longer.",
        )
    return render(
        request,
        "registration/second_factor_verify.html",
        {
            "form": form,
            "next": next_url(request),
            "has_security_key": security_keys(user).exists(),
            "has_authenticator": authenticators(user).exists(),
            **_security_keys_here(request),
        },
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


@require_GET
def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "cases/second_factor.html",
        {
            "authenticators": authenticators(user),
            "security_keys": security_keys(user),
            "has_factor": factors.has_second_factor(user),
            "required": factors.second_factor_required(user),
            "recovery_codes_left": factors.recovery_codes_left(user),
            "next": next_url(request),
            **_security_keys_here(request),
        },
    )


@require_http_methods(["GET", "POST"])
def second_factor_authenticator(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    device = factors.authenticator_start(user)
    form = AuthenticatorConfirmForm(request.POST or None)
    if form.is_valid():
        if factors.authenticator_confirm(device, form.cleaned_data["code"]):
            first = not factors.session_verified(request)
            if first:
                factors.second_factor_passed(request, device)
            messages.success(request, "Your authenticator app is added.")
            if first or factors.recovery_codes_left(user) == 0:
                return _recovery_codes_page(request, factors.recovery_codes_issue(user))
            return redirect("second-factor")
        form.add_error(
            "code",
            "That code does not match. Check the phone's clock is right and enter the code "
            "the app shows now.",
        )
    return render(
        request,
        "cases/second_factor_authenticator.html",
        {"form": form, "key": factors.authenticator_key(device), "next": next_url(request)},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
def second_factor_authenticator_qr(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The QR code of the authenticator app awaiting its first code, for the app to scan."""
    device = factors.authenticator_start(request.user)
    image = io.BytesIO()
    write_qrcode_image(device.config_url, image)
    return HttpResponse(image.getvalue(), content_type="image/svg+xml")


@require_POST
def second_factor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not factors.has_second_factor(request.user):
        messages.error(request, "Add an authenticator app or a security key first.")
        return redirect("second-factor")
    return _recovery_codes_page(request, factors.recovery_codes_issue(request.user))


def _recovery_codes_page(request: AuthenticatedHttpRequest, codes: list[str]) -> HttpResponse:
    return render(
        request,
        "cases/second_factor_recovery_codes.html",
        {"codes": codes, "next": next_url(request)},
    )


@require_POST
def second_factor_remove(
    request: AuthenticatedHttpRequest, kind: str, device_id: int
) -> HttpResponse:
    device = factor_of(request.user, kind, device_id)
    if device is None:
        raise Http404("No such second factor of yours.")
    try:
        factors.factor_remove(user=request.user, device=device)
    except factors.LastFactor as refusal:
        messages.error(request, f"Not removed: {refusal}")
    else:
        messages.success(request, f"Removed “{device.name}”.")
    return redirect("second-factor")


class SecurityKeyAdded(webauthn_views.CompleteCredentialRegistrationView):  # type: ignore[misc]
    """django-otp-webauthn's, noting when a first key confirmed the session."""

    def post(self, *args, **kwargs):
        was_verified = factors.session_verified(self.request)
        response = super().post(*args, **kwargs)
        if not was_verified and factors.session_verified(self.request):
            factors.second_factor_passed(self.request, self.request.user.otp_device)
        return response


class SecurityKeyUsed(webauthn_views.CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """django-otp-webauthn's, noting when the security key confirmed the session."""

    def complete_auth(self, device):
        factors.second_factor_passed(self.request, device)
