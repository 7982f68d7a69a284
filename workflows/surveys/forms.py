"""Forms of the public survey page and of the committee's paper keying."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from wagtail.admin.widgets import AdminDateTimeInput

from content_types.evaluations.models import RATING_CHOICES
from workflows.voting.forms import OwnerIdentityForm

from .services import PaperAnswerInput

if TYPE_CHECKING:
    from content_types.evaluations.models import Survey

QUESTION_PREFIX = "q_"


def question_fields(form: forms.Form, survey: Survey, *, required: bool) -> None:
    """One 很满意 … 很不满意 question per configured question, in the survey's order."""
    for number, question in enumerate(survey.questions, start=1):
        form.fields[f"{QUESTION_PREFIX}{question['key']}"] = forms.TypedChoiceField(
            label=f"{number}. {question['text']}",
            choices=RATING_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
            required=required,
            error_messages={"required": f"请对“{question['text']}”作出评价。"},
        )


def ratings_of(form: forms.Form) -> dict[str, int]:
    return {
        name.removeprefix(QUESTION_PREFIX): value
        for name, value in form.cleaned_data.items()
        if name.startswith(QUESTION_PREFIX) and value not in (None, "")
    }


class SurveyAnswerForm(OwnerIdentityForm):
    """The owner's answer: the unit's code, the second factor and every question."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "测评码"
        self.fields["code"].help_text = "见物业满意度测评通知书，如 ABCD-EFGH-JKLM。"
        question_fields(self, survey, required=True)

    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(QUESTION_PREFIX)]

    def ratings(self) -> dict[str, int]:
        return ratings_of(self)


class PaperAnswerForm(forms.Form):
    """One paper questionnaire as keyed by the committee; an unanswered question is left blank."""

    building = forms.CharField(label="楼栋")
    entrance = forms.CharField(label="单元", required=False)
    room = forms.CharField(label="室")
    received_at = forms.DateTimeField(label="收到时间", widget=AdminDateTimeInput)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question_fields(self, survey, required=False)

    def to_input(self) -> PaperAnswerInput:
        data = self.cleaned_data
        return PaperAnswerInput(
            building=data["building"],
            entrance=data["entrance"],
            room=data["room"],
            ratings=ratings_of(self),
            received_at=data["received_at"],
        )


class IssueCodesForm(forms.Form):
    building = forms.CharField(label="楼栋", required=False, help_text="留空表示全部房屋。")
