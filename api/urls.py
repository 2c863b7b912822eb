"""/api/v1/… (REST), /api/fhir/… (FHIR R4), /api/schema/ and /api/docs/.

Record ids in paths match only numbers a bigint column can hold (up to 18 digits), so a
larger one answers 404 instead of an error from the database.
"""

from django.contrib.auth.decorators import login_required
from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularSwaggerSplitView

from cases.forms.calculators import (
    CombineForm,
    ConvertForm,
    ImpairmentBenefitsForm,
    StatutoryMMIForm,
)
from deliveries import api as deliveries_api
from diaries import api as diaries_api
from notes import api as notes_api
from outside_records import api as outside_records_api

from . import views

app_name = "api"


class RecordIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "record_id")

v1 = "v1/cases/<record_id:case_id>"

urlpatterns = [
    path("v1/cases/", views.CaseList.as_view(), name="case-list"),
    path(f"{v1}/", views.CaseDetail.as_view(), name="case-detail"),
    path(f"{v1}/treatments/", views.TreatmentList.as_view(), name="treatment-list"),
    path(f"{v1}/assessments/", views.AssessmentList.as_view(), name="assessment-list"),
    path(f"{v1}/diagnostics/", views.DiagnosticList.as_view(), name="diagnostic-list"),
    path(f"{v1}/consultations/", views.ConsultationList.as_view(), name="consultation-list"),
    path(f"{v1}/work-statuses/", views.WorkStatusList.as_view(), name="work-status-list"),
    path(f"{v1}/determinations/", views.DeterminationList.as_view(), name="determination-list"),
    path(
        "v1/determinations/<record_id:determination_id>/",
        views.DeterminationDetail.as_view(),
        name="determination-detail",
    ),
    path(f"{v1}/reports/", views.ReportList.as_view(), name="report-list"),
    path(f"{v1}/deliveries/", deliveries_api.CaseDeliveryList.as_view(), name="delivery-list"),
    path(f"{v1}/tasks/", diaries_api.CaseTaskList.as_view(), name="task-list"),
    path("v1/tasks/<record_id:task_id>/done/", diaries_api.TaskDone.as_view(), name="task-done"),
    path(f"{v1}/notes/", notes_api.CaseNoteList.as_view(), name="note-list"),
    path(
        f"{v1}/records/",
        outside_records_api.CaseOutsideRecordList.as_view(),
        name="outside-record-list",
    ),
    path(
        "v1/records/<record_id:record_id>/download/",
        outside_records_api.OutsideRecordDownload.as_view(),
        name="outside-record-download",
    ),
    path(
        "v1/reports/<record_id:report_id>/download/",
        views.ReportDownload.as_view(),
        name="report-download",
    ),
    path(
        "fhir/EpisodeOfCare/<record_id:case_id>/$everything",
        views.FhirEverything.as_view(),
        name="fhir-everything",
    ),
    path(
        "v1/calculators/combine/",
        views.CalculatorView.for_form(CombineForm),
        name="calculator-combine",
    ),
    path(
        "v1/calculators/convert/",
        views.CalculatorView.for_form(ConvertForm),
        name="calculator-convert",
    ),
    path(
        "v1/calculators/statutory-mmi/",
        views.CalculatorView.for_form(StatutoryMMIForm),
        name="calculator-statutory-mmi",
    ),
    path(
        "v1/calculators/impairment-benefits/",
        views.CalculatorView.for_form(ImpairmentBenefitsForm),
        name="calculator-impairment-benefits",
    ),
    path("schema/", views.schema_view, name="schema"),
    # A page for people: signed in with the session like every other page.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    # [\s\S]: a path may hold an encoded newline, which "." would not match.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
