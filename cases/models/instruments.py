from django.db import models

from ..domain.outcomes import InstrumentSpec


class Instrument(models.Model):
    """An outcome measure (docs/domain.md §5) as editable reference data."""

    abbreviation = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    minimum = models.DecimalField(max_digits=7, decimal_places=2)
    maximum = models.DecimalField(max_digits=7, decimal_places=2)
    alternative_maximum = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A second scale the measure may be recorded on (NDI: 0–100 % besides 0–50).",
    )
    unit = models.CharField(max_length=20, blank=True)
    higher_is_better = models.BooleanField()
    mcid = models.DecimalField(
        "MCID",
        max_digits=7,
        decimal_places=2,
        help_text="Minimal clinically important difference, on the main scale.",
    )
    mcid_percent = models.DecimalField(
        "MCID (percent)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A relative change that also counts as meaningful (NPRS: 30 %).",
    )
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["abbreviation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maximum__gt=models.F("minimum")),
                name="instrument_range_not_empty",
            ),
            models.CheckConstraint(condition=models.Q(mcid__gt=0), name="instrument_mcid_positive"),
        ]

    def __str__(self) -> str:
        return self.abbreviation

    @property
    def range_label(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.minimum.normalize():f}–{self.maximum.normalize():f}{unit}"

    @property
    def spec(self) -> InstrumentSpec:
        """This row as the pure rules in cases/domain/outcomes.py see it."""
        return InstrumentSpec(
            abbreviation=self.abbreviation,
            name=self.name,
            minimum=self.minimum,
            maximum=self.maximum,
            higher_is_better=self.higher_is_better,
            mcid=self.mcid,
            mcid_percent=self.mcid_percent,
            # The table leaves the unit blank for plain points; the rules name them.
            unit=self.unit or "points",
            points_scale=self.maximum if self.alternative_maximum else None,
            source=self.source,
        )
