from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "workflows.voting"
    label = "voting"
    verbose_name = "业主大会表决"
