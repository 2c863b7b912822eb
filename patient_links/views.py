"""The patient's pages, opened by the link's token without an account, and the staff's:
sending a link, a plan of links, marking a response reviewed.

The patient's pages show the patient's first name and the clinic, one question a screen, in
the patient's language, with plain forms (no script). A token that opens nothing (used,
expired, altered or made up) gets one plain page with one status, whatever the reason."""

import functools
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import log_access
from cases.access import Capability, get_case_for, has_capability
from cases.views.requests import AuthenticatedHttpRequest
from questionnaires.selectors import answered_responses

from . import questions, selectors, services
from .forms import ActivityForm, AnswerForm, PlanForm, SendForm
from .models import PlanStop, QuestionnaireLink
from .qr import qr_svg
from .throttling import LinkFailures, LinkRequests

# The one answer to a token that opens nothing, whatever the reason.
UNAVAILABLE_STATUS = 404

PatientView = Callable[..., HttpResponse]


def patient_page(view: PatientView) -> Callable[..., HttpResponse]:
    """Open to anyone holding a link: rate-limited per client address, the token looked up,
    its first opening kept, the page written in the link's language."""

    @login_not_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        requests, failures = LinkRequests(), LinkFailures()
        held = [limit for limit in (requests, failures) if limit.exhausted(request)]
        if held:
            response = render(request, "patient_links/patient/too_many.html", status=429)
            response["Retry-After"] = str(max(limit.retry_after() for limit in held))
            return response
        requests.count(request)
        link = selectors.link_for_token(token)
        if link is None:
            failures.count(request)
            return render(
                request, "patient_links/patient/unavailable.html", status=UNAVAILABLE_STATUS
            )
        services.link_open(link=link)
        with translation.override(link.language):
            return view(request, link, token, **kwargs)

    return wrapped


def _patient_context(link: QuestionnaireLink, **extra) -> dict:
    return {
        "first_name": link.case.patient.first_name,
        "clinic": link.clinic,
        "crisis": link.safety_flagged_at is not None,
        **extra,
    }


def _screen_context(
    link: QuestionnaireLink,
    token: str,
    flow: questions.Flow,
    asked: questions.Question,
    number: int,
    **extra,
) -> dict:
    """What a question's screen shows around its form (patient/screen.html)."""
    return _patient_context(
        link,
        number=number,
        total=len(flow.questions),
        questionnaire_title=asked.title,
        instruction=asked.instruction,
        item_text=asked.text,
        previous_url=_screen_url(token, flow, number - 1) if number > 1 else None,
        **extra,
    )


def _question_url(token: str, number: int) -> str:
    return reverse("patient_links:question", args=[token, number])


def _activity_url(token: str, number: int) -> str:
    return reverse("patient_links:activity", args=[token, number])


def _screen_url(token: str, flow: questions.Flow, number: int) -> str:
    """Question ``number``'s screen: where the patient names its activity first when it
    asks for one not named yet (PSFS), else its choices."""
    if flow.questions[number - 1].needs_name:
        return _activity_url(token, number)
    return _question_url(token, number)


def _send_url(token: str) -> str:
    return reverse("patient_links:send", args=[token])


def _next_url(token: str, flow: questions.Flow, after: int = 0) -> str:
    """The first question after ``after`` not yet answered or skipped; the page that sends
    the answers when none is left."""
    number = flow.next_open(after)
    return _screen_url(token, flow, number) if number else _send_url(token)


@require_http_methods(["GET"])
@patient_page
def start(request: HttpRequest, link: QuestionnaireLink, token: str) -> HttpResponse:
    flow = questions.flow_of(link)
    return render(
        request,
        "patient_links/patient/start.html",
        _patient_context(
            link,
            total=len(flow.questions),
            answered=flow.answered_count,
            next_url=_next_url(token, flow),
            expires_on=timezone.localdate(link.expires_at),
        ),
    )


