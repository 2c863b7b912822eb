"""The deliveries pages: a delivery recorded by hand, one withdrawn, and a delivery's proof.
Views are thin: access (cases/access.py, deliveries/access.py) → form → service → redirect
or render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.models import AccessLogEntry
from audit.services import log_access
from cases.access import Capability, get_case_for
from cases.views.requests import AuthenticatedHttpRequest

from . import services
from .access import get_delivery_for
from .forms import DeliveryForm, WithdrawalForm


def _refusal_shown(form, refused: ValidationError) -> None:
    if hasattr(refused, "error_dict"):
        for name, errors in refused.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, refused)


@require_http_methods(["GET", "POST"])
def delivery_add(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Record a copy of an issued document delivered by fax, e-mail, mail or hand."""
    case = get_case_for(
        request.user,
        case_id,
        capability=Capability.RECORD_DELIVERY,
        refine=lambda cases: cases.select_related("patient"),
    )
    form = DeliveryForm(request.POST or None, request.FILES or None, case=case)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.delivery_record(
                    recipient=form.cleaned_data["recipient"],
                    method=form.cleaned_data["method"],
                    delivered_on=form.cleaned_data["delivered_on"],
                    address=form.cleaned_data["address"],
                    proof=form.cleaned_data["proof"],
                    recorded_by=request.user,
                )
            except ValidationError as refused:
                _refusal_shown(form, refused)
            else:
                messages.success(request, "The delivery was recorded.")
                return redirect(f"{case.get_absolute_url()}#deliveries")
        messages.error(
            request, "The delivery was not recorded: please correct the fields marked below."
        )
        status = 400
    else:
        log_access(
            request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="Record a delivery"
        )
    return render(
        request, "deliveries/delivery_form.html", {"form": form, "case": case}, status=status
    )


@require_http_methods(["GET", "POST"])
def delivery_withdraw(request: AuthenticatedHttpRequest, delivery_id: int) -> HttpResponse:
    """Withdraw a delivery recorded in error, with the reason; it stays in the history."""
    delivery = get_delivery_for(request.user, delivery_id, capability=Capability.RECORD_DELIVERY)
    form = WithdrawalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.delivery_withdraw(
                    delivery=delivery, reason=form.cleaned_data["reason"], withdrawn_by=request.user
                )
            except ValidationError as refused:
                _refusal_shown(form, refused)
            else:
                messages.success(request, "The delivery was withdrawn; it stays in the history.")
                return redirect(f"{delivery.case.get_absolute_url()}#deliveries")
        status = 400
    return render(
        request,
        "deliveries/withdraw_form.html",
        {"form": form, "delivery": delivery, "case": delivery.case},
        status=status,
    )


@require_http_methods(["GET"])
def delivery_proof(request: AuthenticatedHttpRequest, delivery_id: int) -> FileResponse:
    """A delivery's proof, as a download only: never opened in the page."""
    delivery = get_delivery_for(request.user, delivery_id)
    if not delivery.proof:
        raise Http404("This delivery has no proof.")
    log_access(
        request,
        action=AccessLogEntry.Action.REPORT_DOWNLOAD,
        case=delivery.case,
        detail=f"Proof of delivery {delivery.pk} ({delivery}), SHA-256 {delivery.proof_sha256}",
    )
    extension = delivery.proof.name.rsplit(".", 1)[-1]
    response = FileResponse(
        delivery.proof.open("rb"),
        as_attachment=True,
        filename=f"{delivery.case.claim_number}-delivery-{delivery.pk}-proof.{extension}",
        content_type=delivery.proof_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
