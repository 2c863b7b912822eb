"""Helpers for the API tests: clients that authenticate with a token, responses checked
against the published schema, signed determinations with their issued PDF."""

import hashlib
from datetime import timedelta

import jsonschema
from django.core.files.base import ContentFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_issue
from cases.models import Case, Determination, IssuedReport, User
from tests.support.factories import DeterminationFactory


def token_for(user: User, name: str = "claims system") -> str:
    return api_token_issue(token=ApiToken(user=user, name=name), issued_by=None)


def api_client(user: User | None) -> APIClient:
    """A client that calls the API as a system would: with a Bearer token (or none)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return client


def _json_schema(node):
    """OpenAPI 3.0's ``nullable`` spelled as JSON Schema, which has no such keyword."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def _published_schema() -> dict:
    return _json_schema(SchemaGenerator().get_schema(request=None, public=True))


def assert_matches_schema(data: dict, component: str) -> None:
    """``data`` is what the published OpenAPI schema says a ``component`` is."""
    schema = _published_schema()
    jsonschema.validate(data, {"$ref": f"#/components/schemas/{component}", **schema})


def assert_answer_matches_schema(data, path: str, method: str, status: int) -> None:
    """``data`` is what the published OpenAPI schema says ``method path`` answers with
    ``status``."""
    schema = _published_schema()
    answer = schema["paths"][path][method]["responses"][str(status)]
    jsonschema.validate(data, {**answer["content"]["application/json"]["schema"], **schema})


def signed_determination(case: Case, clinician: User, **fields) -> Determination:
    exam = timezone.localdate() - timedelta(days=5)
    values = {
        "case": case,
        "version": 1,
        "certifying_clinician": clinician,
        "status": Determination.Status.SIGNED,
        "signed_at": timezone.now(),
        "exam_date": exam,
        "diagnosis_codes": case.diagnosis_codes,
        "certifier_role": Determination.CertifierRole.TREATING,
        "guides_edition": "4th",
        "mmi_reached": True,
        "mmi_type": Determination.MMIType.CLINICAL,
        "mmi_date": exam - timedelta(days=2),
        "impairment_finding": Determination.ImpairmentFinding.RATED,
        "impairment_rating": 12,
        "mmi_unconditional": True,
        "rationale": "Plateaued on ODI and NPRS over eight weeks.",
        **fields,
    }
    return DeterminationFactory(**values)


def issue_certification(determination: Determination, *, by: User) -> IssuedReport:
    pdf = f"%PDF-1.7 certification of determination {determination.pk}\n%%EOF".encode()
    report = IssuedReport(
        case=determination.case,
        determination=determination,
        determination_status=determination.status,
        kind=IssuedReport.Kind.CERTIFICATION,
        version=determination.version,
        sha256=hashlib.sha256(pdf).hexdigest(),
        content_sha256=hashlib.sha256(b"content").hexdigest(),
        issued_by=by,
        issued_at=timezone.now(),
    )
    report.file.save(f"certification-{determination.pk}.pdf", ContentFile(pdf), save=False)
    report.save()
    return report
