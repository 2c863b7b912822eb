"""Outside medical records: the paper of a case that comes from elsewhere (imaging reports,
operative notes, specialists' letters, IME and designated doctor reports…), kept as PDFs in
Django's storage, each file once (docs/domain.md §13)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cases.models import Determination, DeterminationStep


class Reading(models.TextChoices):
    WAITING = "waiting", "Waiting to be read"
    READING = "reading", "Being read"
    READ = "read", "Read"
    FAILED = "failed", "Could not be read"


class StoredFile(models.Model):
    """One file as kept, whatever the number of records (or cases) it was sent for: found
    again by the SHA-256 of the file as it was sent."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(max_length=200)
    size = models.PositiveBigIntegerField(help_text="Of the PDF kept, in bytes.")
    page_count = models.PositiveIntegerField()
    received_type = models.CharField(
        max_length=40, help_text="The type read from the file's content when first sent."
    )
    stored_at = models.DateTimeField(auto_now_add=True)
    # Reading its pages on the task queue (outside_records/tasks.py): how far it has gone.
    reading = models.CharField(max_length=10, choices=Reading.choices, default=Reading.WAITING)
    pages_read = models.PositiveIntegerField(default=0)
    scans_unread = models.PositiveIntegerField(
        default=0, help_text="Pages without text of their own, read by no OCR (none installed)."
    )

    class Meta:
        verbose_name = "stored file"

    def __str__(self) -> str:
        return self.sha256[:12]


class RecordPage(models.Model):
    """The text of one page of a stored file: its own, or recognised from its picture."""

    stored_file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    recognised = models.BooleanField(default=False, help_text="Read by OCR from a scan.")
    # Filled by a trigger of migration 0003 on PostgreSQL, whatever writes the page; empty on
    # SQLite, which searches the text itself (outside_records/search.py).
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="The page's words, stemmed in English: written by PostgreSQL.",
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["stored_file", "number"], name="record_page_once")
        ]

    def __str__(self) -> str:
        return f"page {self.number}"


class RecordLocked(Exception):
    """The record is cited by a signed certification: it stays as the certification read it."""


# A determination that was signed, whatever became of it since (superseded, rescinded): its
# issued copies name the records it cites.
_SIGNED = [status for status in Determination.Status if status != Determination.Status.DRAFT]


class OutsideRecordQuerySet(models.QuerySet["OutsideRecord"]):
    def in_force(self) -> "OutsideRecordQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def cited_when_signed(self) -> "OutsideRecordQuerySet":
        """Records a signed certification cites (superseded and rescinded ones included)."""
        return self.filter(citations__step__determination__status__in=_SIGNED).distinct()

    def update(self, **kwargs) -> int:
        if self.cited_when_signed().exists():
            raise RecordLocked("A record cited by a signed certification cannot be changed.")
        return super().update(**kwargs)


class OutsideRecord(models.Model):
    """A document received for a case. It is withdrawn (with a reason), never deleted, and
    every change is kept in its history."""

    class DocumentType(models.TextChoices):
        IMAGING = "imaging", "Imaging"
        LAB = "lab", "Laboratory result"
        OPERATIVE_NOTE = "operative_note", "Operative note"
        CONSULTATION = "consultation", "Consultation"
        IME = "ime", "IME / designated doctor report"
        FCE = "fce", "Functional capacity evaluation"
        THERAPY_NOTE = "therapy_note", "Therapy note"
        LEGAL = "legal", "Legal"
        OTHER = "other", "Other"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="outside_records")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="records")
    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    service_date = models.DateField(
        "date of service", null=True, blank=True, help_text="The day the document speaks of."
    )
    author = models.CharField("author or facility", max_length=200, blank=True)
    received_on = models.DateField("received on")
    received_from = models.CharField("received from", max_length=200)
    clinical_only = models.BooleanField(
        default=False, help_text="Seen by the clinicians and case managers only, not the adjuster."
    )
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()
    objects = OutsideRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["case", "-received_on"], name="outside_rec_case_received")]
        constraints = [
            models.CheckConstraint(
                name="outside_record_withdrawn_with_reason",
                condition=Q(withdrawn_at__isnull=True)
                | (Q(withdrawn_by__isnull=False) & ~Q(withdrawal_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()}, received {self.received_on}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and self.is_cited_when_signed():
            raise RecordLocked(
                "This record is cited by a signed certification: it stays as it was read."
            )
        super().save(*args, **kwargs)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_cited_when_signed(self) -> bool:
        return OutsideRecord.objects.cited_when_signed().filter(pk=self.pk).exists()


class RecordCitationQuerySet(models.QuerySet["RecordCitation"]):
    def update(self, **kwargs) -> int:
        if self.exclude(step__determination__status=Determination.Status.DRAFT).exists():
            raise RecordLocked("The records a signed certification cites cannot be changed.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.exclude(step__determination__status=Determination.Status.DRAFT).exists():
            raise RecordLocked("The records a signed certification cites cannot be removed.")
        return super().delete()


class RecordCitation(models.Model):
    """An outside record the doctor reviewed for one step of a determination, with the pages
    cited (blank: all of it). Saved with its step; once the determination is signed it is
    part of what was certified, and the record it cites can no longer change."""

    step = models.ForeignKey(DeterminationStep, on_delete=models.CASCADE, related_name="citations")
    record = models.ForeignKey(OutsideRecord, on_delete=models.PROTECT, related_name="citations")
    pages = models.CharField(max_length=200, blank=True, help_text='As cited: "3, 7–9".')

    objects = RecordCitationQuerySet.as_manager()

    class Meta:
        ordering = ["step", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["step", "record"], name="record_cited_once_a_step")
        ]

    def __str__(self) -> str:
        return f"{self.record} ({self.pages or 'all pages'})"

    def save(self, *args, **kwargs) -> None:
        self._require_draft("changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._require_draft("removed")
        return super().delete(*args, **kwargs)

    def _require_draft(self, verb: str) -> None:
        if not DeterminationStep.objects.filter(
            pk=self.step_id, determination__status=Determination.Status.DRAFT
        ).exists():
            raise RecordLocked(f"The records a signed certification cites cannot be {verb}.")
