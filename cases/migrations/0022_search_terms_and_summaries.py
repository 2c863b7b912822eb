"""The case list's search terms and the summaries of the status counts and Time to MMI,
filled from the cases already there; the trigram indexes of migration 0012, which served
the search before, are dropped.

The filling uses the pure rules of cases/domain/search.py and cases/reports/spread.py,
which import no model: they are the rules the services apply from now on."""

from collections import defaultdict

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

from cases.domain.search import terms_of
from cases.reports.spread import spread

TRIGRAM_INDEXES = [
    ("patient_first_name_trgm", "cases_patient", "first_name"),
    ("patient_last_name_trgm", "cases_patient", "last_name"),
    ("case_claim_number_trgm", "cases_case", "claim_number"),
    ("case_state_claim_number_trgm", "cases_case", "state_claim_number"),
]
BATCH = 5000


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseSearchTerm = apps.get_model("cases", "CaseSearchTerm")
    StatusCount = apps.get_model("cases", "StatusCount")
    TimeToMmiSpread = apps.get_model("cases", "TimeToMmiSpread")
    rows = Case.objects.order_by("pk").values_list(
        "pk",
        "opened_at",
        "patient__first_name",
        "patient__last_name",
        "claim_number",
        "state_claim_number",
        "insurer_id",
        "status",
        "body_part",
        "diagnosis_codes",
        "date_of_injury",
        "mmi_date",
    )
    terms = []
    counts = defaultdict(int)
    days = defaultdict(list)
    for (
        case_id,
        opened,
        first,
        last,
        claim,
        state_claim,
        insurer,
        status,
        part,
        codes,
        injured,
        mmi,
    ) in rows.iterator(BATCH):
        terms.extend(
            CaseSearchTerm(case_id=case_id, term=term, opened_at=opened)
            for term in terms_of([first, last, claim, state_claim])
        )
        if len(terms) >= BATCH:
            CaseSearchTerm.objects.bulk_create(terms)
            terms = []
        counts[(insurer, status)] += 1
        if mmi is not None:
            group = codes.strip(" ")[:3].upper()
            for scope in (None, insurer):
                days[(scope, "body_part", part)].append((mmi - injured).days)
                days[(scope, "diagnosis", group)].append((mmi - injured).days)
    CaseSearchTerm.objects.bulk_create(terms)
    StatusCount.objects.bulk_create(
        StatusCount(insurer_id=insurer, status=status, cases=number)
        for (insurer, status), number in counts.items()
    )
    spreads = []
    for (scope, dimension, group), values in days.items():
        found = spread(group, values)
        spreads.append(
            TimeToMmiSpread(
                insurer_id=scope,
                dimension=dimension,
                group=group,
                cases=found.count,
                minimum=found.minimum,
                lower_quartile=found.lower_quartile,
                median=found.median,
                upper_quartile=found.upper_quartile,
                maximum=found.maximum,
            )
        )
    TimeToMmiSpread.objects.bulk_create(spreads, batch_size=BATCH)


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_last_assessed_help"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseSearchTerm",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "case",
                        "term",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_terms",
                        to="cases.case",
                    ),
                ),
                ("term", models.CharField(max_length=40)),
                ("opened_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="StatusCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=20)),
                ("cases", models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="TimeToMmiSpread",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "dimension",
                    models.CharField(
                        choices=[("body_part", "Body part"), ("diagnosis", "Diagnosis group")],
                        max_length=20,
                    ),
                ),
                ("group", models.CharField(blank=True, max_length=40)),
                ("cases", models.PositiveIntegerField()),
                ("minimum", models.IntegerField()),
                ("lower_quartile", models.FloatField()),
                ("median", models.FloatField()),
                ("upper_quartile", models.FloatField()),
                ("maximum", models.IntegerField()),
            ],
        ),
        migrations.RemoveIndex(
            model_name="dispute",
            name="dispute_open_deadline",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("body_part"),
                models.F("insurer"),
                condition=models.Q(("mmi_date__isnull", False)),
                name="case_body_part_at_mmi",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Left(
                        django.db.models.functions.text.Trim("diagnosis_codes"), 3
                    )
                ),
                models.F("insurer"),
                condition=models.Q(("mmi_date__isnull", False)),
                name="case_diagnosis_at_mmi",
            ),
        ),
        migrations.AddIndex(
            model_name="determination",
            index=models.Index(
                models.OrderBy(models.F("signed_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("signed_at__isnull", False)),
                name="determination_newest_signed",
            ),
        ),
        migrations.AddIndex(
            model_name="dispute",
            index=models.Index(fields=["outcome", "deadline", "id"], name="dispute_open_deadline"),
        ),
        migrations.AddField(
            model_name="statuscount",
            name="insurer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="status_counts",
                to="cases.organisation",
            ),
        ),
        migrations.AddField(
            model_name="timetommispread",
            name="insurer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="time_to_mmi_spreads",
                to="cases.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="casesearchterm",
            index=models.Index(fields=["term", "-opened_at", "-case"], name="search_term_in_order"),
        ),
        migrations.AddConstraint(
            model_name="statuscount",
            constraint=models.UniqueConstraint(
                fields=("insurer", "status"), name="status_count_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="timetommispread",
            constraint=models.UniqueConstraint(
                condition=models.Q(("insurer__isnull", False)),
                fields=("insurer", "dimension", "group"),
                name="time_to_mmi_spread_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="timetommispread",
            constraint=models.UniqueConstraint(
                condition=models.Q(("insurer__isnull", True)),
                fields=("dimension", "group"),
                name="time_to_mmi_spread_unique_overall",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(drop_trigram_indexes, create_trigram_indexes, elidable=False),
    ]
