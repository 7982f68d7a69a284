"""Admin wiring of scorecards: the ranking viewset, its menu item, the access policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from content_types.roles.permissions import scope_policy_for

from .admin_views import ScorecardViewSet, may_see_scorecards
from .models import Scorecard

if TYPE_CHECKING:
    from django.http import HttpRequest

register_permission_policy(Scorecard, scope_policy_for(Scorecard))


@hooks.register("register_admin_viewset")
def register_scorecard_viewset() -> ScorecardViewSet:
    return ScorecardViewSet()


class ScorecardMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_see_scorecards(request.user)


@hooks.register("register_admin_menu_item")
def register_scorecard_menu() -> MenuItem:
    return ScorecardMenuItem("考评排名", reverse("scorecards:index"), icon_name="pick", order=236)
