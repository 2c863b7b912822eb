"""The diary pages: a task made by hand on a case, "My tasks" in full, and marking a task
done. Views are thin: access (cases/access.py) → form → service → redirect or render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import log_access
from cases.access import Capability, get_case_for, of_visible_cases
from cases.views.requests import AuthenticatedHttpRequest, next_url

from . import services
from .forms import TaskForm
from .models import Task
from .selectors import TaskState, tasks_of

TASKS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
def task_add(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Make a task on the case by hand: anyone who may see the case and keeps a diary."""
    case = get_case_for(
        request.user,
        case_id,
        capability=Capability.KEEP_DIARY,
        refine=lambda cases: cases.select_related("patient"),
    )
    form = TaskForm(request.POST or None, case=case, initial={"assignee": request.user.pk})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.task_create(
                    case=case,
                    created_by=request.user,
                    title=form.cleaned_data["title"],
                    due_on=form.cleaned_data["due_on"],
                    assignee=form.cleaned_data["assignee"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, "The task was added.")
                return redirect(f"{case.get_absolute_url()}#tasks")
        messages.error(request, "The task was not added: please correct the fields marked below.")
    else:
        log_access(request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="New task")
    return render(request, "diaries/task_form.html", {"form": form, "case": case})


@require_http_methods(["GET"])
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own tasks, to do (overdue first) or done, a page at a time."""
    state = request.GET.get("state", TaskState.OPEN)
    if state not in dict(TaskState.CHOICES):
        state = TaskState.OPEN
    page = Paginator(tasks_of(request.user, state), TASKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "diaries/task_list.html",
        {
            "page": page,
            "state": state,
            "states": TaskState.CHOICES,
            "today": timezone.localdate(),
            "here": request.get_full_path(),
        },
    )


@require_POST
def task_done(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    """Mark a task done: anyone who may see its case and keeps a diary (404 for a task on a
    case the user may not see, as for one that does not exist)."""
    task = Task.objects.filter(of_visible_cases(request.user), pk=task_id).first()
    if task is None:
        raise Http404("No such task.")
    services.task_mark_done(task=task, by=request.user)
    messages.success(request, f"“{task.title}” is done.")
    return redirect(next_url(request) or reverse("diaries:task-list"))
