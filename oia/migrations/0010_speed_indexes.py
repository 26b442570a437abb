"""The notifications page reads a user's newest 25 through an index instead
of sorting every notification the user ever had."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("oia", "0009_calendar_feed_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["user", "-created_at", "-id"], name="notification_user_newest"),
        ),
    ]
