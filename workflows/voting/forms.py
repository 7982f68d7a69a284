"""Forms of the public voting page and of the committee's vote management."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateTimeInput

from content_types.committees.models import CommitteeCandidate
from content_types.roles.permissions import scope_policy_for
from content_types.roles.scope import pages_within
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from content_types.units.models import Unit

from .elections import check_candidates
from .models import CHOICE_CHOICES, MAX_CANDIDATES, Vote, election_of
from .paper import PaperBallotInput
from .services import VotingError

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from wagtail.models import Page

    from .models import Election

_BUILDING_SEPARATORS = re.compile(r"[,，、;；\s]+")


class OwnerIdentityForm(forms.Form):
    """The code from the letter and the second factor from the register."""

    code = forms.CharField(
        label="表决码",
        max_length=32,
        help_text="见表决通知书，如 ABCD-EFGH-JKLM。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone_tail = forms.RegexField(
        label="手机号后四位",
        regex=r"^\d{4}$",
        error_messages={"invalid": "请输入业主名册登记的手机号后四位（4 位数字）。"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class BallotForm(OwnerIdentityForm):
    choice = forms.ChoiceField(
        label="表决意见",
        choices=CHOICE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择同意、反对或弃权。"},
    )


class OwnerObjectionForm(OwnerIdentityForm):
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 5}))


# The terms of a vote that a review step opened (``AssemblyVoteTask``).
DECIDED_BY_THE_STEP = ("compound", "proposal", "matter", "buildings_text")


class VoteForm(forms.ModelForm):
    """Create or edit a draft vote, only for compounds the user manages."""

    buildings_text = forms.CharField(
        label="表决范围（楼栋）",
        required=False,
        help_text="留空表示全小区；多个楼栋用逗号分隔，须与房屋名册中的写法一致，如：1幢, 2幢。",
    )

    class Meta:
        model = Vote
        fields = [
            "compound",
            "proposal",
            "matter",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "objection_days",
        ]
        widgets = {"opens_at": AdminDateTimeInput, "closes_at": AdminDateTimeInput}

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        compounds = scope_policy_for(Vote).scopes_user_has_any_permission_for(user, ["add"])
        pages: Any = pages_within(compounds)  # Wagtail's PageQuerySet
        cast("forms.ModelChoiceField", self.fields["compound"]).queryset = compounds
        cast("forms.ModelChoiceField", self.fields["proposal"]).queryset = pages.not_type(
            StreetPage, CommunityPage, CompoundPage
        )
        self.initial.setdefault("buildings_text", ", ".join(self.instance.buildings or []))
        if self.instance.pk and election_of(self.instance) is not None:
            # An election's candidates and seats are fixed when it is set up.
            for name in DECIDED_BY_THE_STEP:
                if name != "compound":
                    self.fields[name].disabled = True
            self.fields["compound"].disabled = True
        elif self.instance.pk and self.instance.assembly_task_states.exists():
            # A review step put this matter to the owners: what they decide, for which
            # proposal and whom, is the step's, not the form's (posted values are ignored).
            for name in DECIDED_BY_THE_STEP:
                self.fields[name].disabled = True
                self.fields[name].help_text = "由大额资金使用申请的审核流程确定，不能修改。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", "截止时间必须晚于开始时间。")
        elif closes_at and closes_at <= timezone.now():
            self.add_error("closes_at", "截止时间已经过去。")
        compound: CompoundPage | None = data.get("compound")
        proposal: Page | None = data.get("proposal")
        if compound and proposal and not proposal.is_descendant_of(compound):
            self.add_error("proposal", f"所选议案不属于“{compound.title}”。")
        names = [n for n in _BUILDING_SEPARATORS.split(data.get("buildings_text", "")) if n]
        names = list(dict.fromkeys(names))
        if compound and names:
            known = set(
                Unit.objects.filter(compound=compound, building__in=names).values_list(
                    "building", flat=True
                )
            )
            missing = [name for name in names if name not in known]
            if missing:
                self.add_error(
                    "buildings_text",
                    f"楼栋“{'、'.join(missing)}”在“{compound.title}”的房屋名册中不存在。",
                )
        self.instance.buildings = names
        return data


class IssueCodesForm(forms.Form):
    building = forms.CharField(label="楼栋", required=False, help_text="留空表示全部业主。")
    entrance = forms.CharField(label="单元", required=False)
    room = forms.CharField(
        label="室", required=False, help_text="填写后只为这一户补发（其原表决码作废）。"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("room") and not data.get("building"):
            self.add_error("building", "补发单户表决码时请同时填写楼栋。")
        return data


class PaperBallotForm(forms.Form):
    building = forms.CharField(label="楼栋")
    entrance = forms.CharField(label="单元", required=False)
    room = forms.CharField(label="室")
    choice = forms.ChoiceField(label="表决意见", choices=CHOICE_CHOICES, widget=forms.RadioSelect)
    received_at = forms.DateTimeField(
        label="收到时间", widget=AdminDateTimeInput, help_text="纸质票送达（投入票箱）的时间。"
    )
    corrects = forms.IntegerField(
        label="更正第几号表决票",
        required=False,
        min_value=1,
        help_text="仅在更正录入错误时填写，被更正的票不再计入。",
    )

    def to_input(self) -> PaperBallotInput:
        data = self.cleaned_data
        return PaperBallotInput(
            building=data["building"],
            entrance=data["entrance"],
            room=data["room"],
            choice=data["choice"],
            received_at=data["received_at"],
            corrects_id=data["corrects"],
        )


class StaffObjectionForm(forms.Form):
    submitter = forms.CharField(label="异议人", max_length=100, help_text="如：3幢502室业主。")
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 4}))


class ObjectionAnswerForm(forms.Form):
    response = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3}))


# --------------------------------------------------------------------------- elections

ANSWER_PREFIX = "candidate_"


def candidate_fields(form: forms.Form, election: Election, *, required: bool) -> None:
    """One 同意 / 反对 / 弃权 question per candidate, in the ballot's order."""
    for candidate in election.candidates.all():
        form.fields[f"{ANSWER_PREFIX}{candidate.key}"] = forms.ChoiceField(
            label=f"{candidate.position}. {candidate.name}",
            choices=CHOICE_CHOICES,
            widget=forms.RadioSelect,
            required=required,
            error_messages={"required": f"请对候选人“{candidate.name}”选择同意、反对或弃权。"},
        )


