"""Pictures for the demo's notices, drawn in code (Pillow) so the repository carries no image
files, and kept through Wagtail's image model in the scope's own collection, as an editor's
upload would be. Drawn once: a later load finds the image by its title in that collection.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from content_types.roles.media_scope import scope_collection

if TYPE_CHECKING:
    from wagtail.models import Page

SIZE = (960, 540)
BUILDINGS = [(120 + 150 * column, 110 + 170 * row) for row in range(2) for column in range(5)]
CHARGING_POINTS = [(480, 40), (860, 300)]


def _draw_site_plan() -> bytes:
    """A compound's plan: ten buildings round a central garden, two charging points marked."""
    canvas = Image.new("RGB", SIZE, "#f1f5f9")
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((20, 20, SIZE[0] - 20, SIZE[1] - 20), outline="#64748b", width=6)
    draw.ellipse((380, 230, 580, 330), fill="#bbf7d0", outline="#16a34a", width=3)
    for left, top in BUILDINGS:
        draw.rectangle((left, top, left + 90, top + 70), fill="#cbd5e1", outline="#475569", width=3)
    draw.rectangle((440, 14, 520, 30), fill="#f1f5f9")  # the north gate
    for x, y in CHARGING_POINTS:
        draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill="#16a34a", outline="#14532d", width=4)
    buffer = BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def site_plan(scope: Page, title: str, description: str) -> Any:
    """The scope's picture called ``title``, drawn and stored the first time it is asked for."""
    collection = scope_collection(scope)
    found = get_image_model().objects.filter(collection=collection, title=title).first()
    if found is not None:
        return found
    image = get_image_model()(
        title=title,
        description=description,
        collection=collection,
        file=ImageFile(BytesIO(_draw_site_plan()), name="site-plan.png"),
    )
    image._set_image_file_metadata()  # noqa: SLF001 - as Wagtail's upload view does
    image.save()
    return image
