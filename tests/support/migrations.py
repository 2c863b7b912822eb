"""Moving the test database between migrations, for the tests of data migrations
(tests/cases/migrations/, whose conftest puts every migration back after each test)."""

from collections.abc import Callable
from datetime import date

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets) -> Apps:
    """Migrate to ``targets``; the models as they stand there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def case_maker(apps: Apps) -> tuple[object, Callable[..., object]]:
    """A clinician, and a function that opens a case (claim number, jurisdiction and any
    other field) managed by them, for one patient, employer and insurer, with the models as
    ``apps`` has them. Called again, it finds the same people and organisations."""
    User = apps.get_model("cases", "User")
    Organisation = apps.get_model("cases", "Organisation")
    Patient = apps.get_model("cases", "Patient")
    Case = apps.get_model("cases", "Case")
    doctor, _ = User.objects.get_or_create(username="doc", role="clinician")
    employer, _ = Organisation.objects.get_or_create(name="E", kind="employer")
    insurer, _ = Organisation.objects.get_or_create(name="I", kind="insurer")
    patient, _ = Patient.objects.get_or_create(
        first_name="A", last_name="B", date_of_birth=date(1980, 1, 1)
    )

    def case(claim: str, jurisdiction: str, **fields):
        return Case.objects.create(
            patient=patient,
            claim_number=claim,
            jurisdiction=jurisdiction,
            body_part="lower_back",
            employer=employer,
            insurer=insurer,
            case_manager=doctor,
            **fields,
        )

    return doctor, case
