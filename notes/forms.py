"""The forms of a case note: writing or editing one, withdrawing one, and the log's filter.
The rules of what may be kept (not in the future, a text, with whom) are the service's."""

from django import forms
from django.utils import timezone

from cases.models import Case

from .models import Note


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def party_choices(case: Case) -> list[tuple[str, str]]:
    """The parties of this case to choose from, each with its name; the adjuster only when
    the case names one."""
    names = [
        (Note.Party.EMPLOYEE, str(case.patient)),
        (Note.Party.EMPLOYER, case.employer.name),
        (Note.Party.CARRIER, case.insurer.name),
        (Note.Party.ADJUSTER, str(case.adjuster) if case.adjuster_id else ""),
        (Note.Party.CASE_MANAGER, str(case.case_manager)),
    ]
    return [("", "None of them")] + [
        (party.value, f"{party.label} — {name}") for party, name in names if name
    ]


class NoteForm(forms.ModelForm):
    """A note as its author writes it; ``private`` only for those who may write private
    notes, and only when it is first written (it never changes after)."""

    class Meta:
        model = Note
        fields = ["kind", "happened_at", "party", "with_whom", "text", "private"]
        labels = {
            "kind": "Kind",
            "party": "With a party of the case",
            "with_whom": "With whom (a name, a role, a number)",
            "text": "What was said or done",
        }
        error_messages = {
            "kind": {
                "required": "Choose the kind of note.",
                "invalid_choice": "Choose the kind of note: call, email, letter, meeting or note.",
            },
            "happened_at": {"required": "Say when it happened."},
            "text": {"required": "Write what was said or done: the text cannot be empty."},
        }
        help_texts = {"private": "Only the clinicians of the care team will see this note."}
        widgets = {
            "happened_at": DateTimeInput(),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, case: Case, may_be_private: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.initial.get("happened_at") and not self.instance.pk:
            self.initial["happened_at"] = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["happened_at"].widget.attrs["max"] = timezone.localtime().strftime(
            "%Y-%m-%dT%H:%M"
        )
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = party_choices(case)
        if not may_be_private or self.instance.pk:
            del self.fields["private"]

    def note_fields(self) -> dict:
        """What the note says, as ``services.note_write`` and ``services.note_edit`` take it."""
        names = ("kind", "happened_at", "party", "with_whom", "text")
        return {name: self.cleaned_data[name] for name in names}


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why is it withdrawn?", max_length=500, widget=forms.TextInput())


class NoteFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Every kind"), *Note.Kind.choices], required=False, label="Kind"
    )
