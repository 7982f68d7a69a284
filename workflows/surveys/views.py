"""The public side of a survey at /survey/: the open surveys of public compounds, and the page
owners answer on. Nothing here shows who answered or how."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from content_types.evaluations.models import Survey, SurveyStatus
from content_types.structure.public import hidden_paths, public_pages
from workflows.voting.services import ThrottledError, VotingError
from workflows.voting.views import client_ip

from .forms import SurveyAnswerForm
from .services import answer_online

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse


def public_surveys() -> QuerySet[Survey]:
    """Surveys owners may see: opened ones of public compounds, never drafts."""
    now = timezone.now()
    surveys = Survey.objects.exclude(status=SurveyStatus.DRAFT)
    return public_pages(surveys, now, hidden_paths(now), prefix="compound__")


def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = public_surveys().select_related("compound", "period", "firm")
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@never_cache
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(
        public_surveys().select_related("compound", "period", "firm"),
        pk=pk,
    )
    form = SurveyAnswerForm(request.POST or None, survey=survey)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                answer = answer_online(
                    survey,
                    form.cleaned_data["code"],
                    form.cleaned_data["phone_tail"],
                    form.ratings(),
                    client_ip(request),
                )
            except VotingError as error:
                form.add_error(None, str(error))
                status = 429 if isinstance(error, ThrottledError) else 400
            else:
                return render(
                    request, "surveys/answer_done.html", {"survey": survey, "answer": answer}
                )
        else:
            status = 400
    now = timezone.now()
    context = {
        "survey": survey,
        "form": form,
        "accepting": survey.accepts_answers_at(now),
        "not_started": now < survey.opens_at,
    }
    return render(request, "surveys/survey_detail.html", context, status=status)
