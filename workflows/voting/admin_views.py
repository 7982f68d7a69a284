"""Vote management in the Wagtail admin, for the committee and the offices above it.

Every view looks the vote up through ``managed_votes(user)``, so a vote of a compound outside
the user's scope is a 404 whatever the URL, before any form is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from core.civil_code import decide
from core.requests import admin_user

from .election_results import election_results
from .elections import create_election
from .forms import (
    ElectionForm,
    ElectionPaperBallotForm,
    IssueCodesForm,
    ObjectionAnswerForm,
    PaperBallotForm,
    StaffObjectionForm,
    VoteForm,
)
from .models import (
    CHOICE_CHOICES,
    Ballot,
    ElectorUnit,
    Objection,
    PaperEntry,
    Vote,
    VotePreReview,
    VoteStatus,
    election_of,
)
from .paper import enter_paper_ballot, void_paper_entry
from .participation import turnout
from .pre_review import pre_review_refusal
from .rerun import may_rerun, rerun_refusal, rerun_vote
from .selectors import count_votes, managed_votes
from .services import (
    VotingError,
    answer_objection,
    close_vote,
    finalise_vote,
    issue_codes,
    lodge_objection,
    open_vote,
    submit_pre_review,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import AbstractBaseUser

BALLOTS_PER_PAGE = 50


class VotingAdminView(WagtailAdminTemplateMixin, View):
    """Loads ``self.vote`` within the user's scope, and renders with the admin furniture."""

    header_icon = "tasks"
    vote: Vote | None = None

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        if "pk" in kwargs:
            self.vote = get_object_or_404(
                managed_votes(request.user).select_related("compound"), pk=kwargs["pk"]
            )

    def get_page_subtitle(self) -> str:
        return self.vote.title if self.vote else ""

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        items = [*self.breadcrumbs_items, {"url": reverse("voting_admin:index"), "label": "表决"}]
        if self.vote:
            items.append({"url": self.detail_url, "label": self.vote.title})
        return items

    @property
    def user(self) -> AbstractBaseUser:
        return admin_user(self.request)

    @property
    def detail_url(self) -> str:
        if self.vote is None:
            return reverse("voting_admin:index")
        return reverse("voting_admin:detail", args=[self.vote.pk])

    def render(self, **context: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(vote=self.vote, **context))

    def refused(self, error: VotingError) -> HttpResponse:
        messages.error(self.request, str(error))
        return redirect(self.detail_url)


class OneVoteView(VotingAdminView):
    """A view of one vote, named by ``pk`` in its URL."""

    vote: Vote


class VoteIndexView(VotingAdminView):
    page_title = "业主大会表决"
    template_name = "voting/admin/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        votes = managed_votes(request.user).select_related("compound").order_by("-created_at")
        return self.render(votes=votes)


class VoteFormView(VotingAdminView):
    """Create a vote, or edit it while it is a draft (afterwards its terms are fixed)."""

    template_name = "voting/admin/form.html"

    def get_page_title(self) -> str:
        return "修改表决" if self.vote else "新建表决"

    def form(self) -> VoteForm:
        if self.vote and self.vote.status != VoteStatus.DRAFT:
            raise Http404("表决已开启，不能再修改。")
        data = self.request.POST if self.request.method == "POST" else None
        return VoteForm(data, instance=self.vote, user=self.user)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        return self.render(form=self.form(), submit_label="保存")

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        form = self.form()
        if not form.is_valid():
            return self.render(form=form, submit_label="保存")
        creating = form.instance.pk is None
        if creating:
            form.instance.created_by = self.user
        vote = form.save()
        log(vote, "wagtail.create" if creating else "wagtail.edit", user=self.user)
        messages.success(request, f"已保存表决“{vote.title}”。")
        return redirect("voting_admin:detail", vote.pk)


class ElectionCreateView(VotingAdminView):
    """Set up a committee election: its terms, vetted candidates and seats (a draft vote)."""

    template_name = "voting/admin/form.html"
    page_title = "新建业委会选举"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(form=ElectionForm(user=self.user), submit_label="保存")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ElectionForm(request.POST, user=self.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                vote = create_election(form.instance, data["candidates"], data["seats"], self.user)
            except VotingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"已保存选举“{vote.title}”。")
                return redirect("voting_admin:detail", vote.pk)
        response = self.render(form=form, submit_label="保存")
        response.status_code = 400
        return response


