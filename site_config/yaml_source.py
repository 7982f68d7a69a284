"""Read a configuration file, with its includes, remembering where every value was written.

PyYAML's ``compose`` keeps a mark (file, line) on every node; building the
Python values from the nodes ourselves lets each problem found later be
reported at its path *and* line, and lets a key written twice in one mapping
be refused instead of silently taking the last value, as ``safe_load`` does.
The limits (``WEIZHI_SITE_CONFIG_*``) are checked on each file's size and on the
parser's events before any node is composed, so a hostile file costs no more than
reading it once.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from yaml.constructor import ConstructorError, SafeConstructor

Loc = tuple[str | int, ...]


def format_path(path: Loc) -> str:
    """``("communities", 0, "slug")`` → ``communities[0].slug``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "（文件顶层）"


@dataclass(frozen=True)
class Where:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file} 第{self.line}行"


@dataclass(frozen=True)
class Problem:
    path: Loc
    message: str
    where: Where | None = None

    def __str__(self) -> str:
        place = f"{self.where}，" if self.where else ""
        return f"{place}{format_path(self.path)}：{self.message}"


@dataclass
class Source:
    """The merged document, where each of its paths was written, and what went wrong reading it."""

    data: dict[str, Any] = field(default_factory=dict)
    locations: dict[Loc, Where] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # Each file's text by the name problems give it (relative to the main file's folder).
    texts: dict[str, str] = field(default_factory=dict)

    def where(self, path: Loc) -> Where | None:
        """The line of ``path``, or of its nearest written ancestor."""
        path = tuple(path)
        while path:
            if path in self.locations:
                return self.locations[path]
            path = path[:-1]
        return self.locations.get(())

    def problem(self, path: Loc, message: str) -> None:
        self.problems.append(Problem(tuple(path), message, self.where(path)))


class _Builder:
    def __init__(self, source: Source, display_name: str) -> None:
        self.source = source
        self.display_name = display_name
        self.constructor = SafeConstructor()

    def where(self, node: yaml.Node) -> Where:
        return Where(self.display_name, node.start_mark.line + 1)

    def build(self, node: yaml.Node, path: Loc, locations: dict[Loc, Where]) -> Any:
        locations.setdefault(path, self.where(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node, path)
                if not isinstance(key, str | int):
                    self.source.problems.append(
                        Problem(path, "键必须是文本。", self.where(key_node))
                    )
                    continue
                child = (*path, key)
                if key in result:
                    self.source.problems.append(
                        Problem(child, "同一位置重复写了这个键。", self.where(key_node))
                    )
                    continue
                locations[child] = self.where(key_node)
                result[key] = self.build(value_node, child, locations)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, index), locations) for index, item in enumerate(node.value)
            ]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: Loc) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ConstructorError as error:
            self.source.problems.append(
                Problem(path, f"无法识别的值：{error.problem}", self.where(node))
            )
            return None
        except ValueError:
            # A date that does not exist (2023-02-30), an integer of thousands of digits.
            shown = node.value if len(node.value) <= 20 else node.value[:20] + "…"
            self.source.problems.append(Problem(path, f"无法识别的值“{shown}”。", self.where(node)))
            return None
        if isinstance(value, str) and "\x00" in value:
            # No text field of the database can hold it (PostgreSQL refuses it outright).
            self.source.problems.append(
                Problem(path, "文本不能包含空字符（\\0）。", self.where(node))
            )
        return value


# libyaml, when PyYAML was built with it, composes the same nodes with the same marks
# about ten times faster: a street of 2,000 users takes a second instead of several,
# which is most of what a no-op apply costs.
_FAST_LOADER: type | None = getattr(yaml, "CSafeLoader", None)


@dataclass
class _Budget:
    """What the rest of the files may still use: the limits hold for a file and its includes."""

    bytes: int
    nodes: int
    files: int


