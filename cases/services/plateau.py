"""Each case's plateau verdict (docs/domain.md §5), kept on the case (``Case.plateau``) in
the transaction of every change it depends on: the scores (assessment_save,
assessment_delete), the work statuses and their restrictions (work_status_save) and the
measures tracked (case_update, the admin). A change to an instrument's MCID or range in the
admin judges the cases tracking it again on the task queue (tasks.judge_cases_tracking). The
board's "Plateau candidates" and "Deteriorating" lists then read an index over every case
instead of judging a sample on each visit."""

from collections import defaultdict

from django.db.models import QuerySet

from ..domain.outcomes import PlateauVerdict
from ..models import Case, Plateau
from ..selectors.outcomes import judge_cases

# Cases judged per round when many are: their scores are read into memory together.
_BATCH = 500


def plateau_of(verdict: PlateauVerdict) -> Plateau:
    # A deteriorating case is never a candidate (docs/domain.md §5).
    if verdict.is_deteriorating:
        return Plateau.DETERIORATING
    return Plateau.CANDIDATE if verdict.is_candidate else Plateau.NONE


def cases_plateau_refresh(cases: QuerySet[Case]) -> None:
    """Judge ``cases`` again and store each verdict: four queries to judge them
    (selectors.outcomes.judge_cases) and one UPDATE per verdict that changed."""
    judged: dict[Plateau, list[int]] = defaultdict(list)
    for case, verdict in judge_cases(cases.order_by("pk")):
        if case.plateau != plateau_of(verdict):
            judged[plateau_of(verdict)].append(case.pk)
    for plateau, keys in judged.items():
        Case.objects.filter(pk__in=keys).update(plateau=plateau)


def case_plateau_refresh(case_id: int) -> None:
    cases_plateau_refresh(Case.objects.filter(pk=case_id))


def plateau_rebuild(cases: QuerySet[Case] | None = None) -> None:
    """Judge every case of ``cases`` (all of them by default), a batch at a time: after bulk
    loads, for the cases a migration left unjudged, or to repair."""
    chosen = cases if cases is not None else Case.objects.all()
    keys = list(chosen.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(keys), _BATCH):
        cases_plateau_refresh(Case.objects.filter(pk__in=keys[start : start + _BATCH]))
