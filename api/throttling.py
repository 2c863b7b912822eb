"""Rate limiting: each token (or browser session's user) has its own budget, and each
client address a budget of failed token authentications."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from mmi_tracker.addresses import client_address

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


class FailedTokenThrottle(SimpleRateThrottle):
    """API_TOKEN_FAILURE_LIMIT failed token authentications per period for each client
    address: past it the address is answered 429, with Retry-After, before any token it sends
    is looked up, so tokens cannot be guessed at the speed of the server. Only failures
    count (``failure``); ``exhausted`` looks without counting."""

    scope = "api-token-failures"
    num_requests: int  # set from the rate when made
    duration: int

    def get_rate(self) -> str:
        return settings.API_TOKEN_FAILURE_LIMIT

    def get_cache_key(self, request, view) -> str:
        ident = client_address(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def exhausted(self, request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [at for at in self.cache.get(self.key, []) if at > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def failure(self, request) -> bool:
        """Count a failure; False once the address has used its budget."""
        if self.exhausted(request):
            return False
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
        return True
