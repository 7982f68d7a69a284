"""The audit form: the committee from the user's compounds, the report from the restricted
collection, and no audit closed while a finding is open."""

from __future__ import annotations

from typing import Any

from content_types.committees.models import OwnersCommittee
from content_types.roles.permissions import scope_policy_for
from content_types.roles.viewsets import CompoundScopedAdminForm

from .media import AUDIT_COLLECTION_NAME, audit_collection
from .models import Audit, AuditStatus, FindingStatus


class AuditForm(CompoundScopedAdminForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["committee"]
        if self.instance.pk:
            field.disabled = True
            field.help_text = "被审计的业委会在保存后不可更改。"
            audit_collection(self.instance.compound)
            return
        compounds = (
            scope_policy_for(Audit).scopes_user_has_any_permission_for(self.for_user, ["add"])
            if self.for_user is not None
            else OwnersCommittee.objects.none()
        )
        field.queryset = (
            OwnersCommittee.objects.filter(compound__in=compounds)
            .select_related("compound")
            .order_by("compound__path", "-term_start")
        )
        field.error_messages["invalid_choice"] = "只能选择您负责范围内小区的业委会。"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        committee = cleaned.get("committee") or (
            self.instance.committee if self.instance.committee_id else None
        )
        report = cleaned.get("report")
        if committee is not None and report is not None:
            home = audit_collection(committee.compound)
            if not report.collection.path.startswith(home.path):
                self.add_error(
                    "report",
                    f"审计报告“{report.title}”不在“{committee.compound.title} › "
                    f"{AUDIT_COLLECTION_NAME}”集合中：请上传到该集合（仅街道、社区微治办可见）"
                    "后再选择。",
                )
        if cleaned.get("status") == AuditStatus.CLOSED and self._open_findings():
            self.add_error("status", "还有问题未整改销号，审计不能办结。")
        return cleaned

    def _open_findings(self) -> bool:
        formset = self.formsets["findings"]
        if not formset.is_valid():
            return False  # its own errors are shown with it
        return any(
            form.cleaned_data.get("status") == FindingStatus.OPEN
            and not form.cleaned_data.get("DELETE")
            for form in formset.forms
            if form.cleaned_data
        )
