"""Writes of the patient's questionnaire links and plans (docs/domain.md §11): sending a
link (by email, or shown with its QR code), the patient's answers as they go, submitting
them through the questionnaires' own service, marking a response reviewed, and the plans
the task queue follows. Keyword-only, each in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cases.access import Capability, has_capability
from cases.models import Case, CaseStatus, User

from . import domain, questions
from .models import LinkActivity, LinkAnswer, PlanStop, QuestionnaireLink, QuestionnairePlan

# The statuses after which a plan sends nothing more (docs/domain.md §11).
FINISHED = (CaseStatus.AT_MMI, CaseStatus.CLOSED)


@dataclass(frozen=True)
class SentLink:
    """A link just made, with the token that opens it: the one moment it is known."""

    link: QuestionnaireLink
    token: str

    @property
    def url(self) -> str:
        return link_url(self.token)


def link_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('patient_links:start', args=[token])}"


def clinician_for(case: Case, sender: User) -> User | None:
    """Whose assessment the patient's scores go on: the sending clinician's while they are on
    the care team, else the care team's first clinician."""
    team = [member for member in case.care_team.order_by("pk") if member.is_active]
    clinicians = [m for m in team if has_capability(m, Capability.RECORD_CLINICAL)]
    if any(member.pk == sender.pk for member in clinicians):
        return sender
    return clinicians[0] if clinicians else None


def clinic_for(case: Case, sender: User) -> str:
    """The clinic the patient sees named: the sending clinician's, or else that of the first
    clinician of the care team who names one (a case manager sends for the care team)."""
    candidates = [sender] if has_capability(sender, Capability.RECORD_CLINICAL) else []
    candidates += list(case.care_team.select_related("organisation").order_by("pk"))
    for clinician in candidates:
        if clinician.facility_name:
            return clinician.facility_name
        if clinician.organisation is not None:
            return clinician.organisation.name
    return ""


@transaction.atomic
def link_send(
    *,
    case: Case,
    sent_by: User,
    instruments: Iterable[questions.Instrument],
    channel: str,
    plan: QuestionnairePlan | None = None,
    now: datetime | None = None,
) -> SentLink:
    """A new link to the case's patient for these instruments. By email, the message goes
    once the link is committed, carrying the clinic's name and the link only. Refused: no
    instrument, email to a patient without an address, a case at MMI or closed. An
    instrument whose activities the patient names (PSFS) asks again those of the case's
    latest scored response, if one named them."""
    now = now or timezone.now()
    chosen = list(instruments)
    errors: dict[str, str] = {}
    if not chosen:
        errors["instruments"] = "Choose at least one questionnaire."
    if channel == QuestionnaireLink.Channel.EMAIL and not case.patient.email:
        errors["channel"] = (
            "The patient has no email address on file: add it to the patient's details, or "
            "show the link and its QR code instead."
        )
    if clinician_for(case, sent_by) is None:
        errors["__all__"] = (
            "The case has no clinician on its care team to receive the answers: add one first."
        )
    if case.status in FINISHED:
        errors["__all__"] = "The case is at MMI or closed: no questionnaire is sent."
    if errors:
        raise ValidationError(errors)
    token = domain.new_token()
    link = QuestionnaireLink.objects.create(
        case=case,
        token_digest=domain.token_digest(token),
        channel=channel,
        language=case.patient.preferred_language,
        clinic=clinic_for(case, sent_by),
        sent_by=sent_by,
        plan=plan,
        sent_at=now,
        expires_at=now + timedelta(days=settings.PATIENT_LINK_DAYS),
    )
    link.instruments.set(chosen)
    LinkActivity.objects.bulk_create(questions.activities_carried(link=link, instruments=chosen))
    sent = SentLink(link=link, token=token)
    if channel == QuestionnaireLink.Channel.EMAIL:
        message = link_message(link, token, reminder=False)
        transaction.on_commit(message.send)
    return sent


def link_message(link: QuestionnaireLink, token: str, *, reminder: bool) -> EmailMessage:
    """The email to the patient, in their language: the clinic's name, the link and the day
    it stops working. No name of a questionnaire, no diagnosis, nothing of the case."""
    with translation.override(link.language):
        context = {
            "first_name": link.case.patient.first_name,
            "clinic": link.clinic,
            "url": link_url(token),
            "expires_on": timezone.localdate(link.expires_at),
            "reminder": reminder,
        }
        subject = render_to_string("patient_links/email_subject.txt", context).strip()
        body = render_to_string("patient_links/email.txt", context)
    return EmailMessage(subject, body, to=[link.case.patient.email])


@transaction.atomic
def link_open(*, link: QuestionnaireLink, now: datetime | None = None) -> None:
    """The patient opened the link: the first time is kept."""
    if link.opened_at is None:
        link.opened_at = now or timezone.now()
        link.save(update_fields=["opened_at"])


