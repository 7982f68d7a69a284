"""A committee election in real Chromium: seven vetted candidates for five seats.

The owners' committee of 锦绣花园 sets the election up under 业主大会表决 (candidates ticked
from the vetted pool, five seats), opens it and prints the letters. Three of the five owners
vote online, each answering every candidate; the committee watches the per-building progress,
prints the list of 2幢's owners still to ask, and enters the paper ballot collected at the
door twice, by two of its members. Participation crosses two-thirds of heads and area. After
the close and the objection window the public result shows each candidate's figures by head
and by area against the participants, the five elected, and the new term's committee waits as
a draft for its review.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Site

from content_types.roles.models import Role
from tests.content_types.committees.factories import CommitteeCandidateFactory
from tests.workflows.chains.factories import OWNER_HOMES, roll_units
from tests.workflows.voting.factories import CODE, move_clock
from workflows.voting.models import Vote, VoteStatus

from .admin_session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000
PASSWORD = "weizhi-test"  # UserFactory's
HOME = re.compile(r"\d+幢\d+单元\d+室")
TITLE = "锦绣花园第三届业主委员会选举"
CANDIDATES = ("周建国", "吴秀英", "郑志强", "王丽华", "冯伟", "陈敏", "褚海燕")
CHOICE_INDEX = {"同意": 0, "反对": 1, "弃权": 2}
# Each home's answers on the seven candidates, in ballot order.
ONLINE = {
    "1幢1单元101室": ("同意", "同意", "同意", "反对", "同意", "同意", "反对"),  # A, 150 m²
    "1幢1单元201室": ("同意", "同意", "反对", "同意", "同意", "反对", "反对"),  # B, 80 m²
    "2幢1单元101室": ("同意", "同意", "同意", "同意", "反对", "同意", "弃权"),  # C, 120 m²
}
PAPER_HOME = ("2幢", "1", "201")  # D, 90 m², collected at the door
PAPER = ("同意", "弃权", "同意", "同意", "同意", "反对", "同意")
# Who is elected, in seat order, and (for, against, abstain) as (heads, area) per candidate.
ELECTED = ("周建国", "郑志强", "吴秀英", "冯伟", "王丽华")
FIGURES = {
    "周建国": (("4", "440.00"), ("0", "0.00"), ("0", "0.00")),
    "郑志强": (("3", "360.00"), ("1", "80.00"), ("0", "0.00")),
    "吴秀英": (("3", "350.00"), ("0", "0.00"), ("1", "90.00")),
    "冯伟": (("3", "320.00"), ("1", "120.00"), ("0", "0.00")),
    "王丽华": (("3", "290.00"), ("1", "150.00"), ("0", "0.00")),
    # More than half the area (270 of 440) but not more than half the owners (2 of 4).
    "陈敏": (("2", "270.00"), ("2", "170.00"), ("0", "0.00")),
    "褚海燕": (("1", "90.00"), ("2", "230.00"), ("1", "120.00")),
}


@pytest.fixture
def election_site(live_server, street_tree, role_user):
    compound = street_tree.compound_a1
    roll_units(compound)
    for name in CANDIDATES:
        CommitteeCandidateFactory(compound=compound, name=name, live=True)
    CommitteeCandidateFactory(compound=compound, name="蒋国庆")  # still in vetting
    chair = role_user(Role.OWNERS_COMMITTEE, compound, username="chair_a1")
    member = role_user(Role.OWNERS_COMMITTEE, compound, username="member_a1")
    base = live_server.url
    Site.objects.create(
        hostname=urlsplit(base).hostname,
        port=urlsplit(base).port,
        root_page=street_tree.street,
        is_default_site=True,
        site_name="百官街道",
    )
    Site.clear_site_root_paths_cache()
    yield base, chair, member
    Site.clear_site_root_paths_cache()


def minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def set_up(page, base: str) -> Vote:
    """The committee sets the election up, trying once with a candidate still in vetting."""
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="业主大会表决").click()
    page.get_by_role("link", name="新建业委会选举").click()
    page.locator("#id_compound").select_option(label="锦绣花园")
    page.locator("#id_title").fill(TITLE)
    now = timezone.now()
    page.locator("#id_opens_at").fill(minute(now - timedelta(minutes=2)))
    page.locator("#id_closes_at").fill(minute(now + timedelta(days=10)))
    for name in (*CANDIDATES, "蒋国庆"):
        page.get_by_label(f"{name}（锦绣花园，").check()
    page.locator("#id_seats").fill("5")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text(
        "候选人“蒋国庆”尚未通过业委会人选考察", timeout=WAIT_MS
    )
    assert not Vote.objects.exists()
    page.get_by_label("蒋国庆（锦绣花园，").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(f"已保存选举“{TITLE}”", timeout=WAIT_MS)
    expect(page.locator("main")).to_contain_text("应选 5 名")
    return Vote.objects.get(title=TITLE)


def open_and_print(page) -> tuple[dict[str, str], str]:
    page.get_by_role("button", name="开启表决（冻结业主名册）").click()
    expect(page.locator(".messages")).to_contain_text("表决已开启", timeout=WAIT_MS)
    page.get_by_role("link", name="生成表决码 / 打印通知书").click()
    page.get_by_role("button", name="生成表决码并打印通知书").click()
    expect(page.locator(".toolbar")).to_contain_text("已为 5 位业主生成表决码", timeout=WAIT_MS)
    codes, vote_url = {}, ""
    for letter in page.locator(".letter").all_inner_texts():
        code = CODE.search(letter).group()
        codes.update(dict.fromkeys(HOME.findall(letter), code))
        vote_url = re.search(r"请用手机访问 (\S+?)，", letter).group(1)
    return codes, vote_url


def answer(page, keys: list[str], choices: tuple[str, ...]) -> None:
    for key, choice in zip(keys, choices, strict=True):
        page.locator(f"#id_candidate_{key}_{CHOICE_INDEX[choice]}").check()


def progress(page, base: str, vote: Vote) -> None:
    page.goto(f"{base}/admin/voting/{vote.pk}/")
    page.get_by_role("link", name="查看分楼栋进度和未表决业主").click()
    expect(page.locator("main")).to_contain_text("分楼栋", timeout=WAIT_MS)


def test_the_committee_elects_five_of_seven_candidates(election_site, page) -> None:
    base, chair, member = election_site
    sign_in(page, base, chair.username, PASSWORD)
    vote = set_up(page, base)
    by_name = {c.name: c.key for c in vote.election.candidates.all()}
    assert set(by_name) == set(CANDIDATES)
    keys = [by_name[name] for name in CANDIDATES]
    codes, vote_url = open_and_print(page)

    # Three owners vote online, each on every candidate; B changes their mind once.
    owner = page.context.browser.new_context(locale="zh-CN")
    try:
        owner_page = owner.new_page()
        for home, choices in (("1幢1单元201室", ("反对",) * 7), *ONLINE.items()):
            owner_page.goto(vote_url)
            expect(owner_page.locator("body")).to_contain_text("应选 5 名", timeout=WAIT_MS)
            owner_page.locator("#id_code").fill(codes[home])
            owner_page.locator("#id_phone_tail").fill(OWNER_HOMES[home])
            answer(owner_page, keys, choices)
            owner_page.get_by_role("button", name="提交表决意见").click()
            done = owner_page.locator(".answers")
            expect(done).to_contain_text(f"{CANDIDATES[2]}：{choices[2]}", timeout=WAIT_MS)
    finally:
        owner.close()

    # The committee watches the progress per building: 2幢 is behind, heads are short.
    progress(page, base, vote)
    overall = page.locator("main section").first
    expect(overall).to_contain_text("还差 1 位业主")
    row = page.locator("tr", has=page.get_by_text("2幢", exact=True))
    expect(row).to_contain_text("1 / 3")
    # It prints 2幢's owners still to ask, for the door-to-door round.
    href = row.get_by_role("link", name="打印名单").get_attribute("href")
    printed = page.context.new_page()
    printed.goto(f"{base}{href}")
    sheet = printed.locator("body")
    expect(sheet).to_contain_text("2幢1单元201室", timeout=WAIT_MS)
    expect(sheet).to_contain_text("2幢1单元301室")
    expect(sheet).not_to_contain_text("2幢1单元101室")
    printed.close()

    # D's paper ballot is keyed by the chair, then checked by a second member.
    received = minute(timezone.now() - timedelta(minutes=1))
    for user in (chair, member):
        keyer = page if user is chair else page.context.browser.new_context(locale="zh-CN")
        keyer_page = keyer if user is chair else keyer.new_page()
        if user is member:
            sign_in(keyer_page, base, member.username, PASSWORD)
        keyer_page.goto(f"{base}/admin/voting/{vote.pk}/paper/")
        building, entrance, room = PAPER_HOME
        keyer_page.locator("#id_building").fill(building)
        keyer_page.locator("#id_entrance").fill(entrance)
        keyer_page.locator("#id_room").fill(room)
        answer(keyer_page, keys, PAPER)
        keyer_page.locator("#id_received_at").fill(received)
        keyer_page.get_by_role("button", name="保存录入").click()
        expected = "请由另一位工作人员复核录入" if user is chair else "两次录入一致"
        expect(keyer_page.locator(".messages")).to_contain_text(expected, timeout=WAIT_MS)
        if user is member:
            keyer.close()

    # Participation has crossed two-thirds of heads and of area.
    progress(page, base, vote)
    expect(page.locator("main")).to_contain_text("已达到三分之二以上", timeout=WAIT_MS)
    expect(page.locator("tr", has=page.get_by_text("2幢", exact=True))).to_contain_text("2 / 3")

    # The vote closes; the committee counts, and confirms once the objection window is over.
    move_clock(vote, closes=-1)
    page.goto(f"{base}/admin/voting/{vote.pk}/")
    page.get_by_role("button", name="截止计票").click()
    expect(page.locator(".messages")).to_contain_text("初步结果已公布", timeout=WAIT_MS)
    move_clock(Vote.objects.get(pk=vote.pk), deadline=-1)
    page.reload()
    page.get_by_role("button", name="确认最终结果").click()
    expect(page.locator(".messages")).to_contain_text("最终结果已确认并公布", timeout=WAIT_MS)
    vote = Vote.objects.get(pk=vote.pk)
    assert vote.status == VoteStatus.FINAL
    main = page.locator("main")
    expect(main).to_contain_text("新一届业委会")
    expect(main).to_contain_text("经审核发布后生效")

    # Anyone reads the result: both measures per candidate, who is elected.
    visitor = page.context.browser.new_context(locale="zh-CN")
    try:
        reader = visitor.new_page()
        reader.goto(vote_url)
        reader.get_by_role("link", name="查看表决结果").click()
        body = reader.locator("body")
        expect(body).to_contain_text("最终结果", timeout=WAIT_MS)
        expect(body).to_contain_text("当选：" + "、".join(ELECTED))
        participation = reader.locator("table.participation")
        took_part = participation.locator("tr", has=reader.get_by_text("参与表决", exact=True))
        expect(took_part.locator("td")).to_have_text(["参与表决", "4", "440.00"])
        expect(participation).to_contain_text("参与表决的专有部分面积占比88.00%")
        rows = reader.locator("table.candidates tr.candidate")
        expect(rows.locator("td:first-child")).to_have_text([*ELECTED, "陈敏", "褚海燕"])
        for name, figures in FIGURES.items():
            cells = reader.locator("tr.candidate", has=reader.get_by_text(name, exact=True))
            flat = [value for pair in figures for value in pair]
            for index, value in enumerate(flat, start=1):
                expect(cells.locator("td").nth(index)).to_have_text(value)
            verdict = "当选" if name in ELECTED else "未获通过"
            expect(cells.locator("td.verdict")).to_have_text(verdict)
        expect(body).to_contain_text("异议")
    finally:
        visitor.close()
    committee = vote.election.committee
    assert committee is not None and not committee.live
    assert [m.name for m in committee.members.all()] == list(ELECTED)
