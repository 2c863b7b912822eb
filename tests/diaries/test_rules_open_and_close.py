"""Each rule's task opens by itself while its condition holds and closes by itself when it
ends, through the changes a user makes (the case events and saves, applied once they
commit) or the daily run."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import services as case_services
from cases.domain.jurisdictions import for_code
from cases.models import Case, CaseStatus
from diaries import services
from diaries.models import Task, TaskEvent
from diaries.tasks import apply_diary_rules
from tests.support.determinations import complete_draft, save_step
from tests.support.factories import CaseFactory, ClinicianFactory, WorkStatusFactory
from tests.support.reports import determination

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def tasks(case: Case, rule: str) -> list[Task]:
    return list(Task.objects.filter(case=case, rule=rule).order_by("pk"))


def daily_run():
    return apply_diary_rules.delay().get()


def test_dwc069_due_opens_with_the_exam_and_closes_when_the_certification_is_signed(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = case_services.determination_start(case=cast.case, started_by=cast.clinician)
    assert tasks(cast.case, "tx-dwc069-due") == []  # no exam yet
    with django_capture_on_commit_callbacks(execute=True):
        save_step(draft, "clinical", cast.clinician)
    (task,) = tasks(cast.case, "tx-dwc069-due")
    draft.refresh_from_db()
    assert task.due_on == for_code("TX").certification_due(draft.exam_date, None)
    assert task.assignee == cast.clinician
    assert task.created_by is None and not task.is_done
    assert "7th working day" in task.text

    # The records arrive later than the exam: the due date follows them.
    records = draft.exam_date + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        save_step(draft, "clinical", cast.clinician, records_received_date=records.isoformat())
    task.refresh_from_db()
    assert task.due_on == for_code("TX").certification_due(draft.exam_date, records)
    assert TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.DUE_CHANGED).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        complete_draft(draft, cast.clinician)
        case_services.determination_sign(determination=draft, signed_by=cast.clinician)
    task.refresh_from_db()
    assert task.is_done and task.closed_by_rule
    assert task.done_note == "The certification was signed."
    assert [event.kind for event in task.events.all()] == ["opened", "due_changed", "closed"]


def test_dwc069_due_is_for_texas_only(cast, django_capture_on_commit_callbacks):
    Case.objects.filter(pk=cast.case.pk).update(jurisdiction="FL")
    draft = case_services.determination_start(case=cast.case, started_by=cast.clinician)
    with django_capture_on_commit_callbacks(execute=True):
        save_step(draft, "clinical", cast.clinician)
    assert tasks(cast.case, "tx-dwc069-due") == []


def _case_reaching_statutory_mmi_in(days: int, **fields) -> Case:
    """A Texas case off work since a day that puts statutory MMI ``days`` from today
    (accrual on the 8th day of disability, statutory MMI 728 days later)."""
    began = today() + timedelta(days=days) - timedelta(days=728 + 7)
    case = CaseFactory(date_of_injury=began - timedelta(days=1), disability_began=began, **fields)
    case.refresh_from_db()
    assert case.statutory_mmi_date == today() + timedelta(days=days)
    return case


def test_statutory_mmi_task_opens_six_weeks_ahead_and_closes_once_certified(
    django_capture_on_commit_callbacks,
):
    doctor = ClinicianFactory()
    far = _case_reaching_statutory_mmi_in(43, care_team=[doctor])
    near = _case_reaching_statutory_mmi_in(42, care_team=[doctor])
    daily_run()
    assert tasks(far, "statutory-mmi-approaching") == []
    (task,) = tasks(near, "statutory-mmi-approaching")
    assert task.due_on == near.statutory_mmi_date
    assert task.assignee == doctor  # the treating doctor
    assert "98 weeks" in task.text and "Division writes to the treating doctor" in task.text

    with django_capture_on_commit_callbacks(execute=True):
        determination(near, doctor)
    task.refresh_from_db()
    assert task.closed_by_rule


def test_statutory_mmi_task_goes_to_the_case_manager_when_nobody_treats():
    case = _case_reaching_statutory_mmi_in(10)
    daily_run()
    (task,) = tasks(case, "statutory-mmi-approaching")
    assert task.assignee_id == case.case_manager_id


def test_pr2_due_opens_a_week_ahead_of_45_days_and_closes_with_the_next_report(
    django_capture_on_commit_callbacks,
):
    doctor = ClinicianFactory()
    case = CaseFactory(jurisdiction="CA", care_team=[doctor])
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=200))
    texas = CaseFactory(care_team=[doctor])
    for each in (case, texas):
        WorkStatusFactory(
            case=each,
            issued_by=doctor,
            effective_from=today() - timedelta(days=40),
            visited_on=today() - timedelta(days=40),
        )
    daily_run()
    assert tasks(texas, "ca-pr2-due") == []
    (task,) = tasks(case, "ca-pr2-due")
    assert task.due_on == today() + timedelta(days=5)
    assert task.assignee == doctor

    with django_capture_on_commit_callbacks(execute=True):
        WorkStatusFactory(case=case, issued_by=doctor, effective_from=today(), visited_on=today())
    task.refresh_from_db()
    assert task.closed_by_rule
    assert len(tasks(case, "ca-pr2-due")) == 1  # the new report is not due for 45 days


def test_pr2_counts_from_the_opening_when_no_report_was_issued():
    case = CaseFactory(jurisdiction="CA")
    # Noon of the day 50 days ago, here: 50 × 24 hours back lands on another day in the hour
    # a change of summer time shifts.
    opened = datetime.combine(today() - timedelta(days=50), time(12))
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.make_aware(opened))
    daily_run()
    (task,) = tasks(case, "ca-pr2-due")
    assert task.due_on == today() - timedelta(days=5)


def test_review_date_reached_opens_on_the_day_and_closes_when_the_review_is_moved(
    cast, django_capture_on_commit_callbacks
):
    cast.case.next_review_date = today() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        cast.case.save()
    assert tasks(cast.case, "review-date-reached") == []
    cast.case.next_review_date = today()
    with django_capture_on_commit_callbacks(execute=True):
        cast.case.save()
    (task,) = tasks(cast.case, "review-date-reached")
    assert task.assignee == cast.case_manager and task.due_on == today()

    cast.case.next_review_date = today() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        cast.case.save()
    task.refresh_from_db()
    assert task.closed_by_rule
    assert task.done_note == "The review date was moved, or the case closed."


def test_work_status_expiring_goes_to_its_doctor_and_closes_when_renewed(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = WorkStatusFactory(
            case=cast.case, issued_by=cast.clinician, expected_through=today() + timedelta(days=8)
        )
    assert tasks(cast.case, "work-status-expiring") == []
    daily_run()
    assert tasks(cast.case, "work-status-expiring") == []
    with django_capture_on_commit_callbacks(execute=True):
        expiring = WorkStatusFactory(
            case=cast.case,
            issued_by=cast.clinician,
            effective_from=old.effective_from + timedelta(days=1),
            expected_through=today() + timedelta(days=7),
        )
    (task,) = tasks(cast.case, "work-status-expiring")
    assert task.subject == f"work-status:{expiring.pk}"
    assert task.assignee == cast.clinician and task.due_on == expiring.expected_through

    with django_capture_on_commit_callbacks(execute=True):
        WorkStatusFactory(
            case=cast.case,
            issued_by=cast.clinician,
            effective_from=today(),
            expected_through=today() + timedelta(days=60),
        )
    task.refresh_from_db()
    assert task.closed_by_rule


def test_work_status_of_a_doctor_no_longer_on_the_team_goes_to_the_case_manager(cast):
    WorkStatusFactory(
        case=cast.case, issued_by=ClinicianFactory(), expected_through=today() + timedelta(days=2)
    )
    daily_run()
    (task,) = tasks(cast.case, "work-status-expiring")
    assert task.assignee == cast.case_manager


def test_closing_the_case_closes_its_rule_tasks(cast):
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=today())
    daily_run()
    (task,) = tasks(cast.case, "review-date-reached")
    Case.objects.filter(pk=cast.case.pk).update(status=CaseStatus.CLOSED)
    daily_run()
    task.refresh_from_db()
    assert task.closed_by_rule


def test_a_rule_never_opens_the_same_task_twice(cast):
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=today())
    assert daily_run() == {"opened": 1, "closed": 0}
    assert daily_run() == {"opened": 0, "closed": 0}
    services.diary_rules_apply_to_case(case_id=cast.case.pk, today=today())
    assert len(tasks(cast.case, "review-date-reached")) == 1
    assert TaskEvent.objects.filter(kind=TaskEvent.Kind.OPENED).count() == 1


def test_a_task_done_by_hand_stays_done_while_its_condition_still_holds(cast):
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=today())
    daily_run()
    (task,) = tasks(cast.case, "review-date-reached")
    services.task_mark_done(task=task, by=cast.case_manager)
    daily_run()
    task.refresh_from_db()
    assert task.done_by == cast.case_manager


def test_a_task_its_rule_closed_opens_again_when_the_condition_returns(cast):
    review = today() - timedelta(days=2)
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=review)
    daily_run()
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=None)
    daily_run()
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=review)
    daily_run()
    (task,) = tasks(cast.case, "review-date-reached")
    assert not task.is_done
    assert [event.kind for event in task.events.all()] == ["opened", "closed", "reopened"]


def test_task_history_is_never_rewritten(cast):
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=today())
    daily_run()
    event = TaskEvent.objects.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        TaskEvent.objects.update(note="changed")
    with pytest.raises(TypeError):
        TaskEvent.objects.all().delete()


def test_the_command_applies_the_rules_to_every_case(cast):
    Case.objects.filter(pk=cast.case.pk).update(next_review_date=today())
    out = io.StringIO()
    call_command("apply_diary_rules", stdout=out)
    assert out.getvalue().strip() == "Opened 1 tasks, closed 0."
    assert len(tasks(cast.case, "review-date-reached")) == 1


def _judgements(monkeypatch) -> list[int]:
    """The cases the rules are applied to, one entry per application, from now on."""
    judged: list[int] = []
    apply_to_case = services.diary_rules_apply_to_case

    def counted(**kwargs):
        judged.append(kwargs["case_id"])
        return apply_to_case(**kwargs)

    monkeypatch.setattr(services, "diary_rules_apply_to_case", counted)
    return judged


def test_the_changes_of_one_commit_judge_the_case_once(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    judged = _judgements(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        draft = case_services.determination_start(case=cast.case, started_by=cast.clinician)
        save_step(draft, "clinical", cast.clinician)
        cast.case.next_review_date = today() + timedelta(days=30)
        cast.case.save()
    assert len(callbacks) >= 3
    assert judged == [cast.case.pk]
    (task,) = tasks(cast.case, "tx-dwc069-due")

    # The signature's changes judge the case once; the copies it lists once it has
    # committed (the rules read them) once more.
    complete_draft(draft, cast.clinician)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.determination_sign(determination=draft, signed_by=cast.clinician)
    assert judged == [cast.case.pk] * 3
    task.refresh_from_db()
    assert task.closed_by_rule
