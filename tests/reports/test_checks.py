"""The system checks that keep the report's time limits and the broker's
visibility timeout in the right order."""

from reports.checks import check_visibility_timeout_outlasts_the_report


def test_the_default_settings_pass():
    assert check_visibility_timeout_outlasts_the_report(None) == []


def test_a_visibility_timeout_shorter_than_the_hard_limit_is_an_error(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}

    assert [error.id for error in check_visibility_timeout_outlasts_the_report(None)] == ["reports.E001"]


def test_a_soft_limit_past_the_hard_limit_is_an_error(settings):
    settings.OIA_REPORT_SOFT_TIME_LIMIT = 400

    assert [error.id for error in check_visibility_timeout_outlasts_the_report(None)] == ["reports.E002"]
