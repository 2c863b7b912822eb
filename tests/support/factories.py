"""factory_boy factories for the case record."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from cases import services
from cases.models import (
    Assessment,
    Case,
    Consultation,
    Determination,
    Diagnostic,
    Instrument,
    Organisation,
    OutcomeScore,
    Patient,
    Role,
    Treatment,
    User,
    WorkRestriction,
    WorkStatus,
)
from cases.services.plateau import case_plateau_refresh
from cases.services.search import case_search_terms_refresh
from cases.services.summaries import case_opened_summarise

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.INSURER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.CLINICIAN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClinicianFactory(UserFactory):
    role = Role.CLINICIAN
    licence_type = "MD"
    licence_number = factory.Sequence(lambda n: f"MD-{10000 + n}")
    licence_jurisdiction = "TX"
    may_certify_mmi = True
    may_rate_impairment = True


class CaseManagerFactory(UserFactory):
    role = Role.CASE_MANAGER


class AdjusterFactory(UserFactory):
    role = Role.ADJUSTER
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.INSURER)


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    is_staff = True
    is_superuser = True


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = factory.Sequence(lambda n: f"Ient{n}")
    date_of_birth = date(1980, 5, 17)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    claim_number = factory.Sequence(lambda n: f"CLM-{100000 + n}")
    jurisdiction = "TX"
    date_of_injury = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))
    disability_began = factory.LazyAttribute(lambda c: c.date_of_injury + timedelta(days=1))
    body_part = "lower_back"
    diagnosis_codes = "M54.50"
    employer = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.EMPLOYER)
    insurer = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.INSURER)
    case_manager = factory.SubFactory(CaseManagerFactory)
    average_weekly_wage = Decimal("1000.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Case:
        # The row is written directly (any status, any MMI date): file and count it as
        # the services do for a case they open.
        case = super()._create(model_class, *args, **kwargs)
        case_search_terms_refresh(cases=[case])
        case_opened_summarise(case=case)
        return case

    @factory.post_generation
    def care_team(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.care_team.set(extracted)

    @factory.post_generation
    def tracked(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tracked_instruments.set(extracted)

    @factory.post_generation
    def off_work(obj, create, extracted, **kwargs):
        """Periods of disability: ``off_work=[(from, through), …]``, or by default one open
        period from ``disability_began``; the services keep statutory MMI in step."""
        if not create:
            return
        periods = extracted
        if periods is None:
            periods = [(obj.disability_began, None)] if obj.disability_began else []
        services.case_update(case=obj, disability_periods=periods)


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment

    case = factory.SubFactory(CaseFactory)
    kind = Treatment.Kind.PHYSICAL_THERAPY
    description = "Physical therapy"
    start_date = factory.LazyAttribute(lambda t: t.case.date_of_injury + timedelta(days=7))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory)
    date = factory.LazyAttribute(lambda a: a.case.date_of_injury + timedelta(days=14))
    clinician = factory.SubFactory(ClinicianFactory)
    pain_score = 5

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the services, which keep the case's last assessment date.
        return services.assessment_save(assessment=model_class(*args, **kwargs), scores={})


class OutcomeScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeScore

    assessment = factory.SubFactory(AssessmentFactory)
    instrument = factory.LazyFunction(lambda: Instrument.objects.get(abbreviation="ODI"))
    value = Decimal("40")
    scale_min = factory.LazyAttribute(lambda s: s.instrument.minimum)
    scale_max = factory.LazyAttribute(lambda s: s.instrument.maximum)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the case's plateau verdict follows its scores.
        score = super()._create(model_class, *args, **kwargs)
        case_plateau_refresh(score.assessment.case_id)
        return score


def odi_tracked(case: Case, values: list[str], *, ending: date) -> Case:
    """The case tracking ODI, scored ``values`` 12, 6 and 0 weeks before ``ending``: a
    plateau, an improvement or a deterioration as the values go."""
    odi = Instrument.objects.get(abbreviation="ODI")
    case.tracked_instruments.set([odi])
    for weeks_ago, value in zip([12, 6, 0], values, strict=True):
        assessment = AssessmentFactory(case=case, date=ending - timedelta(weeks=weeks_ago))
        OutcomeScoreFactory(assessment=assessment, instrument=odi, value=Decimal(value))
    return case


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    case = factory.SubFactory(CaseFactory)
    kind = Diagnostic.Kind.MRI
    date = factory.LazyAttribute(lambda d: d.case.date_of_injury + timedelta(days=20))
    findings = "Disc protrusion at L4-L5."
    stability = Diagnostic.Stability.STABLE
    is_objective_finding = True


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    case = factory.SubFactory(CaseFactory)
    kind = Consultation.Kind.SPECIALIST
    date = factory.LazyAttribute(lambda c: c.case.date_of_injury + timedelta(days=60))
    consultant = "Dr. Ward"
    opinion = "Stable."
    mmi_opinion = Consultation.MMIOpinion.AGREES


class WorkStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkStatus

    case = factory.SubFactory(CaseFactory)
    kind = WorkStatus.Kind.RESTRICTED
    effective_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    expected_through = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    issued_by = factory.SubFactory(ClinicianFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the case's plateau verdict follows its work statuses.
        status = super()._create(model_class, *args, **kwargs)
        case_plateau_refresh(status.case_id)
        return status


class WorkRestrictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkRestriction

    work_status = factory.SubFactory(WorkStatusFactory)
    category = WorkRestriction.Category.LIFT_CARRY
    activity = "lift"
    max_pounds = 20
    frequency = WorkRestriction.Frequency.OCCASIONAL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        restriction = super()._create(model_class, *args, **kwargs)
        case_plateau_refresh(restriction.work_status.case_id)
        return restriction


class DeterminationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Determination

    case = factory.SubFactory(CaseFactory)
    version = factory.Sequence(lambda n: n + 1)
    certifying_clinician = factory.SubFactory(ClinicianFactory)
