"""Demo data: the four textbook cases, a dozen more in every status, and demo users.

Dates are relative to today so the worklists always have something to show. Running the
command again adds nothing: users, organisations and cases are looked up by their keys.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import services
from cases.determination.readiness import load_case_records, saved_steps
from cases.determination.steps import STEPS
from cases.domain.jurisdictions import for_code
from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Consultation,
    Determination,
    Diagnostic,
    Dispute,
    Instrument,
    Language,
    Organisation,
    Patient,
    Role,
    Treatment,
    User,
    WorkRestriction,
    WorkStatus,
)
from cases.services.plateau import plateau_rebuild
from cases.services.second_factor import second_factor_required
from cases.services.summaries import summaries_rebuild
from deliveries.models import Delivery, Recipient
from deliveries.services import certification_recipients_list, delivery_record

DEMO_PASSWORD = "demo-pass-2026"
# The demo's authenticator app, for the roles that must confirm a second factor: add its
# key to an app, or print the code of the moment with `manage.py demo_code`.
DEMO_AUTHENTICATOR_KEY = "4d4d4920547261636b65722064656d6f20323032"

# Where the demo clinic is, as the Texas forms print it (the clinicians' practice details).
DEMO_PRACTICE = {
    "facility_name": "Riverside Occupational Clinic",
    "office_street": "4100 Riverside Pkwy, Suite 210",
    "office_city": "San Antonio",
    "office_state": "TX",
    "office_zip": "78210",
    "office_phone": "(210) 555-0140",
    "office_fax": "(210) 555-0141",
}
# The demo patients' contact details and the last four digits of their (made-up) SSNs.
DEMO_PATIENT_DETAILS = {
    ("John", "Davis"): ("(210) 555-0172", "1187 Mission Rd\nSan Antonio, TX 78214", "4821"),
    ("Maria", "Sanchez"): ("(713) 555-0118", "903 Harbor St\nHouston, TX 77012", "3390"),
    ("Alex", "Thompson"): ("(512) 555-0164", "72 Barton Hills Dr\nAustin, TX 78704", "7016"),
    ("Lisa", "Reed"): ("(210) 555-0139", "15 Alamo Heights Blvd\nSan Antonio, TX 78209", "5542"),
}
# The demo patients who read their letters in Spanish.
DEMO_SPANISH_SPEAKERS = {("Alex", "Thompson")}

DEMO_USERS = [
    # username, first, last, role, organisation name, licence, may certify, may rate
    ("dr.chen", "Emily", "Chen", Role.CLINICIAN, "Riverside Occupational Clinic", "MD", True, True),
    (
        "dr.patel",
        "Raj",
        "Patel",
        Role.CLINICIAN,
        "Riverside Occupational Clinic",
        "DO",
        True,
        False,
    ),
    ("cm.jones", "Karen", "Jones", Role.CASE_MANAGER, None, "", False, False),
    ("adj.lonestar", "Tom", "Baker", Role.ADJUSTER, "Lone Star Mutual", "", False, False),
    ("adj.gulf", "Nina", "Ortiz", Role.ADJUSTER, "Gulf Coast Casualty", "", False, False),
    ("admin", "Ada", "Admin", Role.ADMINISTRATOR, None, "", False, False),
]

ORGANISATIONS = [
    # name, kind, the fax or email address the Texas work status report goes to
    ("Lone Star Mutual", Organisation.Kind.INSURER, "(512) 555-0190"),
    ("Gulf Coast Casualty", Organisation.Kind.INSURER, "claims@gulfcoast.demo.invalid"),
    ("Alamo Freight Lines", Organisation.Kind.EMPLOYER, "(210) 555-0191"),
    ("Bayou Builders", Organisation.Kind.EMPLOYER, "(713) 555-0192"),
    ("Riverside Occupational Clinic", Organisation.Kind.CLINIC, "(210) 555-0141"),
]
# The attorney who represents Carlos Vega in his dispute.
REPRESENTATIVE = {
    "representative_name": "Elena Ruiz, Ruiz & Ortega Law",
    "representative_address": "401 Congress Ave, Suite 1500\nAustin, TX 78701",
    "representative_fax": "(512) 555-0177",
}
# Where the Texas Division of Workers' Compensation receives mail.
DIVISION_ADDRESS = (
    "Texas Department of Insurance, Division of Workers' Compensation\n"
    "PO Box 12050\nAustin, TX 78711-2050"
)


def months_ago(today: date, months: float) -> date:
    return today - timedelta(days=round(months * 30.4))


class Command(BaseCommand):
    help = "Load the demo users, organisations and cases (safe to run more than once)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        self.today = timezone.localdate()
        self.orgs = {
            name: Organisation.objects.get_or_create(name=name, kind=kind, defaults={"fax": fax})[0]
            for name, kind, fax in ORGANISATIONS
        }
        self.users = {row[0]: self._user(*row) for row in DEMO_USERS}
        self.instruments = {i.abbreviation: i for i in Instrument.objects.all()}
        before = Case.objects.count()
        self._john()
        self._maria()
        self._alex()
        self._lisa()
        self._more_cases()
        # The history of the older demo cases is written around the services.
        plateau_rebuild()
        summaries_rebuild()
        added = Case.objects.count() - before
        self.stdout.write(f"Demo data ready ({added} cases added, {Case.objects.count()} in all).")

    def _user(self, username, first, last, role, organisation, licence, certify, rate) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "email": f"{username}@demo.mmi-tracker.invalid",
                "organisation": self.orgs.get(organisation),
                "licence_type": licence,
                "licence_number": f"{licence}-{abs(hash(username)) % 90000 + 10000}"
                if licence
                else "",
                "licence_jurisdiction": "TX" if licence else "",
                "may_certify_mmi": certify,
                "may_rate_impairment": rate,
                **(DEMO_PRACTICE if role == Role.CLINICIAN else {}),
                "is_staff": role == Role.ADMINISTRATOR,
                "is_superuser": role == Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if second_factor_required(user):
            TOTPDevice.objects.get_or_create(
                user=user,
                name="Demo authenticator",
                defaults={"key": DEMO_AUTHENTICATOR_KEY, "confirmed": True},
            )
        return user

    def _case(self, *, claim, patient, insurer, employer, adjuster, clinicians, measures, **fields):
        """The case with this claim number, created (with its history) only if missing."""
        existing = Case.objects.filter(claim_number=claim).first()
        if existing:
            return None
        first, last, born = patient
        phone, address, ssn_last4 = DEMO_PATIENT_DETAILS.get((first, last), ("", "", ""))
        patient_row, _ = Patient.objects.get_or_create(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            defaults={
                "phone": phone,
                "address": address,
                "ssn_last4": ssn_last4,
                "preferred_language": Language.SPANISH
                if (first, last) in DEMO_SPANISH_SPEAKERS
                else Language.ENGLISH,
            },
        )
        off_work = fields.pop("off_work", [])
        return services.case_open(
            disability_periods=off_work,
            opened_by=self.users["cm.jones"],
            patient=patient_row,
            claim_number=claim,
            insurer=self.orgs[insurer],
            employer=self.orgs[employer],
            adjuster=self.users[adjuster],
            care_team=[self.users[name] for name in clinicians],
            tracked=[self.instruments[m] for m in measures],
            **fields,
        )

    def _treat(self, case, kind, description, start, end=None, sessions=None, authorised=True):
        services.treatment_save(
            treatment=Treatment(
                case=case,
                kind=kind,
                description=description,
                start_date=start,
                end_date=end,
                sessions=sessions,
                authorised=authorised,
                provider="Riverside Occupational Clinic",
            )
        )

    def _assess(self, case, when, clinician, pain, findings="", **scores):
        services.assessment_save(
            assessment=Assessment(
                case=case,
                date=when,
                clinician=self.users[clinician],
                pain_score=pain,
                findings=findings,
            ),
            scores={
                self.instruments[name.replace("_", "-")]: (Decimal(str(value)), None)
                for name, value in scores.items()
            },
        )

    def _work_status(self, case, kind, start, end, restrictions=(), explanation=""):
        status = services.work_status_save(
            work_status=WorkStatus(
                case=case,
                kind=kind,
                effective_from=start,
                expected_through=end,
                explanation=explanation,
                visited_on=min(start, self.today),
                visit_type=WorkStatus.VisitType.FOLLOW_UP,
                practitioner_role=WorkStatus.PractitionerRole.TREATING,
                issued_by=self.users["dr.chen"],
            ),
            restrictions=[WorkRestriction(**r) for r in restrictions],
        )
        # The demo's history before MMI Tracker: each status was issued on its "as of" day.
        issued = timezone.make_aware(datetime.combine(min(start, self.today), time(9)))
        WorkStatus.objects.filter(pk=status.pk).update(created_at=issued)

    def _certify(self, case: Case, clinician: str, **answers: dict) -> None:
        """Walk the five steps and the outcome with these answers and sign, as the clinician
        would in the browser: each step's form, then the services."""
        user = self.users[clinician]
        determination = services.determination_start(case=case, started_by=user)
        load_case_records(case)
        for step in STEPS:
            data = self._step_data(step.slug, case, user, answers[step.slug])
            saved = saved_steps(determination).get(step.slug)
            form = step.form(
                {**data, "revision": saved.revision if saved else 0},
                determination=determination,
                case=case,
                saved=saved,
            )
            if not form.is_valid():
                raise CommandError(f"Demo answers for {step.slug} refused: {form.errors}")
            columns, step_answers = step.values(form, case)
            services.determination_save_step(
                determination=determination,
                slug=step.slug,
                columns=columns,
                answers=step_answers,
                expected_revision=form.cleaned_data["revision"],
                saved_by=user,
                **step.service_kwargs(form),
            )
        services.determination_sign(determination=determination, signed_by=user)

    @staticmethod
    def _step_data(slug: str, case: Case, user: User, answers: dict) -> dict:
        """Form data for one step: per-record answers spread over the records on file."""
        data = {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in answers.items()
        }
        if slug == "diagnostics":
            result = data.pop("result")
            data.update({f"diagnostic_{d.pk}": result for d in case.diagnostics.all()})
        elif slug == "consultations":
            opinion, why = data.pop("opinion", ""), data.pop("why", "")
            for consultation in case.consultations.all():
                data[f"consultation_{consultation.pk}"] = opinion
                data[f"consultation_{consultation.pk}_why"] = why
        elif slug == "outcome" and "items" in data:
            # The impairment items table, one row per item (the rating is computed from them).
            rows = data.pop("items")
            data.update({"items-TOTAL_FORMS": len(rows), "items-INITIAL_FORMS": 0})
            for index, row in enumerate(rows):
                data.update({f"items-{index}-{name}": value for name, value in row.items()})
        elif slug == "legal":
            data.update(
                certifying_clinician=user.pk,
                carrier_claim_number=case.claim_number,
                state_claim_number=case.state_claim_number,
            )
        return data

    def _john(self) -> None:
        """Lower back; PT and pain management; MMI after 6 months; permanent restrictions."""
        t = self.today
        injury = months_ago(t, 8)
        case = self._case(
            claim="LSM-2026-0101",
            patient=("John", "Davis", date(1979, 4, 12)),
            insurer="Lone Star Mutual",
            employer="Alamo Freight Lines",
            adjuster="adj.lonestar",
            clinicians=["dr.chen"],
            measures=["ODI", "NPRS"],
            jurisdiction="TX",
            state_claim_number="DWC-26-118204",
            date_of_injury=injury,
            # Off work until the restricted return six months later.
            off_work=[(injury + timedelta(days=1), injury + timedelta(days=182))],
            body_part="lower_back",
            diagnosis_codes="M54.50,S33.5XXA",
            injury_description="Lifted a 70 lb crate from a pallet and felt sharp low back pain.",
            average_weekly_wage=Decimal("1000.00"),
            next_review_date=t + timedelta(days=20),
        )
        if case is None:
            return
        self._treat(
            case,
            Treatment.Kind.PHYSICAL_THERAPY,
            "Lumbar stabilisation programme",
            injury + timedelta(days=10),
            injury + timedelta(days=150),
            36,
        )
        self._treat(
            case,
            Treatment.Kind.PAIN_MANAGEMENT,
            "NSAIDs and activity modification",
            injury + timedelta(days=3),
            injury + timedelta(days=180),
        )
        self._treat(
            case,
            Treatment.Kind.INJECTION,
            "L4-L5 epidural steroid injection",
            injury + timedelta(days=75),
            injury + timedelta(days=75),
            1,
        )
        for weeks, odi, nprs in [
            (2, 62, 8),
            (6, 54, 7),
            (10, 46, 6),
            (15, 40, 5),
            (20, 38, 5),
            (26, 37, 5),
        ]:
            self._assess(
                case,
                injury + timedelta(weeks=weeks),
                "dr.chen",
                nprs,
                "Paraspinal tenderness; flexion limited.",
                ODI=odi,
                NPRS=nprs,
            )
        Diagnostic.objects.create(
            case=case,
            kind=Diagnostic.Kind.MRI,
            date=injury + timedelta(days=30),
            body_part="Lumbar spine",
            stability=Diagnostic.Stability.STABLE,
            findings="L4-L5 disc protrusion without nerve root compression.",
            is_objective_finding=True,
        )
        Consultation.objects.create(
            case=case,
            kind=Consultation.Kind.SPECIALIST,
            date=injury + timedelta(days=160),
            consultant="Dr. Helen Ward",
            specialty="Physical medicine and rehabilitation",
            opinion="No surgical lesion. Further passive therapy unlikely to help.",
            mmi_opinion=Consultation.MMIOpinion.AGREES,
        )
        self._work_status(
            case,
            WorkStatus.Kind.RESTRICTED,
            injury + timedelta(days=183),
            t + timedelta(days=180),
            restrictions=[
                {
                    "category": WorkRestriction.Category.LIFT_CARRY,
                    "activity": "lift",
                    "max_pounds": 20,
                    "frequency": WorkRestriction.Frequency.OCCASIONAL,
                    "is_permanent": True,
                },
                {
                    "category": WorkRestriction.Category.POSTURE,
                    "activity": "bend",
                    "max_hours_per_day": Decimal("1"),
                    "is_permanent": True,
                },
            ],
        )
        exam = injury + timedelta(weeks=26)
        self._certify(
            case,
            "dr.chen",
            clinical={
                "exam_date": exam,
                "diagnosis_codes": "M54.50, S33.5XXA",
                "history": "Lifted a 70 lb crate and felt sharp low back pain. Six months of "
                "lumbar stabilisation, NSAIDs and one epidural steroid injection.",
                "complaints": "Low back ache after an hour of sitting; no leg pain.",
                "objective_findings": "Paraspinal tenderness at L4-L5; flexion to 60 degrees; "
                "straight leg raise negative; neurology intact.",
                "functional_status": "Walks and drives without limit; lifts 20 lb from waist.",
                "psychological_readiness": "ready",
            },
            therapy={
                "interpretation": "ODI fell from 62 to 40 in fifteen weeks, then moved by 3 "
                "points in eleven weeks: below its MCID of 10. Pain steady at 5.",
                "improving_under_authorised_treatment": "no",
            },
            diagnostics={
                "result": "stable",
                "objective_findings": "MRI: L4-L5 disc protrusion without root compression.",
            },
            consultations={
                "opinion": "agrees",
                "why": "No surgical lesion; passive therapy exhausted. I agree.",
                "designated_doctor_examined": "no",
            },
            legal={"certifier_role": "treating", "mmi_type": "clinical", "guides_edition": "4th"},
            outcome={
                "mmi_reached": "yes",
                "mmi_date": exam,
                "impairment_finding": "rated",
                "items": [
                    {
                        "region": "Lumbar spine",
                        "level": "whole_person",
                        "value": 5,
                        "method": "Table 72, DRE lumbosacral category II",
                        "mode": "combine",
                    },
                ],
                "mmi_unconditional": "on",
                # As the outcome step pre-fills them from his status: the work status the
                # signing issues keeps each row's detail.
                "permanent_restrictions": "lift, max 20 lb, occasionally\nbend, max 1 h/day",
                "future_care": "Home exercise programme; NSAIDs as needed; two visits a year.",
                "return_to_work": "Return to work with the permanent restrictions.",
                "rationale": "Function has not changed materially for eleven weeks despite "
                "adherence to therapy, the MRI is stable and the specialist finds no surgical "
                "lesion: further material recovery is not expected. DRE lumbar category II.",
            },
        )

    def _maria(self) -> None:
        """Knee surgery; rehab and medication; improving, MMI expected 3 months after surgery."""
        t = self.today
        injury = months_ago(t, 4)
        surgery = t - timedelta(weeks=10)
        case = self._case(
            claim="LSM-2026-0102",
            patient=("Maria", "Sanchez", date(1986, 9, 3)),
            insurer="Lone Star Mutual",
            employer="Alamo Freight Lines",
            adjuster="adj.lonestar",
            clinicians=["dr.chen", "dr.patel"],
            measures=["LEFS", "NPRS"],
            jurisdiction="TX",
            date_of_injury=injury,
            off_work=[(injury, None)],
            body_part="knee",
            body_side="right",
            diagnosis_codes="S83.511A",
            injury_description="Twisted her right knee stepping off a loading dock.",
            average_weekly_wage=Decimal("820.00"),
            next_review_date=t + timedelta(days=10),
        )
        if case is None:
            return
        self._treat(
            case, Treatment.Kind.SURGERY, "Arthroscopic ACL reconstruction", surgery, surgery
        )
        self._treat(
            case,
            Treatment.Kind.PHYSICAL_THERAPY,
            "Post-operative knee rehabilitation",
            surgery + timedelta(days=7),
            None,
            24,
        )
        self._treat(case, Treatment.Kind.MEDICATION, "Analgesics as needed", surgery, None)
        for weeks_ago, lefs, nprs in [(11, 22, 7), (7, 31, 6), (4, 42, 4), (1, 53, 3)]:
            self._assess(
                case,
                t - timedelta(weeks=weeks_ago),
                "dr.chen",
                nprs,
                "Effusion resolving; range of motion improving.",
                LEFS=lefs,
                NPRS=nprs,
            )
        self._work_status(
            case,
            WorkStatus.Kind.OFF_WORK,
            surgery,
            t + timedelta(days=5),
            explanation="Recovering from knee reconstruction; no seated duties available.",
        )

    def _alex(self) -> None:
        """Carpal tunnel; surgery and exercises; stable 2 months after surgery."""
        t = self.today
        injury = months_ago(t, 7)
        surgery = months_ago(t, 3)
        case = self._case(
            claim="GCC-2026-0201",
            patient=("Alex", "Thompson", date(1990, 1, 22)),
            insurer="Gulf Coast Casualty",
            employer="Bayou Builders",
            adjuster="adj.gulf",
            clinicians=["dr.patel"],
            measures=["QuickDASH", "NPRS"],
            jurisdiction="TX",
            date_of_injury=injury,
            off_work=[(injury + timedelta(days=20), None)],
            body_part="wrist_hand",
            body_side="right",
            diagnosis_codes="G56.01",
            injury_description="Numbness and tingling after years of repetitive tool use.",
            average_weekly_wage=Decimal("760.00"),
            next_review_date=t - timedelta(days=3),
        )
        if case is None:
            return
        self._treat(case, Treatment.Kind.SURGERY, "Open carpal tunnel release", surgery, surgery)
        self._treat(
            case,
            Treatment.Kind.HOME_EXERCISE,
            "Tendon gliding and grip exercises",
            surgery + timedelta(days=10),
            None,
        )
        for when, qd, nprs in [
            (surgery - timedelta(days=20), 68, 7),
            (surgery + timedelta(weeks=3), 45, 4),
            (surgery + timedelta(weeks=6), 32, 3),
            (surgery + timedelta(weeks=9), 30, 3),
            (surgery + timedelta(weeks=12), 29, 3),
        ]:
            self._assess(
                case,
                when,
                "dr.patel",
                nprs,
                "Partial relief; grip strength stable.",
                QuickDASH=qd,
                NPRS=nprs,
            )
        Diagnostic.objects.create(
            case=case,
            kind=Diagnostic.Kind.EMG_NCS,
            date=injury + timedelta(days=40),
            body_part="Right wrist",
            findings="Moderate median neuropathy at the wrist.",
            stability=Diagnostic.Stability.NOT_COMPARED,
            is_objective_finding=True,
        )
        exam = surgery + timedelta(weeks=12)
        # Dr Patel may certify MMI but is not certified to rate: MMI with no impairment.
        self._certify(
            case,
            "dr.patel",
            clinical={
                "exam_date": exam,
                "diagnosis_codes": "G56.01",
                "history": "Numbness and tingling after years of repetitive tool use; open "
                "carpal tunnel release three months ago, then tendon gliding exercises.",
                "complaints": "Occasional tingling in the index finger at night.",
                "objective_findings": "Healed scar; Tinel and Phalen negative; two-point "
                "discrimination 5 mm; grip equal to the left.",
                "functional_status": "Uses hand tools for a full shift.",
                "psychological_readiness": "ready",
            },
            therapy={
                "interpretation": "QuickDASH fell from 68 to 32 in the six weeks after surgery, "
                "then by 3 points in six weeks. Pain steady at 3.",
                "improving_under_authorised_treatment": "no",
            },
            diagnostics={
                "result": "stable",
                "objective_findings": "EMG/NCS before surgery: median neuropathy at the wrist.",
            },
            consultations={"designated_doctor_examined": "no"},
            legal={"certifier_role": "treating", "mmi_type": "clinical", "guides_edition": "4th"},
            outcome={
                "mmi_reached": "yes",
                "mmi_date": exam,
                "impairment_finding": "none",
                "mmi_unconditional": "on",
                "future_care": "Home exercises for another month.",
                "return_to_work": "Full duty.",
                "rationale": "Symptoms resolved after release, examination is normal and "
                "function has been stable for six weeks: no permanent impairment.",
            },
        )

    def _lisa(self) -> None:
        """Shoulder tear; PT and steroid injections; plateau at 4 months; chronic pain."""
        t = self.today
        injury = months_ago(t, 5)
        case = self._case(
            claim="GCC-2026-0202",
            patient=("Lisa", "Reed", date(1975, 6, 30)),
            insurer="Gulf Coast Casualty",
            employer="Bayou Builders",
            adjuster="adj.gulf",
            clinicians=["dr.chen"],
            measures=["QuickDASH", "NPRS"],
            jurisdiction="TX",
            date_of_injury=injury,
            off_work=[(injury + timedelta(days=2), None)],
            body_part="shoulder",
            body_side="left",
            diagnosis_codes="M75.112",
            injury_description="Fell from a ladder onto her outstretched left arm.",
            average_weekly_wage=Decimal("940.00"),
            next_review_date=t + timedelta(days=3),
        )
        if case is None:
            return
        self._treat(
            case,
            Treatment.Kind.PHYSICAL_THERAPY,
            "Rotator cuff strengthening",
            injury + timedelta(days=7),
            None,
            30,
        )
        self._treat(
            case,
            Treatment.Kind.INJECTION,
            "Subacromial corticosteroid injection",
            injury + timedelta(days=45),
            injury + timedelta(days=45),
            1,
        )
        self._treat(
            case,
            Treatment.Kind.INJECTION,
            "Second subacromial corticosteroid injection",
            injury + timedelta(days=90),
            injury + timedelta(days=90),
            1,
        )
        for weeks, qd, nprs in [
            (1, 70, 7),
            (5, 58, 6),
            (9, 50, 5),
            (13, 49, 5),
            (17, 48, 5),
            (20, 48, 5),
        ]:
            self._assess(
                case,
                injury + timedelta(weeks=weeks),
                "dr.chen",
                nprs,
                "Painful arc 70–120°; weakness in external rotation.",
                QuickDASH=qd,
                NPRS=nprs,
            )
        Diagnostic.objects.create(
            case=case,
            kind=Diagnostic.Kind.MRI,
            date=injury + timedelta(days=21),
            body_part="Left shoulder",
            findings="Partial-thickness supraspinatus tear.",
            stability=Diagnostic.Stability.STABLE,
            is_objective_finding=True,
        )
        # In force since before her plateau window: her restrictions have not changed.
        self._work_status(
            case,
            WorkStatus.Kind.RESTRICTED,
            injury + timedelta(days=30),
            t + timedelta(days=4),
            restrictions=[
                {
                    "category": WorkRestriction.Category.MOTION,
                    "activity": "overhead reach",
                    "body_part": "shoulder",
                    "side": "left",
                    "frequency": WorkRestriction.Frequency.NEVER,
                },
                {
                    "category": WorkRestriction.Category.LIFT_CARRY,
                    "activity": "lift",
                    "max_pounds": 10,
                    "frequency": WorkRestriction.Frequency.OCCASIONAL,
                },
            ],
        )

    def _more_cases(self) -> None:
        """A dozen more cases spread over every status, both insurers and both clinicians."""
        t = self.today
        people = [
            ("Robert", "King"),
            ("Angela", "Price"),
            ("Marcus", "Hill"),
            ("Sofia", "Nguyen"),
            ("Derek", "Long"),
            ("Priya", "Shah"),
            ("Carlos", "Vega"),
            ("Hannah", "Moore"),
            ("Owen", "Brooks"),
            ("Grace", "Kim"),
            ("Victor", "Lopez"),
            ("Tara", "Wells"),
        ]
        statuses = [
            CaseStatus.OPEN,
            CaseStatus.IN_TREATMENT,
            CaseStatus.IN_TREATMENT,
            CaseStatus.MMI_REVIEW,
            CaseStatus.AT_MMI,
            CaseStatus.AT_MMI,
            CaseStatus.DISPUTED,
            CaseStatus.REOPENED,
            CaseStatus.CLOSED,
            CaseStatus.IN_TREATMENT,
            CaseStatus.OPEN,
            CaseStatus.CLOSED,
        ]
        parts = ["neck", "elbow", "ankle_foot", "hip", "knee", "lower_back"]
        codes = ["M54.2", "M77.11", "S93.401A", "S73.101A", "M23.91", "M51.26"]
        measures = {
            "neck": "NDI",
            "elbow": "QuickDASH",
            "ankle_foot": "LEFS",
            "hip": "LEFS",
            "knee": "LEFS",
            "lower_back": "ODI",
        }
        for n, ((first, last), status) in enumerate(zip(people, statuses, strict=True)):
            lone_star = n % 2 == 0
            part = parts[n % len(parts)]
            # Sofia's Texas claim is old enough for statutory MMI to fall within 8 weeks.
            injury = t - timedelta(days=690 if first == "Sofia" else 60 + 37 * n)
            case = self._case(
                claim=f"{'LSM' if lone_star else 'GCC'}-2026-{300 + n:04d}",
                patient=(first, last, date(1970 + n, 1 + n % 12, 1 + n)),
                insurer="Lone Star Mutual" if lone_star else "Gulf Coast Casualty",
                employer="Alamo Freight Lines" if lone_star else "Bayou Builders",
                adjuster="adj.lonestar" if lone_star else "adj.gulf",
                clinicians=["dr.chen" if n % 3 else "dr.patel"],
                measures=[measures[part], "NPRS"],
                jurisdiction="TX" if n % 4 else "FL",
                date_of_injury=injury,
                off_work=[(injury + timedelta(days=1), None)],
                body_part=part,
                diagnosis_codes=codes[n % len(codes)],
                average_weekly_wage=Decimal(700 + 25 * n),
                next_review_date=t + timedelta(days=(n % 5) * 7 - 7),
                **(REPRESENTATIVE if first == "Carlos" else {}),
            )
            if case is None:
                continue
            if status != CaseStatus.OPEN:
                self._treat(
                    case,
                    Treatment.Kind.PHYSICAL_THERAPY,
                    "Therapy programme",
                    injury + timedelta(days=7),
                    None,
                    12,
                )
            # The demo's history before MMI Tracker: statuses reached elsewhere are recorded
            # as they stand today.
            Case.objects.filter(pk=case.pk).update(status=status)
            self._determination_history(case, status, injury)

    def _delivered(self, determination: Determination, *, on: date) -> None:
        """The certification's distribution list, each copy sent the day it was signed: the
        carrier's, the employer's and the representative's to the fax number or address on
        file, the others by mail where an address is on file, otherwise by hand."""
        case = determination.case
        for recipient in certification_recipients_list(determination=determination):
            faxes: dict[str, str] = {
                Recipient.PartyChoice.CARRIER: case.insurer.fax,
                Recipient.PartyChoice.EMPLOYER: case.employer.fax,
                Recipient.PartyChoice.REPRESENTATIVE: case.representative_fax,
            }
            if fax := faxes.get(recipient.party, ""):
                address = fax
                method = Delivery.Method.EMAIL if "@" in address else Delivery.Method.FAX
            else:
                addresses: dict[str, str] = {
                    Recipient.PartyChoice.EMPLOYEE: case.patient.address,
                    Recipient.PartyChoice.DIVISION: DIVISION_ADDRESS,
                }
                address = addresses.get(recipient.party, "")
                method = Delivery.Method.MAIL if address else Delivery.Method.HAND
            delivery_record(
                recipient=recipient,
                method=method,
                delivered_on=on,
                address=address,
                recorded_by=self.users["cm.jones"],
            )

    def _determination_history(self, case: Case, status: str, injury: date) -> None:
        """Signed certifications for the cases at MMI (with the MMI date the case list and
        the time-to-MMI page read) and a dispute due soon for the disputed one; for the case
        in MMI review, a draft started ten days ago and not signed yet."""
        if status == CaseStatus.MMI_REVIEW:
            clinician = case.care_team.first()
            assert clinician is not None  # every demo case has a clinician on its care team
            draft = services.determination_start(case=case, started_by=clinician)
            Determination.objects.filter(pk=draft.pk).update(
                started_at=timezone.now() - timedelta(days=10)
            )
            return
        if status not in {CaseStatus.AT_MMI, CaseStatus.CLOSED, CaseStatus.DISPUTED}:
            return
        t = self.today
        mmi_date = injury + timedelta(days=(injury.toordinal() % 5) * 20 + 45)
        window = for_code(case.jurisdiction).dispute_deadline(mmi_date)
        determination = Determination(
            case=case,
            version=1,
            status=Determination.Status.SIGNED,
            certifying_clinician=self.users["dr.chen"],
            jurisdiction=case.jurisdiction,
            exam_date=mmi_date,
            diagnosis_codes=case.diagnosis_codes,
            mmi_reached=True,
            certifier_role=Determination.CertifierRole.TREATING,
            guides_edition=for_code(case.jurisdiction).default_guides_edition,
            mmi_type=Determination.MMIType.CLINICAL,
            mmi_date=mmi_date,
            impairment_finding=Determination.ImpairmentFinding.RATED,
            impairment_rating=5,
            mmi_unconditional=True,
            rationale="Stable for two months; no further material recovery expected.",
            signed_at=timezone.make_aware(datetime.combine(mmi_date, time(16))),
            dispute_deadline=window.last_day if window else None,
        )
        determination.fingerprint = determination.certified_fingerprint([])
        determination.save()
        Case.objects.filter(pk=case.pk).update(mmi_date=mmi_date)
        self._delivered(determination, on=mmi_date)
        if status == CaseStatus.DISPUTED:
            notice = t - timedelta(days=80)
            services.dispute_record(
                determination=determination,
                disputed_by=Dispute.Party.CARRIER,
                disputed_issue=Dispute.Issue.BOTH,
                notice_date=notice,
                received_on=notice + timedelta(days=30),
                review_requested=Dispute.Review.DESIGNATED_DOCTOR,
                recorded_by=self.users["cm.jones"],
            )
