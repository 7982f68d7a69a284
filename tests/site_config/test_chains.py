"""Review chains from the file: steps by task type, attached to subtrees and snippet types."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Workflow, WorkflowContentType, WorkflowPage

from api.models import Screen
from content_types.committees.models import CommitteeCandidate, VettingStage
from content_types.firms.models import PropertyFirm
from content_types.roles.models import Role, RoleAssignment
from content_types.structure.models import CommunityPage, CompoundPage
from site_config.apply import apply_file
from site_config.models import CoordinationOffice
from site_config.task_types import chain_rule_model
from site_config.validation import ConfigError
from tests.content_types.committees.factories import CommitteeCandidateFactory
from workflows.chains.models import ScopedRoleApprovalTask

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

CHAINS = """\
chains:
  - name: 小区内容审核
    steps:
      - {name: 业委会初审, type: scoped_role, role: owners_committee}
      - {name: 社区审核, type: scoped_role, role: community_office}
    attach_to: {levels: [compound]}
  - name: 社区内容审核
    steps: [{name: 街道微治办审核, type: scoped_role, role: street_office}]
    attach_to: {pages: [fengming], snippets: [firms.propertyfirm]}
"""


def base() -> str:
    return MINIMAL[: MINIMAL.index("chains:")]


def test_steps_attach_in_order_to_pages_and_snippet_types(empty_site, write_config) -> None:
    apply_file(write_config(base() + CHAINS))

    compound_chain = Workflow.objects.get(name="小区内容审核")
    steps = [task.specific for task in compound_chain.tasks.order_by("workflow_tasks__sort_order")]
    assert [(s.name, s.role) for s in steps] == [
        ("业委会初审", Role.OWNERS_COMMITTEE),
        ("社区审核", Role.COMMUNITY_OFFICE),
    ]
    assert set(
        WorkflowPage.objects.filter(workflow=compound_chain).values_list("page__slug", flat=True)
    ) == {
        "jinxiu",
        "yangguang",
    }
    community_chain = Workflow.objects.get(name="社区内容审核")
    assert WorkflowPage.objects.get(page=CommunityPage.objects.get()).workflow == community_chain
    firm_type = ContentType.objects.get_for_model(PropertyFirm)
    assert WorkflowContentType.objects.get(content_type=firm_type).workflow == community_chain
    assert apply_file(write_config(base() + CHAINS)).is_empty


def test_a_changed_role_updates_the_shared_step(empty_site, write_config) -> None:
    apply_file(write_config(base() + CHAINS))
    task = ScopedRoleApprovalTask.objects.get(name="业委会初审")

    plan = apply_file(
        write_config(base() + CHAINS.replace("role: owners_committee", "role: compound_party"))
    )

    assert "更新 审核步骤 业委会初审：角色：owners_committee → compound_party" in plan.report()
    task.refresh_from_db()
    assert task.role == Role.COMPOUND_PARTY
    assert ScopedRoleApprovalTask.objects.filter(name="业委会初审").count() == 1


def test_a_chain_left_out_is_detached_and_deactivated(empty_site, write_config) -> None:
    apply_file(write_config(base() + CHAINS))
    only_compounds = CHAINS[: CHAINS.index("  - name: 社区内容审核")]

    plan = apply_file(write_config(base() + only_compounds))

    assert "移除 审核流程 社区内容审核" in plan.report()
    workflow = Workflow.objects.get(name="社区内容审核")
    assert not workflow.active
    assert not WorkflowPage.objects.filter(workflow=workflow).exists()
    assert not WorkflowContentType.objects.filter(workflow=workflow).exists()
    assert CompoundPage.objects.get(slug="jinxiu").get_workflow().name == "小区内容审核"


def test_one_page_in_two_chains_is_refused(empty_site, write_config) -> None:
    clash = CHAINS.replace("attach_to: {pages: [fengming]", "attach_to: {pages: [jinxiu]")
    with pytest.raises(ConfigError) as refused:
        apply_file(write_config(base() + clash))

    assert "页面“jinxiu”已挂接流程“小区内容审核”" in refused.value.report()
    assert not Workflow.objects.filter(name="小区内容审核").exists()


def test_coordination_offices_and_their_groups_follow_the_file(empty_site, write_config) -> None:
    offices = """\
coordination_offices:
  - scope: fengming
    name: 凤鸣社区“微治办”
    director: 社区党组织书记
    working_groups:
      - {name: 综合协调组, lead: 社区党组织副书记}
      - {name: 司法调解组, lead: 社区调解委员会主任}
