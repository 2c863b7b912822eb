"""Reference figures that change by year and that an administrator keeps up to date.

docs/domain.md: rules that differ by jurisdiction or edition are data (a table the administrator can
edit), never constants buried in views.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ..domain.jurisdictions import CHOICES
from ..templatetags.dates import day


class StateAverageWeeklyWageQuerySet(models.QuerySet):
    def in_force_on(self, jurisdiction: str, day: date) -> "StateAverageWeeklyWageQuerySet":
        """The figure that applies to an injury on ``day`` (docs/domain.md §4: figures in
        force on the date of injury)."""
        return self.filter(
            jurisdiction=jurisdiction, effective_from__lte=day, effective_to__gte=day
        )


class StateAverageWeeklyWage(models.Model):
    """A state average weekly wage (SAWW) and the dates of injury it applies to.

    It sets the caps of income benefits (docs/domain.md §4). Texas publishes one per fiscal
    year, for injuries from 1 October to 30 September (§408.061). Florida's is for injuries in
    a calendar year, 1 January to 31 December, and its maximum compensation rate is 100 % of
    it (Florida Statutes 440.12(2)).
    """

    jurisdiction = models.CharField(max_length=2, choices=CHOICES)
    effective_from = models.DateField(
        help_text="First date of injury it applies to (Texas: 1 October; Florida: 1 January)."
    )
    effective_to = models.DateField(
        help_text="Last date of injury it applies to (Texas: 30 September; Florida: 31 December)."
    )
    amount = models.DecimalField(
        "amount ($ a week)",
        max_digits=9,
        decimal_places=2,
        help_text="Texas: the state average weekly wage of the fiscal year. Florida: the statewide "
        "average weekly wage of the calendar year, which the Division publishes as the maximum "
        "weekly compensation rate (100 % of it).",
    )
    source = models.TextField(
        max_length=1000, help_text="Where the figure is published: agency, document and date."
    )

    objects = StateAverageWeeklyWageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "state average weekly wage"
        ordering = ["jurisdiction", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "effective_from"], name="saww_one_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__gte=models.F("effective_from")),
                name="saww_period_in_order",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="saww_amount_positive"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_jurisdiction_display()} ${self.amount:,.2f} "
            f"({day(self.effective_from)} – {day(self.effective_to)})"
        )

    def clean(self) -> None:
        # Periods may not overlap, or a date of injury would have two figures. Checked here
        # rather than by a constraint because only PostgreSQL has exclusion constraints.
        if not (self.jurisdiction and self.effective_from and self.effective_to):
            return
        overlapping = (
            StateAverageWeeklyWage.objects.filter(
                jurisdiction=self.jurisdiction,
                effective_from__lte=self.effective_to,
                effective_to__gte=self.effective_from,
            )
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                {"effective_from": f"These dates overlap another figure: {overlapping}."}
            )
