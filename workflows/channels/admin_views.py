"""通知投递 in the admin: every message with its status, and a failed one sent again.

Listed read-only under 站点配置 (``site_config.wagtail_hooks``); the street office, who reads
the failures, sends one again once its cause is mended (a robot's address or secret, the
network), rather than waiting for the next event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log

from content_types.roles.permissions import is_street_office

from .delivery import send_again
from .models import ChannelMessage, MessageStatus

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django.urls import URLPattern


class ChannelMessageIndexView(IndexView):
    send_again_url_name = ""

    def get_list_more_buttons(self, instance: ChannelMessage) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        if instance.status == MessageStatus.FAILED and is_street_office(self.request.user):
            url = reverse(self.send_again_url_name, args=(quote(instance.pk),))
            buttons.append(MenuItem("重新发送", url=url, icon_name="repeat", priority=20))
        return buttons


class SendAgainView(WagtailAdminTemplateMixin, View):
    """A confirmation page (GET) and the sending again (POST) of one failed message."""

    header_icon = "repeat"
    page_title = "重新发送通知"
    url_namespace = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not is_street_office(request.user):
            raise PermissionDenied
        self.message = get_object_or_404(
            ChannelMessage.objects.select_related("channel"), pk=kwargs["pk"]
        )
        if self.message.status != MessageStatus.FAILED:
            messages.warning(request, "只有发送失败的通知可以重新发送；这条通知正在发送或已送达。")
            return redirect(self.index_url())
        return super().dispatch(request, *args, **kwargs)

    def index_url(self) -> str:
        return reverse(f"{self.url_namespace}:index")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(message=self.message, index_url=self.index_url())
        return TemplateResponse(request, "channels/send_again_confirm.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        send_again(self.message)
        log(instance=self.message, action="wagtail.edit", user=request.user)
        messages.success(request, f"已安排重新发送“{self.message.subject}”，结果稍后在此列出。")
        return redirect(self.index_url())


class ChannelMessageViewSet(ModelViewSet):
    index_view_class = ChannelMessageIndexView

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_index_view_kwargs(
            send_again_url_name=self.get_url_name("send_again"), **kwargs
        )

    def get_urlpatterns(self) -> list[URLPattern]:
        send_again_view = SendAgainView.as_view(url_namespace=self.url_namespace)
        return [
            *super().get_urlpatterns(),
            path("send-again/<int:pk>/", send_again_view, name="send_again"),
        ]
