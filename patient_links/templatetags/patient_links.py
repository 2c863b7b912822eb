"""The questionnaire panels of other apps' pages, each one small include reading here: the
case page's questionnaires ({% include "patient_links/case_panel.html" %}), the clinician's
"to review" list and the board's completion rates. Each makes a fixed number of queries."""

from dataclasses import dataclass

from django import template

from cases.access import Capability, has_capability
from cases.models import Case

from .. import selectors

register = template.Library()


@dataclass(frozen=True)
class CasePanel:
    links: selectors.CaseLinks
    may_send: bool
    may_review: bool
    may_see_answers: bool


@register.simple_tag(takes_context=True)
def case_questionnaires(context: template.Context, case: Case) -> CasePanel:
    user = context["request"].user
    return CasePanel(
        links=selectors.case_links(case),
        may_send=has_capability(user, Capability.SEND_QUESTIONNAIRES),
        may_review=has_capability(user, Capability.RECORD_CLINICAL),
        may_see_answers=has_capability(user, Capability.SEE_CLINICAL_ONLY_RECORDS),
    )


@register.simple_tag(takes_context=True)
def questionnaires_to_review(context: template.Context) -> list:
    return selectors.to_review(context["request"].user)


@register.simple_tag(takes_context=True)
def questionnaire_completion(context: template.Context) -> list:
    return selectors.completion_by_case_manager(context["request"].user)
