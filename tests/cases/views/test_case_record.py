"""The case record: opening cases, adding records, refusing bad input, query counts."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.domain.dates import day_label
from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Consultation,
    Diagnostic,
    DisabilityPeriod,
    Instrument,
    Organisation,
    OutcomeScore,
    Patient,
    Treatment,
    WorkStatus,
)
from cases.selectors.cases import case_page, case_timeline, case_with_records
from cases.selectors.outcomes import case_outcome_trends, case_outcome_trends_from_scores
from tests.support.factories import (
    AssessmentFactory,
    CaseFactory,
    ConsultationFactory,
    DiagnosticFactory,
    OrganisationFactory,
    OutcomeScoreFactory,
    PatientFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

TODAY = timezone.localdate


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Case,
            Patient,
            Treatment,
            Assessment,
            OutcomeScore,
            Diagnostic,
            Consultation,
            WorkStatus,
            DisabilityPeriod,
        )
    }


def open_case_data(cast, **overrides):
    employer = OrganisationFactory(kind=Organisation.Kind.EMPLOYER)
    data = {
        "patient-first_name": "Rosa",
        "patient-last_name": "Diaz",
        "patient-date_of_birth": "1984-02-29",
        "case-claim_number": "LSM-NEW-1",
        "case-jurisdiction": "TX",
        "case-date_of_injury": str(TODAY() - timedelta(days=30)),
        # One period off work, still going on.
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "20",
        "periods-0-began": str(TODAY() - timedelta(days=29)),
        "periods-0-ended": "",
        "case-body_part": "knee",
        "case-diagnosis_codes": "s83.511a, M23.91",
        "case-employer": employer.pk,
        "case-insurer": cast.case.insurer.pk,
        "case-adjuster": cast.adjuster.pk,
        "case-care_team": [cast.clinician.pk],
        "case-tracked_instruments": [Instrument.objects.get(abbreviation="LEFS").pk],
    }
    data.update(overrides)
    return data


def test_case_manager_opens_a_case_for_a_new_patient(cast, client):
    client.force_login(cast.case_manager)
    response = client.post(reverse("case-open"), open_case_data(cast))
    case = Case.objects.get(claim_number="LSM-NEW-1")
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.case_manager == cast.case_manager
    assert case.status == CaseStatus.OPEN
    assert case.diagnosis_codes == "S83.511A,M23.91"
    assert list(case.care_team.all()) == [cast.clinician]
    began = TODAY() - timedelta(days=29)
    assert list(case.disability_periods.values_list("began", "ended")) == [(began, None)]
    # Kept from the periods by the services: the first day off work and statutory MMI.
    assert case.disability_began == began
    assert case.statutory_mmi_date == began + timedelta(days=7 + 728)
    page = client.get(case.get_absolute_url())
    assert "Rosa Diaz" in page.content.decode()


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"case-date_of_injury": str(TODAY() + timedelta(days=1))},
            "date_of_injury",
            "The date of injury cannot be in the future.",
        ),
        (
            {"periods-0-began": "2000-01-01"},
            "disability_periods",
            "A period of disability cannot begin (1 Jan 2000) before the date of injury (",
        ),
        ({"case-diagnosis_codes": "M54.5X"}, "diagnosis_codes", "is not an ICD-10 code"),
        (
            {"case-diagnosis_codes": "S43.432"},
            "diagnosis_codes",
            "S43.432 (Superior glenoid labrum lesion of left shoulder) needs a 7th character, "
            "the encounter: A (initial encounter); D (subsequent encounter); S (sequela)",
        ),
        (
            {"case-diagnosis_codes": "M54.5"},
            "diagnosis_codes",
            "M54.5 (Low back pain) is not a billable code: it has more specific codes. Use one "
            "of: M54.50 Low back pain, unspecified; M54.51 Vertebrogenic low back pain; "
            "M54.59 Other low back pain.",
        ),
        (
            {"case-diagnosis_codes": "S83.511A, Q99.99"},
            "diagnosis_codes",
            "“Q99.99” is not in the ICD-10-CM code set",
        ),
        ({"case-jurisdiction": "ZZ"}, "jurisdiction", "Select a valid choice"),
        ({"case-claim_number": ""}, "claim_number", "This field is required."),
        (
            {"patient-date_of_birth": str(TODAY() + timedelta(days=3))},
            "date_of_birth",
            "The date of birth cannot be in the future.",
        ),
    ],
)
def test_bad_case_input_is_refused_and_nothing_saved(cast, client, overrides, field, message):
    client.force_login(cast.case_manager)
    before = row_counts()
    data = open_case_data(cast, **overrides)
    response = client.post(reverse("case-open"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert row_counts() == before
    # What was typed is still in the form.
    assert 'value="Rosa"' in response.content.decode()


def test_disability_before_the_injury_is_refused_above_the_periods(cast, client):
    client.force_login(cast.case_manager)
    before = row_counts()
    injury = TODAY() - timedelta(days=30)
    response = client.post(
        reverse("case-open"), open_case_data(cast, **{"periods-0-began": "2000-01-01"})
    )
    page = response.content.decode()
    message = (
        f"A period of disability cannot begin (1 Jan 2000) before the date of injury "
        f"({day_label(injury)})."
    )
    assert response.status_code == 200
    assert "The case was not opened" in page
    assert page.index(message) < page.index('name="periods-0-began"')
    assert row_counts() == before


def test_adjuster_of_another_insurer_cannot_be_assigned(cast, client):
    client.force_login(cast.case_manager)
    before = row_counts()
    response = client.post(
        reverse("case-open"), open_case_data(cast, **{"case-adjuster": cast.other_adjuster.pk})
    )
    assert "does not work for" in response.content.decode()
    assert row_counts() == before


def test_case_manager_assigns_a_clinician(cast, client):
    newcomer = cast.other_clinician
    client.force_login(cast.case_manager)
    url = reverse("case-edit", args=[cast.case.pk])
    page = client.get(url)
    form = page.context["form"]
    data = {f"case-{name}": value for name, value in form.initial.items() if value is not None}
    # The periods of disability as the page shows them, posted back unchanged.
    periods = page.context["periods"]
    data.update({f"periods-{k}": v for k, v in periods.management_form.initial.items()})
    for index, period in enumerate(periods.forms):
        for name, value in period.initial.items():
            data[f"periods-{index}-{name}"] = "" if value is None else str(value)
    kept = list(cast.case.disability_periods.values_list("began", "ended"))
    data["case-care_team"] = [cast.clinician.pk, newcomer.pk]
    data["case-tracked_instruments"] = []
    data["case-diagnosis_codes"] = cast.case.diagnosis_codes
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    data["case-care_team"] = [cast.clinician.pk, newcomer.pk]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(cast.case.care_team.all()) == {cast.clinician, newcomer}
    assert list(cast.case.disability_periods.values_list("began", "ended")) == kept
    client.force_login(newcomer)
    assert client.get(cast.case.get_absolute_url()).status_code == 200


def test_first_treatment_moves_an_open_case_into_treatment(cast, client):
    client.force_login(cast.clinician)
    response = client.post(
        reverse("record-add", args=[cast.case.pk, "treatments"]),
        {"kind": "pt", "description": "Core stability", "start_date": str(TODAY())},
    )
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.IN_TREATMENT


@pytest.mark.parametrize(
    "kind,data,message",
    [
        (
            "treatments",
            {
                "kind": "pt",
                "description": "PT",
                "start_date": "2026-03-10",
                "end_date": "2026-03-01",
            },
            "The end date cannot be before the start date.",
        ),
        (
            "treatments",
            {"kind": "laser", "description": "PT", "start_date": "2026-03-10"},
            "Select a valid choice",
        ),
        (
            "treatments",
            {"kind": "pt", "description": "", "start_date": "2026-03-10"},
            "This field is required.",
        ),
        (
            "treatments",
            {"kind": "pt", "description": "PT", "start_date": "10/03/2026x"},
            "Enter a valid date.",
        ),
        (
            "diagnostics",
            {
                "kind": "mri",
                "date": str(TODAY() + timedelta(days=2)),
                "findings": "x",
                "stability": "stable",
            },
            "The test date cannot be in the future.",
        ),
        (
            "diagnostics",
            {"kind": "mri", "date": "2026-01-01", "findings": "", "stability": "stable"},
            "This field is required.",
        ),
        (
            "consultations",
            {
                "kind": "ime",
                "date": str(TODAY() + timedelta(days=2)),
                "consultant": "Dr X",
                "opinion": "ok",
                "mmi_opinion": "agrees",
            },
            "The consultation date cannot be in the future.",
        ),
        (
            "consultations",
            {
                "kind": "ime",
                "date": "2026-01-01",
                "consultant": "Dr X",
                "opinion": "ok",
                "mmi_opinion": "maybe",
            },
            "Select a valid choice",
        ),
    ],
)
def test_bad_record_input_is_refused_and_nothing_saved(cast, client, kind, data, message):
    client.force_login(cast.clinician)
    before = row_counts()
    response = client.post(reverse("record-add", args=[cast.case.pk, kind]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert row_counts() == before


def test_editing_a_treatment_with_bad_dates_changes_nothing(cast, client):
    treatment = TreatmentFactory(case=cast.case, description="Original")
    client.force_login(cast.clinician)
    response = client.post(
        reverse("record-edit", args=[cast.case.pk, "treatments", treatment.pk]),
        {
            "kind": "pt",
            "description": "Changed",
            "start_date": "2026-03-10",
            "end_date": "2026-03-01",
        },
    )
    assert response.status_code == 200
    treatment.refresh_from_db()
    assert treatment.description == "Original"


@pytest.fixture
def odi(db):
    return Instrument.objects.get(abbreviation="ODI")


@pytest.fixture
def ndi(db):
    return Instrument.objects.get(abbreviation="NDI")


def test_assessment_records_scores_for_tracked_measures(cast, client, odi, ndi):
    cast.case.tracked_instruments.set([odi, ndi])
    client.force_login(cast.clinician)
    response = client.post(
        reverse("assessment-add", args=[cast.case.pk]),
        {
            "date": str(TODAY()),
            "pain_score": "4",
            f"score_{odi.pk}": "34",
            f"score_{ndi.pk}": "40",
            f"score_{ndi.pk}_scale": "100.00",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=cast.case)
    scores = {s.instrument.abbreviation: (s.value, s.scale_max) for s in assessment.scores.all()}
    assert scores == {
        "ODI": (Decimal("34"), Decimal("100")),
        "NDI": (Decimal("40"), Decimal("100")),
    }
    assert assessment.clinician == cast.clinician


def test_a_new_assessment_is_dated_today_and_its_notes_show_on_the_case_page(cast, client):
    client.force_login(cast.clinician)
    add = reverse("assessment-add", args=[cast.case.pk])
    assert client.get(add).context["form"]["date"].value() == TODAY()

    client.post(
        add,
        {"date": str(TODAY()), "findings": "Full flexion.", "notes": "Asks about driving."},
    )

    page = client.get(cast.case.get_absolute_url()).content.decode()
    assert "Full flexion." in page
    assert "Note: Asks about driving." in page


@pytest.mark.parametrize(
    "value,message",
    [
        ("120", "ODI must be between 0 and 100 %"),
        ("-1", "ODI must be between 0 and 100 %"),
        ("abc", "ODI must be a number."),
    ],
)
def test_score_outside_its_range_is_refused_with_the_range(cast, client, odi, value, message):
    cast.case.tracked_instruments.set([odi])
    client.force_login(cast.clinician)
    before = row_counts()
    response = client.post(
        reverse("assessment-add", args=[cast.case.pk]),
        {"date": str(TODAY()), f"score_{odi.pk}": value},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert row_counts() == before


def test_work_status_with_restrictions_needs_a_real_end_date(cast, client):
    client.force_login(cast.clinician)
    before = row_counts()
    response = client.post(
        reverse("work-status-add", args=[cast.case.pk]),
        {
            "kind": "restricted",
            "effective_from": str(TODAY()),
            "expected_through": "",
            "restrictions-TOTAL_FORMS": "3",
            "restrictions-INITIAL_FORMS": "0",
            "restrictions-0-category": "lift_carry",
            "restrictions-0-activity": "lift",
            "restrictions-0-max_pounds": "20",
            "restrictions-0-frequency": "occasional",
        },
    )
    # The rule's words (cases/domain/work_status.py), not only the field's help text.
    assert "Give the date this status is expected to last through" in response.content.decode()
    assert row_counts() == before


def test_work_status_is_saved_with_its_restrictions(cast, client):
    client.force_login(cast.clinician)
    response = client.post(
        reverse("work-status-add", args=[cast.case.pk]),
        {
            "kind": "restricted",
            "effective_from": str(TODAY()),
            "expected_through": str(TODAY() + timedelta(days=30)),
            "restrictions-TOTAL_FORMS": "3",
            "restrictions-INITIAL_FORMS": "0",
            "restrictions-0-category": "lift_carry",
            "restrictions-0-activity": "lift",
            "restrictions-0-max_pounds": "20",
            "restrictions-0-frequency": "occasional",
            "visited_on": str(TODAY()),
            "visit_type": "initial",
            "practitioner_role": "treating",
        },
    )
    assert response.status_code == 302
    status = WorkStatus.objects.get(case=cast.case)
    assert [str(r) for r in status.restrictions.all()] == ["lift, max 20 lb, occasionally"]
    # The DWC073's visit type and the practitioner's role, asked on the same form.
    assert (status.visit_type, status.practitioner_role) == ("initial", "treating")


@pytest.mark.parametrize(
    "make",
    [
        lambda case: TreatmentFactory(
            case=case, start_date=TODAY(), end_date=TODAY() - timedelta(1)
        ),
        lambda case: OutcomeScoreFactory(
            assessment=AssessmentFactory(case=case), value=Decimal("101")
        ),
        # No period of disability: the row itself is what the database must refuse.
        lambda case: CaseFactory(date_of_injury=TODAY() + timedelta(days=1), off_work=[]),
        lambda case: PatientFactory(date_of_birth=TODAY() + timedelta(days=1)),
        lambda case: DisabilityPeriod.objects.create(
            case=case, began=TODAY(), ended=TODAY() - timedelta(days=1)
        ),
        lambda case: WorkStatusFactory(case=case, kind="off_work", expected_through=None),
    ],
    ids=[
        "treatment-ends-before-start",
        "score-out-of-range",
        "injury-in-future",
        "birth-in-future",
        "period-ends-before-it-begins",
        "off-work-without-end",
    ],
)
def test_database_refuses_impossible_rows(cast, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(cast.case)


def fill_case(case, clinician, n):
    for i in range(n):
        TreatmentFactory(case=case)
        assessment = AssessmentFactory(
            case=case, clinician=clinician, date=case.date_of_injury + timedelta(days=i)
        )
        OutcomeScoreFactory(assessment=assessment)
        DiagnosticFactory(case=case)
        ConsultationFactory(case=case)
        WorkRestrictionFactory(work_status=WorkStatusFactory(case=case, issued_by=clinician))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?assessments=all&timeline=all"], ids=["latest", "all"])
def test_case_page_makes_the_same_queries_with_3_and_30_rows(cast, client, query):
    client.force_login(cast.clinician)
    url = cast.case.get_absolute_url() + query
    fill_case(cast.case, cast.clinician, 3)
    few = count_queries(client, url)
    fill_case(cast.case, cast.clinician, 27)
    assert count_queries(client, url) == few


def test_case_page_makes_the_same_queries_with_30_and_60_assessments(cast, client):
    # Past the 20 assessments and 30 timeline entries the page lists by default.
    client.force_login(cast.clinician)
    url = cast.case.get_absolute_url()
    assess_daily(cast.case, cast.clinician, 30)
    few = count_queries(client, url)
    assess_daily(cast.case, cast.clinician, 30, first_day=31)
    assert count_queries(client, url) == few


# --- a long record: the latest assessments and timeline entries, and "show all" ---------


def assess_daily(case, clinician, n, *, first_day=1):
    """n assessments on consecutive days from `first_day` after the injury, an ODI score each."""
    odi = Instrument.objects.get(abbreviation="ODI")
    case.tracked_instruments.add(odi)
    for day in range(first_day, first_day + n):
        assessment = AssessmentFactory(
            case=case, clinician=clinician, date=case.date_of_injury + timedelta(days=day)
        )
        OutcomeScoreFactory(assessment=assessment, instrument=odi, value=Decimal(60 - day % 30))


def section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}"')
    return page[start : page.index("</section>", start)]


def assessment_dates(page: str) -> list[str]:
    """The dates in the assessments table, in its order."""
    table = section(page, "assessments").split('aria-labelledby="assessments-h"><table')[1]
    return re.findall(r"<tr><td>([^<]*)</td>", table.split("<tbody>")[1])


def timeline_entries(page: str) -> int:
    return section(page, "timeline").count("<li>")


def test_case_page_lists_the_20_latest_assessments_and_links_to_all(cast, client):
    assess_daily(cast.case, cast.clinician, 25)
    days = [day_label(cast.case.date_of_injury + timedelta(days=n)) for n in range(1, 26)]
    client.force_login(cast.clinician)
    url = cast.case.get_absolute_url()

    page = client.get(url).content.decode()
    assert assessment_dates(page) == days[5:]
    assert '<a href="?assessments=all#assessments">Show all 25 assessments</a>' in page
    # The chart's data table still has every score.
    assert section(page, "assessments").count('<tr><td><time datetime="') == 25

    everything = client.get(url, {"assessments": "all"}).content.decode()
    assert assessment_dates(everything) == days
    assert "Show all" not in everything


def test_case_page_lists_the_30_latest_timeline_entries_and_links_to_all(cast, client):
    injury = cast.case.date_of_injury
    assess_daily(cast.case, cast.clinician, 40)
    # Other records on the same days as assessments, early and late in the record.
    TreatmentFactory(
        case=cast.case,
        start_date=injury + timedelta(days=30),
        end_date=injury + timedelta(days=40),
    )
    DiagnosticFactory(case=cast.case, date=injury + timedelta(days=35))
    ConsultationFactory(case=cast.case, date=injury + timedelta(days=2))
    whole = case_timeline(case_with_records(cast.case.pk, cast.clinician))
    # The injury, 40 assessments, the treatment's start and end, a test and an opinion.
    assert len(whole) == 45
    client.force_login(cast.clinician)
    url = cast.case.get_absolute_url()

    response = client.get(url)
    page = response.content.decode()
    assert response.context["timeline"].items == tuple(whole[-30:])
    assert timeline_entries(page) == 30
    assert '<a href="?timeline=all#timeline">Show the whole timeline (45 entries)</a>' in page

    response = client.get(url, {"timeline": "all"})
    assert response.context["timeline"].items == tuple(whole)
    assert timeline_entries(response.content.decode()) == 45
    assert "Show the whole timeline" not in response.content.decode()


def test_showing_all_of_one_list_keeps_all_of_the_other(cast, client):
    assess_daily(cast.case, cast.clinician, 35)
    client.force_login(cast.clinician)
    page = client.get(cast.case.get_absolute_url(), {"timeline": "all"}).content.decode()
    assert (
        '<a href="?assessments=all&amp;timeline=all#assessments">Show all 35 assessments</a>'
        in page
    )
    page = client.get(cast.case.get_absolute_url(), {"assessments": "all"}).content.decode()
    assert '<a href="?timeline=all&amp;assessments=all#timeline">' in page


def test_assessments_table_writes_each_score_and_the_scale_it_was_recorded_on(cast, client):
    ndi = Instrument.objects.get(abbreviation="NDI")
    odi = Instrument.objects.get(abbreviation="ODI")
    cast.case.tracked_instruments.set([ndi, odi])
    first, second, unscored = (
        AssessmentFactory(
            case=cast.case,
            clinician=cast.clinician,
            date=cast.case.date_of_injury + timedelta(days=day),
        )
        for day in (1, 2, 3)
    )
    OutcomeScoreFactory(assessment=first, instrument=ndi, value=Decimal("40.00"), scale_max=100)
    OutcomeScoreFactory(assessment=first, instrument=odi, value=Decimal("34.50"))
    OutcomeScoreFactory(assessment=second, instrument=ndi, value=Decimal("18"))
    client.force_login(cast.clinician)
    page = client.get(cast.case.get_absolute_url()).content.decode()
    table = section(page, "assessments").split('aria-labelledby="assessments-h"><table')[1]
    assert re.findall(r"</td><td class=\"num\">5</td><td>([^<]*)</td>", table) == [
        "NDI 40 (of 100) · ODI 34.5",
        "NDI 18",
        "—",
    ]
    assert '<span class="text-muted">NDI 40, ODI 34.5</span>' in section(page, "timeline")


def test_short_record_is_listed_whole_without_links(cast, client):
    assess_daily(cast.case, cast.clinician, 3)
    client.force_login(cast.clinician)
    page = client.get(cast.case.get_absolute_url()).content.decode()
    assert len(assessment_dates(page)) == 3
    assert timeline_entries(page) == 4  # the injury and three assessments
    assert "Show all" not in page and "Show the whole timeline" not in page


def test_case_page_reads_every_score_but_only_the_assessments_it_lists(cast):
    assess_daily(cast.case, cast.clinician, 45)
    page = case_page(cast.case.pk, cast.clinician)
    assert page is not None
    odi = Instrument.objects.get(abbreviation="ODI")
    assert [score.value for score in page.scores[odi.pk]] == [
        Decimal(60 - day % 30) for day in range(1, 46)
    ]
    assert (len(page.assessments.items), page.assessments.total) == (20, 45)
    assert [row.assessment.date for row in page.assessments.items] == [
        cast.case.date_of_injury + timedelta(days=day) for day in range(26, 46)
    ]
    assert all(len(row.scores) == 1 for row in page.assessments.items)
    assert case_page(cast.case.pk, cast.other_clinician) is None


def test_case_page_draws_the_same_charts_as_the_prefetched_records(cast):
    assess_daily(cast.case, cast.clinician, 25)
    # A second measure, some of it recorded on its other scale; a treatment marked; a work
    # status for the plateau verdict.
    ndi = Instrument.objects.get(abbreviation="NDI")
    cast.case.tracked_instruments.add(ndi)
    for n, assessment in enumerate(cast.case.assessments.all()[:6]):
        OutcomeScoreFactory(
            assessment=assessment,
            instrument=ndi,
            value=Decimal(40 - n),
            scale_max=Decimal(100) if n % 2 else ndi.maximum,
        )
    TreatmentFactory(
        case=cast.case,
        kind=Treatment.Kind.INJECTION,
        start_date=cast.case.date_of_injury + timedelta(days=10),
    )
    WorkRestrictionFactory(work_status=WorkStatusFactory(case=cast.case, issued_by=cast.clinician))
    page = case_page(cast.case.pk, cast.clinician)
    assert page is not None
    outcomes = case_outcome_trends_from_scores(page.case, page.scores)
    assert [len(chart.points) for chart in outcomes.charts] == [6, 25]
    assert outcomes == case_outcome_trends(case_with_records(cast.case.pk, cast.clinician))


def test_case_list_makes_the_same_queries_with_3_and_30_cases(cast, client):
    client.force_login(cast.case_manager)
    url = reverse("case-list")
    for _ in range(2):
        CaseFactory(case_manager=cast.case_manager)
    few = count_queries(client, url)
    for _ in range(27):
        CaseFactory(case_manager=cast.case_manager)
    assert count_queries(client, url) == few


def test_case_list_searches_patient_and_claim_number(cast, client):
    CaseFactory(
        case_manager=cast.case_manager, claim_number="ZZ-777", patient__first_name="Quentin"
    )
    client.force_login(cast.case_manager)
    for term in ("quentin", "zz-777"):
        page = client.get(reverse("case-list"), {"q": term}).content.decode()
        assert "ZZ-777" in page and cast.case.claim_number not in page


def test_case_list_shows_only_visible_cases(cast, client):
    CaseFactory(claim_number="HIDDEN-1")
    for user in (cast.clinician, cast.case_manager, cast.adjuster):
        client.force_login(user)
        page = client.get(reverse("case-list")).content.decode()
        assert cast.case.claim_number in page and "HIDDEN-1" not in page
    client.force_login(cast.other_adjuster)
    assert cast.case.claim_number not in client.get(reverse("case-list")).content.decode()