class _Refused(Exception):
    """A limit was passed at ``line`` of the file being read."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _too_deep() -> str:
    return f"嵌套过深，超过 {settings.WEIZHI_SITE_CONFIG_MAX_DEPTH} 层的上限。"


def _count_nodes(text: str, loader: type, nodes_left: int) -> int:
    """The nodes of ``text`` with every alias expanded, counted from the parser's events.

    The parsers keep their own stacks, but the composers (libyaml's too) and the builder
    recurse, and an alias stands for its anchor's whole subtree: so the depth, the nodes an
    alias expands to (memoised per anchor) and an alias inside its own anchor are all found
    here, in one pass, before anything is composed.
    """
    max_depth = settings.WEIZHI_SITE_CONFIG_MAX_DEPTH
    nodes = 0
    anchors: dict[str, tuple[int, int] | None] = {}  # nodes, height; None while still open
    open_: list[list[Any]] = []  # per open collection: anchor, nodes before it, tallest child
    parser = loader(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_) >= max_depth:
                    raise _Refused(line, _too_deep())
                if event.anchor is not None:
                    anchors[event.anchor] = None
                open_.append([event.anchor, nodes, 0])
                nodes += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, before, tallest = open_.pop()
                if anchor is not None:
                    anchors[anchor] = (nodes - before, tallest + 1)
                if open_:
                    open_[-1][2] = max(open_[-1][2], tallest + 1)
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 0)
                nodes += 1
            elif isinstance(event, yaml.AliasEvent) and event.anchor in anchors:
                expanded = anchors[event.anchor]
                if expanded is None:
                    raise _Refused(line, f"别名“*{event.anchor}”指向包含它自身的内容（循环引用）。")
                size, height = expanded
                if len(open_) + height > max_depth:
                    raise _Refused(
                        line, f"嵌套过深，展开别名“*{event.anchor}”后超过 {max_depth} 层的上限。"
                    )
                if open_:
                    open_[-1][2] = max(open_[-1][2], height)
                nodes += size
            elif isinstance(event, yaml.DocumentStartEvent):
                anchors.clear()
            if nodes > nodes_left:
                raise _Refused(
                    line,
                    f"展开别名后内容过多，超过 {settings.WEIZHI_SITE_CONFIG_MAX_NODES} 个节点"
                    "（键、值和列表项）的上限。",
                )
        return nodes
    finally:
        parser.dispose()


def _checked_compose(text: str, loader: type, budget: _Budget) -> yaml.Node | None:
    nodes = _count_nodes(text, loader, budget.nodes)
    node = yaml.compose(text, Loader=loader)
    budget.nodes -= nodes
    return node


def _compose_text(text: str, budget: _Budget) -> yaml.Node | None:
    """Compose with libyaml; a file it refuses is composed again in Python.

    The second pass reports the error in PyYAML's own words, so the message a user
    reads does not depend on how PyYAML was built. Not for libyaml's own nesting limit
    (1,000 levels, far above ours): its scanner reads ahead of the parser and can reach
    that limit first, and PyYAML's scanner takes seconds to read the same brackets ahead.
    """
    if _FAST_LOADER is not None:
        try:
            return _checked_compose(text, _FAST_LOADER, budget)
        except yaml.MarkedYAMLError as error:
            if error.problem == "exceeded maximum nesting depth" and error.problem_mark:
                raise _Refused(error.problem_mark.line + 1, _too_deep()) from error
        except yaml.YAMLError:
            pass
    return _checked_compose(text, yaml.SafeLoader, budget)


def _read(path: Path, display_name: str, budget: _Budget) -> str:
    """The file's text, if it is a regular file within what the budget has left.

    Its size is checked before anything is read, and no more than the limit is ever read.
    Raises ``_Refused`` or ``OSError``.
    """
    if budget.files <= 0:
        limit = settings.WEIZHI_SITE_CONFIG_MAX_FILES
        raise _Refused(1, f"包含的文件过多，连同主文件最多 {limit} 个。")
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _Refused(1, f"“{display_name}”不是普通文件，无法读取。")

    def check(size: int) -> None:
        limit = settings.WEIZHI_SITE_CONFIG_MAX_BYTES
        if size > limit:
            raise _Refused(1, f"文件“{display_name}”过大（{size} 字节），上限为 {limit} 字节。")
        if size > budget.bytes:
            raise _Refused(
                1, f"文件“{display_name}”使配置文件及其包含的文件合计超过 {limit} 字节的上限。"
            )

    check(info.st_size)
    with path.open("rb") as file:
        raw = file.read(budget.bytes + 1)
    check(len(raw))
    budget.bytes -= len(raw)
    budget.files -= 1
    return raw.decode("utf-8")


def _compose(
    path: Path,
    display_name: str,
    source: Source,
    budget: _Budget,
    include_path: Loc,
    include_where: Where | None,
) -> yaml.Node | None:
    try:
        text = _read(path, display_name, budget)
    except FileNotFoundError:
        source.problems.append(
            Problem(include_path, f"找不到文件“{display_name}”。", include_where)
        )
        return None
    except (OSError, UnicodeDecodeError) as error:
        source.problems.append(
            Problem(include_path, f"无法读取文件“{display_name}”：{error}", include_where)
        )
        return None
    except _Refused as refused:
        where = include_where or Where(display_name, refused.line)
        source.problems.append(Problem(include_path, refused.message, where))
        return None
    source.texts[display_name] = text
    try:
        return _compose_text(text, budget)
    except _Refused as refused:
        source.problems.append(Problem((), refused.message, Where(display_name, refused.line)))
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "格式错误"
        source.problems.append(
            Problem(
                (),
                f"YAML 语法错误（请检查括号、引号、冒号和缩进）：{reason}",
                Where(display_name, line),
            )
        )
        return None
    except yaml.YAMLError as error:
        source.problems.append(Problem((), f"YAML 语法错误：{error}", Where(display_name, 1)))
        return None


def _load_file(
    path: Path,
    base: Path,
    source: Source,
    budget: _Budget,
    stack: tuple[Path, ...],
    include_path: Loc = (),
    include_where: Where | None = None,
) -> tuple[dict[str, Any], dict[Loc, Where]]:
    display = _display(path, base)
    resolved = path.resolve()
    if resolved in stack:
        source.problems.append(
            Problem(include_path, f"循环包含：“{display}”已在包含链中。", include_where)
        )
        return {}, {}
    node = _compose(path, display, source, budget, include_path, include_where)
    if node is None:
        return {}, {}
    source.files.append(resolved)
    locations: dict[Loc, Where] = {}
    data = _Builder(source, display).build(node, (), locations)
    if data is None:
        return {}, locations
    if not isinstance(data, dict):
        source.problems.append(Problem((), "文件顶层必须是键值映射。", locations.get(())))
        return {}, locations

    includes = data.pop("include", None)
    if includes is None:
        return data, locations
    names = [includes] if isinstance(includes, str) else includes
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        source.problems.append(
            Problem(("include",), "include 应为文件名或文件名列表。", locations.get(("include",)))
        )
        return data, locations
    for index, name in enumerate(names):
        entry = ("include", index) if isinstance(includes, list) else ("include",)
        where = locations.get(entry) or locations.get(("include",))
        child_data, child_locations = _load_file(
            path.parent / name, base, source, budget, (*stack, resolved), entry, where
        )
        _merge(data, locations, child_data, child_locations, source)
    return data, locations


def _merge(
    data: dict[str, Any],
    locations: dict[Loc, Where],
    extra: dict[str, Any],
    extra_locations: dict[Loc, Where],
    source: Source,
) -> None:
    """Add an included file's top-level keys: lists are appended, anything else once only."""
    for key, value in extra.items():
        offset = 0
        if key in data:
            if isinstance(data[key], list) and isinstance(value, list):
                offset = len(data[key])
                data[key] = data[key] + value
            else:
                where = extra_locations.get((key,))
                source.problems.append(
                    Problem((key,), "该键在主文件和包含文件中都有定义（只有列表可以合并）。", where)
                )
                continue
        else:
            data[key] = value
        for path, where in extra_locations.items():
            if not path or path[0] != key:
                continue
            if offset and len(path) > 1 and isinstance(path[1], int):
                path = (key, path[1] + offset, *path[2:])
            locations.setdefault(path, where)


def _display(path: Path, base: Path) -> str:
    return os.path.relpath(path, base) if path.is_absolute() else str(path)


def read_source(path: Path | str) -> Source:
    """Read ``path`` and its includes; problems are collected, never raised."""
    path = Path(path).absolute()
    source = Source()
    base = path.parent
    budget = _Budget(
        settings.WEIZHI_SITE_CONFIG_MAX_BYTES,
        settings.WEIZHI_SITE_CONFIG_MAX_NODES,
        settings.WEIZHI_SITE_CONFIG_MAX_FILES,
    )
    data, locations = _load_file(path, base, source, budget, ())
    source.data = data
    source.locations.update(locations)
    return source
