"""One error shape for every API failure:

    {"error": {"code": "invalid", "message": "…", "fields": {"date": ["…"]}}}

`fields` names each input that was refused (nested inputs as dotted paths, e.g.
`scores.0.value`), and is empty when the error is not about one input.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from cases.domain.outcomes import ScoreOutOfRange
from cases.services import InvalidTransition

INVALID_MESSAGE = "The request was refused: please correct the fields listed."


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"dotted.path": ["message", …]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "" if key == "non_field_errors" and not prefix else str(key)
            path = f"{prefix}.{name}" if prefix and name else prefix or name
            flat |= _flatten(value, path)
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat |= _flatten(item, f"{prefix}.{index}" if prefix else str(index))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages if message]}


def exception_handler(exc, context) -> Response | None:
    """DRF's handler (status codes, Retry-After, WWW-Authenticate) with our body shape.

    Errors the services raise for bad input become 400 (409 for a state that does not
    allow the change), never 500."""
    if isinstance(exc, InvalidTransition):
        return Response(error_body("conflict", str(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, ScoreOutOfRange):
        exc = exceptions.ValidationError({"scores": [str(exc)]})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", INVALID_MESSAGE, _flatten(exc.detail))
    elif isinstance(exc, Http404):
        response.data = error_body("not_found", "Not found.")
    elif isinstance(exc, PermissionDenied):
        response.data = error_body("permission_denied", str(exc) or "Not allowed.")
    else:
        code = exc.get_codes()
        response.data = error_body(
            code if isinstance(code, str) else exc.default_code, str(exc.detail)
        )
    return response
