"""The blocks a notice body is made of: text, pictures and files to download, nothing more."""

from __future__ import annotations

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label="图片")
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=100)

    class Meta:
        icon = "image"
        label = "图片"
        template = "notices/blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(
        label="显示名称", required=False, max_length=100, help_text="留空则显示文件标题。"
    )

    class Meta:
        icon = "doc-full"
        label = "附件"
        template = "notices/blocks/attachment.html"


class NoticeBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label="段落", features=["h3", "h4", "bold", "italic", "ol", "ul", "link"]
    )
    image = CaptionedImageBlock()
    attachment = AttachmentBlock()

    class Meta:
        block_counts = {"paragraph": {"min_num": 1}}
