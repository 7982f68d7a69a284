"""Factories for notices.

Usage::

    notice = NoticePageFactory(parent=compound, title="停水通知")
    draft = NoticePageFactory(parent=community, live=False, category=NoticeCategory.EVENT)
    NoticePageFactory(parent=compound, body=[("paragraph", "<p>正文</p>")], pinned=True)

``body`` takes (block name, value) pairs; the default is one paragraph. Pages are live unless
``live=False`` is passed.
"""

import factory
import wagtail_factories

from content_types.notices.models import NoticeCategory, NoticePage


class NoticePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n}号通知")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    category = NoticeCategory.NOTICE
    summary = "本周六 8:00—12:00 二次供水设施检修，届时停水。"
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>请各位业主提前储水，给您带来不便，敬请谅解。</p>")]
    )

    class Meta:
        model = NoticePage