"""
    apply_file(write_config(MINIMAL + offices))
    office = CoordinationOffice.objects.get()
    assert list(office.working_groups.values_list("name", flat=True)) == [
        "综合协调组",
        "司法调解组",
    ]

    plan = apply_file(write_config(MINIMAL + offices.replace("社区调解委员会主任", "司法所联络员")))

    assert "更新 微治办 fengming：工作小组" in plan.report()
    assert office.working_groups.get(name="司法调解组").lead == "司法所联络员"


def test_included_parts_are_applied_as_one_file(empty_site, write_config) -> None:
    write_config(
        "users:\n  - username: party\n    roles: [{role: compound_party, scope: yangguang}]\n",
        "people.yaml",
    )

    apply_file(write_config("include: [people.yaml]\n" + MINIMAL))

    assert RoleAssignment.objects.filter(
        user__username="party", scope__slug="yangguang", managed_by_config=True
    ).exists()


def test_screens_are_registered_on_their_scope_without_a_known_token(
    empty_site, write_config
) -> None:
    screens = (
        "screens:\n"
        "  - {code: jinxiu-gate, name: 锦绣花园南门公开屏, scope: jinxiu, location: 南门}\n"
    )
    apply_file(write_config(MINIMAL + screens))

    screen = Screen.objects.get()
    assert (screen.name, screen.scope.slug, screen.is_revoked) == (
        "锦绣花园南门公开屏",
        "jinxiu",
        False,
    )
    assert len(screen.token_hash) == 64
    assert apply_file(write_config(MINIMAL + screens)).is_empty

    apply_file(write_config(MINIMAL))
    assert not Screen.objects.exists()


def test_a_screen_on_the_whole_street_is_refused(empty_site, write_config) -> None:
    with pytest.raises(ConfigError) as refused:
        apply_file(
            write_config(MINIMAL + "screens:\n  - {code: all, name: 全街道, scope: baiguan}\n")
        )

    assert "screens[0].scope：范围“baiguan”是街道，这里只能是社区或小区。" in refused.value.report()


RULES = """\
  - name: 大额资金四审
    steps:
      - {name: 业委会初审, type: scoped_role, role: owners_committee}
      - {name: 小区党组织审核, type: scoped_role, role: compound_party}
    rules:
      - {page_types: [expenditures.expenditureproposalpage], min_amount: "50000.00"}
  - name: 小额资金审核
    steps: [{name: 业委会初审, type: scoped_role, role: owners_committee}]
    rules:
      - {page_types: [expenditures.expenditureproposalpage], subtree: jinxiu}
"""


def test_chains_by_page_type_and_amount_tier(empty_site, write_config) -> None:
    rule_model = chain_rule_model()
    apply_file(write_config(base() + CHAINS + RULES))

    rows = {
        (rule.workflow.name, rule.scope.slug if rule.scope else "", rule.min_amount)
        for rule in rule_model.objects.select_related("workflow", "scope")
    }
    assert rows == {("大额资金四审", "", Decimal("50000.00")), ("小额资金审核", "jinxiu", None)}
    assert apply_file(write_config(base() + CHAINS + RULES)).is_empty

    plan = apply_file(write_config(base() + CHAINS + RULES.replace("50000.00", "80000.00")))
    assert "更新 审核流程 大额资金四审：页面类型与金额分级规则" in plan.report()
    assert rule_model.objects.get(workflow__name="大额资金四审").min_amount == Decimal("80000.00")


FOUR_REVIEWS = """\
  - name: 大额资金使用（四审两公开）
    steps:
      - {name: 业委会初审, type: scoped_role, role: owners_committee}
      - {name: 社区(小区)党组织审核, type: scoped_role, role: community_party}
      - {name: 三方联席会议审议, type: joint_meeting}
      - {name: 业主大会审定, type: assembly_vote, params: {voting_days: 20}}
"""


def test_the_four_reviews_chain_with_joint_meeting_and_assembly_steps(
    empty_site, write_config
) -> None:
    path = write_config(base() + CHAINS + FOUR_REVIEWS)
    apply_file(path)

    chain = Workflow.objects.get(name="大额资金使用（四审两公开）")
    steps = [task.specific for task in chain.tasks.order_by("workflow_tasks__sort_order")]
    assert [type(step).__name__ for step in steps] == [
        "ScopedRoleApprovalTask",
        "ScopedRoleApprovalTask",
        "JointMeetingTask",
        "AssemblyVoteTask",
    ]
    assert steps[3].voting_days == 20
    assert apply_file(path).is_empty


def test_a_step_parameter_out_of_range_is_refused(empty_site, write_config) -> None:
    with pytest.raises(ConfigError) as refused:
        apply_file(write_config(base() + CHAINS + FOUR_REVIEWS.replace("20}", "200}")))

    assert "chains[2].steps[3].params.voting_days：表决期应为 1 到 90 之间的整数天" in (
        refused.value.report()
    )


VETTING = """\
  - name: 业委会人选考察
    steps:
      - {name: 社区前置审核, key: community_review, type: scoped_role, role: community_office}
      - {name: 街道统筹把关, key: street_review, type: scoped_role, role: community_office}
    attach_to: {snippets: [committees.committeecandidate]}
"""


def test_a_renamed_vetting_step_still_sets_the_candidates_stage(empty_site, write_config) -> None:
    apply_file(write_config(MINIMAL + VETTING))
    renamed = VETTING.replace("社区前置审核", "社区党组织前置考察").replace(
        "街道统筹把关", "街道微治办统筹"
    )
    plan = apply_file(write_config(MINIMAL + renamed))
    assert "新建 审核步骤 社区党组织前置考察" in plan.report()

    office = get_user_model().objects.get(username="office")
    candidate = CommitteeCandidateFactory(compound=CompoundPage.objects.get(slug="jinxiu"))
    candidate.save_revision(user=office)
    state = Workflow.objects.get(name="业委会人选考察").start(candidate, office)
    candidate.refresh_from_db()
    assert candidate.vetting_stage == VettingStage.COMMUNITY_REVIEW

    state.current_task_state.approve(user=office)
    assert (
        CommitteeCandidate.objects.get(pk=candidate.pk).vetting_stage == VettingStage.STREET_REVIEW
    )


def test_a_key_on_a_step_type_without_one_is_refused(empty_site, write_config) -> None:
    text = (
        MINIMAL
        + "  - name: 联席\n    steps: [{name: 联席会议, key: meeting, type: joint_meeting}]\n"
    )

    with pytest.raises(ConfigError) as refused:
        apply_file(write_config(text))

    assert "“三方联席会议审议”步骤不使用 key。" in str(refused.value)
    assert not Workflow.objects.filter(name="联席").exists()
