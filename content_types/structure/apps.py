from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "content_types.structure"
    label = "structure"
    verbose_name = "街道、社区与小区"
