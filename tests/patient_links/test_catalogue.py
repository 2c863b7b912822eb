"""The Spanish catalogue of the patient's pages and emails: every message of the templates
and the code translated, none fuzzy, and the compiled catalogue the one its source makes."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.utils import translation

import patient_links

APP = Path(patient_links.__file__).parent
ROOT = APP.parent
LOCALE = APP / "locale" / "es" / "LC_MESSAGES"


def _statistics(po: Path) -> str:
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stderr.strip()


def test_every_message_is_translated_and_none_is_fuzzy():
    statistics = _statistics(LOCALE / "django.po")
    assert "fuzzy" not in statistics and "untranslated" not in statistics, statistics


def test_the_catalogue_lacks_no_message_of_the_pages(tmp_path):
    """The messages extracted afresh from a copy of the app are all in the catalogue."""
    copy = tmp_path / "patient_links"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "--locale=es",
            "--no-location",
            "--no-obsolete",
            "--verbosity=0",
        ],
        cwd=copy,
        check=True,
    )
    fresh = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    statistics = _statistics(fresh)
    assert "fuzzy" not in statistics and "untranslated" not in statistics, statistics


def test_the_compiled_catalogue_matches_its_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes()


def test_the_running_catalogue_translates_the_pages():
    with translation.override("es"):
        assert translation.gettext("Send my answers") == "Enviar mis respuestas"
