"""A hostile file is refused quickly, as a listed problem at its file and line, never a traceback.

Each of these once ran for minutes, took gigabytes, hung or ended in a traceback: aliases that
expand a few hundred bytes into a billion values, an alias inside its own anchor, nesting ten
thousand levels deep, files too large, includes that loop or pull in a huge file or a pipe,
and numbers or dates no Python value can hold.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

import site_config.management.commands.apply_config  # noqa: F401 (imported before the clock runs)

from .conftest import MINIMAL

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LAST = MINIMAL.count("\n")  # the hostile part starts on the line after MINIMAL

LAUGHS = 'lol1: &lol1 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"lol{n}: &lol{n} [{','.join([f'*lol{n - 1}'] * 10)}]\n" for n in range(2, 10)
)


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes written in no time: a hole, not data."""
    path.write_text(MINIMAL, encoding="utf-8")
    os.truncate(path, size)
    return path


def billion_laughs(write: Callable[..., Path]) -> tuple[Path, str]:
    return write(LAUGHS), (
        f"site.yaml 第6行，（文件顶层）：展开别名后内容过多，"
        f"超过 {settings.WEIZHI_SITE_CONFIG_MAX_NODES} 个节点（键、值和列表项）的上限。"
    )


def self_referencing_alias(write: Callable[..., Path]) -> tuple[Path, str]:
    street = "street: {title: 百官街道, slug: baiguan}"
    looped = "street: &s {title: 百官街道, slug: baiguan, region: *s}"
    return write(MINIMAL.replace(street, looped)), (
        "site.yaml 第1行，（文件顶层）：别名“*s”指向包含它自身的内容（循环引用）。"
    )


def self_referencing_list(write: Callable[..., Path]) -> tuple[Path, str]:
    return write(MINIMAL + "loop: &l [1, [2, *l]]\n"), (
        f"site.yaml 第{LAST + 1}行，（文件顶层）：别名“*l”指向包含它自身的内容（循环引用）。"
    )


def too_deep(write: Callable[..., Path], text: str, line: int) -> tuple[Path, str]:
    return write(MINIMAL + text), (
        f"site.yaml 第{line}行，（文件顶层）：嵌套过深，"
        f"超过 {settings.WEIZHI_SITE_CONFIG_MAX_DEPTH} 层的上限。"
    )


def deep_flow_lists(write: Callable[..., Path]) -> tuple[Path, str]:
    return too_deep(write, "deep: " + "[" * 10_000 + "]" * 10_000 + "\n", LAST + 1)


def deep_flow_mappings(write: Callable[..., Path]) -> tuple[Path, str]:
    return too_deep(write, "deep: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", LAST + 1)


def deep_block_lists(write: Callable[..., Path]) -> tuple[Path, str]:
    return too_deep(write, "deep:\n  " + "- " * 10_000 + "x\n", LAST + 2)


def deep_block_mappings(write: Callable[..., Path]) -> tuple[Path, str]:
    # Each level indents one more space: 1,500 levels fit well under the size limit.
    levels = "".join(" " * n + "a:\n" for n in range(1, 1_500))
    return too_deep(write, "deep:\n" + levels, LAST + 1 + settings.WEIZHI_SITE_CONFIG_MAX_DEPTH)


def deep_through_aliases(write: Callable[..., Path]) -> tuple[Path, str]:
    # Shallow as written; each alias puts the previous anchor one level deeper.
    chain = "a0: &a0 [x]\n" + "".join(f"a{n}: &a{n} [*a{n - 1}]\n" for n in range(1, 100))
    limit = settings.WEIZHI_SITE_CONFIG_MAX_DEPTH
    return write(chain), (
        f"site.yaml 第{limit}行，（文件顶层）：嵌套过深，"
        f"展开别名“*a{limit - 2}”后超过 {limit} 层的上限。"
    )


def oversized(write: Callable[..., Path]) -> tuple[Path, str]:
    limit = settings.WEIZHI_SITE_CONFIG_MAX_BYTES
    return sparse(write(""), limit + 1), (
        f"site.yaml 第1行，（文件顶层）：文件“site.yaml”过大（{limit + 1} 字节），"
        f"上限为 {limit} 字节。"
    )


