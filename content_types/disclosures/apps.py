from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "content_types.disclosures"
    label = "disclosures"
    verbose_name = "公开公示"
