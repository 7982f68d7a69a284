"""Compiled statements answer exactly as the querysets they were built from, for any values."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone
from wagtail.models import Page

from api import loaders
from api.statements import Statement, set_prefetched
from api.visibility import HIDDEN_PREFIX
from content_types.disclosures.models import (
    AssetListsPage,
    FeeCollectionPage,
    FinanceLine,
    FinanceStatementPage,
)
from tests.content_types.disclosures.factories import FinanceStatementPageFactory
from tests.content_types.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db

TITLES_STARTING = Statement(
    lambda shape, prefix: (
        Page.objects.filter(title__startswith=prefix).order_by("title").values_list("title")
    )
)


def titles_starting(prefix: str) -> list[str]:
    return [title for (title,) in TITLES_STARTING.rows(prefix=prefix)]


def test_each_run_takes_its_own_values(street_tree):
    NoticePageFactory(parent=street_tree.compound_a1, title="停水通知")
    NoticePageFactory(parent=street_tree.compound_a1, title="停电通知")
    NoticePageFactory(parent=street_tree.compound_a1, title="义诊活动")

    assert titles_starting("停") == ["停水通知", "停电通知"]
    assert titles_starting("义诊") == ["义诊活动"]
    assert titles_starting("无") == []


def test_wildcards_in_a_value_match_literally(street_tree):
    NoticePageFactory(parent=street_tree.compound_a1, title="50%_减免")
    NoticePageFactory(parent=street_tree.compound_a1, title="50元减免")

    assert titles_starting("50%_") == ["50%_减免"]
    assert titles_starting("50%") == ["50%_减免"]
    assert titles_starting("5") == ["50%_减免", "50元减免"]


def test_an_exact_match_without_case_takes_wildcards_literally_too(street_tree):
    NoticePageFactory(parent=street_tree.compound_a1, title="50%")
    NoticePageFactory(parent=street_tree.compound_a1, title="500")
    titled = Statement(
        lambda shape, title: Page.objects.filter(title__iexact=title).values_list("title")
    )

    assert titled.rows(title="50%") == [("50%",)]
    assert titled.rows(title="5__") == []


def test_datetimes_are_swapped_in_and_read_back_as_datetimes(street_tree):
    now = timezone.now()
    NoticePageFactory(
        parent=street_tree.compound_a1, title="将到期", expire_at=now + timedelta(hours=1)
    )
    since = Statement(
        lambda shape, when: Page.objects.filter(expire_at__gt=when).values_list(
            "title", "expire_at"
        )
    )

    [(title, expire_at)] = since.rows(when=now)
    assert title == "将到期"
    assert expire_at == now + timedelta(hours=1)
    assert since.rows(when=now + timedelta(hours=2)) == []


def test_a_value_that_would_change_the_sql_is_refused():
    first = Statement(lambda shape, count: Page.objects.order_by("path")[:count])

    with pytest.raises(ValueError, match="count"):
        first.objects(count=3)
    with pytest.raises(TypeError, match="shape"):
        TITLES_STARTING.rows(prefix=True)


def test_shapes_are_compiled_apart(street_tree):
    first = Statement(
        lambda shape, prefix: Page.objects.filter(path__startswith=prefix).order_by("path")[:shape]
    )
    path = street_tree.street.path

    assert len(first.objects(1, prefix=path)) == 1
    assert len(first.objects(3, prefix=path)) == 3


def test_objects_are_model_instances_with_their_related_objects_and_annotations(street_tree):
    statement = FinanceStatementPageFactory(parent=street_tree.compound_a1, title="一季度收支")
    found = Statement(
        lambda shape, pk: (
            FinanceStatementPage.objects.filter(pk=pk)
            .select_related("owner")
            .annotate(line_count=Count("lines"), parent_depth=F("depth") - 1)
        )
    )

    [page] = found.objects(pk=statement.pk)

    assert isinstance(page, FinanceStatementPage)
    assert (page.title, page.fund, page.line_count) == ("一季度收支", statement.fund, 2)
    assert page.parent_depth == street_tree.compound_a1.depth
    assert page.opening_balance == statement.opening_balance


def test_children_given_as_prefetched_are_read_without_a_query(
    street_tree, django_assert_num_queries
):
    first = FinanceStatementPageFactory(parent=street_tree.compound_a1)
    second = FinanceStatementPageFactory(parent=street_tree.compound_a2)
    pages = list(FinanceStatementPage.objects.filter(pk__in=[first.pk, second.pk]))
    lines = list(first.lines.all())

    set_prefetched(pages, "lines", lines, "page_id")

    with django_assert_num_queries(0):
        by_pk = {page.pk: list(page.lines.all()) for page in pages}
    assert by_pk == {first.pk: lines, second.pk: []}


def same_sql_as_built(statement: Statement, shape, **values) -> None:
    """A statement run with ``values`` sends exactly what the ORM builds for them."""
    built = statement.build(shape, **values).query
    sql, params = built.get_compiler(connection=connection).as_sql()
    assert statement.sql_with_params(shape, **values) == (sql, list(params))


@pytest.mark.parametrize("hidden", [[], ["000100020003"], ["00010002", "000100030001"]])
def test_the_screen_feeds_statements_send_what_the_orm_builds(street_tree, hidden):
    now = timezone.now()
    visibility = {"now": now} | {f"{HIDDEN_PREFIX}{i}": path for i, path in enumerate(hidden)}
    compound, community = street_tree.compound_b2, street_tree.community_b
    reach = {
        "scope_path": compound.path,
        "parent_path": community.path,
        "parent_child_depth": community.depth + 1,
    }

    same_sql_as_built(loaders.SCREEN_NOTICES, (20, len(hidden), True), **reach, **visibility)
    same_sql_as_built(
        loaders.SCREEN_NOTICES, (7, len(hidden), False), scope_path=compound.path, **visibility
    )
    for model, latest_by in (
        (FinanceStatementPage, "period_end"),
        (FeeCollectionPage, "period_end"),
        (AssetListsPage, "as_of"),
    ):
        same_sql_as_built(
            loaders.LATEST_DISCLOSURE,
            (model, latest_by, len(hidden)),
            scope_path=compound.path,
            **visibility,
        )
    same_sql_as_built(loaders.OPEN_PROPOSALS, len(hidden), scope_path=compound.path, **visibility)
    same_sql_as_built(
        loaders.LATEST_FINAL_RESULTS, (5, len(hidden)), scope_path=compound.path, **visibility
    )
    same_sql_as_built(loaders.CHILD_ROWS, (FinanceLine, "page_id"), parent=compound.pk)
