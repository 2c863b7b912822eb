from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from . import services, tasks
from .models import (
    Assessment,
    Case,
    Consultation,
    Determination,
    DeterminationStep,
    Diagnostic,
    Dispute,
    Instrument,
    IssuedReport,
    Organisation,
    OutcomeScore,
    Patient,
    StateAverageWeeklyWage,
    Treatment,
    User,
    WorkRestriction,
    WorkStatus,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    # Django's UserAdmin sets its fieldsets to a tuple; django-stubs leaves it ModelAdmin's
    # optional list-or-tuple, which has no + for a tuple.
    fieldsets = DjangoUserAdmin.fieldsets + (  # type: ignore[operator]
        (
            "MMI Tracker",
            {
                "fields": (
                    "role",
                    "organisation",
                    "licence_type",
                    "licence_number",
                    "licence_jurisdiction",
                    "may_certify_mmi",
                    "may_rate_impairment",
                )
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "fax"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = [
        "abbreviation",
        "name",
        "minimum",
        "maximum",
        "higher_is_better",
        "mcid",
        "source",
    ]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change:
            transaction.on_commit(lambda: tasks.judge_cases_tracking.delay(instrument_id=obj.pk))


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "date_of_birth"]
    search_fields = ["last_name", "first_name"]

    def save_model(self, request, obj, form, change) -> None:
        services.patient_admin_save(
            patient=obj,
            save=lambda: super(PatientAdmin, self).save_model(request, obj, form, change),
        )


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = [
        "claim_number",
        "patient",
        "jurisdiction",
        "status",
        "insurer",
        "case_manager",
        "opened_at",
    ]
    list_filter = ["status", "jurisdiction", "insurer"]
    search_fields = ["claim_number", "patient__last_name", "patient__first_name"]
    list_select_related = ["patient", "insurer", "case_manager"]
    raw_id_fields = ["patient", "case_manager", "adjuster"]
    filter_horizontal = ["care_team", "tracked_instruments"]
    readonly_fields = ["status", "disability_began", "statutory_mmi_date"]

    def save_model(self, request, obj, form, change) -> None:
        services.case_admin_save(
            case=obj, save=lambda: super(CaseAdmin, self).save_model(request, obj, form, change)
        )

    def delete_model(self, request, obj) -> None:
        services.case_admin_delete(
            case=obj, delete=lambda: super(CaseAdmin, self).delete_model(request, obj)
        )

    def delete_queryset(self, request, queryset) -> None:
        for case in queryset:
            self.delete_model(request, case)

    def save_related(self, request, form, formsets, change) -> None:
        # Periods of disability are recorded on the case form; an extension order or a new
        # jurisdiction entered here moves statutory MMI, which the services work out. The
        # tracked measures are saved here too: the plateau verdict follows them.
        super().save_related(request, form, formsets, change)
        services.case_statutory_mmi_refresh(case=form.instance)
        services.case_plateau_refresh(form.instance.pk)


# Clinical records ------------------------------------------------------------------------
# Recorded on the case's pages and through the API, which save through cases/services/
# with its checks (the work status rules of docs/domain.md §7, a score's range, …). The
# admin shows them, and changes none: it would be a way around those checks.


class ClinicalRecordInline(admin.TabularInline):
    """A clinical record's rows, shown read-only."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnly:
    """An admin that shows rows and never adds, changes or deletes them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ShownOnlyAdmin(ViewOnly, SimpleHistoryAdmin):
    """A record viewable with its history: never added, changed, deleted or reverted here,
    because the services that write it hold checks the admin would bypass."""

    revert_refusal = "This record is changed in the app, with its checks, never here."

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a posted revert without asking for change permission.
        if request.method == "POST":
            raise PermissionDenied(self.revert_refusal)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ClinicalRecordAdmin(ShownOnlyAdmin):
    """A clinical record, corrected on the case's pages."""

    revert_refusal = "Clinical records are corrected on the case's pages, with their checks."


class OutcomeScoreInline(ClinicalRecordInline):
    model = OutcomeScore


@admin.register(Assessment)
class AssessmentAdmin(ClinicalRecordAdmin):
    list_display = ["case", "date", "clinician", "pain_score"]
    raw_id_fields = ["case", "clinician"]
    inlines = [OutcomeScoreInline]


@admin.register(Treatment)
class TreatmentAdmin(ClinicalRecordAdmin):
    list_display = ["case", "kind", "description", "start_date", "end_date"]
    list_filter = ["kind"]
    raw_id_fields = ["case"]


@admin.register(Diagnostic)
class DiagnosticAdmin(ClinicalRecordAdmin):
    list_display = ["case", "kind", "date", "stability"]
    raw_id_fields = ["case"]


@admin.register(Consultation)
class ConsultationAdmin(ClinicalRecordAdmin):
    list_display = ["case", "kind", "date", "consultant", "mmi_opinion"]
    raw_id_fields = ["case"]


class WorkRestrictionInline(ClinicalRecordInline):
    model = WorkRestriction


@admin.register(WorkStatus)
class WorkStatusAdmin(ClinicalRecordAdmin):
    list_display = ["case", "kind", "effective_from", "expected_through"]
    raw_id_fields = ["case", "issued_by"]
    inlines = [WorkRestrictionInline]


class DeterminationStepInline(admin.TabularInline):
    model = DeterminationStep
    extra = 0
    readonly_fields = ("slug", "revision", "saved_by", "saved_at", "answers")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Determination)
class DeterminationAdmin(ShownOnlyAdmin):
    """Shown, never changed here: drafts are written through the steps, whose saves check
    the validity rules (docs/domain.md §2), and a signed determination is a record that is
    amended or rescinded in the app, never edited or deleted (docs/domain.md §6)."""

    list_display = ["case", "version", "status", "certifying_clinician", "signed_at"]
    list_filter = ["status"]
    raw_id_fields = ["case", "certifying_clinician", "supersedes"]
    inlines = [DeterminationStepInline]

    revert_refusal = "A determination is never reverted here: amend it."


@admin.register(Dispute)
class DisputeAdmin(ShownOnlyAdmin):
    """Shown, never changed here: recording a dispute works out the party's deadline and
    whether it came late (docs/domain.md §2), which only the services do."""

    list_display = ["case", "disputed_by", "notice_date", "received_on", "deadline", "outcome"]
    raw_id_fields = ["case", "determination", "recorded_by"]


@admin.register(StateAverageWeeklyWage)
class StateAverageWeeklyWageAdmin(SimpleHistoryAdmin):
    list_display = ["jurisdiction", "effective_from", "effective_to", "amount", "source"]
    list_filter = ["jurisdiction"]


@admin.register(IssuedReport)
class IssuedReportAdmin(ViewOnly, admin.ModelAdmin):
    """Issued reports are a record of what was sent: viewable, never added, changed or
    deleted here."""

    list_display = ["case", "kind", "version", "determination_status", "issued_by", "issued_at"]
    list_filter = ["kind"]
    list_select_related = ["case", "issued_by"]
    search_fields = ["case__claim_number", "sha256", "content_sha256"]
