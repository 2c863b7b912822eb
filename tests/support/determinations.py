"""Answers that make every step of an MMI determination valid, and a way to save them the
way the step page does (form → step values → service)."""

from datetime import date, timedelta

from django.utils import timezone

from cases import services
from cases.determination.readiness import load_case_records, saved_steps
from cases.determination.steps import STEPS_BY_SLUG
from cases.models import Case, Determination, User


def exam_day(case: Case) -> date:
    return case.date_of_injury + timedelta(days=150)


def valid_answers(case: Case, slug: str) -> dict:
    """POST data that passes the step's form for this case (without the revision)."""
    exam = exam_day(case)
    if slug == "clinical":
        return {
            "exam_date": exam.isoformat(),
            "diagnosis_codes": "M54.50",
            "history": "Lifted a crate and felt low back pain; physical therapy since.",
            "complaints": "Stiffness in the morning.",
            "objective_findings": "Paraspinal tenderness; flexion limited to 60 degrees.",
            "functional_status": "Walks and sits without limit.",
            "psychological_readiness": "ready",
        }
    if slug == "therapy":
        return {
            "interpretation": "Function improved, then levelled off over the last two months.",
            "improving_under_authorised_treatment": "no",
        }
    if slug == "diagnostics":
        data = {f"diagnostic_{d.pk}": "stable" for d in case.diagnostics.all()}
        data["objective_findings"] = "MRI: L4-L5 disc protrusion."
        return data
    if slug == "consultations":
        data = {"designated_doctor_examined": "no"}
        for consultation in case.consultations.all():
            data[f"consultation_{consultation.pk}"] = "agrees"
            data[f"consultation_{consultation.pk}_why"] = "No surgical lesion."
        return data
    if slug == "legal":
        determination = case.determinations.drafts().get()
        return {
            "certifying_clinician": determination.certifying_clinician_id,
            "certifier_role": "treating",
            "mmi_type": "clinical",
            "carrier_claim_number": case.claim_number,
            "state_claim_number": case.state_claim_number,
            "guides_edition": "4th",
        }
    if slug == "outcome":
        return {
            "mmi_reached": "yes",
            "mmi_date": exam.isoformat(),
            "impairment_finding": "rated",
            "impairment_rating": "5",
            "mmi_unconditional": "on",
            "permanent_restrictions": "Lift no more than 20 lb occasionally.",
            "future_care": "Home exercise programme.",
            "return_to_work": "Return with the restrictions above.",
            "rationale": "Function has not changed materially over two months of therapy.",
        }
    raise KeyError(slug)


def save_step(determination: Determination, slug: str, user: User, **changes) -> None:
    """Save one step as its page does; ``changes`` override the valid answers."""
    determination = Determination.objects.select_related("case", "certifying_clinician").get(
        pk=determination.pk
    )
    case = load_case_records(Case.objects.get(pk=determination.case_id))
    step = STEPS_BY_SLUG[slug]
    saved = saved_steps(determination).get(slug)
    data = {
        **valid_answers(case, slug),
        "revision": saved.revision if saved else 0,
        **changes,
    }
    form = step.form(data, determination=determination, case=case, saved=saved)
    assert form.is_valid(), form.errors
    columns, answers = step.values(form, case)
    services.determination_save_step(
        determination=determination,
        slug=slug,
        columns=columns,
        answers=answers,
        expected_revision=form.cleaned_data["revision"],
        saved_by=user,
    )


def complete_draft(determination: Determination, user: User, **outcome) -> Determination:
    """Save every step with valid answers; ``outcome`` overrides the outcome step's."""
    for slug in ("clinical", "therapy", "diagnostics", "consultations", "legal"):
        save_step(determination, slug, user)
    save_step(determination, "outcome", user, **outcome)
    return Determination.objects.get(pk=determination.pk)


def signed_determination(case: Case, clinician: User, **outcome) -> Determination:
    """A signed determination of ``case`` by ``clinician`` (on its care team)."""
    draft = services.determination_start(case=case, started_by=clinician)
    complete_draft(draft, clinician, **outcome)
    return services.determination_sign(determination=draft, signed_by=clinician)


def today() -> date:
    return timezone.localdate()
