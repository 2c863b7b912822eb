from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Left, Trim, Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..domain.jurisdictions import DisabilityPeriod as DisabilityPeriodDates
from ..domain.jurisdictions import (
    SpinalSurgeryExtension,
    StatutoryMMI,
    UnknownJurisdiction,
    for_code,
)
from ..templatetags.dates import day


class Language(models.TextChoices):
    """The languages the patient's own documents are written in (the translation catalogues
    under each app's ``locale/``)."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish (español)"


class Patient(models.Model):
    """The injured worker. A trigger refuses a birth date in the future (migration 0003)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, max_length=500)
    # Only the last four digits are kept: the Texas forms ask for no more (DWC073 box 3).
    ssn_last4 = models.CharField(
        "last four digits of the Social Security number",
        max_length=4,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9]{4}$", "Enter the last four digits of the SSN, digits only.")
        ],
        help_text="Only the last four digits; never the whole number.",
    )
    preferred_language = models.CharField(
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="Letters and questionnaires for the patient are written in this language.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        # The case search by date of birth (cases/filters.py).
        indexes = [models.Index(fields=["date_of_birth"], name="patient_birth_date")]

    def __str__(self) -> str:
        return self.full_name(self.first_name, self.last_name)

    @staticmethod
    def full_name(first_name: str, last_name: str) -> str:
        """How a patient is named, also where only the two columns are read."""
        return f"{first_name} {last_name}"


# A case's diagnosis group: the ICD-10 category, the primary code's first three characters.
DIAGNOSIS_GROUP = Upper(Left(Trim("diagnosis_codes"), 3))


class CaseStatus(models.TextChoices):
    """Open → in treatment → MMI review → at MMI → closed; disputed and reopened are side
    states. Status changes only through cases/services/."""

    OPEN = "open", "Open"
    IN_TREATMENT = "in_treatment", "In treatment"
    MMI_REVIEW = "mmi_review", "MMI review"
    AT_MMI = "at_mmi", "At MMI"
    DISPUTED = "disputed", "Disputed"
    REOPENED = "reopened", "Reopened"
    CLOSED = "closed", "Closed"


class BodyPart(models.TextChoices):
    LOWER_BACK = "lower_back", "Lower back"
    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    ELBOW = "elbow", "Elbow"
    WRIST_HAND = "wrist_hand", "Wrist and hand"
    KNEE = "knee", "Knee"
    ANKLE_FOOT = "ankle_foot", "Ankle and foot"
    HIP = "hip", "Hip"
    HEAD = "head", "Head"
    MULTIPLE = "multiple", "Multiple"


class Plateau(models.TextChoices):
    """A case's plateau verdict (docs/domain.md §5), as the board lists it."""

    NONE = "", "Neither"
    CANDIDATE = "candidate", "Plateau candidate"
    DETERIORATING = "deteriorating", "Deteriorating"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"
    NONE = "", "Not applicable"


class CaseQuerySet(models.QuerySet["Case"]):
    def with_parties(self) -> "CaseQuerySet":
        return self.select_related("patient", "insurer", "employer", "case_manager", "adjuster")

    def with_certification(self) -> "CaseQuerySet":
        """Each case with its certification in force (its latest signed determination)
        annotated: ``has_certification``, and its ``certified_mmi_type`` and
        ``certified_rating``, empty without one."""
        from .determinations import Determination

        in_force = Determination.objects.signed().filter(case=OuterRef("pk")).order_by("-version")
        return self.annotate(
            has_certification=Exists(in_force),
            certified_mmi_type=Subquery(in_force.values("mmi_type")[:1]),
            certified_rating=Subquery(in_force.values("impairment_rating")[:1]),
        )

    def refresh_last_assessed(self) -> int:
        """Set these cases' last_assessed_on from their assessments, in one UPDATE."""
        # Imported here: clinical.py imports this module for BodyPart and Side.
        from .clinical import Assessment

        latest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-date").values("date")[:1]
        return self.update(last_assessed_on=Subquery(latest))


# Case fields written only by the services that keep them in step with other rows.
KEPT_BY_SERVICES = frozenset({"has_clinician", "last_assessed_on", "plateau", "revision"})


class Case(models.Model):
    """One injury claim.

    The database refuses an injury date in the future with a trigger (migration 0003):
    a CHECK constraint may not read the clock on SQLite."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="cases")
    claim_number = models.CharField("carrier claim number", max_length=40, unique=True)
    state_claim_number = models.CharField(
        "state claim number",
        max_length=40,
        blank=True,
        help_text="The agency's number (Texas: DWC number).",
    )
    jurisdiction = models.CharField(
        max_length=2, help_text="The state whose workers' compensation law applies (e.g. TX)."
    )
    date_of_injury = models.DateField()
    disability_began = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The first day of the first period of disability, kept here from the "
        "periods by the services.",
    )
    statutory_mmi_date = models.DateField(
        "statutory MMI date",
        null=True,
        blank=True,
        editable=False,
        help_text="Worked out from the periods of disability and any extension order by the "
        "jurisdiction's rule, and kept here by the services so worklists read an index.",
    )
    spinal_extension_ordered_on = models.DateField(
        "extension ordered on",
        null=True,
        blank=True,
        help_text="Texas: the date of the Division's order extending statutory MMI for "
        "spinal surgery (Labor Code §408.104).",
    )
    spinal_extension_date = models.DateField(
        "statutory MMI extended to",
        null=True,
        blank=True,
        help_text="The statutory MMI date the order sets.",
    )
    body_part = models.CharField(max_length=20, choices=BodyPart.choices)
    body_side = models.CharField(max_length=5, choices=Side.choices, blank=True)
    diagnosis_codes = models.CharField(
        "ICD-10 codes", max_length=200, blank=True, help_text="Comma-separated, primary first."
    )
    injury_description = models.TextField(blank=True, max_length=4000)
    employer = models.ForeignKey(
        "cases.Organisation", on_delete=models.PROTECT, related_name="employer_cases"
    )
    insurer = models.ForeignKey(
        "cases.Organisation", on_delete=models.PROTECT, related_name="insurer_cases"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_cases"
    )
    adjuster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjusted_cases",
    )
    # The employee's representative (an attorney or the Office of Injured Employee Counsel),
    # who receives a copy of each certification (docs/domain.md §10).
    representative_name = models.CharField("employee's representative", max_length=200, blank=True)
    representative_address = models.TextField(
        "representative's postal address", blank=True, max_length=500
    )
    representative_fax = models.CharField(
        "representative's fax or email", max_length=120, blank=True
    )
    care_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="care_team_cases", blank=True
    )
    has_clinician = models.BooleanField(
        default=False,
        editable=False,
        help_text="Whether a clinician is on the care team, kept in step with it "
        "(cases/services/cases.py, care_team_changed) so that the board finds the cases "
        "nobody treats by an index.",
    )
    tracked_instruments = models.ManyToManyField(
        "cases.Instrument",
        blank=True,
        related_name="+",
        help_text="The outcome measures recorded at each assessment.",
    )
    average_weekly_wage = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The worker's pre-injury average weekly wage, for benefit estimates.",
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN, editable=False
    )
    next_review_date = models.DateField(null=True, blank=True)
    mmi_date = models.DateField(
        "MMI date",
        null=True,
        blank=True,
        editable=False,
        help_text="The signed determination's MMI date, copied here when it is signed (and "
        "cleared when it is rescinded) so the case list can filter and sort on an index.",
    )
    last_assessed_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The date of the latest assessment, kept here by the services that save and "
        'delete assessments so the "no assessment in 30 days" worklists read an index.',
    )
    plateau = models.CharField(  # noqa: DJ001 (null: not judged yet, unlike "neither")
        max_length=13,
        choices=Plateau.choices,
        default=Plateau.NONE,
        null=True,
        blank=True,
        editable=False,
        help_text="The plateau verdict of the case's scores and work statuses, kept here by "
        "the services that save them (cases/services/plateau.py) so the board's plateau and "
        "deterioration lists read an index; null for the cases migration 0024 found, until "
        "judged after the migrations (cases/apps.py).",
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts the changes to what the case's documents print, so that a stored "
        "PDF is known to be current (cases/reports/revisions.py).",
    )

    objects = CaseQuerySet.as_manager()
    # last_assessed_on and plateau follow the assessments and work statuses, whose own
    # history already says what changed; revision counts changes.
    history = HistoricalRecords(m2m_fields=[care_team], excluded_fields=sorted(KEPT_BY_SERVICES))

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disability_began__isnull=True)
                | models.Q(disability_began__gte=models.F("date_of_injury")),
                name="case_disability_not_before_injury",
            ),
            models.CheckConstraint(
                condition=models.Q(average_weekly_wage__isnull=True)
                | models.Q(average_weekly_wage__gte=0),
                name="case_wage_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    spinal_extension_ordered_on__isnull=True, spinal_extension_date__isnull=True
                )
                | models.Q(
                    spinal_extension_ordered_on__isnull=False,
                    spinal_extension_date__gte=models.F("spinal_extension_ordered_on"),
                ),
                name="case_spinal_extension_complete",
            ),
        ]
        indexes = [
            # The case list's default order and the status board's counts.
            models.Index(fields=["status", "-opened_at"], name="case_status_opened"),
            # The case list's default order over every case (administrators): newest first,
            # the primary key breaking ties, so the first page is read from the index.
            models.Index(fields=["-opened_at", "-id"], name="case_opened"),
            # A case manager's case list (newest first) and every board worklist, which
            # starts from the manager's own cases.
            models.Index(fields=["case_manager", "status"], name="case_manager_status"),
            models.Index(fields=["case_manager", "-opened_at"], name="case_manager_opened"),
            # An adjuster's case list and home: the insurer's cases, newest first.
            models.Index(fields=["insurer", "-opened_at"], name="case_insurer_opened"),
            # Adjuster's home "newly at MMI" and the case list's MMI-date filter and sort.
            models.Index(fields=["insurer", "mmi_date"], name="case_insurer_mmi"),
            models.Index(fields=["mmi_date"], name="case_mmi_date"),
            # Working out again one group of Time to MMI's summaries (services/summaries.py),
            # over every case or one insurer's: the cases at MMI with a body part or a
            # diagnosis group.
            models.Index(
                "body_part",
                "insurer",
                name="case_body_part_at_mmi",
                condition=models.Q(mmi_date__isnull=False),
            ),
            models.Index(
                DIAGNOSIS_GROUP,
                "insurer",
                name="case_diagnosis_at_mmi",
                condition=models.Q(mmi_date__isnull=False),
            ),
            # The board's "No clinician assigned": open cases nobody treats, oldest first.
            models.Index(
                fields=["opened_at", "id"],
                name="case_without_clinician",
                condition=models.Q(has_clinician=False) & ~models.Q(status=CaseStatus.CLOSED),
            ),
            # The board's "Plateau candidates" and "Deteriorating": the cases in treatment
            # with that verdict, nearest review first.
            models.Index(
                fields=["plateau", "next_review_date", "id"],
                name="case_plateau_review",
                condition=models.Q(status=CaseStatus.IN_TREATMENT, plateau__gt=""),
            ),
            # "Approaching statutory MMI": a date range on the statutory MMI date, in the
            # list's order.
            models.Index(fields=["statutory_mmi_date", "id"], name="case_statutory_mmi"),
            # "No assessment in 30 days" over all cases (administrators) reads the index
            # case_status_last_assessed of migration 0014, written there in SQL because
            # SQLite refuses the NULLS FIRST that PostgreSQL needs to read it in order.
            # "Reviews overdue" over all cases (administrators), in the list's order: many
            # cases share a review day.
            models.Index(fields=["next_review_date", "id"], name="case_review_due"),
            # The case list's injury-date filter and sort.
            models.Index(fields=["date_of_injury"], name="case_injury_date"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_number} — {self.patient}"

    def save(self, *args, **kwargs) -> None:
        # last_assessed_on and plateau are written only with the records they follow
        # (services) and revision only by its increment (cases/reports/revisions.py): a case
        # saved from a copy read before one of them changed must not put back an older value.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in KEPT_BY_SERVICES
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("case-detail", args=[self.pk])

    @property
    def is_at_mmi(self) -> bool:
        return self.status == CaseStatus.AT_MMI

    @property
    def review_due(self) -> date | None:
        """The next review, while the case is open: a closed case is reviewed no more."""
        return None if self.status == CaseStatus.CLOSED else self.next_review_date

    @property
    def review_overdue(self) -> bool:
        due = self.review_due
        return due is not None and due < timezone.localdate()

    @property
    def diagnosis_code_list(self) -> list[str]:
        return [code for code in self.diagnosis_codes.split(",") if code]

    def statutory_mmi(
        self, periods: list[DisabilityPeriodDates] | None = None
    ) -> StatutoryMMI | None:
        """Statutory MMI under the case's jurisdiction from its periods of disability (given,
        or read through ``disability_periods``, prefetched where the caller loads many) and
        any extension order; None where the law sets none or too few days are recorded."""
        try:
            rules = for_code(self.jurisdiction)
        except UnknownJurisdiction:
            return None
        if periods is None:
            periods = [
                DisabilityPeriodDates(period.began, period.ended)
                for period in self.disability_periods.all()
            ]
        extension = (
            SpinalSurgeryExtension(self.spinal_extension_ordered_on, self.spinal_extension_date)
            if self.spinal_extension_ordered_on and self.spinal_extension_date
            else None
        )
        return rules.statutory_mmi(periods, extension=extension) if periods else None


class DisabilityPeriod(models.Model):
    """A run of days the worker was off work because of the injury (28 TAC 124.7(a)).

    Written only through the services, which check the periods together and keep the
    case's first day of disability and statutory MMI date in step with them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disability_periods")
    began = models.DateField("off work from")
    ended = models.DateField(
        "through", null=True, blank=True, help_text="Empty while the worker is still off work."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "began"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended__isnull=True) | models.Q(ended__gte=models.F("began")),
                name="disability_period_in_order",
            ),
            models.UniqueConstraint(fields=["case", "began"], name="disability_period_once"),
        ]

    def __str__(self) -> str:
        return f"{day(self.began)} – {day(self.ended) or 'still off work'}"
