"""The upload form of outside medical records, the form that withdraws one, and the search box
of their text."""

from django import forms
from django.utils import timezone

from cases.forms.fields import DateInput

from .intake import ACCEPTED
from .models import OutsideRecord
from .search import MAX_QUERY_LENGTH
from .services import RecordDetails


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or many files; each is checked by its content in the service, not here."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else single(data, initial)


class RecordUploadForm(forms.Form):
    """What every file of the upload is: its type, dates, author and sender."""

    documents = MultipleFileField(
        label="Files",
        # An empty file is refused with the others' reasons, by the service.
        allow_empty_file=True,
        help_text=f"One or more files, each {ACCEPTED}. Images and TIFF pages become one PDF each.",
    )
    document_type = forms.ChoiceField(
        label="Document type", choices=[("", "Choose…"), *OutsideRecord.DocumentType.choices]
    )
    service_date = forms.DateField(label="Date of service", required=False, widget=DateInput())
    author = forms.CharField(label="Author or facility", max_length=200, required=False)
    received_on = forms.DateField(label="Received on", widget=DateInput())
    received_from = forms.CharField(
        label="Received from",
        max_length=200,
        help_text="Who sent it: the carrier, the treating doctor's office, the attorney…",
    )
    clinical_only = forms.BooleanField(
        label="Clinical only: not shown to the adjuster", required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        self.fields["service_date"].widget.attrs["max"] = today
        self.fields["received_on"].widget.attrs["max"] = today
        self.fields["documents"].widget.attrs.update(
            {"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff", "data-record-files": ""}
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        for name in ("service_date", "received_on"):
            day = cleaned.get(name)
            if day is not None and day > today:
                self.add_error(name, "This date is after today.")
        service_date, received_on = cleaned.get("service_date"), cleaned.get("received_on")
        if service_date and received_on and service_date > received_on:
            self.add_error("received_on", "A record is received on or after its date of service.")
        return cleaned

    def details(self) -> RecordDetails:
        """What the form says of the files, as ``services.records_upload`` takes it."""
        data = self.cleaned_data
        return RecordDetails(
            document_type=data["document_type"],
            service_date=data["service_date"],
            author=data["author"],
            received_on=data["received_on"],
            received_from=data["received_from"],
            clinical_only=data["clinical_only"],
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: sent for the wrong patient, or a duplicate. It stays in the "
        "history.",
    )


class RecordSearchForm(forms.Form):
    q = forms.CharField(
        label="Search the records' text",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": f"A search is at most {MAX_QUERY_LENGTH} characters: try fewer words.",
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )
