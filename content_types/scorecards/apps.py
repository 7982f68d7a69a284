from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "content_types.scorecards"
    label = "scorecards"
    verbose_name = "考评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import measures  # noqa: F401 - registers the built-in indicators
