import pytest


@pytest.fixture(autouse=True)
def _anchor_file(settings, tmp_path):
    """Each test's anchors in a file of its own, never the installation's."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
