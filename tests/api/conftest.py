import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _api_settings(settings):
    settings.API_RATE_LIMIT = "10000/minute"
    cache.clear()  # the rate limiter's counters
