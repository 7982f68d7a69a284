"""The street office's override of an end-of-term audit's hold on the next election, and the
editor's button to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView, InspectView

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for

from . import services
from .models import Audit, AuditKind, FindingStatus

if TYPE_CHECKING:
    from django.http import HttpResponse, HttpResponseBase


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="准许理由",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.REASON_MAX_LENGTH,
        help_text="将记入审计的操作记录，如：整改资金已到位、剩余问题已移交新一届业委会限期整改。",
    )


def may_be_overridden(audit: Audit) -> bool:
    return (
        audit.kind == AuditKind.TERM_END
        and not audit.election_override_at
        and any(f.status == FindingStatus.OPEN for f in audit.findings.all())
    )


class ElectionOverrideView(WagtailAdminTemplateMixin, FormView):
    """Only reached for an audit within the user's scope (the viewset wraps it); only the
    street office over its compound may submit."""

    template_name = "audits/election_override.html"
    form_class = OverrideForm
    header_icon = "warning"
    page_title = "准许开启换届选举"
    edit_url_name: str = ""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        reachable = scope_policy_for(Audit).instances_user_has_any_permission_for(
            request.user, ALL_ACTIONS
        )
        self.audit = get_object_or_404(
            reachable.select_related("compound", "committee"), pk=kwargs["pk"]
        )
        if not services.may_override(request.user, self.audit):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.audit)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            audit=self.audit,
            open_findings=self.audit.findings.filter(status=FindingStatus.OPEN),
            **kwargs,
        )

    def form_valid(self, form: OverrideForm) -> HttpResponse:
        try:
            services.override_election(self.audit, self.request.user, form.cleaned_data["reason"])
        except services.AuditRefused as refused:
            form.add_error("reason", str(refused))
            return self.form_invalid(form)
        messages.success(
            self.request, f"已准许{self.audit.compound.title}开启换届选举，理由已记录。"
        )
        return redirect(self.edit_url_name, self.audit.pk)


class AuditInspectView(InspectView):
    """The audit with each finding on a line: its amount, deadline and whether it is closed."""

    labels = {
        "findings": "审计发现的问题",
        "period_label": "审计期间",
        "findings_amount": "问题涉及金额合计（元）",
    }

    def get_field_label(self, field_name: str, field: Any) -> str:
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_findings_display_value(self) -> str:
        lines = [
            f"{n}. {finding.title}"
            + (f"（涉及 {finding.amount} 元）" if finding.amount is not None else "")
            + f"：{finding.get_status_display()}"
            + (f"，{finding.closure_note}" if finding.closure_note else "")
            for n, finding in enumerate(self.object.findings.all(), start=1)
        ]
        return "；".join(lines) or "未发现问题"


class AuditEditView(EditView):
    override_url_name: str = ""

    @property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        audit = self.object
        if may_be_overridden(audit) and services.may_override(self.request.user, audit):
            buttons.append(
                Button(
                    "准许开启换届选举",
                    url=self.override_url(audit),
                    icon_name="warning",
                    priority=30,
                )
            )
        return buttons

    def override_url(self, audit: Audit) -> str:
        return reverse(self.override_url_name, args=[audit.pk])
