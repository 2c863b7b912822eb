"""Rate limits of the patient's pages, per client address, counted in the default cache as
the API's limits are (api/throttling.py): every request to a link page counts against
PATIENT_LINK_RATE_LIMIT, and every token that finds no link against the tighter
PATIENT_LINK_FAILURE_LIMIT. An address over either is answered 429 before any token it sends
is looked up, so links cannot be guessed at the speed of the server."""

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from mmi_tracker.addresses import client_address


class _PerAddress(SimpleRateThrottle):
    rate_setting = ""
    num_requests: int
    duration: int

    def get_rate(self) -> str:
        # Read when the request comes, not at import, so settings overrides apply.
        return str(getattr(settings, self.rate_setting))

    def get_cache_key(self, request, view) -> str:
        ident = client_address(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def exhausted(self, request: HttpRequest) -> bool:
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [at for at in self.cache.get(self.key, []) if at > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def count(self, request: HttpRequest) -> None:
        if not self.exhausted(request):
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)

    def retry_after(self) -> int:
        return int(self.wait() or 1)


class LinkRequests(_PerAddress):
    scope = "patient-link"
    rate_setting = "PATIENT_LINK_RATE_LIMIT"


class LinkFailures(_PerAddress):
    scope = "patient-link-failures"
    rate_setting = "PATIENT_LINK_FAILURE_LIMIT"
