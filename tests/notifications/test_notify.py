"""``notify``: who is told, in the app and by email, and what the email says."""

import pytest
from django.core import mail

from notifications.models import EmailPreference, Notification
from notifications.services import notify

pytestmark = pytest.mark.usefixtures("module_cast")


def tell(cast, recipients, kind="certification_signed", actor=None, **extra):
    return notify(
        recipients=recipients,
        kind=kind,
        case=cast.case,
        text="Dr Chen certified MMI for the lumbar strain",
        link=cast.case.get_absolute_url(),
        actor=actor,
        **extra,
    )


def test_only_those_who_may_see_the_case_are_told_and_never_the_actor(
    cast, django_capture_on_commit_callbacks
):
    everyone = list(cast.roles().values())
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast, [*everyone, cast.adjuster], actor=cast.clinician)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {cast.case_manager.username, cast.adjuster.username, cast.admin.username}
    assert Notification.objects.filter(recipient=cast.adjuster).count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in (cast.case_manager, cast.adjuster, cast.admin)
    )


def test_the_email_says_the_claim_number_and_the_link_and_nothing_clinical(
    cast, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://mmi.example"
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast, [cast.adjuster])
    (message,) = mail.outbox
    text = f"{message.subject}\n{message.body}"
    assert cast.case.claim_number in message.subject
    assert f"https://mmi.example{cast.case.get_absolute_url()}" in message.body
    patient = cast.case.patient
    for health_data in (
        patient.first_name,
        patient.last_name,
        "lumbar",
        "Chen",
        cast.case.injury_description or "lumbar",
    ):
        assert health_data not in text
    assert "A certification was signed." in message.body


def test_nothing_is_emailed_when_the_transaction_rolls_back(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(cast, [cast.adjuster])
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_user_who_turned_a_kind_off_has_it_in_the_app_only(
    cast, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=cast.adjuster, kind="certification_signed", email=False)
    EmailPreference.objects.create(user=cast.case_manager, kind="record_added", email=True)
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast, [cast.adjuster, cast.case_manager])
        tell(cast, [cast.adjuster, cast.case_manager], kind="record_added")
    assert Notification.objects.filter(recipient=cast.adjuster).count() == 2
    # The case manager wants both; the adjuster turned signed off and record_added is off
    # by default.
    assert [message.to for message in mail.outbox] == [[cast.case_manager.email]] * 2


def test_a_safety_alert_is_emailed_even_to_one_who_turned_it_off(
    cast, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=cast.clinician, kind="safety_alert", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast, [cast.clinician], kind="safety_alert")
    (message,) = mail.outbox
    assert message.to == [cast.clinician.email]
    assert "lumbar" not in message.body
    assert "always sent by email" in message.body


def test_an_email_is_sent_once_however_often_its_task_runs(
    cast, django_capture_on_commit_callbacks
):
    from notifications.tasks import send_notification_email

    with django_capture_on_commit_callbacks(execute=True):
        (made,) = tell(cast, [cast.adjuster])
    send_notification_email(notification_id=made.pk)
    assert len(mail.outbox) == 1


def test_an_unknown_kind_is_refused(cast):
    with pytest.raises(ValueError, match="kinds.py"):
        tell(cast, [cast.adjuster], kind="gossip")
