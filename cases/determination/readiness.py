"""Whether a draft determination may be signed: which steps are complete, the facts the
validity rules judge and the checklist shown before signing (docs/domain.md §2).

The services call this before signing; the step pages show it. It reads models and the
domain rules only, never a form or a step class, so a change to a page cannot change what
may be signed.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from outside_records.models import RecordCitation

from ..access import may_certify
from ..domain import impairment
from ..domain.jurisdictions import Jurisdiction, UnknownJurisdiction, for_code
from ..domain.validity import (
    CertificationFacts,
    Checklist,
    ConsistencyWarning,
    ImpairmentFinding,
    MmiType,
    check_certification,
    consistency_warnings,
)
from ..models import Case, Determination, DeterminationStep
from ..selectors.outcomes import OUTCOME_PREFETCHES

Slug = DeterminationStep.Slug

# The columns' choices as the validity rules name them; "" (not chosen yet) is None.
_MMI_TYPES: Mapping[str, MmiType] = {
    Determination.MMIType.CLINICAL: "clinical",
    Determination.MMIType.STATUTORY: "statutory",
}
_IMPAIRMENT_FINDINGS: Mapping[str, ImpairmentFinding] = {
    Determination.ImpairmentFinding.NONE: "none",
    Determination.ImpairmentFinding.RATED: "rated",
}

# The steps in the order they are taken; the outcome comes after the five numbered steps.
ORDER: tuple[str, ...] = tuple(Slug)

# The Determination columns each step writes; the rest of its answers are kept on the step.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    Slug.CLINICAL: ("exam_date", "records_received_date", "diagnosis_codes"),
    Slug.THERAPY: (),
    Slug.DIAGNOSTICS: (),
    Slug.CONSULTATIONS: (),
    Slug.LEGAL: ("certifying_clinician", "certifier_role", "mmi_type", "guides_edition"),
    Slug.OUTCOME: (
        "mmi_reached",
        "mmi_date",
        "impairment_finding",
        "impairment_rating",
        "mmi_unconditional",
        "permanent_restrictions",
        "future_care",
        "return_to_work",
        "expected_mmi_date",
        "plan",
        "rationale",
    ),
}

# In step 1's answers: the date all medical records were received was left blank there, and
# is the latest receipt of the outside records the determination cites.
RECEIVED_DATE_FILLED = "records_received_date_filled"


@dataclass(frozen=True)
class StepName:
    slug: str
    number: int
    title: str

    @property
    def heading(self) -> str:
        return f"Step {self.number}: {self.title}" if self.number <= 5 else self.title


def step_name(slug: str) -> StepName:
    return StepName(slug=slug, number=ORDER.index(slug) + 1, title=Slug(slug).label)


def load_case_records(case: Case) -> Case:
    """Prefetch everything the steps read onto ``case`` (a fixed number of queries)."""
    prefetch_related_objects(
        [case],
        *OUTCOME_PREFETCHES,
        "disability_periods",
        "diagnostics",
        "consultations",
        "care_team",
    )
    return case


def jurisdiction_of(code: str) -> Jurisdiction | None:
    try:
        return for_code(code)
    except UnknownJurisdiction:
        return None


def answer(saved: DeterminationStep | None, key: str, default: Any = "") -> Any:
    return saved.answers.get(key, default) if saved is not None else default


def is_complete(
    slug: str, determination: Determination, saved: DeterminationStep | None, case: Case
) -> bool:
    """Whether a step has been saved with what signing needs from it."""
    if saved is None:
        return False
    # A record withdrawn since the step cited it: the step is to be saved again without it.
    if any(citation.record.is_withdrawn for citation in saved.citations.all()):
        return False
    if slug == Slug.CLINICAL:
        return determination.exam_date is not None
    if slug == Slug.DIAGNOSTICS:
        # A test added after the step was saved has not been reviewed yet.
        reviewed = {review["diagnostic"] for review in answer(saved, "reviews", [])}
        return all(d.pk in reviewed for d in case.diagnostics.all())
    if slug == Slug.CONSULTATIONS:
        answered = {opinion["consultation"] for opinion in answer(saved, "opinions", [])}
        return all(c.pk in answered for c in case.consultations.all())
    if slug == Slug.LEGAL:
        return bool(determination.certifier_role)
    if slug == Slug.OUTCOME:
        return determination.mmi_reached is not None
    return True


@dataclass(frozen=True)
class Review:
    """What stands between a draft and its signature."""

    incomplete: tuple[StepName, ...]
    checklist: Checklist
    warnings: tuple[ConsistencyWarning, ...]
    statutory_mmi_date: date | None
    certification_due: date | None

    @property
    def may_sign(self) -> bool:
        return not self.incomplete and self.checklist.ok


def certification_facts(
    determination: Determination,
    saved: Mapping[str, DeterminationStep],
    case: Case,
    *,
    items: Sequence[impairment.ImpairmentItem] | None = None,
) -> CertificationFacts:
    """The facts the validity rules judge, from a determination (saved or about to be) and
    the case loaded with ``load_case_records``. ``items``: the impairment items about to be
    saved; the determination's own otherwise."""
    statutory = case.statutory_mmi()
    rules = jurisdiction_of(determination.jurisdiction or case.jurisdiction)
    clinician = determination.certifying_clinician
    # Permanent restrictions should rest on an objective finding from diagnostic testing
    # (step 3); a rating on one anywhere, the examination of step 1 included (Texas §408.122).
    has_diagnostic_objective_findings = bool(
        answer(saved.get(Slug.DIAGNOSTICS), "objective_findings").strip()
    ) or any(d.is_objective_finding for d in case.diagnostics.all())
    has_objective_findings = has_diagnostic_objective_findings or bool(
        answer(saved.get(Slug.CLINICAL), "objective_findings").strip()
    )
    if items is None:
        items = [item.as_rated() for item in determination.impairment_items.all()]
    exam = determination.exam_date
    return CertificationFacts(
        date_of_injury=case.date_of_injury,
        jurisdiction_name=rules.name if rules else case.jurisdiction,
        exam_date=exam,
        mmi_reached=bool(determination.mmi_reached),
        mmi_date=determination.mmi_date,
        expected_mmi_date=determination.expected_mmi_date,
        statutory_mmi_date=statutory.mmi_date if statutory else None,
        mmi_type=_MMI_TYPES.get(determination.mmi_type),
        impairment_finding=_IMPAIRMENT_FINDINGS.get(determination.impairment_finding),
        impairment_rating=determination.impairment_rating,
        impairment_items=tuple(items),
        mmi_unconditional=determination.mmi_unconditional,
        rationale=determination.rationale,
        certifier_may_certify=may_certify(clinician, case.care_team.all()),
        certifier_may_rate=clinician.may_rate_impairment,
        certifier_role=determination.certifier_role,
        certifier_licence_jurisdiction=clinician.licence_jurisdiction,
        case_jurisdiction=case.jurisdiction,
        guides_edition=determination.guides_edition,
        accepted_guides_editions=rules.accepted_guides_editions if rules else (),
        psychiatric_rating_cap=rules.psychiatric_rating_cap if rules else None,
        certification_due=(
            rules.certification_due(exam, determination.records_received_date)
            if rules and exam
            else None
        ),
        today=timezone.localdate(),
        has_permanent_restrictions=bool(determination.permanent_restrictions.strip()),
        has_objective_findings=has_objective_findings,
        has_diagnostic_objective_findings=has_diagnostic_objective_findings,
    )


