from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "content_types.meetings"
    label = "meetings"
    verbose_name = "三方联席会议"
