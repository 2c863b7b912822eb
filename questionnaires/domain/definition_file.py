"""Reading an instrument definition file (format in docs/questionnaires.md) into checked,
plain values, without Django. Every mistake is reported at once, each naming its field
(``items[3].choices[1].value``) and, for a file that is not JSON, the line and column."""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .scoring import QUICKDASH, RULES, DefinitionSpec, ItemSpec

LICENCES = ("free", "licensed")
MAX_PLACES = 2


@dataclass(frozen=True)
class ChoiceFile:
    value: Decimal
    label_en: str
    label_es: str


@dataclass(frozen=True)
class ItemFile:
    key: str
    text_en: str
    text_es: str
    choices: tuple[ChoiceFile, ...]
    patient_named: bool
    alert_above: Decimal | None


@dataclass(frozen=True)
class InstrumentFile:
    abbreviation: str
    name: str
    minimum: Decimal
    maximum: Decimal
    higher_is_better: bool
    mcid: Decimal
    mcid_percent: Decimal | None
    unit: str
    source: str


@dataclass(frozen=True)
class DefinitionFile:
    instrument: InstrumentFile
    version: str
    licence: str
    rule: str
    min_answered: int
    places: int
    title_en: str
    title_es: str
    instructions_en: str
    instructions_es: str
    source: str
    items: tuple[ItemFile, ...]

    @property
    def spec(self) -> DefinitionSpec:
        """The file as the scoring rules see it, before it is loaded."""
        return DefinitionSpec(
            rule=self.rule,
            items=tuple(
                ItemSpec(
                    key=item.key,
                    values=tuple(choice.value for choice in item.choices),
                    alert_above=item.alert_above,
                )
                for item in self.items
            ),
            min_answered=self.min_answered,
            places=self.places,
        )


