"""The questionnaires' definitions (questionnaires/models.py) as the patient's pages ask
them: one question a screen, numbered across the set, in the link's language; and the one
place a link hands its answers to the questionnaires' own service."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cases.models import Assessment, User
from questionnaires import selectors as questionnaire_selectors
from questionnaires import services as questionnaire_services
from questionnaires.models import Choice, InstrumentDefinition, Item, Response

from .models import LinkActivity, QuestionnaireLink

Instrument = InstrumentDefinition


def instrument_queryset() -> QuerySet[InstrumentDefinition]:
    return InstrumentDefinition.objects.select_related("instrument").order_by(
        "instrument__abbreviation"
    )


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
    # An item whose activity the patient names (PSFS): the activity (None until named), the
    # day of the earlier response it was carried over from (its name then stays as it is),
    # and whether the patient may say they have no other one (past the instrument's
    # minimum).
    asks_name: bool = False
    activity: str | None = None
    carried_from: date | None = None
    name_optional: bool = False

    @property
    def needs_name(self) -> bool:
        return self.asks_name and self.activity is None

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

    def given(self, instrument: InstrumentDefinition) -> tuple[dict[str, Decimal], dict[str, str]]:
        """The instrument's answers (item key → value) and the activities they rate (item key
        → name), for the questions the link asks; an item rated without its activity named
        is left out."""
        answers: dict[str, Decimal] = {}
        named: dict[str, str] = {}
        for question in self.questions:
            value = self.answers.get((question.instrument.pk, question.item))
            if question.instrument.pk != instrument.pk or value is None:
                continue
            if question.asks_name:
                if question.activity is None:
                    continue
                named[question.item] = question.activity
            answers[question.item] = value
        return answers, named


def instruments_of(link: QuestionnaireLink) -> list[InstrumentDefinition]:
    return list(link.instruments.order_by("instrument__abbreviation"))


@dataclass
class _Activities:
    """A link's activities of one instrument: carried over from an earlier response (item →
    name, and that response's day), or typed on the link (item → latest name, blank when
    the patient has no other activity)."""

    carried: dict[str, str] = field(default_factory=dict)
    carried_from: date | None = None
    typed: dict[str, str] = field(default_factory=dict)


def _activities_of(link: QuestionnaireLink) -> dict[int, _Activities]:
    rows = link.activities.select_related("earlier_response").order_by("pk")
    found: dict[int, _Activities] = {}
    for row in rows:
        of = found.setdefault(row.instrument_id, _Activities())
        if row.earlier_response is not None:
            of.carried[row.item] = row.name
            of.carried_from = row.earlier_response.date
        else:
            of.typed[row.item] = row.name
    return found


def _questions_of(
    definition: InstrumentDefinition, activities: _Activities | None, language: str
) -> list[Question]:
    """The definition's questions: every item it has, except, of the items the patient
    names, those not carried over when a follow-up carries some, and those the patient said
    they have no activity for."""
    activities = activities or _Activities()
    questions = []
    named_so_far = 0
    for item in definition.items.all():
        activity = None
        if item.patient_named:
            named_so_far += 1
            if activities.carried:
                activity = activities.carried.get(item.key)
                if activity is None:
                    continue
            else:
                activity = activities.typed.get(item.key)
                if activity == "":
                    continue
        questions.append(
            Question(
                instrument=definition,
                item=item.key,
                title=definition.title_for(language),
                instruction=definition.instructions_for(language),
                text=item.text_for(language),
                choices=[
                    (choice.value, choice.label_for(language)) for choice in item.choices.all()
                ],
                alert_above=item.alert_above,
                asks_name=item.patient_named,
                activity=activity,
                carried_from=activities.carried_from if activities.carried else None,
                name_optional=(
                    item.patient_named
                    and not activities.carried
                    and named_so_far > definition.min_answered
                ),
            )
        )
    return questions


def flow_of(link: QuestionnaireLink) -> Flow:
    """Five queries, whatever the number of questions and activities: the definitions, their
    items, the items' choices, the activities, the answers."""
    items = Prefetch(
        "items",
        queryset=Item.objects.order_by("position").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position"))
        ),
    )
    definitions = link.instruments.select_related("instrument").prefetch_related(items)
    activities = _activities_of(link)
    questions = [
        question
        for definition in definitions.order_by("instrument__abbreviation")
        for question in _questions_of(definition, activities.get(definition.pk), link.language)
    ]
    answers: dict[tuple[int, str], Decimal | None] = {}
    for instrument_id, item, value in link.answers.order_by("pk").values_list(
        "instrument_id", "item", "value"
    ):
        answers[instrument_id, item] = value
    return Flow(questions=questions, answers=answers)


def activities_carried(
    *, link: QuestionnaireLink, instruments: list[InstrumentDefinition]
) -> list[LinkActivity]:
    """The activities a new link asks the patient to rate again: those of the case's latest
    scored response that named them, for each instrument whose items the patient names
    (Stratford 1995: a follow-up rates the activities named the first time). An instrument
    with none on file is asked the first time's way: the patient names their own."""
    on_file = questionnaire_selectors.named_on_file(case_id=link.case_id, definitions=instruments)
    return [
        LinkActivity(
            link=link,
            instrument_id=definition_id,
            item=key,
            name=name,
            earlier_response=earlier.response,
        )
        for definition_id, earlier in on_file.items()
        for key, name in earlier.names.items()
    ]


def submit(
    *,
    link: QuestionnaireLink,
    instrument: InstrumentDefinition,
    answers: dict[str, Decimal],
    named: dict[str, str],
    clinician: User,
    assessment: Assessment | None,
    now: datetime,
) -> Response:
    """The patient's answers to one instrument, stored as a patient-reported response by the
    questionnaires' service: it scores them (or keeps them incomplete below the
    instrument's minimum), puts the score on ``assessment`` (or a new one by ``clinician``)
    that the chart and the plateau rule read, and alerts the clinicians on a safety
    answer. ``named``: the activities the answers rate, for the items the patient names."""
    return questionnaire_services.response_submit(
        case=link.case,
        definition=instrument,
        answers=answers,
        named=named,
        source=Response.Source.PATIENT,
        date=timezone.localdate(now),
        clinician=clinician,
        assessment=assessment,
    )
