"""The case page's deliveries section ({% include "deliveries/case_deliveries.html" %} in
templates/cases/case_detail.html reads it here): the documents in force with who has them
and each party's window, and the form to record a delivery for those who may. A fixed
number of queries whatever the number of recipients and deliveries."""

from dataclasses import dataclass

from django import template

from cases.access import Capability, has_capability
from cases.models import Case

from ..forms import DeliveryForm
from ..selectors import DocumentDeliveries, case_deliveries

register = template.Library()


@dataclass(frozen=True)
class CaseDeliveries:
    documents: list[DocumentDeliveries]
    may_record: bool
    form: DeliveryForm | None


@register.simple_tag(takes_context=True)
def case_deliveries_of(context: template.Context, case: Case) -> CaseDeliveries:
    documents = case_deliveries(case)
    may_record = has_capability(context["request"].user, Capability.RECORD_DELIVERY)
    return CaseDeliveries(
        documents=documents,
        may_record=may_record,
        form=DeliveryForm(case=case) if may_record and documents else None,
    )
