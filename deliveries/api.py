"""Deliveries in the REST API (/api/v1/, routed in api/urls.py): the deliveries of a case,
and a delivery recorded. Scoped like the pages through cases/access.py; writes go through
deliveries/services.py, which refuses what the page refuses."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import StrictFilterSet
from api.schema import ErrorSerializer
from api.serializers import PersonSerializer, StrictCharField, StrictIntegerField
from api.views import CaseRecordList, _user
from cases.access import Capability, determinations_visible_to, get_case_for
from cases.models import Case, User

from . import services
from .forms import METHODS_BY_HAND
from .models import Delivery, Recipient


class RecipientSerializer(serializers.ModelSerializer):
    """A party on the distribution list of one issued document: a certification version
    (``determination``) or a work status (``work_status``)."""

    class Meta:
        model = Recipient
        fields = ["id", "document", "determination", "work_status", "party", "name"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    """A copy delivered to one recipient: how, when, to which number or address, recorded by
    whom. ``withdrawn_at`` is set when it was withdrawn as wrong (it then no longer
    counts), with ``withdrawal_reason``. ``has_proof``: a proof file is kept (on the case
    page)."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    recipient = RecipientSerializer(read_only=True)
    recorded_by = PersonSerializer(read_only=True)
    has_proof = serializers.SerializerMethodField()
    withdrawn_at = serializers.DateTimeField(
        source="withdrawal.withdrawn_at", read_only=True, allow_null=True
    )
    withdrawal_reason = serializers.CharField(
        source="withdrawal.reason", read_only=True, allow_null=True
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "case",
            "recipient",
            "method",
            "delivered_on",
            "address",
            "recorded_by",
            "recorded_at",
            "has_proof",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = fields

    def get_has_proof(self, delivery: Delivery) -> bool:
        return bool(delivery.proof)


class DeliveryInputSerializer(serializers.Serializer):
    """A delivery recorded by hand. Name the document by ``determination`` (a signed
    certification version of this case) or ``work_status`` (one of its work statuses), not
    both; ``party`` must be on that document's distribution list. A portal delivery is
    recorded by itself when the party downloads the copy."""

    determination = StrictIntegerField(required=False, min_value=1)
    work_status = StrictIntegerField(required=False, min_value=1)
    party = serializers.ChoiceField(choices=Recipient.PartyChoice.choices)
    method = serializers.ChoiceField(choices=METHODS_BY_HAND)
    delivered_on = serializers.DateField()
    address = StrictCharField(required=False, allow_blank=True, max_length=300)


class DeliveryFilter(StrictFilterSet):
    class Meta:
        model = Delivery
        fields: list[str] = ["method"]


def _recipient(case: Case, user: User, data: dict) -> Recipient:
    """The recipient the input names, or a 400 saying what is wrong with it."""
    named = [name for name in ("determination", "work_status") if name in data]
    if len(named) != 1:
        raise ValidationError(
            {"determination": ["Name the document: a determination or a work status, not both."]}
        )
    if named == ["determination"]:
        determination = (
            determinations_visible_to(user).filter(case=case, pk=data["determination"]).first()
        )
        if determination is None:
            raise ValidationError({"determination": ["No such certification on this case."]})
        if determination.is_draft:
            raise ValidationError(
                {
                    "determination": [
                        f"MMI determination v{determination.version} is a draft: it is not "
                        "issued, so nothing of it is delivered."
                    ]
                }
            )
        recipients = determination.recipients.all()
        document = f"MMI certification v{determination.version}"
    else:
        work_status = case.work_statuses.filter(pk=data["work_status"]).first()
        if work_status is None:
            raise ValidationError({"work_status": ["No such work status on this case."]})
        recipients = work_status.recipients.all()
        document = "this work status"
    recipient = recipients.filter(party=data["party"]).first()
    if recipient is None:
        label = Recipient.PartyChoice(data["party"]).label
        raise ValidationError(
            {"party": [f"{label} is not on the distribution list of {document}."]}
        )
    return recipient


class CaseDeliveryList(CaseRecordList):
    """The deliveries of the documents issued on a case (withdrawn ones included, marked);
    the care team's clinicians, the case manager and administrators record one. A day
    before the document was issued or after today, a party not on its list, or a document
    not issued is refused with the reason."""

    record_name = "deliveries"
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    ordering_fields = ["delivered_on", "recorded_at"]
    ordering = ["delivered_on", "pk"]

    def records(self, case: Case):
        return Delivery.objects.filter(case=case).select_related(
            "recipient", "recorded_by", "withdrawal"
        )

    @extend_schema(
        request=DeliveryInputSerializer, responses={201: DeliverySerializer, 400: ErrorSerializer}
    )
    def post(self, request: Request, case_id: int) -> Response:
        user = _user(request)
        case = get_case_for(user, case_id, capability=Capability.RECORD_DELIVERY)
        serializer = DeliveryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        delivery = services.delivery_record(
            recipient=_recipient(case, user, data),
            method=data["method"],
            delivered_on=data["delivered_on"],
            address=data.get("address", ""),
            recorded_by=user,
        )
        shown = Delivery.objects.select_related("recipient", "recorded_by").get(pk=delivery.pk)
        return Response(DeliverySerializer(shown).data, status=status.HTTP_201_CREATED)
