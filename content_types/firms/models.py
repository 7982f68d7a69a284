"""物业服务企业: the firms serving the street's compounds, and their Party organisation.

A firm is public content (name, credit code, office contact, the compounds it
serves), published through the review chain like a page. Measure 11 of the
policy asks every firm with three or more full Party members to set up its own
organisation; the ones that have not are flagged for the coordination office.

The link to compounds is a ``ParentalManyToManyField`` on the firm rather than
a through model: it is read from the firm ("which compounds does it serve"),
and as part of the firm's revisions a change to it is drafted, reviewed and
published with the rest of the firm's public data. Contract periods belong to
the hiring decision of the owners' assembly, not to this record.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from .credit_code import LENGTH, normalise, validate_credit_code

# 党章: a primary organisation is set up where there are three or more full members.
OWN_ORGANISATION_THRESHOLD = 3


class PartyOrganisationStatus(models.TextChoices):
    STANDALONE = "standalone", "单独建立"
    JOINT = "joint", "挂靠社区或小区联合建立"
    NONE = "none", "未建立"


class PropertyFirmQuerySet(models.QuerySet):
    def needing_own_party_organisation(self) -> PropertyFirmQuerySet:
        return self.filter(full_party_member_count__gte=OWN_ORGANISATION_THRESHOLD).exclude(
            party_status=PartyOrganisationStatus.STANDALONE
        )


class PropertyFirm(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=LENGTH,
        unique=True,
        validators=[validate_credit_code],
        help_text="18位，见营业执照；字母不区分大小写。",
        error_messages={"unique": "已有企业使用这个统一社会信用代码。"},
    )
    office_phone = models.CharField(
        "办公电话",
        max_length=50,
        validators=[
            RegexValidator(r"^[0-9()（）\-—\s]+$", "办公电话只能包含数字、括号、短横线和空格。")
        ],
        help_text="公开展示的办公电话，不要填写个人手机号。",
    )
    address = models.CharField("办公地址", max_length=255)
    party_status = models.CharField(
        "党组织建立情况",
        max_length=16,
        choices=PartyOrganisationStatus.choices,
        default=PartyOrganisationStatus.NONE,
    )
    full_party_member_count = models.PositiveSmallIntegerField(
        "正式党员人数", default=0, help_text="不含预备党员。"
    )
    compounds = ParentalManyToManyField(
        "structure.CompoundPage",
        verbose_name="服务小区",
        related_name="property_firms",
        blank=True,
    )

    objects = PropertyFirmQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("credit_code"),
        MultiFieldPanel(
            [FieldPanel("office_phone"), FieldPanel("address")], heading="公开联系方式"
        ),
        MultiFieldPanel(
            [FieldPanel("party_status"), FieldPanel("full_party_member_count")],
            heading="党组织",
        ),
        FieldPanel("compounds"),
    ]

    class Meta:
        verbose_name = "物业服务企业"
        verbose_name_plural = "物业服务企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_own_party_organisation(self) -> bool:
        """Three or more full members, yet no organisation of its own (measure 11)."""
        return (
            self.full_party_member_count >= OWN_ORGANISATION_THRESHOLD
            and self.party_status != PartyOrganisationStatus.STANDALONE
        )

    def clean_fields(self, exclude: Any = None) -> None:
        if self.credit_code:
            self.credit_code = normalise(self.credit_code)
        super().clean_fields(exclude)

    def clean(self) -> None:
        super().clean()
        if (
            self.party_status == PartyOrganisationStatus.STANDALONE
            and self.full_party_member_count < OWN_ORGANISATION_THRESHOLD
        ):
            raise ValidationError(
                {
                    "party_status": (
                        f"单独建立党组织须有{OWN_ORGANISATION_THRESHOLD}名以上正式党员；"
                        "不足的，应挂靠社区或小区党组织联合建立。"
                    )
                }
            )
