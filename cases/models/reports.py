"""PDF reports as stored files (docs/architecture.md §8): the renderings kept ready for the
next download (``PreparedReport``) and the exact bytes a party received, kept for good
(``IssuedReport``)."""

from django.conf import settings
from django.db import models

from ..templatetags.dates import moment
from .append_only import AppendOnly, AppendOnlyModel, AppendOnlyQuerySet
from .determinations import Determination


class ImmutableReport(AppendOnly):
    """An issued report is a record of what was sent: it is never changed or deleted."""


class IssuedReport(AppendOnlyModel):
    """One rendered PDF as it was issued, with the SHA-256 of its bytes.

    A determination's documents (certification, patient letter) are issued once for each
    state the determination reaches (signed, then superseded or rescinded), by the task
    queue once that state is committed, so every download returns the same bytes; issued by
    the clinician whose act made the state (who signed, who signed the amendment, who
    re-opened MMI). Case documents (summary, employer work status report) show the case as
    it stands: each state of the case that someone downloads is a new version of its own,
    issued by its first downloader, with the file of its ``PreparedReport``.
    """

    class Kind(models.TextChoices):
        CERTIFICATION = "certification", "MMI certification"
        PATIENT_LETTER = "patient_letter", "Letter to the patient"
        CASE_SUMMARY = "case_summary", "Case summary"
        WORK_STATUS = "work_status", "Work status report (employer copy)"

    DETERMINATION_KINDS = (Kind.CERTIFICATION, Kind.PATIENT_LETTER)

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="issued_reports")
    determination = models.ForeignKey(
        Determination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_reports",
    )
    determination_status = models.CharField(
        max_length=20,
        choices=Determination.Status.choices,
        blank=True,
        help_text="The state of the determination this document shows.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(
        help_text="The determination's version, or the case's n-th document of this kind."
    )
    file = models.FileField(upload_to="reports/%Y/%m/")
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    content_sha256 = models.CharField(
        "SHA-256 of the content",
        max_length=64,
        help_text="Printed in the document's footer: the hash of what it says, before the "
        "hash itself was added.",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()
    refusal = ImmutableReport

    class Meta:
        ordering = ["case", "kind", "-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["determination", "kind", "determination_status"],
                condition=models.Q(determination__isnull=False),
                name="issued_report_once_per_determination_state",
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "version"],
                condition=models.Q(determination__isnull=True),
                name="issued_report_case_version",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        determination__isnull=False,
                        kind__in=["certification", "patient_letter"],
                    )
                    & ~models.Q(determination_status__in=["", "draft"])
                )
                | models.Q(
                    determination__isnull=True,
                    determination_status="",
                    kind__in=["case_summary", "work_status"],
                ),
                name="issued_report_kind_matches_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({moment(self.issued_at)})"

    def read_pdf(self) -> bytes:
        """The issued bytes, exactly as stored."""
        with self.file.open("rb") as stored:
            return stored.read()


class PreparedReport(models.Model):
    """The latest rendering of a case document, or of a draft determination's document, kept
    so that a download serves stored bytes instead of rendering (docs/architecture.md §8).

    ``revision`` is the ``Case.revision`` it shows: a download serves it only while the case
    is still at that revision. Rendered again, by the task queue, when the case changes, and
    replaced: one row, and one file, per document. Not a record of what anyone received: a
    case document becomes an ``IssuedReport`` (sharing the file) at its first download; a
    draft's are never issued.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="prepared_reports"
    )
    determination = models.ForeignKey(
        Determination,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prepared_reports",
        help_text="The draft whose document this is; empty for a case document.",
    )
    kind = models.CharField(max_length=20, choices=IssuedReport.Kind.choices)
    revision = models.PositiveIntegerField(help_text="The case's revision this rendering shows.")
    file = models.FileField(upload_to="reports/%Y/%m/")
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    content_sha256 = models.CharField("SHA-256 of the content", max_length=64)
    generated_at = models.DateTimeField()
    issued = models.OneToOneField(
        IssuedReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The issued report its first download made, which owns the file from then on.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(determination__isnull=True),
                name="prepared_report_once_per_case_kind",
            ),
            models.UniqueConstraint(
                fields=["determination", "kind"],
                condition=models.Q(determination__isnull=False),
                name="prepared_report_once_per_draft_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    determination__isnull=False,
                    kind__in=["certification", "patient_letter"],
                    issued__isnull=True,
                )
                | models.Q(determination__isnull=True, kind__in=["case_summary", "work_status"]),
                name="prepared_report_kind_matches_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of case {self.case_id} at revision {self.revision}"

    def read_pdf(self) -> bytes:
        with self.file.open("rb") as stored:
            return stored.read()
