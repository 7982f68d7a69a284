"""The public side of a vote at /vote/: the list, the voting page, objections and the result.

Nothing here shows who voted how, or anything from the register beyond aggregate figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from wagtail.models import TaskState, WorkflowState

from content_types.expenditures.models import ExpenditureProposalPage
from core.civil_code import Choice, Measure

from .election_results import result_rows
from .elections import cast_election_ballot
from .forms import BallotForm, ElectionBallotForm, OwnerObjectionForm
from .models import (
    Election,
    ResultStage,
    Vote,
    VoteResult,
    VoteStatus,
    VotingPolicy,
    election_decision,
    election_of,
)
from .participation import turnout
from .selectors import public_votes
from .services import ThrottledError, VotingError, cast_online, lodge_owner_objection

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.forms import Form

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
    election = election_of(vote)
    if election is not None:
        return _election_ballot(request, vote, election)
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
    return _vote_page(request, vote, form, status)


def _election_ballot(request: HttpRequest, vote: Vote, election: Election) -> HttpResponse:
    """The ballot of a committee election: 同意 / 反对 / 弃权 for every candidate."""
    form = ElectionBallotForm(request.POST or None, election=election)
    ballot, status = _submit(
        request,
        form,
        lambda data: cast_election_ballot(
            vote, data["code"], data["phone_tail"], form.answers(), client_ip(request)
        ),
    )
    if ballot is not None:
        answers = [
            (candidate.name, Choice(ballot.answers[candidate.key]).label)
            for candidate in election.candidates.all()
        ]
        context = {"vote": vote, "answers": answers, "ballot": ballot}
        return render(request, "voting/cast_done.html", context)
    return _vote_page(request, vote, form, status, election=election)


def _vote_page(
    request: HttpRequest, vote: Vote, form: Form, status: int, **extra: Any
) -> HttpResponse:
    now = timezone.now()
    proposal, proposal_url = vote.proposal, None
    if proposal is not None and proposal.live:
        proposal_url = proposal.url
    elif _proposal_review(vote) is not None:
        proposal_url = reverse("voting:proposal", args=[vote.pk])
    else:
        proposal = None
    accepting = vote.accepts_ballots_at(now)
    context = {
        "vote": vote,
        "proposal": proposal,
        "proposal_url": proposal_url,
        "form": form,
        "accepting": accepting,
        "not_started": now < vote.opens_at,
        "has_result": vote.results.exists(),
        # Only the whole electorate's figures, and only where the street chose to show them.
        "turnout": turnout(vote) if accepting and VotingPolicy.current().public_turnout else None,
        **extra,
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
    election = election_of(vote)
    if election is not None:
        return _election_result(request, vote, election, result)
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


def _election_result(
    request: HttpRequest, vote: Vote, election: Election, result: VoteResult
) -> HttpResponse:
    """Both measures of every candidate against the participants, who is elected, who tied."""
    decision = election_decision(result, election)
    eligible = Measure(result.eligible_heads, result.eligible_area)
    participating = Measure(result.participating_heads, result.participating_area)
    participation, candidates = result_rows(election, decision, eligible, participating)
    return render(
        request,
        "voting/result.html",
        {
            "vote": vote,
            "result": result,
            "election": election,
            "decision": decision,
            "candidates": candidates,
            "rows": [("业主总数", eligible), ("参与表决", participating)],
            "participation_checks": participation,
            "is_final": result.stage == ResultStage.FINAL,
            "objection_count": vote.objections.count(),
        },
    )


def _proposal_review(vote: Vote) -> WorkflowState | None:
    """The review of the proposal a vote puts to the owners, while it is open and undecided."""
    if vote.proposal is None or vote.status != VoteStatus.OPEN:
        return None
    state = (
        WorkflowState.objects.for_instance(vote.proposal)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .select_related("current_task_state__revision", "current_task_state__task")
        .first()
    )
    if state is None or state.current_task_state is None:
        return None
    return state


def vote_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """What the owners vote on, public from the moment the vote opens: the proposal as it was
    submitted for review, and the review steps it has passed.

    The proposal itself stays unpublished until decided; once it is published, its own page
    says everything, so this address leads there. Only what the proposal's public page would
    show appears — no reviewer, no comment, no one's vote.
    """
    vote = _public_vote(pk)
    if vote.proposal is not None and vote.proposal.live:
        return redirect(vote.proposal.url)
    state = _proposal_review(vote)
    submitted = state.current_task_state.revision.as_object() if state else None
    if state is None or not isinstance(submitted, ExpenditureProposalPage):
        raise Http404("议案将在审定后公开。")
    steps = (
        state.task_states.filter(status=TaskState.STATUS_APPROVED)
        .select_related("task")
        .order_by("finished_at")
    )
    context = {
        "vote": vote,
        "proposal": submitted,
        "quotes": list(submitted.quotes.all()),
        "steps": [(step.task.name, step.finished_at) for step in steps],
        "current_step": state.current_task_state.task.name,
    }
    return render(request, "voting/vote_proposal.html", context)
