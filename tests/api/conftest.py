import pytest


@pytest.fixture(autouse=True)
def _api_settings(settings):
    settings.API_RATE_LIMIT = "10000/minute"
