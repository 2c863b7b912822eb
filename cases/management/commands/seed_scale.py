"""Fill the database with many synthetic cases, fast, to measure the pages at scale.

    manage.py seed_scale --cases 100000

Bulk inserts only (no services, no history rows): a case manager per 150 cases (DESIGN: they
carry 100+ each), a clinician per 100, ten insurers with an adjuster each, every case with a
patient, care team, tracked measures, assessments with scores, a work status, and
determinations and disputes in every state. Dates are relative to today. Running it again
adds more cases under new claim numbers.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from cases.domain.jurisdictions import DisabilityPeriod as DisabilityPeriodDates
from cases.domain.jurisdictions import for_code
from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Determination,
    DisabilityPeriod,
    Dispute,
    Instrument,
    Organisation,
    OutcomeScore,
    Patient,
    Role,
    User,
    WorkStatus,
)
from cases.services.plateau import plateau_rebuild
from cases.services.search import search_terms_rebuild
from cases.services.summaries import summaries_rebuild

CASES_PER_MANAGER = 150
CASES_PER_CLINICIAN = 100
INSURERS = 10
EMPLOYERS = 20
CHUNK = 2000

# status, share of cases
STATUSES = (
    (CaseStatus.OPEN, 5),
    (CaseStatus.IN_TREATMENT, 35),
    (CaseStatus.MMI_REVIEW, 10),
    (CaseStatus.AT_MMI, 22),
    (CaseStatus.DISPUTED, 5),
    (CaseStatus.REOPENED, 3),
    (CaseStatus.CLOSED, 20),
)
JURISDICTIONS = (("TX", 60), ("CA", 15), ("FL", 15), ("NY", 5), ("OK", 5))
# body part, ICD-10 codes, the measure tracked besides NPRS
BODY_PARTS = (
    ("lower_back", ("M54.50", "M51.26", "S33.5XXA"), "ODI"),
    ("neck", ("M54.2", "S13.4XXA"), "NDI"),
    ("shoulder", ("M75.112", "S43.401A"), "QuickDASH"),
    ("wrist_hand", ("G56.01", "S62.101A"), "QuickDASH"),
    ("knee", ("S83.511A", "M23.91"), "LEFS"),
    ("ankle_foot", ("S93.401A",), "LEFS"),
    ("hip", ("S73.101A",), "LEFS"),
    ("elbow", ("M77.11",), "QuickDASH"),
)
FIRST_NAMES = ("James", "Mary", "Luis", "Aisha", "Wei", "Olga", "Kofi", "Sara", "Ivan", "Mei")
LAST_NAMES = ("Garcia", "Smith", "Nguyen", "Okafor", "Kowalski", "Haddad", "Silva", "Brown")
AT_MMI = {CaseStatus.AT_MMI, CaseStatus.CLOSED, CaseStatus.DISPUTED}
TREATED = {CaseStatus.IN_TREATMENT, CaseStatus.MMI_REVIEW, CaseStatus.REOPENED} | AT_MMI


def _weighted(rng: random.Random, table):
    return rng.choices([value for value, _ in table], weights=[w for _, w in table])[0]


class Command(BaseCommand):
    help = "Bulk-insert many synthetic cases (default 100,000) to measure the pages at scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *args, cases: int, seed: int, verbosity: int, **options) -> None:
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.instruments = {i.abbreviation: i for i in Instrument.objects.all()}
        self._people(cases)
        first = Case.objects.count()
        last_key = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for start in range(0, cases, CHUNK):
            with transaction.atomic():
                self._chunk(first + start, min(CHUNK, cases - start))
            if verbosity > 1:
                self.stdout.write(f"{start + CHUNK} cases…")
        # Bulk inserts go around the services: file and judge the new cases and count them all
        # anew.
        added = Case.objects.filter(pk__gt=last_key)
        search_terms_rebuild(cases=added)
        plateau_rebuild(added)
        summaries_rebuild()
        self.stdout.write(f"{cases} cases added ({Case.objects.count()} in all).")

    def _user(self, username: str, role: str, organisation=None) -> User:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": organisation,
                "first_name": username.split(".")[-2].title(),
                "last_name": username.split(".")[-1],
                "may_certify_mmi": role == Role.CLINICIAN,
                "may_rate_impairment": role == Role.CLINICIAN,
            },
        )
        return user

    def _people(self, cases: int) -> None:
        def org(name, kind):
            return Organisation.objects.get_or_create(name=name, kind=kind)[0]

        self.insurers = [
            org(f"Scale Insurer {n}", Organisation.Kind.INSURER) for n in range(INSURERS)
        ]
        self.employers = [
            org(f"Scale Employer {n}", Organisation.Kind.EMPLOYER) for n in range(EMPLOYERS)
        ]
        self.adjusters = {
            insurer.pk: self._user(f"scale.adjuster.{n}", Role.ADJUSTER, insurer)
            for n, insurer in enumerate(self.insurers)
        }
        self.managers = [
            self._user(f"scale.manager.{n}", Role.CASE_MANAGER)
            for n in range(max(2, cases // CASES_PER_MANAGER))
        ]
        self.clinicians = [
            self._user(f"scale.clinician.{n}", Role.CLINICIAN)
            for n in range(max(3, cases // CASES_PER_CLINICIAN))
        ]

    def _chunk(self, offset: int, count: int) -> None:
        rng, today = self.rng, self.today
        patients = Patient.objects.bulk_create(
            Patient(
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}-{offset + n}",
                date_of_birth=date(
                    1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)
                ),
            )
            for n in range(count)
        )
        cases = []
        for n, patient in enumerate(patients):
            status = _weighted(rng, STATUSES)
            part, codes, _ = rng.choice(BODY_PARTS)
            injured = today - timedelta(days=rng.randrange(30, 1100))
            insurer = rng.choice(self.insurers)
            mmi = None
            if status in AT_MMI:
                mmi = injured + timedelta(days=rng.randrange(60, 700))
                if mmi > today:  # spread over the days since the injury, not piled on today
                    mmi = injured + timedelta(days=rng.randrange(1, (today - injured).days + 1))
            cases.append(
                Case(
                    patient=patient,
                    claim_number=f"SC-{offset + n:08d}",
                    jurisdiction=_weighted(rng, JURISDICTIONS),
                    date_of_injury=injured,
                    disability_began=injured + timedelta(days=rng.randrange(0, 4)),
                    body_part=part,
                    diagnosis_codes=rng.choice(codes),
                    employer=rng.choice(self.employers),
                    insurer=insurer,
                    case_manager=rng.choice(self.managers),
                    adjuster=self.adjusters[insurer.pk],
                    average_weekly_wage=Decimal(rng.randrange(500, 1500)),
                    status=status,
                    next_review_date=today + timedelta(days=rng.randrange(-30, 90)),
                    mmi_date=mmi,
                    has_clinician=True,  # the care team is written below
                )
            )
        cases = Case.objects.bulk_create(cases)
        self._disability(cases)
        team, tracked = [], []
        # Each case's care team (the first certifies) and tracked measures, by case id.
        members: dict[int, list[User]] = {}
        measures: dict[int, list[Instrument]] = {}
        for case in cases:
            members[case.pk] = rng.sample(self.clinicians, 2 if rng.random() < 0.3 else 1)
            team += [Case.care_team.through(case=case, user=user) for user in members[case.pk]]
            measure = next(m for p, _, m in BODY_PARTS if p == case.body_part)
            measures[case.pk] = [self.instruments[measure], self.instruments["NPRS"]]
            tracked += [
                Case.tracked_instruments.through(case=case, instrument=instrument)
                for instrument in measures[case.pk]
            ]
        Case.care_team.through.objects.bulk_create(team)
        Case.tracked_instruments.through.objects.bulk_create(tracked)
        self._clinical(cases, members, measures)
        self._determinations(cases, members)

    def _clinical(
        self,
        cases: list[Case],
        members: dict[int, list[User]],
        measures: dict[int, list[Instrument]],
    ) -> None:
        rng, today = self.rng, self.today
        assessments, plans, statuses = [], [], []
        for case in cases:
            if case.status not in TREATED:
                continue
            end = case.mmi_date or today
            visits = rng.randrange(2, 9)
            span = max(1, (end - case.date_of_injury).days)
            plateau = rng.random() < 0.3
            for visit in range(visits):
                day = case.date_of_injury + timedelta(days=7 + span * visit // visits)
                if day > today:
                    break
                progress = min(visit, 2) if plateau else visit
                assessments.append(
                    Assessment(
                        case=case,
                        date=day,
                        clinician=members[case.pk][0],
                        pain_score=max(0, 8 - progress),
                    )
                )
                plans.append((case, progress))
            kind = rng.choice([WorkStatus.Kind.RESTRICTED, WorkStatus.Kind.OFF_WORK])
            starts = min(today, case.date_of_injury + timedelta(days=14))
            statuses.append(
                WorkStatus(
                    case=case,
                    kind=kind,
                    effective_from=starts,
                    expected_through=max(starts, today + timedelta(days=rng.randrange(-20, 60))),
                    issued_by=members[case.pk][0],
                )
            )
        assessments = Assessment.objects.bulk_create(assessments)
        Case.objects.filter(pk__in=[case.pk for case in cases]).refresh_last_assessed()
        scores = []
        for assessment, (case, progress) in zip(assessments, plans, strict=True):
            for instrument in measures[case.pk]:
                scores.append(self._score(assessment, instrument, progress))
        OutcomeScore.objects.bulk_create(scores, batch_size=5000)
        WorkStatus.objects.bulk_create(statuses)

    def _score(self, assessment: Assessment, instrument: Instrument, progress: int) -> OutcomeScore:
        # Start a fifth of the way from the bad end; each visit moves 15 % of the range
        # towards the good end, for four visits at most.
        worst, best = (
            (instrument.minimum, instrument.maximum)
            if instrument.higher_is_better
            else (instrument.maximum, instrument.minimum)
        )
        share = Decimal("0.2") + Decimal("0.15") * min(progress, 4)
        value = worst + (best - worst) * share
        return OutcomeScore(
            assessment=assessment,
            instrument=instrument,
            value=value.quantize(Decimal("0.01")),
            scale_min=instrument.minimum,
            scale_max=instrument.maximum,
        )

    def _disability(self, cases: list[Case]) -> None:
        """One open period of disability from each case's first day off, and the statutory
        MMI date the jurisdiction's rule gives it (bulk writes: the services do this one
        case at a time)."""
        periods = []
        for case in cases:
            began = case.disability_began
            assert began is not None  # _chunk gives every case one
            periods.append(DisabilityPeriod(case=case, began=began))
            rule = for_code(case.jurisdiction).statutory_mmi([DisabilityPeriodDates(began)])
            case.statutory_mmi_date = rule.mmi_date if rule else None
        DisabilityPeriod.objects.bulk_create(periods, batch_size=5000)
        Case.objects.bulk_update(cases, ["statutory_mmi_date"], batch_size=5000)

    def _determinations(self, cases: list[Case], members: dict[int, list[User]]) -> None:
        rng, today = self.rng, self.today
        rows, disputes, amended = [], [], []
        drafts: list[tuple[Determination, date]] = []  # each with the day it was started
        for case in cases:
            clinician = members[case.pk][0]
            if case.status in AT_MMI and rng.random() < 0.1:
                # An amended certification: v1 superseded by v2, which is in force.
                first = self._signed(case, clinician, version=1, mmi_date=case.mmi_date)
                first.status = Determination.Status.SUPERSEDED
                first.impairment_rating = None
                rows.append(first)
                signed = self._signed(case, clinician, version=2, mmi_date=case.mmi_date)
                amended.append((first, signed))
                if case.status == CaseStatus.DISPUTED:
                    disputes.append((case, signed))
            elif case.status in AT_MMI:
                signed = self._signed(case, clinician, version=1, mmi_date=case.mmi_date)
                rows.append(signed)
                if case.status == CaseStatus.DISPUTED:
                    disputes.append((case, signed))
            elif case.status == CaseStatus.REOPENED:
                rescinded = self._signed(
                    case, clinician, version=1, mmi_date=case.date_of_injury + timedelta(days=90)
                )
                rescinded.status = Determination.Status.RESCINDED
                assert rescinded.signed_at is not None  # _signed sets it
                rescinded.rescinded_at = rescinded.signed_at + timedelta(days=30)
                rescinded.rescinded_by = clinician
                rescinded.rescind_category = Determination.RescindReason.SUBSTANTIAL_CHANGE
                rescinded.rescind_reason = "New findings on repeat imaging."
                rows.append(rescinded)
            elif case.status == CaseStatus.MMI_REVIEW:
                draft = Determination(case=case, version=1, certifying_clinician=clinician)
                started_on = today - timedelta(days=rng.randrange(0, 30))
                rows.append(draft)
                drafts.append((draft, started_on))
            elif case.status == CaseStatus.IN_TREATMENT and rng.random() < 0.1:
                not_yet = self._signed(case, clinician, version=1, mmi_date=None)
                not_yet.mmi_reached = False
                not_yet.expected_mmi_date = today + timedelta(days=rng.randrange(30, 120))
                rows.append(not_yet)
        for row in rows:
            if row.status != Determination.Status.DRAFT:
                row.fingerprint = row.certified_fingerprint([])
        rows = Determination.objects.bulk_create(rows)
        for first, second in amended:
            second.supersedes = first
            second.fingerprint = second.certified_fingerprint([])
        Determination.objects.bulk_create(second for _, second in amended)
        for draft, started_on in drafts:
            draft.started_at = timezone.make_aware(datetime.combine(started_on, time(9)))
        Determination.objects.bulk_update(
            [draft for draft, _ in drafts], ["started_at"], batch_size=1000
        )
        Dispute.objects.bulk_create(
            self._dispute(case, determination) for case, determination in disputes
        )

    def _dispute(self, case: Case, determination: Determination) -> Dispute:
        """A carrier's dispute received in time, as the services would record it."""
        notice = max(
            timezone.localdate(determination.signed_at),
            self.today - timedelta(days=self.rng.randrange(0, 100)),
        )
        window = for_code(case.jurisdiction).dispute_deadline(notice)
        return Dispute(
            case=case,
            determination=determination,
            disputed_by=Dispute.Party.CARRIER,
            notice_date=notice,
            received_on=min(self.today, notice + timedelta(days=30)),
            deadline=window.last_day if window else None,
            deadline_next_working_day=window.next_working_day if window else None,
            review_requested=Dispute.Review.DESIGNATED_DOCTOR,
            recorded_by=case.case_manager,
        )

    def _signed(self, case: Case, clinician: User, *, version: int, mmi_date) -> Determination:
        day = min(self.today, (mmi_date or self.today) + timedelta(days=self.rng.randrange(0, 10)))
        rules = for_code(case.jurisdiction)
        window = rules.dispute_deadline(day)
        # 0 draws "no permanent impairment" here, so both determinations appear.
        rating = self.rng.randrange(0, 25) if mmi_date else None
        return Determination(
            case=case,
            version=version,
            status=Determination.Status.SIGNED,
            certifying_clinician=clinician,
            jurisdiction=case.jurisdiction,
            exam_date=mmi_date,
            diagnosis_codes=case.diagnosis_codes,
            mmi_reached=mmi_date is not None,
            mmi_type=Determination.MMIType.CLINICAL if mmi_date else "",
            mmi_date=mmi_date,
            impairment_finding=(
                ""
                if not mmi_date
                else Determination.ImpairmentFinding.NONE
                if rating == 0
                else Determination.ImpairmentFinding.RATED
            ),
            impairment_rating=rating or None,
            mmi_unconditional=mmi_date is not None,
            certifier_role=Determination.CertifierRole.TREATING,
            guides_edition=rules.default_guides_edition,
            statutory_mmi_date=case.statutory_mmi_date,
            signed_at=timezone.make_aware(datetime.combine(day, time(15))),
            dispute_deadline=window.last_day if window else None,
        )
