"""The Content-Security-Policy on every kind of answer, and the endpoint
browsers report its violations to."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from reports.choices import VersionStatus
from tests.factories import DocumentFactory, ReportVersionFactory

REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "report-uri": "/csp-report/",
}


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_policy(response, **changed):
    assert "Content-Security-Policy" in response, f"no CSP on {response.request['PATH_INFO']}"
    policy = directives(response)
    for name, value in (REQUIRED | {name.replace("_", "-"): value for name, value in changed.items()}).items():
        assert policy.get(name) == value, (name, policy)
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_html_pages_carry_the_policy(client, staff_client):
    assert_policy(Client().get(reverse("login")))
    for name in ("dashboard", "partners:partnership-list", "partners:map", "delegations:calendar", "reports:index"):
        response = staff_client.get(reverse(name))
        assert response.status_code == 200, name
        assert_policy(response)


def test_api_answers_and_docs_carry_the_policy(staff_api):
    for url in (reverse("api:city-list"), reverse("api:schema")):
        response = staff_api.get(url)
        assert response.status_code == 200, url
        assert_policy(response)
    # Swagger UI's icons are data: URLs: allowed as images on the docs page only.
    for url in (reverse("api:docs"), reverse("api:docs") + "?script"):
        assert_policy(staff_api.get(url), img_src="'self' data:")
    refused = APIClient().get(reverse("api:city-list"))
    assert refused.status_code in (401, 403)
    assert_policy(refused)


def test_the_api_docs_load_their_start_script_from_a_file(staff_api):
    page = staff_api.get(reverse("api:docs")).content.decode()

    assert "<style>" not in page
    assert "?script=" in page
    for line in page.splitlines():
        assert "<script>" not in line, line
    script = staff_api.get(reverse("api:docs") + "?script")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    # No validator badge, which would load an image from validator.swagger.io.
    assert '"validatorUrl": null' in script.content.decode()


def test_the_browsable_api_has_no_inline_style(staff_client):
    response = staff_client.get(reverse("api:city-list"), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert_policy(response)
    page = response.content.decode()
    assert "<style" not in page
    assert 'style="' not in page


def test_admin_and_error_pages_carry_the_policy(admin_client, client, db):
    assert_policy(admin_client.get("/admin/"))
    assert_policy(admin_client.get("/admin/auth/user/"))
    assert_policy(client.get("/no-such-page/"))
    assert_policy(client.get("/api/no-such-endpoint/"))
    assert_policy(Client().get("/admin/"))  # a redirect to the sign-in


def test_a_refused_form_gets_our_page_under_the_policy(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert_policy(response)
    assert "<style" not in response.content.decode()
    assert "Form not accepted" in response.content.decode()


def test_public_report_and_file_downloads_carry_the_policy(client, staff_client):
    ReportVersionFactory(year=2025, status=VersionStatus.PUBLISHED, public=True)
    document = DocumentFactory()
    assert_policy(Client().get(reverse("reports:public", args=[2025])))
    assert_policy(Client().get(reverse("reports:public-download", args=[2025, "pdf"])))
    for url in (
        reverse("partners:document-download", args=[document.pk]),
        reverse("partners:partnership-export", args=["csv"]),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200
        assert_policy(response)


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client, db):
    page = client.get(reverse("login")).content.decode()

    config = page.split('name="htmx-config" content=\'', 1)[1].split("'", 1)[0]
    assert json.loads(config) == {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}


@pytest.mark.django_db
class TestReportEndpoint:
    url = "/csp-report/"

    def post(self, body, content_type="application/csp-report", **extra):
        client = Client(enforce_csrf_checks=True)
        return client.post(self.url, body, content_type=content_type, **extra)

    def test_a_report_uri_report_is_logged(self, security_log):
        report = {
            "csp-report": {
                "document-uri": "http://oia.example/delegations/feed/SECRET-TOKEN.ics?q=private#x",
                "blocked-uri": "inline",
                "violated-directive": "script-src-elem",
                "effective-directive": "script-src-elem",
                "disposition": "enforce",
                "source-file": "http://oia.example/partners/?search=Mayer",
                "line-number": 12,
                "script-sample": "alert('personal data')",
            }
        }

        response = self.post(json.dumps(report), REMOTE_ADDR="203.0.113.9")

        assert response.status_code == 204
        (event,) = security_log.events("csp_violation")
        assert event["level"] == "WARNING"
        assert event["blocked_uri"] == "inline"
        assert event["violated_directive"] == "script-src-elem"
        assert event["document_uri"] == "http://oia.example/delegations/feed/[redacted].ics"
        assert event["source_file"] == "http://oia.example/partners/"
        assert event["line_number"] == "12"
        assert event["address"] == "203.0.113.9"
        assert "personal data" not in json.dumps(event)
        assert "SECRET-TOKEN" not in json.dumps(event)

    def test_a_reporting_api_report_is_logged(self, security_log):
        reports = [
            {
                "type": "csp-violation",
                "url": "http://oia.example/",
                "body": {
                    "documentURL": "http://oia.example/accounts/reset/MQ/abc-123/",
                    "blockedURL": "https://evil.example/x.js?token=1",
                    "effectiveDirective": "script-src-elem",
                    "disposition": "enforce",
                },
            },
            {"type": "deprecation", "body": {"message": "not ours"}},
        ]

        response = self.post(json.dumps(reports), content_type="application/reports+json")

        assert response.status_code == 204
        (event,) = security_log.events("csp_violation")
        assert event["blocked_uri"] == "https://evil.example/x.js"
        assert event["violated_directive"] == "script-src-elem"
        assert event["document_uri"] == "http://oia.example/accounts/reset/MQ/[redacted]/"

    def test_long_values_are_cut_short(self, security_log):
        report = {"csp-report": {"blocked-uri": "https://evil.example/" + "a" * 5000, "violated-directive": "x" * 900}}

        self.post(json.dumps(report))

        (event,) = security_log.events("csp_violation")
        assert len(event["blocked_uri"]) == 300
        assert len(event["violated_directive"]) == 300

    @pytest.mark.parametrize(
        "body",
        [
            b"",
            b"not json at all",
            b"\xff\xfe\x00garbage",
            b"[" * 5000 + b"]" * 5000,
            b"null",
            b"42",
            b'"a string"',
            b'{"csp-report": "not an object"}',
            b'{"csp-report": {"blocked-uri": {"nested": [1, 2]}, "line-number": null}}',
            b'[{"type": "csp-violation", "body": []}, 7, null]',
        ],
    )
    def test_garbage_is_answered_204_and_never_500(self, body, security_log):
        for content_type in ("application/csp-report", "application/reports+json", "text/plain"):
            response = self.post(body, content_type=content_type)
            assert response.status_code == 204

    def test_an_oversized_body_is_dropped_unread(self, security_log, settings):
        settings.OIA_CSP_REPORT_MAX_BYTES = 1000
        report = {"csp-report": {"blocked-uri": "inline", "violated-directive": "script-src", "pad": "x" * 2000}}

        response = self.post(json.dumps(report))

        assert response.status_code == 204
        assert security_log.events("csp_violation") == []

    def test_a_flood_in_one_body_logs_at_most_twenty(self, security_log):
        reports = [{"type": "csp-violation", "body": {"blockedURL": "inline"}}] * 200

        self.post(json.dumps(reports), content_type="application/reports+json")

        assert len(security_log.events("csp_violation")) == 20

    def test_only_post_is_accepted(self):
        assert Client().get(self.url).status_code == 405


def test_report_only_mode_reports_without_enforcing(settings, client, db):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy

    response = client.get(reverse("login"))

    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_no_stylesheet_of_ours_loads_an_image_from_a_data_url():
    """img-src 'self' refuses data: URLs; pico's icons are files (static/vendor/pico/icons)."""
    static = Path(__file__).resolve().parents[2] / "static"
    for sheet in static.rglob("*.css"):
        css = sheet.read_text()
        assert not re.search(r"url\(\s*[\"']?data:", css), sheet
        for target in re.findall(r"url\(\s*[\"']?([^\"')]+)", css):
            assert (sheet.parent / target).is_file(), (sheet, target)
