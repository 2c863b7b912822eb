from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` must name one of the view's formats: an empty one is refused like any
    unknown format (404, as DRF answers those) instead of falling back to the Accept header."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format_suffix is None and requested == "":
            raise Http404("Give format a value, or leave it out.")
        return super().select_renderer(request, renderers, format_suffix)
