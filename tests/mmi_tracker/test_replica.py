"""The reporting pages read the replica when DATABASE_REPLICA_URL is set, proved against a real
streaming replica of the test cluster (tests/support/replica.py); without it they read the
default database, and writes always go there.

Rows reach the replica only once committed, hence transaction=True."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Organisation, User
from mmi_tracker.db_router import REPLICA, reads_replica
from tests.support.cast import client_for
from tests.support.factories import CaseFactory, CaseManagerFactory, OrganisationFactory
from tests.support.replica import Replica, wait_for_replay

on_replica = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module")
def replica(postgres_replica: Replica) -> Iterator[BaseDatabaseWrapper]:
    """The "replica" alias, as DATABASE_REPLICA_URL makes it, on the replica's copy of the test
    database. Module-wide, because a test's databases must exist before its own fixtures run."""
    if REPLICA in connections:
        pytest.fail("Run these tests without DATABASE_REPLICA_URL: they set the alias themselves.")
    connections.settings[REPLICA] = postgres_replica.settings_for(connections["default"])
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def at_mmi(case_manager: User, days: int) -> Case:
    case = CaseFactory(case_manager=case_manager)
    case.mmi_date = case.date_of_injury + timedelta(days=days)
    case.save()
    return case


@pytest.mark.replica
@on_replica
def test_time_to_mmi_reads_the_replica_and_trails_the_primary_by_its_lag(replica):
    primary = connections["default"]
    manager = CaseManagerFactory()
    client = client_for(manager)
    at_mmi(manager, 100)
    wait_for_replay(primary, replica)
    with CaptureQueriesContext(primary) as on_primary, CaptureQueriesContext(replica) as read:
        response = client.get(reverse("time-to-mmi"))
    assert response.status_code == 200
    assert response.context["statistics"].cases == 1
    assert any("percentile_cont" in query["sql"] for query in read)
    # The session and the signed-in user, read and saved by the middleware around the view.
    assert on_primary.captured_queries
    assert not [query for query in on_primary if "cases_case" in query["sql"]]

    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        at_mmi(manager, 200)
        assert client.get(reverse("time-to-mmi")).context["statistics"].cases == 1
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay(primary, replica)
    assert client.get(reverse("time-to-mmi")).context["statistics"].cases == 2


@pytest.mark.replica
@on_replica
def test_writes_while_reading_the_replica_go_to_default(replica):
    organisation = OrganisationFactory(name="Before")
    wait_for_replay(connections["default"], replica)

    # A hot standby refuses every write, so any that reached it would fail here.
    @reads_replica
    def rename_and_add() -> Organisation:
        found = Organisation.objects.get(pk=organisation.pk)
        assert found._state.db == REPLICA
        found.name = "After"
        found.save()
        return OrganisationFactory(name="Added")

    with CaptureQueriesContext(replica) as read:
        added = rename_and_add()
    assert read.captured_queries
    assert all(query["sql"].startswith("SELECT") for query in read)
    on_default = Organisation.objects.using("default")
    assert on_default.get(pk=organisation.pk).name == "After"
    assert on_default.filter(pk=added.pk).exists()


@pytest.mark.django_db
def test_without_a_replica_the_reporting_page_reads_default():
    assert REPLICA not in connections
    manager = CaseManagerFactory()
    at_mmi(manager, 100)
    with CaptureQueriesContext(connections["default"]) as on_default:
        response = client_for(manager).get(reverse("time-to-mmi"))
    assert response.context["statistics"].cases == 1
    assert any("cases_case" in query["sql"] for query in on_default)
