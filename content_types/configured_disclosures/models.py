"""Disclosure kinds the configuration file declares, and the one page type that holds them.

A kind is a row written by ``apply_config`` (never by hand), so adding one is a change to the
file, not to the code or the database schema; its pages keep their header and table as JSON,
checked against the kind's declaration (``declaration.py``) wherever they are saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, ObjectList, TitleFieldPanel
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Workflow
from wagtail.search import index

from content_types.disclosures.periods import Period
from content_types.roles.issuers import IssuingBody
from content_types.structure.public import in_public_collections, restricted_collection_paths

from .declaration import FILES, NUMERIC, Column, ColumnType, Declaration
from .forms import ConfiguredDisclosureForm
from .panels import DeclaredFieldsInterface, DeclaredTablePanel


class ConfiguredKind(models.Model):
    """One kind of disclosure declared in the configuration file (``disclosure_kinds``)."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100)
    levels = models.JSONField("适用层级", default=list)
    editors = models.JSONField("编写角色", default=list)
    chain = models.CharField("审核流程", max_length=255, blank=True)
    every = models.CharField("公开频次", max_length=16, choices=Period.choices, blank=True)
    grace_days = models.PositiveSmallIntegerField("宽限天数", default=30)
    header = models.JSONField("表头字段", default=list, blank=True)
    columns = models.JSONField("表格列", default=list)
    rules = models.JSONField("校验规则", default=list, blank=True)
    computed = models.JSONField("计算列", null=True, blank=True)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "配置的公示种类"
        verbose_name_plural = "配置的公示种类"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def declaration(self) -> Declaration:
        return Declaration.from_json(
            self.code, self.name, self.header, self.columns, self.rules, self.computed
        )


class ConfiguredDisclosurePage(Page):
    """A disclosure of a configured kind, on the street, a community or a compound."""

    kind = models.ForeignKey(
        ConfiguredKind, verbose_name="公示种类", on_delete=models.PROTECT, related_name="pages"
    )
    as_of = models.DateField("公示日期")
    header = models.JSONField("表头", default=dict, blank=True)
    rows = models.JSONField("表格", default=list, blank=True)
    notes = models.TextField(
        "说明", blank=True, help_text="需要向业主说明的情况，如数据来源、异常原因。"
    )

    parent_page_types = [
        "structure.StreetPage",
        "structure.CommunityPage",
        "structure.CompoundPage",
    ]
    subpage_types: list[str] = []
    base_form_class = ConfiguredDisclosureForm
    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("as_of"),
        DeclaredTablePanel(),
        FieldPanel("notes"),
    ]
    edit_handler = DeclaredFieldsInterface(
        [
            ObjectList(content_panels, heading=gettext_lazy("Content")),
            ObjectList(Page.promote_panels, heading=gettext_lazy("Promote")),
            ObjectList(Page.settings_panels, heading=gettext_lazy("Settings")),
        ],
        base_form_class=ConfiguredDisclosureForm,
    )
    search_fields = [*Page.search_fields, index.SearchField("notes")]
    issued_by = IssuingBody.OWNERS_COMMITTEE
    #: Set by the admin form once it has checked the table, so the model does not again.
    table_checked = False

    class Meta:
        verbose_name = "配置的公示"
        verbose_name_plural = "配置的公示"

    def clean(self) -> None:
        super().clean()
        if self.table_checked or not self.kind_id:
            return
        header, rows, problems = self.kind.declaration.check(self.header, self.rows)
        if problems:
            raise ValidationError({"rows": [str(problem) for problem in problems]})
        self.header, self.rows = header, rows

    def get_workflow(self) -> Workflow | None:
        """The chain the kind names, else the one attached to the subtree."""
        if self.kind_id and self.kind.chain:
            chain = Workflow.objects.filter(name=self.kind.chain, active=True).first()
            if chain is not None:
                return chain
        return super().get_workflow()

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["table"] = table(self)
        return context


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    numeric: bool = False


def table(page: ConfiguredDisclosurePage) -> dict[str, Any]:
    """The header and rows as people read them, for the public page and the print: documents
    and images by title and address (one query each), none from a restricted collection."""
    declaration = page.kind.declaration
    computed = declaration.computed
    columns = list(declaration.columns)
    files = public_files(page.rows, columns)

    def cell(column: Column, stored: Any) -> Cell:
        if column.type in FILES:
            found = files.get((column.type, stored))
            return Cell(found[0], found[1]) if found else Cell("")
        return Cell(column.display(stored), numeric=column.type in NUMERIC)

    return {
        "header": [
            (column.label, column.display(page.header.get(column.code)))
            for column in declaration.header
        ],
        "columns": [column.label for column in columns] + ([computed.label] if computed else []),
        "rows": [
            [cell(column, row.get(column.code)) for column in columns]
            + (
                [Cell(f"{row[computed.code]}%" if row.get(computed.code) else "", numeric=True)]
                if computed
                else []
            )
            for row in page.rows
        ],
    }


def public_files(
    rows: list[dict[str, Any]], columns: list[Column]
) -> dict[tuple[str, int], tuple[str, str]]:
    """(type, id) → (title, address) of the documents and images the rows name."""
    restricted = restricted_collection_paths()
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for kind, model in (
        (ColumnType.DOCUMENT, get_document_model()),
        (ColumnType.IMAGE, get_image_model()),
    ):
        codes = [column.code for column in columns if column.type == kind]
        ids = {row[code] for row in rows for code in codes if row.get(code) is not None}
        if not ids:
            continue
        for item in in_public_collections(model.objects.filter(pk__in=ids), restricted):
            url = item.url if kind == ColumnType.DOCUMENT else item.file.url
            found[kind, item.pk] = (item.title, url)
    return found
