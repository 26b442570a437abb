"""Indexes the report's aggregations rely on when the database holds many
years of a busy office: delegations by direction, status and start date, and
the latest status change of a partnership on a day.

Created here (IF NOT EXISTS) rather than in the delegations and partners apps
so this branch adds no migration to those apps while they change in parallel;
they can move into the models' Meta.indexes later."""

from django.db import migrations

INDEXES = [
    ("report_delegation_dir_status_start", "delegations_delegation", "(direction, status, start_on)"),
    ("report_statuschange_on_day", "partners_statuschange", "(partnership_id, effective_on DESC, id DESC)"),
    ("report_expense_date", "budget_expense", "(date)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_freeze_versions"),
        ("delegations", "0004_delegation_network"),
        ("partners", "0002_areas_of_cooperation"),
        ("budget", "0002_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns};",
            f"DROP INDEX IF EXISTS {name};",
        )
        for name, table, columns in INDEXES
    ]
