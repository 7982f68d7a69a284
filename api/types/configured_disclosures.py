"""Disclosures of the kinds the configuration file declares (自定义公示), in types that stay the
same whatever kinds are declared.

A kind's columns are data here, not fields: each page carries its kind (code, name, header
fields, columns, computed column) and its header and rows as typed cells, so adding or removing
a kind leaves ``graphql/schema.graphql`` as it is. Each cell gives the text people read and its
value typed by its column (an integer, an exact decimal, a date, a document or a picture); the
documents and pictures of every page a request lists are read at once (``FileBatch``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import graphene

from api import loaders
from api.visibility import Visibility
from content_types.configured_disclosures.declaration import (
    FILES,
    Column,
    ColumnType,
    Computed,
    Declaration,
)
from content_types.notices.images import SCREEN_RENDITION, screen_rendition

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from content_types.configured_disclosures.models import (
        ConfiguredDisclosurePage,
        ConfiguredKind,
    )

ConfiguredColumnTypeEnum = graphene.Enum.from_enum(
    ColumnType,
    name="ConfiguredColumnType",
    # graphene asks with None for the type's own description, with a member for the member's.
    description=lambda member: "自定义公示的列类型" if member is None else str(member.label),
)

# GraphQL's Int is 32-bit: a larger integer cell gives its value as text only (``value``).
INT_RANGE = (-(2**31), 2**31 - 1)
BATCH_ATTRIBUTE = "_weizhi_configured_files"


def declaration_of(kind: ConfiguredKind) -> Declaration:
    """The kind's declaration, built once per kind row read."""
    found = kind.__dict__.get("_api_declaration")
    if found is None:
        found = kind.__dict__["_api_declaration"] = kind.declaration
    return found


class ConfiguredColumnType(graphene.ObjectType):
    code = graphene.String(required=True, description="代码（在本种类内唯一，不随名称变化）")
    label = graphene.String(required=True, description="名称")
    type = ConfiguredColumnTypeEnum(required=True, description="类型")
    type_label = graphene.String(required=True, description="类型的中文名称")
    options = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="选项（仅选项类型）"
    )
    required = graphene.Boolean(required=True, description="是否必填")

    class Meta:
        name = "ConfiguredColumn"
        description = "自定义公示的表头字段或表格列"

    @staticmethod
    def resolve_options(column: Column, info: Any) -> list[str]:
        return list(column.options)


class ConfiguredComputedColumnType(graphene.ObjectType):
    code = graphene.String(required=True, description="代码")
    label = graphene.String(required=True, description="名称")
    numerator = graphene.String(required=True, description="分子列的代码")
    denominator = graphene.String(required=True, description="分母列的代码")

    class Meta:
        name = "ConfiguredComputedColumn"
        description = "每行计算的列：分子列 ÷ 分母列，以百分比表示"


class ConfiguredKindType(graphene.ObjectType):
    code = graphene.String(required=True, description="种类代码（配置文件中的 code）")
    name = graphene.String(required=True, description="种类名称")
    header = graphene.List(
        graphene.NonNull(ConfiguredColumnType), required=True, description="表头字段"
    )
    columns = graphene.List(
        graphene.NonNull(ConfiguredColumnType), required=True, description="表格列"
    )
    computed = graphene.Field(
        ConfiguredComputedColumnType, description="计算列；没有则为空（其值在每行最后一格）"
    )

    class Meta:
        name = "ConfiguredKind"
        description = "配置文件声明的公示种类"

    @staticmethod
    def resolve_header(kind: ConfiguredKind, info: Any) -> tuple[Column, ...]:
        return declaration_of(kind).header

    @staticmethod
    def resolve_columns(kind: ConfiguredKind, info: Any) -> tuple[Column, ...]:
        return declaration_of(kind).columns

    @staticmethod
    def resolve_computed(kind: ConfiguredKind, info: Any) -> Any:
        return declaration_of(kind).computed


class ConfiguredDocumentType(graphene.ObjectType):
    title = graphene.String(required=True, description="文档名称")
    url = graphene.String(required=True, description="下载地址")

    class Meta:
        name = "ConfiguredDocument"
        description = "单元格中的文档（仅可公开下载的）"


class ConfiguredImageType(graphene.ObjectType):
    url = graphene.String(
        required=True, description=f"图片地址：缩放到 1920×1080 以内（{SCREEN_RENDITION}）"
    )
    width = graphene.Int(required=True, description="宽度（像素）")
    height = graphene.Int(required=True, description="高度（像素）")
    alt = graphene.String(required=True, description="替代文字")

    class Meta:
        name = "ConfiguredImage"
        description = "单元格中的图片（仅可公开的）"


@dataclass(frozen=True)
class Cell:
    """One cell as the API gives it: its column, the text people read and its typed value."""

    code: str
    label: str
    type: str
    text: str
    value: str | None = None
    integer: int | None = None
    decimal: Decimal | None = None
    date: datetime.date | None = None
    document: dict[str, str] | None = None
    image: dict[str, Any] | None = None


