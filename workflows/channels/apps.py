from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "workflows.channels"
    label = "notification_channels"
    verbose_name = "通知渠道"
    default_auto_field = "django.db.models.BigAutoField"
