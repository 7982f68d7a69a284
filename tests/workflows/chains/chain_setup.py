"""Review chains for tests that need one without a whole site configuration, idempotently.

Each chain is data: a name, ordered (step name, role[, key]) steps, and the
pages whose subtree it covers. The site configuration builds the real ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, Task, Workflow, WorkflowContentType, WorkflowPage, WorkflowTask

from content_types.committees.models import CommitteeCandidate
from content_types.expenditures.models import ExpenditureProposalPage
from content_types.roles.models import Role
from workflows.chains.models import (
    AssemblyVoteTask,
    ChainRule,
    JointMeetingTask,
    ScopedRoleApprovalTask,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from decimal import Decimal

# The chain every compound's notices and disclosures go through, and the one
# for a community's own notices (measure 3: the street reviews the community).
COMPOUND_CONTENT_CHAIN = ("小区内容审核", [("社区审核", Role.COMMUNITY_OFFICE)])
COMMUNITY_CONTENT_CHAIN = ("社区内容审核", [("街道微治办审核", Role.STREET_OFFICE)])
# Measure 5: 小区党组织或业主联名推荐 → 社区前置审核 → 街道统筹把关 → 部门联合审查.
# The recommendation is the submission itself (by the compound's Party
# organisation, or by the community entering an owners' joint nomination);
# the community Party organisation examines the candidate (社区党组织考察), and
# the street office both weighs it and, as the coordinator of the departments
# (党建办、社区办), records their joint review.
CANDIDATE_VETTING_CHAIN = (
    "业委会人选考察",
    [
        ("社区前置审核", Role.COMMUNITY_PARTY, "community_review"),
        ("街道统筹把关", Role.STREET_OFFICE, "street_review"),
        ("部门联合审查", Role.STREET_OFFICE, "joint_review"),
    ],
)


def scoped_task(name: str, role: str, key: str = "") -> ScopedRoleApprovalTask:
    task, _ = ScopedRoleApprovalTask.objects.get_or_create(
        name=name, defaults={"role": role, "key": key}
    )
    if (task.role, task.key) != (role, key):
        task.role, task.key = role, key
        task.save(update_fields=["role", "key"])
    return task


@transaction.atomic
def ensure_workflow(name: str, tasks: Sequence[Task]) -> Workflow:
    """The workflow called ``name`` with exactly ``tasks`` in order."""
    workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    current = list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    if current != [task.pk for task in tasks]:
        workflow.workflow_tasks.all().delete()
        WorkflowTask.objects.bulk_create(
            WorkflowTask(workflow=workflow, task=task, sort_order=index)
            for index, task in enumerate(tasks)
        )
    return workflow


def ensure_scoped_chain(name: str, steps: Iterable[tuple[str, ...]]) -> Workflow:
    """``steps`` as (name, role) or (name, role, key)."""
    return ensure_workflow(name, [scoped_task(*step) for step in steps])


def attach(workflow: Workflow, pages: Iterable[Page]) -> None:
    """Make ``workflow`` the chain of each page's subtree (the nearest attachment wins)."""
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def attach_to_model(workflow: Workflow, model: type) -> None:
    """Make ``workflow`` the chain of every row of the snippet ``model`` (one per model)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    WorkflowContentType.objects.update_or_create(
        content_type=content_type, defaults={"workflow": workflow}
    )


def ensure_candidate_vetting_chain() -> Workflow:
    """The vetting chain of committee candidates (measure 5), attached to the candidate pool."""
    workflow = ensure_scoped_chain(*CANDIDATE_VETTING_CHAIN)
    attach_to_model(workflow, CommitteeCandidate)
    return workflow


# 四审两公开 (measure 9): the committee's first review, the community (compound)
# Party organisation's review, the three parties' joint meeting, the owners'
# assembly. Below the threshold the committee decides and reports to the
# community, which acknowledges it (报社区备案).
EXPENDITURE_CHAIN_NAME = "大额资金使用（四审两公开）"
EXPENDITURE_SHORT_CHAIN_NAME = "大额资金使用（业委会决定、报社区备案）"
EXPENDITURE_SHORT_CHAIN = [
    ("业委会决定", Role.OWNERS_COMMITTEE),
    ("报社区备案", Role.COMMUNITY_OFFICE),
]
JOINT_MEETING_STEP = "三方联席会议审议"
ASSEMBLY_STEP = "业主大会审定"


def ensure_expenditure_chains(
    threshold: Decimal, scope: Page | None = None, *, voting_days: int = 15
) -> tuple[Workflow, Workflow]:
    """The long and the short expenditure chain, and the rules choosing them by amount.

    Proposals of ``threshold`` yuan or more take 四审两公开, smaller ones the
    short chain; ``scope`` limits the rules to a subtree (the whole site when
    None). Calling it again with another threshold moves the tier.
    """
    joint, _ = JointMeetingTask.objects.get_or_create(name=JOINT_MEETING_STEP)
    assembly, _ = AssemblyVoteTask.objects.get_or_create(
        name=ASSEMBLY_STEP, defaults={"voting_days": voting_days}
    )
    if assembly.voting_days != voting_days:
        assembly.voting_days = voting_days
        assembly.save(update_fields=["voting_days"])
    long = ensure_workflow(
        EXPENDITURE_CHAIN_NAME,
        [
            scoped_task("业委会初审", Role.OWNERS_COMMITTEE),
            scoped_task("社区(小区)党组织审核", Role.COMMUNITY_PARTY),
            joint,
            assembly,
        ],
    )
    short = ensure_workflow(
        EXPENDITURE_SHORT_CHAIN_NAME,
        [scoped_task(step, role) for step, role in EXPENDITURE_SHORT_CHAIN],
    )
    content_type = ContentType.objects.get_for_model(ExpenditureProposalPage)
    rules = ChainRule.objects.filter(
        content_type=content_type, scope=scope, workflow__in=[long, short]
    )
    wanted = {(short.pk, None), (long.pk, threshold)}
    if set(rules.values_list("workflow_id", "min_amount")) != wanted:
        with transaction.atomic():
            rules.delete()
            ChainRule.objects.bulk_create(
                ChainRule(
                    workflow_id=workflow_id,
                    content_type=content_type,
                    scope=scope,
                    min_amount=floor,
                )
                for workflow_id, floor in wanted
            )
    return long, short
