"""A questionnaire set sent to a patient as a link (single use, expiring), the answers the
patient gives as they go, and a case's plan of links sent on a schedule (docs/domain.md
§11). Written only through patient_links/services.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Language
from questionnaires.models import InstrumentDefinition, Response

from . import domain


class PlanStop(models.TextChoices):
    MMI = "mmi", "MMI reached"
    CLOSED = "closed", "Case closed"
    BY_HAND = "by_hand", "Stopped by hand"


class QuestionnairePlan(models.Model):
    """ "Every 2 weeks until MMI": the instruments sent, how often, from when. The task queue
    sends each link on its day (tasks.send_planned_links) until the case reaches MMI or
    closes."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="questionnaire_plans"
    )
    instruments = models.ManyToManyField(InstrumentDefinition, related_name="+")
    every_days = models.PositiveSmallIntegerField(
        "every (days)", help_text="Days between two links: 14 for every 2 weeks."
    )
    starts_on = models.DateField()
    next_on = models.DateField(help_text="The day the next link goes.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=10, choices=PlanStop.choices, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(stopped_at__isnull=True),
                name="questionnaire_plan_one_running_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(every_days__gte=1), name="questionnaire_plan_every_day_or_more"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_on"],
                condition=models.Q(stopped_at__isnull=True),
                name="questionnaire_plan_due",
            )
        ]

    def __str__(self) -> str:
        return f"Every {self.every_days} days from {self.starts_on}"

    @property
    def interval_label(self) -> str:
        weeks, days = divmod(self.every_days, 7)
        if days:
            return f"every {self.every_days} days" if self.every_days > 1 else "every day"
        return "every week" if weeks == 1 else f"every {weeks} weeks"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None


class LinkQuerySet(models.QuerySet["QuestionnaireLink"]):
    def unanswered(self) -> "LinkQuerySet":
        return self.filter(submitted_at__isnull=True, expires_at__gt=timezone.now())


class QuestionnaireLink(models.Model):
    """One questionnaire set sent to the patient of a case. The token that opens it is never
    stored: only its SHA-256 (and that of the token a reminder carries), so the table cannot
    be read back into working links."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SHOWN = "shown", "Link and QR code shown"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="questionnaire_links"
    )
    instruments = models.ManyToManyField(InstrumentDefinition, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    reminder_token_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=5, choices=Language.choices)
    clinic = models.CharField(
        max_length=200, blank=True, help_text="The clinic the patient sees named, as sent."
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        QuestionnairePlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="links"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # PHQ-9 item 9 answered above 0 (docs/domain.md §11): the patient's pages show the crisis
    # line from that answer on.
    safety_flagged_at = models.DateTimeField(null=True, blank=True)
    responses = models.ManyToManyField(
        Response,
        blank=True,
        related_name="+",
        help_text="The responses stored when the patient sent the answers.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("sent_at")),
                name="questionnaire_link_expires_after_sending",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True) | models.Q(submitted_at__isnull=False),
                name="questionnaire_link_reviewed_once_answered",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-sent_at"], name="questionnaire_link_case"),
            # The clinician's "to review" list.
            models.Index(
                fields=["case"],
                condition=models.Q(submitted_at__isnull=False, reviewed_at__isnull=True),
                name="questionnaire_link_to_review",
            ),
            # The reminders' daily look.
            models.Index(
                fields=["sent_at"],
                condition=models.Q(submitted_at__isnull=True, reminded_at__isnull=True),
                name="questionnaire_link_unreminded",
            ),
        ]

    def __str__(self) -> str:
        return f"Questionnaire link of {self.sent_at:%Y-%m-%d}"

    def state(self, now=None) -> domain.LinkState:
        return domain.link_state(
            opened_at=self.opened_at,
            submitted_at=self.submitted_at,
            expires_at=self.expires_at,
            now=now or timezone.now(),
        )


class LinkAnswer(models.Model):
    """One answer the patient gave, kept as they go so that coming back resumes. Append
    only: a changed answer is a new row, and the latest row of an item is its answer, so
    every answer given stays with when it was given. A question the patient skipped has a
    row with no value."""

    link = models.ForeignKey(QuestionnaireLink, on_delete=models.CASCADE, related_name="answers")
    instrument = models.ForeignKey(InstrumentDefinition, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("An answer is never changed: a new answer is a new row.")
        super().save(*args, **kwargs)


class LinkActivity(models.Model):
    """An activity the patient rates on an item they name (PSFS), as the link asks it:
    carried over when the link is sent from the case's latest scored response that named
    them (``earlier_response``: the follow-up rates the same activities, their names
    unchanged), else typed by the patient on the link. Append only: a renamed activity is a
    new row and the latest row of an item counts. A blank name: the patient has no other
    activity to name, and the item is not asked."""

    link = models.ForeignKey(QuestionnaireLink, on_delete=models.CASCADE, related_name="activities")
    instrument = models.ForeignKey(InstrumentDefinition, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=40)
    # A clinician may have named one in up to 200 characters; the patient types up to
    # domain.ACTIVITY_NAME_MAX.
    name = models.CharField(max_length=200, blank=True)
    earlier_response = models.ForeignKey(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "link activities"

    def __str__(self) -> str:
        return f"{self.item}: {self.name or '(none)'}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("An activity is never changed: a new name is a new row.")
        super().save(*args, **kwargs)
