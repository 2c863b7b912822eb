"""The REST API, scoped exactly like the pages through cases/access.py.

Each view: access (404 for a case the user may not see, 403 for a role that may not act)
→ parse (the same form as the page) → the same service → response.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, status
from rest_framework.exceptions import APIException, NotAuthenticated, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import ModelSerializer

from audit.models import AccessLogEntry
from audit.services import log_access
from cases import services
from cases.access import (
    Capability,
    cases_visible_to,
    determinations_visible_to,
    get_case_for,
    get_determination_for,
    reports_visible_to,
)
from cases.domain.outcomes import PAIN_NOW_MEASURE, PainAnswersDiffer, one_pain_answer
from cases.forms.calculators import CalculatorForm, RepeatedInput
from cases.forms.clinical import (
    AssessmentForm,
    TreatmentForm,
    WorkRestrictionFormSet,
    WorkStatusForm,
)
from cases.models import (
    Assessment,
    Case,
    Consultation,
    Determination,
    Diagnostic,
    Instrument,
    IssuedReport,
    OutcomeScore,
    Treatment,
    User,
    WorkStatus,
)
from cases.reports.downloads import (
    RETRY_AFTER,
    DocumentAltered,
    DocumentUnavailable,
    issued_report_download,
    log_refused,
    respond,
)
from cases.selectors.cases import case_with_records
from cases.views.calculators import CalculatorRefused, calculator_answer
from outside_records.downloads import download_url
from outside_records.selectors import case_records

from . import fhir, filters, serializers
from .errors import error_body
from .parsers import JSONParser
from .schema import ApiAutoSchema, OperationOutcomeSerializer


def _user(request: Request) -> User:
    """The user the API's authentication found. Every view here requires one
    (DEFAULT_PERMISSION_CLASSES: IsAuthenticated), so an anonymous request is answered 401
    before a view's own code runs; should one get this far, it is answered the same."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


class ApiView(generics.GenericAPIView):
    """Authentication is the API's own (token or session): an anonymous request answers 401
    instead of being redirected to the login page. A query parameter given twice is refused
    (which of the two would count is a guess), unless the view lists it as repeatable. JSON
    nested deeper than any input needs is refused (api/parsers.py)."""

    repeatable_parameters: frozenset[str] = frozenset()
    parser_classes = [JSONParser]

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        repeated = [
            name
            for name, values in request.query_params.lists()
            if len(values) > 1 and name not in self.repeatable_parameters
        ]
        if repeated:
            raise ValidationError({name: ["Give this parameter once."] for name in repeated})


class CaseList(ApiView, generics.ListAPIView):
    """The cases the user may see, with the case list page's filters, search and sort."""

    serializer_class = serializers.CaseSerializer
    filterset_class = filters.CaseFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator may have no user
            return Case.objects.none()
        return cases_visible_to(_user(self.request)).with_parties()


class CaseDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = serializers.CaseSerializer

    def get_object(self) -> Case:
        case = get_case_for(
            _user(self.request), self.kwargs["case_id"], refine=lambda cases: cases.with_parties()
        )
        log_access(self.request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="API")
        return case


class CaseRecordList(ApiView, generics.ListAPIView):
    """A list of one kind of record on a visible case."""

    record_name = ""
    serializer_class: type[ModelSerializer]

    def get_case(self) -> Case:
        if not hasattr(self, "_case"):
            self._case = get_case_for(_user(self.request), self.kwargs["case_id"])
            log_access(
                self.request,
                action=AccessLogEntry.Action.CASE_VIEW,
                case=self._case,
                detail=f"API: {self.record_name}",
            )
        return self._case

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no case
            model: type[Model] = self.serializer_class.Meta.model
            return model._default_manager.none()
        return self.records(self.get_case())

    def records(self, case: Case) -> QuerySet:
        raise NotImplementedError


def _form_errors(form) -> dict[str, list[str]]:
    return _form_errors_of(form.errors)


