"""Each case event told to exactly whom it concerns, and to nobody who may not see the case,
nor to the one who acted."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases import events
from cases.models import Determination, Dispute
from cases.services import determinations as determination_services
from cases.services import disputes
from cases.templatetags.dates import day
from deliveries.domain.parties import Party
from deliveries.models import Delivery, Recipient
from deliveries.services import delivery_record
from diaries import services as diary_services
from notifications.models import Notification
from tests.support.determinations import complete_draft, signed_determination, today
from tests.support.factories import AdjusterFactory, ClinicianFactory

pytestmark = pytest.mark.usefixtures("module_cast")


def told(kind):
    return {
        notification.recipient.username
        for notification in Notification.objects.filter(kind=kind).select_related("recipient")
    }


def names(*users):
    return {user.username for user in users}


@pytest.fixture
def colleague(cast):
    """A second clinician on the care team, who did not sign."""
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    return colleague


@pytest.fixture
def signed(cast, colleague, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return signed_determination(cast.case, cast.clinician)


def test_a_signed_certification_tells_the_adjuster_and_the_case_manager(cast, signed):
    assert told("certification_signed") == names(cast.adjuster, cast.case_manager)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [cast.adjuster.email, cast.case_manager.email]
    )
    notification = Notification.objects.filter(recipient=cast.adjuster).get()
    assert notification.link == signed.get_absolute_url()
    assert "signed version 1" in notification.text


def carrier_copy(determination):
    return Recipient.objects.get(determination=determination, party=Party.CARRIER)


def downloaded_by(user, determination):
    """The portal delivery the user's download of the certification records."""
    return Delivery.objects.create(
        case=determination.case,
        recipient=carrier_copy(determination),
        method=Delivery.Method.PORTAL,
        delivered_on=today(),
        address=f"Downloaded by {user}",
        recorded_by=user,
        recorded_at=timezone.now(),
    )


def amend(cast, signed):
    draft = determination_services.determination_amend(
        determination=signed, amended_by=cast.clinician
    )
    complete_draft(draft, cast.clinician)
    determination_services.determination_sign(determination=draft, signed_by=cast.clinician)


def test_an_amendment_tells_everyone_who_received_the_earlier_version_plainly(
    cast, colleague, signed, django_capture_on_commit_callbacks
):
    second_adjuster = AdjusterFactory(organisation=cast.adjuster.organisation)
    downloaded_by(second_adjuster, signed)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amend(cast, signed)
    # The one who downloaded it, and the case's adjuster, whose carrier now has it; not the
    # case manager nor the care team, who have no copy on record.
    assert told("certification_amended") == names(second_adjuster, cast.adjuster)
    sentence = f"The certification you received on {day(today())} has been amended"
    for notification in Notification.objects.filter(kind="certification_amended"):
        assert notification.text.startswith(sentence)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [second_adjuster.email, cast.adjuster.email]
    )
    assert all(f"{sentence} (replaced by version 2)." in m.body for m in mail.outbox)


def test_a_copy_delivered_to_the_carrier_tells_the_case_adjuster(
    cast, colleague, signed, django_capture_on_commit_callbacks
):
    delivery_record(
        recipient=carrier_copy(signed),
        method=Delivery.Method.FAX,
        delivered_on=today(),
        recorded_by=cast.case_manager,
        address="+1 512 555 0100",
    )
    with django_capture_on_commit_callbacks(execute=True):
        amend(cast, signed)
    assert told("certification_amended") == names(cast.adjuster)


def test_a_rescission_tells_everyone_who_received_it_plainly(
    cast, colleague, signed, django_capture_on_commit_callbacks
):
    downloaded_by(cast.adjuster, signed)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        determination_services.determination_rescind(
            determination=signed,
            rescinded_by=colleague,
            category=Determination.RescindReason.values[0],
            reason="New MRI shows a tear.",
        )
    assert told("certification_rescinded") == names(cast.adjuster)
    sentence = f"The certification you received on {day(today())} has been rescinded."
    (message,) = mail.outbox
    assert sentence in message.body
    assert "MRI" not in message.body and "tear" not in message.body


def test_a_dispute_tells_the_certifying_doctor_the_case_manager_and_the_adjuster(
    cast, colleague, signed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        disputes.dispute_record(
            determination=signed,
            recorded_by=cast.admin,
            disputed_by=Dispute.Party.CARRIER,
            disputed_issue=Dispute.Issue.RATING,
            notice_date=today(),
            received_on=today(),
            review_requested=Dispute.Review.IME,
        )
    assert told("dispute_recorded") == names(cast.clinician, cast.case_manager, cast.adjuster)


def test_the_one_who_records_a_dispute_is_not_told_of_it(
    cast, signed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        disputes.dispute_record(
            determination=signed,
            recorded_by=cast.case_manager,
            disputed_by=Dispute.Party.EMPLOYEE,
            disputed_issue=Dispute.Issue.MMI_DATE,
            notice_date=today(),
            received_on=today(),
            review_requested=Dispute.Review.IME,
        )
    assert told("dispute_recorded") == names(cast.clinician, cast.adjuster)


def test_a_record_added_tells_the_care_team_and_the_case_manager_but_not_who_added_it(
    cast, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.send_on_commit(
            events.record_added, type(cast.case), case=cast.case, record=cast.case, by=colleague
        )
    assert told("record_added") == names(cast.clinician, cast.case_manager)
    # Off by email unless chosen.
    assert mail.outbox == []


def test_a_task_assigned_by_a_colleague_tells_the_assignee_only(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task = diary_services.task_create(
            case=cast.case,
            created_by=cast.case_manager,
            title="Call the patient about the depression screen",
            due_on=today() + timedelta(days=2),
            assignee=cast.clinician,
        )
        diary_services.task_create(
            case=cast.case,
            created_by=cast.case_manager,
            title="A note to myself",
            due_on=today(),
            assignee=cast.case_manager,
        )
    assert told("task_assigned") == names(cast.clinician)
    notification = Notification.objects.get(kind="task_assigned")
    assert notification.link == task.get_absolute_url()
    (message,) = mail.outbox
    assert message.to == [cast.clinician.email]
    assert "depression" not in message.body and "depression" not in message.subject
    assert cast.case.claim_number in message.body


def test_nobody_who_may_not_see_the_case_is_told(cast, django_capture_on_commit_callbacks):
    # The adjuster named on the case has moved to another insurer: they no longer see it.
    cast.adjuster.organisation = cast.other_adjuster.organisation
    cast.adjuster.save()
    cast.case_manager.is_active = False
    cast.case_manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        signed_determination(cast.case, cast.clinician)
    assert told("certification_signed") == set()
    assert mail.outbox == []
