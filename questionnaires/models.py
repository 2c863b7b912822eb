"""Questionnaires as data (docs/domain.md §12): an instrument's definition with its items and
answer choices in English and Spanish, and the responses answered item by item.

A definition belongs to one outcome instrument (cases.Instrument), which keeps the range,
the direction of "better" and the MCID the chart and the plateau rule read. A scored
response produces an assessment score like any other, so the chart and the plateau rule use
it unchanged.

Responses and answers are append-only: written once by the service that submits them, never
edited (a correction is a new response; the assessment score it makes keeps its own
history). A definition is reloaded from its file, which is kept under version control or by
the administrator who loads it.
"""

from django.conf import settings
from django.db import models

from .domain.scoring import DefinitionSpec, ItemSpec

LANGUAGES = ("en", "es")


def _in_language(english: str, spanish: str, language: str) -> str:
    """The Spanish text when asked for and given, else the English."""
    return spanish if language == "es" and spanish else english


class Rule(models.TextChoices):
    """How the answers make the score (questionnaires/domain/scoring.py)."""

    SUM = "sum", "Sum of the answers"
    MEAN = "mean", "Mean of the answers"
    PERCENT_OF_MAXIMUM = "percent_of_maximum", "Percentage of the maximum of the items answered"
    QUICKDASH = "quickdash", "QuickDASH: ((sum of n answers / n) − 1) × 25"


class InstrumentDefinition(models.Model):
    """The questionnaire behind an outcome instrument: its items and how they are scored."""

    class Licence(models.TextChoices):
        FREE = "free", "Free to use"
        LICENSED = "licensed", "Under licence, loaded by an administrator"

    instrument = models.OneToOneField(
        "cases.Instrument", on_delete=models.PROTECT, related_name="definition"
    )
    version = models.CharField(max_length=40)
    licence = models.CharField(max_length=10, choices=Licence.choices)
    rule = models.CharField(max_length=20, choices=Rule.choices)
    min_answered = models.PositiveSmallIntegerField(
        "minimum items answered", help_text="Fewer answers leave the response unscored."
    )
    score_places = models.PositiveSmallIntegerField(
        "decimal places of the score", default=2, help_text="Halves are rounded up."
    )
    title_en = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    instructions_en = models.TextField(blank=True, max_length=2000)
    instructions_es = models.TextField(blank=True, max_length=2000)
    source = models.CharField(max_length=300, help_text="Where the items and the rule come from.")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instrument__abbreviation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_answered__gte=1), name="definition_min_answered_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(score_places__lte=2), name="definition_places_at_most_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.abbreviation} ({self.version})"

    def title_for(self, language: str) -> str:
        return _in_language(self.title_en, self.title_es, language)

    @property
    def spec(self) -> DefinitionSpec:
        """This definition as the pure rules in questionnaires/domain/scoring.py see it
        (reads its items and choices: prefetch them for many)."""
        return DefinitionSpec(
            rule=self.rule,
            items=tuple(
                ItemSpec(
                    key=item.key,
                    values=tuple(choice.value for choice in item.choices.all()),
                    alert_above=item.alert_above,
                )
                for item in self.items.all()
            ),
            min_answered=self.min_answered,
            places=self.score_places,
        )

    def instructions_for(self, language: str) -> str:
        return _in_language(self.instructions_en, self.instructions_es, language)


class Item(models.Model):
    """One question of a definition, answered by choosing one of its choices."""

    definition = models.ForeignKey(
        InstrumentDefinition, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=30, help_text="Names the item in answers and files.")
    text_en = models.TextField(max_length=1000)
    text_es = models.TextField(max_length=1000, blank=True)
    patient_named = models.BooleanField(
        default=False,
        help_text="The patient names what this item rates (PSFS: an activity of their own).",
    )
    alert_above = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Any answer above this value alerts the clinicians at once (PHQ-9 item 9).",
    )

    class Meta:
        ordering = ["definition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "key"], name="item_key_unique"),
            models.UniqueConstraint(fields=["definition", "position"], name="item_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.definition.instrument.abbreviation} item {self.key}"

    def text_for(self, language: str) -> str:
        return _in_language(self.text_en, self.text_es, language)


class Choice(models.Model):
    """One answer an item accepts, with the value it scores."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=7, decimal_places=2)
    label_en = models.CharField(max_length=200)
    label_es = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "value"], name="choice_value_unique"),
            models.UniqueConstraint(fields=["item", "position"], name="choice_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {self.label_en}"

    def label_for(self, language: str) -> str:
        return _in_language(self.label_en, self.label_es, language)


class Response(models.Model):
    """One filling-in of a questionnaire for a case, by the patient or entered by a
    clinician. Complete when enough items are answered for the instrument's rule; then it
    is scored and its score is on ``assessment``."""

    class Source(models.TextChoices):
        CLINICIAN = "clinician", "Entered by a clinician"
        PATIENT = "patient", "Patient-reported"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="responses")
    definition = models.ForeignKey(
        InstrumentDefinition, on_delete=models.PROTECT, related_name="responses"
    )
    date = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The clinician who typed the answers; empty when the patient answered.",
    )
    is_complete = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    safety_alert = models.BooleanField(
        default=False,
        help_text="An answer crossed an item's alert (PHQ-9 item 9): the crisis line is shown.",
    )
    assessment = models.ForeignKey(
        "cases.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        help_text="The assessment that holds the score.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["case", "-date"], name="response_case_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_complete=True) | models.Q(score__isnull=True),
                name="response_incomplete_unscored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.instrument.abbreviation} response on {self.date}"


class Answer(models.Model):
    """The value chosen for one item of a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=7, decimal_places=2)
    named = models.CharField(
        max_length=200, blank=True, help_text="What the patient named (PSFS: the activity)."
    )

    class Meta:
        ordering = ["response", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.key}: {self.value.normalize():f}"
