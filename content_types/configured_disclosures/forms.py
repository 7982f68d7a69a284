"""The admin form of a configured disclosure: fields and a table built from the kind's
declaration, every problem named by its row and column."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from content_types.accounts.audit import current_request

from .declaration import MAX_ROWS, Column, ColumnType

HEADER_PREFIX = "header__"


def kind_code_requested() -> str:
    """The kind a new page is made of, as the admin's add link names it (``?kind=``)."""
    request = current_request()
    if request is None:
        return ""
    return request.POST.get("kind") or request.GET.get("kind") or ""


class ConfiguredDisclosureForm(WagtailAdminPageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        page = self.instance
        if not page.kind_id:
            kinds = page._meta.get_field("kind").related_model
            page.kind = kinds.objects.filter(code=kind_code_requested(), active=True).first()
        self.kind = page.kind if page.kind_id else None
        self.header_names: list[str] = []
        if self.kind is None:
            return
        declaration = self.kind.declaration
        self.files = self._files(declaration.columns + declaration.header)
        for column in declaration.header:
            name = HEADER_PREFIX + column.code
            self.fields[name] = self._field(column, page.header.get(column.code))
            self.header_names.append(name)
        schema = {
            "columns": [
                {**column.to_json(), "choices": self.files.get(column.type, [])}
                for column in declaration.columns
            ],
            "computed": declaration.computed.to_json() if declaration.computed else None,
            "maxRows": MAX_ROWS,
        }
        self.fields["table_rows"] = forms.CharField(
            label="表格",
            required=False,
            initial=json.dumps(page.rows, ensure_ascii=False),
            widget=forms.Textarea(
                attrs={
                    "data-declared-table": json.dumps(schema, ensure_ascii=False),
                    "rows": 8,
                }
            ),
        )

    @property
    def declared_names(self) -> list[str]:
        """The fields built from the declaration, which ``DeclaredTablePanel`` renders."""
        return [*self.header_names, *(["table_rows"] if "table_rows" in self.fields else [])]

    def _files(self, columns: tuple[Column, ...]) -> dict[str, list[list[Any]]]:
        """The documents and images this editor may put in a cell, as (id, title)."""
        types = {column.type for column in columns}
        found: dict[str, list[list[Any]]] = {}
        for kind, model in (
            (ColumnType.DOCUMENT, get_document_model()),
            (ColumnType.IMAGE, get_image_model()),
        ):
            if kind in types and self.for_user is not None:
                policy = policy_registry.get_by_type(model)
                reachable = policy.instances_user_has_any_permission_for(self.for_user, ["choose"])
                found[kind] = [[item.pk, item.title] for item in reachable.order_by("-pk")[:200]]
        return found

    def _field(self, column: Column, stored: Any) -> forms.Field:
        initial = stored
        options: dict[str, Any] = {"label": column.label, "required": column.required}
        if column.type == ColumnType.DATE:
            return forms.CharField(
                widget=forms.DateInput(attrs={"type": "date"}), initial=initial, **options
            )
        if column.type == ColumnType.CHOICE:
            choices = [("", "—"), *((option, option) for option in column.options)]
            return forms.ChoiceField(choices=choices, initial=initial, **options)
        if column.type in self.files:
            choices = [("", "—"), *((str(pk), title) for pk, title in self.files[column.type])]
            return forms.ChoiceField(choices=choices, initial=initial, **options)
        return forms.CharField(
            initial=initial, help_text=column.type_label, max_length=1000, **options
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.kind is None:
            raise forms.ValidationError("请先选择公示种类：从“添加子页面”进入，并选择种类。")
        try:
            rows = json.loads(data.get("table_rows") or "[]")
        except json.JSONDecodeError:
            self.add_error("table_rows", "表格数据无法读取，请重新填写。")
            return data
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            self.add_error("table_rows", "表格数据无法读取，请重新填写。")
            return data
        header = {name.removeprefix(HEADER_PREFIX): data.get(name) for name in self.header_names}
        clean_header, clean_rows, problems = self.kind.declaration.check(header, rows)
        labels = {
            column.label: HEADER_PREFIX + column.code for column in self.kind.declaration.header
        }
        for problem in problems:
            if problem.row is None and problem.column in labels:
                self.add_error(labels[problem.column], problem.message)
            else:
                self.add_error("table_rows", str(problem))
        for column in self.kind.declaration.columns:
            allowed = {pk for pk, _ in self.files.get(column.type, [])}
            if column.type in self.files:
                for number, row in enumerate(clean_rows, start=1):
                    if row.get(column.code) is not None and row[column.code] not in allowed:
                        self.add_error(
                            "table_rows",
                            f"第 {number} 行“{column.label}”："
                            f"所选{column.type_label}不存在或无权使用。",
                        )
        self.instance.table_checked = True  # the problems are the form's to show
        if not problems:
            self.instance.header, self.instance.rows = clean_header, clean_rows
        return data
