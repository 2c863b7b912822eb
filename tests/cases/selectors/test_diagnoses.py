"""The ICD-10-CM code set as the app reads it (simple-icd-10-cm), and the demo and test data
written in it. No database."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cases.management.commands import seed_demo, seed_scale
from cases.selectors.diagnoses import (
    check_code,
    describe,
    diagnoses_text,
    search_diagnoses,
    shown_diagnoses,
)
from tests.support import factories


def test_billable_injury_code_is_accepted():
    assert check_code("S43.432A").accepted


def test_injury_code_without_7th_character_names_a_d_and_s():
    message = check_code("S43.432").message
    assert "needs a 7th character" in message
    assert "A (initial encounter); D (subsequent encounter); S (sequela)" in message


def test_m54_5_is_refused_with_its_three_billable_codes():
    check = check_code("M54.5")
    assert [(item.code, item.description) for item in check.replacements] == [
        ("M54.50", "Low back pain, unspecified"),
        ("M54.51", "Vertebrogenic low back pain"),
        ("M54.59", "Other low back pain"),
    ]


def test_code_not_in_the_code_set_is_unknown():
    assert check_code("S43.999A").message.startswith("“S43.999A” is not in the ICD-10-CM code set")


def test_category_is_described_for_the_time_to_mmi_groups():
    assert describe("S43") == "Dislocation and sprain of joints and ligaments of shoulder girdle"
    assert describe("Z99.999") == "" and describe("not a code") == ""


def test_saved_codes_are_shown_with_what_is_wrong_with_them():
    assert diagnoses_text(["S83.511A", "M54.5", "Q99.99"]) == (
        "S83.511A Sprain of anterior cruciate ligament of right knee, initial encounter; "
        "M54.5 Low back pain (not a billable code); Q99.99 (not in the ICD-10-CM code set)"
    )
    assert shown_diagnoses(["", " "]) == []


def test_search_finds_codes_by_start_of_code_or_of_words_and_stops_at_the_limit():
    assert [item.code for item in search_diagnoses("m545")] == ["M54.50", "M54.51", "M54.59"]
    assert search_diagnoses("carpal tunnel right")[0].code == "G56.01"
    assert len(search_diagnoses("sprain", limit=5)) == 5
    assert search_diagnoses("") == []


def _seeded_codes() -> list[str]:
    codes = [code for _, part_codes, _ in seed_scale.BODY_PARTS for code in part_codes]
    codes += factories.CaseFactory.diagnosis_codes.split(",")
    # The demo's codes are written in the command itself: every string that reads as one.
    tree = ast.parse(Path(seed_demo.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(
                r"([A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4})(, ?[A-Z][0-9][0-9A-Z.]+)*", node.value
            ):
                codes += [code.strip() for code in node.value.split(",")]
    return codes


def test_demo_scale_and_factory_data_use_billable_codes():
    codes = _seeded_codes()
    assert len(codes) > 10
    refused = {code: check_code(code).message for code in codes if not check_code(code).accepted}
    assert refused == {}


def test_code_set_is_not_loaded_when_django_starts():
    probe = (
        "import sys, django; django.setup(); import cases.urls, cases.forms.fields; "
        "print('simple_icd_10_cm' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "False"


@pytest.mark.parametrize("code", ["S83.511A", "M54.50", "G56.01", "M75.112", "S33.5XXA"])
def test_codes_the_tests_use_are_billable(code):
    assert check_code(code).accepted
