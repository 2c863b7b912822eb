"""The case page's outside records section ({% include "outside_records/case_records.html" %}
in templates/cases/case_detail.html reads them here): the records the user may see and
whether they may add one, and the box that searches them. One query whatever the number of
records."""

from dataclasses import dataclass

from django import template

from cases.access import Capability, has_capability
from cases.models import Case

from ..forms import RecordSearchForm
from ..models import OutsideRecord
from ..selectors import case_records

register = template.Library()


@dataclass(frozen=True)
class CaseRecords:
    records: list[OutsideRecord]
    may_add: bool
    search_form: RecordSearchForm


@register.simple_tag(takes_context=True)
def case_outside_records(context: template.Context, case: Case) -> CaseRecords:
    user = context["request"].user
    return CaseRecords(
        records=list(case_records(user, case)),
        may_add=has_capability(user, Capability.ADD_OUTSIDE_RECORDS),
        search_form=RecordSearchForm(),
    )
