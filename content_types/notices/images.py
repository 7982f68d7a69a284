"""The pictures in a notice's body, read from its raw stream data, and their screen renditions.

``SCREEN_RENDITION`` is the one size every client of the API gets a notice's pictures in. It is
``max-1920x1080``, not ``fill-1920x1080``: a public screen is 1920×1080, so nothing larger is
ever shown, and ``max`` fits the whole picture inside that box with its own proportions — the
pictures of notices are often photographed or scanned notices, floor plans and maps, which
``fill`` would crop — and never enlarges a smaller one. One size means one rendition per picture,
made when the notice is published (``prepare_renditions``), so that a read only finds it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from wagtail.images import get_image_model

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)

SCREEN_RENDITION = "max-1920x1080"


@dataclass(frozen=True)
class ImageBlockData:
    """One picture block as stored: the image's id, what the editor said about it, its caption."""

    image_id: int
    alt_text: str
    decorative: bool
    caption: str


def image_blocks(raw_data: Iterable[dict[str, Any]]) -> list[ImageBlockData]:
    """The picture blocks of a notice body's raw stream data, in order, without loading images.

    The ``image`` of a block is an ``ImageBlock`` value (``{"image": id, "alt_text": …,
    "decorative": …}``), or a bare id as an ``ImageChooserBlock`` stored it; a block whose
    image was never chosen is skipped.
    """
    found = []
    for block in raw_data:
        value = block.get("value")
        if block.get("type") != "image" or not isinstance(value, dict):
            continue
        chosen = value.get("image")
        if isinstance(chosen, dict):
            image_id = chosen.get("image")
            alt_text = chosen.get("alt_text") or ""
            decorative = bool(chosen.get("decorative"))
        else:
            image_id, alt_text, decorative = chosen, "", False
        if not isinstance(image_id, int) or isinstance(image_id, bool):
            continue
        found.append(
            ImageBlockData(
                image_id=image_id,
                alt_text=alt_text,
                decorative=decorative,
                caption=value.get("caption") or "",
            )
        )
    return found


def screen_rendition(image: Any) -> Any | None:
    """The image's ``SCREEN_RENDITION``, from its prefetched renditions or made now.

    ``None`` when the source file cannot be read: a missing picture is left out, it does not
    fail the notice.
    """
    try:
        return image.get_renditions(SCREEN_RENDITION)[SCREEN_RENDITION]
    except OSError:  # Wagtail's SourceImageIOError, or a file Pillow cannot read
        logger.warning("No %s rendition for image %s", SCREEN_RENDITION, image.pk, exc_info=True)
        return None


def prepare_renditions(raw_bodies: Iterable[Iterable[dict[str, Any]]]) -> None:
    """Make the screen renditions of every picture in these bodies that has none yet.

    Two queries whatever the number of pictures when all exist already (the images, their
    renditions); a missing rendition is made and saved.
    """
    prepare_image_renditions(
        {block.image_id for raw_data in raw_bodies for block in image_blocks(raw_data)}
    )


def prepare_image_renditions(ids: Iterable[int]) -> None:
    """Make the screen renditions of these images that have none yet (as ``prepare_renditions``;
    also for pictures kept outside a stream, such as the cells of a configured disclosure)."""
    ids = set(ids)
    if not ids:
        return
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(SCREEN_RENDITION)
    for image in images:
        screen_rendition(image)


def on_notice_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``page_published`` receiver: a notice's pictures are resized once it is published.

    So that a screen's read finds the renditions and costs the same queries every time. The
    work runs after the publication commits, outside its transaction; a failure is logged and
    never undoes the publication: a read makes what is missing.
    """
    raw_data = list(instance.body.raw_data)

    def prepare() -> None:
        try:
            prepare_renditions([raw_data])
        except Exception:
            logger.exception("Could not prepare the screen renditions of notice %s", instance.pk)

    transaction.on_commit(prepare)
