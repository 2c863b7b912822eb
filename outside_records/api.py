"""Outside medical records in the REST API (/api/v1/, routed in api/urls.py): a case's
records, an upload, and a record's file. Scoped like the pages through cases/access.py and
outside_records/access.py (a clinical-only record never reaches an adjuster's token); an
upload goes through the page's form and outside_records/services.py, so it is refused for
the same reasons, with them."""

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.utils.datastructures import MultiValueDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import StrictFilterSet
from api.schema import ErrorSerializer
from api.serializers import PersonSerializer
from api.views import ApiView, CaseRecordList, PdfRenderer, _form_errors, _user
from cases.access import Capability, get_case_for
from cases.models import Case

from . import downloads, services
from .access import get_record_for, records_visible_to
from .forms import RecordUploadForm
from .intake import ACCEPTED, megabytes
from .models import OutsideRecord, OutsideRecordQuerySet


class OutsideRecordSerializer(serializers.ModelSerializer):
    """A record as received: what it is, the day it speaks of (``service_date``, null when
    not given), who wrote it and who sent it when; ``size`` and ``page_count`` of the PDF
    kept; ``download`` its file. ``withdrawn_at`` is set, with who and why, when it was
    withdrawn: it stays listed."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    page_count = serializers.IntegerField(source="stored_file.page_count", read_only=True)
    size = serializers.IntegerField(
        source="stored_file.size", read_only=True, help_text="Of the PDF kept, in bytes."
    )
    uploaded_by = PersonSerializer(read_only=True)
    withdrawn_by = PersonSerializer(read_only=True, allow_null=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = OutsideRecord
        fields = [
            "id",
            "case",
            "document_type",
            "service_date",
            "author",
            "received_on",
            "received_from",
            "clinical_only",
            "original_name",
            "page_count",
            "size",
            "uploaded_by",
            "uploaded_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, record: OutsideRecord) -> str:
        return downloads.download_url(self.context["request"], record)


class RecordUploadSerializer(serializers.Serializer):
    """One or more files (``documents``, each a PDF, JPEG, PNG or TIFF, the type read from
    its content), and what every one of them is."""

    documents = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        help_text=f"One or more files, each {ACCEPTED}.",
    )
    document_type = serializers.ChoiceField(choices=OutsideRecord.DocumentType.choices)
    service_date = serializers.DateField(
        required=False, allow_null=True, help_text="The day the document speaks of."
    )
    author = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Author or facility."
    )
    received_on = serializers.DateField(help_text="Not after today.")
    received_from = serializers.CharField(max_length=200)
    clinical_only = serializers.BooleanField(
        required=False, default=False, help_text="Not shown to the adjuster."
    )


class OutsideRecordFilter(StrictFilterSet):
    document_type = django_filters.ChoiceFilter(choices=OutsideRecord.DocumentType.choices)
    withdrawn = django_filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = OutsideRecord
        fields: list[str] = []


class UploadTooLarge(APIException):
    status_code = 413
    default_code = "too_large"


class CaseOutsideRecordList(CaseRecordList):
    """The outside records of a case the caller may see, withdrawn ones included (marked),
    the latest received first; an adjuster's token never sees a clinical-only one. The
    case's clinicians, its case manager and administrators add records (multipart): a file
    whose content is not a PDF, JPEG, PNG or TIFF, one that is empty, damaged, encrypted,
    too large, or also a web page or a ZIP archive is refused with the reason, and then
    nothing of the upload is kept."""

    record_name = "outside records"
    serializer_class = OutsideRecordSerializer
    filterset_class = OutsideRecordFilter
    parser_classes = [MultiPartParser]
    ordering_fields = ["received_on", "service_date", "uploaded_at"]
    ordering = ["-received_on", "-pk"]

    def records(self, case: Case) -> OutsideRecordQuerySet:
        return (
            records_visible_to(_user(self.request))
            .filter(case=case)
            .select_related("stored_file", "uploaded_by", "withdrawn_by")
        )

    @extend_schema(
        request={"multipart/form-data": RecordUploadSerializer},
        responses={
            201: OutsideRecordSerializer(many=True),
            400: ErrorSerializer,
            413: ErrorSerializer,
        },
    )
    def post(self, request: Request, case_id: int) -> Response:
        user = _user(request)
        case = get_case_for(user, case_id, capability=Capability.ADD_OUTSIDE_RECORDS)
        if services.declared_too_large(request.META):
            limit = megabytes(settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES)
            raise UploadTooLarge(f"The upload is larger than {limit}. Send fewer files at once.")
        serializer = RecordUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The page's form: its rules on the dates and the details, in its words.
        form = RecordUploadForm(
            data={name: value for name, value in data.items() if name != "documents"},
            files=MultiValueDict({"documents": data["documents"]}),
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        cleaned = form.cleaned_data
        try:
            added = services.records_upload(
                case=case, files=cleaned["documents"], details=form.details(), by=user
            )
        except DjangoValidationError as refused:
            raise ValidationError({"documents": refused.messages}) from None
        shown = self.records(case).filter(pk__in=[record.pk for record in added]).order_by("pk")
        return Response(
            OutsideRecordSerializer(shown, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class OutsideRecordDownload(ApiView):
    """The record's PDF as kept, as an attachment; every download is in the access log."""

    renderer_classes = [PdfRenderer, JSONRenderer]
    pagination_class = None
    filter_backends = []

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, record_id: int) -> FileResponse:
        return downloads.record_download(request, get_record_for(_user(request), record_id))

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever the client asked for.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
