"""Django's error views, answering in the API's JSON error shape under /api/ (a request
refused before any view ran, or a failure no view caught) and with the site's pages
elsewhere (templates/400.html, 403.html, 404.html, 500.html, 403_csrf.html)."""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.template import loader
from django.views import defaults

from api.errors import error_body


def _for_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return JsonResponse(error_body("bad_request", "The request could not be read."), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        message = str(exception) or "Not allowed."
        return JsonResponse(error_body("permission_denied", message), status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_api(request):
        message = "The request could not be completed; the error has been logged."
        return JsonResponse(error_body("server_error", message), status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token, or with a stale one (an old tab, a session
    that ended): say so plainly and how to carry on. Django's reason is for the log only."""
    if _for_api(request):
        message = "The request has no valid CSRF token: send it, or use an API token."
        return JsonResponse(error_body("csrf_failed", message), status=403)
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