class DefinitionFileError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, field: str, text: str) -> None:
        self.errors.append(f"{field}: {text}")

    def obj(self, value: Any, field: str) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.fail(field, "must be an object ({...})")
        return {}

    def text(
        self, data: dict[str, Any], key: str, field: str, *, required: bool = True, limit: int
    ) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{field}{key}", "is missing")
            return ""
        if not isinstance(value, str):
            self.fail(f"{field}{key}", "must be text")
            return ""
        if len(value) > limit:
            self.fail(f"{field}{key}", f"is longer than {limit} characters")
        return value.strip()

    def number(
        self, data: dict[str, Any], key: str, field: str, *, required: bool = True
    ) -> Decimal | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{field}{key}", "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(f"{field}{key}", "must be a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(f"{field}{key}", f"{value!r} is not a number")
            return None
        if not number.is_finite() or number != round(number, MAX_PLACES):
            self.fail(f"{field}{key}", f"{value!r} has more than {MAX_PLACES} decimal places")
            return None
        return number

    def translated(
        self, data: dict[str, Any], key: str, field: str, *, required: bool, limit: int
    ) -> tuple[str, str]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{field}{key}", "is missing")
            return "", ""
        if isinstance(value, str):
            value = {"en": value}
        texts = self.obj(value, f"{field}{key}")
        unknown = sorted(set(texts) - {"en", "es"})
        if unknown:
            self.fail(f"{field}{key}", f"languages are en and es, not {', '.join(unknown)}")
        english = self.text(texts, "en", f"{field}{key}.", required=required, limit=limit)
        spanish = self.text(texts, "es", f"{field}{key}.", required=False, limit=limit)
        return english, spanish


def definition_file_parse(content: str) -> DefinitionFile:
    """Check a definition file's text; raise DefinitionFileError listing every mistake."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise DefinitionFileError(
            [f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"]
        ) from None
    reader = _Reader()
    root = reader.obj(data, "the file")
    definition = _definition(reader, root)
    if reader.errors or definition is None:
        raise DefinitionFileError(reader.errors)
    return definition


def _definition(reader: _Reader, root: dict[str, Any]) -> DefinitionFile | None:
    instrument = _instrument(reader, reader.obj(root.get("instrument"), "instrument"))
    licence = reader.text(root, "licence", "", limit=10)
    if licence and licence not in LICENCES:
        reader.fail("licence", f"must be one of {', '.join(LICENCES)}")
    scoring = reader.obj(root.get("scoring"), "scoring")
    rule = reader.text(scoring, "rule", "scoring.", limit=30)
    if rule and rule not in RULES:
        reader.fail("scoring.rule", f"must be one of {', '.join(RULES)}")
    min_answered = reader.number(scoring, "min_answered", "scoring.")
    places = reader.number(scoring, "places", "scoring.", required=False)
    if places is None:
        places = Decimal(2)
    if places not in range(MAX_PLACES + 1):
        reader.fail("scoring.places", f"must be a whole number from 0 to {MAX_PLACES}")
    title_en, title_es = reader.translated(root, "title", "", required=True, limit=200)
    instructions_en, instructions_es = reader.translated(
        root, "instructions", "", required=False, limit=2000
    )
    shared = root.get("choices")
    shared_choices = _choices(reader, shared, "choices") if shared is not None else None
    raw_items = root.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        reader.fail("items", "must be a list of at least one item")
        raw_items = []
    items = tuple(
        _item(reader, reader.obj(raw, f"items[{index}]"), f"items[{index}]", shared_choices)
        for index, raw in enumerate(raw_items)
    )
    keys = [item.key for item in items if item.key]
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        reader.fail("items", f"the key {key!r} is used twice")
    if min_answered is not None:
        if min_answered != min_answered.to_integral() or not 1 <= min_answered <= len(items):
            reader.fail("scoring.min_answered", f"must be a whole number from 1 to {len(items)}")
    if rule == QUICKDASH:
        for index, item in enumerate(items):
            if item.choices and min(c.value for c in item.choices) != 1:
                reader.fail(f"items[{index}].choices", "the QuickDASH rule needs values from 1")
    if reader.errors or instrument is None or min_answered is None:
        return None
    return DefinitionFile(
        instrument=instrument,
        version=reader.text(root, "version", "", limit=40) or "1",
        licence=licence,
        rule=rule,
        min_answered=int(min_answered),
        places=int(places),
        title_en=title_en,
        title_es=title_es,
        instructions_en=instructions_en,
        instructions_es=instructions_es,
        source=reader.text(root, "source", "", limit=300),
        items=items,
    )


def _instrument(reader: _Reader, data: dict[str, Any]) -> InstrumentFile | None:
    field = "instrument."
    abbreviation = reader.text(data, "abbreviation", field, limit=20)
    name = reader.text(data, "name", field, limit=120)
    minimum = reader.number(data, "minimum", field)
    maximum = reader.number(data, "maximum", field)
    mcid = reader.number(data, "mcid", field)
    mcid_percent = reader.number(data, "mcid_percent", field, required=False)
    higher = data.get("higher_is_better")
    if not isinstance(higher, bool):
        reader.fail("instrument.higher_is_better", "must be true or false")
    if minimum is not None and maximum is not None and maximum <= minimum:
        reader.fail("instrument.maximum", "must be above the minimum")
    if mcid is not None and mcid <= 0:
        reader.fail("instrument.mcid", "must be above 0")
    if None in (minimum, maximum, mcid) or not isinstance(higher, bool):
        return None
    assert minimum is not None and maximum is not None and mcid is not None
    return InstrumentFile(
        abbreviation=abbreviation,
        name=name,
        minimum=minimum,
        maximum=maximum,
        higher_is_better=higher,
        mcid=mcid,
        mcid_percent=mcid_percent,
        unit=reader.text(data, "unit", field, required=False, limit=20),
        source=reader.text(data, "source", field, limit=200),
    )


def _choices(reader: _Reader, raw: Any, field: str) -> tuple[ChoiceFile, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        reader.fail(field, "must be a list of at least two choices")
        return ()
    choices = []
    for index, entry in enumerate(raw):
        where = f"{field}[{index}]"
        data = reader.obj(entry, where)
        value = reader.number(data, "value", f"{where}.")
        label_en, label_es = reader.translated(data, "label", f"{where}.", required=True, limit=200)
        if value is not None:
            choices.append(ChoiceFile(value=value, label_en=label_en, label_es=label_es))
    values = [choice.value for choice in choices]
    if len(set(values)) != len(values):
        reader.fail(field, "two choices have the same value")
    return tuple(choices)


def _item(
    reader: _Reader,
    data: dict[str, Any],
    field: str,
    shared: tuple[ChoiceFile, ...] | None,
) -> ItemFile:
    key = reader.text(data, "key", f"{field}.", limit=30)
    text_en, text_es = reader.translated(data, "text", f"{field}.", required=True, limit=1000)
    if "choices" in data:
        choices = _choices(reader, data["choices"], f"{field}.choices")
    elif shared is not None:
        choices = shared
    else:
        reader.fail(f"{field}.choices", "is missing (and the file gives no shared choices)")
        choices = ()
    patient_named = data.get("patient_named", False)
    if not isinstance(patient_named, bool):
        reader.fail(f"{field}.patient_named", "must be true or false")
        patient_named = False
    return ItemFile(
        key=key,
        text_en=text_en,
        text_es=text_es,
        choices=choices,
        patient_named=patient_named,
        alert_above=reader.number(data, "alert_above", f"{field}.", required=False),
    )