def answers_of(form: forms.Form) -> dict[str, str]:
    return {
        name.removeprefix(ANSWER_PREFIX): value
        for name, value in form.cleaned_data.items()
        if name.startswith(ANSWER_PREFIX) and value
    }


class ElectionBallotForm(OwnerIdentityForm):
    """The owner's ballot of an election: every candidate answered."""

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidate_fields(self, election, required=True)

    def candidate_answers(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(ANSWER_PREFIX)]

    def answers(self) -> dict[str, str]:
        return answers_of(self)


class CandidateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        stage = "已通过审查" if obj.live else f"{obj.get_vetting_stage_display()}，未完成审查"
        return f"{obj.name}（{obj.compound.title}，{stage}）"


class ElectionForm(VoteForm):
    """Set up a committee election: the vote's terms, the vetted candidates and the seats."""

    candidates = CandidateChoiceField(
        label="候选人",
        queryset=CommitteeCandidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="只有已通过业委会人选考察（推荐、审核、把关、审查）的人选可以列入选票。",
    )
    seats = forms.IntegerField(
        label="应选名额", min_value=1, max_value=MAX_CANDIDATES, help_text="本届业委会委员人数。"
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for name in ("proposal", "matter", "buildings_text"):
            del self.fields[name]
        compounds = cast("forms.ModelChoiceField", self.fields["compound"]).queryset
        cast("forms.ModelChoiceField", self.fields["candidates"]).queryset = (
            CommitteeCandidate.objects.filter(compound__in=compounds)
            .select_related("compound")
            .order_by("compound__path", "name", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        compound, chosen = data.get("compound"), list(data.get("candidates") or [])
        if compound and chosen:
            try:
                check_candidates(compound, chosen)
            except VotingError as error:
                self.add_error("candidates", str(error))
            seats = data.get("seats")
            if seats and seats > len(chosen):
                self.add_error("seats", f"应选名额（{seats}）多于候选人数（{len(chosen)}）。")
        return data


class ElectionPaperBallotForm(PaperBallotForm):
    """A paper ballot of an election, keyed per candidate; a blank answer is left unchecked."""

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["choice"]
        candidate_fields(self, election, required=False)
        # The candidates before the time and the correction, as on the paper.
        order = ["building", "entrance", "room"]
        order += [name for name in self.fields if name.startswith(ANSWER_PREFIX)]
        self.order_fields([*order, "received_at", "corrects"])

    def to_input(self) -> PaperBallotInput:
        data = self.cleaned_data
        return PaperBallotInput(
            building=data["building"],
            entrance=data["entrance"],
            room=data["room"],
            choice="",
            received_at=data["received_at"],
            corrects_id=data["corrects"],
            answers=answers_of(self),
        )
