"""The administrator's pages for webhooks: a client's URL and secret, and how its recent
deliveries went; a delivery that failed after its last try is said so at the top of the
page."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join

from cases.templatetags.dates import moment

from .models import Webhook, WebhookDelivery
from .selectors import failed_deliveries, recent_deliveries
from .webhooks import schedule

RECENT = 20


def failure_sentence(webhook: Webhook) -> str:
    """The plain words for deliveries that failed after the last try ("" if none)."""
    failed = failed_deliveries(webhook)
    count = failed.count()
    if not count:
        return ""
    latest = failed.first()
    assert latest is not None
    last_try = latest.attempt_log.order_by("-number").first()
    why = last_try.error if last_try is not None else ""
    plural = "deliveries" if count != 1 else "delivery"
    return (
        f"{count} {plural} failed after the last of {schedule.ATTEMPTS} tries and will not be "
        f"sent again: the latest, {latest.event} of {moment(latest.created_at)}, ended with "
        f"“{why}” The client did not receive {'them' if count != 1 else 'it'}."
    )


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["token", "url", "active", "failed"]
    list_select_related = ["token"]
    autocomplete_fields = ["token"]
    fields = ["token", "url", "secret", "active", "deliveries"]
    readonly_fields = ["deliveries"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                failed_count=Count(
                    "deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)
                )
            )
        )

    @admin.display(description="failed deliveries", ordering="failed_count")
    def failed(self, webhook: Webhook) -> int:
        return getattr(webhook, "failed_count", 0)

    @admin.display(description="recent deliveries")
    def deliveries(self, webhook: Webhook) -> str:
        if webhook.pk is None:
            return "None yet."
        rows = recent_deliveries(webhook, RECENT)
        if not rows:
            return "None yet."
        return format_html(
            "<table><thead><tr><th>Event</th><th>Made</th><th>State</th><th>Tries</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        delivery.event,
                        moment(delivery.created_at),
                        delivery.get_status_display(),
                        format_html_join(
                            "",
                            "<div>{}. {}: {}{}</div>",
                            (
                                (
                                    attempt.number,
                                    moment(attempt.at),
                                    attempt.status_code or "no answer",
                                    f" ({attempt.error})" if attempt.error else "",
                                )
                                for attempt in delivery.attempt_log.all()
                            ),
                        ),
                    )
                    for delivery in rows
                ),
            ),
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        webhook = self.get_object(request, object_id)
        if request.method == "GET" and webhook is not None:
            sentence = failure_sentence(webhook)
            if sentence:
                messages.error(request, sentence)
        return super().change_view(request, object_id, form_url, extra_context)
