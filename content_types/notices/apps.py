from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "content_types.notices"
    label = "notices"
    verbose_name = "通知公告"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from .images import on_notice_published
        from .models import NoticePage

        page_published.connect(
            on_notice_published, sender=NoticePage, dispatch_uid="notices_screen_renditions"
        )
