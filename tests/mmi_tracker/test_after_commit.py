"""Work asked for by many changes of one transaction runs once, after it commits, and is
never lost to a savepoint that rolls back (mmi_tracker/after_commit.py)."""

import pytest
from django.db import transaction

from mmi_tracker.after_commit import on_commit_once

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


def test_work_asked_for_many_times_in_a_transaction_runs_once_after_the_commit(
    django_capture_on_commit_callbacks,
):
    ran = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):
            on_commit_once("case 1", lambda: ran.append(1))
        on_commit_once("case 2", lambda: ran.append(2))
        assert ran == []
    assert len(callbacks) == 4
    assert ran == [1, 2]


def test_a_savepoint_that_rolls_back_loses_only_its_own_request(
    django_capture_on_commit_callbacks,
):
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RolledBack), transaction.atomic():
            on_commit_once("case 1", lambda: ran.append("in the savepoint"))
            raise RolledBack
        on_commit_once("case 1", lambda: ran.append("after it"))
    # The one callback left runs the work first asked for: the same work, whoever asked.
    assert ran == ["in the savepoint"]


def test_work_asked_for_only_in_a_rolled_back_savepoint_does_not_run(
    django_capture_on_commit_callbacks,
):
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RolledBack), transaction.atomic():
            on_commit_once("case 1", lambda: ran.append(1))
            raise RolledBack
    assert ran == []
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_once("case 1", lambda: ran.append(1))
    assert ran == [1]


def test_each_commit_runs_the_work_again(django_capture_on_commit_callbacks):
    ran = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            on_commit_once("case 1", lambda: ran.append(1))
            on_commit_once("case 1", lambda: ran.append(1))
    assert ran == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_work_runs_at_once():
    ran = []
    on_commit_once("case 1", lambda: ran.append(1))
    on_commit_once("case 1", lambda: ran.append(1))
    assert ran == [1, 1]
