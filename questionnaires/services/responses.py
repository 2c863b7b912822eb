"""A questionnaire response stored, scored and, when valid, made an assessment score
(docs/domain.md §12)."""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction

from cases.models import Assessment, Case, User
from cases.services import assessment_save

from ..domain.scoring import AnswerRefused, alerts, score
from ..models import Answer, InstrumentDefinition, Response
from .safety import safety_alert_send

__all__ = ["AnswerRefused", "response_submit"]


def _decimal(key: str, value: object) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise AnswerRefused({key: f"{value!r} is not a number"}) from None


@transaction.atomic
def response_submit(
    *,
    case: Case,
    definition: InstrumentDefinition,
    answers: Mapping[str, object],
    source: str,
    date: datetime.date,
    clinician: User,
    entered_by: User | None = None,
    named: Mapping[str, str] | None = None,
    assessment: Assessment | None = None,
) -> Response:
    """Store a response's answers (item key → value, each one of the item's choices),
    score it by the definition's rule and, when enough items are answered, put the score on
    an assessment: ``assessment`` when given (several questionnaires answered together make
    one assessment), else a new one on ``date`` by ``clinician``. Below the minimum the
    response is kept incomplete and unscored, and no assessment is made.

    ``named`` gives what the patient named for the items that ask for it (PSFS: the
    activity); each such item answered needs its name. An answer above an item's alert
    (PHQ-9 item 9 above 0) alerts the case's clinicians at once, scored or not.

    Raises AnswerRefused (its ``errors`` map item key → reason) and saves nothing when an
    answer is not one of its item's choices or names no item.
    """
    values = {key: _decimal(key, value) for key, value in answers.items()}
    spec = definition.spec
    result = score(spec, values)
    items = {item.key: item for item in definition.items.all()}
    names = {key: (text or "").strip() for key, text in (named or {}).items()}
    unnamed = {
        key: "name what this rates"
        for key in result.answered
        if items[key].patient_named and not names.get(key)
    }
    if unnamed:
        raise AnswerRefused(unnamed)
    crossed = alerts(spec, values)
    response = Response.objects.create(
        case=case,
        definition=definition,
        date=date,
        source=source,
        entered_by=entered_by,
        is_complete=result.is_complete,
        score=result.score,
        safety_alert=bool(crossed),
    )
    for key in result.answered:
        Answer.objects.create(
            response=response,
            item=items[key],
            value=values[key],
            named=names.get(key, "")[:200] if items[key].patient_named else "",
        )
    if result.score is not None:
        if assessment is None:
            assessment = Assessment(case=case, date=date, clinician=clinician)
        assessment_save(assessment=assessment, scores={definition.instrument: (result.score, None)})
        response.assessment = assessment
        response.save(update_fields=["assessment"])
    if crossed:
        safety_alert_send(response=response, items=crossed)
    return response