class ConfiguredCellType(graphene.ObjectType):
    code = graphene.String(required=True, description="所在列或表头字段的代码")
    label = graphene.String(required=True, description="所在列或表头字段的名称")
    type = ConfiguredColumnTypeEnum(required=True, description="类型")
    text = graphene.String(
        required=True, description="显示的文字（金额带千分位，日期为“2026年1月31日”）；空格为空串"
    )
    value = graphene.String(
        description="存储的值：文字、选项、整数、精确小数（金额两位小数，百分比不带 %）或 "
        "ISO 日期；文档、图片及空格为空"
    )
    integer = graphene.Int(description="整数类型的值（超出 32 位整数范围时为空，见 value）")
    decimal = graphene.Decimal(description="小数、金额（元）、百分比类型的值（精确小数）")
    date = graphene.Date(description="日期类型的值")
    document = graphene.Field(ConfiguredDocumentType, description="文档类型的值")
    image = graphene.Field(ConfiguredImageType, description="图片类型的值")

    class Meta:
        name = "ConfiguredCell"
        description = "自定义公示的一格（表头字段或表格单元格）"


class ConfiguredRowType(graphene.ObjectType):
    cells = graphene.List(
        graphene.NonNull(ConfiguredCellType),
        required=True,
        description="按列的顺序；有计算列时其值在最后一格",
    )

    class Meta:
        name = "ConfiguredRow"
        description = "自定义公示表格的一行"


def file_cells(page: ConfiguredDisclosurePage) -> Iterator[tuple[str, int]]:
    """The type (document or image) and id of every file the page's header and rows hold."""
    declaration = declaration_of(page.kind)
    stored = [(column, page.header.get(column.code)) for column in declaration.header]
    file_columns = [column for column in declaration.columns if column.type in FILES]
    for row in page.rows if file_columns else ():
        stored.extend((column, row.get(column.code)) for column in file_columns)
    for column, value in stored:
        if column.type in FILES and isinstance(value, int) and not isinstance(value, bool):
            yield column.type, value


class FileBatch:
    """The documents and pictures the configured disclosures of one request refer to.

    Pages are noted as they are listed (``remember_files``) and their files read, all at once,
    when the first cell needs one: a query for documents and one for images with one for their
    renditions, whatever the number of pages and rows. Files in a collection under a view
    restriction are left out, as for notices.
    """

    def __init__(self, visibility: Visibility) -> None:
        self.visibility = visibility
        self.pending: dict[str, set[int]] = {ColumnType.DOCUMENT: set(), ColumnType.IMAGE: set()}
        self.documents: dict[int, Any] = {}
        self.images: dict[int, dict[str, Any] | None] = {}

    def note(self, page: ConfiguredDisclosurePage) -> None:
        for column_type, pk in file_cells(page):
            self.pending[column_type].add(pk)

    def load(self) -> None:
        documents = self.pending[ColumnType.DOCUMENT] - set(self.documents)
        if documents:
            found = loaders.public_documents(self.visibility, documents)
            self.documents.update(dict.fromkeys(documents))
            self.documents.update(found)
        images = self.pending[ColumnType.IMAGE] - set(self.images)
        if images:
            found = loaders.public_images(self.visibility, images)
            self.images.update(dict.fromkeys(images))
            for pk, image in found.items():
                rendition = screen_rendition(image)
                if rendition is not None:
                    self.images[pk] = {
                        "url": rendition.url,
                        "width": rendition.width,
                        "height": rendition.height,
                        "alt": image.default_alt_text or "",
                    }
        for ids in self.pending.values():
            ids.clear()

    def document(self, pk: int) -> Any:
        if pk in self.pending[ColumnType.DOCUMENT]:
            self.load()
        return self.documents.get(pk)

    def image(self, pk: int) -> dict[str, Any] | None:
        if pk in self.pending[ColumnType.IMAGE]:
            self.load()
        return self.images.get(pk)


def file_batch(context: Any) -> FileBatch:
    found = getattr(context, BATCH_ATTRIBUTE, None)
    if found is None:
        found = FileBatch(Visibility.of(context))
        setattr(context, BATCH_ATTRIBUTE, found)
    return found


def remember_files(
    context: Any, pages: Iterable[ConfiguredDisclosurePage]
) -> list[ConfiguredDisclosurePage]:
    """Note the pages a field returns, so that their files are read in one pass."""
    pages = list(pages)
    batch = file_batch(context)
    for page in pages:
        batch.note(page)
    return pages


