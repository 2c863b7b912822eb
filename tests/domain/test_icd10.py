"""ICD-10-CM codes: their format, and what the code set accepts (docs/domain.md §2), on a
small table of real codes. Plain pytest: no database."""

import ast
from pathlib import Path

import pytest

from cases.domain import icd10
from cases.domain.icd10 import (
    Verdict,
    check_diagnosis,
    check_diagnosis_list,
    invalid_icd10_message,
    is_valid_icd10_cm,
    normalise_icd10,
)

VALID = [
    "M54.5",
    "M54.50",
    "S83.511A",
    "G56.01",
    "M75.111",
    "S43.431D",
    "Z57.8",
    "U07.1",
    "M54",
    "S02.10XA",
    "M1A.0110",
    "T40.7X1A",
]
INVALID = [
    "123.4",
    "M5",
    "MM54.5",
    "M54.12345",
    "M54.5X",
    "M5.45",
    "M54-5",
    "",
    "M54..5",
    "Ü54.5",
]


@pytest.mark.parametrize("code", VALID)
def test_icd10_cm_code_is_accepted(code: str):
    assert is_valid_icd10_cm(code)


@pytest.mark.parametrize("code", INVALID)
def test_malformed_icd10_code_is_refused(code: str):
    assert not is_valid_icd10_cm(code)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("m545", "M54.5"),
        (" s83.511a ", "S83.511A"),
        ("S83511A", "S83.511A"),
        ("M54.5", "M54.5"),
        ("m54", "M54"),
        ("M54.", "M54"),
    ],
)
def test_normalise_icd10(typed: str, normalised: str):
    assert normalise_icd10(typed) == normalised


def test_code_typed_without_dot_or_in_lower_case_is_accepted():
    assert is_valid_icd10_cm("s83511a")


def test_invalid_code_message_quotes_the_entry():
    assert invalid_icd10_message("M54.5X").startswith("“M54.5X” is not an ICD-10 code")


def test_icd10_rules_do_not_import_django():
    tree = ast.parse(Path(icd10.__file__).read_text())
    modules = [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    modules += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not any(m.split(".")[0] == "django" for m in modules)


class Table:
    """A few codes of the ICD-10-CM code set, as cases/selectors/diagnoses.py reads them."""

    DESCRIPTIONS = {
        "M54": "Dorsalgia",
        "M54.5": "Low back pain",
        "M54.50": "Low back pain, unspecified",
        "M54.51": "Vertebrogenic low back pain",
        "M54.59": "Other low back pain",
        "S43.432": "Superior glenoid labrum lesion of left shoulder",
        "S43.432A": "Superior glenoid labrum lesion of left shoulder, initial encounter",
        "S43.432D": "Superior glenoid labrum lesion of left shoulder, subsequent encounter",
        "S43.432S": "Superior glenoid labrum lesion of left shoulder, sequela",
        "S33.5": "Sprain of ligaments of lumbar spine",
        "S33.5XXA": "Sprain of ligaments of lumbar spine, initial encounter",
        "S52.501": "Unspecified fracture of the lower end of right radius",
        "S52.501A": "Unspecified fracture of the lower end of right radius, initial encounter",
        "S52.501B": "Unspecified fracture of the lower end of right radius, open fracture",
    }
    BELOW = {
        "M54": ["M54.5", "M54.50", "M54.51", "M54.59"],
        "M54.5": ["M54.50", "M54.51", "M54.59"],
        "S43.432": ["S43.432A", "S43.432D", "S43.432S"],
        "S33.5": ["S33.5XXA"],
        "S52.501": ["S52.501A", "S52.501B"],
    }
    SEVENTH = {
        "S43.432": {"A": "initial encounter", "D": "subsequent encounter", "S": "sequela"},
        "S33.5": {"A": "initial encounter"},
        "S52.501": {"A": "initial encounter for closed fracture", "B": "open fracture"},
    }

    def description(self, code):
        return self.DESCRIPTIONS.get(code)

    def is_billable(self, code):
        return code not in self.BELOW

    def billable_below(self, code):
        return [item for item in self.BELOW.get(code, []) if self.is_billable(item)]

    def seventh_characters(self, code):
        return self.SEVENTH.get(code, {})


@pytest.mark.parametrize("code", ["S43.432A", "s43432a", "M54.50", "S33.5XXA"])
def test_billable_code_is_accepted_with_its_description(code: str):
    check = check_diagnosis(code, Table())
    assert check.accepted
    assert check.description == Table.DESCRIPTIONS[normalise_icd10(code)]


def test_injury_code_without_its_7th_character_is_refused_naming_the_choices():
    check = check_diagnosis("S43.432", Table())
    assert check.verdict == Verdict.NEEDS_SEVENTH_CHARACTER
    assert not check.accepted
    assert "needs a 7th character" in check.message
    assert "A (initial encounter); D (subsequent encounter); S (sequela)" in check.message
    assert "for example S43.432A" in check.message


def test_7th_character_example_pads_a_short_code_with_x():
    assert "for example S33.5XXA" in check_diagnosis("S33.5", Table()).message


def test_7th_character_choices_are_those_the_code_allows():
    message = check_diagnosis("S52.501", Table()).message
    assert "A (initial encounter for closed fracture); B (open fracture)" in message
    assert "D (" not in message


def test_retired_code_is_refused_with_its_billable_replacements_described():
    check = check_diagnosis("M54.5", Table())
    assert check.verdict == Verdict.NOT_BILLABLE
    assert [item.code for item in check.replacements] == ["M54.50", "M54.51", "M54.59"]
    assert check.message == (
        "M54.5 (Low back pain) is not a billable code: it has more specific codes. Use one "
        "of: M54.50 Low back pain, unspecified; M54.51 Vertebrogenic low back pain; "
        "M54.59 Other low back pain."
    )


def test_category_names_only_billable_codes_below_it():
    check = check_diagnosis("M54", Table())
    assert [item.code for item in check.replacements] == ["M54.50", "M54.51", "M54.59"]


def test_long_list_of_replacements_is_cut_short_saying_how_many_more(monkeypatch):
    monkeypatch.setattr(icd10, "REPLACEMENTS_NAMED", 2)
    check = check_diagnosis("M54.5", Table())
    assert len(check.replacements) == 2
    assert check.message.endswith("M54.51 Vertebrogenic low back pain; and 1 more.")


def test_unknown_code_is_refused_clearly():
    check = check_diagnosis("Q99.99", Table())
    assert check.verdict == Verdict.UNKNOWN
    assert check.message.startswith("“Q99.99” is not in the ICD-10-CM code set")


def test_malformed_code_is_refused_with_the_format_message():
    check = check_diagnosis("123.4", Table())
    assert check.verdict == Verdict.MALFORMED
    assert check.message.startswith("“123.4” is not an ICD-10 code")


def test_code_list_keeps_billable_codes_in_order_and_names_each_refused_one_once():
    accepted, refused = check_diagnosis_list("s43432a, M54.5; M54.50 m545, 123.4", Table())
    assert accepted == ["S43.432A", "M54.50"]
    assert len(refused) == 2
    assert refused[0].startswith("M54.5 (Low back pain) is not a billable code")
    assert refused[1].startswith("“123.4” is not an ICD-10 code")


@pytest.mark.parametrize("text", ["", "  ", ",;,", None])
def test_empty_code_list_is_checked_as_no_codes(text):
    assert check_diagnosis_list(text, Table()) == ([], [])
