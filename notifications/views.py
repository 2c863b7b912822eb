"""The notification pages: the user's list, marking one or all read, and the choice of
which kinds come by email. Views are thin: selector or form → service → redirect or render.
Each user reads and marks only their own notifications."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.views.requests import AuthenticatedHttpRequest, next_url

from . import services
from .forms import EmailPreferencesForm
from .kinds import KINDS
from .selectors import email_preferences_of, notifications_of

PER_PAGE = 25


@require_http_methods(["GET"])
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's notifications, newest first, a page at a time."""
    notifications = notifications_of(request.user).select_related("case")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "here": request.get_full_path()},
    )


@require_POST
def notification_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark one of the user's notifications read (404 for anyone else's)."""
    if services.notification_mark_read(user=request.user, notification_id=notification_id) is None:
        raise Http404("No such notification.")
    return redirect(next_url(request) or reverse("notifications:list"))


@require_POST
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    marked = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        f"{marked} notification{'s' if marked != 1 else ''} marked read."
        if marked
        else "Nothing was unread.",
    )
    return redirect(next_url(request) or reverse("notifications:list"))


@require_http_methods(["GET", "POST"])
def email_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Which kinds of notification come to the user by email as well as in the app."""
    form = EmailPreferencesForm(request.POST or None, initial=email_preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.email_preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your email choices are saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "kinds": KINDS, "email": request.user.email},
    )
