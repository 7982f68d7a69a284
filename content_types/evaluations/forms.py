"""Forms of the street's periods and of the committee's and community's evaluations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from wagtail.admin.widgets import AdminDateInput

from .models import RATING_CHOICES, EvaluationPeriod

if TYPE_CHECKING:
    from content_types.disclosures.models import ServiceItem

ITEM_PREFIX = "item_"


class PeriodForm(forms.ModelForm):
    class Meta:
        model = EvaluationPeriod
        fields = ["title", "starts_on", "ends_on"]
        widgets = {"starts_on": AdminDateInput, "ends_on": AdminDateInput}
        error_messages = {"title": {"unique": "已有同名的测评期。"}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "结束日期不能早于起始日期。")
        return data


class EvaluationForm(forms.Form):
    """One rating per service standard the firm disclosed for the compound, and a comment."""

    comment = forms.CharField(
        label="评价意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        standards: list[ServiceItem],
        initial_items: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.standards = standards
        before = {item["item"]: item.get("rating") for item in initial_items}
        for number, standard in enumerate(standards):
            self.fields[f"{ITEM_PREFIX}{number}"] = forms.TypedChoiceField(
                label=f"{standard.item}：{standard.standard}",
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                initial=before.get(standard.item),
                error_messages={"required": f"请评价“{standard.item}”。"},
            )
        self.order_fields([*(f"{ITEM_PREFIX}{n}" for n in range(len(standards))), "comment"])

    def items(self) -> list[dict[str, Any]]:
        return [
            {
                "item": standard.item,
                "standard": standard.standard,
                "rating": self.cleaned_data[f"{ITEM_PREFIX}{number}"],
            }
            for number, standard in enumerate(self.standards)
        ]
