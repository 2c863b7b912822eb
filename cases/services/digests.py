"""The daily digest: one email to each case manager and clinician of what their worklists
hold, so they hear about what is due without opening the app.

The hourly task (cases/tasks.py) sends it to each user who wants one, whose chosen hour has
come in the app's time zone (TIME_ZONE) and who has not had one today. "Has come" rather
than "is now": an hourly run missed (a deploy, a stopped scheduler) is caught up later the
same day, and never sent twice.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from diaries.selectors import tasks_due_by

from ..access import Capability, has_capability, roles_with
from ..models import User
from ..selectors import worklists
from ..templatetags.dates import day

ROWS_PER_LIST = 10


@dataclass(frozen=True)
class DigestRow:
    label: str
    reason: str
    url: str


@dataclass(frozen=True)
class DigestSection:
    title: str
    total: int
    rows: list[DigestRow]

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Digest:
    user: User
    today: date
    sections: list[DigestSection]

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def subject(self) -> str:
        if not self.total:
            return "MMI Tracker: nothing due today"
        return f"MMI Tracker: {self.total} item{'s' if self.total != 1 else ''} due today"


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def digest_for(user: User, today: date) -> Digest:
    """What the user's home page worklists hold today: the status board's lists for a case
    manager; the cases due an assessment and their own unsigned drafts for a clinician."""
    if has_capability(user, Capability.MANAGE_CASE):
        lists = worklists.board(user, today)
    else:
        lists = worklists.clinician_worklists(user, today)
    sections = [
        DigestSection(
            worklist.title,
            worklist.total,
            [
                # An email carries no health data, like the notification emails
                # (notifications/emails.py): the claim, never the patient, and no scores.
                DigestRow(
                    row.case.claim_number,
                    worklist.plain_reason or row.reason,
                    _link(row.case.get_absolute_url()),
                )
                for row in worklist.rows[:ROWS_PER_LIST]
            ],
        )
        for worklist in lists
    ]
    if has_capability(user, Capability.DETERMINE):
        drafts = worklists.my_drafts(user, today)
        sections.append(
            DigestSection(
                "My unsigned determination drafts",
                drafts.count(),
                [
                    DigestRow(
                        draft.case.claim_number,
                        f"Draft v{draft.version} started {day(draft.started_at)}.",
                        _link(draft.get_absolute_url()),
                    )
                    for draft in drafts[:ROWS_PER_LIST]
                ],
            )
        )
    sections.insert(0, _tasks_section(user, today))
    return Digest(user, today, sections)


def _tasks_section(user: User, today: date) -> DigestSection:
    """The user's open tasks due today or overdue (diaries). A row names the claim and, for
    a rule's task, the rule's own words; a task typed by hand is named by its maker only,
    since what was typed may hold health data, which an email never carries."""
    tasks = tasks_due_by(user, today)
    return DigestSection(
        "My tasks due today or overdue",
        tasks.count(),
        [
            DigestRow(
                task.case.claim_number,
                f"{task.title if task.by_rule else f'A task from {task.created_by}'}: "
                + (f"overdue since {day(task.due_on)}." if task.due_on < today else "due today."),
                _link(task.get_absolute_url()),
            )
            for task in tasks[:ROWS_PER_LIST]
        ],
    )


def digest_message(digest: Digest) -> EmailMessage:
    body = render_to_string(
        "emails/digest.txt",
        {
            "digest": digest,
            "home_url": _link(reverse("home")),
            "settings_url": _link(reverse("digest-settings")),
        },
    )
    return EmailMessage(digest.subject, body, to=[digest.user.email])


def users_due_digest(*, now: datetime) -> list[int]:
    """Ids of the users whose digest is due at `now` (one query)."""
    local = timezone.localtime(now)
    return list(
        User.objects.filter(
            is_active=True,
            digest_enabled=True,
            role__in=roles_with(Capability.RECEIVE_DIGEST),
            digest_hour__lte=local.hour,
        )
        .exclude(email="")
        .exclude(last_digest_sent_on=local.date())
        .values_list("pk", flat=True)
    )


def digest_send(*, user_id: int, today: date) -> bool:
    """Send the user's digest for `today` unless it has been sent; returns whether it was.

    Not one transaction, on purpose: the day is claimed first, in its own statement, so two
    workers given the same user never both send; if sending fails the claim is released so
    that a retry, or the next hourly run, sends it.
    """
    user = User.objects.get(pk=user_id)
    if not has_capability(user, Capability.RECEIVE_DIGEST):
        return False
    claimed = (
        User.objects.filter(pk=user_id, digest_enabled=True)
        .exclude(last_digest_sent_on=today)
        .update(last_digest_sent_on=today)
    )
    if not claimed:
        return False
    try:
        digest_message(digest_for(user, today)).send()
    except Exception:
        User.objects.filter(pk=user_id, last_digest_sent_on=today).update(
            last_digest_sent_on=user.last_digest_sent_on
        )
        raise
    return True


@transaction.atomic
def user_digest_settings_save(*, user: User, enabled: bool, hour: int) -> User:
    """Turn the user's daily digest on or off and set the hour it comes at."""
    user.digest_enabled = enabled
    user.digest_hour = hour
    user.save(update_fields=["digest_enabled", "digest_hour"])
    return user
