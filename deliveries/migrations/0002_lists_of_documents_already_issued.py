"""The distribution lists of the documents issued before deliveries were recorded: each
certification in force and each case's current work status, by the same rule as at issue
(deliveries/domain/distribution.py), so the case page shows who has yet to receive them."""

from django.db import migrations
from django.utils import timezone

from deliveries.domain.distribution import distribution_for
from deliveries.domain.parties import Document, Party


def _name(party, case) -> str:
    if party == Party.CARRIER:
        return case.insurer.name
    if party == Party.EMPLOYER:
        return case.employer.name
    if party == Party.EMPLOYEE:
        return f"{case.patient.first_name} {case.patient.last_name}"
    return ""


def lists_made(apps, schema_editor):
    Determination = apps.get_model("cases", "Determination")
    WorkStatus = apps.get_model("cases", "WorkStatus")
    Recipient = apps.get_model("deliveries", "Recipient")
    now = timezone.now()
    rows = []
    signed = Determination.objects.filter(status="signed").select_related(
        "case__patient", "case__employer", "case__insurer"
    )
    for determination in signed.iterator():
        case = determination.case
        rule = distribution_for(determination.jurisdiction or case.jurisdiction)
        for party in rule.recipients(
            Document.CERTIFICATION, certifier_role=determination.certifier_role
        ):
            rows.append(
                Recipient(
                    case=case,
                    document=Document.CERTIFICATION,
                    determination=determination,
                    party=party,
                    name=_name(party, case),
                    listed_at=now,
                )
            )
    seen: set[int] = set()
    statuses = WorkStatus.objects.select_related(
        "case__patient", "case__employer", "case__insurer"
    ).order_by("case_id", "-effective_from", "-pk")
    for status in statuses.iterator():
        if status.case_id in seen:
            continue
        seen.add(status.case_id)
        case = status.case
        for party in distribution_for(case.jurisdiction).recipients(Document.WORK_STATUS):
            rows.append(
                Recipient(
                    case=case,
                    document=Document.WORK_STATUS,
                    work_status=status,
                    party=party,
                    name=_name(party, case),
                    listed_at=now,
                )
            )
    Recipient.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("deliveries", "0001_initial"),
    ]

    operations = [migrations.RunPython(lists_made, migrations.RunPython.noop)]
