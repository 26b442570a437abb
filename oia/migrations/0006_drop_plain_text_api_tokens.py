"""The API's tokens moved from DRF's authtoken (plain text, no expiry) to knox
(hashed, expiring). The old table still holds working secrets in plain text
where the app ran before: drop it, so no copy of the database leaks them.
Everyone makes a new token (on /accounts/tokens/ or POST /api/auth/token/)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("oia", "0005_notification_email_status")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)]
