"""What happens to a case clinically: treatments, assessments, tests, opinions, work status."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..domain.dates import EARLIEST_DAY
from ..domain.work_status import WorkStatusEntry, describe_work_status, work_status_problems
from ..templatetags.dates import day
from .cases import BodyPart, Side


class DatedRecord(models.Model):
    """A clinical record's days, refused alike from the page, the API and the services
    (full_clean): none before 1900, and none after today for a day something happened on
    (``PAST_DATES``); ``DATES`` may look ahead (an expected end). Each maps a field to the
    words its message names it by."""

    PAST_DATES: ClassVar[dict[str, str]] = {}
    DATES: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        today, errors = timezone.localdate(), {}
        for name, label in {**self.PAST_DATES, **self.DATES}.items():
            value = getattr(self, name)
            if value is None:
                continue
            if value < EARLIEST_DAY:
                errors[name] = f"{label} must be from {EARLIEST_DAY.year} on."
            elif name in self.PAST_DATES and value > today:
                errors[name] = f"{label} cannot be in the future."
        if errors:
            raise ValidationError(errors)


class Treatment(DatedRecord):
    PAST_DATES = {"start_date": "The start date"}
    DATES = {"end_date": "The end date"}

    class Kind(models.TextChoices):
        PHYSICAL_THERAPY = "pt", "Physical therapy"
        OCCUPATIONAL_THERAPY = "ot", "Occupational therapy"
        CHIROPRACTIC = "chiropractic", "Chiropractic"
        INJECTION = "injection", "Injection"
        SURGERY = "surgery", "Surgery"
        MEDICATION = "medication", "Medication"
        PAIN_MANAGEMENT = "pain_management", "Pain management"
        WORK_HARDENING = "work_hardening", "Work hardening"
        HOME_EXERCISE = "home_exercise", "Home exercise programme"
        OTHER = "other", "Other"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="treatments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300)
    provider = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty while ongoing.")
    sessions = models.PositiveIntegerField(null=True, blank=True)
    authorised = models.BooleanField(
        default=True,
        help_text="Authorised by the carrier (still-authorised treatment that "
        "is producing improvement argues against MMI).",
    )
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    # What a clinician records of a treatment: the page's form and the API take these.
    RECORDED_FIELDS = (
        "kind",
        "description",
        "provider",
        "start_date",
        "end_date",
        "sessions",
        "authorised",
        "notes",
    )

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="treatment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"

    @property
    def is_ongoing(self) -> bool:
        return self.end_date is None


class Assessment(DatedRecord):
    """One examination with its outcome scores (docs/domain.md §5)."""

    PAST_DATES = {"date": "The assessment date"}

    # Written through the services (assessment_save, assessment_delete), which keep the
    # case's last_assessed_on right; bulk inserts call Case.objects.refresh_last_assessed().
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    date = models.DateField()
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    pain_score = models.PositiveSmallIntegerField(
        "pain now (0–10)", null=True, blank=True, help_text="Numeric pain rating, 0 = no pain."
    )
    findings = models.TextField("objective findings", blank=True, max_length=4000)
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    # What a clinician records of an assessment (its scores are rows of their own): the
    # page's form takes these; the API takes them but the clinician, who is whoever sends it.
    RECORDED_FIELDS = ("date", "clinician", "pain_score", "findings", "notes")

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pain_score__isnull=True) | models.Q(pain_score__lte=10),
                name="assessment_pain_0_to_10",
            ),
        ]
        indexes = [
            # "No assessment in 30 days" and the latest-assessment lookups.
            models.Index(fields=["case", "-date"], name="assessment_case_date"),
            # "No assessment in 30 days" over many cases: the recent assessments by date.
            models.Index(fields=["date"], name="assessment_date"),
        ]

    def __str__(self) -> str:
        return f"Assessment on {day(self.date)}"


class OutcomeScore(models.Model):
    """One measure's value at an assessment.

    The range it was recorded on is copied from the instrument so the database itself
    refuses a value outside it (NDI keeps the scale, 0–50 or 0–100 %, with each value).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    instrument = models.ForeignKey("cases.Instrument", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=7, decimal_places=2)
    scale_min = models.DecimalField("scale minimum", max_digits=7, decimal_places=2)
    scale_max = models.DecimalField("scale maximum", max_digits=7, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument__abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instrument"], name="score_one_per_instrument"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=models.F("scale_min"))
                & models.Q(value__lte=models.F("scale_max")),
                name="score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: {self.value.normalize():f}"


class Diagnostic(DatedRecord):
    PAST_DATES = {"date": "The test date"}

    class Kind(models.TextChoices):
        XRAY = "xray", "X-ray"
        MRI = "mri", "MRI"
        CT = "ct", "CT"
        EMG_NCS = "emg_ncs", "EMG / nerve conduction"
        ULTRASOUND = "ultrasound", "Ultrasound"
        LAB = "lab", "Laboratory"
        FCE = "fce", "Functional capacity evaluation"
        OTHER = "other", "Other"

    class Stability(models.TextChoices):
        STABLE = "stable", "Stable"
        CHANGED = "changed", "Changed"
        NOT_COMPARED = "not_compared", "Not compared"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="diagnostics")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    body_part = models.CharField(max_length=100, blank=True)
    findings = models.TextField(max_length=4000)
    stability = models.CharField(
        max_length=20,
        choices=Stability.choices,
        default=Stability.NOT_COMPARED,
        help_text="Compared with earlier studies.",
    )
    is_objective_finding = models.BooleanField(
        "objective finding",
        default=False,
        help_text="Shows an objective clinical or laboratory finding (Texas §408.122).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    # What a clinician records of a diagnostic test: the page's form and the API show these.
    RECORDED_FIELDS = ("kind", "date", "body_part", "findings", "stability", "is_objective_finding")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {day(self.date)}"


class Consultation(DatedRecord):
    PAST_DATES = {"date": "The consultation date"}

    class Kind(models.TextChoices):
        SPECIALIST = "specialist", "Specialist"
        IME = "ime", "Independent medical examination"
        DESIGNATED_DOCTOR = "designated_doctor", "Designated doctor"
        PEER_REVIEW = "peer_review", "Peer review"
        SECOND_OPINION = "second_opinion", "Second opinion"

    class MMIOpinion(models.TextChoices):
        AGREES = "agrees", "At MMI"
        DISAGREES = "disagrees", "Not at MMI"
        NOT_STATED = "not_stated", "No opinion on MMI"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    consultant = models.CharField(max_length=200)
    specialty = models.CharField(max_length=100, blank=True)
    opinion = models.TextField(max_length=4000)
    mmi_opinion = models.CharField(
        "opinion on MMI", max_length=20, choices=MMIOpinion.choices, default=MMIOpinion.NOT_STATED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    # What a clinician records of a consultation: the page's form and the API show these.
    RECORDED_FIELDS = ("kind", "date", "consultant", "specialty", "opinion", "mmi_opinion")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.consultant}"


class WorkStatus(DatedRecord):
    """A work status report (Texas DWC073 model, docs/domain.md §7)."""

    DATES = {"effective_from": "The “as of” date", "expected_through": "The expected end"}

    class Kind(models.TextChoices):
        FULL_DUTY = "full_duty", "May return to work without restrictions"
        RESTRICTED = "restricted", "May return to work with restrictions"
        OFF_WORK = "off_work", "Prevented from working"

    class PractitionerRole(models.TextChoices):
        # The roles the DWC073 lists beside the practitioner's signature (docs/domain.md §7).
        TREATING = "treating", "Treating doctor"
        REFERRAL = "referral", "Referral doctor"
        CONSULTING = "consulting", "Consulting doctor"
        DESIGNATED = "designated", "Designated doctor"
        RME = "rme", "RME doctor (required medical examination)"
        PHYSICIAN_ASSISTANT = "physician_assistant", "Physician assistant"
        APRN = "aprn", "Advanced practice registered nurse"
        OTHER = "other", "Other doctor"

    class VisitType(models.TextChoices):
        # The DWC073's "Visit Type".
        INITIAL = "initial", "Initial visit"
        FOLLOW_UP = "follow_up", "Follow-up visit"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="work_statuses")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_from = models.DateField("as of")
    expected_through = models.DateField(
        null=True, blank=True, help_text="A real date: “at next visit” is not a date."
    )
    explanation = models.TextField(blank=True, max_length=2000)
    hours_per_day = models.PositiveSmallIntegerField(null=True, blank=True)
    medication_effects = models.CharField(max_length=300, blank=True)
    # The visit the status was given at and the next one (DWC073 part IV).
    visited_on = models.DateField("date of visit", null=True, blank=True)
    next_visit_on = models.DateField("next visit", null=True, blank=True)
    visit_type = models.CharField(max_length=20, choices=VisitType.choices, blank=True)
    practitioner_role = models.CharField(
        "your role in this claim",
        max_length=30,
        choices=PractitionerRole.choices,
        blank=True,
        help_text="As the Texas work status report (DWC073) asks it.",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set on the status a signed MMI certification issues (services.determination_sign): its
    # restrictions are permanent and run through no date.
    determination = models.ForeignKey(
        "cases.Determination",
        verbose_name="issued with the certification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="work_statuses",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    # What a clinician records of a work status: the page's form and the API take these.
    RECORDED_FIELDS = (
        "kind",
        "effective_from",
        "expected_through",
        "hours_per_day",
        "medication_effects",
        "explanation",
        "visited_on",
        "visit_type",
        "next_visit_on",
        "practitioner_role",
    )

    class Meta:
        ordering = ["effective_from", "pk"]
        verbose_name_plural = "work statuses"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_through__isnull=True)
                | models.Q(expected_through__gte=models.F("effective_from")),
                name="work_status_ends_after_start",
            ),
            # Permanent restrictions, issued with a certification, have no end.
            models.CheckConstraint(
                condition=models.Q(kind="full_duty")
                | models.Q(expected_through__isnull=False)
                | models.Q(kind="restricted", determination__isnull=False),
                name="work_status_limited_has_end",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_day__isnull=True) | models.Q(hours_per_day__lte=24),
                name="work_status_hours_in_day",
            ),
        ]
        indexes = [
            # "Work status expiring within 7 days or already expired", read in the list's
            # order.
            models.Index(fields=["expected_through", "id"], name="work_status_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} as of {day(self.effective_from)}"

    # The field each entry of the DWC073 rules is about. The restrictions are rows of their
    # own, not a field: a problem with the list is about the work status as a whole.
    RULE_FIELDS = {
        WorkStatusEntry.START: "effective_from",
        WorkStatusEntry.END: "expected_through",
        WorkStatusEntry.EXPLANATION: "explanation",
        WorkStatusEntry.RESTRICTIONS: NON_FIELD_ERRORS,
    }

    @property
    def is_permanent(self) -> bool:
        """A return with the permanent restrictions a certification set: no end date."""
        return self.kind == self.Kind.RESTRICTED and self.determination_id is not None

    @property
    def statement(self) -> str:
        """The status in one DWC073 sentence (cases/domain/work_status.py)."""
        return describe_work_status(
            self.kind, self.effective_from, self.expected_through, permanent=self.is_permanent
        )

    @classmethod
    def rule_problems(
        cls,
        *,
        kind,
        effective_from,
        expected_through,
        explanation,
        restriction_count: int,
        permanent: bool = False,
    ) -> dict[str, list[str]]:
        """What the work status rules (cases/domain/work_status.py, docs/domain.md §7) find
        wrong, by the field each problem is about; empty when complete, or when ``kind`` is
        not one of the three (the field's own validation says so). The form, the API and
        services.work_status_save all ask here, so every path refuses with the same words.
        """
        if kind not in cls.Kind.values:
            return {}
        problems: dict[str, list[str]] = {}
        for entry, message in work_status_problems(
            kind,
            effective_from,
            expected_through,
            explanation or "",
            restriction_count,
            permanent=permanent and kind == cls.Kind.RESTRICTED,
        ):
            problems.setdefault(cls.RULE_FIELDS[entry], []).append(message)
        return problems


class WorkRestriction(models.Model):
    """One restriction on a work status: posture, lifting, motion or body part
    (docs/domain.md §7)."""

    class Category(models.TextChoices):
        POSTURE = "posture", "Posture (hours a day)"
        LIFT_CARRY = "lift_carry", "Lift / carry"
        PUSH_PULL = "push_pull", "Push / pull"
        MOTION = "motion", "Motion"
        BODY_PART = "body_part", "Body part"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        NEVER = "never", "Never"
        OCCASIONAL = "occasional", "Occasionally (up to ⅓ of the day)"
        FREQUENT = "frequent", "Frequently (⅓ to ⅔ of the day)"
        CONSTANT = "constant", "Constantly (⅔ of the day or more)"

    work_status = models.ForeignKey(
        WorkStatus, on_delete=models.CASCADE, related_name="restrictions"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    activity = models.CharField(max_length=100, help_text="e.g. stand, lift, overhead reach.")
    body_part = models.CharField(max_length=20, choices=BodyPart.choices, blank=True)
    side = models.CharField(max_length=5, choices=Side.choices, blank=True)
    max_hours_per_day = models.DecimalField(
        "hours-a-day limit", max_digits=4, decimal_places=1, null=True, blank=True
    )
    max_pounds = models.PositiveSmallIntegerField("weight limit (lb)", null=True, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, blank=True)
    is_permanent = models.BooleanField("permanence", default=False)
    notes = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    # What a clinician records of a restriction: the page's form and the API take these.
    RECORDED_FIELDS = (
        "category",
        "activity",
        "body_part",
        "side",
        "max_hours_per_day",
        "max_pounds",
        "frequency",
        "is_permanent",
        "notes",
    )

    class Meta:
        ordering = ["category", "activity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_hours_per_day__isnull=True)
                | (models.Q(max_hours_per_day__gte=0) & models.Q(max_hours_per_day__lte=24)),
                name="restriction_hours_in_day",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.activity]
        if self.max_pounds is not None:
            parts.append(f"max {self.max_pounds} lb")
        if self.frequency:
            parts.append(self.get_frequency_display().split(" (")[0].lower())
        if self.max_hours_per_day is not None:
            parts.append(f"max {self.max_hours_per_day.normalize():f} h/day")
        if self.body_part:
            parts.append(
                f"{self.get_side_display().lower()} {self.get_body_part_display().lower()}"
                if self.side
                else self.get_body_part_display().lower()
            )
        return ", ".join(parts)
