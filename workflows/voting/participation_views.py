"""The committee's tools for reaching the quorum while a vote is open (``participation``).

Turnout against two-thirds, the homes still to ask — printed per building or exported, each
copy audited, since it names owners — and a reminder to post in a building, which names no one.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from openpyxl import Workbook
from wagtail.admin import messages

from content_types.accounts.audit import record
from content_types.accounts.models import AuditAction
from core.formula_safe import escape_formula

from .admin_views import OneVoteView
from .models import ElectorUnit, VoteStatus, centi_to_area
from .participation import turnout, turnout_by_building, unanswered_homes
from .reminders import reminder, send_reminder
from .services import VotingError

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase


class OpenVoteView(OneVoteView):
    """Views that exist only while the vote takes answers (the roll frozen, not yet counted)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.vote.status != VoteStatus.OPEN:
            raise Http404("表决未在进行中。")
        return super().dispatch(request, *args, **kwargs)


class ParticipationView(OpenVoteView):
    """Turnout against the two-thirds line, per building, and the homes still to ask."""

    template_name = "voting/admin/participation.html"
    page_title = "参与进度"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        buildings = turnout_by_building(self.vote)
        building = request.GET.get("building", "")
        if building not in {item.label for item in buildings}:
            building = ""
        return self.render(
            overall=turnout(self.vote),
            buildings=buildings,
            building=building,
            homes=unanswered_homes(self.vote, building) if building else None,
        )


class UnansweredHomesView(OpenVoteView):
    """The homes still to ask, for the door-to-door round: printed per building or as Excel.

    Owners' names are personal data: every copy is an audit event.
    """

    export_format = "print"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        building = request.GET.get("building", "")
        homes = unanswered_homes(self.vote, building)
        where = building or "全部楼栋"
        record(
            AuditAction.PERSONAL_DATA_EXPORT,
            request=request,
            scope=self.vote.compound,
            description=(
                f"{'导出' if self.export_format == 'xlsx' else '打印'}"
                f"“{self.vote.title}”未表决业主名单（{where}，{len(homes)} 户）"
            )[:255],
            format=self.export_format,
            rows=len(homes),
            vote=self.vote.pk,
        )
        if self.export_format == "xlsx":
            response = self.workbook(homes)
        else:
            response = render(
                request,
                "voting/admin/unanswered_print.html",
                {"vote": self.vote, "homes": homes, "where": where, "now": timezone.now()},
            )
        add_never_cache_headers(response)
        return response

    def workbook(self, homes: list[ElectorUnit]) -> HttpResponse:
        book = Workbook()
        sheet = book.active
        sheet.title = "未表决业主"
        sheet.append(["楼栋", "单元", "室", "业主姓名", "专有部分面积（平方米）"])
        for home in homes:
            sheet.append(
                [
                    escape_formula(home.building),
                    escape_formula(home.entrance),
                    escape_formula(home.room),
                    escape_formula(home.owner_name),
                    centi_to_area(home.area_centi),
                ]
            )
        content = BytesIO()
        book.save(content)
        response = HttpResponse(
            content.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="unanswered-{self.vote.pk}.xlsx"'
        return response


class ReminderNoticeView(OpenVoteView):
    """A notice to put up in a building: the vote, its closing time and how to vote; printed
    (GET), or published on the compound's noticeboard and sent to those who pass it on (POST).

    Posted where anyone reads it, so it names no one and shows no turnout.
    """

    @property
    def vote_url(self) -> str:
        return self.request.build_absolute_uri(reverse("voting:detail", args=[self.vote.pk]))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        building = request.GET.get("building", "")[:20]
        qr = segno.make(self.vote_url, error="m").svg_inline(scale=4, title="表决页面二维码")
        return render(
            request,
            "voting/admin/reminder.html",
            {
                "vote": self.vote,
                "words": reminder(self.vote, building, self.vote_url),
                "qr": mark_safe(qr),  # noqa: S308 - segno's own SVG of our own URL
                "now": timezone.now(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        building = request.POST.get("building", "")[:20]
        back = reverse("voting_admin:participation", args=[self.vote.pk])
        try:
            notice = send_reminder(self.vote, building, self.user, self.vote_url)
        except VotingError as error:
            messages.error(request, str(error))
            return redirect(back)
        messages.success(
            request,
            f"已将“{notice.title}”发布到小区公告栏（网站和公开屏，表决截止时自动下线），"
            "并通过站内消息和邮件发给物业、小区专员和业委会张贴转告。",
        )
        return redirect(back)
