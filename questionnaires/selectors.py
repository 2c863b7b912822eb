"""Reads of the questionnaires."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from .models import Answer, Choice, InstrumentDefinition, Item, Response


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


@dataclass(frozen=True)
class NamedOnFile:
    """A response's activities (PSFS): what each item rated was named, by item key, in the
    items' order."""

    response: Response
    names: dict[str, str]


def named_on_file(
    *, case_id: int, definitions: Iterable[InstrumentDefinition]
) -> dict[int, NamedOnFile]:
    """For each of ``definitions`` whose items the patient names, the case's latest scored
    response that named them (entered by a clinician or sent from a link), by definition id:
    what a follow-up asks to rate again (Stratford 1995). One query."""
    answers = (
        Answer.objects.filter(
            response__case_id=case_id,
            response__definition__in=list(definitions),
            response__is_complete=True,
            item__patient_named=True,
        )
        .exclude(named="")
        .select_related("response", "item")
        .order_by("-response__date", "-response__pk", "item__position")
    )
    found: dict[int, NamedOnFile] = {}
    for answer in answers:
        latest = found.setdefault(
            answer.response.definition_id, NamedOnFile(response=answer.response, names={})
        )
        if latest.response.pk == answer.response_id:
            latest.names[answer.item.key] = answer.named
    return found
