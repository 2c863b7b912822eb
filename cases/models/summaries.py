"""Figures kept up to date as cases change, so that the pages showing them read a few rows
whatever the number of cases (docs/performance.md). Written only by
cases/services/summaries.py, in the transaction of the change; `manage.py refresh_derived`
rebuilds them from the cases."""

from django.db import models


class StatusCount(models.Model):
    """How many of an insurer's cases have a status: the status counts of the adjuster's
    home (their insurer's rows) and of the administrator's board (every insurer's rows)."""

    insurer = models.ForeignKey(
        "cases.Organisation", on_delete=models.CASCADE, related_name="status_counts"
    )
    status = models.CharField(max_length=20)
    # Not a positive field: a count that somehow went wrong must never stop a change of
    # a case (`manage.py refresh_derived` mends it).
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["insurer", "status"], name="status_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.insurer_id} {self.status}: {self.cases}"


class TimeToMmiSpread(models.Model):
    """The spread of days from injury to MMI of one group of cases at MMI (a body part or
    a diagnosis group), over one insurer's cases or, with no insurer, over every case: a
    row of the Time to MMI page as an adjuster or an administrator sees it."""

    class Dimension(models.TextChoices):
        BODY_PART = "body_part", "Body part"
        DIAGNOSIS = "diagnosis", "Diagnosis group"

    insurer = models.ForeignKey(
        "cases.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_to_mmi_spreads",
    )
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    group = models.CharField(max_length=40, blank=True)
    cases = models.PositiveIntegerField()
    minimum = models.IntegerField()
    lower_quartile = models.FloatField()
    median = models.FloatField()
    upper_quartile = models.FloatField()
    maximum = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["insurer", "dimension", "group"],
                condition=models.Q(insurer__isnull=False),
                name="time_to_mmi_spread_unique",
            ),
            models.UniqueConstraint(
                fields=["dimension", "group"],
                condition=models.Q(insurer__isnull=True),
                name="time_to_mmi_spread_unique_overall",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.group!r}: median {self.median} days"