@transaction.atomic
def answer_save(
    *, link: QuestionnaireLink, question: questions.Question, value: Decimal | None
) -> LinkAnswer:
    """The patient's answer to one question (None: skipped), kept at once. A value that is
    not one of the question's choices is refused. An answer the instrument's safety rule
    names (PHQ-9 item 9 above 0) flags the link: the patient sees the crisis line from then
    on, and the clinician is alerted at once by the questionnaires' service."""
    if value is not None and value not in question.values:
        raise ValidationError({"answer": gettext("Choose one of the answers shown.")})
    if value is not None and question.needs_name:
        raise ValidationError({"answer": gettext("Name the activity before you rate it.")})
    answer = LinkAnswer.objects.create(
        link=link, instrument=question.instrument, item=question.item, value=value
    )
    if value is not None and question.alerts(value) and link.safety_flagged_at is None:
        link.safety_flagged_at = timezone.now()
        link.save(update_fields=["safety_flagged_at"])
    return answer


@transaction.atomic
def activity_name_save(
    *, link: QuestionnaireLink, question: questions.Question, typed: str
) -> LinkActivity:
    """The activity the patient names for a question that asks for one (PSFS), kept at once
    as plain text; named again, the latest counts. Refused: an empty name, a name longer
    than ``domain.ACTIVITY_NAME_MAX``, and an activity carried over from an earlier response
    (a follow-up rates the same activities)."""
    if not question.asks_name or question.carried_from is not None:
        raise ValidationError({"name": gettext("This activity cannot be changed.")})
    name = domain.activity_name(typed)
    if not name:
        raise ValidationError({"name": gettext("Write the activity in a few words.")})
    if len(name) > domain.ACTIVITY_NAME_MAX:
        raise ValidationError(
            {
                "name": gettext("Write the activity in %(limit)s characters or fewer.")
                % {"limit": domain.ACTIVITY_NAME_MAX}
            }
        )
    return LinkActivity.objects.create(
        link=link, instrument=question.instrument, item=question.item, name=name
    )


@transaction.atomic
def activities_end(*, link: QuestionnaireLink, flow: questions.Flow, number: int) -> None:
    """The patient has no other activity to name: question ``number`` and the later ones
    of its instrument that ask for an activity are no longer asked. Only past the
    instrument's minimum of activities."""
    question = flow.questions[number - 1]
    if not question.name_optional:
        raise ValidationError({"name": gettext("Write the activity in a few words.")})
    LinkActivity.objects.bulk_create(
        LinkActivity(link=link, instrument=later.instrument, item=later.item, name="")
        for later in flow.questions[number - 1 :]
        if later.instrument.pk == question.instrument.pk and later.asks_name
    )


@transaction.atomic
def link_submit(*, link: QuestionnaireLink, now: datetime | None = None) -> None:
    """The patient sends their answers: each instrument's response is stored through the
    questionnaires' service as patient-reported (scored, or kept incomplete and unscored
    below the instrument's minimum), and the link is used up. Its row is locked so that two
    submissions of one link store one response."""
    now = now or timezone.now()
    locked = QuestionnaireLink.objects.select_for_update().get(pk=link.pk)
    if locked.submitted_at is not None or locked.expires_at <= now:
        raise ValidationError("This link has been used or has expired.")
    flow = questions.flow_of(locked)
    clinician = clinician_for(locked.case, locked.sent_by)
    if clinician is None:
        raise ValidationError("The case has no clinician to receive the answers.")
    # The set answered together makes one assessment, as a visit's measures do.
    assessment = None
    responses = []
    for instrument in questions.instruments_of(locked):
        answers, named = flow.given(instrument)
        response = questions.submit(
            link=locked,
            instrument=instrument,
            answers=answers,
            named=named,
            clinician=clinician,
            assessment=assessment,
            now=now,
        )
        assessment = assessment or response.assessment
        responses.append(response)
    locked.submitted_at = now
    locked.save(update_fields=["submitted_at"])
    locked.responses.set(responses)
    link.submitted_at = now


@transaction.atomic
def link_review(*, link: QuestionnaireLink, by: User, now: datetime | None = None) -> None:
    """A clinician of the case has read the patient's answers: off the "to review" list."""
    if not has_capability(by, Capability.RECORD_CLINICAL):
        raise PermissionDenied("Only a clinician of the case marks a response reviewed.")
    if link.submitted_at is None:
        raise ValidationError("The patient has not sent their answers yet.")
    if link.reviewed_at is None:
        link.reviewed_at = now or timezone.now()
        link.reviewed_by = by
        link.save(update_fields=["reviewed_at", "reviewed_by"])


