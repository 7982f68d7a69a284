from django.apps import AppConfig


class SiteConfigConfig(AppConfig):
    name = "site_config"
    label = "site_config"
    verbose_name = "站点配置"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from api.disclosure_dues import register_due_lookup
        from content_types.cases.routing import register_group_lookup
        from content_types.scorecards.indicators import register as register_indicator

        from .case_routing import working_group_for
        from .schedules import dues
        from .scorecard_disclosures import INDICATOR

        # The API's community screens read the dues by the same rule as the dashboard; a case
        # goes to the working group the file gives its category.
        register_due_lookup(dues)
        register_group_lookup(working_group_for)
        # The scorecards count disclosures on time by the schedules kept here.
        register_indicator(INDICATOR)
