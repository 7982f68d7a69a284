"""Forms of the review steps that ask for more than a comment."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from wagtail.models import TaskState

from content_types.meetings.models import JointMeeting


class JointMeetingApprovalForm(forms.Form):
    """A party's signature at 三方联席会议审议: the meeting it decided at, and a comment.

    Wagtail builds the form from the posted data alone, so the step it signs
    is posted with it; the meeting must be one of that item's compound and
    have its minutes recorded. The cleaned meeting is its id: in the page
    editor Wagtail hands the cleaned data to the browser as JSON and gets it
    back with the edit form (``JointMeetingTask.on_action`` checks it again).
    """

    step = forms.IntegerField(widget=forms.HiddenInput)
    meeting = forms.ModelChoiceField(
        label="三方联席会议",
        queryset=JointMeeting.objects.none(),
        error_messages={
            "required": "请选择本次审议所依据的三方联席会议。",
            "invalid_choice": "所选会议不是本小区的三方联席会议，请重新选择。",
        },
    )
    comment = forms.CharField(label="审议意见", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state_id = self.data.get("step") if self.is_bound else None
        state = None
        if state_id and str(state_id).isdigit():
            state = TaskState.objects.filter(pk=state_id).first()
        if state is not None and hasattr(state.specific, "meeting_options"):
            meeting = cast("forms.ModelChoiceField", self.fields["meeting"])
            meeting.queryset = state.specific.meeting_options()

    def clean_meeting(self) -> int:
        meeting = self.cleaned_data["meeting"]
        if not meeting.minutes.strip():
            raise forms.ValidationError(
                f"“{meeting}”尚无会议纪要。请先在“三方联席会议”中填写会议纪要，再签署审议意见。"
            )
        return meeting.pk
