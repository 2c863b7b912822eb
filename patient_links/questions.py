"""The questionnaires' definitions (questionnaires/models.py) as the patient's pages ask
them: one question a screen, numbered across the set, in the link's language; and the one
place a link hands its answers to the questionnaires' own service."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cases.models import Assessment, User
from questionnaires import services as questionnaire_services
from questionnaires.models import Choice, InstrumentDefinition, Item, Response

from .models import QuestionnaireLink

Instrument = InstrumentDefinition


def instrument_queryset() -> QuerySet[InstrumentDefinition]:
    return InstrumentDefinition.objects.select_related("instrument").order_by(
        "instrument__abbreviation"
    )


def patient_instruments() -> QuerySet[InstrumentDefinition]:
    """The instruments a patient answers alone: every item chosen from its choices (not the
    PSFS, whose activities the patient names with a clinician)."""
    return instrument_queryset().exclude(items__patient_named=True).distinct()


def patient_may_answer(instrument: InstrumentDefinition) -> bool:
    return not instrument.items.filter(patient_named=True).exists()


def instrument_named(abbreviation: str) -> InstrumentDefinition:
    return instrument_queryset().get(instrument__abbreviation=abbreviation)


def label_of(instrument: InstrumentDefinition) -> str:
    return f"{instrument.instrument.abbreviation}: {instrument.title_en}"


def choice_key(value: Decimal) -> str:
    """A value as the form writes it: "3", "0.5"."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Question:
    instrument: InstrumentDefinition
    item: str
    title: str
    instruction: str
    text: str
    choices: list[tuple[Decimal, str]]
    alert_above: Decimal | None

    @property
    def values(self) -> set[Decimal]:
        return {value for value, _ in self.choices}

    def alerts(self, value: Decimal) -> bool:
        """Whether this answer is one the instrument's safety rule names (PHQ-9 item 9
        above 0)."""
        return self.alert_above is not None and value > self.alert_above


@dataclass(frozen=True)
class Flow:
    """The link's questions in order, with the latest answer given to each (None: skipped;
    missing: not reached yet)."""

    questions: list[Question]
    answers: dict[tuple[int, str], Decimal | None]

    def _given(self, question: Question) -> bool:
        return (question.instrument.pk, question.item) in self.answers

    @property
    def answered_count(self) -> int:
        return sum(
            1
            for question in self.questions
            if self.answers.get((question.instrument.pk, question.item)) is not None
        )

    def next_open(self, after: int = 0) -> int | None:
        """The number of the first question after ``after`` neither answered nor skipped;
        from the start again when the patient left earlier ones open; None when none is."""
        order = list(range(after + 1, len(self.questions) + 1)) + list(range(1, after + 1))
        return next((n for n in order if not self._given(self.questions[n - 1])), None)

    def unanswered_numbers(self) -> list[int]:
        return [
            number
            for number, question in enumerate(self.questions, start=1)
            if self.answers.get((question.instrument.pk, question.item)) is None
        ]

    def answer_key(self, question: Question) -> str | None:
        value = self.answers.get((question.instrument.pk, question.item))
        return None if value is None else choice_key(value)


def instruments_of(link: QuestionnaireLink) -> list[InstrumentDefinition]:
    return list(link.instruments.order_by("instrument__abbreviation"))


def flow_of(link: QuestionnaireLink) -> Flow:
    """Three queries: the definitions with their items, the items' choices, the answers."""
    items = Prefetch(
        "items",
        queryset=Item.objects.order_by("position").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position"))
        ),
    )
    definitions = link.instruments.select_related("instrument").prefetch_related(items)
    language = link.language
    questions = [
        Question(
            instrument=definition,
            item=item.key,
            title=definition.title_for(language),
            instruction=definition.instructions_for(language),
            text=item.text_for(language),
            choices=[(choice.value, choice.label_for(language)) for choice in item.choices.all()],
            alert_above=item.alert_above,
        )
        for definition in definitions.order_by("instrument__abbreviation")
        for item in definition.items.all()
    ]
    answers: dict[tuple[int, str], Decimal | None] = {}
    for instrument_id, item, value in link.answers.order_by("pk").values_list(
        "instrument_id", "item", "value"
    ):
        answers[instrument_id, item] = value
    return Flow(questions=questions, answers=answers)


def submit(
    *,
    link: QuestionnaireLink,
    instrument: InstrumentDefinition,
    answers: dict[str, Decimal],
    clinician: User,
    assessment: Assessment | None,
    now: datetime,
) -> Response:
    """The patient's answers to one instrument, stored as a patient-reported response by the
    questionnaires' service: it scores them (or keeps them incomplete below the
    instrument's minimum), puts the score on ``assessment`` (or a new one by ``clinician``)
    that the chart and the plateau rule read, and alerts the clinicians on a safety
    answer."""
    return questionnaire_services.response_submit(
        case=link.case,
        definition=instrument,
        answers=answers,
        source=Response.Source.PATIENT,
        date=timezone.localdate(now),
        clinician=clinician,
        assessment=assessment,
    )