class VoteDetailView(OneVoteView):
    template_name = "voting/admin/detail.html"
    page_title = "表决"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        vote = self.vote
        # While owners still answer, their managers see who has answered, never how.
        live = participation = None
        election = election_of(vote)
        if vote.status == VoteStatus.OPEN:
            participation = turnout(vote)
        elif vote.status != VoteStatus.DRAFT and election is None:
            live = decide(vote.matter_enum, count_votes(vote))
        pending = (
            PaperEntry.pending()
            .filter(elector__vote=vote)
            .select_related("entered_by")
            .prefetch_related("elector__units")
            .order_by("entered_at")
        )
        objections = vote.objections.select_related("responded_by")
        return self.render(
            may_rerun=vote.status == VoteStatus.FINAL
            and not rerun_refusal(vote)
            and may_rerun(self.user, vote),
            rerun=Vote.objects.filter(rerun_of=vote).first(),
            live=live,
            participation=participation,
            results=vote.results.order_by("computed_at"),
            election=election,
            election_results=election_results(vote, election),
            pending=pending,
            objections=objections,
            objection_form=StaffObjectionForm(),
            answer_form=ObjectionAnswerForm(),
            log_entries=ModelLogEntry.objects.for_instance(vote).select_related("user")[:50],
            now=timezone.now(),
            pre_review_refusal=vote.status == VoteStatus.DRAFT and pre_review_refusal(vote),
            pre_review=VotePreReview.objects.filter(vote=vote).first(),
        )


class VoteActionView(OneVoteView):
    """The one-click steps: the community's 前置审核, open (freeze the roll), close, finalise."""

    actions: dict[str, tuple[Callable[[Vote, AbstractBaseUser], Any], str]] = {
        "pre_review": (submit_pre_review, "已提交社区前置审核，审核通过后即可开启表决。"),
        "open": (open_vote, "表决已开启，业主名册已冻结。"),
        "close": (close_vote, "已截止计票，初步结果已公布，异议期开始。"),
        "finalise": (finalise_vote, "最终结果已确认并公布。"),
    }

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        step, done = self.actions[action]
        try:
            step(self.vote, self.user)
        except VotingError as error:
            return self.refused(error)
        messages.success(request, done)
        return redirect(self.detail_url)


