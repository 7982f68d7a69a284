"""The Content-Security-Policy header: django-csp's middleware, relaxed under the admin.

Outside the admin only our own files and the inline scripts and styles carrying the response's
nonce run. Wagtail's admin writes inline scripts (panels, date pickers) and style attributes of
its own with no nonce, and a nonce in the policy would make browsers ignore 'unsafe-inline';
so under ``ADMIN_PREFIX`` the directives in ``WEIZHI_ADMIN_CSP_REPLACE`` replace those of
``CONTENT_SECURITY_POLICY``. A view's own ``@csp_replace`` still has the last word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

# Where cms/urls.py mounts the Wagtail admin.
ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**settings.WEIZHI_ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts
