"""The case notes pages: the case's whole log (filtered by kind), one note with its history,
writing, editing and withdrawing a note. Views are thin: access (cases/access.py,
notes/access.py) → form → service → redirect or render. Reading notes is reading the case:
each page is in the access log as a case view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import log_access
from cases.access import Capability, get_case_for, has_capability
from cases.views.requests import AuthenticatedHttpRequest

from . import services
from .access import get_note_for, may_change, require_author
from .forms import NoteFilterForm, NoteForm, WithdrawForm
from .selectors import case_notes, with_versions

NOTES_PER_PAGE = 50
_CASE_WITH_PARTIES = ("patient", "employer", "insurer", "adjuster", "case_manager")


@require_http_methods(["GET"])
def note_log(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Every note on the case the user may see, newest first, with each one's history; of
    one kind when asked."""
    case = get_case_for(request.user, case_id, refine=lambda cases: cases.select_related("patient"))
    log_access(request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="Notes")
    filter_form = NoteFilterForm(request.GET)
    kind = filter_form.cleaned_data["kind"] if filter_form.is_valid() else ""
    notes = with_versions(case_notes(request.user, case, kind=kind))
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notes/note_log.html",
        {
            "case": case,
            "page": page,
            "filter_form": filter_form,
            "kind": kind,
            "may_write": has_capability(request.user, Capability.WRITE_NOTES),
        },
    )


@require_http_methods(["GET"])
def note_detail(request: AuthenticatedHttpRequest, note_id: int) -> HttpResponse:
    """One note with every version it had and, for its author, the way to edit or withdraw
    it."""
    note = get_note_for(request.user, note_id)
    log_access(request, action=AccessLogEntry.Action.CASE_VIEW, case=note.case, detail="Note")
    return _detail(request, note, WithdrawForm())


def _detail(request: AuthenticatedHttpRequest, note, withdraw_form: WithdrawForm, status=200):
    versions = note.versions.select_related("written_by").order_by("-number")
    return render(
        request,
        "notes/note_detail.html",
        {
            "note": note,
            "case": note.case,
            "versions": list(versions),
            "may_change": may_change(request.user, note) and not note.is_withdrawn,
            "withdraw_form": withdraw_form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def note_add(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Write a note on the case: anyone who may see it and write notes."""
    case = get_case_for(
        request.user,
        case_id,
        capability=Capability.WRITE_NOTES,
        refine=lambda cases: cases.select_related(*_CASE_WITH_PARTIES),
    )
    may_be_private = has_capability(request.user, Capability.SEE_PRIVATE_NOTES)
    form = NoteForm(request.POST or None, case=case, may_be_private=may_be_private)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.note_write(
                    case=case,
                    by=request.user,
                    private=form.cleaned_data.get("private", False),
                    **form.note_fields(),
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, "The note was added.")
                return redirect(f"{case.get_absolute_url()}#notes")
        messages.error(request, "The note was not added: please correct the fields marked below.")
    else:
        log_access(request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="New note")
    return render(request, "notes/note_form.html", {"form": form, "case": case, "note": None})


@require_http_methods(["GET", "POST"])
def note_edit(request: AuthenticatedHttpRequest, note_id: int) -> HttpResponse:
    """Edit a note: its author only. The earlier version is kept and shown."""
    note = get_note_for(request.user, note_id)
    require_author(request.user, note)
    case = get_case_for(
        request.user, note.case_id, refine=lambda cases: cases.select_related(*_CASE_WITH_PARTIES)
    )
    form = NoteForm(request.POST or None, instance=note, case=case, may_be_private=False)
    if note.is_withdrawn:
        messages.error(request, "A withdrawn note is not edited.")
        return redirect(note.get_absolute_url())
    if request.method == "POST":
        if form.is_valid():
            try:
                services.note_edit(note=note, by=request.user, **form.note_fields())
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, "The note was edited; its earlier version is kept.")
                return redirect(note.get_absolute_url())
        messages.error(request, "The note was not changed: please correct the fields marked below.")
    else:
        log_access(request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="Edit note")
    return render(request, "notes/note_form.html", {"form": form, "case": case, "note": note})


@require_POST
def note_withdraw(request: AuthenticatedHttpRequest, note_id: int) -> HttpResponse:
    """Withdraw a note written in error, with a reason: its author only."""
    note = get_note_for(request.user, note_id)
    require_author(request.user, note)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.note_withdraw(note=note, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "The note was withdrawn; it stays in the log, marked.")
            return redirect(note.get_absolute_url())
    messages.error(request, "The note was not withdrawn: please say why.")
    return _detail(request, note, form, status=400)
