"""An instrument definition loaded from its file (docs/questionnaires.md): the shipped free
instruments at each migrate, the licensed ones by an administrator's ``load_instrument``."""

from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from cases.models import Instrument

from ..domain.definition_file import DefinitionFile, DefinitionFileError, definition_file_parse
from ..models import Choice, InstrumentDefinition, Item

SHIPPED = Path(__file__).resolve().parent.parent / "definitions"


@transaction.atomic
def definition_load(parsed: DefinitionFile) -> InstrumentDefinition:
    """Create or replace the definition of the file's instrument, creating the instrument
    itself when the product has none of that abbreviation. An instrument already on file
    keeps its MCID and direction (reference data an administrator edits), but the file's
    range must be its range. Raises DefinitionFileError."""
    spec = parsed.instrument
    instrument, created = Instrument.objects.get_or_create(
        abbreviation=spec.abbreviation,
        defaults={
            "name": spec.name,
            "minimum": spec.minimum,
            "maximum": spec.maximum,
            "higher_is_better": spec.higher_is_better,
            "mcid": spec.mcid,
            "mcid_percent": spec.mcid_percent,
            "unit": spec.unit,
            "source": spec.source,
        },
    )
    if not created and (instrument.minimum, instrument.maximum) != (spec.minimum, spec.maximum):
        raise DefinitionFileError(
            [
                f"instrument.maximum: {instrument.abbreviation} is kept on "
                f"{instrument.range_label}, not "
                f"{spec.minimum.normalize():f}–{spec.maximum.normalize():f}"
            ]
        )
    definition, _ = InstrumentDefinition.objects.update_or_create(
        instrument=instrument,
        defaults={
            "version": parsed.version,
            "licence": parsed.licence,
            "rule": parsed.rule,
            "min_answered": parsed.min_answered,
            "score_places": parsed.places,
            "title_en": parsed.title_en,
            "title_es": parsed.title_es,
            "instructions_en": parsed.instructions_en,
            "instructions_es": parsed.instructions_es,
            "source": parsed.source,
        },
    )
    keys = [item.key for item in parsed.items]
    try:
        definition.items.exclude(key__in=keys).delete()
    except ProtectedError:
        raise DefinitionFileError(
            ["items: an item that responses have answered cannot be left out of the file"]
        ) from None
    # Positions are unique: move the kept items out of the way before numbering them anew.
    for item in definition.items.all():
        item.position += 1000
        item.save(update_fields=["position"])
    for position, entry in enumerate(parsed.items, start=1):
        item, _ = Item.objects.update_or_create(
            definition=definition,
            key=entry.key,
            defaults={
                "position": position,
                "text_en": entry.text_en,
                "text_es": entry.text_es,
                "patient_named": entry.patient_named,
                "alert_above": entry.alert_above,
            },
        )
        item.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(
                item=item,
                position=index,
                value=choice.value,
                label_en=choice.label_en,
                label_es=choice.label_es,
            )
            for index, choice in enumerate(entry.choices, start=1)
        )
    return definition


def definition_load_file(path: Path) -> InstrumentDefinition:
    """Check and load one definition file. Raises DefinitionFileError."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionFileError([f"{path}: cannot be read ({error})"]) from None
    return definition_load(definition_file_parse(content))


def shipped_definitions_load() -> list[InstrumentDefinition]:
    """Load the free instruments shipped in questionnaires/definitions/ whose definition is
    missing or of another version (run after every migrate, so a new database has them)."""
    loaded = []
    for path in sorted(SHIPPED.glob("*.json")):
        parsed = definition_file_parse(path.read_text(encoding="utf-8"))
        current = InstrumentDefinition.objects.filter(
            instrument__abbreviation=parsed.instrument.abbreviation
        ).first()
        if current is None or current.version != parsed.version:
            loaded.append(definition_load(parsed))
    return loaded
