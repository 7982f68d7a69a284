"""Which chain a page takes, by page type, subtree and amount tier."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.models import Page, Workflow


class ChainRuleQuerySet(models.QuerySet):
    def workflow_for(self, page: Page, amount: Decimal | None = None) -> Workflow | None:
        """The chain the rules give ``page``, or None to leave it to the subtree's attachment.

        Rules for the page's type are considered; the nearest scope wins (a rule
        without a scope covers the whole site and is the farthest), and within
        it the highest tier whose minimum does not exceed ``amount``. A page
        without an amount only matches a tier without a minimum.
        """
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True) or not page.path:
            return None
        ancestors = Page.objects.ancestor_of(page, inclusive=True)
        rules = (
            self.filter(
                content_type=ContentType.objects.get_for_model(page.specific_class),
                workflow__active=True,
            )
            .filter(models.Q(scope__isnull=True) | models.Q(scope__in=ancestors))
            .select_related("workflow", "scope")
        )
        best: ChainRule | None = None
        for rule in rules:
            floor = rule.min_amount
            if floor is not None and (amount is None or amount < floor):
                continue
            if best is None or rule.rank() > best.rank():
                best = rule
        return best.workflow if best else None


class ChainRule(models.Model):
    """Which chain a page type takes within a subtree, by amount tier.

    Written by the site configuration; read by the ``get_workflow()`` of page types that have
    amounts. One row per (page type, subtree, tier):

    * ``scope`` — the rule covers this page and everything below it; empty
      means the whole site. The nearest scope that has a matching tier wins.
    * ``min_amount`` — the tier applies from this amount (inclusive) upwards;
      empty means from zero. Within a scope the highest applicable minimum
      wins, so tiers need no maximum: ``None`` → short chain and
      ``50000`` → 四审两公开 means "below 50,000 short, from 50,000 long".

    Page types without a matching rule keep the chain attached to their
    subtree (Wagtail's ``WorkflowPage``), as notices do.
    """

    workflow = models.ForeignKey(
        Workflow, verbose_name="审核流程", on_delete=models.CASCADE, related_name="chain_rules"
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="页面类型",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="规则适用的页面类型，如“大额资金使用申请”。",
    )
    scope = models.ForeignKey(
        Page,
        verbose_name="适用范围",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_rules",
        help_text="该页面及其下级页面适用此规则；留空表示全站。",
    )
    min_amount = models.DecimalField(
        "起始金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="金额不低于此数时适用；留空表示从 0 元起。同一范围内取适用的最高一档。",
    )

    objects = ChainRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "审核流程规则"
        verbose_name_plural = "审核流程规则"
        ordering = ["content_type", "scope", "min_amount"]

    def __str__(self) -> str:
        where = self.scope.title if self.scope is not None else "全站"
        floor = f"{self.min_amount} 元起" if self.min_amount is not None else "不限金额"
        return f"{where} · {floor} → {self.workflow}"

    def rank(self) -> tuple[int, Decimal]:
        """Nearer scope first, then higher tier."""
        depth = self.scope.depth if self.scope is not None else 0
        return depth, self.min_amount if self.min_amount is not None else Decimal("-1")
