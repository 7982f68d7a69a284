"""社区前置审核 of a matter the committee puts to the owners on its own (分级决策, measure 3).

A vote on its own (no proposal's chain behind it) of matters 1–4 and 9 — rules, statute,
electing the committee, hiring or firing the firm, other major matters — goes to the owners
only after the community office has reviewed it in advance. The review is a row of its own
that goes through the chain the site configuration attaches to it (``attach_to: snippets:
[voting.voteprereview]``); "live" means *passed* (已通过前置审核), never "shown to the
public". It keeps the vote's terms as they were reviewed, so a vote changed after the review
must be reviewed again.
"""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from content_types.structure.models import CompoundPage
from core.civil_code import Matter

from .votes import MATTER_CHOICES, Vote

# 分级决策: the matters of 《民法典》第278条 whose stand-alone votes the community reviews first.
PRE_REVIEWED_MATTERS = frozenset(
    {
        Matter.ASSEMBLY_RULES,
        Matter.MANAGEMENT_STATUTE,
        Matter.COMMITTEE_ELECTION,
        Matter.PROPERTY_MANAGER,
        Matter.OTHER_MAJOR,
    }
)


class VotePreReview(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    compound = models.ForeignKey(
        CompoundPage, verbose_name="小区", on_delete=models.PROTECT, related_name="+"
    )
    scope_field = "compound"
    vote = models.OneToOneField(
        Vote,
        verbose_name="表决",
        on_delete=models.CASCADE,
        related_name="pre_review",
        editable=False,
    )
    matter = models.CharField("事项类别", max_length=32, choices=MATTER_CHOICES)
    title = models.CharField("表决事项", max_length=200)
    description = models.TextField("事项说明", blank=True)
    live = models.BooleanField("已通过前置审核", default=False, editable=False)

    # Reviewers read the terms; they approve or send back, they do not rewrite them.
    panels = [
        FieldPanel("compound", read_only=True),
        FieldPanel("matter", read_only=True),
        FieldPanel("title", read_only=True),
        FieldPanel("description", read_only=True),
    ]

    class Meta:
        verbose_name = "表决事项前置审核"
        verbose_name_plural = "表决事项前置审核"
        ordering = ["-pk"]

    def __str__(self) -> str:
        compound = self.compound.title if self.compound_id else "（未选小区）"
        return f"{compound} · {self.title}（前置审核）"

    @property
    def terms(self) -> tuple[str, str, str]:
        return (self.matter, self.title, self.description)

    @property
    def review_result(self) -> str:
        return "已通过前置审核" if self.live else "未通过（审核中或待提交）"
