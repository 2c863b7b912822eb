from django.contrib import admin

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: administrators search the log; nobody adds, changes or deletes entries."""

    list_display = ["at", "username", "action", "case", "detail", "client_address"]
    list_filter = ["action", "at"]
    date_hierarchy = "at"
    search_fields = ["username", "case__claim_number", "detail", "client_address"]
    list_select_related = ["case", "case__patient"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
