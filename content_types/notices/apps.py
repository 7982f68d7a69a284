from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "content_types.notices"
    label = "notices"
    verbose_name = "通知公告"