def review(
    determination: Determination, saved: Mapping[str, DeterminationStep], case: Case
) -> Review:
    """The validity checklist (docs/domain.md §2) and the warnings of a draft, from the case
    loaded with ``load_case_records``. Signing is refused unless ``may_sign``."""
    facts = certification_facts(determination, saved, case)
    warnings = list(consistency_warnings(facts))
    improving = answer(saved.get(Slug.THERAPY), "improving_under_authorised_treatment")
    if determination.mmi_reached and improving == "yes":
        warnings.append(
            ConsistencyWarning(
                code="improving_under_authorised_treatment",
                message="Step 2 says authorised treatment is still producing improvement, "
                "which argues against MMI. Check the outcome or the answer.",
            )
        )
    incomplete = tuple(
        step_name(slug)
        for slug in ORDER
        if not is_complete(slug, determination, saved.get(slug), case)
    )
    return Review(
        incomplete=incomplete,
        checklist=check_certification(facts),
        warnings=tuple(warnings),
        statutory_mmi_date=facts.statutory_mmi_date,
        certification_due=facts.certification_due,
    )


def saved_steps(determination: Determination) -> dict[str, DeterminationStep]:
    """The determination's saved steps by slug, each with the outside records it cites
    (two queries)."""
    rows = list(determination.steps.all())
    prefetch_related_objects(
        rows,
        Prefetch(
            "citations", queryset=RecordCitation.objects.select_related("record__stored_file")
        ),
    )
    return {row.slug: row for row in rows}
