"""What every disclosure shares: exact money, rows checked like the admin checks them, and
figures that must hold even in a draft."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from wagtail.models import Page
from wagtail.search import index

from content_types.roles.issuers import IssuingBody

if TYPE_CHECKING:
    from collections.abc import Sequence

Errors = defaultdict[str, list[ValidationError]]

ZERO = Decimal("0.00")
NOT_NEGATIVE = MinValueValidator(Decimal("0"), message="不能为负数。")
NUMERIC_FIELDS = (models.DecimalField, models.IntegerField)


def money_field(verbose_name: str, **kwargs: Any) -> models.DecimalField:
    """Yuan to the fen; a disclosure never has a negative amount, only a direction."""
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE], **kwargs
    )


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Round an exact, non-negative ratio the way people do, with no float or 28-digit step."""
    scaled = value * 10**places
    quotient, remainder = divmod(scaled.numerator, scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        quotient += 1
    return Decimal(quotient).scaleb(-places)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to two places; None when there is no base."""
    if not whole:
        return None
    return round_half_up(Fraction(part) / Fraction(whole) * 100, 2)


def yuan(amount: Decimal) -> str:
    return f"{amount:.2f} 元"


def row_errors(rows: Sequence[models.Model], label: str) -> list[ValidationError]:
    """The admin checks each row in its own form; pages built in code must meet the same bar."""
    problems: list[ValidationError] = []
    for number, row in enumerate(rows, start=1):
        messages = [
            f"“{field.verbose_name}”不能为负数。"
            for field in row._meta.concrete_fields
            if isinstance(field, NUMERIC_FIELDS)
            and (value := getattr(row, field.attname)) is not None
            and value < 0
        ]
        try:
            row.clean()
        except ValidationError as error:
            messages.extend(error.messages)
        problems.extend(
            ValidationError(f"{label}第 {number} 行：{message}") for message in messages
        )
    return problems


class ReportingPeriod(models.Model):
    """The span a set of figures covers."""

    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")

    class Meta:
        abstract = True

    def add_period_errors(self, errors: Errors) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"].append(
                ValidationError(
                    f"截止日期 {self.period_end:%Y-%m-%d} 早于起始日期 "
                    f"{self.period_start:%Y-%m-%d}，请检查。"
                )
            )


class FiguresHoldInDrafts:
    """For pages of money: their numbers and dates must hold even in a draft.

    Wagtail checks only the title and slug of a draft, so that text can stay blank until
    publishing; a draft with an impossible figure would still be stored and shown to reviewers.
    """

    def save(self: Any, clean: bool = True, **kwargs: Any) -> None:  # a Page's save
        if clean and not self.live:
            figures = {
                field.name
                for field in self._meta.local_fields
                if isinstance(field, (*NUMERIC_FIELDS, models.DateField))
            }
            self.full_clean(
                exclude=[field.name for field in self._meta.fields if field.name not in figures],
                validate_unique=False,
                validate_constraints=False,
            )
        return super().save(clean=clean, **kwargs)  # type: ignore[misc]


class DisclosurePage(FiguresHoldInDrafts, Page):
    """What every disclosure shares: it belongs to one compound and its figures must hold."""

    notes = models.TextField(
        "说明", blank=True, help_text="需要向业主说明的情况，如数据来源、异常原因。"
    )

    parent_page_types = ["structure.CompoundPage"]
    subpage_types: list[str] = []
    search_fields = [*Page.search_fields, index.SearchField("notes")]
    #: Who issues it when its author's role does not say (``roles.issuers``).
    issued_by = IssuingBody.OWNERS_COMMITTEE

    class Meta:
        abstract = True

    def figure_errors(self) -> Errors:
        """Problems with the figures, by field; each page type adds its own."""
        return defaultdict(list)

    def clean(self) -> None:
        super().clean()
        if errors := {field: found for field, found in self.figure_errors().items() if found}:
            raise ValidationError(errors)