@transaction.atomic
def plan_start(
    *,
    case: Case,
    created_by: User,
    instruments: Iterable[questions.Instrument],
    every_days: int,
    starts_on: date,
) -> QuestionnairePlan:
    """A plan for the case: a link by email every ``every_days`` from ``starts_on`` until MMI
    or closure. One plan runs at a time: a new one replaces the one running."""
    chosen = list(instruments)
    errors: dict[str, str] = {}
    if not chosen:
        errors["instruments"] = "Choose at least one questionnaire."
    if every_days < 1:
        errors["every_days"] = "Send at most one link a day."
    if starts_on < timezone.localdate():
        errors["starts_on"] = "Start today or on a later day."
    if not case.patient.email:
        errors["__all__"] = (
            "The patient has no email address on file: a plan sends its links by email."
        )
    if case.status in FINISHED:
        errors["__all__"] = "The case is at MMI or closed: no plan is started."
    if errors:
        raise ValidationError(errors)
    for running in QuestionnairePlan.objects.select_for_update().filter(
        case=case, stopped_at__isnull=True
    ):
        plan_stop(plan=running, reason=PlanStop.BY_HAND, by=created_by)
    plan = QuestionnairePlan.objects.create(
        case=case,
        created_by=created_by,
        every_days=every_days,
        starts_on=starts_on,
        next_on=starts_on,
    )
    plan.instruments.set(chosen)
    return plan


@transaction.atomic
def plan_stop(*, plan: QuestionnairePlan, reason: str, by: User | None = None) -> None:
    if plan.stopped_at is None:
        plan.stopped_at = timezone.now()
        plan.stop_reason = reason
        plan.stopped_by = by
        plan.save(update_fields=["stopped_at", "stop_reason", "stopped_by"])


def plans_stop_for_case(*, case_id: int, reason: str) -> None:
    """Every running plan of the case stops (MMI certified, the case closed)."""
    for plan in QuestionnairePlan.objects.filter(case_id=case_id, stopped_at__isnull=True):
        plan_stop(plan=plan, reason=reason)


def planned_links_send(*, today: date) -> dict[str, int]:
    """The plans whose day has come each send their link (and set their next day); a plan
    whose case reached MMI or closed stops instead. Each plan in its own transaction, so one
    that fails leaves the others sent."""
    counts = {"sent": 0, "stopped": 0, "skipped": 0}
    due = QuestionnairePlan.objects.filter(stopped_at__isnull=True, next_on__lte=today)
    for plan_id in due.order_by("pk").values_list("pk", flat=True):
        counts[_plan_send(plan_id=plan_id, today=today)] += 1
    return counts


@transaction.atomic
def _plan_send(*, plan_id: int, today: date) -> str:
    plan = (
        QuestionnairePlan.objects.select_for_update()
        .select_related("case", "case__patient", "created_by")
        .get(pk=plan_id)
    )
    if plan.stopped_at is not None or plan.next_on > today:
        return "skipped"
    case = plan.case
    if case.status in FINISHED or case.mmi_date is not None:
        plan_stop(
            plan=plan, reason=PlanStop.CLOSED if case.status == CaseStatus.CLOSED else PlanStop.MMI
        )
        return "stopped"
    plan.next_on = domain.next_send_on(last_sent_on=today, every_days=plan.every_days)
    plan.save(update_fields=["next_on"])
    if not case.patient.email:
        return "skipped"
    link_send(
        case=case,
        sent_by=plan.created_by,
        instruments=plan.instruments.all(),
        channel=QuestionnaireLink.Channel.EMAIL,
        plan=plan,
    )
    return "sent"


def reminders_send(*, now: datetime | None = None) -> int:
    """One reminder for each emailed link unanswered three days after it was sent. The
    reminder carries a token of its own (the first still works): tokens are not stored, so
    the first cannot be sent again."""
    now = now or timezone.now()
    due = QuestionnaireLink.objects.filter(
        channel=QuestionnaireLink.Channel.EMAIL,
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
        sent_at__lte=now - domain.REMIND_AFTER,
    )
    sent = 0
    for link_id in due.order_by("pk").values_list("pk", flat=True):
        sent += _remind(link_id=link_id, now=now)
    return sent


@transaction.atomic
def _remind(*, link_id: int, now: datetime) -> int:
    link = (
        QuestionnaireLink.objects.select_for_update()
        .select_related("case", "case__patient")
        .get(pk=link_id)
    )
    if not domain.reminder_due(
        sent_at=link.sent_at, reminded=link.reminded_at is not None, state=link.state(now), now=now
    ):
        return 0
    if link.case.status in FINISHED or not link.case.patient.email:
        return 0
    token = domain.new_token()
    link.reminder_token_digest = domain.token_digest(token)
    link.reminded_at = now
    link.save(update_fields=["reminder_token_digest", "reminded_at"])
    transaction.on_commit(link_message(link, token, reminder=True).send)
    return 1
