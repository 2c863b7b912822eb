"""ICD-10-CM code format (docs/domain.md §2). Plain pytest: no database."""

import ast
from pathlib import Path

import pytest

from cases.domain import icd10
from cases.domain.icd10 import (
    invalid_icd10_message,
    is_valid_icd10_cm,
    normalise_icd10,
    parse_icd10_list,
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


def test_parse_list_splits_on_commas_semicolons_and_whitespace():
    valid, invalid = parse_icd10_list("m545, S83.511A;G56.01\nM75.111  Z57.8")
    assert valid == ["M54.5", "S83.511A", "G56.01", "M75.111", "Z57.8"]
    assert invalid == []


def test_parse_list_returns_invalid_entries_as_typed():
    valid, invalid = parse_icd10_list("M54.5, M54.5X; 123.4, m54.5")
    assert valid == ["M54.5"]
    assert invalid == ["M54.5X", "123.4"]


@pytest.mark.parametrize("text", ["", "  ", ",;,", None])
def test_parse_empty_list(text):
    assert parse_icd10_list(text) == ([], [])


def test_invalid_code_message_quotes_the_entry():
    assert invalid_icd10_message("M54.5X").startswith("“M54.5X” is not an ICD-10 code")


def test_icd10_rules_do_not_import_django():
    tree = ast.parse(Path(icd10.__file__).read_text())
    modules = [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    modules += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not any(m.split(".")[0] == "django" for m in modules)
