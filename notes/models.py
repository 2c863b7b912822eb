"""Case notes: the communication log of a case (docs/architecture.md, "The legal clock"). A
note is never edited silently nor deleted: every version of it is kept in ``NoteVersion``
with who wrote it and when, and a note written in error is withdrawn with a reason that
stays shown."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Note(models.Model):
    """One communication on a case, as its latest version says it; the earlier versions are
    in ``versions``. ``private`` (private to the clinicians of the care team) is set when it
    is written and never changes, so that no earlier version is ever shown to someone it was
    kept from."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        MEETING = "meeting", "Meeting"
        NOTE = "note", "Note"

    class Party(models.TextChoices):
        EMPLOYEE = "employee", "The employee"
        EMPLOYER = "employer", "The employer"
        CARRIER = "carrier", "The insurance carrier"
        ADJUSTER = "adjuster", "The adjuster"
        CASE_MANAGER = "case_manager", "The case manager"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    private = models.BooleanField(
        "private to clinicians",
        default=False,
        help_text="Seen only by the clinicians of the care team.",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    happened_at = models.DateTimeField("when it happened")
    party = models.CharField("party of the case", max_length=20, choices=Party.choices, blank=True)
    party_name = models.CharField(
        max_length=200, blank=True, help_text="The party's name when the note was written."
    )
    with_whom = models.CharField("with whom", max_length=200, blank=True)
    text = models.TextField(max_length=10000)
    version_count = models.PositiveIntegerField(default=1, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | (
                    models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~models.Q(withdrawn_reason="")
                ),
                name="note_withdrawn_by_whom_and_why",
            ),
            models.CheckConstraint(
                condition=models.Q(version_count=1, edited_at__isnull=True)
                | models.Q(version_count__gt=1, edited_at__isnull=False),
                name="note_edited_when_versions",
            ),
        ]
        indexes = [models.Index(fields=["case", "-happened_at", "-id"], name="note_case_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("notes:note-detail", args=[self.pk])

    @property
    def is_edited(self) -> bool:
        return self.version_count > 1

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def counterpart(self) -> str:
        """With whom, as the pages show it: the party and its name, and the name typed."""
        party = f"{self.get_party_display().lower()} ({self.party_name})" if self.party else ""
        return " · ".join(part for part in (party, self.with_whom) if part)


class NoteVersion(models.Model):
    """One version of a note, as it was written: append-only, never changed."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Note.Kind.choices)
    happened_at = models.DateTimeField("when it happened")
    party = models.CharField(max_length=20, choices=Note.Party.choices, blank=True)
    party_name = models.CharField(max_length=200, blank=True)
    with_whom = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=10000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["note", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="note_version_number_once")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of note {self.note_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A version of a note is kept as it was written, never changed.")
        super().save(*args, **kwargs)

    @property
    def counterpart(self) -> str:
        party = f"{self.get_party_display().lower()} ({self.party_name})" if self.party else ""
        return " · ".join(part for part in (party, self.with_whom) if part)
