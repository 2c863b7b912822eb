"""The clinician's item-by-item entry beside the total-only assessment form: the score
worked out, the missing items named, answers outside the choices refused, the case's
permissions, and a fixed number of queries."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Assessment, Instrument
from notifications.models import Notification
from questionnaires.models import InstrumentDefinition, Response
from tests.support.cast import client_for
from tests.support.factories import ClinicianFactory

pytestmark = pytest.mark.usefixtures("module_cast")

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def definition(abbreviation: str) -> InstrumentDefinition:
    return InstrumentDefinition.objects.get(instrument__abbreviation=abbreviation)


def enter_url(cast, abbreviation: str) -> str:
    return reverse(
        "questionnaires:response-enter", args=[cast.case.pk, definition(abbreviation).pk]
    )


def said(response) -> list[str]:
    """The messages the next page shows."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def phq9_post(cast, *values, action="save", **extra):
    data = {"date": str(timezone.localdate()), "clinician": cast.clinician.pk, action: "1"}
    data.update({f"item_{i}": str(v) for i, v in enumerate(values, 1) if v is not None})
    data.update(extra)
    return data


def test_the_assessment_form_offers_item_by_item_entry(cast):
    page = client_for(cast.clinician).get(reverse("assessment-add", args=[cast.case.pk]))
    choose = reverse("questionnaires:response-choose", args=[cast.case.pk])
    assert f'href="{choose}"' in page.content.decode()


def test_the_choice_lists_every_defined_instrument_the_tracked_ones_first(cast):
    cast.case.tracked_instruments.set([Instrument.objects.get(abbreviation="PSFS")])
    page = client_for(cast.clinician).get(
        reverse("questionnaires:response-choose", args=[cast.case.pk])
    )
    text = page.content.decode()
    order = [text.index(title) for title in ("(PSFS)", "(GAD-7)", "(NPRS)", "(PHQ-9)")]
    assert order == sorted(order)
    assert "tracked on this case" in text
    assert enter_url(cast, "PHQ-9") in text


def test_the_form_shows_each_item_with_its_choices_and_no_score_to_type(cast):
    page = client_for(cast.clinician).get(enter_url(cast, "PHQ-9")).content.decode()
    assert "Thoughts that you would be better off dead" in page
    assert page.count('type="radio"') == 9 * 4
    assert "3 – Nearly every day" in page
    assert 'name="score' not in page
    assert "at least 9 of 9 items answered for a valid score" in page


def test_checking_names_the_missing_items_and_says_the_score_is_not_valid(cast):
    client = client_for(cast.clinician)
    page = client.post(
        enter_url(cast, "PHQ-9"), phq9_post(cast, 1, 1, 2, None, 1, 3, 0, 1, 0, action="check")
    )
    text = page.content.decode()
    assert "No valid score" in text
    assert "8 of 9 items answered: no valid score (at least 9 needed)." in text
    assert 'Missing: <a href="#item-4">item 4</a>' in text
    assert not Response.objects.exists()


def test_checking_a_psfs_with_three_activities_says_the_score_is_still_valid(cast):
    data = {
        "date": str(timezone.localdate()),
        "clinician": cast.clinician.pk,
        "check": "1",
        "item_activity_1": "5",
        "named_activity_1": "Lifting boxes",
        "item_activity_2": "6",
        "named_activity_2": "Driving",
        "item_activity_3": "6",
        "named_activity_3": "Sleeping",
    }
    text = client_for(cast.clinician).post(enter_url(cast, "PSFS"), data).content.decode()
    assert "Score 5.67" in text
    assert "3 of 5 items answered: the score is still valid (at least 3 needed)." in text


def test_saving_stores_the_response_and_its_assessment_with_the_computed_score(cast):
    cast.case.tracked_instruments.add(Instrument.objects.get(abbreviation="PHQ-9"))
    client = client_for(cast.clinician)
    response = client.post(enter_url(cast, "PHQ-9"), phq9_post(cast, 1, 1, 2, 0, 1, 3, 0, 1, 0))
    assert response.status_code == 302
    assert response["Location"].endswith("#assessments")
    saved = Response.objects.get()
    assert (saved.source, saved.entered_by, saved.score) == ("clinician", cast.clinician, 9)
    assessment = Assessment.objects.get(case=cast.case)
    assert list(assessment.scores.values_list("instrument__abbreviation", "value")) == [
        ("PHQ-9", Decimal(9))
    ]
    assert assessment.history.count() == 1
    assert said(response) == [
        "The PHQ-9 was saved with its assessment: score 9. All 9 items answered."
    ]


