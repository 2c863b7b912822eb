"""Deliveries of issued documents (docs/domain.md §10): who must receive each one
(``Recipient``), each copy handed over (``Delivery``) and each delivery withdrawn as wrong
(``DeliveryWithdrawal``). All three are append-only: a wrong delivery is withdrawn with a
reason, never edited or deleted."""

from django.conf import settings
from django.db import models

from cases.models.append_only import AppendOnlyModel, AppendOnlyQuerySet
from cases.templatetags.dates import day

from .domain.parties import Document, Party


class Recipient(AppendOnlyModel):
    """A party that must receive one issued document: a signed certification (each version,
    an amendment included, has its own list) or a work status. Listed once, when the
    document is issued, by the jurisdiction's rule (deliveries/domain/distribution.py), and
    named as the record named the party then."""

    class PartyChoice(models.TextChoices):
        CARRIER = Party.CARRIER, "Insurance carrier"
        TREATING_DOCTOR = Party.TREATING_DOCTOR, "Treating doctor"
        DIVISION = Party.DIVISION, "Division of Workers' Compensation"
        EMPLOYEE = Party.EMPLOYEE, "Injured employee"
        REPRESENTATIVE = Party.REPRESENTATIVE, "Employee's representative"
        EMPLOYER = Party.EMPLOYER, "Employer"

    class DocumentChoice(models.TextChoices):
        CERTIFICATION = Document.CERTIFICATION, "MMI certification"
        WORK_STATUS = Document.WORK_STATUS, "Work status report"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="delivery_recipients"
    )
    document = models.CharField(max_length=20, choices=DocumentChoice.choices)
    determination = models.ForeignKey(
        "cases.Determination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recipients",
    )
    work_status = models.ForeignKey(
        "cases.WorkStatus",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recipients",
    )
    party = models.CharField(max_length=20, choices=PartyChoice.choices)
    name = models.CharField(
        max_length=200, blank=True, help_text="Who the party was on the record when listed."
    )
    listed_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case", "listed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["determination", "party"],
                condition=models.Q(determination__isnull=False),
                name="recipient_once_per_certification",
            ),
            models.UniqueConstraint(
                fields=["work_status", "party"],
                condition=models.Q(work_status__isnull=False),
                name="recipient_once_per_work_status",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    document="certification",
                    determination__isnull=False,
                    work_status__isnull=True,
                )
                | models.Q(
                    document="work_status", determination__isnull=True, work_status__isnull=False
                ),
                name="recipient_document_matches_subject",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_party_display()} ({self.name})" if self.name else self.get_party_display()
        )


class Delivery(AppendOnlyModel):
    """One copy of an issued document handed to one recipient: how, when, to which address
    or number, recorded by whom, with an optional proof. A portal delivery is recorded by
    itself the first time a user of the party downloads the issued copy (once per
    recipient); the others are recorded by hand. Never changed: a wrong one is withdrawn
    (``DeliveryWithdrawal``) and, if need be, recorded again."""

    class Method(models.TextChoices):
        PORTAL = "portal", "Portal download"
        FAX = "fax", "Fax"
        EMAIL = "email", "E-mail"
        MAIL = "mail", "Mail"
        HAND = "hand", "By hand"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField(max_length=10, choices=Method.choices)
    delivered_on = models.DateField()
    address = models.CharField(
        "sent to",
        max_length=300,
        blank=True,
        help_text="The fax number, e-mail address or postal address it was sent to.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    proof = models.FileField(upload_to="delivery-proofs/%Y/%m/", blank=True)
    proof_content_type = models.CharField(max_length=40, blank=True)
    proof_sha256 = models.CharField("SHA-256 of the proof", max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["delivered_on", "recorded_at", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient"],
                condition=models.Q(method="portal"),
                name="delivery_portal_once_per_recipient",
            ),
        ]
        indexes = [models.Index(fields=["case", "delivered_on"], name="delivery_case_day")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} to {self.recipient} on {day(self.delivered_on)}"


class DeliveryWithdrawal(AppendOnlyModel):
    """A delivery recorded in error, withdrawn with a reason: it no longer counts, and stays
    in the history."""

    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="withdrawal")
    reason = models.TextField(max_length=1000)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Withdrawal of delivery {self.delivery_id}"
