"""The public side of a vote at /vote/: the list, the voting page, objections and the result.

Nothing here shows who voted how, or anything from the register beyond aggregate figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.civil_code import Choice

from .forms import BallotForm, OwnerObjectionForm
from .models import ResultStage, Vote, VoteResult
from .selectors import public_votes
from .services import ThrottledError, VotingError, cast_online, lodge_owner_objection

T = TypeVar("T")


def client_ip(request: HttpRequest) -> str:
    """The address the connection came from; a proxy in front must pass the client's address
    through as REMOTE_ADDR, since a forwarded header could be forged to dodge the throttle."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _public_vote(pk: int) -> Vote:
    return get_object_or_404(public_votes().select_related("compound", "proposal"), pk=pk)


def _latest_result(vote: Vote) -> VoteResult | None:
    """The final result once there is one, the preliminary before."""
    return vote.results.order_by("-computed_at", "-pk").first()


def vote_list(request: HttpRequest) -> HttpResponse:
    votes = public_votes().select_related("compound").order_by("-opens_at", "-pk")
    return render(request, "voting/vote_list.html", {"votes": votes})


def _submit(
    request: HttpRequest, form: Form, action: Callable[[dict[str, Any]], T]
) -> tuple[T | None, int]:
    """Run ``action`` on a valid POST; a refusal becomes a form error with its HTTP status."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        return action(form.cleaned_data), 200
    except VotingError as error:
        form.add_error(None, str(error))
        return None, 429 if isinstance(error, ThrottledError) else 400


@never_cache
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _public_vote(pk)
    form = BallotForm(request.POST or None)
    ballot, status = _submit(
        request,
        form,
        lambda data: cast_online(
            vote, data["code"], data["phone_tail"], data["choice"], client_ip(request)
        ),
    )
    if ballot is not None:
        context = {"vote": vote, "choice": Choice(ballot.choice), "ballot": ballot}
        return render(request, "voting/cast_done.html", context)
    now = timezone.now()
    context = {
        "vote": vote,
        "proposal": vote.proposal if vote.proposal and vote.proposal.live else None,
        "form": form,
        "accepting": vote.accepts_ballots_at(now),
        "not_started": now < vote.opens_at,
        "has_result": vote.results.exists(),
    }
    return render(request, "voting/vote_detail.html", context, status=status)


@never_cache
def vote_objection(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _public_vote(pk)
    form = OwnerObjectionForm(request.POST or None)
    objection, status = _submit(
        request,
        form,
        lambda data: lodge_owner_objection(
            vote, data["code"], data["phone_tail"], data["text"], client_ip(request)
        ),
    )
    if objection is not None:
        return render(request, "voting/objection_done.html", {"vote": vote})
    context = {
        "vote": vote,
        "form": form,
        "open_window": vote.takes_objections_at(timezone.now()),
    }
    return render(request, "voting/objection.html", context, status=status)


def vote_result(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _public_vote(pk)
    result = _latest_result(vote)
    if result is None:
        raise Http404("该表决尚未公布结果。")
    decision = result.decision
    counts = decision.counts
    rows = [
        ("业主总数", counts.eligible),
        ("参与表决", counts.participating),
        ("同意", counts.for_),
        ("反对", counts.against),
        ("弃权", counts.abstain),
    ]
    return render(
        request,
        "voting/result.html",
        {
            "vote": vote,
            "result": result,
            "decision": decision,
            "rows": rows,
            "is_final": result.stage == ResultStage.FINAL,
            "objection_count": vote.objections.count(),
        },
    )
