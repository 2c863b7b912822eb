"""OpenAPI details drf-spectacular cannot see by itself: our token scheme and error bodies."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. invalid, not_found, throttled.")
    message = serializers.CharField()
    # The error body's key is "fields". DRF's serializer metaclass moves declared fields out of
    # the class body, so this does not replace the Serializer.fields property; mypy cannot see it.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each refused input (dotted path) with its messages.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class ApiAutoSchema(AutoSchema):
    """Every operation documents its error answers (401, 403, 404, 429 and any other)."""

    error_serializer: type[serializers.Serializer] = ErrorSerializer
    error_media_types = ["application/json"]
    error_codes = {
        "401": "No credentials, or an invalid or revoked token.",
        "403": "The user's role may not do this.",
        "404": "No such record, or one the user may not see.",
        "429": "Too many requests: retry after the Retry-After header's seconds.",
    }

    def _get_paginator(self):
        # Only a GET reads a list in pages: a POST answering with the records it made (an
        # upload of several files) answers a plain list of them.
        if self.method != "GET":
            return None
        return super()._get_paginator()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self.error_codes.items():
            if code not in responses:
                responses[code] = self._error_response(code, description)
        responses.setdefault("default", self._error_response("default", "Any other error."))
        return responses

    def _error_response(self, code: str, description: str) -> dict:
        response = self._get_response_for_code(
            self.error_serializer, code, media_types=self.error_media_types
        )
        response["description"] = description
        if code == "429":
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
        return response


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token an administrator issued (`manage.py issue_api_token`).",
        }


class OperationOutcomeIssueSerializer(serializers.Serializer):
    severity = serializers.CharField()
    code = serializers.CharField()
    diagnostics = serializers.CharField()


class OperationOutcomeSerializer(serializers.Serializer):
    """How the FHIR endpoint answers an error."""

    resourceType = serializers.ChoiceField(choices=["OperationOutcome"])  # noqa: N815
    issue = OperationOutcomeIssueSerializer(many=True)


def restore_fhir_operation_names(result: dict, generator, request, public) -> dict:
    """drf-spectacular drops the `$` of FHIR operation names (`$everything`) when it turns
    URL patterns into paths: put it back."""
    result["paths"] = {
        path.replace("/everything", "/$everything") if path.startswith("/api/fhir/") else path: item
        for path, item in result["paths"].items()
    }
    return result
