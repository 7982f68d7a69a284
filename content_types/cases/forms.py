"""The filing form and the forms of each step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page

from content_types.roles.permissions import scope_policy_for

from .media import CASE_COLLECTION_NAME, case_collection
from .models import Case, Satisfaction

if TYPE_CHECKING:
    from django.db.models import QuerySet


class ScopeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Page) -> str:
        return "　" * max(obj.depth - 3, 0) + obj.title


class CaseForm(WagtailAdminModelForm):
    """Offers the user's own compounds and communities; files only from that scope's restricted
    case collection (made, and its readers refreshed, as the form opens)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scopes: QuerySet = (
            scope_policy_for(Case).scopes_user_has_any_permission_for(self.for_user, ["add"])
            if self.for_user is not None
            else Page.objects.none()
        )
        scopes = scopes.order_by("path")
        for scope in scopes:
            case_collection(scope)
        self.fields["scope"] = ScopeChoiceField(
            queryset=scopes,
            label="所属小区或社区",
            error_messages={"invalid_choice": "只能选择您负责范围内的小区或社区。"},
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope is None:
            return cleaned
        home = case_collection(scope)
        for name, field, what in (("photos", "image", "照片"), ("attachments", "document", "材料")):
            formset = self.formsets[name]
            if not formset.is_valid():  # its own errors are shown with it
                continue
            for form in formset.forms:
                item = form.cleaned_data.get(field)
                if item is None or form.cleaned_data.get("DELETE"):
                    continue
                if not item.collection.path.startswith(home.path):
                    self.add_error(
                        None,
                        f"{what}“{item.title}”不在“{scope.title} › {CASE_COLLECTION_NAME}”"
                        "集合中：请上传到该集合（仅处置人员可见）后再选择。",
                    )
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class AssignForm(forms.Form):
    assignee = HandlerChoiceField(
        label="经办人",
        queryset=get_user_model().objects.none(),
        error_messages={"invalid_choice": "只能指派给本层级的处置人员。"},
    )
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, handlers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("HandlerChoiceField", self.fields["assignee"]).queryset = handlers.order_by("username")


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="处置情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="办理结果", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    satisfaction = forms.ChoiceField(
        label="业主满意度（回访后记录）",
        choices=[("", "—")] + Satisfaction.choices,
        required=False,
    )


class PublishForm(forms.Form):
    summary = forms.CharField(
        label="公开摘要",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="将公开到小区页面：不得含反映人姓名、电话或门牌号。",
    )
