"""Bulk exports of signed certifications: one ZIP built in the background.

The building is in cases/services/report_exports.py."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse

KEPT_FOR = timedelta(days=7)
LEFT_OUT_LISTED = 500


class ReportExport(models.Model):
    """One request for a ZIP of signed MMI certifications, and how far building it has got.

    The job's state lives here rather than in a task result backend, so any web process can
    show its progress. ``attempt`` numbers each start of the build: a retried build starts
    over and the pieces of an earlier attempt are ignored.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    class Scope(models.TextChoices):
        SELECTED = "selected", "The cases ticked on the case list"
        FILTER = "filter", "Every case in the case list's filter"

    class LeftOut(models.TextChoices):
        """Why a case asked for is not in the ZIP: the first two are known when it is asked
        for, the others when it is built."""

        NOT_SIGNED = "not_signed", "No signed MMI certification"
        RESCINDED = "rescinded", "Its certification was rescinded: MMI re-opened"
        AMENDED = "amended", "Its certification was amended since: export it again"
        NOT_VISIBLE = "not_visible", "No longer visible to you"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_exports"
    )
    requested_from = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # What was asked for: the cases selected (or matching the filter) that the requester
    # could see when asking, and the case list filter (empty: the unfiltered list) when it
    # was every case in the list.
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.SELECTED)
    case_ids = models.JSONField(default=list)
    filter_query = models.CharField(max_length=2000, blank=True)
    attempt = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="Signed certifications to check.")
    done = models.PositiveIntegerField(default=0, help_text="Certifications checked so far.")
    parts = models.PositiveIntegerField(default=0)
    parts_done = models.JSONField(default=list)
    report_ids = models.JSONField(
        default=list, help_text="The issued certifications that went into the ZIP."
    )
    # The cases asked for that are not in the ZIP, as [claim number, LeftOut, case id]: of
    # those left out when asking, the first LEFT_OUT_LISTED (a broad filter may match
    # thousands of cases with nothing signed); every one the build left out; and how many
    # in all.
    left_out = models.JSONField(default=list, blank=True)
    left_out_count = models.PositiveIntegerField(default=0)
    file = models.FileField(blank=True)
    sha256 = models.CharField("SHA-256 of the ZIP", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_requester_created"),
            models.Index(fields=["status", "expires_at"], name="export_status_expires"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="export_done_le_total"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | (~models.Q(file="") & ~models.Q(sha256="")),
                name="export_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} by {self.requested_by_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("export-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED}

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def left_out_cases(self) -> list[tuple[str, str]]:
        """The cases listed as left out, as (claim number, why in words), by claim number."""
        reasons = dict(self.LeftOut.choices)
        return sorted((claim, reasons.get(reason, reason)) for claim, reason, _ in self.left_out)

    @property
    def left_out_unlisted(self) -> int:
        return self.left_out_count - len(self.left_out)

    @property
    def file_name(self) -> str:
        return f"mmi-certifications-{self.pk}.zip"
