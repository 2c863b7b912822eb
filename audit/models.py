"""The append-only access log: who read which case, downloaded which report, exported what.

Each entry carries a hash over its own content and the previous entry's hash, so changing
or removing an entry in the database breaks the chain at that point (`manage.py
verify_audit_log` finds it). The hash is keyed (HMAC-SHA-256 with AUDIT_LOG_KEY, kept outside
the database like the secret key), so whoever can write to the database still cannot write a
chain that verifies; entries written before the key was introduced keep their plain SHA-256
(``keyed`` false), and none may follow a keyed one. The app itself can only append.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import models

from cases.templatetags.dates import moment


class AppendOnlyError(Exception):
    """The access log is append-only: entries are never changed or deleted."""


class AccessLogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Access log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access log entries cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Access log entries cannot be changed.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("Access log entries are added one at a time by audit.services.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("Access log entries cannot be changed.")


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        CASE_VIEW = "case_view", "Viewed case"
        CASE_HISTORY_VIEW = "case_history_view", "Viewed case history"
        REPORT_DOWNLOAD = "report_download", "Downloaded report"
        # The stored value predates the name; audit rows are never rewritten.
        CASE_LIST_CSV = "csv_export", "Downloaded the case list as CSV"
        EXPORT_DOWNLOAD = "export_download", "Downloaded export"
        EXPORT_REQUEST = "export_request", "Requested export"
        REPORT_EXPORT = "report_export", "Put report in an export"
        DOCUMENT_REFUSED = "document_refused", "Refused a document altered since stored"

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # Kept as written at the time, so the entry reads the same after a rename.
    username = models.CharField(max_length=150)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=500, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, unique=True)
    keyed = models.BooleanField(
        default=True,
        editable=False,
        help_text="Hashed with AUDIT_LOG_KEY (HMAC-SHA-256); false only for the entries "
        "written before the key was introduced (plain SHA-256).",
    )

    objects = AccessLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        constraints = [
            # One successor per entry: two writers racing for the same predecessor cannot
            # both succeed, so the chain never forks.
            models.UniqueConstraint(fields=["previous_hash"], name="accesslog_one_successor"),
        ]
        indexes = [models.Index(fields=["case", "-at"], name="accesslog_case_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display().lower()} at {moment(self.at)}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access log entries cannot be deleted.")

    def canonical_content(self) -> bytes:
        """The entry's content, previous hash included, in one fixed byte form."""
        return json.dumps(
            {
                "at": self.at.astimezone(UTC).isoformat(),
                "user_id": self.user_id,
                "username": self.username,
                "case_id": self.case_id,
                "action": self.action,
                "detail": self.detail,
                "client_address": self.client_address,
                "previous_hash": self.previous_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()

    def compute_hash(self) -> str:
        if not self.keyed:
            return hashlib.sha256(self.canonical_content()).hexdigest()
        key = settings.AUDIT_LOG_KEY.encode()
        return hmac.new(key, self.canonical_content(), hashlib.sha256).hexdigest()
