"""The start-up checks say what the installation lacks."""

from cases.checks import signing_authority_present
from cases.reports.official.signing import authority_create


def test_a_missing_signing_authority_is_named_with_the_command_that_creates_it(settings, tmp_path):
    settings.SIGNING_CA_DIR = tmp_path / "signing-ca"

    (warning,) = signing_authority_present(None)

    assert warning.id == "cases.W001"
    assert str(tmp_path / "signing-ca") in warning.msg
    assert "manage.py create_signing_authority" in warning.hint


def test_nothing_is_said_once_the_authority_exists(settings, tmp_path):
    authority_create(tmp_path, common_name="Test authority")
    settings.SIGNING_CA_DIR = tmp_path

    assert signing_authority_present(None) == []