@require_http_methods(["GET", "POST"])
@patient_page
def question(
    request: HttpRequest, link: QuestionnaireLink, token: str, number: int
) -> HttpResponse:
    flow = questions.flow_of(link)
    if not 1 <= number <= len(flow.questions):
        return redirect("patient_links:start", token)
    asked = flow.questions[number - 1]
    if asked.needs_name:
        return redirect(_activity_url(token, number))
    if request.method == "POST":
        skipping = request.POST.get("action") == "skip"
        form = AnswerForm(request.POST, question=asked)
        if skipping or form.is_valid():
            value: Decimal | None = None if skipping else form.cleaned_data["answer"]
            try:
                services.answer_save(link=link, question=asked, value=value)
            except ValidationError as refused:
                form.add_error("answer", refused.message_dict.get("answer", refused.messages))
            else:
                flow = questions.flow_of(link)
                return redirect(_next_url(token, flow, after=number))
        status = 400
    else:
        form = AnswerForm(initial={"answer": flow.answer_key(asked)}, question=asked)
        status = 200
    renamable = asked.asks_name and asked.carried_from is None
    return render(
        request,
        "patient_links/patient/question.html",
        _screen_context(
            link,
            token,
            flow,
            asked,
            number,
            form=form,
            activity=asked.activity,
            carried_from=asked.carried_from,
            rename_url=_activity_url(token, number) if renamable else None,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@patient_page
def activity(
    request: HttpRequest, link: QuestionnaireLink, token: str, number: int
) -> HttpResponse:
    """The patient names the activity a question rates (PSFS, the first time): then its
    choices. Past the instrument's minimum they may say they have no other activity."""
    flow = questions.flow_of(link)
    if not 1 <= number <= len(flow.questions):
        return redirect("patient_links:start", token)
    asked = flow.questions[number - 1]
    if not asked.asks_name or asked.carried_from is not None:
        return redirect(_question_url(token, number))
    form = ActivityForm(request.POST or None, initial={"name": asked.activity})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "skip":
                services.answer_save(link=link, question=asked, value=None)
                return redirect(_next_url(token, questions.flow_of(link), after=number))
            if action == "none":
                services.activities_end(link=link, flow=flow, number=number)
                # The questions after this one are numbered anew without those left out.
                return redirect(_next_url(token, questions.flow_of(link), after=number - 1))
            if form.is_valid():
                services.activity_name_save(
                    link=link, question=asked, typed=form.cleaned_data["name"]
                )
                return redirect(_question_url(token, number))
        except ValidationError as refused:
            form.add_error("name", refused.message_dict.get("name", refused.messages))
        status = 400
    return render(
        request,
        "patient_links/patient/activity.html",
        _screen_context(link, token, flow, asked, number, form=form, optional=asked.name_optional),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@patient_page
def send(request: HttpRequest, link: QuestionnaireLink, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.link_submit(link=link)
        except ValidationError:
            return render(
                request, "patient_links/patient/unavailable.html", status=UNAVAILABLE_STATUS
            )
        return render(request, "patient_links/patient/done.html", _patient_context(link))
    flow = questions.flow_of(link)
    return render(
        request,
        "patient_links/patient/send.html",
        _patient_context(
            link,
            answered=flow.answered_count,
            total=len(flow.questions),
            skipped=[
                {"number": number, "url": _screen_url(token, flow, number)}
                for number in flow.unanswered_numbers()
            ],
            previous_url=_screen_url(token, flow, len(flow.questions)),
        ),
    )


# --- the staff's pages ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def link_new(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Send the patient a questionnaire set: by email, or shown once with its QR code."""
    case = get_case_for(
        request.user,
        case_id,
        capability=Capability.SEND_QUESTIONNAIRES,
        refine=lambda cases: cases.select_related("patient"),
    )
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.link_send(
                case=case,
                sent_by=request.user,
                instruments=form.cleaned_data["instruments"],
                channel=form.cleaned_data["channel"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            if sent.link.channel == QuestionnaireLink.Channel.EMAIL:
                messages.success(request, f"The questionnaire link was emailed to {case.patient}.")
                return redirect(f"{case.get_absolute_url()}#questionnaires")
            return render(
                request,
                "patient_links/shown.html",
                {"case": case, "url": sent.url, "qr": qr_svg(sent.url), "link": sent.link},
            )
    log_access(
        request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="Send questionnaires"
    )
    return render(
        request,
        "patient_links/link_form.html",
        {"case": case, "form": form, "link_days": settings.PATIENT_LINK_DAYS},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Plan links by email on a schedule until MMI (replacing a plan already running)."""
    case = get_case_for(
        request.user,
        case_id,
        capability=Capability.SEND_QUESTIONNAIRES,
        refine=lambda cases: cases.select_related("patient"),
    )
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_start(
                case=case,
                created_by=request.user,
                instruments=form.cleaned_data["instruments"],
                every_days=form.cleaned_data["every_weeks"] * 7,
                starts_on=form.cleaned_data["starts_on"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "The questionnaire plan was saved.")
            return redirect(f"{case.get_absolute_url()}#questionnaires")
    log_access(
        request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="Plan questionnaires"
    )
    return render(
        request,
        "patient_links/plan_form.html",
        {"case": case, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def plan_stop(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, plan_id)
    get_case_for(request.user, plan.case_id, capability=Capability.SEND_QUESTIONNAIRES)
    services.plan_stop(plan=plan, reason=PlanStop.BY_HAND, by=request.user)
    messages.success(request, "The questionnaire plan was stopped: no more links go.")
    return redirect(f"{plan.case.get_absolute_url()}#questionnaires")


@require_GET
def link_answers(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    """What the patient answered from a link, item by item, with each score: for the care
    team and the case manager (kept from the payer, as clinical-only records are)."""
    link = selectors.get_link_for(request.user, link_id)
    case = get_case_for(
        request.user,
        link.case_id,
        capability=Capability.SEE_CLINICAL_ONLY_RECORDS,
        refine=lambda cases: cases.select_related("patient"),
    )
    log_access(
        request,
        action=AccessLogEntry.Action.CASE_VIEW,
        case=case,
        detail=f"Questionnaire answers sent {link.submitted_at:%Y-%m-%d}"
        if link.submitted_at
        else "Questionnaire answers",
    )
    return render(
        request,
        "patient_links/link_answers.html",
        {
            "case": case,
            "link": link,
            "responses": answered_responses(link.responses.all()),
            "may_review": has_capability(request.user, Capability.RECORD_CLINICAL),
        },
    )


@require_POST
def link_reviewed(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    link = selectors.get_link_for(request.user, link_id)
    get_case_for(request.user, link.case_id, capability=Capability.RECORD_CLINICAL)
    try:
        services.link_review(link=link, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "The patient's answers are marked reviewed.")
    return redirect(f"{link.case.get_absolute_url()}#questionnaires")
