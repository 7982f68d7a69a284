"""The plan: what applying a file would create, update, remove and leave alone.

A row that exists but is not yet marked as managed (made by hand or by an
older loader) is adopted: the plan lists it as an update, with the fields
that differ and the mark itself, so a second run has nothing left to do.
Removal touches only what config manages, and is refused while the row still
has content or people, unless the caller allows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

from api.models import Screen
from content_types.roles.models import RoleAssignment
from content_types.structure.models import CompoundPage

from . import disclosure_kinds
from .state import KIND_LABELS, KINDS, State

Action = Literal["create", "update", "remove"]
ADOPT = "纳入配置管理"

FIELD_LABELS: dict[str, str] = {
    "title": "名称",
    "region": "所属区县",
    "address": "地址",
    "office_phone": "办公电话",
    "households": "户数",
    "total_area": "专有部分总面积",
    "community": "所属社区",
    "street": "所属街道",
    "name": "名称",
    "parent": "上级集合",
    "party_status": "党组织建立情况",
    "full_party_member_count": "正式党员人数",
    "compounds": "服务小区",
    "start": "任期开始",
    "end": "任期结束",
    "duties": "职责",
    "order": "排序",
    "director": "主任",
    "executive_deputy": "常务副主任",
    "deputies": "副主任",
    "members": "成员",
    "working_groups": "工作小组",
    "email": "电子邮箱",
    "superuser": "系统管理员",
    "active": "启用",
    "type": "类型",
    "role": "角色",
    "key": "步骤代码",
    "params": "参数",
    "steps": "步骤",
    "pages": "挂接页面",
    "snippets": "挂接片段类型",
    "rules": "页面类型与金额分级规则",
    "scope": "范围",
    "location": "安装位置",
    "page_type": "页面类型",
    "every": "频次",
    "grace_days": "宽限天数",
    "area": "重点任务类别",
    "key_task": "重点任务",
    "measure": "具体举措",
    "offices": "责任单位",
    "deadline": "完成时限",
    "per_community": "按社区分别推进",
    "two_factor_roles": "须两步验证的角色",
    "public_turnout": "表决期间公开总体参与情况",
    "seat_order": "业委会选举席位排序",
    "compound_days": "小区三方处置期限（天）",
    "levels": "适用层级",
    "editors": "编写角色",
    "chain": "审核流程",
    "header": "表头字段",
    "columns": "表格列",
    "checks": "校验规则",
    "computed": "计算列",
    "community_days": "社区微治办处置期限（天）",
    "street_days": "街道微治办处置期限（天）",
    "term_end_days_before": "换届审计提前开启（天）",
    "rotation_years": "轮审周期（年）",
    "rotation_month": "轮审开始月份",
    "due_days": "审计完成期限（天）",
    "auditor": "默认审计单位",
    "honours": "赛比争先名额",
    "indicators": "考评指标（权重、目标值）",
    "questions": "满意度测评题目",
    "weights": "得分构成权重",
    "excellent_min": "优质物业最低得分",
    "complaint_deduction": "每件服务投诉扣分",
}


# Kinds whose code says little to a reader: the plan names them too.
NAMED_KINDS = frozenset({"disclosure_kind"})


@dataclass
class Change:
    kind: str
    key: str
    action: Action
    values: dict[str, Any] = field(default_factory=dict)
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    adopt: bool = False
    blocker: str = ""

    def describe(self) -> str:
        label = f"{KIND_LABELS[self.kind]} {self.key}"
        if self.kind in NAMED_KINDS and self.values.get("name"):
            label += f"（{self.values['name']}）"
        if self.action == "create":
            return f"新建 {label}"
        if self.action == "remove":
            text = f"移除 {label}"
            return f"{text}（{self.blocker}）" if self.blocker else text
        parts = [
            f"{FIELD_LABELS.get(name, name)}：{_show(old)} → {_show(new)}"
            for name, (old, new) in self.changed.items()
        ]
        if self.adopt:
            parts.append(ADOPT)
        text = f"更新 {label}：" + "；".join(parts)
        return f"{text}（被拒绝：{self.blocker}）" if self.blocker else text


def _show(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, tuple):
        return (
            "、".join(_show(item) if not isinstance(item, tuple) else item[0] for item in value)
            or "（无）"
        )
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass
class Plan:
    changes: list[Change]
    unchanged: dict[str, int]
    allow_delete: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def refused(self) -> list[Change]:
        return [
            c for c in self.changes if c.blocker and (c.action == "update" or not self.allow_delete)
        ]

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action == action)

    def report(self) -> str:
        lines = ["配置计划："]
        if self.is_empty:
            lines.append("  无需任何修改。")
        lines += [f"  {change.describe()}" for change in self.changes]
        kept = "，".join(
            f"{KIND_LABELS[kind]} {count}" for kind, count in self.unchanged.items() if count
        )
        lines.append(f"不变：{kept or '无'}")
        lines.append(
            f"合计：新建 {self.count('create')}，更新 {self.count('update')}，"
            f"移除 {self.count('remove')}，不变 {sum(self.unchanged.values())}。"
        )
        if self.refused:
            lines.append(
                "以下移除被拒绝（仍有内容或人员；确需移除请加 --allow-delete，"
                "内容只下线、不删除）："
            )
            lines += [f"  {change.describe()}" for change in self.refused]
        return "\n".join(lines)


def make_plan(desired: State, current: State, allow_delete: bool = False) -> Plan:
    changes: list[Change] = []
    unchanged = dict.fromkeys(KINDS, 0)
    for kind in KINDS:
        wanted, held = desired.values[kind], current.values[kind]
        managed = current.managed.get(kind, set())
        for key, values in wanted.items():
            if key not in held:
                changes.append(Change(kind, key, "create", values))
                continue
            changed = {
                name: (held[key].get(name), value)
                for name, value in values.items()
                if held[key].get(name) != value
            }
            adopt = key not in managed
            if changed or adopt:
                changes.append(Change(kind, key, "update", values, changed, adopt=adopt))
            else:
                unchanged[kind] += 1
    removals = []
    for kind in reversed(KINDS):
        for key in sorted(current.managed.get(kind, set())):
            if key in current.values[kind] and key not in desired.values[kind]:
                obj = current.objects[kind][key]
                removals.append(
                    Change(
                        kind, key, "remove", current.values[kind][key], blocker=blocker(kind, obj)
                    )
                )
    return Plan(changes + removals, unchanged, allow_delete)


def blocker(kind: str, obj: Any) -> str:
    """Why removing ``obj`` would lose content or people; empty when nothing would be lost."""
    if kind in {"street", "community", "compound"}:
        reasons = []
        content = Page.objects.descendant_of(obj).exclude(
            content_type__model__in=["communitypage", "compoundpage"]
        )
        if content.exists():
            reasons.append(f"仍有 {content.count()} 个内容页面")
        people = RoleAssignment.objects.filter(
            scope__in=Page.objects.descendant_of(obj, inclusive=True)
        )
        if people.exists():
            reasons.append(f"仍有 {people.count()} 条角色授予")
        screens = Screen.objects.filter(scope__in=Page.objects.descendant_of(obj, inclusive=True))
        if screens.exists():
            reasons.append(f"仍有 {screens.count()} 块公开屏")
        if isinstance(obj, CompoundPage) and _compound_rows(obj):
            reasons.append("仍有属于该小区的业委会、会议或房屋等记录")
        return "，".join(reasons)
    if kind == "collection":
        files = sum(
            model.objects.filter(collection__path__startswith=obj.path).count()
            for model in (get_image_model(), get_document_model())
        )
        return f"仍有 {files} 个图片或文档" if files else ""
    if kind == "user":
        if Page.objects.filter(owner=obj).exists() or Revision.objects.filter(user=obj).exists():
            return "该用户仍有其编写的内容"
        return ""
    if kind == "disclosure_kind":
        return disclosure_kinds.removal_blocker(obj)
    if kind in {"firm", "committee", "governance_task"} and getattr(obj, "live", False):
        return "已发布，将下线并保留"
    if (
        kind == "chain"
        and WorkflowState.objects.filter(
            workflow=obj, status=WorkflowState.STATUS_IN_PROGRESS
        ).exists()
    ):
        return "仍有审核中的内容"
    return ""


def _compound_rows(compound: CompoundPage) -> bool:
    """Whether another app keeps rows that belong to ``compound`` (besides config's own)."""
    for relation in CompoundPage._meta.related_objects:
        if (
            relation.model is not CompoundPage
            or relation.many_to_many
            or relation.related_model._meta.app_label == "site_config"
        ):
            continue
        if relation.related_model._meta.label_lower == "committees.ownerscommittee":
            rows = relation.related_model.objects.filter(
                Q(**{relation.field.name: compound}), members__isnull=False
            )
        else:
            rows = relation.related_model.objects.filter(**{relation.field.name: compound})
        if rows.exists():
            return True
    return False
