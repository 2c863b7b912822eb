"""Reads of the questionnaires."""

from django.db.models import Count, Prefetch, QuerySet

from .models import Choice, InstrumentDefinition, Item


def definitions_to_enter() -> QuerySet[InstrumentDefinition]:
    """Every instrument with a definition, for a clinician to enter item by item, with its
    number of items (``item_count``)."""
    return (
        InstrumentDefinition.objects.select_related("instrument")
        .annotate(item_count=Count("items"))
        .order_by("instrument__abbreviation")
    )


def definition_with_items(definition_id: int) -> InstrumentDefinition | None:
    """One definition with its instrument, items and choices, in three queries."""
    return (
        InstrumentDefinition.objects.select_related("instrument")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.order_by("position").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("position"))
                ),
            )
        )
        .filter(pk=definition_id)
        .first()
    )
