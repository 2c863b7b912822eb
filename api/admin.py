from typing import cast
from weakref import WeakKeyDictionary

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from cases.models import User

from .models import ApiToken
from .services import TokenAlreadyRevoked, api_token_issue, api_token_revoke

# A token's secret from save_model to response_add of the same request, held only while the
# token object lives: the model has no field for it.
_issued_secrets: WeakKeyDictionary[ApiToken, str] = WeakKeyDictionary()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators issue tokens (the secret is shown once, on the page after saving) and
    revoke them; tokens are never deleted, so the record of who held one remains."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["user", "name"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None):
        return ["user", "name"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if not change:
            # The admin site lets in only active staff users, never AnonymousUser.
            issued_by = cast(User, request.user)
            _issued_secrets[obj] = api_token_issue(token=obj, issued_by=issued_by)

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue=None):
        # The secret is rendered once, on this page, and kept nowhere (not in a message).
        return TemplateResponse(
            request,
            "admin/api/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "token": obj,
                "secret": _issued_secrets.pop(obj),
            },
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset) -> HttpResponse | None:
        revoked = 0
        for token in queryset:
            try:
                api_token_revoke(token=token, revoked_by=cast(User, request.user))
                revoked += 1
            except TokenAlreadyRevoked:
                pass
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
        return None
