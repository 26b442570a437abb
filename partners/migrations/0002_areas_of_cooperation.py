"""Seed the managed list of areas of cooperation named in the office's practice."""

from django.db import migrations

AREAS = [
    "Culture",
    "Youth",
    "Schools",
    "Sport",
    "Economy and trade",
    "Climate",
    "Mobility",
    "Inclusion",
    "Development cooperation",
    "Startups",
    "Science and universities",
    "Health",
    "Urban development",
]


def seed(apps, schema_editor):
    Area = apps.get_model("partners", "AreaOfCooperation")
    for name in AREAS:
        Area.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
