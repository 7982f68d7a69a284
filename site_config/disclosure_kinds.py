"""The file's ``disclosure_kinds``: their checks, their state, applying them, and refusing a
change that would lose what pages hold.

A kind is compared by its declaration; ``migrations`` are instructions for one change (drop a
column's values, or convert them to its new type) and are not part of it. Removing a kind
leaves its pages offline and kept (the row stays, inactive), like every removal of content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from content_types.configured_disclosures.declaration import (
    FILES,
    NUMERIC,
    CellError,
    Column,
    ColumnType,
    RuleType,
)
from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.roles.models import ROLE_SCOPE_LEVEL

from .models import ManagedObject

if TYPE_CHECKING:
    from .handlers.context import Context
    from .plan import Change, Plan
    from .schema import DisclosureKind, SiteConfig
    from .state import State
    from .yaml_source import Loc

SECTION = "disclosure_kinds"
#: How many pages holding a value a refusal names before it says "and more".
NAMED = 3


def problems(kind: DisclosureKind, chains: set[str]) -> list[tuple[Loc, str]]:
    """What is wrong within one kind, each at its path below the kind."""
    found: list[tuple[Loc, str]] = []
    fields: dict[str, Any] = {}
    for part in ("header", "columns"):
        for index, column in enumerate(getattr(kind, part)):
            if column.code in fields:
                found.append(((part, index, "code"), f"列代码“{column.code}”重复。"))
            fields[column.code] = (part, column)
            if column.type == ColumnType.CHOICE and not column.options:
                found.append(((part, index, "options"), "选项列须列出 options。"))
            if column.type != ColumnType.CHOICE and column.options:
                found.append(((part, index, "options"), "只有选项列（choice）可以写 options。"))
            if part == "header" and column.type in FILES:
                found.append(((part, index, "type"), "表头字段不能是文档或图片，请放到表格列中。"))

    def field_of(path: Loc, code: str, part: str | None, types: frozenset[str]) -> None:
        if code not in fields:
            found.append((path, f"没有代码为“{code}”的列或表头字段。"))
            return
        where, column = fields[code]
        if part is not None and where != part:
            name = "表格列" if part == "columns" else "表头字段"
            found.append((path, f"“{code}”应是{name}。"))
        elif column.type not in types:
            found.append((path, f"“{code}”的类型是{column.type}，这里不适用。"))

    dates = frozenset({ColumnType.DATE})
    for index, rule in enumerate(kind.rules):
        path: Loc = ("rules", index)
        if rule.type == RuleType.TOTAL:
            field_of((*path, "column"), rule.column, "columns", NUMERIC)
            field_of((*path, "header"), rule.header, "header", NUMERIC)
        elif rule.type == RuleType.BOUNDS:
            field_of((*path, "column"), rule.column, None, NUMERIC)
            if rule.min is None and rule.max is None:
                found.append((path, "取值范围须写 min 或 max。"))
            elif rule.min is not None and rule.max is not None and rule.min > rule.max:
                found.append((path, "min 不能大于 max。"))
        else:
            field_of((*path, "column"), rule.column, "columns", dates)
            field_of((*path, "other"), rule.other, "columns", dates)
    if kind.computed:
        numeric = frozenset(NUMERIC)
        field_of(("computed", "numerator"), kind.computed.numerator, "columns", numeric)
        field_of(("computed", "denominator"), kind.computed.denominator, "columns", numeric)
        if kind.computed.code in fields:
            found.append((("computed", "code"), f"计算列代码“{kind.computed.code}”与其他列重复。"))
    if kind.chain and kind.chain not in chains:
        found.append((("chain",), f"没有名为“{kind.chain}”的审核流程。"))
    for index, role in enumerate(kind.editors):
        if ROLE_SCOPE_LEVEL[role] not in kind.levels and not any(
            _above(ROLE_SCOPE_LEVEL[role], level) for level in kind.levels
        ):
            found.append(
                (
                    ("editors", index),
                    f"角色“{role}”不在适用层级（{'、'.join(kind.levels)}）及其上级。",
                )
            )
    for index, migration in enumerate(kind.migrations):
        if bool(migration.drop) == bool(migration.retype):
            found.append((("migrations", index), "每条迁移写 drop 或 retype 之一。"))
        elif migration.retype and migration.retype not in fields:
            found.append((("migrations", index, "retype"), f"没有代码为“{migration.retype}”的列。"))
        elif migration.drop and migration.drop in fields:
            found.append(
                (("migrations", index, "drop"), f"“{migration.drop}”仍在声明中，不能删除其数据。")
            )
    return found


def _above(role_level: str, level: str) -> bool:
    order = ["street", "community", "compound"]
    return order.index(role_level) < order.index(level)


def desired(config: SiteConfig, state: State) -> None:
    for order, kind in enumerate(config.disclosure_kinds):
        state.values["disclosure_kind"][kind.code] = {
            "name": kind.name,
            "levels": tuple(kind.levels),
            "editors": tuple(kind.editors),
            "chain": kind.chain,
            "every": kind.schedule.every if kind.schedule else "",
            "grace_days": kind.schedule.grace_days if kind.schedule else 30,
            "header": tuple(_describe(c.model_dump()) for c in kind.header),
            "columns": tuple(_describe(c.model_dump()) for c in kind.columns),
            "checks": tuple(_rule_text(r.model_dump(exclude_defaults=True)) for r in kind.rules),
            "computed": _computed_text(kind.computed.model_dump() if kind.computed else None),
            "order": order,
        }


def current(state: State) -> None:
    for kind in ConfiguredKind.objects.filter(active=True):
        state.values["disclosure_kind"][kind.code] = {
            "name": kind.name,
            "levels": tuple(kind.levels),
            "editors": tuple(kind.editors),
            "chain": kind.chain,
            "every": kind.every,
            "grace_days": kind.grace_days,
            "header": tuple(_describe(c) for c in kind.header),
            "columns": tuple(_describe(c) for c in kind.columns),
            "checks": tuple(_rule_text(r) for r in kind.rules),
            "computed": _computed_text(kind.computed),
            "order": kind.sort_order,
        }
        state.objects["disclosure_kind"][kind.code] = kind
        state.managed["disclosure_kind"].add(kind.code)


def export(state: State) -> list[dict[str, Any]]:
    """The kinds as the file writes them."""
    kinds = []
    for row in state.objects["disclosure_kind"].values():
        kind: dict[str, Any] = {
            "code": row.code,
            "name": row.name,
            "levels": row.levels,
            "editors": row.editors,
        }
        if row.chain:
            kind["chain"] = row.chain
        if row.every:
            kind["schedule"] = {"every": row.every, "grace_days": row.grace_days}
        if row.header:
            kind["header"] = row.header
        kind["columns"] = row.columns
        if row.rules:
            kind["rules"] = row.rules
        if row.computed:
            kind["computed"] = row.computed
        kinds.append(kind)
    return kinds


def _describe(column: dict[str, Any]) -> str:
    """A column as the plan shows it; two columns are the same when their texts are."""
    text = f"{column['code']} {column['label']}（{ColumnType(column.get('type', 'text')).label}"
    if column.get("required"):
        text += "，必填"
    if column.get("options"):
        text += "：" + "/".join(column["options"])
    return text + "）"


def _rule_text(rule: dict[str, Any]) -> str:
    parts = [
        f"{key}={rule[key]}"
        for key in ("column", "header", "other", "min", "max")
        if rule.get(key) not in (None, "")
    ]
    return f"{RuleType(rule['type']).label}（{'，'.join(parts)}）"


def _computed_text(computed: dict[str, Any] | None) -> str:
    if not computed:
        return ""
    ratio = f"{computed['numerator']}/{computed['denominator']}"
    return f"{computed['code']} {computed['label']} = {ratio}"


def save(change: Change, context: Context) -> None:
    kind = next(k for k in context.config.disclosure_kinds if k.code == change.key)
    row = ConfiguredKind.objects.filter(code=kind.code).first() or ConfiguredKind(code=kind.code)
    old_types = {c["code"]: c.get("type", "text") for c in [*row.header, *row.columns]}
    row.name = kind.name
    row.levels = list(kind.levels)
    row.editors = list(kind.editors)
    row.chain = kind.chain
    row.every = kind.schedule.every if kind.schedule else ""
    row.grace_days = kind.schedule.grace_days if kind.schedule else 30
    row.header = [
        c.model_dump(exclude_defaults=True) | {"code": c.code, "label": c.label, "type": c.type}
        for c in kind.header
    ]
    row.columns = [
        c.model_dump(exclude_defaults=True) | {"code": c.code, "label": c.label, "type": c.type}
        for c in kind.columns
    ]
    row.rules = [_rule_json(r.model_dump(exclude_defaults=True)) for r in kind.rules]
    row.computed = kind.computed.model_dump() if kind.computed else None
    row.sort_order = change.values["order"]
    row.active = True
    row.save()
    drops = {m.drop for m in kind.migrations if m.drop}
    retypes = {
        m.retype
        for m in kind.migrations
        if m.retype and old_types.get(m.retype) not in (None, _type_of(kind, m.retype))
    }
    if drops or retypes:
        _migrate_values(row, drops, retypes)
    if change.action == "create" or change.adopt:
        context.mark("disclosure_kind", change.key, row)


def _type_of(kind: DisclosureKind, code: str) -> str:
    return next(c.type for c in [*kind.header, *kind.columns] if c.code == code)


def _rule_json(rule: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) if key in ("min", "max") else value for key, value in rule.items()}


def _migrate_values(kind: ConfiguredKind, drops: set[str], retypes: set[str]) -> None:
    columns = {
        column.code: column for column in (*kind.declaration.header, *kind.declaration.columns)
    }
    for page in ConfiguredDisclosurePage.objects.filter(kind=kind):
        for values in [page.header, *page.rows]:
            for code in drops:
                values.pop(code, None)
            for code in retypes:
                if values.get(code) is not None:
                    values[code] = columns[code].parse(values[code])
        page.save(update_fields=["header", "rows"], clean=False)


def remove(change: Change, context: Context) -> None:
    """A kind that leaves the file: its pages go offline and stay; so does the row."""
    kind = context.current.objects["disclosure_kind"][change.key]
    ManagedObject.objects.filter(kind="disclosure_kind", key=change.key).delete()
    for page in ConfiguredDisclosurePage.objects.live().filter(kind=kind):
        page.unpublish()
    kind.active = False
    kind.save(update_fields=["active"])


def removal_blocker(kind: ConfiguredKind) -> str:
    pages = ConfiguredDisclosurePage.objects.filter(kind=kind).count()
    return f"仍有 {pages} 个该种类的页面（将下线并保留）" if pages else ""


def add_change_blockers(plan: Plan, config: SiteConfig) -> None:
    """Refuse an update of a kind that would lose, or misread, values pages hold."""
    declared = {kind.code: kind for kind in config.disclosure_kinds}
    for change in plan.changes:
        if change.kind != "disclosure_kind" or change.action != "update":
            continue
        if not ({"header", "columns"} & set(change.changed)):
            continue
        row = ConfiguredKind.objects.get(code=change.key)
        change.blocker = _loss(row, declared[change.key])


def _loss(row: ConfiguredKind, kind: DisclosureKind) -> str:
    old = {c["code"]: Column.from_json(c) for c in [*row.header, *row.columns]}
    new = {c.code: Column.from_json(c.model_dump()) for c in [*kind.header, *kind.columns]}
    drops = {m.drop for m in kind.migrations if m.drop}
    retypes = {m.retype for m in kind.migrations if m.retype}
    touched = {
        code
        for code, column in old.items()
        if code not in new
        or new[code].type != column.type
        or set(new[code].options) < set(column.options)
    }
    if not touched:
        return ""
    reasons = []
    pages = ConfiguredDisclosurePage.objects.filter(kind=row).only("title", "header", "rows")
    for code in sorted(touched):
        holders = [
            page
            for page in pages
            if any(v.get(code) is not None for v in [page.header, *page.rows])
        ]
        if not holders:
            continue
        label = old[code].label
        named = "、".join(f"《{page.title}》" for page in holders[:NAMED])
        more = f"等 {len(holders)} 个页面" if len(holders) > NAMED else ""
        if code not in new:
            if code not in drops:
                reasons.append(
                    f"删除列“{label}”会丢失{named}{more}中的数据"
                    f"（如确需删除，请在 migrations 中写 drop: {code}）"
                )
            continue
        if code not in retypes:
            reasons.append(
                f"列“{label}”改变类型或选项，而{named}{more}中已有数据"
                f"（如要转换，请在 migrations 中写 retype: {code}）"
            )
            continue
        failures = _unconvertible(holders, code, new[code])
        if failures:
            reasons.append(
                f"列“{label}”的数据无法转换为{new[code].type_label}：" + "；".join(failures[:NAMED])
            )
    return "；".join(reasons)


def _unconvertible(pages: list[ConfiguredDisclosurePage], code: str, column: Column) -> list[str]:
    failures = []
    for page in pages:
        for number, values in enumerate([page.header, *page.rows]):
            if values.get(code) is None:
                continue
            try:
                column.parse(values[code])
            except CellError as error:
                place = "表头" if number == 0 else f"第 {number} 行"
                failures.append(f"《{page.title}》{place}“{values[code]}”{error}")
    return failures
