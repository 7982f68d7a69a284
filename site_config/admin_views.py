"""The configuration file in the admin: its versions, their differences, editing, plan and apply.

Only the street office (and superusers) reach these views; a refusal is audited like any other.
Editing makes an unapplied version (a draft), which the plan page checks through the same
loader and limits as ``apply_config``; applying it asks for a confirmation, runs in one
transaction and is audited. A rollback is a draft holding an earlier version's files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from content_types.accounts.audit import record, unwrapped
from content_types.accounts.models import AuditAction, AuditResult
from content_types.roles.permissions import is_street_office

from .apply import RemovalRefused
from .models import ConfigVersion
from .validation import ConfigError
from .versions import apply_version, diff, plan_files

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

NAMESPACE = "site_config_files"


def url(name: str, *args: Any) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


class StreetOfficeOnly:
    """Refuse anyone but the street office and superusers (the refusal is audited by
    ``access_audit``'s middleware, as every 403 is)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_street_office(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ConfigPage(StreetOfficeOnly, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "cog"
    _show_breadcrumbs = True

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = [{"url": "", "label": "站点配置"}]
        if self.page_title != IndexView.page_title:
            items = [{"url": url("index"), "label": "站点配置文件"}]
        return [*self.breadcrumbs_items, *items, {"url": "", "label": self.get_page_title()}]


class IndexView(ConfigPage):
    template_name = "site_config/config_index.html"
    page_title = "站点配置文件"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        versions = list(ConfigVersion.objects.applied().select_related("applied_by", "created_by"))
        return super().get_context_data(
            current=versions[0] if versions else None,
            versions=versions,
            rows=list(zip(versions, [*versions[1:], None], strict=True)),
            **kwargs,
        )


class VersionView(ConfigPage):
    template_name = "site_config/config_version.html"

    def get_page_title(self) -> str:
        return f"配置版本 {self.kwargs['pk']}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = get_object_or_404(ConfigVersion, pk=self.kwargs["pk"])
        applied = ConfigVersion.objects.applied()
        earlier = (
            applied.filter(applied_at__lt=version.applied_at).first()
            if version.applied_at
            else None
        )
        return super().get_context_data(
            version=version,
            earlier=earlier,
            is_current=version == ConfigVersion.objects.current(),
            **kwargs,
        )


class DiffView(ConfigPage):
    template_name = "site_config/config_diff.html"
    page_title = "比较配置版本"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        applied = list(ConfigVersion.objects.applied())
        older = _version(self.request.GET.get("from"))
        newer = _version(self.request.GET.get("to"))
        return super().get_context_data(
            versions=applied,
            older=older,
            newer=newer,
            files=diff(older, newer) if older and newer else [],
            **kwargs,
        )


def _version(pk: str | None) -> ConfigVersion | None:
    if not pk or not pk.isdigit():
        return None
    return ConfigVersion.objects.filter(pk=pk).first()


class EditForm(forms.Form):
    file = forms.ChoiceField(label="文件")
    text = forms.CharField(
        label="内容",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 30, "data-config-editor": "yaml", "spellcheck": "false"}
        ),
    )
    upload = forms.FileField(
        label="或上传文件",
        required=False,
        help_text="上传的文件替换上面所选文件的内容（UTF-8 编码的 YAML）。",
    )
    note = forms.CharField(label="修改说明", max_length=255, required=False)

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["file"]).choices = [(name, name) for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limit = settings.WEIZHI_SITE_CONFIG_MAX_BYTES
        upload = data.get("upload")
        if upload is not None:
            if upload.size > limit:
                raise forms.ValidationError(
                    f"上传的文件过大（{upload.size} 字节），上限为 {limit} 字节。"
                )
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError("上传的文件不是 UTF-8 编码的文本。") from error
        if not data.get("text", "").strip():
            raise forms.ValidationError("文件内容为空：请填写内容或上传文件。")
        if len(data["text"].encode()) > limit:
            raise forms.ValidationError(f"文件内容超过 {limit} 字节的上限。")
        return data


class EditView(ConfigPage):
    """Edit one file of the current version (or give the first one), then plan the result."""

    template_name = "site_config/config_edit.html"
    page_title = "编辑站点配置"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self._form())
        return super().get_context_data(current=ConfigVersion.objects.current(), **kwargs)

    def _base(self) -> tuple[dict[str, str], str]:
        current = ConfigVersion.objects.current()
        if current is None:
            return {}, "site.yaml"
        return dict(current.files), current.main

    def _form(self, data: Any = None, files: Any = None) -> EditForm:
        texts, main = self._base()
        names = [main, *sorted(name for name in texts if name != main)]
        chosen = self.request.GET.get("file")
        chosen = chosen if chosen in names else main
        return EditForm(
            data, files, names=names, initial={"file": chosen, "text": texts.get(chosen, "")}
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            form = self._form(request.POST, request.FILES)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            messages.error(request, f"提交的内容超过 {limit} 字节：请改为上传文件。")
            return redirect(url("edit"))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        texts, main = self._base()
        texts[form.cleaned_data["file"]] = form.cleaned_data["text"]
        version = ConfigVersion.objects.create(
            files=texts,
            main=main,
            origin=ConfigVersion.Origin.ADMIN,
            note=form.cleaned_data["note"],
            created_by=unwrapped(request.user),
        )
        return redirect(url("plan", version.pk))


class PlanView(ConfigPage):
    template_name = "site_config/config_plan.html"

    def get_page_title(self) -> str:
        return f"配置计划：版本 {self.kwargs['pk']}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = get_object_or_404(ConfigVersion, pk=self.kwargs["pk"])
        allow_delete = self.request.GET.get("allow_delete") == "1"
        planned = plan_files(version.files, version.main, allow_delete)
        current = ConfigVersion.objects.current()
        record(
            AuditAction.CONFIG_PLAN,
            request=self.request,
            result=AuditResult.SUCCESS if planned.problems == [] else AuditResult.FAILURE,
            description=f"站点配置计划：版本 {version.pk}",
            version=version.pk,
        )
        return super().get_context_data(
            version=version,
            planned=planned,
            allow_delete=allow_delete,
            creates=[c for c in planned.changes if c.change.action == "create"],
            updates=[c for c in planned.changes if c.change.action == "update"],
            removals=[c for c in planned.changes if c.change.action == "remove"],
            refused=planned.plan.refused if planned.plan else [],
            files=diff(current, version) if current else [],
            **kwargs,
        )


class ApplyView(StreetOfficeOnly, TemplateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        version = get_object_or_404(ConfigVersion, pk=kwargs["pk"])
        allow_delete = request.POST.get("allow_delete") == "1"
        back = url("plan", version.pk) + ("?allow_delete=1" if allow_delete else "")
        if version.applied_at is not None:
            messages.error(
                request, f"版本 {version.pk} 已经应用过；如要恢复，请使用“回滚到此版本”。"
            )
            return redirect(back)
        if request.POST.get("confirm") != "1":
            messages.error(request, "请先勾选“我已核对以上计划”，再应用。")
            return redirect(back)
        try:
            plan = apply_version(version, request.user, allow_delete)
        except (ConfigError, RemovalRefused) as refused:
            record(
                AuditAction.CONFIG_APPLY,
                request=request,
                result=AuditResult.FAILURE,
                description=f"应用站点配置失败：版本 {version.pk}",
                version=version.pk,
            )
            messages.error(request, "未做任何修改：" + str(refused).splitlines()[0])
            return redirect(back)
        record(
            AuditAction.CONFIG_APPLY,
            request=request,
            description=(
                f"应用站点配置：版本 {version.pk}（新建 {plan.count('create')}，"
                f"更新 {plan.count('update')}，移除 {plan.count('remove')}）"
            ),
            version=version.pk,
            allow_delete=allow_delete,
        )
        messages.success(request, f"配置版本 {version.pk} 已应用。")
        return redirect(url("index"))


class RollbackView(StreetOfficeOnly, TemplateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        earlier = get_object_or_404(ConfigVersion.objects.applied(), pk=kwargs["pk"])
        draft = ConfigVersion.objects.create(
            files=earlier.files,
            main=earlier.main,
            origin=ConfigVersion.Origin.ADMIN,
            note=f"回滚到版本 {earlier.pk}",
            rollback_of=earlier,
            created_by=unwrapped(request.user),
        )
        return redirect(url("plan", draft.pk))


class StreetOfficeMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_street_office(request.user)


class ConfigFilesViewSet(ViewSet):
    name = NAMESPACE
    url_prefix = "site-config"
    icon = "code"
    menu_label = "配置文件与版本"
    menu_item_class = StreetOfficeMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", IndexView.as_view(), name="index"),
            path("edit/", EditView.as_view(), name="edit"),
            path("diff/", DiffView.as_view(), name="diff"),
            path("versions/<int:pk>/", VersionView.as_view(), name="version"),
            path("versions/<int:pk>/plan/", PlanView.as_view(), name="plan"),
            path("versions/<int:pk>/apply/", ApplyView.as_view(), name="apply"),
            path("versions/<int:pk>/rollback/", RollbackView.as_view(), name="rollback"),
        ]
