"""Itemised impairments on a determination's outcome (docs/domain.md §3).

The whole person rating is computed from the items by cases/domain/impairment.py; the
service that saves the items writes the result on the determination.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ..domain import impairment
from .determinations import Determination, DeterminationLocked

_LOCKED = "The impairment items of a signed determination cannot be changed."


class ImpairmentItemQuerySet(models.QuerySet):
    def working(self) -> impairment.Working | None:
        """The whole person rating of these items with its steps; None without items."""
        items = [item.as_rated() for item in self]
        return impairment.rate_whole_person(items) if items else None

    def update(self, **kwargs) -> int:
        if self.exclude(determination__status=Determination.Status.DRAFT).exists():
            raise DeterminationLocked(_LOCKED)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.exclude(determination__status=Determination.Status.DRAFT).exists():
            raise DeterminationLocked(_LOCKED)
        return super().delete()


class ImpairmentItem(models.Model):
    """One rated impairment as the rater entered it: where, at which level, how much, from
    which Guides table or figure, and whether it is added to or combined with the others."""

    LEVELS = [(level.value, level.label.capitalize()) for level in impairment.Level]

    class Mode(models.TextChoices):
        COMBINE = impairment.Mode.COMBINE.value, "Combined"
        ADD = impairment.Mode.ADD.value, "Added"

    determination = models.ForeignKey(
        Determination, on_delete=models.CASCADE, related_name="impairment_items"
    )
    position = models.PositiveSmallIntegerField(
        help_text="Order as entered: regions are rated in the order they first appear."
    )
    region = models.CharField(
        max_length=100, help_text="The limb or body part, e.g. “Left upper extremity”."
    )
    level = models.CharField(max_length=20, choices=LEVELS)
    value = models.PositiveSmallIntegerField("impairment (%)")
    method = models.CharField(
        "Guides table or figure", max_length=200, help_text="e.g. “Table 15-3, DRE category II”."
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.COMBINE)

    objects = ImpairmentItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["determination", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["determination", "position"], name="impairment_item_position"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100), name="impairment_item_0_to_100"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[level.value for level in impairment.Level]),
                name="impairment_item_level_known",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=[mode.value for mode in impairment.Mode]),
                name="impairment_item_mode_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}, {self.get_level_display().lower()}: {self.value} %"

    def save(self, *args, **kwargs) -> None:
        if not Determination._base_manager.filter(
            pk=self.determination_id, status=Determination.Status.DRAFT
        ).exists():
            raise DeterminationLocked(_LOCKED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not Determination._base_manager.filter(
            pk=self.determination_id, status=Determination.Status.DRAFT
        ).exists():
            raise DeterminationLocked(_LOCKED)
        return super().delete(*args, **kwargs)

    def as_rated(self) -> impairment.ImpairmentItem:
        """The item as the pure rating rules take it."""
        return impairment.ImpairmentItem(
            region=self.region,
            level=impairment.Level(self.level),
            value=self.value,
            method=self.method,
            mode=impairment.Mode(self.mode),
        )
