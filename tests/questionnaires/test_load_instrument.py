"""``manage.py load_instrument``: a licensed-style definition file checked, loaded and
scored; a wrong file refused with each mistake named and nothing loaded."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import Instrument, OutcomeScore
from questionnaires.models import InstrumentDefinition, Response
from questionnaires.services import response_submit

FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytestmark = pytest.mark.usefixtures("module_cast")


def load(path: Path) -> str:
    out = StringIO()
    call_command("load_instrument", str(path), stdout=out)
    return out.getvalue()


def test_a_licensed_style_file_is_loaded_and_its_responses_scored_by_percentage(cast):
    said = load(FIXTURES / "made_up_back_index.json")
    assert said.strip() == (
        "Loaded MBI version 1: 10 items, scored by percentage of the maximum of the items answered."
    )
    definition = InstrumentDefinition.objects.get(instrument__abbreviation="MBI")
    assert definition.licence == "licensed" and definition.min_answered == 8
    assert definition.items.get(key="s3").text_for("es") == "Sección inventada 3"
    instrument = Instrument.objects.get(abbreviation="MBI")
    assert (instrument.maximum, instrument.mcid, instrument.unit) == (Decimal(100), 10, "%")
    answers = {f"s{i}": v for i, v in enumerate((2, 1, 3, 1, 2, 2, 1, 2, 1), 1)}
    response = response_submit(
        case=cast.case,
        definition=definition,
        answers=answers,
        source=Response.Source.CLINICIAN,
        date=timezone.localdate(),
        clinician=cast.clinician,
        entered_by=cast.clinician,
    )
    assert response.score == Decimal(33)  # 15 of 45
    assert OutcomeScore.objects.get(assessment=response.assessment).value == Decimal(33)


def test_a_quickdash_style_file_scores_by_its_formula(cast):
    load(FIXTURES / "made_up_upper_limb.json")
    definition = InstrumentDefinition.objects.get(instrument__abbreviation="MULS")
    response = response_submit(
        case=cast.case,
        definition=definition,
        answers={f"q{i}": v for i, v in enumerate((3, 2, 2, 2, 2, 2, 2, 2, 2, 2), 1)},
        source=Response.Source.PATIENT,
        date=timezone.localdate(),
        clinician=cast.clinician,
    )
    assert response.score == Decimal("27.50")


def test_loading_again_replaces_the_definition_and_keeps_one(cast, tmp_path):
    load(FIXTURES / "made_up_upper_limb.json")
    data = json.loads((FIXTURES / "made_up_upper_limb.json").read_text())
    data["version"] = "2"
    data["items"][0]["text"]["en"] = "Made-up task one, reworded"
    changed = tmp_path / "v2.json"
    changed.write_text(json.dumps(data))
    load(changed)
    definition = InstrumentDefinition.objects.get(instrument__abbreviation="MULS")
    assert definition.version == "2" and definition.items.count() == 11
    assert definition.items.get(key="q1").text_en == "Made-up task one, reworded"


def write(tmp_path, data) -> Path:
    path = tmp_path / "definition.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2))
    return path


def refusal(path: Path) -> str:
    with pytest.raises(CommandError) as refused:
        load(path)
    return str(refused.value)


def test_a_file_that_is_not_json_is_refused_with_its_line(db, tmp_path):
    text = refusal(write(tmp_path, '{\n  "version": "1",\n  "items": [,]\n}'))
    assert "line 3, column 13: not valid JSON" in text


def test_each_mistake_is_named_by_its_field_and_nothing_is_loaded(db, tmp_path):
    data = json.loads((FIXTURES / "made_up_back_index.json").read_text())
    data["instrument"]["abbreviation"] = "BAD"
    data["scoring"]["rule"] = "median"
    data["scoring"]["min_answered"] = 12
    data["items"][2]["key"] = "s2"
    data["items"][4]["choices"] = [{"value": "five", "label": {"en": "Five"}}]
    data["items"][6]["text"] = {"en": "", "fr": "Section"}
    text = refusal(write(tmp_path, data))
    for expected in (
        "scoring.rule: must be one of sum, mean, percent_of_maximum, quickdash",
        "scoring.min_answered: must be a whole number from 1 to 10",
        "items: the key 's2' is used twice",
        "items[4].choices: must be a list of at least two choices",
        "items[6].text: languages are en and es, not fr",
        "items[6].text.en: is missing",
    ):
        assert expected in text
    assert not Instrument.objects.filter(abbreviation="BAD").exists()


def test_a_file_whose_range_differs_from_the_instrument_on_file_is_refused(db, tmp_path):
    data = json.loads((FIXTURES / "made_up_back_index.json").read_text())
    data["instrument"]["abbreviation"] = "NDI"
    text = refusal(write(tmp_path, data))
    assert "instrument.maximum: NDI is kept on 0–50, not 0–100" in text
    assert not InstrumentDefinition.objects.filter(instrument__abbreviation="NDI").exists()


def test_a_missing_file_is_refused_plainly(db, tmp_path):
    text = refusal(tmp_path / "nowhere.json")
    assert "nowhere.json: cannot be read" in text
