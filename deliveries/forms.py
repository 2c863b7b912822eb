"""The forms of the deliveries pages: a delivery recorded by hand, a delivery withdrawn."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case

from .models import Delivery, Recipient
from .selectors import in_force_q
from .services import PROOF_MAX_BYTES

METHODS_BY_HAND = [
    (value, label) for value, label in Delivery.Method.choices if value != Delivery.Method.PORTAL
]


class RecipientChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recipient) -> str:
        if obj.determination is not None:
            document = f"MMI certification v{obj.determination.version}"
        else:
            document = "Work status report"
        party = obj.get_party_display()
        return f"{document} — {party} ({obj.name})" if obj.name else f"{document} — {party}"


def recipients_to_deliver(case: Case) -> QuerySet[Recipient]:
    """The recipients a delivery may be recorded for: those of the case's documents in
    force."""
    return (
        Recipient.objects.filter(case=case)
        .filter(in_force_q(case.pk))
        .select_related("determination", "work_status")
        .order_by("document", "pk")
    )


class DeliveryForm(forms.Form):
    recipient = RecipientChoice(
        queryset=Recipient.objects.none(),
        label="Copy for",
        empty_label=None,
        error_messages={
            "invalid_choice": "Choose a recipient on the list of a document in force.",
        },
    )
    method = forms.ChoiceField(label="Sent by", choices=METHODS_BY_HAND)
    delivered_on = forms.DateField(
        label="Delivered on", widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(
        label="Sent to",
        required=False,
        max_length=300,
        help_text="The fax number, e-mail address or postal address.",
    )
    proof = forms.FileField(
        label="Proof (optional)",
        required=False,
        help_text=f"A fax confirmation or receipt: PDF, PNG or JPEG, at most "
        f"{PROOF_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient"]
        assert isinstance(recipient, RecipientChoice)
        recipient.queryset = recipients_to_deliver(case)


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="Why is this delivery withdrawn?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
