"""The scoring rules (questionnaires/domain/scoring.py, docs/domain.md §12) on the shipped
definitions and made-up licensed-style ones, against the worked examples of each
instrument's published scoring instructions. No database."""

from decimal import Decimal
from pathlib import Path

import pytest

from questionnaires.domain.definition_file import definition_file_parse
from questionnaires.domain.scoring import (
    MEAN,
    AnswerRefused,
    DefinitionSpec,
    ItemSpec,
    alerts,
    score,
)

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "definitions"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def spec_of(path: Path) -> DefinitionSpec:
    return definition_file_parse(path.read_text(encoding="utf-8")).spec


def numbered(*values, prefix=""):
    return {f"{prefix}{index}": Decimal(value) for index, value in enumerate(values, 1)}


PHQ9 = spec_of(SHIPPED / "phq9.json")
GAD7 = spec_of(SHIPPED / "gad7.json")
NPRS = spec_of(SHIPPED / "nprs.json")
PSFS = spec_of(SHIPPED / "psfs.json")
BACK = spec_of(FIXTURES / "made_up_back_index.json")
UPPER = spec_of(FIXTURES / "made_up_upper_limb.json")


def test_phq9_is_the_sum_of_its_nine_items_from_0_to_27():
    # The PHQ-9 scoring card: add the column scores; 0–27.
    assert score(PHQ9, numbered(1, 1, 2, 0, 1, 3, 0, 1, 0)).score == Decimal(9)
    assert score(PHQ9, numbered(*[3] * 9)).score == Decimal(27)
    assert score(PHQ9, numbered(*[0] * 9)).score == Decimal(0)


def test_phq9_with_an_item_missing_has_no_score_and_says_so():
    answers = numbered(1, 1, 2, 0, 1, 3, 0, 1, 0)
    del answers["4"]
    result = score(PHQ9, answers)
    assert result.score is None and not result.is_complete
    assert result.missing == ("4",)
    assert result.summary == "8 of 9 items answered: no valid score (at least 9 needed)."


def test_gad7_is_the_sum_of_its_seven_items_and_needs_them_all():
    assert score(GAD7, numbered(3, 2, 2, 1, 1, 0, 1)).score == Decimal(10)
    assert score(GAD7, numbered(*[3] * 7)).score == Decimal(21)
    assert score(GAD7, numbered(3, 2, 2, 1, 1, 0)).score is None


def test_nprs_is_the_rating_chosen():
    assert score(NPRS, {"pain_now": Decimal(7)}).score == Decimal(7)
    assert score(NPRS, {}).score is None


def test_psfs_is_the_mean_of_the_activities_rated_rounded_to_hundredths_halves_up():
    # Stratford 1995: total = sum of the activity scores / number of activities.
    assert score(PSFS, numbered(3, 5, 4, prefix="activity_")).score == Decimal("4.00")
    assert score(PSFS, numbered(5, 6, 6, prefix="activity_")).score == Decimal("5.67")
    assert score(PSFS, numbered(2, 3, 4, 6, 10, prefix="activity_")).score == Decimal("5.00")
    assert score(PSFS, numbered(1, 2, 2, 2, prefix="activity_")).score == Decimal("1.75")


def test_psfs_with_fewer_than_three_activities_rated_is_incomplete():
    result = score(PSFS, numbered(7, 8, prefix="activity_"))
    assert result.score is None
    assert result.summary == "2 of 5 items answered: no valid score (at least 3 needed)."


def test_psfs_with_three_of_five_activities_is_valid_and_says_so():
    result = score(PSFS, numbered(7, 8, 9, prefix="activity_"))
    assert result.score == Decimal("8.00")
    assert result.summary == (
        "3 of 5 items answered: the score is still valid (at least 3 needed)."
    )


def test_percentage_of_the_maximum_counts_only_the_items_answered():
    # The Oswestry way: total / (5 × sections answered) × 100.
    all_ten = numbered(2, 1, 3, 1, 2, 2, 1, 2, 1, 1, prefix="s")
    assert score(BACK, all_ten).score == Decimal(32)  # 16 / 50
    nine = dict(all_ten)
    del nine["s10"]
    assert score(BACK, nine).score == Decimal(33)  # 15 / 45 = 33.3 %
    eight = numbered(2, 1, 3, 1, 2, 2, 1, 1, prefix="s")
    assert score(BACK, eight).score == Decimal(33)  # 13 / 40 = 32.5 %: the half goes up
    seven = numbered(2, 1, 3, 1, 2, 2, 1, prefix="s")
    assert score(BACK, seven).score is None  # below the 8 sections needed


def test_quickdash_formula_needs_ten_of_eleven_answers():
    # ((sum of n answers / n) − 1) × 25.
    assert score(UPPER, numbered(*[3] * 11, prefix="q")).score == Decimal("50.00")
    assert score(UPPER, numbered(*[1] * 11, prefix="q")).score == Decimal("0.00")
    assert score(UPPER, numbered(*[5] * 11, prefix="q")).score == Decimal("100.00")
    eleven = numbered(3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, prefix="q")  # (25 / 11 − 1) × 25
    assert score(UPPER, eleven).score == Decimal("31.82")
    ten = numbered(3, 2, 2, 2, 2, 2, 2, 2, 2, 2, prefix="q")  # 21 / 10 = 2.1 → 27.5
    assert score(UPPER, ten).score == Decimal("27.50")
    assert score(UPPER, numbered(*[2] * 9, prefix="q")).score is None


def test_an_answer_outside_the_choices_or_to_no_item_is_refused_naming_each():
    with pytest.raises(AnswerRefused) as refused:
        score(PHQ9, {**numbered(*[0] * 8), "9": Decimal(4), "10": Decimal(1)})
    assert refused.value.errors == {
        "9": "4 is not one of the choices (0, 1, 2, 3)",
        "10": "no such item",
    }
    with pytest.raises(AnswerRefused):
        score(UPPER, numbered(*[0] * 11, prefix="q"))  # QuickDASH answers start at 1


def test_phq9_item_9_above_0_alerts_and_0_does_not():
    assert alerts(PHQ9, numbered(0, 0, 0, 0, 0, 0, 0, 0, 1)) == ("9",)
    assert alerts(PHQ9, {"9": Decimal(3)}) == ("9",)
    assert alerts(PHQ9, numbered(3, 3, 3, 3, 3, 3, 3, 3, 0)) == ()
    assert alerts(GAD7, numbered(*[3] * 7)) == ()


def test_halves_are_rounded_up_at_the_definitions_places():
    spec = DefinitionSpec(
        rule=MEAN,
        items=(
            ItemSpec("a", (Decimal(0), Decimal(1), Decimal(2))),
            ItemSpec("b", (Decimal(0), Decimal(1), Decimal(2))),
        ),
        min_answered=2,
        places=0,
    )
    assert score(spec, {"a": Decimal(1), "b": Decimal(2)}).score == Decimal(2)  # 1.5
    assert score(spec, {"a": Decimal(0), "b": Decimal(1)}).score == Decimal(1)  # 0.5


def test_the_documented_example_file_is_valid_and_scores_as_the_document_says():
    document = (Path(__file__).resolve().parents[2] / "docs" / "questionnaires.md").read_text()
    example = document.split("```json\n", 1)[1].split("```", 1)[0]
    spec = definition_file_parse(example).spec
    assert score(spec, {"bending": Decimal(1), "lifting": Decimal(2)}).score == Decimal(75)


def test_the_questionnaires_rules_import_nothing_from_django():
    domain = Path(__file__).resolve().parents[2] / "questionnaires" / "domain"
    for path in domain.glob("*.py"):
        source = path.read_text()
        assert "import django" not in source and "from django" not in source, path.name
