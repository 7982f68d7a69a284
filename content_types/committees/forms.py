"""Admin forms of the committee records: members offered only from the user's own compounds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction

from content_types.roles.permissions import scope_policy_for
from content_types.roles.viewsets import CompoundScopedAdminForm

from .evaluations import follow_up
from .models import (
    CommitteeMember,
    MemberEvaluation,
    OwnersCommittee,
    TrainingAttendance,
    TrainingSession,
)


def members_within_reach(form: CompoundScopedAdminForm) -> Any:
    """Members of the current committees of the compounds the form may write to."""
    instance = form.instance
    members = CommitteeMember.objects.all()
    if instance.pk:
        # A saved record keeps its compound; its members may have served an earlier term.
        members = members.filter(committee__compound_id=instance.compound_id)
    elif form.for_user is not None:
        policy = scope_policy_for(form._meta.model)
        compounds = policy.scopes_user_has_any_permission_for(form.for_user, ["add"])
        members = members.filter(
            committee__in=OwnersCommittee.objects.current(), committee__compound__in=compounds
        )
    else:
        members = members.none()
    return members.select_related("committee__compound").order_by(
        "committee__compound__path", "sort_order"
    )


class MemberChoiceMixin:
    def label_from_instance(self, member: CommitteeMember) -> str:
        return f"{member.committee.compound.title} · {member.name}（{member.get_role_display()}）"


class MemberChoiceField(MemberChoiceMixin, forms.ModelChoiceField):
    pass


class MemberMultipleChoiceField(MemberChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def members_of_compound(members: Any, compound: Any) -> list[str]:
    """Names of the chosen members who do not sit on the chosen compound's committee."""
    return [
        m.name for m in members if compound is not None and m.committee.compound_id != compound.pk
    ]


class TrainingSessionForm(CompoundScopedAdminForm):
    attendees = MemberMultipleChoiceField(
        label="参加培训的委员",
        queryset=CommitteeMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "只能选择您负责范围内现任业委会的委员。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members_within_reach(self)
        if self.instance.pk:
            self.initial["attendees"] = [
                a.member_id for a in self.instance.attendances.all() if a.member_id
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        compound = data.get("compound") or getattr(self.instance, "compound", None)
        others = members_of_compound(data.get("attendees") or [], compound)
        if others:
            self.add_error("attendees", f"“{'、'.join(others)}”不是该小区业委会的委员。")
        return data

    @transaction.atomic
    def save(self, commit: bool = True) -> TrainingSession:
        session = super().save(commit=commit)
        if commit:
            chosen = {m.pk: m for m in self.cleaned_data["attendees"]}
            TrainingAttendance.objects.filter(session=session, member__isnull=False).exclude(
                member__in=list(chosen)
            ).delete()
            have = set(session.attendances.values_list("member_id", flat=True))
            TrainingAttendance.objects.bulk_create(
                TrainingAttendance(session=session, member=m, member_name=m.name)
                for pk, m in chosen.items()
                if pk not in have
            )
        return session


class MemberEvaluationForm(CompoundScopedAdminForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        self.fields["member"] = MemberChoiceField(
            label=field.label,
            queryset=members_within_reach(self),
            disabled=bool(self.instance.pk),
            required=not self.instance.pk,
            error_messages={"invalid_choice": "只能选择您负责范围内现任业委会的委员。"},
        )

    @transaction.atomic
    def save(self, commit: bool = True) -> MemberEvaluation:
        evaluation = super().save(commit=commit)
        if commit:
            follow_up(evaluation, self.for_user)
        return evaluation
