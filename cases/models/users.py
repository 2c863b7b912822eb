from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    CASE_MANAGER = "case_manager", "Case manager"
    ADJUSTER = "adjuster", "Adjuster"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person who signs in. What each role may do is decided in cases/access.py only."""

    class LicenceType(models.TextChoices):
        MD = "MD", "Doctor of Medicine (MD)"
        DO = "DO", "Doctor of Osteopathy (DO)"
        DC = "DC", "Doctor of Chiropractic (DC)"
        DPM = "DPM", "Doctor of Podiatric Medicine (DPM)"
        DDS = "DDS", "Doctor of Dental Surgery (DDS)"
        PT = "PT", "Physical therapist (PT)"
        OT = "OT", "Occupational therapist (OT)"
        OTHER = "other", "Other"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLINICIAN)
    organisation = models.ForeignKey(
        "cases.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The insurer an adjuster works for, or the clinic a clinician works at.",
    )
    licence_type = models.CharField(max_length=10, choices=LicenceType.choices, blank=True)
    licence_number = models.CharField(max_length=40, blank=True)
    licence_jurisdiction = models.CharField(max_length=2, blank=True)
    # Where a clinician practises, as the Texas forms print it (DWC069 boxes 11–12, DWC073
    # boxes 6–8); entered by the clinician on their account page.
    facility_name = models.CharField("clinic or facility", max_length=200, blank=True)
    office_street = models.CharField("street address", max_length=200, blank=True)
    office_city = models.CharField("city", max_length=100, blank=True)
    office_state = models.CharField("state", max_length=2, blank=True)
    office_zip = models.CharField("ZIP code", max_length=10, blank=True)
    office_phone = models.CharField("phone", max_length=40, blank=True)
    office_fax = models.CharField("fax", max_length=40, blank=True)
    may_certify_mmi = models.BooleanField(
        default=False,
        help_text="Authorised to certify maximum medical improvement (DWC069 model).",
    )
    may_rate_impairment = models.BooleanField(
        default=False,
        help_text="Certified to assign impairment ratings; without it MMI is certified "
        "only with no impairment (28 TAC 130.1).",
    )
    # The daily digest email of what the user's worklists hold (cases/services/digests.py).
    digest_enabled = models.BooleanField("send me a daily digest", default=True)
    digest_hour = models.PositiveSmallIntegerField(
        "hour to send it",
        default=7,
        help_text="In the app's time zone, 0–23.",
    )
    last_digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            # The names suggested under the case list's person boxes (selectors/people.py):
            # a role's people in name order, read until ten match.
            models.Index(fields=["role", "last_name", "first_name", "id"], name="user_role_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="adjuster") | models.Q(organisation__isnull=False),
                name="user_adjuster_has_insurer",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="user_digest_hour_in_day"
            ),
        ]

    def __str__(self) -> str:
        return self.shown_name(self.first_name, self.last_name, self.username)

    @staticmethod
    def shown_name(first_name: str, last_name: str, username: str) -> str:
        """How a user is named (their full name, else their username), also where only the
        three columns are read."""
        return f"{first_name} {last_name}".strip() or username

    @property
    def role_label(self) -> str:
        return self.get_role_display()


class UserSession(models.Model):
    """A signed-in session of a user, recorded at login and dropped at logout, so the user can
    see where they are signed in and end the others (the session itself is Django's)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.started_at:%Y-%m-%d %H:%M}"
