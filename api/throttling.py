"""Rate limiting: each token (or browser session's user) has its own budget."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class PerTokenRateThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per period for each token; over it, 429 with Retry-After.

    The counters live in the default cache, so several web processes share them only when
    that cache is shared (REDIS_URL)."""

    scope = "api"

    def get_rate(self) -> str:
        # Read when the request comes, not at import, so settings overrides apply.
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
