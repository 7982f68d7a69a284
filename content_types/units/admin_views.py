"""The units register in the admin (房屋与业主名册): read and exported with phones masked.

The roles that keep the register (``Role.VOTE_ORGANISERS``, who run the votes it feeds) read
it for their compounds. A full phone number is shown one unit at a time, on an explicit
request, to the roles in ``WEIZHI_FULL_PHONE_ROLES`` (those who phone or visit owners, as for
door-to-door voting), and each reveal is in the audit log. The export carries masked phones
only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from content_types.accounts.access_audit import record_refusal
from content_types.accounts.audit import RecordedExportMixin, record
from content_types.accounts.models import AuditAction
from content_types.roles.models import Role
from content_types.roles.scope import compounds_for
from core.formula_safe import FormulaSafeCsvMixin

from .models import Unit

if TYPE_CHECKING:
    from django.db.models import QuerySet

# Held by exactly these roles (content_types/roles/models.py), so the menu needs no query.
READER_PERMISSION = "committees.add_ownerscommittee"


def units_for(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(compound__in=compounds_for(user, Role.VOTE_ORGANISERS))


def revealable_compound_ids(user: Any) -> set[int]:
    return set(compounds_for(user, settings.WEIZHI_FULL_PHONE_ROLES).values_list("pk", flat=True))


class UnitRegisterPolicy(BasePermissionPolicy):
    """View only, for the roles that keep the register; rows are scoped by ``units_for``."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        if "view" not in actions or not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or user.has_perm(READER_PERMISSION)

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(role_assignments__role__in=Role.VOTE_ORGANISERS).distinct()


register_permission_policy(Unit, UnitRegisterPolicy(Unit))


class UnitRegisterIndexView(RecordedExportMixin, FormulaSafeCsvMixin, IndexView):
    export_subject = "房屋与业主名册"

    def get_base_queryset(self) -> QuerySet[Unit]:
        return units_for(self.request.user).select_related("compound")

    @cached_property
    def columns(self) -> list[Column]:
        revealable = revealable_compound_ids(self.request.user)
        return [
            Column("compound", label="小区"),
            Column("label", label="房屋"),
            Column("owner_name", label="业主姓名"),
            TitleColumn(
                "masked_phone",
                label="业主手机号",
                get_url=lambda unit: (
                    reverse("weizhi_units:phone", args=[unit.pk])
                    if unit.compound_id in revealable
                    else None
                ),
                link_attrs={"title": "显示完整号码"},
            ),
            Column("exclusive_area", label="专有部分面积（平方米）"),
        ]


class RevealPhoneView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation; only the POST shows the number, and is recorded."""

    page_title = "显示完整号码"
    header_icon = "view"
    template_name = "units/phone.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        unit = units_for(request.user).select_related("compound").filter(pk=kwargs["pk"]).first()
        if unit is None or unit.compound_id not in revealable_compound_ids(request.user):
            if Unit.objects.filter(pk=kwargs["pk"]).exists():
                record_refusal(request, 404)
            raise Http404
        self.unit = unit

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit = self.unit
        record(
            AuditAction.PHONE_REVEAL,
            request=request,
            scope=unit.compound,
            description=f"查看{unit.compound.title}{unit.label}业主的完整手机号",
            unit=unit.pk,
        )
        return self.render_to_response(self.get_context_data(revealed=True))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(unit=self.unit, **kwargs)


class UnitRegisterViewSet(ModelViewSet):
    model = Unit
    icon = "home"
    menu_label = "房屋与业主名册"
    add_to_admin_menu = True
    menu_order = 230
    index_view_class = UnitRegisterIndexView
    list_per_page = 50
    list_export = ["compound", "label", "owner_name", "masked_phone", "exclusive_area"]
    export_headings = {
        "compound": "小区",
        "label": "房屋",
        "owner_name": "业主姓名",
        "masked_phone": "业主手机号",
        "exclusive_area": "专有部分面积（平方米）",
    }
    export_filename = "units-register"
    exclude_form_fields: list[str] = []
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/phone/", RevealPhoneView.as_view(), name="phone"),
        ]
