from django.apps import AppConfig


class ConfiguredDisclosuresConfig(AppConfig):
    name = "content_types.configured_disclosures"
    label = "configured_disclosures"
    verbose_name = "配置的公示种类"
