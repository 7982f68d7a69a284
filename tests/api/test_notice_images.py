"""Pictures in notice bodies: a screen-sized rendition each, public collections only, in bulk."""

from pathlib import Path

import factory
import pytest
import wagtail_factories
from django.conf import settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from content_types.notices.images import SCREEN_RENDITION, image_blocks, prepare_renditions
from content_types.notices.models import NoticePage
from tests.content_types.notices.factories import NoticePageFactory

from .factories import post_graphql

pytestmark = pytest.mark.django_db

IMAGES = """
{ notices(compound: "jinxiu", first: 50) {
    items { title images { url width height alt caption } }
} }
"""


def picture(title: str = "停水范围图", width: int = 100, height: int = 100, **kwargs):
    return wagtail_factories.ImageFactory(
        title=title, file=factory.django.ImageField(width=width, height=height), **kwargs
    )


def chosen(image, alt_text: str | None = None, decorative: bool = False):
    """The image as an ``ImageBlock`` value: a fresh instance carrying the block's alt text."""
    value = get_image_model().objects.get(pk=image.pk)
    value.contextual_alt_text = alt_text
    value.decorative = decorative
    return value


def image_block(image, caption: str = "", **alt):
    return ("image", {"image": chosen(image, **alt), "caption": caption})


def notices(client) -> list[dict]:
    response = post_graphql(client, IMAGES)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]["notices"]["items"]


def media_file(url: str) -> Path:
    assert url.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def private_collection(name: str = "内部资料") -> Collection:
    collection = Collection.get_first_root_node().add_child(name=name)
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_a_picture_comes_as_a_screen_sized_rendition_with_alt_text_and_caption(street_tree, client):
    large = picture("小区平面图", width=3000, height=1000)
    small = picture("宣传画", width=400, height=300)
    NoticePageFactory(
        parent=street_tree.compound_a1,
        title="停车位调整",
        body=[
            ("paragraph", "<p>见下图。</p>"),
            image_block(large, caption="新增车位位置", alt_text="小区平面图，标出新增车位"),
            image_block(small, decorative=True),
        ],
    )

    [notice] = notices(client)

    first, second = notice["images"]
    assert (first["width"], first["height"]) == (1920, 640)  # fits 1920×1080, not cropped
    assert first["alt"] == "小区平面图，标出新增车位" and first["caption"] == "新增车位位置"
    assert SCREEN_RENDITION in first["url"]
    with PILImage.open(media_file(first["url"])) as served:
        assert served.size == (1920, 640)
    # A smaller picture is not enlarged; a decorative one has no alt text.
    assert (second["width"], second["height"]) == (400, 300)
    assert second["alt"] == "" and second["caption"] == ""
    assert media_file(second["url"]).is_file()


def test_a_picture_without_alt_text_falls_back_to_the_image_title(street_tree, client):
    image = picture("二次供水设施")
    NoticePageFactory(parent=street_tree.compound_a1, body=[image_block(image)])

    [notice] = notices(client)

    assert notice["images"][0]["alt"] == "二次供水设施"


def test_a_picture_in_a_restricted_collection_is_left_out(street_tree, client):
    private = private_collection()
    nested = private.add_child(name="业委会内部")
    public = picture("公开照片")
    hidden = picture("业主名册照片", collection=private)
    hidden_deeper = picture("会议现场", collection=nested)
    NoticePageFactory(
        parent=street_tree.compound_a1,
        body=[
            ("paragraph", "<p>现场照片。</p>"),
            image_block(hidden),
            image_block(public, alt_text="公开照片"),
            image_block(hidden_deeper),
        ],
    )

    [notice] = notices(client)

    assert [image["alt"] for image in notice["images"]] == ["公开照片"]


def test_a_picture_whose_file_is_gone_is_left_out_without_an_error(street_tree, client):
    kept = picture("保留")
    lost = picture("丢失")
    lost.file.storage.delete(lost.file.name)
    NoticePageFactory(
        parent=street_tree.compound_a1,
        body=[image_block(lost, alt_text="丢失"), image_block(kept, alt_text="保留")],
    )

    [notice] = notices(client)

    assert [image["alt"] for image in notice["images"]] == ["保留"]


def test_pictures_of_a_whole_list_cost_a_fixed_number_of_queries(
    street_tree, client, django_assert_num_queries
):
    private = private_collection()

    def notice(n: int) -> None:
        NoticePageFactory(
            parent=street_tree.compound_a1,
            title=f"图片通知{n}",
            body=[
                ("paragraph", "<p>见图。</p>"),
                image_block(picture(f"照片{n}"), alt_text=f"照片{n}"),
                image_block(picture(f"内部{n}", collection=private)),
            ],
        )

    notice(0)
    notices(client)  # the renditions a publication would have made
    # hidden subtrees, scope x2, notices, collection restrictions, images, renditions
    with django_assert_num_queries(7):
        [item] = notices(client)
    assert [image["alt"] for image in item["images"]] == ["照片0"]

    for n in range(1, 8):
        notice(n)
    prepare_renditions(each.body.raw_data for each in NoticePage.objects.all())
    with django_assert_num_queries(7):
        items = notices(client)
    assert sorted(item["images"][0]["alt"] for item in items) == [f"照片{n}" for n in range(8)]
    assert all(len(item["images"]) == 1 for item in items)


def test_publishing_a_notice_makes_its_renditions(street_tree, django_capture_on_commit_callbacks):
    image = picture("活动海报", width=2000, height=3000)
    notice = NoticePageFactory(
        parent=street_tree.compound_a1, live=False, body=[image_block(image, alt_text="海报")]
    )
    assert not image.renditions.exists()

    with django_capture_on_commit_callbacks(execute=True):
        notice.save_revision().publish()

    rendition = image.renditions.get(filter_spec=SCREEN_RENDITION)
    assert (rendition.width, rendition.height) == (720, 1080)


def test_image_blocks_read_both_stored_shapes_and_skip_empty_ones():
    raw = [
        {"type": "paragraph", "value": "<p>文字</p>"},
        {
            "type": "image",
            "value": {
                "image": {"image": 7, "alt_text": "平面图", "decorative": False},
                "caption": "说明",
            },
        },
        {"type": "image", "value": {"image": 8, "caption": ""}},  # an ImageChooserBlock's id
        {"type": "image", "value": {"image": None, "caption": "未选图片"}},
        {"type": "image", "value": {"image": {"image": None, "alt_text": ""}, "caption": ""}},
        {"type": "attachment", "value": {"document": 3, "title": ""}},
    ]

    found = image_blocks(raw)

    assert [(block.image_id, block.alt_text, block.caption) for block in found] == [
        (7, "平面图", "说明"),
        (8, "", ""),
    ]
