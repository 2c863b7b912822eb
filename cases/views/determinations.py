"""The MMI determination: start, walk the steps, review and sign, then amend, re-open MMI
and record disputes. A signed determination is never edited: changes answer 409."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outside_records.selectors import records_to_cite

from .. import services
from ..access import (
    Capability,
    determinations_visible_to,
    get_case_for,
    get_determination_for,
    get_dispute_for,
    has_capability,
)
from ..determination.readiness import load_case_records, review, saved_steps
from ..determination.steps import STEPS, STEPS_BY_SLUG, navigator, step_after
from ..forms.determinations import DisputeForm, DisputeResolveForm, RescindForm, SignForm
from ..models import Determination, DeterminationLocked, DeterminationStep, Dispute
from ..reports.determination_lines import records_reviewed, step_lines
from ..reports.official import texas
from ..reports.preparing import determination_documents
from ..services.second_factor import second_factor_fresh_for_signing
from ..templatetags.dates import day
from .requests import AuthenticatedHttpRequest


def _conflict(
    request: AuthenticatedHttpRequest, determination: Determination, message: str
) -> HttpResponse:
    """409: the determination is not in a state that allows this; nothing was changed."""
    return render(
        request,
        "cases/determinations/conflict.html",
        {"determination": determination, "case": determination.case, "message": message},
        status=409,
    )


def _not_in_force(
    request: AuthenticatedHttpRequest, determination: Determination, verb: str
) -> HttpResponse:
    return _conflict(
        request,
        determination,
        f"MMI determination v{determination.version} is "
        f"{determination.get_status_display().lower()}: only the certification in force "
        f"can be {verb}.",
    )


def _step_url(determination: Determination, slug: str) -> str:
    return reverse("determination-step", args=[determination.pk, slug])


@require_POST
def determination_start(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, capability=Capability.DETERMINE)
    draft = case.determinations.drafts().first()
    if draft is not None:
        messages.info(request, f"This case already has a draft (v{draft.version}): continue it.")
        return redirect(draft)
    try:
        determination = services.determination_start(case=case, started_by=request.user)
    except services.InvalidTransition as error:
        messages.error(request, str(error))
        return redirect(f"{case.get_absolute_url()}#determinations")
    messages.success(request, f"MMI determination v{determination.version} started.")
    return redirect(_step_url(determination, STEPS[0].slug))


@require_GET
def determination_detail(request: AuthenticatedHttpRequest, determination_id: int) -> HttpResponse:
    determination = get_determination_for(request.user, determination_id)
    case = determination.case
    saved = saved_steps(determination)
    steps = None
    next_url = ""
    if determination.is_draft:
        load_case_records(case)
        steps = navigator(determination, saved, case)
        first_open = next((entry.step for entry in steps if not entry.complete), None)
        next_url = (
            _step_url(determination, first_open.slug)
            if first_open
            else reverse("determination-review", args=[determination.pk])
        )
    may_determine = has_capability(request.user, Capability.DETERMINE)
    issued, preparing = determination_documents(determination)
    return render(
        request,
        "cases/determinations/detail.html",
        {
            "determination": determination,
            "case": case,
            "issued": issued,
            "issued_signed": texas.issued_with_signatures(determination, issued),
            "preparing": preparing,
            "sections": [
                (step, step_lines(step.slug, determination, saved.get(step.slug))) for step in STEPS
            ],
            "steps": steps,
            "next_url": next_url,
            "versions": determinations_visible_to(request.user)
            .filter(case=case)
            .select_related("certifying_clinician", "supersedes")
            .order_by("-version"),
            "disputes": determination.disputes.select_related("recorded_by"),
            "may_determine": may_determine,
            "may_dispute": has_capability(request.user, Capability.RECORD_DISPUTE),
        },
    )


@require_http_methods(["GET", "POST"])
def determination_step(
    request: AuthenticatedHttpRequest, determination_id: int, slug: str
) -> HttpResponse:
    step = STEPS_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step.")
    determination = get_determination_for(
        request.user, determination_id, capability=Capability.DETERMINE
    )
    if not determination.is_draft:
        return _conflict(
            request,
            determination,
            f"MMI determination v{determination.version} is "
            f"{determination.get_status_display().lower()}: it can no longer be edited.",
        )
    case = load_case_records(determination.case)
    saved = saved_steps(determination)
    records = records_to_cite(request.user, case)
    form = step.form(
        request.POST or None, determination=determination, case=case, saved=saved.get(slug)
    )
    cited = step.citations_form(request.POST or None, saved=saved.get(slug), records=records)
    conflict = None
    if request.method == "POST":
        # Both forms are checked, so that every mistake is shown at once.
        if all([form.is_valid(), cited.is_valid()]):
            columns, answers = step.values(form, case)
            try:
                services.determination_save_step(
                    determination=determination,
                    slug=step.slug,
                    columns=columns,
                    answers=answers,
                    expected_revision=form.cleaned_data["revision"],
                    saved_by=request.user,
                    citations=cited.citations(),
                    **step.service_kwargs(form),
                )
            except services.StepConflict as error:
                conflict = error.saved
                determination.refresh_from_db()
                # The form keeps what this user typed; saving again replaces their version.
                data = request.POST.copy()
                data["revision"] = str(conflict.revision)
                form = step.form(data, determination=determination, case=case, saved=conflict)
                cited = step.citations_form(data, saved=conflict, records=records)
                saved[slug] = conflict
            except DeterminationLocked as error:
                return _conflict(request, determination, str(error))
            except ValidationError as error:
                form.add_error(None, error)
                messages.error(
                    request, "Nothing was saved: please correct the fields marked below."
                )
            else:
                messages.success(request, step.saved_message(form))
                following = step_after(step)
                if request.POST.get("go") == "stay":
                    return redirect(_step_url(determination, step.slug))
                if following is None:
                    return redirect("determination-review", determination.pk)
                return redirect(_step_url(determination, following.slug))
        else:
            messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(
        request,
        "cases/determinations/step.html",
        {
            "determination": determination,
            "case": case,
            "step": step,
            "form": form,
            "cited": cited,
            "withdrawn": step.withdrawn_citations(saved.get(slug)),
            "may_add_records": step.offers_record_upload
            and has_capability(request.user, Capability.ADD_OUTSIDE_RECORDS),
            "steps": navigator(determination, saved, case, current=step.slug),
            "evidence": step.evidence(determination, case),
            "conflict": conflict,
            "their_version": (step_lines(step.slug, determination, conflict) if conflict else None),
            "next_step": step_after(step),
        },
        status=409 if conflict else 200,
    )


OUTCOME = DeterminationStep.Slug.OUTCOME


def _review_page(
    request: AuthenticatedHttpRequest,
    determination: Determination,
    form: SignForm,
    status: int = 200,
) -> HttpResponse:
    case = load_case_records(determination.case)
    saved = saved_steps(determination)
    return render(
        request,
        "cases/determinations/review.html",
        {
            "determination": determination,
            "case": case,
            "review": review(determination, saved, case),
            "steps": navigator(determination, saved, case, current="review"),
            "form": form,
            "is_certifier": request.user.pk == determination.certifying_clinician_id,
            # What the signature certifies, shown above the password.
            "lines": step_lines(OUTCOME, determination, saved.get(OUTCOME)),
            "records_reviewed": records_reviewed(saved.values()),
            "second_factor_fresh": second_factor_fresh_for_signing(request),
            "signing_minutes": settings.SIGNING_SECOND_FACTOR_MINUTES,
        },
        status=status,
    )


@require_GET
def determination_review(request: AuthenticatedHttpRequest, determination_id: int) -> HttpResponse:
    determination = get_determination_for(
        request.user, determination_id, capability=Capability.DETERMINE
    )
    if not determination.is_draft:
        return _conflict(
            request, determination, f"MMI determination v{determination.version} is signed."
        )
    return _review_page(request, determination, SignForm(user=request.user, request=request))


@require_POST
def determination_sign(request: AuthenticatedHttpRequest, determination_id: int) -> HttpResponse:
    determination = get_determination_for(
        request.user, determination_id, capability=Capability.DETERMINE
    )
    if not determination.is_draft:
        return _conflict(
            request,
            determination,
            f"MMI determination v{determination.version} is already "
            f"{determination.get_status_display().lower()}.",
        )
    if request.user.pk != determination.certifying_clinician_id:
        raise PermissionDenied(
            f"Only the certifying clinician, {determination.certifying_clinician}, may sign."
        )
    if not second_factor_fresh_for_signing(request):
        messages.error(
            request,
            "Not signed: signing asks for your second factor again "
            f"(it was last confirmed more than {settings.SIGNING_SECOND_FACTOR_MINUTES} "
            "minutes ago). Confirm it, then sign.",
        )
        review_url = reverse("determination-review", args=[determination.pk])
        return redirect(f"{reverse('second-factor-verify')}?{urlencode({'next': review_url})}")
    form = SignForm(request.POST, user=request.user, request=request)
    if not form.is_valid():
        if getattr(request, "axes_locked_out", False):
            # Too many wrong passwords: whoever is at the keyboard is logged out too, and
            # the lockout page answers (django-axes' middleware).
            logout(request)
        return _review_page(request, determination, form)
    try:
        services.determination_sign(determination=determination, signed_by=request.user)
    except services.NotReadyToSign:
        messages.error(request, "Not signed: the checklist below shows what is missing.")
        return _review_page(request, determination, SignForm(user=request.user, request=request))
    except DeterminationLocked as error:
        return _conflict(request, determination, str(error))
    messages.success(request, f"MMI determination v{determination.version} is signed.")
    return redirect(determination)


@require_POST
def determination_amend(request: AuthenticatedHttpRequest, determination_id: int) -> HttpResponse:
    determination = get_determination_for(
        request.user, determination_id, capability=Capability.DETERMINE
    )
    try:
        amendment = services.determination_amend(
            determination=determination, amended_by=request.user
        )
    except services.InvalidTransition as error:
        return _conflict(request, determination, str(error))
    messages.success(
        request,
        f"Amendment v{amendment.version} started as a copy of v{determination.version}; "
        f"it supersedes v{determination.version} once signed.",
    )
    return redirect(_step_url(amendment, STEPS[0].slug))


@require_http_methods(["GET", "POST"])
def determination_rescind(request: AuthenticatedHttpRequest, determination_id: int) -> HttpResponse:
    determination = get_determination_for(
        request.user, determination_id, capability=Capability.DETERMINE
    )
    if not determination.is_in_force:
        return _not_in_force(request, determination, "rescinded")
    form = RescindForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.determination_rescind(
                    determination=determination,
                    rescinded_by=request.user,
                    category=form.cleaned_data["category"],
                    reason=form.cleaned_data["reason"],
                )
            except services.InvalidTransition as error:
                return _conflict(request, determination, str(error))
            messages.success(
                request, "MMI re-opened: the certification is rescinded and kept on file."
            )
            return redirect(determination)
        messages.error(request, "Nothing was changed: please correct the fields marked below.")
    return render(
        request,
        "cases/determinations/rescind.html",
        {"determination": determination, "case": determination.case, "form": form},
    )


def dispute_recorded_message(dispute: Dispute) -> str:
    if dispute.is_late:
        return f"Dispute recorded as late. {dispute.late_reason}"
    closes = f"The party's window closes on {day(dispute.deadline)}." if dispute.deadline else ""
    parts = ("Dispute recorded.", closes, dispute.deadline_warning)
    return " ".join(part for part in parts if part)


@require_http_methods(["GET", "POST"])
def dispute_add(request: AuthenticatedHttpRequest, determination_id: int) -> HttpResponse:
    determination = get_determination_for(
        request.user, determination_id, capability=Capability.RECORD_DISPUTE
    )
    if not determination.is_in_force:
        return _not_in_force(request, determination, "disputed")
    form = DisputeForm(request.POST or None, determination=determination)
    if request.method == "POST":
        if form.is_valid():
            try:
                dispute = services.dispute_record(
                    determination=determination, recorded_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, dispute_recorded_message(dispute))
                return redirect(f"{determination.get_absolute_url()}#disputes")
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(
        request,
        "cases/determinations/dispute_form.html",
        {
            "determination": determination,
            "case": determination.case,
            "form": form,
            "title": "Record a dispute",
            # The party's reasons often come with records: they can be added on the way.
            "may_add_records": has_capability(request.user, Capability.ADD_OUTSIDE_RECORDS),
        },
    )


@require_http_methods(["GET", "POST"])
def dispute_resolve(request: AuthenticatedHttpRequest, dispute_id: int) -> HttpResponse:
    dispute = get_dispute_for(request.user, dispute_id, capability=Capability.RECORD_DISPUTE)
    determination = dispute.determination
    if dispute.outcome != Dispute.Outcome.PENDING:
        return _conflict(request, determination, "This dispute is already resolved.")
    form = DisputeResolveForm(request.POST or None, instance=dispute)
    if request.method == "POST":
        if form.is_valid():
            services.dispute_resolve(
                dispute=dispute,
                outcome=form.cleaned_data["outcome"],
                outcome_date=form.cleaned_data["outcome_date"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, "The outcome of the dispute was recorded.")
            return redirect(f"{determination.get_absolute_url()}#disputes")
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(
        request,
        "cases/determinations/dispute_form.html",
        {
            "determination": determination,
            "case": dispute.case,
            "dispute": dispute,
            "form": form,
            "title": "Record the outcome of a dispute",
        },
    )
