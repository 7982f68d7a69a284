"""The property firm's evaluation for a period, in real Chromium.

锦绣花园's committee sets up the satisfaction survey of its firm for 2026年下半年, opens it
(freezing the register of six units) and prints the notices with each unit's code. Owners of
three units answer on their phones with the code and the last four digits of their registered
phone; one changes their answer before the close. A paper questionnaire is keyed by two
committee members, the second keying checked blind against the first. The committee then rates
the firm item by item against the service standards the firm disclosed. The street office
closes the period: the firm's score, built from the survey, the evaluations, the published fee
rate, the complaints and its Party organisation, heads the street's ranking, up on the
previous half-year, and it is listed as 优质物业 on the public page. The firm's own login reads
the figures behind each part of its score in the admin; another compound's firm cannot.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content_types.cases.models import CaseCategory
from content_types.evaluations.models import Evaluator, FirmScore, SurveyAnswer
from content_types.evaluations.services import close_period
from content_types.firms.models import PartyOrganisationStatus
from content_types.roles.models import Role
from tests.content_types.cases.factories import file
from tests.content_types.disclosures.factories import (
    FeeCollectionPageFactory,
    PropertyServicesPageFactory,
    ServiceItemFactory,
)
from tests.content_types.evaluations.factories import (
    EvaluationPeriodFactory,
    FirmEvaluationFactory,
    firm_serving,
    policy,
)
from tests.workflows.chains.factories import OWNER_HOMES, roll_units
from tests.workflows.voting.factories import CODE

from .admin_session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000
PASSWORD = "weizhi-test"  # UserFactory's
HOME = re.compile(r"\d+幢\d+单元\d+室")
FIRM = "上虞锦程物业服务有限公司"
OTHER_FIRM = "绍兴安居物业管理有限公司"


@pytest.fixture
def street(live_server, street_tree, role_user):
    """锦绣花园 with its register, its firm's disclosures and a complaint; the previous
    half-year already closed (the firm then scored from the evaluations alone)."""
    a1, a2 = street_tree.compound_a1, street_tree.compound_a2
    policy()
    roll_units(a1)
    firm = firm_serving(
        a1, name=FIRM, party_status=PartyOrganisationStatus.JOINT, full_party_member_count=2
    )
    firm_serving(a2, name=OTHER_FIRM)
    today = timezone.localdate()
    earlier = EvaluationPeriodFactory(
        title="2026年上半年",
        starts_on=today - timedelta(days=300),
        ends_on=today - timedelta(days=120),
    )
    FirmEvaluationFactory(period=earlier, compound=a1, firm=firm, ratings=(3, 4))
    close_period(earlier, None)
    EvaluationPeriodFactory(title="2026年下半年")
    PropertyServicesPageFactory(
        parent=a1,
        effective_from=today - timedelta(days=200),
        services=[
            ServiceItemFactory.build(),
            ServiceItemFactory.build(item="秩序维护", standard="出入口 24 小时值守。", fee=None),
        ],
    )
    FeeCollectionPageFactory(
        parent=a1,
        period_start=today - timedelta(days=50),
        period_end=today - timedelta(days=20),
        amount_due=Decimal("10000.00"),
        amount_collected=Decimal("9500.00"),
    )
    for username, role, scope in (
        ("committee_a1", Role.OWNERS_COMMITTEE, a1),
        ("committee_a1_second", Role.OWNERS_COMMITTEE, a1),
        ("firm_a1", Role.PROPERTY_FIRM, a1),
        ("firm_a2", Role.PROPERTY_FIRM, a2),
        ("street_office", Role.STREET_OFFICE, street_tree.street),
    ):
        role_user(role, scope, username)
    file(role_user(Role.COMMISSIONER, a1, "commissioner_a1"), a1, category=CaseCategory.COMPLAINT)
    return live_server.url


def signed_in(page, base: str, username: str):
    context = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    other = context.new_page()
    sign_in(other, base, username, PASSWORD)
    return other


def set_up_and_print(page, base: str) -> tuple[dict[str, str], str]:
    """The committee creates and opens the survey, then prints the notices."""
    sign_in(page, base, "committee_a1", PASSWORD)
    page.get_by_role("link", name="物业满意度测评").click()
    page.get_by_role("link", name="新建满意度测评").click()
    page.locator("#id_period").select_option(label="2026年下半年")
    page.locator("#id_compound").select_option(label="锦绣花园")
    page.locator("#id_firm").select_option(label=FIRM)
    now = timezone.localtime()
    page.locator("#id_opens_at").fill((now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_closes_at").fill((now + timedelta(days=14)).strftime("%Y-%m-%d %H:%M"))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("开启后业主即可填写", timeout=WAIT_MS)
    page.get_by_role("button", name="开启测评（冻结房屋名册）").click()
    expect(page.locator(".messages")).to_contain_text("房屋名册已冻结", timeout=WAIT_MS)
    expect(page.locator("main")).to_contain_text("6 户")
    page.get_by_role("link", name="生成测评码并打印通知书").click()
    page.get_by_role("button", name="生成测评码并打印通知书").click()
    expect(page.locator(".toolbar")).to_contain_text("已为 6 户生成测评码", timeout=WAIT_MS)
    codes, url = {}, ""
    for letter in page.locator(".letter").all_inner_texts():
        codes[HOME.search(letter).group()] = CODE.search(letter).group()
        url = re.search(r"请用手机访问 (\S+?)，", letter).group(1)
    return codes, url


def owner_answers(owner, url: str, code: str, tail: str, cleaning: str, security: str) -> None:
    owner.goto(url)
    owner.locator("#id_code").fill(code)
    owner.locator("#id_phone_tail").fill(tail)
    owner.locator(f"input[name=q_cleaning][value='{cleaning}']").check()
    owner.locator(f"input[name=q_security][value='{security}']").check()
    owner.get_by_role("button", name="提交测评").click()
    expect(owner.locator(".outcome")).to_have_text("已记录您的测评答卷", timeout=WAIT_MS)


def key_paper(page, base: str, survey_pk: int, received: str) -> None:
    page.goto(f"{base}/admin/surveys/{survey_pk}/paper/")
    page.locator("#id_building").fill("2幢")
    page.locator("#id_entrance").fill("1")
    page.locator("#id_room").fill("301")
    page.locator("#id_received_at").fill(received)
    page.locator("input[name=q_cleaning][value='3']").check()
    page.locator("input[name=q_security][value='4']").check()
    page.get_by_role("button", name="保存录入").click()


def test_owners_and_the_committee_rate_the_firm_and_the_street_ranks_it(street, page) -> None:
    base = street
    codes, url = set_up_and_print(page, base)
    survey_pk = int(url.rstrip("/").rsplit("/", 1)[-1])

    # Owners answer on their phones; the owner of 1幢1单元201室 thinks again.
    owner = page.context.browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    phone = owner.new_page()
    owner_answers(phone, url, codes["1幢1单元101室"], OWNER_HOMES["1幢1单元101室"], "5", "5")
    owner_answers(phone, url, codes["1幢1单元201室"], OWNER_HOMES["1幢1单元201室"], "2", "3")
    owner_answers(phone, url, codes["1幢1单元201室"], OWNER_HOMES["1幢1单元201室"], "4", "4")
    owner_answers(phone, url, codes["2幢1单元101室"], OWNER_HOMES["2幢1单元101室"], "4", "5")
    # A wrong phone tail is refused in Chinese and records nothing.
    phone.goto(url)
    phone.locator("#id_code").fill(codes["2幢1单元201室"])
    phone.locator("#id_phone_tail").fill("9999")
    phone.locator("input[name=q_cleaning][value='1']").check()
    phone.locator("input[name=q_security][value='1']").check()
    phone.get_by_role("button", name="提交测评").click()
    expect(phone.locator(".errors")).to_contain_text("手机号后四位与业主名册登记的不一致")
    owner.close()

    # A paper questionnaire, keyed by two committee members.
    received = (timezone.localtime() - timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M")
    key_paper(page, base, survey_pk, received)
    expect(page.get_by_role("status")).to_contain_text("待另一位工作人员复核录入", timeout=WAIT_MS)
    second = signed_in(page, base, "committee_a1_second")
    key_paper(second, base, survey_pk, received)
    expect(second.get_by_role("status")).to_contain_text("两次录入一致，已计入", timeout=WAIT_MS)
    expect(second.locator("#answered")).to_have_text("4 户")
    second.context.close()
    assert SurveyAnswer.objects.filter(respondent__survey_id=survey_pk).count() == 5

    # The committee rates the firm against the standards it disclosed.
    page.goto(f"{base}/admin/evaluations/evaluations/")
    row = page.locator("tr", has_text="2026年下半年")
    row.get_by_role("link", name="评价").click()
    main = page.locator("main")
    expect(main).to_contain_text("保洁：楼道每日清扫一次，每周拖洗一次。")
    page.locator("input[name=item_0][value='5']").check()
    page.locator("input[name=item_1][value='4']").check()
    page.get_by_role("button", name="保存评价").click()
    expect(page.locator(".messages")).to_contain_text("已保存对", timeout=WAIT_MS)
    expect(page.locator("tr", has_text="2026年下半年")).to_contain_text("已评价")

    # The street office closes the period: scored, ranked, with the trend.
    street_page = signed_in(page, base, "street_office")
    street_page.goto(f"{base}/admin/evaluations/periods/")
    street_page.locator("tr", has_text="2026年下半年").get_by_role(
        "button", name="结束测评期并公布得分"
    ).click()
    expect(street_page.locator(".messages")).to_contain_text("得分和排名已公布", timeout=WAIT_MS)
    score = FirmScore.objects.get(period__title="2026年下半年", firm__name=FIRM)
    earlier = FirmScore.objects.get(period__title="2026年上半年", firm__name=FIRM)
    ranking = street_page.locator("#ranking")
    top = ranking.locator("tbody tr").first
    expect(top).to_contain_text(FIRM)
    expect(top).to_contain_text(f"{score.total} / 第 1 名 · 优质物业")
    expect(top).to_contain_text(f"↑ {score.total - earlier.total}")
    expect(ranking).to_contain_text(OTHER_FIRM)
    street_page.context.close()

    # The firm reads the figures behind its score.
    firm = signed_in(page, base, "firm_a1")
    firm.get_by_role("button", name="物业服务测评").click()
    firm.get_by_role("link", name="得分与排名").click()
    firm.locator("#ranking").get_by_role("link", name=str(score.total)).click()
    parts = firm.locator("#parts")
    expect(firm.locator("#total")).to_have_text(str(score.total))
    expect(parts).to_contain_text("共 6 户，4 户作答")
    expect(parts).to_contain_text("应收 10000.00 元，实收 9500.00 元，收缴率 95.00%")
    expect(parts).to_contain_text("服务投诉 1 件")
    expect(parts).to_contain_text("挂靠社区或小区联合建立")
    firm.context.close()
    # Another compound's firm sees the ranking, not the figures behind this score.
    other = signed_in(page, base, "firm_a2")
    assert other.goto(f"{base}/admin/evaluations/scores/{score.pk}/").status == 404
    other.context.close()

    # The public list of 优质物业.
    page.goto(f"{base}/excellent-firms/")
    expect(page.locator("main, body").first).to_contain_text(f"优质物业：{FIRM}")
    assert Evaluator.COMMITTEE in {e.evaluator for e in score.firm.evaluations.all()}
