"""The letter to the injured worker as a business letter (the doctor's letterhead, the
patient's address block, the Division's help line, the doctor's title and role), in the
patient's preferred language (docs/domain.md §9), and its Spanish catalogue kept whole."""

import gettext
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from cases.models import Language, User
from tests.support.cast import client_for
from tests.support.reports import TODAY, determination, fill_record, name_the_parties, text

CATALOGUE = Path(settings.BASE_DIR) / "cases" / "locale" / "es" / "LC_MESSAGES"
# The files whose words the catalogue translates.
LETTER_SOURCES = (
    "templates/reports/patient_letter.html",
    "templates/reports/base.html",
    "cases/reports/patient_letter.py",
)
SPANISH_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()


def spanish(day) -> str:
    return f"{day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}"


@pytest.fixture
def record(cast):
    name_the_parties(cast.case)
    fill_record(cast.case, cast.clinician)
    User.objects.filter(pk=cast.clinician.pk).update(
        first_name="Wei",
        last_name="Chen",
        licence_type="MD",
        facility_name="Riverside Occupational Clinic",
        office_street="4100 Riverside Pkwy, Suite 210",
        office_city="San Antonio",
        office_state="TX",
        office_zip="78210",
        office_phone="(210) 555-0140",
        office_fax="(210) 555-0141",
    )
    cast.clinician.refresh_from_db()
    return cast


def letter(record, language: str) -> str:
    record.case.patient.preferred_language = language
    record.case.patient.save()
    signed = determination(record.case, record.clinician)
    response = client_for(record.adjuster).get(reverse("report-patient-letter", args=[signed.pk]))
    assert response.status_code == 200
    return " ".join(text(response.content).split())


@pytest.mark.pdf
def test_the_english_letter_is_on_the_practices_letterhead_to_the_patients_address(record):
    body = letter(record, Language.ENGLISH)

    # Letterhead, then the date, the patient's address block, the reference and the greeting.
    letterhead = (
        "Riverside Occupational Clinic 4100 Riverside Pkwy, Suite 210 San Antonio, TX 78210 "
        "Phone (210) 555-0140 · Fax (210) 555-0141"
    )
    assert letterhead in body
    today = TODAY()
    address = f"{today.day} {today:%b %Y} John Davis 12 Elm Street, San Antonio TX"
    assert address in body
    assert body.index(letterhead) < body.index(address) < body.index("Dear John,")
    assert f"Re: claim number {record.case.claim_number}" in body
    # The Division's help line (docs/domain.md §9).
    assert (
        "call the state's workers' compensation agency, the Texas Department of Insurance, "
        "Division of Workers' Compensation, at 800-252-7031" in body
    )
    # The signature block: the doctor's title and role, and the practice.
    assert "Yours sincerely, Wei Chen, MD Treating doctor Riverside Occupational Clinic" in body
    deadline = today + timedelta(days=90)  # Texas §408.123(e), from the letter's date
    assert f"dispute it by {deadline.day} {deadline:%b %Y}" in body


@pytest.mark.pdf
def test_a_spanish_speaking_patients_letter_is_in_spanish_with_spanish_dates(record):
    body = letter(record, Language.SPANISH)

    assert "Estimado(a) John:" in body
    assert "Su recuperación ha llegado a un punto estable" in body
    assert "máxima mejoría médica” (MMI)" in body
    assert "Lo que esto significa y lo que no significa" in body
    assert "Teléfono (210) 555-0140 · Fax (210) 555-0141" in body
    assert f"Asunto: reclamo número {record.case.claim_number}" in body
    assert "llame a la agencia estatal de compensación para trabajadores" in body
    assert "Division of Workers' Compensation) al 800-252-7031" in body
    assert "Atentamente, Wei Chen, MD Médico tratante Riverside Occupational Clinic" in body
    # Dates as Spanish writes them: the letter's, the exam's, the deadline's, the footer's.
    today = TODAY()
    assert f"{spanish(today)} John Davis 12 Elm Street" in body
    exam = today - timedelta(days=3)
    assert f"le hizo un examen el {spanish(exam)}" in body
    deadline = today + timedelta(days=90)
    assert f"debe disputarla a más tardar el {spanish(deadline)}" in body
    assert f"Generado el {spanish(today)}" in body
    assert "Reclamo " in body and "Carta sobre su recuperación" in body
    assert "Página 1 de" in body
    # No sentence left in English.
    for english in (
        "Dear",
        "Yours sincerely",
        "your doctor",
        "Generated",
        "Claim ",
        "Phone",
        "Page ",
    ):
        assert english not in body


@pytest.mark.pdf
def test_a_draft_letter_in_spanish_is_marked_as_a_draft_in_spanish(record):
    record.case.patient.preferred_language = Language.SPANISH
    record.case.patient.save()
    draft = determination(record.case, record.clinician, status="draft")

    response = client_for(record.case_manager).get(
        reverse("report-patient-letter", args=[draft.pk])
    )

    body = " ".join(text(response.content).split())
    assert "BORRADOR — sin firmar. Su médico todavía no lo ha terminado" in body
    assert "DRAFT — not signed" not in body


def test_the_staff_pages_stay_in_english_after_a_spanish_letter(record):
    letter_url = reverse(
        "report-patient-letter",
        args=[determination(record.case, record.clinician).pk],
    )
    record.case.patient.preferred_language = Language.SPANISH
    record.case.patient.save()
    client = client_for(record.adjuster)

    assert client.get(letter_url).status_code == 200
    page = client.get(record.case.get_absolute_url()).content.decode()

    assert '<html lang="en' in page
    assert "Estimado" not in page


# --- The Spanish catalogue -------------------------------------------------------------


def _msgids(po: Path) -> set[str]:
    return {
        match.group(1)
        for match in re.finditer(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), re.M)
    }


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_spanish_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", CATALOGUE / "django.po"],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages\.", statistics), statistics


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_committed_mo_is_the_po_compiled(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", compiled, CATALOGUE / "django.po"],
        check=True,
        capture_output=True,
    )

    def catalogue(path: Path) -> dict:
        with path.open("rb") as file:
            return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]

    assert catalogue(CATALOGUE / "django.mo") == catalogue(compiled)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is not installed")
def test_the_catalogue_holds_exactly_the_letters_words(tmp_path, monkeypatch):
    # makemessages over the letter's files alone, as a translator would run it.
    for source in LETTER_SOURCES:
        copy = tmp_path / source
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(settings.BASE_DIR) / source, copy)
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["es"], no_location=True, no_wrap=True, verbosity=0)

    extracted = _msgids(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")
    assert extracted == _msgids(CATALOGUE / "django.po")
