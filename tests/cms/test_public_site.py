"""The owners' side of the site, read as an owner reads it: street, community and compound pages,
and each scope's notices page and archive, through the test client.

Only what is public appears: a draft, a page in review, a page unpublished by hand, a restricted
page and anything under a hidden compound are nowhere; an expired notice is in the archive and
not among the current ones. The data is built once for the module.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from cms.public_site.content import CURRENT_NOTICES, DISCLOSURES_PER_KIND
from cms.public_site.views import MAX_SEARCH, PER_PAGE
from content_types.committees.models import MemberRole
from content_types.disclosures.kinds import KINDS
from content_types.firms.models import PartyOrganisationStatus
from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from core.civil_code import Matter
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.committees.factories import (
    CommitteeMemberFactory,
    OwnersCommitteeFactory,
)
from tests.content_types.disclosures.factories import (
    AssetListsPageFactory,
    BuildingCollectionFactory,
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
    PropertyServicesPageFactory,
)
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.firms.factories import PropertyFirmFactory
from tests.content_types.notices.factories import NoticePageFactory
from tests.content_types.roles.factories import RoleAssignmentFactory, UserFactory
from tests.workflows.voting.factories import VoteFactory, VoteResultFactory
from workflows.voting.models import VoteStatus

pytestmark = pytest.mark.django_db

# Titles that must never appear on any public page.
NOWHERE = (
    "草稿通知",
    "撤下的通知",
    "限制查看的通知",
    "限制查看的到期通知",
    "隐藏小区的通知",
    "隐藏小区的到期通知",
    "草稿收支公开",
    "限制查看的收缴公开",
    "草稿资金申请",
    "草稿委员",
    "草稿物业公司",
)
MAKERS = {
    "finance_statement": FinanceStatementPageFactory,
    "fee_collection": FeeCollectionPageFactory,
    "asset_lists": AssetListsPageFactory,
    "property_services": PropertyServicesPageFactory,
}


@dataclass
class World:
    compound: Page
    community: Page
    street: Page
    hidden_compound: Page
    restricted_compound: Page
    busy_community: Page
    proposal: Page
    fees: Page


def notice(parent, title, days_ago, **fields):
    published = timezone.now() - timedelta(days=days_ago)
    dates = {"first_published_at": published, "last_published_at": published}
    return NoticePageFactory(parent=parent, title=title, **{**dates, **fields})


def restrict(page) -> None:
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def build() -> World:
    tree = build_street_tree(ensure_wagtail_root())
    Site.objects.create(hostname="testserver", port=80, root_page=tree.street, is_default_site=True)
    now = timezone.now()
    compound, community = tree.compound_a1, tree.community_a
    community.address, community.office_phone = "百官街道凤鸣路 88 号", "0575-82000088"
    community.save()

    notice(compound, "置顶的停水通知", 5, pinned=True)
    notice(compound, "新近的电梯保养通知", 1)
    notice(community, "社区的防诈骗提示", 2)
    notice(compound, "到期的绿化通知", 40, live=False, expired=True, expire_at=now - timedelta(3))
    notice(compound, "过期未下线的演练通知", 30, expire_at=now - timedelta(hours=1))
    notice(compound, "撤下的通知", 8, live=False)
    notice(compound, "草稿通知", 0, live=False, first_published_at=None, last_published_at=None)
    restrict(notice(compound, "限制查看的通知", 3))
    restrict(notice(compound, "限制查看的到期通知", 50, live=False, expired=True))
    hidden = tree.compound_b2
    notice(hidden, "隐藏小区的通知", 3)
    notice(hidden, "隐藏小区的到期通知", 60, live=False, expired=True)
    Page.objects.filter(pk=hidden.pk).update(live=False)
    restricted = tree.compound_a2
    restrict(restricted)

    for code, make in MAKERS.items():
        make(parent=compound, title=f"已公开的{KINDS[code].label}")
    FinanceStatementPageFactory(parent=compound, title="草稿收支公开", live=False)
    restrict(FeeCollectionPageFactory(parent=compound, title="限制查看的收缴公开"))
    fees = FeeCollectionPageFactory(
        parent=compound,
        title="第三季度物业费收缴",
        period_start=now.date() - timedelta(days=90),
        period_end=now.date(),
        buildings=[
            BuildingCollectionFactory.build(building="1幢"),
            BuildingCollectionFactory.build(
                building="2幢", households_paid=30, amount_collected=Decimal("36000.00")
            ),
        ],
    )

    proposal = ExpenditureProposalPageFactory(
        parent=compound, title="电梯钢丝绳更换", first_published_at=now - timedelta(days=60)
    )
    vote = VoteFactory(
        compound=compound,
        proposal=proposal,
        matter=Matter.USE_MAINTENANCE_FUND.value,
        status=VoteStatus.FINAL,
        opens_at=now - timedelta(days=50),
        closes_at=now - timedelta(days=40),
        finalised_at=now - timedelta(days=30),
    )
    VoteResultFactory(
        vote=vote,
        eligible_heads=572,
        eligible_area=Decimal("65184.72"),
        participating_heads=432,
        participating_area=Decimal("49088.60"),
        for_heads=357,
        for_area=Decimal("40680.36"),
    )
    UsageReportPageFactory(parent=proposal, title="电梯钢丝绳更换使用情况")
    ExpenditureProposalPageFactory(parent=compound, title="草稿资金申请", live=False)

    committee = OwnersCommitteeFactory(compound=compound)
    CommitteeMemberFactory(committee=committee, name="郭敏", role=MemberRole.CHAIR)
    CommitteeMemberFactory(committee=committee, name="何建国", role=MemberRole.VICE_CHAIR)
    draft_committee = OwnersCommitteeFactory(compound=compound, live=False)
    CommitteeMemberFactory(committee=draft_committee, name="草稿委员")
    PropertyFirmFactory(
        name="锦程物业服务有限公司",
        office_phone="0575-82100001",
        party_status=PartyOrganisationStatus.STANDALONE,
        full_party_member_count=4,
        compounds=[compound],
    )
    PropertyFirmFactory(name="草稿物业公司", live=False, compounds=[compound])
    commissioner = UserFactory(first_name="陈晓燕", email="chen@weizhi.local")
    RoleAssignmentFactory(user=commissioner, role=Role.COMMISSIONER, scope=compound)

    busy = tree.community_b
    for number in range(PER_PAGE + 2):
        notice(busy, f"往期通知第{number}号", 100 + number, live=False, expired=True)
    return World(compound, community, tree.street, hidden, restricted, busy, proposal, fees)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        Site.clear_site_root_paths_cache()
        yield build()
        Site.clear_site_root_paths_cache()
        transaction.set_rollback(True)


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    html = re.sub(r"<(style|script)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(text: str, heading: str, following: str) -> str:
    return text.split(heading, 1)[1].split(following, 1)[0]


def assert_nothing_hidden(text: str) -> None:
    assert [title for title in NOWHERE if title in text] == []


def test_the_compound_page_lists_current_notices_pinned_first_with_its_communitys(
    world, client
) -> None:
    text = text_of(client.get(world.compound.url))

    notices = section(text, "通知公告", "往期通知")
    assert notices.index("置顶的停水通知") < notices.index("新近的电梯保养通知")
    assert notices.index("新近的电梯保养通知") < notices.index("社区的防诈骗提示")
    assert "【置顶】 置顶的停水通知" in notices and "凤鸣社区" in notices
    assert "到期的绿化通知" not in text and "过期未下线的演练通知" not in text
    assert_nothing_hidden(text)


def test_the_archive_holds_expired_notices_only_and_finds_them_by_title(world, client) -> None:
    archive = f"/scope/{world.compound.pk}/notices/archive/"

    text = text_of(client.get(archive))
    found = text_of(client.get(archive, {"q": "  演练 "}))
    nothing = text_of(client.get(archive, {"q": "电梯保养"}))

    listed = section(text, "搜索", "微治")
    assert listed.index("到期的绿化通知") > listed.index("过期未下线的演练通知")
    assert "置顶的停水通知" not in text and "新近的电梯保养通知" not in text
    assert_nothing_hidden(text)
    assert "过期未下线的演练通知" in found and "到期的绿化通知" not in found
    assert "“演练”的搜索结果：共 1 条" in found
    assert "没有找到往期通知。" in nothing


def test_an_archived_notice_opens_from_the_archive_and_nothing_else_does(world, client) -> None:
    by_title = dict(NoticePage.objects.values_list("title", "pk"))
    archive = f"/scope/{world.compound.pk}/notices/archive/"

    listed = client.get(archive).text
    opened = text_of(client.get(f"{archive}{by_title['到期的绿化通知']}/"))

    assert f'href="{archive}{by_title["到期的绿化通知"]}/"' in listed
    assert "到期的绿化通知" in opened and "到期，仅供查阅" in opened
    assert "请各位业主提前储水" in opened  # its body
    for title in ("置顶的停水通知", "撤下的通知", "草稿通知", "限制查看的到期通知"):
        assert client.get(f"{archive}{by_title[title]}/").status_code == 404, title
    hidden = f"/scope/{world.hidden_compound.pk}/notices/archive/{by_title['隐藏小区的到期通知']}/"
    elsewhere = f"/scope/{world.busy_community.pk}/notices/archive/{by_title['到期的绿化通知']}/"
    assert client.get(hidden).status_code == 404
    assert client.get(elsewhere).status_code == 404


def test_the_current_notices_page_lists_what_the_compound_page_does(world, client) -> None:
    text = text_of(client.get(f"/scope/{world.compound.pk}/notices/", {"q": "通知"}))

    assert "置顶的停水通知" in text and "新近的电梯保养通知" in text
    assert "到期的绿化通知" not in text
    assert_nothing_hidden(text)


def test_a_long_archive_is_paged_and_hostile_input_is_cut_short(world, client) -> None:
    archive = f"/scope/{world.busy_community.pk}/notices/archive/"

    first = text_of(client.get(archive))
    second = text_of(client.get(archive, {"page": "2"}))
    garbage = client.get(archive, {"page": "abc", "q": "往期" + "x" * 10_000})

    assert "第 1 / 2 页" in first and first.count("往期通知第") == PER_PAGE
    assert "第 2 / 2 页" in second and second.count("往期通知第") == 2
    assert garbage.status_code == 200
    assert f"“往期{'x' * (MAX_SEARCH - 2)}”的搜索结果：共 0 条" in text_of(garbage)


def test_a_hidden_or_restricted_scope_has_no_notices_page(world, client) -> None:
    for scope in (world.hidden_compound, world.restricted_compound):
        for address in (f"/scope/{scope.pk}/notices/", f"/scope/{scope.pk}/notices/archive/"):
            assert client.get(address).status_code == 404, address
    assert client.get(f"/scope/{world.proposal.pk}/notices/").status_code == 404
    assert client.get(f"/scope/{10**20}/notices/").status_code == 404


def test_each_registered_kind_of_disclosure_has_its_section_newest_first(world, client) -> None:
    text = text_of(client.get(world.compound.url))

    disclosures = section(text, "公示公开", "大额资金使用")
    headings = [kind.label for kind in KINDS]
    assert [disclosures.index(label) for label in headings] == sorted(
        disclosures.index(label) for label in headings
    )
    for kind in KINDS:
        assert f"已公开的{kind.label}" in disclosures, kind.code
    fees = section(disclosures, KINDS["fee_collection"].label, KINDS["asset_lists"].label)
    assert fees.index("第三季度物业费收缴") < fees.index("已公开的物业费收缴公开")
    assert_nothing_hidden(text)


def test_each_kind_lists_all_its_disclosures_on_a_page_of_its_own(world, client) -> None:
    fees = KINDS["fee_collection"]
    compound_page = client.get(world.compound.url).text
    listing = f"/scope/{world.compound.pk}/disclosures/{fees.code}/"

    every_kind = [f"/scope/{world.compound.pk}/disclosures/{kind.code}/" for kind in KINDS]
    text = text_of(client.get(listing))

    assert [client.get(url).status_code for url in every_kind] == [200] * len(every_kind)
    assert f'href="{listing}"' not in compound_page  # all of them fit on the compound page
    assert text.index("第三季度物业费收缴") < text.index("已公开的物业费收缴公开")
    assert "共 2 项" in text
    assert_nothing_hidden(text)
    assert client.get(f"/scope/{world.compound.pk}/disclosures/nonsense/").status_code == 404
    hidden = f"/scope/{world.hidden_compound.pk}/disclosures/{fees.code}/"
    assert client.get(hidden).status_code == 404
    for _ in range(DISCLOSURES_PER_KIND):
        FeeCollectionPageFactory(parent=world.compound)
    assert f'href="{listing}"' in client.get(world.compound.url).text


def test_a_decided_proposal_shows_its_vote_in_both_measures_and_its_usage_report(
    world, client
) -> None:
    text = text_of(client.get(world.compound.url))

    proposals = section(text, "大额资金使用（四审两公开）", "业主委员会")
    assert "电梯钢丝绳更换" in proposals
    assert "审定通过：同意 357 人、40680.36 平方米，参与表决 432 人、49088.60 平方米" in proposals
    assert "（应参与 572 人、65184.72 平方米）" in proposals
    assert "电梯钢丝绳更换使用情况" in proposals
    assert "草稿资金申请" not in text


def test_the_compound_shows_its_roster_firm_and_whom_to_contact_without_personal_data(
    world, client
) -> None:
    response = client.get(world.compound.url)
    text = text_of(response)

    roster = section(text, "业主委员会", "联系方式")
    assert "郭敏 主任" in roster and "何建国 副主任" in roster
    today = timezone.localdate()
    assert f"{today.year - 1}年{today.month}月" in roster  # the term
    contact = text.split("联系方式", 1)[1]
    assert "锦程物业服务有限公司" in contact and "0575-82100001" in contact
    assert "单独建立" in contact
    assert "小区专员 陈晓燕" in contact
    assert "百官街道凤鸣路 88 号" in contact and "0575-82000088" in contact
    assert "chen@weizhi.local" not in response.text and "党员" not in roster
    assert_nothing_hidden(text)


def test_the_community_and_street_pages_show_their_scope_with_where_each_item_is(
    world, client
) -> None:
    community = text_of(client.get(world.community.url))
    street = text_of(client.get(world.street.url))

    for text in (community, street):
        assert "置顶的停水通知 通知 · 锦绣花园" in text
        assert "电梯钢丝绳更换" in text and "已公开的三张清单" in text
        assert_nothing_hidden(text)
    assert "社区的防诈骗提示" in community


def test_the_fee_collection_chart_draws_the_numbers_its_table_lists(world, client) -> None:
    response = client.get(world.fees.url)

    data = json.loads(
        re.search(r'id="fee-chart-data" type="application/json">(.*?)</script>', response.text)[1]
    )
    rows = re.findall(
        r"<tr><td>(\d幢)</td><td class=\"amount\">([\d.]+)%\s*</td><td class=\"amount\">([\d.]+)%",
        response.text.split('id="fee-rates"', 1)[1],
    )
    assert [(row["building"], row["households"], row["amount"]) for row in data] == rows
    assert rows == [("1幢", "90.00", "90.00"), ("2幢", "50.00", "50.00")]
    assert 'src="/static/vendor/echarts/echarts.min.js"' in response.text


def more_of_everything(world) -> None:
    """Another page of each list the pages show, to show their cost does not grow with it."""
    for number in range(CURRENT_NOTICES + 3):
        notice(world.compound, f"又一则通知{number}", 2)
        notice(world.compound, f"又一则到期通知{number}", 9, live=False, expired=True)
    for make in MAKERS.values():
        for _ in range(DISCLOSURES_PER_KIND + 1):
            make(parent=world.compound)
    for _ in range(2):
        proposal = ExpenditureProposalPageFactory(parent=world.compound)
        UsageReportPageFactory(parent=proposal)


# The compound's page also reads its published cases (诉求办理公开).
@pytest.mark.parametrize(
    ("address", "queries"),
    [("compound", 28), ("community", 22), ("archive", 8)],
)
def test_each_page_costs_a_fixed_number_of_queries(
    world, client, django_assert_num_queries, address, queries
) -> None:
    url = {
        "compound": world.compound.url,
        "community": world.community.url,
        "archive": f"/scope/{world.compound.pk}/notices/archive/?q=通知",
    }[address]
    client.get(url)  # Wagtail's site root paths, cached once for every request

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    more_of_everything(world)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
