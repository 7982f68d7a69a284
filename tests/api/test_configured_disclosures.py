"""Disclosures of the kinds the configuration file declares, through ``configuredDisclosures``:
the kind's columns and typed cells, published pages only, a fixed number of queries, and a
schema that stays the same whatever kinds are declared."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from itertools import count

import pytest
import wagtail_factories
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
)

from api import memo
from api.content_version import content_version
from api.persisted_queries import get_persisted_query
from api.schema import build_schema
from content_types.configured_disclosures.models import ConfiguredKind
from content_types.notices.images import SCREEN_RENDITION, prepare_image_renditions
from graphql import print_schema
from tests.content_types.configured_disclosures.factories import (
    ConfiguredDisclosurePageFactory,
    ConfiguredKindFactory,
)

from .factories import post_graphql
from .test_notice_images import picture
from .test_query_counts import asked_just_now
from .test_screen_feed_access import feed, registered

pytestmark = pytest.mark.django_db
SLUGS = count()

FIRE_HEADER = [
    {"code": "inspected_on", "label": "检查日期", "type": "date", "required": True},
    {"code": "points_total", "label": "检查点位合计", "type": "integer", "required": True},
    {"code": "cost", "label": "检查费用", "type": "money"},
]
FIRE_COLUMNS = [
    {"code": "place", "label": "部位", "type": "text", "required": True},
    {"code": "item", "label": "设施", "type": "choice", "options": ["灭火器", "消火栓"]},
    {"code": "points", "label": "检查点位", "type": "integer", "required": True},
    {"code": "passed", "label": "合格点位", "type": "integer", "required": True},
    {"code": "photo", "label": "现场照片", "type": "image"},
    {"code": "record", "label": "检查记录", "type": "document"},
]
FIRE_LABELS = ["部位", "设施", "检查点位", "合格点位", "现场照片", "检查记录"]
FIRE_COMPUTED = {
    "code": "pass_rate",
    "label": "合格率",
    "numerator": "passed",
    "denominator": "points",
}

# Every field, cells typed by all their types: a list asked for with a variable page size counts
# as the largest page in the query cost, so the size is written into the query.
QUERY = """
query ($kind: String!, $compound: String, $community: String, $after: String) {
  configuredDisclosures(
    kind: $kind, compound: $compound, community: $community, first: FIRST, after: $after
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    items {
      id title asOf notes publishedAt
      kind {
        code name
        header { code label type typeLabel options required }
        columns { code label type typeLabel options required }
        computed { code label numerator denominator }
      }
      header { code label type text value integer decimal date }
      rows {
        cells {
          code type text value integer decimal date
          document { title url }
          image { url alt width }
        }
      }
    }
  }
}
"""


def fire_kind(code: str = "fire-safety", **overrides) -> ConfiguredKind:
    return ConfiguredKindFactory(
        code=code,
        name="消防设施检查公示",
        header=FIRE_HEADER,
        columns=FIRE_COLUMNS,
        rules=[{"type": "total", "column": "points", "header": "points_total"}],
        computed=FIRE_COMPUTED,
        **overrides,
    )


def fire_page(compound, kind, *, rows: int = 2, photo=None, record=None, **fields):
    """A page of ``kind`` with ``rows`` rows of 20 points each, as an editor types them."""
    table = [
        {
            "place": f"{n}幢",
            "item": "灭火器",
            "points": "20",
            "passed": str(20 - n),
            "photo": photo.pk if photo else "",
            "record": record.pk if record else "",
        }
        for n in range(1, rows + 1)
    ]
    header = {"inspected_on": "2026-11-30", "points_total": str(20 * rows), "cost": "1200.5"}
    return ConfiguredDisclosurePageFactory(
        parent=compound,
        kind=kind,
        slug=f"fire-{next(SLUGS)}",
        title=fields.pop("title", "2026年11月消防设施检查公示"),
        header=header,
        rows=table,
        **fields,
    )


def listed(client, kind: str = "fire-safety", first: int = 5, **variables) -> dict:
    response = post_graphql(client, QUERY.replace("FIRST", str(first)), kind=kind, **variables)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["configuredDisclosures"]


def titles(client, kind: str = "fire-safety", compound: str = "jinxiu") -> list[str]:
    return [item["title"] for item in listed(client, kind, compound=compound)["items"]]


TITLES = """
query ($kind: String!, $compound: String, $community: String, $first: Int, $after: String) {
  configuredDisclosures(
    kind: $kind, compound: $compound, community: $community, first: $first, after: $after
  ) { items { title } }
}
"""


def refused(client, kind: str = "fire-safety", **variables) -> str:
    response = post_graphql(client, TITLES, kind=kind, **variables)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    return body["errors"][0]["message"]


# --------------------------------------------------------------------------- what is shown


def test_a_page_comes_with_its_kind_and_its_cells_typed_by_their_columns(street_tree, client):
    kind = fire_kind()
    photo = picture("灭火器照片", width=64, height=48)
    photo.description = "1幢灭火器"
    photo.save()
    record = wagtail_factories.DocumentFactory(title="11月检查记录")
    fire_page(street_tree.compound_a1, kind, photo=photo, record=record, notes="2幢整改中")

    [item] = listed(client, compound="jinxiu")["items"]

    assert item["kind"]["code"] == "fire-safety"
    assert item["kind"]["name"] == "消防设施检查公示"
    assert [column["label"] for column in item["kind"]["columns"]] == FIRE_LABELS
    assert item["kind"]["columns"][1] == {
        "code": "item",
        "label": "设施",
        "type": "CHOICE",
        "typeLabel": "选项",
        "options": ["灭火器", "消火栓"],
        "required": False,
    }
    assert item["kind"]["computed"] == FIRE_COMPUTED
    assert (item["asOf"], item["notes"]) == ("2026-12-01", "2幢整改中")
    assert item["header"] == [
        {
            "code": "inspected_on",
            "label": "检查日期",
            "type": "DATE",
            "text": "2026年11月30日",
            "value": "2026-11-30",
            "integer": None,
            "decimal": None,
            "date": "2026-11-30",
        },
        {
            "code": "points_total",
            "label": "检查点位合计",
            "type": "INTEGER",
            "text": "40",
            "value": "40",
            "integer": 40,
            "decimal": None,
            "date": None,
        },
        {
            "code": "cost",
            "label": "检查费用",
            "type": "MONEY",
            "text": "1,200.50",
            "value": "1200.50",
            "integer": None,
            "decimal": "1200.50",
            "date": None,
        },
    ]
    first = {cell["code"]: cell for cell in item["rows"][0]["cells"]}
    assert list(first) == ["place", "item", "points", "passed", "photo", "record", "pass_rate"]
    assert (first["place"]["text"], first["item"]["text"]) == ("1幢", "灭火器")
    assert (first["passed"]["integer"], first["passed"]["text"]) == (19, "19")
    assert first["record"]["document"] == {"title": "11月检查记录", "url": record.url}
    assert first["record"]["text"] == "11月检查记录"
    assert first["photo"]["image"]["alt"] == "1幢灭火器"
    assert first["photo"]["image"]["width"] == 64
    assert f".{SCREEN_RENDITION}." in first["photo"]["image"]["url"]
    assert first["pass_rate"] == {
        "code": "pass_rate",
        "type": "PERCENT",
        "text": "95.00%",
        "value": "95.00",
        "integer": None,
        "decimal": "95.00",
        "date": None,
        "document": None,
        "image": None,
    }


def test_empty_cells_and_files_the_public_may_not_see_are_blank(street_tree, client):
    kind = fire_kind()
    private = Collection.get_first_root_node().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    record = wagtail_factories.DocumentFactory(title="内部记录", collection=private)
    fire_page(street_tree.compound_a1, kind, rows=1, record=record)

    [item] = listed(client, compound="jinxiu")["items"]

    cells = {cell["code"]: cell for cell in item["rows"][0]["cells"]}
    assert cells["record"]["document"] is None
    assert cells["record"]["text"] == ""
    assert (cells["photo"]["image"], cells["photo"]["text"]) == (None, "")
    assert "内部记录" not in str(item)


def test_a_community_reads_its_compounds_pages_newest_first_a_page_at_a_time(street_tree, client):
    kind = fire_kind()
    now = timezone.now()
    for n, compound in enumerate(
        (street_tree.compound_a1, street_tree.compound_a2, street_tree.compound_a1)
    ):
        fire_page(compound, kind, title=f"第{n}期", first_published_at=now - timedelta(days=10 - n))
    fire_page(street_tree.compound_b1, kind, title="龙山公寓的")

    first = listed(client, community="fengming", first=2)
    rest = listed(client, community="fengming", first=2, after=first["pageInfo"]["endCursor"])

    assert [item["title"] for item in first["items"]] == ["第2期", "第1期"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert [item["title"] for item in rest["items"]] == ["第0期"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert [item["title"] for item in listed(client)["items"]] == [
        "龙山公寓的",
        "第2期",
        "第1期",
        "第0期",
    ]


def test_other_kinds_pages_are_not_listed(street_tree, client):
    fire_page(street_tree.compound_a1, fire_kind(), title="消防")
    ConfiguredDisclosurePageFactory(parent=street_tree.compound_a1, title="电梯")

    assert titles(client) == ["消防"]


# --------------------------------------------------------------------------- bad requests


def test_an_unknown_or_inactive_kind_is_refused_in_chinese(street_tree, client):
    fire_page(street_tree.compound_a1, fire_kind(active=False))

    assert "未找到已启用的公示种类：“fire-safety”" in refused(client, compound="jinxiu")
    assert "未找到已启用的公示种类：“lifts”" in refused(client, kind="lifts", compound="jinxiu")
    assert "未找到已启用的公示种类" in refused(client, kind="x" * 5000)


def test_bad_scopes_and_page_sizes_are_refused_as_for_every_list(street_tree, client):
    fire_kind()

    assert refused(client, compound="nowhere") == "未找到已公开的小区：nowhere。"
    assert refused(client, community="nowhere") == "未找到已公开的社区：nowhere。"
    assert "请只指定 compound 或 community" in refused(
        client, compound="jinxiu", community="fengming"
    )
    assert "每次最多返回" in refused(client, compound="jinxiu", first=10_000)
    assert "翻页游标 after 无效" in refused(client, compound="jinxiu", after="bm9wZQ==")


# --------------------------------------------------------------------------- published only


def test_drafts_unpublished_and_expired_pages_are_not_shown(street_tree, client):
    kind = fire_kind()
    fire_page(street_tree.compound_a1, kind, title="已发布")
    fire_page(street_tree.compound_a1, kind, title="草稿", live=False)
    fire_page(street_tree.compound_a1, kind, title="已撤下").unpublish()
    fire_page(
        street_tree.compound_a1,
        kind,
        title="已到期",
        expire_at=timezone.now() - timedelta(minutes=1),
    )

    assert titles(client) == ["已发布"]


def test_a_page_in_review_shows_its_live_version_only(
    street_tree, client, review_chain, django_user_model
):
    editor = django_user_model.objects.create_user("property", password="x")
    page = fire_page(street_tree.compound_a1, fire_kind(), title="11月检查")
    page.title = "11月检查（更正）"
    page.rows = [{**row, "place": "更正后的部位"} for row in page.rows]
    page.save_revision(user=editor)
    review_chain.start(page, editor)

    [item] = listed(client, compound="jinxiu")["items"]

    assert item["title"] == "11月检查"
    assert [row["cells"][0]["text"] for row in item["rows"]] == ["1幢", "2幢"]


def test_restricted_pages_and_pages_under_a_restricted_compound_are_hidden(street_tree, client):
    kind = fire_kind()
    fire_page(street_tree.compound_a1, kind, title="公开")
    restricted = fire_page(street_tree.compound_a1, kind, title="仅限登录")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    fire_page(street_tree.compound_a2, kind, title="阳光水岸")
    PageViewRestriction.objects.create(
        page=street_tree.compound_a2,
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )

    assert [item["title"] for item in listed(client, community="fengming")["items"]] == ["公开"]
    assert refused(client, compound="yangguang") == "未找到已公开的小区：yangguang。"


def test_a_kind_switched_off_takes_its_pages_off(street_tree, client):
    kind = fire_kind()
    fire_page(street_tree.compound_a1, kind, title="11月检查")
    assert titles(client) == ["11月检查"]

    kind.active = False
    kind.save()

    assert "未找到已启用的公示种类" in refused(client, compound="jinxiu")


# --------------------------------------------------------------------------- constant cost

# The kind, the compound and its ancestors, the hidden subtrees, the pages, their count, the
# documents, the restricted collections, the images and their renditions.
LIST_QUERIES = 10


def test_one_page_or_five_with_rows_and_files_cost_the_same_queries(
    street_tree, client, django_assert_num_queries
):
    kind = fire_kind()
    photos = [picture(f"照片{n}", width=32, height=18) for n in range(5)]
    records = [wagtail_factories.DocumentFactory(title=f"记录{n}") for n in range(5)]
    fire_page(street_tree.compound_a1, kind, rows=1, photo=photos[0], record=records[0])
    prepare_image_renditions(photo.pk for photo in photos)  # as publishing does
    listed(client, compound="jinxiu")  # warm the content type cache

    with django_assert_num_queries(LIST_QUERIES):
        one = listed(client, compound="jinxiu")

    for n in range(1, 5):
        fire_page(street_tree.compound_a1, kind, rows=8, photo=photos[n], record=records[n])
    with django_assert_num_queries(LIST_QUERIES):
        five = listed(client, compound="jinxiu")

    assert len(one["items"]) == 1
    assert [len(item["rows"]) for item in five["items"]] == [8, 8, 8, 8, 1]
    shown = {
        cell["document"]["title"]
        for item in five["items"]
        for row in item["rows"]
        for cell in row["cells"]
        if cell["document"]
    }
    assert shown == {f"记录{n}" for n in range(5)}


def test_publishing_a_page_makes_the_renditions_of_its_pictures(
    street_tree, django_capture_on_commit_callbacks
):
    photo = picture("现场照片", width=2000, height=3000)
    page = fire_page(street_tree.compound_a1, fire_kind(), rows=1, photo=photo, live=False)
    assert not photo.renditions.exists()

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    rendition = photo.renditions.get(filter_spec=SCREEN_RENDITION)
    assert (rendition.width, rendition.height) == (720, 1080)


# --------------------------------------------------------------------------- the contract


def test_the_printed_schema_is_the_same_with_no_kinds_and_with_two(street_tree, tmp_path):
    def printed() -> tuple[str, str]:
        out = tmp_path / "schema.graphql"
        call_command("graphql_schema", out=str(out), stdout=StringIO())
        return print_schema(build_schema().graphql_schema), out.read_text()

    assert not ConfiguredKind.objects.exists()
    without = printed()

    fire_kind()
    ConfiguredKindFactory(code="elevator-maintenance")
    fire_page(street_tree.compound_a1, ConfiguredKind.objects.get(code="fire-safety"))

    assert printed() == without
    assert "configuredDisclosures(" in without[0]
    assert "fire" not in without[0] and "elevator" not in without[0]


# --------------------------------------------------------------------------- content version


def test_the_version_follows_publishing_and_the_kinds_switches_and_columns(street_tree):
    a1 = street_tree.compound_a1
    kind = fire_kind()
    empty = content_version(a1)

    page = fire_page(a1, kind, live=False)
    assert content_version(a1) == empty  # a draft shows nothing
    page.save_revision().publish()
    published = content_version(a1)
    assert published != empty

    kind.columns = [{**FIRE_COLUMNS[0], "label": "检查部位"}, *FIRE_COLUMNS[1:]]
    kind.save()
    relabelled = content_version(a1)
    assert relabelled != published

    kind.active = False
    kind.save()
    assert content_version(a1) != relabelled

    kind.active = True
    kind.save()
    assert content_version(a1) == relabelled
    page.refresh_from_db()
    page.unpublish()
    assert content_version(a1) not in {relabelled, published}


# --------------------------------------------------------------------------- the compound screen


@pytest.fixture
def long_memos(settings):
    # Without CACHE_URL the cache is per process and keeps values as long as the memo does.
    settings.WEIZHI_API_MEMO_SECONDS = 60


def tables(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["data"]["screenFeed"]["configuredTables"]


def test_the_compound_screen_shows_the_latest_page_of_each_active_kind_as_a_table(
    street_tree, client
):
    a1 = street_tree.compound_a1
    fire = fire_kind(sort_order=1)
    lifts = ConfiguredKindFactory(code="elevator-maintenance", sort_order=0)
    old = ConfiguredKindFactory(code="retired", name="已停用的公示", active=False)
    fire_page(a1, fire, title="10月检查", as_of=date(2026, 10, 31))
    fire_page(a1, fire, title="11月检查", as_of=date(2026, 11, 30))
    fire_page(a1, fire, title="12月检查（草稿）", as_of=date(2026, 12, 31), live=False)
    fire_page(street_tree.compound_a2, fire, title="阳光水岸12月检查", as_of=date(2026, 12, 31))
    ConfiguredDisclosurePageFactory(parent=a1, kind=lifts, title="四季度电梯维保")
    ConfiguredDisclosurePageFactory(parent=a1, kind=old, title="停用种类的公示")

    shown = tables(feed(client, registered(a1)))

    assert [(table["kindName"], table["title"]) for table in shown] == [
        ("电梯维保公示", "四季度电梯维保"),
        ("消防设施检查公示", "11月检查"),
    ]
    fire_table = shown[1]
    assert fire_table["kindCode"] == "fire-safety"
    assert fire_table["columns"] == [*FIRE_LABELS, "合格率"]
    assert fire_table["rows"] == [
        ["1幢", "灭火器", "20", "19", "", "", "95.00%"],
        ["2幢", "灭火器", "20", "18", "", "", "90.00%"],
    ]
    assert fire_table["header"] == [
        "检查日期：2026年11月30日",
        "检查点位合计：40",
        "检查费用：1,200.50",
    ]


def test_the_screen_follows_a_publish_and_a_kind_switched_off_at_once(
    street_tree, client, long_memos
):
    a1 = street_tree.compound_a1
    kind = fire_kind()
    token = registered(a1)
    first = feed(client, token)
    assert tables(first) == []

    page = fire_page(a1, kind, title="11月检查", live=False)
    page.save_revision().publish()
    memo.forget_all()  # the screen asks again after its poll interval
    published = feed(client, token, etag=first["ETag"])
    assert [table["title"] for table in tables(published)] == ["11月检查"]

    kind.active = False
    kind.save()
    memo.forget_all()
    switched_off = feed(client, token, etag=published["ETag"])
    assert tables(switched_off) == []


# The persisted screen feed, rendered, with a table of each kind: the token and its last-seen
# mark, the scope, the hidden subtrees, each panel's query, the latest page of every kind (one),
# the documents and restricted collections and the images with their renditions the tables
# name, and the content version; the same whatever the number of kinds, rows and files.
FEED_WITH_TABLES_QUERIES = 19


def test_the_screen_feed_costs_the_same_queries_for_one_table_or_several_with_files(
    street_tree, public_site, client, django_assert_num_queries, settings
):
    settings.WEIZHI_API_MEMO_SECONDS = 60
    a1 = street_tree.compound_a1
    token = registered(a1)
    fire = fire_kind()
    photos = [picture(f"照片{n}", width=32, height=18) for n in range(3)]
    records = [wagtail_factories.DocumentFactory(title=f"记录{n}") for n in range(3)]
    prepare_image_renditions(photo.pk for photo in photos)  # as publishing does
    fire_page(a1, fire, rows=1, photo=photos[0], record=records[0])
    screen_feed = get_persisted_query("screenFeed").text  # posted: rendered, not kept
    post_graphql(client, screen_feed, token=token, compound="jinxiu")  # warm the type cache

    memo.forget_all()
    asked_just_now()
    with django_assert_num_queries(FEED_WITH_TABLES_QUERIES):
        one = tables(post_graphql(client, screen_feed, token=token, compound="jinxiu"))

    for n in (1, 2):
        kind = fire_kind(code=f"fire-{n}", sort_order=n)
        fire_page(a1, kind, rows=12, photo=photos[n], record=records[n])
    memo.forget_all()
    asked_just_now()
    with django_assert_num_queries(FEED_WITH_TABLES_QUERIES):
        several = tables(post_graphql(client, screen_feed, token=token, compound="jinxiu"))

    assert len(one) == 1
    assert [len(table["rows"]) for table in several] == [1, 12, 12]
    assert [table["rows"][0][5] for table in several] == [
        "记录0",
        "记录1",
        "记录2",
    ]
