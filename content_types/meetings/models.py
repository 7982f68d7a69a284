"""三方联席会议: the community, the owners' committee and the property firm meeting on a compound.

Measure 3 sets the meeting up as the place where the three parties decide
together; the expenditure chain's third review (三方联席会议审议) is tied to
a recorded meeting. Attendees are recorded per party as text: what the review
needs to know is that each party was there and who spoke for it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import RevisionMixin

from content_types.roles.viewsets import CompoundScopedAdminForm, compound_panel

PARTIES = (
    ("community_attendees", "社区"),
    ("committee_attendees", "业委会"),
    ("firm_attendees", "物业服务企业"),
)


class JointMeeting(RevisionMixin, models.Model):
    compound = models.ForeignKey(
        "structure.CompoundPage",
        verbose_name="小区",
        on_delete=models.PROTECT,
        related_name="joint_meetings",
    )
    scope_field = "compound"
    date = models.DateField("会议日期")
    community_attendees = models.TextField(
        "社区出席人员", blank=True, help_text="姓名及职务，一行一人。"
    )
    committee_attendees = models.TextField(
        "业委会出席人员", blank=True, help_text="姓名及职务，一行一人。"
    )
    firm_attendees = models.TextField(
        "物业服务企业出席人员", blank=True, help_text="姓名及职务，一行一人。"
    )
    agenda = models.TextField("议题")
    minutes = models.TextField("会议纪要", blank=True)
    decisions = models.TextField("议定事项", blank=True)

    base_form_class = CompoundScopedAdminForm

    panels = [
        compound_panel(),
        FieldPanel("date"),
        MultiFieldPanel(
            [FieldPanel(field) for field, _ in PARTIES], heading="出席人员（三方均须出席）"
        ),
        FieldPanel("agenda"),
        FieldPanel("minutes"),
        FieldPanel("decisions"),
    ]

    class Meta:
        verbose_name = "三方联席会议"
        verbose_name_plural = "三方联席会议"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        compound = self.compound.title if self.compound_id else "（未选小区）"
        return f"{compound} 三方联席会议（{self.date:%Y-%m-%d}）"

    def clean(self) -> None:
        super().clean()
        errors = {
            field: f"三方联席会议须有{party}方人员出席，请填写{party}出席人员。"
            for field, party in PARTIES
            if not getattr(self, field).strip()
        }
        if errors:
            raise ValidationError(errors)