def include_of_a_huge_file(write: Callable[..., Path]) -> tuple[Path, str]:
    limit = settings.WEIZHI_SITE_CONFIG_MAX_BYTES
    sparse(write("", "firms.yaml"), 10 * limit)
    return write("include: [firms.yaml]\n" + MINIMAL), (
        f"site.yaml 第1行，include[0]：文件“firms.yaml”过大（{10 * limit} 字节），"
        f"上限为 {limit} 字节。"
    )


def includes_too_large_together(write: Callable[..., Path]) -> tuple[Path, str]:
    limit = settings.WEIZHI_SITE_CONFIG_MAX_BYTES
    write("# " + "x" * (limit // 3) + "\nfirms: []\n", "firms.yaml")
    return write("include: [firms.yaml, firms.yaml, firms.yaml]\n" + MINIMAL), (
        f"site.yaml 第1行，include[2]：文件“firms.yaml”使配置文件及其包含的文件"
        f"合计超过 {limit} 字节的上限。"
    )


def include_of_a_pipe(write: Callable[..., Path]) -> tuple[Path, str]:
    main = write("include: [pipe.yaml]\n" + MINIMAL)
    os.mkfifo(main.with_name("pipe.yaml"))  # read, it would wait for a writer forever
    return main, "site.yaml 第1行，include[0]：“pipe.yaml”不是普通文件，无法读取。"


def circular_include(write: Callable[..., Path]) -> tuple[Path, str]:
    write("include: [firms.yaml]\nfirms: []\n", "more.yaml")
    write("include: [more.yaml]\nfirms: []\n", "firms.yaml")
    return write("include: [firms.yaml]\n" + MINIMAL), (
        "more.yaml 第1行，include[0]：循环包含：“firms.yaml”已在包含链中。"
    )


def include_chain_too_long(write: Callable[..., Path]) -> tuple[Path, str]:
    limit = settings.WEIZHI_SITE_CONFIG_MAX_FILES
    for n in range(100):
        write(f"include: part{n + 1}.yaml\nfirms: []\n", f"part{n}.yaml")
    return write("include: part0.yaml\n" + MINIMAL), (
        f"part{limit - 2}.yaml 第1行，include：包含的文件过多，连同主文件最多 {limit} 个。"
    )


def huge_integer(write: Callable[..., Path]) -> tuple[Path, str]:
    return write(MINIMAL.replace("households: 612", "households: " + "9" * 5_000)), (
        "site.yaml 第6行，communities[0].compounds[0].households：无法识别的值“9999999999"
    )


def impossible_date(write: Callable[..., Path]) -> tuple[Path, str]:
    term = "households: 612, committee_term: {start: 2023-02-30, end: 2028-04-30}"
    return write(MINIMAL.replace("households: 612", term)), (
        "site.yaml 第6行，communities[0].compounds[0].committee_term.start："
        "无法识别的值“2023-02-30”。"
    )


HOSTILE = [
    billion_laughs,
    self_referencing_alias,
    self_referencing_list,
    deep_flow_lists,
    deep_flow_mappings,
    deep_block_lists,
    deep_block_mappings,
    deep_through_aliases,
    oversized,
    include_of_a_huge_file,
    includes_too_large_together,
    include_of_a_pipe,
    circular_include,
    include_chain_too_long,
    huge_integer,
    impossible_date,
]


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "apply"])
@pytest.mark.parametrize("hostile", HOSTILE, ids=[case.__name__ for case in HOSTILE])
def test_a_hostile_file_is_refused_at_its_line_in_under_a_second(
    empty_site, write_config, hostile, dry_run
) -> None:
    path, expected = hostile(write_config)
    pages = Page.objects.count()

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, pytest.raises(CommandError) as refused:
        call_command("apply_config", str(path), *(["--dry-run"] if dry_run else []))
    seconds = time.perf_counter() - started

    report = str(refused.value)
    assert report.startswith("配置文件有"), report
    assert f"\n  - {expected}" in report, report
    assert seconds < 1.0, seconds
    sql = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert Page.objects.count() == pages
    assert not get_user_model().objects.exists()


def test_nesting_a_million_deep_does_not_bring_the_command_down(tmp_path) -> None:
    """The parser and composer run in C: the process itself must survive, not only Python."""
    path = tmp_path / "site.yaml"
    path.write_text("[" * 1_000_000 + "]" * 1_000_000, encoding="utf-8")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}

    finished = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "apply_config", "--dry-run", str(path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode == 1, finished.stderr
    assert "site.yaml 第1行，（文件顶层）：嵌套过深" in finished.stderr
    assert "Traceback" not in finished.stderr