def cell(column: Column, stored: Any, files: FileBatch) -> Cell:
    """``stored`` as a cell of ``column``: its text and its typed value."""
    blank = Cell(column.code, column.label, column.type, text="")
    if stored is None:
        return blank
    if column.type == ColumnType.DOCUMENT:
        document = files.document(stored) if isinstance(stored, int) else None
        if document is None:
            return blank
        shown = {"title": document.title, "url": document.url}
        return replace(blank, text=document.title, document=shown)
    if column.type == ColumnType.IMAGE:
        image = files.image(stored) if isinstance(stored, int) else None
        return blank if image is None else replace(blank, text=image["alt"], image=image)
    found = replace(blank, text=column.display(stored), value=str(stored))
    value = column.value(stored)
    if column.type == ColumnType.INTEGER and isinstance(value, int):
        in_range = INT_RANGE[0] <= value <= INT_RANGE[1]
        return replace(found, integer=value if in_range else None)
    if isinstance(value, Decimal):
        return replace(found, decimal=value)
    if isinstance(value, datetime.date):
        return replace(found, date=value)
    return found


def computed_cell(computed: Computed, row: dict[str, Any]) -> Cell:
    stored = row.get(computed.code)
    blank = Cell(computed.code, computed.label, ColumnType.PERCENT, text="")
    if stored is None:
        return blank
    return replace(blank, text=f"{stored}%", value=str(stored), decimal=Decimal(stored))


def header_cells(page: ConfiguredDisclosurePage, context: Any) -> list[Cell]:
    files = file_batch(context)
    return [
        cell(column, page.header.get(column.code), files)
        for column in declaration_of(page.kind).header
    ]


def table_rows(page: ConfiguredDisclosurePage, context: Any) -> list[dict[str, list[Cell]]]:
    declaration = declaration_of(page.kind)
    files = file_batch(context)
    rows = []
    for row in page.rows:
        cells = [cell(column, row.get(column.code), files) for column in declaration.columns]
        if declaration.computed is not None:
            cells.append(computed_cell(declaration.computed, row))
        rows.append({"cells": cells})
    return rows


class ConfiguredDisclosureType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True, description="标题")
    slug = graphene.String(required=True)
    as_of = graphene.Date(required=True, description="公示日期")
    notes = graphene.String(required=True, description="说明")
    published_at = graphene.DateTime(description="首次发布时间")
    kind = graphene.Field(ConfiguredKindType, required=True, description="公示种类及其各列")
    header = graphene.List(
        graphene.NonNull(ConfiguredCellType), required=True, description="表头字段的值"
    )
    rows = graphene.List(graphene.NonNull(ConfiguredRowType), required=True, description="表格")

    class Meta:
        name = "ConfiguredDisclosure"
        description = "配置文件声明的种类的公示（自定义公示）"

    @staticmethod
    def resolve_published_at(page: ConfiguredDisclosurePage, info: Any) -> Any:
        return page.first_published_at

    @staticmethod
    def resolve_header(page: ConfiguredDisclosurePage, info: Any) -> list[Cell]:
        return header_cells(page, info.context)

    @staticmethod
    def resolve_rows(page: ConfiguredDisclosurePage, info: Any) -> list[dict[str, list[Cell]]]:
        return table_rows(page, info.context)


class ConfiguredTableType(graphene.ObjectType):
    """A configured disclosure as a screen shows it: the text of each cell, nothing to type.

    Lists of text cost one field each in the query cost, so a screen's feed can carry a table of
    every kind and stay well under the budget.
    """

    id = graphene.ID(required=True)
    title = graphene.String(required=True, description="标题")
    as_of = graphene.Date(required=True, description="公示日期")
    kind_code = graphene.String(required=True, description="种类代码")
    kind_name = graphene.String(required=True, description="种类名称")
    header = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="有值的表头字段，每项为“名称：值”",
    )
    columns = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="列名（有计算列时在最后）"
    )
    rows = graphene.List(
        graphene.NonNull(graphene.List(graphene.NonNull(graphene.String))),
        required=True,
        description="各行各格显示的文字，与 columns 一一对应",
    )

    class Meta:
        name = "ConfiguredTable"
        description = "自定义公示，以表格显示于公开屏"

    @staticmethod
    def resolve_kind_code(page: ConfiguredDisclosurePage, info: Any) -> str:
        return page.kind.code

    @staticmethod
    def resolve_kind_name(page: ConfiguredDisclosurePage, info: Any) -> str:
        return page.kind.name

    @staticmethod
    def resolve_header(page: ConfiguredDisclosurePage, info: Any) -> list[str]:
        return [
            f"{each.label}：{each.text}" for each in header_cells(page, info.context) if each.text
        ]

    @staticmethod
    def resolve_columns(page: ConfiguredDisclosurePage, info: Any) -> list[str]:
        declaration = declaration_of(page.kind)
        computed = [declaration.computed.label] if declaration.computed else []
        return [column.label for column in declaration.columns] + computed

    @staticmethod
    def resolve_rows(page: ConfiguredDisclosurePage, info: Any) -> list[list[str]]:
        return [[each.text for each in row["cells"]] for row in table_rows(page, info.context)]
