"""Check a configuration file whole: shape, then every reference across it, each problem in Chinese.

Nothing is written while checking, and nothing stops at the first problem:
the person fixing the file sees every problem with its path and line at once.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from pydantic import ValidationError as PydanticError
from wagtail.models import Page, WorkflowMixin

from content_types.cases.models import CaseCategory
from content_types.committees.models import MAX_TERM_YEARS
from content_types.firms.credit_code import normalise, validate_credit_code
from content_types.governance_tasks.models import office_names
from content_types.roles.models import ROLE_SCOPE_LEVEL, Role, ScopeLevel

from .channels import problems as channel_problems
from .disclosure_kinds import SECTION
from .disclosure_kinds import problems as kind_problems
from .schedules import problems as schedule_problems
from .schema import SiteConfig
from .scorecards import unknown_code as unknown_scorecard_indicator
from .task_types import TASK_TYPES
from .yaml_source import Loc, Problem, Source, read_source

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping
    from pathlib import Path


class ConfigError(Exception):
    """A file that cannot be applied; ``problems`` lists each one with its path and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"配置文件有 {len(self.problems)} 处问题，未做任何修改："]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


_TYPE_NAMES = {
    "string_type": "文本",
    "int_type": "整数",
    "int_parsing": "整数",
    "int_from_float": "整数",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "decimal_type": "数字",
    "decimal_parsing": "数字",
    "date_type": "日期（如 2023-05-01）",
    "date_parsing": "日期（如 2023-05-01）",
    "date_from_datetime_parsing": "日期（如 2023-05-01）",
    "list_type": "列表",
    "dict_type": "键值映射",
    "model_type": "键值映射",
    "model_attributes_type": "键值映射",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "缺少必填项。"
    if kind == "extra_forbidden":
        return "未知的键（请检查拼写）。"
    if kind in _TYPE_NAMES:
        return f"应为{_TYPE_NAMES[kind]}，实际为“{error.get('input')}”。"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"取值“{error.get('input')}”无效，可选：{'、'.join(expected.split(', '))}。"
    if kind == "string_too_short":
        return "不能为空。" if ctx.get("min_length") == 1 else f"至少{ctx['min_length']}个字符。"
    if kind == "string_too_long":
        return f"最多{ctx.get('max_length')}个字符。"
    if kind == "value_error":
        return str(ctx.get("error", ""))
    if kind == "string_pattern_mismatch":
        return f"格式不对：“{error.get('input')}”。"
    if kind == "too_short":
        return f"至少需要{ctx.get('min_length')}项。"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}。"
    if kind in {"less_than_equal", "less_than"}:
        return f"不能大于{ctx.get('le', ctx.get('lt'))}。"
    if kind in {"decimal_max_places", "decimal_max_digits", "decimal_whole_digits"}:
        return "数字位数过多（最多两位小数）。"
    return f"取值无效：“{error.get('input')}”。"


