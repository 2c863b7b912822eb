"""Middleware of the whole site."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every response the application writes (pages, API answers, downloads) may hold
    health data, so none is kept by a browser's cache or a proxy: a shared computer's back
    button shows nothing after logging out. Static files are answered before this, by
    WhiteNoise, and keep their long cache. A response that says how it may be cached keeps
    what it says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
