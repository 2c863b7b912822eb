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


@dataclass(frozen=True)
class AnsweredItem:
    """One item of a response as the clinician reads it: the question, and the answer with
    its label, or None when it was left unanswered."""

    item: Item
    answer: Answer | None
    label: str


@dataclass(frozen=True)
class AnsweredResponse:
    response: Response
    items: list[AnsweredItem]

    @property
    def answered(self) -> int:
        return sum(row.answer is not None for row in self.items)


def answered_responses(responses: QuerySet[Response]) -> list[AnsweredResponse]:
    """Each response with every item of its instrument and the answer given to it, in the
    items' order (an item left unanswered is listed as such). Four queries, whatever the
    number of responses and items."""
    rows = list(
        responses.select_related("definition__instrument", "entered_by").prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by()),
            Prefetch(
                "definition__items",
                queryset=Item.objects.order_by("position").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("position"))
                ),
            ),
        )
    )
    answered = []
    for response in rows:
        by_item = {answer.item_id: answer for answer in response.answers.all()}
        items = []
        for item in response.definition.items.all():
            answer = by_item.get(item.pk)
            label = ""
            if answer is not None:
                label = next(
                    (c.label_en for c in item.choices.all() if c.value == answer.value), ""
                )
            items.append(AnsweredItem(item=item, answer=answer, label=label))
        answered.append(AnsweredResponse(response=response, items=items))
    return answered
