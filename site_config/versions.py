"""Versions of the configuration: every apply is kept with its files and plan, whoever ran it.

A version holds the texts of the main file and its includes under the names the
problems give them, so it can be planned again (a rollback is applying an earlier
version) by writing them back to a scratch folder and reading them through the one
loader, limits and all.
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .apply import apply_config, plan_config
from .models import ConfigVersion
from .validation import ConfigError, load_config_source
from .yaml_source import Problem, Source, Where

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .plan import Change, Plan

# Where in the file each kind of object is written, to point a planned change at its line.
KIND_SECTIONS: dict[str, str] = {
    "street": "street",
    "community": "communities",
    "compound": "communities",
    "collection": "communities",
    "committee": "communities",
    "firm": "firms",
    "office": "offices",
    "coordination_office": "coordination_offices",
    "user": "users",
    "role": "users",
    "task": "chains",
    "chain": "chains",
    "screen": "screens",
    "schedule": "disclosure_schedules",
    "governance_task": "tasks",
    "case_deadlines": "case_deadlines",
    "security": "security",
    "voting": "voting",
    "disclosure_kind": "disclosure_kinds",
}


@dataclass
class PlannedChange:
    change: Change
    where: Where | None


@dataclass
class PlannedVersion:
    """A plan of a set of files, or the problems that stop it."""

    plan: Plan | None
    changes: list[PlannedChange]
    problems: list[Problem]

    @property
    def can_apply(self) -> bool:
        return self.plan is not None and not self.problems and not self.plan.refused


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or "" in path.parts:
        raise ValueError(name)
    return path


class _Written:
    """A version's files written to a scratch folder, the main file deep enough that
    includes reaching up (``../../…``) stay inside it."""

    def __init__(self, files: dict[str, str], main: str) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="site-config-")
        depth = max((_safe_name(name).parts.count("..") for name in files), default=0)
        base = Path(self._folder.name).joinpath(*(["m"] * depth))
        self.main = base / _safe_name(main)
        for name, text in files.items():
            target = (base / _safe_name(name)).resolve()
            if not target.is_relative_to(Path(self._folder.name).resolve()):
                raise ValueError(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def __enter__(self) -> Path:
        return self.main

    def __exit__(self, *exc: object) -> None:
        self._folder.cleanup()


def _read(files: dict[str, str], main: str) -> tuple[Any, Source | None, list[Problem]]:
    try:
        written = _Written(files, main)
    except ValueError as bad:
        return None, None, [Problem((), f"文件名“{bad}”不可用。", Where(str(bad), 1))]
    with written as path:
        try:
            config, source = load_config_source(path)
        except ConfigError as invalid:
            return None, None, invalid.problems
    return config, source, []


def locate(change: Change, source: Source | None) -> Where | None:
    """The line that asks for ``change``: the entry of its section that names its key."""
    if source is None:
        return None
    section = KIND_SECTIONS.get(change.kind)
    if section is None or section not in source.data:
        return None
    keys = {change.key, *change.key.replace("@", ":").split(":")}
    found = _find(source.data[section], (section,), keys)
    return source.where(found or (section,))


def _find(value: Any, path: tuple[Any, ...], keys: set[str]) -> tuple[Any, ...] | None:
    if isinstance(value, dict):
        if any(isinstance(item, str | int) and str(item) in keys for item in value.values()):
            return path
        children: Iterator[tuple[Any, Any]] = iter(value.items())
    elif isinstance(value, list):
        children = iter(enumerate(value))
    else:
        return None
    for key, item in children:
        found = _find(item, (*path, key), keys)
        if found:
            return found
    return None


def plan_files(files: dict[str, str], main: str, allow_delete: bool = False) -> PlannedVersion:
    """What applying ``files`` would do, each change with the line that asks for it (a removal
    with its line in the version applied last)."""
    config, source, problems = _read(files, main)
    if config is None:
        return PlannedVersion(None, [], problems)
    try:
        plan = plan_config(config, allow_delete)
    except ConfigError as invalid:
        return PlannedVersion(None, [], invalid.problems)
    previous = ConfigVersion.objects.current()
    previous_source = _read(previous.files, previous.main)[1] if previous else None
    changes = [
        PlannedChange(
            change, locate(change, previous_source if change.action == "remove" else source)
        )
        for change in plan.changes
    ]
    return PlannedVersion(plan, changes, [])


@transaction.atomic
def apply_version(version: ConfigVersion, user: Any, allow_delete: bool = False) -> Plan:
    """Apply a version planned in the admin and mark it applied, in one transaction; raises
    ``ConfigError`` or ``RemovalRefused`` with nothing changed."""
    config, _, problems = _read(version.files, version.main)
    if config is None:
        raise ConfigError(problems)
    plan = apply_config(config, allow_delete)
    version.mark_applied(plan, user)
    return plan


def diff(older: ConfigVersion, newer: ConfigVersion) -> list[tuple[str, list[str]]]:
    """Per file, the unified difference from ``older`` to ``newer`` (files only in one side too)."""
    result = []
    for name in sorted(set(older.files) | set(newer.files)):
        before = older.files.get(name, "").splitlines()
        after = newer.files.get(name, "").splitlines()
        if before != after:
            lines = list(
                difflib.unified_diff(
                    before,
                    after,
                    f"版本 {older.pk}：{name}",
                    f"版本 {newer.pk}：{name}",
                    lineterm="",
                )
            )
            result.append((name, lines))
    return result
