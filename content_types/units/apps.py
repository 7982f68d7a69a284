from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "content_types.units"
    label = "units"
    verbose_name = "房屋与业主名册"
