from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

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
    fieldsets = DjangoUserAdmin.fieldsets + (
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
    list_display = ["name", "kind", "phone"]
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


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "date_of_birth"]
    search_fields = ["last_name", "first_name"]


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
    readonly_fields = ["status"]


class OutcomeScoreInline(admin.TabularInline):
    model = OutcomeScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["case", "date", "clinician", "pain_score"]
    raw_id_fields = ["case", "clinician"]
    inlines = [OutcomeScoreInline]


@admin.register(Treatment)
class TreatmentAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "description", "start_date", "end_date"]
    list_filter = ["kind"]
    raw_id_fields = ["case"]


@admin.register(Diagnostic)
class DiagnosticAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "date", "stability"]
    raw_id_fields = ["case"]


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "date", "consultant", "mmi_opinion"]
    raw_id_fields = ["case"]


class WorkRestrictionInline(admin.TabularInline):
    model = WorkRestriction
    extra = 0


@admin.register(WorkStatus)
class WorkStatusAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "effective_from", "expected_through"]
    raw_id_fields = ["case", "issued_by"]
    inlines = [WorkRestrictionInline]


class DeterminationStepInline(admin.TabularInline):
    model = DeterminationStep
    extra = 0
    fields = ["slug", "revision", "saved_by", "saved_at", "answers"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Determination)
class DeterminationAdmin(SimpleHistoryAdmin):
    """Drafts may be corrected here; a signed, superseded or rescinded determination is
    read-only, and none is ever deleted (DOMAIN.md §6: the old one is kept)."""

    list_display = ["case", "version", "status", "certifying_clinician", "signed_at"]
    list_filter = ["status"]
    raw_id_fields = ["case", "certifying_clinician", "supersedes"]
    inlines = [DeterminationStepInline]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a posted revert without asking for change permission.
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, object_id)
        ):
            raise PermissionDenied("A signed determination is never reverted: amend it.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ["case", "disputed_by", "notice_date", "deadline", "outcome"]
    raw_id_fields = ["case", "determination", "recorded_by"]


@admin.register(StateAverageWeeklyWage)
class StateAverageWeeklyWageAdmin(SimpleHistoryAdmin):
    list_display = ["jurisdiction", "effective_from", "effective_to", "amount", "source"]
    list_filter = ["jurisdiction"]


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Issued reports are a record of what was sent: viewable, never added, changed or
    deleted here."""

    list_display = ["case", "kind", "version", "determination_status", "issued_by", "issued_at"]
    list_filter = ["kind"]
    list_select_related = ["case", "issued_by"]
    search_fields = ["case__claim_number", "sha256", "content_sha256"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
