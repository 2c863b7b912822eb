"""The form of a task made by hand on a case."""

from django import forms
from django.utils import timezone

from cases.forms.fields import DateInput, model_choice_field
from cases.models import Case, User

from .models import Task
from .selectors import assignable_users


class TaskForm(forms.ModelForm):
    """Title, due date, assignee (among the users who may see the case) and a text. The
    rules of what may be saved (no due date in the past) are the service's."""

    class Meta:
        model = Task
        fields = ["title", "due_on", "assignee", "text"]
        labels = {"title": "What is to be done", "assignee": "Who is to do it", "text": "Details"}
        widgets = {"due_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The browser's date picker starts at today; the service refuses an earlier day.
        self.fields["due_on"].widget.attrs["min"] = timezone.localdate().isoformat()
        assignee = model_choice_field(self, "assignee")
        assignee.queryset = assignable_users(case)
        assignee.label_from_instance = _person  # type: ignore[method-assign,assignment]


def _person(user: User) -> str:
    return f"{user} ({user.get_role_display()})"
