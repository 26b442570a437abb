"""The calendar's month without reading the years before it: a GiST index on
each delegation's days as a date range (see ``DelegationQuerySet.overlapping``)."""

import django.contrib.postgres.fields.ranges
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0008_api_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="delegation",
            index=django.contrib.postgres.indexes.GistIndex(
                models.Func(
                    models.F("start_on"),
                    models.F("end_on"),
                    models.Value("[]"),
                    function="daterange",
                    output_field=django.contrib.postgres.fields.ranges.DateRangeField(),
                ),
                name="delegation_days",
            ),
        ),
    ]
