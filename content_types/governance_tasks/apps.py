from django.apps import AppConfig


class GovernanceTasksConfig(AppConfig):
    name = "content_types.governance_tasks"
    label = "governance_tasks"
    verbose_name = "年度任务清单"
