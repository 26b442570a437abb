"""The endpoint browsers report Content-Security-Policy violations to.

Each violation becomes one ``csp_violation`` security event, so an injected
script (or a page of ours that breaks the policy) shows up in the log. The
body is written by whoever sends it: it is read only up to
``OIA_CSP_REPORT_MAX_BYTES``, every value is cut short and cleaned of secrets
and query strings, and the answer is always 204, whatever arrives.
"""

import json
import logging
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .logs import redact
from .security import log_event

# More reports in one body than this are not logged one by one (a flood, not a browser).
MAX_REPORTS_PER_BODY = 20
MAX_VALUE_LENGTH = 300
# The fields logged, by their names in the two report formats: report-uri's
# (application/csp-report, what our policy asks for) and the Reporting API's
# (application/reports+json, for a policy with report-to, e.g. set by a proxy).
FIELDS = {
    "blocked_uri": ("blocked-uri", "blockedURL"),
    "violated_directive": ("violated-directive", "effectiveDirective"),
    "effective_directive": ("effective-directive", "effectiveDirective"),
    "document_uri": ("document-uri", "documentURL"),
    "source_file": ("source-file", "sourceFile"),
    "line_number": ("line-number", "lineNumber"),
    "disposition": ("disposition", "disposition"),
}
URL_FIELDS = {"blocked_uri", "document_uri", "source_file"}


def _clean(value, is_url: bool) -> str:
    """A report value as a short string without query, fragment or secret tokens."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    text = str(value)[: MAX_VALUE_LENGTH * 4]
    if is_url and "/" in text:
        try:
            parts = urlsplit(text)
            text = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        except ValueError:
            text = text.split("?", 1)[0].split("#", 1)[0]
    return redact(text)[:MAX_VALUE_LENGTH]


def _violations(payload) -> list[dict]:
    """The violation bodies in either format; anything else gives none."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            item["body"]
            for item in payload
            if isinstance(item, dict) and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
    return []


@csrf_exempt
@require_POST
def report(request):
    """Logs each violation a browser reports; answers 204 to anything POSTed."""
    limit = settings.OIA_CSP_REPORT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return HttpResponse(status=204)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=204)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return HttpResponse(status=204)
    for violation in _violations(payload)[:MAX_REPORTS_PER_BODY]:
        fields = {}
        for name, keys in FIELDS.items():
            value = next((violation[key] for key in keys if violation.get(key) not in (None, "")), None)
            if value is not None:
                fields[name] = _clean(value, name in URL_FIELDS)
        log_event("csp_violation", request, level=logging.WARNING, **fields)
    return HttpResponse(status=204)
