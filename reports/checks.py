"""System checks of the reports app (``manage.py check``)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_visibility_timeout_outlasts_the_report(app_configs, **kwargs):
    """Redis hands an unacknowledged task to another worker after the
    visibility timeout: shorter than the report's hard time limit, a report
    still being generated would be started again and counted as a failed attempt."""
    hard_limit = settings.OIA_REPORT_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    if hard_limit and visibility <= hard_limit:
        return [
            Error(
                f"CELERY_VISIBILITY_TIMEOUT ({visibility} s) must be longer than "
                f"OIA_REPORT_TIME_LIMIT ({hard_limit} s).",
                hint="Raise CELERY_VISIBILITY_TIMEOUT or lower OIA_REPORT_TIME_LIMIT.",
                id="reports.E001",
            )
        ]
    if not hard_limit or (settings.OIA_REPORT_SOFT_TIME_LIMIT and settings.OIA_REPORT_SOFT_TIME_LIMIT >= hard_limit):
        return [
            Error(
                "OIA_REPORT_SOFT_TIME_LIMIT must be shorter than OIA_REPORT_TIME_LIMIT, which must be set.",
                hint="Without a hard limit a stuck generation holds its worker for ever.",
                id="reports.E002",
            )
        ]
    return []