def _form_errors_of(errors) -> dict[str, list[str]]:
    return {
        "non_field_errors" if name == NON_FIELD_ERRORS else name: messages
        for name, messages in errors.items()
    }


class TreatmentList(CaseRecordList):
    """Treatments on a case; clinicians on the care team record new ones."""

    record_name = "treatments"
    serializer_class = serializers.TreatmentSerializer
    filterset_class = filters.TreatmentFilter
    ordering_fields = ["start_date", "end_date", "created_at"]
    ordering = ["start_date", "pk"]

    def records(self, case: Case) -> QuerySet[Treatment]:
        return case.treatments.all()

    @extend_schema(
        request=serializers.TreatmentSerializer,
        responses={201: serializers.TreatmentSerializer},
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = get_case_for(_user(request), case_id, capability=Capability.RECORD_CLINICAL)
        serializer = serializers.TreatmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = TreatmentForm(data=serializer.validated_data, instance=Treatment(case=case))
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        treatment = services.treatment_save(treatment=form.save(commit=False))
        return Response(
            serializers.TreatmentSerializer(treatment).data, status=status.HTTP_201_CREATED
        )


class AssessmentList(CaseRecordList):
    """Assessments with their outcome scores; clinicians on the care team record new ones."""

    record_name = "assessments"
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["date", "pk"]

    def records(self, case: Case) -> QuerySet[Assessment]:
        return case.assessments.select_related("clinician").prefetch_related(
            Prefetch("scores", queryset=OutcomeScore.objects.select_related("instrument"))
        )

    @extend_schema(
        request=serializers.AssessmentInputSerializer,
        responses={201: serializers.AssessmentSerializer},
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = get_case_for(_user(request), case_id, capability=Capability.RECORD_CLINICAL)
        serializer = serializers.AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = _assessment_form(case, request, serializer.validated_data)
        assessment = services.assessment_save(
            assessment=form.save(commit=False), scores=form.scores
        )
        saved = self.records(case).get(pk=assessment.pk)
        return Response(
            serializers.AssessmentSerializer(saved).data, status=status.HTTP_201_CREATED
        )


def _assessment_form(case: Case, request: Request, data: dict) -> AssessmentForm:
    """The page's assessment form, filled from the API's input, validated; its errors are
    reported against the API's field names (scores.<n>.value)."""
    tracked = {instrument.abbreviation: instrument for instrument in case.tracked_instruments.all()}
    form_data = {name: data.get(name) for name in ("date", "pain_score", "findings", "notes")}
    errors: dict[str, list[str]] = {}
    field_paths: dict[str, str] = {}
    for index, score in enumerate(data["scores"]):
        instrument = tracked.get(score["instrument"])
        if instrument is None:
            errors[f"scores.{index}.instrument"] = [
                f"This case does not track {score['instrument']}; it tracks "
                f"{', '.join(sorted(tracked)) or 'no measure'}."
            ]
            continue
        name = AssessmentForm.score_field_name(instrument)
        if name in form_data:
            errors[f"scores.{index}.instrument"] = [f"{instrument} is given twice."]
            continue
        form_data[name] = str(score["value"])
        field_paths[name] = f"scores.{index}.value"
        scale_max = score.get("scale_max")
        if instrument.alternative_maximum:
            form_data[f"{name}_scale"] = str(scale_max or instrument.maximum)
            field_paths[f"{name}_scale"] = f"scores.{index}.scale_max"
        elif scale_max is not None and scale_max != instrument.maximum:
            errors[f"scores.{index}.scale_max"] = [
                f"{instrument} has one scale, {instrument.range_label}."
            ]
    _pain_as_nprs(tracked.get(PAIN_NOW_MEASURE), data, form_data, field_paths, errors)
    form = AssessmentForm(
        data=form_data,
        instance=Assessment(case=case, clinician=_user(request)),
        instruments=tracked.values(),
    )
    if not form.is_valid() or errors:
        for name, messages in _form_errors(form).items():
            errors.setdefault(field_paths.get(name, name), []).extend(messages)
        raise ValidationError(errors)
    return form


def _pain_as_nprs(
    nprs: Instrument | None,
    data: dict,
    form_data: dict,
    field_paths: dict[str, str],
    errors: dict[str, list[str]],
) -> None:
    """On a case that tracks the NPRS the page asks pain once, as the NPRS; pain_score sent
    alone is that answer (as clients sent it before), and sent with an NPRS score it must
    agree with it (cases/domain/outcomes.py one_pain_answer)."""
    pain_now = data.get("pain_score")
    if nprs is None or pain_now is None:
        return
    name = AssessmentForm.score_field_name(nprs)
    if name not in form_data:
        form_data[name] = str(pain_now)
        field_paths[name] = "pain_score"
        return
    scores = [score for score in data["scores"] if score["instrument"] == nprs.abbreviation]
    try:
        one_pain_answer(nprs=scores[0]["value"], pain_now=pain_now)
    except PainAnswersDiffer as error:
        errors["pain_score"] = [str(error)]


class DiagnosticList(CaseRecordList):
    record_name = "diagnostics"
    serializer_class = serializers.DiagnosticSerializer
    filterset_class = filters.DiagnosticFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["date", "pk"]

    def records(self, case: Case) -> QuerySet[Diagnostic]:
        return case.diagnostics.all()


class ConsultationList(CaseRecordList):
    record_name = "consultations"
    serializer_class = serializers.ConsultationSerializer
    filterset_class = filters.ConsultationFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["date", "pk"]

    def records(self, case: Case) -> QuerySet[Consultation]:
        return case.consultations.all()


class WorkStatusList(CaseRecordList):
    """Work status reports with their restrictions (DWC073 model), oldest first."""

    record_name = "work statuses"
    serializer_class = serializers.WorkStatusSerializer
    filterset_class = filters.WorkStatusFilter
    ordering_fields = ["effective_from", "created_at"]
    ordering = ["effective_from", "pk"]

    def records(self, case: Case) -> QuerySet[WorkStatus]:
        return case.work_statuses.select_related("issued_by").prefetch_related("restrictions")

    @extend_schema(
        request=serializers.WorkStatusInputSerializer,
        responses={201: serializers.WorkStatusSerializer},
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = get_case_for(_user(request), case_id, capability=Capability.RECORD_CLINICAL)
        serializer = serializers.WorkStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form, restrictions = _work_status_forms(case, request, serializer.validated_data)
        work_status = services.work_status_save(
            work_status=form.save(commit=False),
            restrictions=[f.save(commit=False) for f in restrictions.filled_forms()],
        )
        saved = self.records(case).get(pk=work_status.pk)
        return Response(
            serializers.WorkStatusSerializer(saved).data, status=status.HTTP_201_CREATED
        )


def _work_status_forms(case: Case, request: Request, data: dict):
    """The page's work status form and restrictions formset, filled from the API's input,
    validated; errors are reported against the API's field names (restrictions.<n>.<field>),
    the work status rules' words exactly as the page shows them."""
    prefix = "restrictions"
    rows = data["restrictions"]
    form_data = {name: value for name, value in data.items() if name != "restrictions"}
    form_data |= {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        form_data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    instance = WorkStatus(case=case, issued_by=_user(request))
    restrictions = WorkRestrictionFormSet(data=form_data, instance=instance, prefix=prefix)
    form = WorkStatusForm(data=form_data, instance=instance, restrictions=restrictions)
    valid = [form.is_valid(), restrictions.is_valid()]
    if all(valid):
        return form, restrictions
    errors = _form_errors(form)
    for index, row_errors in enumerate(restrictions.errors):
        for name, messages in _form_errors_of(row_errors).items():
            errors.setdefault(f"{prefix}.{index}.{name}", []).extend(messages)
    if restrictions.non_form_errors():
        # An ErrorList reads out its messages (ErrorList.__getitem__), never the
        # ValidationError it may hold; django-stubs types its items as stored.
        errors.setdefault(prefix, []).extend(restrictions.non_form_errors())  # type: ignore[arg-type]
    raise ValidationError(errors)


def _with_reports(determinations: QuerySet[Determination]) -> QuerySet[Determination]:
    return determinations.select_related("certifying_clinician").prefetch_related(
        Prefetch("issued_reports", queryset=IssuedReport.objects.order_by("issued_at", "pk"))
    )


class DeterminationList(CaseRecordList):
    """MMI determinations on a case; adjusters see signed versions only, never drafts."""

    record_name = "determinations"
    serializer_class = serializers.DeterminationSerializer
    filterset_class = filters.DeterminationFilter
    ordering_fields = ["version", "signed_at", "mmi_date"]
    ordering = ["version", "pk"]

    def records(self, case: Case) -> QuerySet[Determination]:
        return _with_reports(determinations_visible_to(_user(self.request)).filter(case=case))


class DeterminationDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = serializers.DeterminationSerializer

    def get_object(self) -> Determination:
        user = _user(self.request)
        determination = get_determination_for(user, self.kwargs["determination_id"])
        determination = _with_reports(determinations_visible_to(user)).get(pk=determination.pk)
        log_access(
            self.request,
            action=AccessLogEntry.Action.CASE_VIEW,
            case=determination.case,
            detail=f"API: determination v{determination.version}",
        )
        return determination


class ReportList(CaseRecordList):
    """The PDFs issued on a case, each with the SHA-256 of its bytes."""

    record_name = "reports"
    serializer_class = serializers.IssuedReportSerializer
    filterset_class = filters.IssuedReportFilter
    ordering_fields = ["issued_at"]
    ordering = ["issued_at", "pk"]

    def records(self, case: Case) -> QuerySet[IssuedReport]:
        return reports_visible_to(_user(self.request)).filter(case=case)


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return data


class ReportUnavailable(APIException):
    status_code = 503
    default_detail = "The report's file cannot be read just now. Try again shortly."
    default_code = "report_unavailable"
    # Sent as Retry-After by DRF's exception handler.
    wait = RETRY_AFTER


class ReportAltered(APIException):
    status_code = 409
    default_detail = (
        "The report's stored file no longer matches its recorded SHA-256: it is withheld, "
        "and the administrators have been told."
    )
    default_code = "report_altered"


class ReportDownload(ApiView):
    """The issued PDF's exact bytes; their SHA-256 is in the Repr-Digest header (RFC 9530)
    and in the report's `sha256`. Every download is logged.

    A report is listed only once its file is stored in full. A signed determination lists
    none while they are being prepared (`reports_being_prepared`): ask again shortly. When
    a stored file cannot be read just now, the answer is 503 with Retry-After."""

    renderer_classes = [PdfRenderer, JSONRenderer]
    pagination_class = None
    filter_backends = []

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, report_id: int) -> HttpResponseBase:
        report = (
            reports_visible_to(_user(request)).select_related("case").filter(pk=report_id).first()
        )
        if report is None:
            raise Http404("No such report.")
        try:
            download = issued_report_download(report)
        except DocumentUnavailable:
            raise ReportUnavailable() from None
        except DocumentAltered as refused:
            log_refused(request, refused)
            raise ReportAltered() from None
        return respond(request, download)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever the client asked for.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class FhirJsonRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FhirAutoSchema(ApiAutoSchema):
    error_serializer = OperationOutcomeSerializer
    error_media_types = [FhirJsonRenderer.media_type, JSONRenderer.media_type]


BUNDLE_SCHEMA = {
    "type": "object",
    "description": "A FHIR R4 Bundle (type searchset); docs/fhir.md describes its resources.",
    "required": ["resourceType", "type", "entry"],
    "properties": {
        "resourceType": {"type": "string", "enum": ["Bundle"]},
        "type": {"type": "string", "enum": ["searchset"]},
        "total": {"type": "integer"},
        "entry": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fullUrl", "resource"],
                "properties": {
                    "fullUrl": {"type": "string"},
                    "resource": {"type": "object"},
                },
            },
        },
    },
}


class FhirEverything(ApiView):
    """`EpisodeOfCare/<case id>/$everything`: the case and all its records as a FHIR R4
    Bundle. Errors answer as a FHIR OperationOutcome."""

    renderer_classes = [FhirJsonRenderer, JSONRenderer]
    schema = FhirAutoSchema()
    pagination_class = None
    filter_backends = []

    @extend_schema(tags=["fhir"], responses={200: BUNDLE_SCHEMA}, operation_id="fhir_everything")
    def get(self, request: Request, case_id: int) -> Response:
        case = case_with_records(case_id, _user(request))
        if case is None:
            raise Http404("No such case.")
        log_access(request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="FHIR export")
        bundle = fhir.case_bundle(
            case,
            self_url=request.build_absolute_uri(),
            outside_records=[
                (record, download_url(request, record))
                for record in case_records(_user(request), case)
            ],
        )
        if request.accepted_media_type == FhirJsonRenderer.media_type:
            return Response(bundle, content_type=f"{FhirJsonRenderer.media_type}; fhirVersion=4.0")
        return Response(bundle)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        error = response.data["error"]
        response.data = fhir.operation_outcome(error["code"], error["message"])
        return response


# The schema answers tokens as well as sessions (the docs page fetches it with the session).
schema_view = login_not_required(SpectacularAPIView.as_view())


@csrf_exempt
@login_not_required
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other path under /api/: a JSON 404 rather than the site's HTML page (a FHIR
    OperationOutcome under /api/fhir/)."""
    if path.startswith("fhir/"):
        return JsonResponse(
            fhir.operation_outcome("not_found", "Not found."),
            status=404,
            content_type=FhirJsonRenderer.media_type,
        )
    return JsonResponse(error_body("not_found", "Not found."), status=404)


class CalculatorView(ApiView):
    """A calculator of the impairment issue (cases/views/calculators.py) in the versioned
    API: the same form, rules and answer as its endpoint at /api/calculators/…, which keeps
    working, with the API's token authentication, rate limit and error shape."""

    form_class: type[CalculatorForm]
    pagination_class = None
    filter_backends = []

    def get(self, request: Request) -> Response:
        try:
            answer = calculator_answer(self.form_class(request.query_params))
        except CalculatorRefused as refused:
            raise ValidationError(
                {refused.parameter or "non_field_errors": [refused.message]}
            ) from None
        return Response(answer)

    @classmethod
    def for_form(cls, form_class):
        """The view of one calculator, its query parameters documented from its form; it
        answers through ``calculator_answer``, like the web endpoints
        (cases/views/calculators.py)."""
        repeatable = frozenset(
            name
            for name, field in form_class.base_fields.items()
            if isinstance(field.widget, RepeatedInput)
        )
        parameters = [
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                required=field.required,
                description=str(field.help_text or field.label or ""),
                many=name in repeatable,
                explode=True,
            )
            for name, field in form_class.base_fields.items()
        ]
        schema = extend_schema(
            tags=["calculators"],
            operation_id=f"calculators_{form_class.name.replace('-', '_')}",
            description=form_class.intro,
            parameters=parameters,
            responses={200: {"type": "object", "description": "The calculation and its working."}},
        )

        def get(self, request: Request) -> Response:
            return cls.get(self, request)

        view = type(
            f"{form_class.__name__.removesuffix('Form')}Calculator",
            (cls,),
            {
                "form_class": form_class,
                "repeatable_parameters": repeatable,
                "get": schema(get),
            },
        )
        return view.as_view()