class IssueCodesView(OneVoteView):
    """Generate codes and print the letters; the codes exist in clear only in this response."""

    template_name = "voting/admin/form.html"
    page_title = "生成表决码"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        # A home's line in the participation list links here to reprint its letter.
        initial = {key: request.GET.get(key, "") for key in ("building", "entrance", "room")}
        return self.render(form=IssueCodesForm(initial=initial))

    def render(self, **context: Any) -> HttpResponse:
        return super().render(
            submit_label="生成表决码并打印通知书",
            intro="表决码只保存摘要，生成后只在打印页面显示一次；重新生成会使原表决码作废。",
            **context,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = IssueCodesForm(request.POST)
        if not form.is_valid():
            return self.render(form=form)
        try:
            issued = issue_codes(self.vote, self.user, **form.cleaned_data)
        except VotingError as error:
            form.add_error(None, str(error))
            return self.render(form=form)
        response = render(
            request,
            "voting/admin/letters.html",
            {
                "vote": self.vote,
                "issued": issued,
                "vote_url": request.build_absolute_uri(
                    reverse("voting:detail", args=[self.vote.pk])
                ),
            },
        )
        add_never_cache_headers(response)
        return response


class PaperBallotView(OneVoteView):
    """Double entry: each paper ballot is keyed by two users; a matching pair counts."""

    template_name = "voting/admin/form.html"
    page_title = "录入纸质票"

    def form(self, data: Any = None, initial: Any = None) -> PaperBallotForm:
        election = election_of(self.vote)
        if election is not None:
            return ElectionPaperBallotForm(data, initial=initial, election=election)
        return PaperBallotForm(data, initial=initial)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        initial = {
            key: request.GET.get(key) for key in ("corrects", "building", "entrance", "room")
        }
        return self.render(form=self.form(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                ballot = enter_paper_ballot(self.vote, self.user, form.to_input())
            except VotingError as error:
                form.add_error(None, str(error))
            else:
                label = form.to_input().label
                if ballot is None:
                    messages.success(
                        request, f"已录入{label}的纸质票，请由另一位工作人员复核录入。"
                    )
                else:
                    messages.success(
                        request, f"{label}的纸质票两次录入一致，已计为第 {ballot.pk} 号表决票。"
                    )
                return redirect("voting_admin:paper", self.vote.pk)
        response = self.render(form=form)
        response.status_code = 400
        return response

    def render(self, **context: Any) -> HttpResponse:
        return super().render(
            submit_label="保存录入",
            intro=(
                "每张纸质票须由两位工作人员分别录入，两次录入一致才计票。"
                "收到时间以纸质票送达时间为准；同一业主的纸质票与网络投票以时间在后的为准。"
            ),
            **context,
        )


class VoidPaperEntryView(OneVoteView):
    def post(self, request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
        entry = get_object_or_404(PaperEntry, pk=entry_pk, elector__vote=self.vote)
        try:
            void_paper_entry(entry, self.user)
        except VotingError as error:
            return self.refused(error)
        messages.success(request, f"已作废第 {entry.pk} 号录入。")
        return redirect(self.detail_url)


class BallotTrailView(OneVoteView):
    """Every ballot as recorded, superseded ones included: the audit trail of the count."""

    template_name = "voting/admin/ballots.html"
    page_title = "表决票记录"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ballots = (
            Ballot.objects.filter(elector__vote=self.vote)
            .select_related("first_entry__entered_by", "second_entry__entered_by")
            .prefetch_related(
                Prefetch("elector__units", queryset=ElectorUnit.objects.order_by("pk")),
                "superseded_by",
            )
            .order_by("-recorded_at", "-pk")
        )
        page = Paginator(ballots, BALLOTS_PER_PAGE).get_page(request.GET.get("p"))
        election = election_of(self.vote)
        if election is not None:
            # An election's ballot reads as each candidate's answer, in ballot order.
            names = [(c.key, c.name) for c in election.candidates.all()]
            labels = dict(CHOICE_CHOICES)
            for ballot in page:
                ballot.answer_text = (
                    "；".join(
                        f"{name}：{labels[ballot.answers[key]]}"
                        for key, name in names
                        if key in ballot.answers
                    )
                    or "（空白选票）"
                )
        return self.render(page=page)


class StaffObjectionView(OneVoteView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = StaffObjectionForm(request.POST)
        if not form.is_valid():
            return self.refused(VotingError("请填写异议人和异议内容。"))
        try:
            lodge_objection(
                self.vote,
                form.cleaned_data["text"],
                recorded_by=self.user,
                submitter=form.cleaned_data["submitter"],
            )
        except VotingError as error:
            return self.refused(error)
        messages.success(request, "已登记异议。")
        return redirect(self.detail_url)


class AnswerObjectionView(OneVoteView):
    def post(self, request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
        objection = get_object_or_404(Objection, pk=objection_pk, vote=self.vote)
        form = ObjectionAnswerForm(request.POST)
        try:
            if not form.is_valid():
                raise VotingError("请填写答复内容。")
            answer_objection(objection, self.user, form.cleaned_data["response"])
        except VotingError as error:
            return self.refused(error)
        messages.success(request, "已答复异议。")
        return redirect(self.detail_url)


class RerunVoteView(OneVoteView):
    """重新表决, after a confirmation: a new draft vote of the same proposal and matter."""

    template_name = "voting/admin/rerun.html"
    page_title = "重新表决"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        refusal = rerun_refusal(self.vote)
        if not refusal and not may_rerun(self.user, self.vote):
            refusal = "只有本小区的业委会或社区微治办可以发起重新表决。"
        return self.render(refusal=refusal, result=self.vote.results.order_by("-pk").first())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            rerun = rerun_vote(self.vote, self.user)
        except VotingError as error:
            return self.refused(error)
        messages.success(
            request,
            f"已发起重新表决“{rerun.title}”。新表决为草稿：请核对表决时间后开启，"
            "开启时按当前房屋名册重新冻结业主名册；原表决及其结果保留。",
        )
        return redirect("voting_admin:detail", rerun.pk)
