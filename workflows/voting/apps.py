from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "workflows.voting"
    label = "voting"
    verbose_name = "业主大会表决"

    def ready(self) -> None:
        from .elections import draft_new_committee  # noqa: PLC0415 - models are loaded now
        from .signals import vote_finalised  # noqa: PLC0415

        vote_finalised.connect(draft_new_committee, dispatch_uid="weizhi_election_committee")
