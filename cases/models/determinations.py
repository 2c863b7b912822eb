"""The five-step MMI determination (docs/architecture.md, docs/domain.md §2 and §6)."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..domain.fingerprints import fingerprint
from ..templatetags.dates import day


class DeterminationLocked(Exception):
    """A signed, superseded or rescinded determination is a record: it is never edited."""


def _locked_message(version: int | str, status: str) -> str:
    return (
        f"MMI determination v{version} is {status} and can no longer be changed: amend it to "
        "make a new version."
    )


class DeterminationQuerySet(models.QuerySet["Determination"]):
    def drafts(self) -> "DeterminationQuerySet":
        return self.filter(status=Determination.Status.DRAFT)

    def signed(self) -> "DeterminationQuerySet":
        return self.filter(status=Determination.Status.SIGNED)

    def update(self, **kwargs) -> int:
        """Bulk updates may touch drafts only, and never their status: signing, amending
        and rescinding go through cases/services/."""
        if {"status", "signed_at"} & set(kwargs):
            raise DeterminationLocked("A determination's status changes only through signing.")
        locked = self.exclude(status=Determination.Status.DRAFT).first()
        if locked is not None:
            raise DeterminationLocked(_locked_message(locked.version, locked.status))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        locked = self.exclude(status=Determination.Status.DRAFT).first()
        if locked is not None:
            raise DeterminationLocked(_locked_message(locked.version, locked.status))
        return super().delete()


class Determination(models.Model):
    """One attempt at deciding MMI for a case. Signed versions are never edited: amending
    makes a new version that supersedes the old one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"
        SUPERSEDED = "superseded", "Superseded"
        RESCINDED = "rescinded", "Rescinded"

    class MMIType(models.TextChoices):
        CLINICAL = "clinical", "Clinical MMI"
        STATUTORY = "statutory", "Statutory MMI"

    class RescindReason(models.TextChoices):
        # docs/domain.md §6: why MMI may be re-opened.
        NEW_DIAGNOSIS = "new_diagnosis", "New diagnosis"
        SUBSTANTIAL_CHANGE = "substantial_change", "Substantial change of condition"
        INADEQUATE_TREATMENT = "inadequate_treatment", "Inadequate earlier treatment"

    class ImpairmentFinding(models.TextChoices):
        # Labor Code §408.123(a); the DWC069: no impairment is not a 0 % rating.
        NONE = "none", "No permanent impairment"
        RATED = "rated", "Permanent impairment of N % whole person"

    class CertifierRole(models.TextChoices):
        # The four roles on the DWC069 model (docs/domain.md §2).
        TREATING = "treating", "Treating doctor"
        FOR_TREATING = "for_treating", "Doctor acting for the treating doctor"
        DESIGNATED = "designated", "Designated doctor"
        CARRIER_RME = "carrier_rme", "Carrier-selected RME doctor after a designated doctor exam"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="determinations")
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    certifying_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="determinations"
    )

    # Step 1: clinical evaluation. The exam date anchors the certification.
    exam_date = models.DateField(null=True, blank=True)
    records_received_date = models.DateField(
        "all medical records received on",
        null=True,
        blank=True,
        help_text="The day the last of the medical records needed for this certification "
        "arrived; with the exam date it sets the day the certification is due.",
    )
    diagnosis_codes = models.CharField("ICD-10 codes", max_length=200, blank=True)
    # Step 5: legal / insurance. The jurisdiction is copied from the case when the step is
    # saved, so a signed certification keeps the law it was made under.
    jurisdiction = models.CharField(max_length=2, blank=True)
    certifier_role = models.CharField(
        "certifying role", max_length=20, choices=CertifierRole.choices, blank=True
    )
    guides_edition = models.CharField("AMA Guides edition", max_length=10, blank=True)
    statutory_mmi_date = models.DateField("statutory MMI date", null=True, blank=True)
    # Outcome.
    mmi_reached = models.BooleanField("MMI reached", null=True, blank=True)
    mmi_type = models.CharField("MMI type", max_length=10, choices=MMIType.choices, blank=True)
    mmi_date = models.DateField("MMI date", null=True, blank=True)
    expected_mmi_date = models.DateField("expected MMI date", null=True, blank=True)
    impairment_finding = models.CharField(
        "impairment determination", max_length=10, choices=ImpairmentFinding.choices, blank=True
    )
    impairment_rating = models.PositiveSmallIntegerField(
        "whole person impairment (%)", null=True, blank=True
    )
    mmi_unconditional = models.BooleanField(
        "MMI does not depend on any future treatment or event", default=False
    )
    permanent_restrictions = models.TextField(blank=True, max_length=4000)
    future_care = models.TextField("future and maintenance care", blank=True, max_length=4000)
    return_to_work = models.TextField("return-to-work recommendation", blank=True, max_length=4000)
    plan = models.TextField("plan to reach MMI", blank=True, max_length=4000)
    rationale = models.TextField(blank=True, max_length=8000)

    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField("signing time", null=True, blank=True, editable=False)
    dispute_deadline = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The last day to dispute this certification counted from its signing, set "
        "when it is signed where the jurisdiction has a window (Texas: 90 days).",
    )
    rescinded_at = models.DateTimeField("re-opening time", null=True, blank=True, editable=False)
    rescinded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="re-opening clinician",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    rescind_category = models.CharField(
        "reason for re-opening MMI",
        max_length=20,
        choices=RescindReason.choices,
        blank=True,
        editable=False,
    )
    rescind_reason = models.TextField(
        "re-opening explanation", blank=True, max_length=4000, editable=False
    )
    fingerprint = models.CharField(
        "SHA-256 of what was certified",
        max_length=64,
        blank=True,
        editable=False,
        help_text="Set at signing from what it certifies (certified_content); "
        "manage.py verify_records works it out again.",
    )

    # What may still change on a signed row: its ending (superseded or rescinded).
    LIFECYCLE_FIELDS = frozenset(
        {
            "status",
            "rescinded_at",
            "rescinded_by",
            "rescind_category",
            "rescind_reason",
            "updated_at",
        }
    )

    objects = DeterminationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="determination_version"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="draft"),
                name="determination_one_draft_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(impairment_rating__isnull=True)
                | models.Q(impairment_rating__lte=100),
                name="determination_impairment_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_at__isnull=False),
                name="determination_signed_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(impairment_finding="none")
                | models.Q(impairment_rating__isnull=True),
                name="determination_no_impairment_has_no_rating",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(mmi_reached__isnull=False),
                name="determination_signed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rescinded")
                | (models.Q(rescinded_at__isnull=False) & ~models.Q(rescind_category="")),
                name="determination_rescinded_has_reason",
            ),
            # At most one certification in force per case: a new one supersedes the old
            # (amendment) or follows a rescinded one.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="signed"),
                name="determination_one_signed_per_case",
            ),
        ]
        indexes = [
            # Determinations signed in a period, by status.
            models.Index(fields=["status", "signed_at"], name="determination_status_signed"),
            # The adjuster's "newly at MMI" and "recent determinations": the newest signed
            # first, each kept if its case is the insurer's, until the page is full.
            models.Index(
                models.F("signed_at").desc(),
                models.F("id").desc(),
                name="determination_newest_signed",
                condition=models.Q(signed_at__isnull=False),
            ),
            # "Dispute windows closing": certifications in force by the end of their window,
            # read in the list's order.
            models.Index(fields=["status", "dispute_deadline", "id"], name="determination_window"),
            # "Drafts unsigned for over 7 days": the oldest first, read in the list's order.
            models.Index(
                fields=["started_at", "id"],
                name="determination_draft_age",
                condition=models.Q(status="draft"),
            ),
            # The adjuster's "newly at MMI": the newest signed certifications finding MMI.
            models.Index(
                models.F("signed_at").desc(),
                models.F("id").desc(),
                name="determination_newly_at_mmi",
                condition=models.Q(status="signed", mmi_reached=True),
            ),
        ]

    def __str__(self) -> str:
        return f"MMI determination v{self.version} ({self.get_status_display()})"

    def save(self, *args, **kwargs) -> None:
        """A row that is no longer a draft only ever moves from signed to superseded or
        rescinded, through the lifecycle fields; anything else is refused."""
        if self.pk is not None:
            stored = (
                type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored is not None and stored != self.Status.DRAFT:
                update_fields = kwargs.get("update_fields")
                ending = (
                    stored == self.Status.SIGNED
                    and self.status in {self.Status.SUPERSEDED, self.Status.RESCINDED}
                    and update_fields is not None
                    and set(update_fields) <= self.LIFECYCLE_FIELDS
                )
                if not ending:
                    raise DeterminationLocked(_locked_message(self.version, stored))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("determination-detail", args=[self.pk])

    # Columns that are not what a signature certifies: its ending, the row's bookkeeping
    # and the fingerprint itself.
    UNCERTIFIED_FIELDS = LIFECYCLE_FIELDS | {"id", "started_at", "fingerprint"}

    def certified_content(self, steps: Iterable["DeterminationStep"]) -> dict[str, Any]:
        """What a signature certifies: every column but UNCERTIFIED_FIELDS, each as its
        field reads it, and the steps' answers by slug."""
        content: dict[str, Any] = {
            field.attname: field.to_python(getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if field.name not in self.UNCERTIFIED_FIELDS
        }
        content["steps"] = {step.slug: step.answers for step in steps}
        return content

    def certified_fingerprint(self, steps: Iterable["DeterminationStep"]) -> str:
        """The fingerprint of ``certified_content``: stored at signing, worked out again by
        manage.py verify_records."""
        return fingerprint(self.certified_content(steps))

    def delete(self, *args, **kwargs):
        stored = (
            type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
        )
        if stored is not None and stored != self.Status.DRAFT:
            raise DeterminationLocked(_locked_message(self.version, stored))
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def impairment_in_words(self) -> str:
        return impairment_in_words(self.impairment_finding, self.impairment_rating)

    @property
    def is_in_force(self) -> bool:
        """Signed and neither superseded nor rescinded: the case's current certification."""
        return self.status == self.Status.SIGNED


def impairment_in_words(finding: str, rating: int | None) -> str:
    """The impairment determination as certified: "No permanent impairment" is not 0 %."""
    if finding == Determination.ImpairmentFinding.NONE:
        return "No permanent impairment"
    if rating is not None:
        return f"Permanent impairment of {rating} % whole person"
    return "Not determined"


class PsychologicalReadiness(models.TextChoices):
    """Step 1's answer on whether the worker is psychologically ready to return to work."""

    READY = "ready", "Ready"
    CONCERNS = "concerns", "Concerns noted"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class DeterminationStepQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        if self.exclude(determination__status=Determination.Status.DRAFT).exists():
            raise DeterminationLocked("The steps of a signed determination cannot be changed.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.exclude(determination__status=Determination.Status.DRAFT).exists():
            raise DeterminationLocked("The steps of a signed determination cannot be deleted.")
        return super().delete()


class DeterminationStep(models.Model):
    """One step's narrative answers (docs/domain.md §6), with a revision counter.

    Fields that reports and worklists query (exam date, MMI date, rating …) are columns on
    Determination; this row keeps the rest of what the clinician wrote in the step. The
    revision lets a save notice that someone else saved the same step since it was opened.
    """

    class Slug(models.TextChoices):
        CLINICAL = "clinical", "Clinical evaluation"
        THERAPY = "therapy", "Therapy response"
        DIAGNOSTICS = "diagnostics", "Diagnostic testing"
        CONSULTATIONS = "consultations", "Expert consultation"
        LEGAL = "legal", "Legal and insurance"
        OUTCOME = "outcome", "Outcome"

    determination = models.ForeignKey(Determination, on_delete=models.CASCADE, related_name="steps")
    slug = models.CharField("step", max_length=20, choices=Slug.choices)
    answers = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=1)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField("last saved", auto_now=True)

    objects = DeterminationStepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["determination", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["determination", "slug"], name="determination_step_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_slug_display()} (revision {self.revision})"

    def save(self, *args, **kwargs) -> None:
        if not Determination._base_manager.filter(
            pk=self.determination_id, status=Determination.Status.DRAFT
        ).exists():
            raise DeterminationLocked("The steps of a signed determination cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not Determination._base_manager.filter(
            pk=self.determination_id, status=Determination.Status.DRAFT
        ).exists():
            raise DeterminationLocked("The steps of a signed determination cannot be deleted.")
        return super().delete(*args, **kwargs)


class Dispute(models.Model):
    """A dispute of a certification and the review it starts (docs/domain.md §2, §6)."""

    class Party(models.TextChoices):
        EMPLOYEE = "employee", "Injured employee"
        CARRIER = "carrier", "Insurance carrier"
        EMPLOYER = "employer", "Employer"
        OTHER = "other", "Other"

    class Issue(models.TextChoices):
        MMI_DATE = "mmi_date", "The MMI date"
        RATING = "rating", "The impairment rating"
        BOTH = "both", "The MMI date and the impairment rating"
        EXTENT = "extent_of_injury", "The extent of the injury"

    class Review(models.TextChoices):
        SECOND_OPINION = "second_opinion", "Second opinion"
        IME = "ime", "Independent medical examination"
        DESIGNATED_DOCTOR = "designated_doctor", "Designated doctor examination"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        UPHELD = "upheld", "Certification upheld"
        OVERTURNED = "overturned", "Certification overturned"
        WITHDRAWN = "withdrawn", "Dispute withdrawn"
        LATE = "late", "Received after the deadline: the certification is final"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="disputes")
    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, related_name="disputes"
    )
    disputed_by = models.CharField(max_length=20, choices=Party.choices)
    # Blank only on disputes recorded before it was asked.
    disputed_issue = models.CharField(
        "what is disputed", max_length=20, choices=Issue.choices, blank=True
    )
    notice_date = models.DateField(
        help_text="The day the disputing party received the certification (verifiable notice)."
    )
    received_on = models.DateField(
        "dispute received on", help_text="The day the dispute was received."
    )
    deadline = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="End of the party's dispute window, where the jurisdiction sets one (Texas: "
        "90 days after the notice).",
    )
    deadline_next_working_day = models.DateField(
        "deadline's next working day",
        null=True,
        blank=True,
        editable=False,
        help_text="Where the deadline is not a working day, the next one (shown as a warning: "
        "the window itself may not be extended).",
    )
    review_requested = models.CharField(max_length=20, choices=Review.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-notice_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome_date__isnull=True)
                | models.Q(outcome_date__gte=models.F("notice_date")),
                name="dispute_outcome_after_notice",
            ),
            models.CheckConstraint(
                condition=models.Q(received_on__gte=models.F("notice_date")),
                name="dispute_received_after_notice",
                violation_error_message="A dispute cannot be received before the party "
                "received the certification.",
            ),
        ]
        indexes = [
            # "Disputes whose deadline falls within 14 days".
            # Pending disputes, nearest deadline first: the board's and the adjuster's lists
            # read it in order (PostgreSQL puts no deadline last in an ascending index, as
            # they ask), each kept if its case is the user's.
            models.Index(fields=["outcome", "deadline", "id"], name="dispute_open_deadline"),
        ]

    def __str__(self) -> str:
        return f"Dispute by {self.get_disputed_by_display()} ({self.get_outcome_display()})"

    @property
    def is_late(self) -> bool:
        return self.outcome == self.Outcome.LATE

    @property
    def late_reason(self) -> str:
        """Why a late dispute changes nothing, in words (empty for one received in time)."""
        if not self.is_late:
            return ""
        return (
            f"Received on {day(self.received_on)}, after this party's deadline of "
            f"{day(self.deadline)} (90 days after they received the certification on "
            f"{day(self.notice_date)}; Labor Code §408.123(e), 28 TAC 130.12(b)): the "
            "certification is final for this party and the case stays as it was."
        )

    @property
    def deadline_warning(self) -> str:
        """The warning shown when the deadline is not a working day (empty otherwise)."""
        if self.deadline is None or self.deadline_next_working_day is None:
            return ""
        return (
            "Not a working day: 28 TAC 102.3(a)(3) would move the end to "
            f"{day(self.deadline_next_working_day)}, but 28 TAC 130.12(b) says the 90 "
            f"days may not be extended, so {day(self.deadline)} is counted."
        )
