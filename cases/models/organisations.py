from django.db import models


class Organisation(models.Model):
    class Kind(models.TextChoices):
        INSURER = "insurer", "Insurer (carrier)"
        EMPLOYER = "employer", "Employer"
        CLINIC = "clinic", "Clinic"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.TextField(blank=True, max_length=500)
    phone = models.CharField(max_length=40, blank=True)
    # The DWC073 asks for the employer's and the carrier's "Fax # or E-mail Address".
    fax = models.CharField("fax number or email address", max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind"),
        ]

    def __str__(self) -> str:
        return self.name
