"""Seed the managed list of the city's departments."""

from django.db import migrations

DEPARTMENTS = [
    ("Office for International Affairs", "OIA"),
    ("Mayor's Office", "MO"),
    ("Culture", "CUL"),
    ("Economic Development", "ECON"),
    ("Mobility", "MOB"),
    ("Environment", "ENV"),
    ("Police", "POL"),
    ("Education", "EDU"),
    ("Urban Planning", "PLAN"),
]


def seed(apps, schema_editor):
    Department = apps.get_model("delegations", "Department")
    for name, short_name in DEPARTMENTS:
        Department.objects.get_or_create(name=name, defaults={"short_name": short_name})


class Migration(migrations.Migration):
    dependencies = [("delegations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