def test_saving_below_the_minimum_keeps_it_incomplete_without_an_assessment(cast):
    client = client_for(cast.clinician)
    response = client.post(enter_url(cast, "PHQ-9"), phq9_post(cast, 1, 1, None, 0, 1, 3, 0, 1, 0))
    assert said(response) == [
        "The PHQ-9 was saved as incomplete and not scored. 8 of 9 items answered: no valid "
        "score (at least 9 needed)."
    ]
    saved = Response.objects.get()
    assert not saved.is_complete and saved.score is None and saved.answers.count() == 8
    assert not Assessment.objects.filter(case=cast.case).exists()


def test_an_answer_outside_the_choices_is_refused_and_nothing_saved(cast):
    client = client_for(cast.clinician)
    page = client.post(enter_url(cast, "PHQ-9"), phq9_post(cast, 1, 1, 2, 0, 1, 3, 0, 1, 7))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Select a valid choice. 7 is not one of the available choices." in text
    assert "Nothing was saved" in text
    assert not Response.objects.exists()
    assert not Assessment.objects.filter(case=cast.case).exists()


def test_a_future_date_is_refused(cast):
    data = phq9_post(cast, *[0] * 9)
    data["date"] = str(timezone.localdate() + timezone.timedelta(days=1))
    page = client_for(cast.clinician).post(enter_url(cast, "PHQ-9"), data)
    assert "The date cannot be in the future." in page.content.decode()
    assert not Response.objects.exists()


def test_a_rated_activity_needs_its_name(cast):
    data = {
        "date": str(timezone.localdate()),
        "clinician": cast.clinician.pk,
        "save": "1",
        "item_activity_1": "5",
    }
    page = client_for(cast.clinician).post(enter_url(cast, "PSFS"), data)
    assert "Name what the patient rated." in page.content.decode()
    assert not Response.objects.exists()


def test_a_safety_answer_entered_alerts_the_other_clinicians_and_warns_the_one_entering(
    cast, django_capture_on_commit_callbacks
):
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.clinician).post(
            enter_url(cast, "PHQ-9"), phq9_post(cast, 0, 0, 0, 0, 0, 0, 0, 0, 2)
        )
    assert "A safety item was answered above 0" in said(response)[1]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [colleague.pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_clinician", 404), ("other_adjuster", 404), ("adjuster", 403), ("case_manager", 403)],
)
def test_only_the_care_team_may_enter_and_others_do_not_learn_of_the_case(cast, role, status):
    client = client_for(getattr(cast, role))
    assert client.get(enter_url(cast, "PHQ-9")).status_code == status
    assert client.post(enter_url(cast, "PHQ-9"), phq9_post(cast, *[0] * 9)).status_code == status
    choose = reverse("questionnaires:response-choose", args=[cast.case.pk])
    assert client.get(choose).status_code == status
    assert not Response.objects.exists()


def test_an_unknown_questionnaire_is_404(cast):
    url = reverse("questionnaires:response-enter", args=[cast.case.pk, 99999])
    assert client_for(cast.clinician).get(url).status_code == 404


def count(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data) if data else client.get(url)
        assert response.status_code == 200
    return len(queries)


def test_the_pages_make_a_fixed_number_of_queries(cast, django_assert_num_queries):
    client = client_for(cast.clinician)
    one_item, nine_items = enter_url(cast, "NPRS"), enter_url(cast, "PHQ-9")
    nprs = count(client, one_item)
    with django_assert_num_queries(nprs):
        client.get(nine_items)  # nine items of four choices
    today = str(timezone.localdate())
    checked = count(
        client,
        one_item,
        {"check": "1", "item_pain_now": "4", "date": today, "clinician": cast.clinician.pk},
    )
    nine_answers = phq9_post(cast, *[1] * 9, action="check")
    with django_assert_num_queries(checked):
        client.post(nine_items, nine_answers)
    choose = reverse("questionnaires:response-choose", args=[cast.case.pk])
    four = count(client, choose)
    call_command("load_instrument", str(FIXTURES / "made_up_back_index.json"), verbosity=0)
    call_command("load_instrument", str(FIXTURES / "made_up_upper_limb.json"), verbosity=0)
    cast.case.care_team.add(ClinicianFactory(), ClinicianFactory())
    with django_assert_num_queries(four):
        client.get(choose)