def _data_path(data: Any, loc: tuple[Any, ...]) -> Loc:
    """The part of a pydantic ``loc`` that exists in the data (unions add type names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        found = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        )
        if found:
            node = node[part]
        elif isinstance(node, dict) and len(path) == len(loc) - 1:
            path.append(part)  # a missing or unknown key: report at the key itself
            break
        else:
            break
        path.append(part)
    return tuple(path)


def _shape(source: Source) -> tuple[SiteConfig | None, dict[str, list[int]]]:
    """The config, and for each list the file's index of every item kept.

    With shape problems, each is reported; the list items that had them are
    left out and the rest is checked again, so that cross-file problems in
    the sound items are reported in the same run.
    """
    data = source.data
    try:
        config = SiteConfig.model_validate(data)
    except PydanticError as invalid:
        errors = invalid.errors()
    else:
        return config, {}
    bad: dict[str, set[int]] = {}
    for error in errors:
        source.problem(_data_path(data, error["loc"]), _message(error))
        loc = error["loc"]
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(data.get(str(loc[0])), list):
            bad.setdefault(str(loc[0]), set()).add(loc[1])
        else:
            bad.setdefault(str(loc[0]), set()).add(-1)
    pruned: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    # The cross-checks read page slugs from the file as written, not from ``street``.
    pruned["street"] = {"title": "（待修正）", "slug": "street"}
    for key, value in data.items():
        if -1 in bad.get(key, set()):
            continue
        if isinstance(value, list):
            positions[key] = [i for i in range(len(value)) if i not in bad.get(key, set())]
            pruned[key] = [value[i] for i in positions[key]]
        else:
            pruned[key] = value
    try:
        return SiteConfig.model_validate(pruned), positions
    except PydanticError:
        return None, {}


def _duplicates(source: Source, values: list[tuple[Loc, Any]], what: str) -> None:
    counts = Counter(value for _, value in values)
    for path, value in values:
        if counts[value] > 1:
            source.problem(path, f"{what}“{value}”重复。")


def _references(source: Source, config: SiteConfig, positions: dict[str, list[int]]) -> None:
    def indexed(section: str) -> list[tuple[int, Any]]:
        items = getattr(config, section)
        where = positions.get(section) or range(len(items))
        return list(zip(where, items, strict=True))

    problem = source.problem
    # Slugs are read from the file as written, so that one broken compound does
    # not make every role on its neighbours look like a dangling reference.
    levels: dict[str, str] = {}
    slugs: list[tuple[Loc, str]] = []
    for path, level in _written_pages(source.data):
        slug = _get(source.data, (*path, "slug"))
        if isinstance(slug, str):
            slugs.append(((*path, "slug"), slug))
            levels.setdefault(slug, level)
    firm_codes = {
        normalise(code)
        for firm in source.data.get("firms") or []
        if isinstance(firm, dict) and isinstance(code := firm.get("credit_code"), str)
    }
    for c_index, community in indexed("communities"):
        for index, compound in enumerate(community.compounds):
            at: Loc = ("communities", c_index, "compounds", index)
            if compound.property_firm and normalise(compound.property_firm) not in firm_codes:
                problem(
                    (*at, "property_firm"),
                    f"物业服务企业“{compound.property_firm}”未在 firms 中定义。",
                )
            term = compound.committee_term
            if term:
                _check_term((*at, "committee_term"), term.start, term.end, source)
    _duplicates(source, slugs, "页面 slug")

    for index, firm in indexed("firms"):
        try:
            validate_credit_code(firm.credit_code)
        except ValidationError as invalid:
            problem(("firms", index, "credit_code"), "；".join(invalid.messages))
    _duplicates(
        source,
        [(("firms", i, "credit_code"), normalise(f.credit_code)) for i, f in indexed("firms")],
        "统一社会信用代码",
    )
    _duplicates(source, [(("offices", i, "code"), o.code) for i, o in indexed("offices")], "代码")
    _duplicates(source, [(("offices", i, "name"), o.name) for i, o in indexed("offices")], "名称")

    def scope(path: Loc, slug: str, allowed: tuple[str, ...] | None = None) -> None:
        if slug not in levels:
            problem(path, f"范围“{slug}”不存在：请使用本文件中街道、社区或小区的 slug。")
        elif allowed and levels[slug] not in allowed:
            names = "或".join(ScopeLevel(level).label for level in allowed)
            problem(path, f"范围“{slug}”是{ScopeLevel(levels[slug]).label}，这里只能是{names}。")

    for index, office in indexed("coordination_offices"):
        scope(
            ("coordination_offices", index, "scope"),
            office.scope,
            (ScopeLevel.STREET, ScopeLevel.COMMUNITY),
        )
        _duplicates(
            source,
            [
                (("coordination_offices", index, "working_groups", i, "name"), group.name)
                for i, group in enumerate(office.working_groups)
            ],
            "工作小组",
        )
        _duplicates(
            source,
            [
                (
                    ("coordination_offices", index, "working_groups", i, "case_categories", j),
                    CaseCategory(code).label,
                )
                for i, group in enumerate(office.working_groups)
                for j, code in enumerate(group.case_categories)
            ],
            "事件类别",
        )
    _duplicates(
        source,
        [
            (("coordination_offices", i, "scope"), o.scope)
            for i, o in indexed("coordination_offices")
        ],
        "微治办范围",
    )

    _duplicates(
        source,
        [(("users", i, "username"), u.username) for i, u in indexed("users")],
        "用户名",
    )
    office_codes = {office.code for office in config.offices}
    for index, user in indexed("users"):
        if user.password and user.password_env:
            problem(("users", index, "password"), "password 与 password_env 只能写一个。")
        grants: list[tuple[Loc, tuple[str, str]]] = []
        for r_index, grant in enumerate(user.roles):
            path = ("users", index, "roles", r_index)
            level = ROLE_SCOPE_LEVEL[grant.role]
            scope((*path, "scope"), grant.scope)
            if grant.scope in levels and levels[grant.scope] != level:
                problem(
                    (*path, "scope"),
                    f"“{Role(grant.role).label}”只能授予在{ScopeLevel(level).label}上，"
                    f"“{grant.scope}”是{ScopeLevel(levels[grant.scope]).label}。",
                )
            grants.append((path, (grant.role, grant.scope)))
        _duplicates(source, grants, "角色授予")
        for o_index, code in enumerate(user.offices):
            if code not in office_codes:
                problem(
                    ("users", index, "offices", o_index), f"责任单位“{code}”未在 offices 中定义。"
                )
        _duplicates(
            source,
            [(("users", index, "offices", i), code) for i, code in enumerate(user.offices)],
            "责任单位",
        )

    _chains(source, indexed("chains"), levels, scope)

    for kind in ("screens", "disclosure_schedules", "report_schedules"):
        items = indexed(kind)
        _duplicates(source, [((kind, i, "code"), item.code) for i, item in items], "代码")
        for index, item in items:
            allowed = (ScopeLevel.COMMUNITY, ScopeLevel.COMPOUND) if kind == "screens" else None
            scope((kind, index, "scope"), item.scope, allowed)
    for index, schedule in indexed("disclosure_schedules"):
        for key, message in schedule_problems(schedule):
            problem(("disclosure_schedules", index, key), message)
    for index, report in indexed("report_schedules"):
        headings: list[tuple[Loc, Any]] = [
            (("report_schedules", index, "headings", i), h) for i, h in enumerate(report.headings)
        ]
        _duplicates(source, headings, "报告提纲标题")
    _duplicates(
        source,
        [(("tasks", i, "number"), f"{t.year}年第{t.number}项") for i, t in indexed("tasks")],
        "任务序号",
    )
    scored: list[tuple[Loc, str]] = [
        (("scorecards", "indicators", i, "code"), item.code)
        for i, item in enumerate(config.scorecards.indicators)
    ]
    _duplicates(source, scored, "考评指标")
    for at_code, code in scored:
        if unknown := unknown_scorecard_indicator(code):
            problem(at_code, unknown)
    channels = indexed("notification_channels")
    _duplicates(
        source, [(("notification_channels", i, "code"), c.code) for i, c in channels], "代码"
    )
    for index, channel in channels:
        scope(("notification_channels", index, "scope"), channel.scope)
        for where, message in channel_problems(channel, levels):
            problem(("notification_channels", index, *where), message)
    kinds = indexed("disclosure_kinds")
    _duplicates(source, [((SECTION, i, "code"), k.code) for i, k in kinds], "公示种类代码")
    chain_names = {chain.name for chain in config.chains}
    for index, kind in kinds:
        for where, message in kind_problems(kind, chain_names):
            problem((SECTION, index, *where), message)
    office_names_declared = {office.name for office in config.offices}
    for index, task in indexed("tasks"):
        undeclared = [n for n in office_names(task.offices) if n not in office_names_declared]
        if office_names_declared and undeclared:
            problem(
                ("tasks", index, "offices"),
                f"责任单位“{'、'.join(undeclared)}”未在 offices 中定义（按名称对应）。",
            )


def _chains(
    source: Source, chains: list[tuple[int, Any]], levels: dict[str, str], scope: Any
) -> None:
    problem = source.problem
    _duplicates(source, [(("chains", i, "name"), c.name) for i, c in chains], "流程名称")
    tasks: dict[str, tuple[Loc, tuple[Any, ...]]] = {}
    attached_pages: dict[str, str] = {}
    attached_snippets: dict[str, str] = {}
    tiers: dict[tuple[str, str, Any], str] = {}
    for index, chain in chains:
        for s_index, step in enumerate(chain.steps):
            path: Loc = ("chains", index, "steps", s_index)
            task_type = TASK_TYPES.get(step.type)
            if task_type is None:
                known = "、".join(TASK_TYPES)
                problem((*path, "type"), f"未知的审核步骤类型“{step.type}”，可用：{known}。")
                continue
            if task_type.needs_role and not step.role:
                problem((*path, "role"), f"“{task_type.label}”步骤须指定 role。")
            if not task_type.needs_role and step.role:
                problem((*path, "role"), f"“{task_type.label}”步骤不使用 role。")
            if step.key and not task_type.keyed:
                problem((*path, "key"), f"“{task_type.label}”步骤不使用 key。")
            for name, value in step.params.items():
                if name not in task_type.params:
                    problem((*path, "params", name), f"“{task_type.label}”步骤没有参数“{name}”。")
                elif name in task_type.checks and (wrong := task_type.checks[name](value)):
                    problem((*path, "params", name), wrong)
            definition = (step.type, step.role, step.key, task_type.params_of(step.params))
            earlier = tasks.setdefault(step.name, (path, definition))
            if earlier[1] != definition:
                problem(
                    (*path, "name"),
                    f"步骤“{step.name}”在别处定义不同（审核步骤按名称共用，同名须同定义）。",
                )
        for r_index, rule in enumerate(chain.rules):
            path = ("chains", index, "rules", r_index)
            _chain_rule(source, path, rule, scope)
            for label in rule.page_types:
                tier = (label.lower(), rule.subtree or "", rule.min_amount)
                other = tiers.setdefault(tier, chain.name)
                if other != chain.name:
                    problem(path, f"页面类型“{label}”在同一范围、同一金额档已由流程“{other}”审核。")
        pages = [slug for slug, level in levels.items() if level in chain.attach_to.levels]
        for p_index, slug in enumerate(chain.attach_to.pages):
            scope(("chains", index, "attach_to", "pages", p_index), slug)
        for slug in {*pages, *chain.attach_to.pages}:
            other = attached_pages.setdefault(slug, chain.name)
            if other != chain.name:
                problem(
                    ("chains", index, "attach_to"),
                    f"页面“{slug}”已挂接流程“{other}”，一个页面只能挂接一个流程。",
                )
        for s_index, label in enumerate(chain.attach_to.snippets):
            path = ("chains", index, "attach_to", "snippets", s_index)
            model = _model(label)
            if model is None or not issubclass(model, WorkflowMixin) or issubclass(model, Page):
                problem(path, f"“{label}”不是可挂接审核流程的片段类型（写作 app.model）。")
                continue
            other = attached_snippets.setdefault(model._meta.label_lower, chain.name)
            if other != chain.name:
                problem(path, f"片段类型“{label}”已挂接流程“{other}”，每种片段只能挂接一个流程。")


def _chain_rule(source: Source, path: Loc, rule: Any, scope: Any) -> None:
    for index, label in enumerate(rule.page_types):
        model = _model(label)
        if model is None or not issubclass(model, Page):
            source.problem((*path, "page_types", index), f"页面类型“{label}”不存在。")
    if rule.subtree:
        scope((*path, "subtree"), rule.subtree)


def _get(data: Any, path: Loc) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _written_pages(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """Where the street, communities and compounds are written, with their level."""
    pages: list[tuple[Loc, str]] = [(("street",), ScopeLevel.STREET)]
    communities = data.get("communities")
    for c_index, community in enumerate(communities if isinstance(communities, list) else []):
        pages.append((("communities", c_index), ScopeLevel.COMMUNITY))
        compounds = community.get("compounds") if isinstance(community, dict) else None
        for index in range(len(compounds) if isinstance(compounds, list) else 0):
            pages.append((("communities", c_index, "compounds", index), ScopeLevel.COMPOUND))
    return pages


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _check_term(path: Loc, start: datetime.date, end: datetime.date, source: Source) -> None:
    if end <= start:
        source.problem((*path, "end"), "任期结束日期必须晚于任期开始日期。")
        return
    try:
        longest = start.replace(year=start.year + MAX_TERM_YEARS)
    except ValueError:
        longest = start.replace(year=start.year + MAX_TERM_YEARS, day=28)
    if end > longest:
        source.problem((*path, "end"), f"业委会每届任期不超过{MAX_TERM_YEARS}年。")


def load_config(path: Path | str) -> SiteConfig:
    """The checked configuration in ``path``, or ``ConfigError`` listing every problem."""
    return load_config_source(path)[0]


def load_config_source(path: Path | str) -> tuple[SiteConfig, Source]:
    """``load_config``, with the source read: the files' texts and where each value was written."""
    source = read_source(path)
    config = None
    # Without the main file's own text there is nothing to check further.
    if not any(problem.path == () for problem in source.problems):
        config, positions = _shape(source)
        if config is not None:
            _references(source, config, positions)
    if source.problems:
        raise ConfigError(
            sorted(
                source.problems,
                key=lambda p: (p.where.file, p.where.line) if p.where else ("", 0),
            )
        )
    assert config is not None  # noqa: S101 (no problems means a config was built)
    return config, source
