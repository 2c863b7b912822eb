from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn_views

from .views import (
    accounts,
    calculators,
    case_list,
    cases,
    determinations,
    diagnoses,
    digests,
    exports,
    history,
    home,
    impairment,
    people,
    practice,
    records,
    reports,
    second_factor,
    statistics,
)

# django-otp-webauthn's endpoints, under the names its scripts look for; the two that
# complete a ceremony also note when the second factor was confirmed.
security_key_endpoints = [
    path(
        "registration/begin/",
        webauthn_views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        second_factor.SecurityKeyAdded.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn_views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        second_factor.SecurityKeyUsed.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("cases/", case_list.case_list, name="case-list"),
    path("cases/export.csv", case_list.case_list_csv, name="case-list-csv"),
    path("cases/people/<slug:role>/", people.person_search, name="person-search"),
    path("exports/", exports.export_list, name="export-list"),
    path("exports/new/", exports.export_create, name="export-create"),
    path("exports/<int:export_id>/", exports.export_detail, name="export-detail"),
    path("exports/<int:export_id>/progress/", exports.export_progress, name="export-progress"),
    path("exports/<int:export_id>/download.zip", exports.export_download, name="export-download"),
    path("account/", accounts.account, name="account"),
    path("account/sessions/end/", accounts.sessions_end, name="sessions-end"),
    path("account/second-factor/", second_factor.second_factor, name="second-factor"),
    path(
        "account/second-factor/verify/",
        second_factor.second_factor_verify,
        name="second-factor-verify",
    ),
    path(
        "account/second-factor/authenticator/",
        second_factor.second_factor_authenticator,
        name="second-factor-authenticator",
    ),
    path(
        "account/second-factor/authenticator/qr.svg",
        second_factor.second_factor_authenticator_qr,
        name="second-factor-authenticator-qr",
    ),
    path(
        "account/second-factor/recovery-codes/",
        second_factor.second_factor_recovery_codes,
        name="second-factor-recovery-codes",
    ),
    path(
        "account/second-factor/<slug:kind>/<int:device_id>/remove/",
        second_factor.second_factor_remove,
        name="second-factor-remove",
    ),
    path(
        "account/second-factor/keys/",
        include((security_key_endpoints, "otp_webauthn")),
    ),
    path("account/digest/", digests.digest_settings, name="digest-settings"),
    path("account/practice/", practice.practice_details, name="practice-details"),
    path("statistics/time-to-mmi/", statistics.time_to_mmi_view, name="time-to-mmi"),
    path("diagnoses/search/", diagnoses.diagnosis_search, name="diagnosis-search"),
    path("cases/open/", cases.case_open, name="case-open"),
    path("patients/search/", cases.patient_search, name="patient-search"),
    path("cases/<int:case_id>/", cases.case_detail, name="case-detail"),
    path("cases/<int:case_id>/edit/", cases.case_edit, name="case-edit"),
    path("cases/<int:case_id>/patient/edit/", cases.patient_edit, name="patient-edit"),
    path("cases/<int:case_id>/history/", history.case_history_view, name="case-history"),
    path("cases/<int:case_id>/assessments/add/", records.assessment_form, name="assessment-add"),
    path(
        "cases/<int:case_id>/assessments/<int:assessment_id>/edit/",
        records.assessment_form,
        name="assessment-edit",
    ),
    path("cases/<int:case_id>/work-status/add/", records.work_status_form, name="work-status-add"),
    path("cases/<int:case_id>/<slug:kind>/add/", records.record_form, name="record-add"),
    path(
        "cases/<int:case_id>/<slug:kind>/<int:record_id>/edit/",
        records.record_form,
        name="record-edit",
    ),
    path(
        "cases/<int:case_id>/determinations/start/",
        determinations.determination_start,
        name="determination-start",
    ),
    path(
        "determinations/<int:determination_id>/",
        determinations.determination_detail,
        name="determination-detail",
    ),
    path(
        "determinations/<int:determination_id>/steps/<slug:slug>/",
        determinations.determination_step,
        name="determination-step",
    ),
    path(
        "determinations/<int:determination_id>/impairment-rating/",
        impairment.determination_impairment_rating,
        name="determination-impairment-rating",
    ),
    path(
        "determinations/<int:determination_id>/review/",
        determinations.determination_review,
        name="determination-review",
    ),
    path(
        "determinations/<int:determination_id>/sign/",
        determinations.determination_sign,
        name="determination-sign",
    ),
    path(
        "determinations/<int:determination_id>/amend/",
        determinations.determination_amend,
        name="determination-amend",
    ),
    path(
        "determinations/<int:determination_id>/rescind/",
        determinations.determination_rescind,
        name="determination-rescind",
    ),
    path(
        "determinations/<int:determination_id>/disputes/add/",
        determinations.dispute_add,
        name="dispute-add",
    ),
    path(
        "disputes/<int:dispute_id>/resolve/",
        determinations.dispute_resolve,
        name="dispute-resolve",
    ),
    path("calculators/", calculators.calculator, name="calculator"),
    path(
        "reports/determinations/<int:determination_id>/certification.pdf",
        reports.certification_pdf,
        name="report-certification",
    ),
    path(
        "reports/determinations/<int:determination_id>/patient-letter.pdf",
        reports.patient_letter_pdf,
        name="report-patient-letter",
    ),
    path(
        "reports/cases/<int:case_id>/summary.pdf",
        reports.case_summary_pdf,
        name="report-case-summary",
    ),
    path(
        "reports/cases/<int:case_id>/work-status.pdf",
        reports.work_status_pdf,
        name="report-work-status",
    ),
]

# Mounted at /api/calculators/ by mmi_tracker/urls.py, ahead of the REST API's answer to
# unknown /api/ paths.
calculator_endpoints = [
    path("combine", calculators.combine_endpoint, name="calculator-combine"),
    path("convert", calculators.convert_endpoint, name="calculator-convert"),
    path("statutory-mmi", calculators.statutory_mmi_endpoint, name="calculator-statutory-mmi"),
    path(
        "impairment-benefits",
        calculators.impairment_benefits_endpoint,
        name="calculator-impairment-benefits",
    ),
]
