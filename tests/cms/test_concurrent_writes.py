"""Bursts of writes through a real server, on whatever database DATABASE_URL names.

阳光水岸 holds a vote of its 160 owners. Sixteen at a time, each owner opens the voting page
on their own phone and votes with their own code, through gunicorn with two workers and DEBUG
off; meanwhile the community's editors save drafts of their compound pages in the admin.
Every owner must see their ballot recorded and every ballot must be counted; every editor's
save must go through. On SQLite's defaults a transaction that read before it wrote was
refused with "database is locked": the owner got a server error and the ballot was lost. On
PostgreSQL two saves at once could deadlock in the search index, and one editor's draft was
lost to a server error. The code-guess throttle counts wrong attempts only, so owners voting
from one address with their own codes are not held back by it.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

import pytest
import requests
from wagtail.models import Page

from content_types.roles.models import Role
from content_types.units.models import Unit
from tests.content_types.structure.factories import CompoundPageFactory
from tests.content_types.units.factories import UnitFactory
from tests.web_server import Server, gunicorn_server
from tests.workflows.chains.admin_actions import page_form_data
from tests.workflows.voting.factories import VoteFactory
from workflows.voting.models import Ballot
from workflows.voting.selectors import count_votes
from workflows.voting.services import issue_codes, open_vote

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = [pytest.mark.smoke, pytest.mark.django_db(transaction=True)]

OWNERS = 160
AT_ONCE = 16
EDITORS = 8
SAVES_EACH = 5
PASSWORD = "weizhi-test"  # UserFactory's
CHOICES = ("for", "against", "abstain")
RECORDED = "已记录您的表决意见"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVER_ERROR = re.compile(r"^[\w.]+(?:Error|Detected): .+$", re.MULTILINE)


@pytest.fixture
def server(tmp_path, transactional_db) -> Server:
    with gunicorn_server(tmp_path / "gunicorn.log") as running:
        yield running


@pytest.fixture
def ballot_box(street_tree, role_user):
    """An open vote of 阳光水岸's 160 owners (one unit and phone each), and their codes."""
    compound = street_tree.compound_a2
    Unit.objects.bulk_create(
        UnitFactory.build(
            compound=compound,
            building=f"{n // 20 + 1}幢",
            room=f"{n % 20 + 101}",
            exclusive_area=Decimal("90.00"),
            owner_phone=f"139{n:08d}",
        )
        for n in range(OWNERS)
    )
    committee = role_user(Role.OWNERS_COMMITTEE, compound, "committee_a2")
    vote = open_vote(VoteFactory(compound=compound), committee)
    phones = dict(Unit.objects.filter(compound=compound).values_list("pk", "owner_phone"))
    owners = [
        (item.code, phones[item.elector.units.all()[0].unit_id][-4:])
        for item in issue_codes(vote, committee)
    ]
    return vote, owners


@pytest.fixture
def editors(street_tree, role_user) -> list[tuple[str, Page]]:
    """The community office's editors of 凤鸣社区, each with a compound page of their own."""
    community = street_tree.community_a
    return [
        (
            role_user(Role.COMMUNITY_OFFICE, community, f"editor_{n}").username,
            CompoundPageFactory(parent=community, title=f"凤鸣{n}号小区", slug=f"fengming-{n}"),
        )
        for n in range(EDITORS)
    ]


def _csrf_token(response: requests.Response) -> str:
    return CSRF_FIELD.search(response.text).group(1)


def vote_as_owner(base: str, vote_id: int, code: str, tail: str, choice: str) -> list[str]:
    """Open the voting page on a phone of one's own and vote; what went wrong, if anything."""
    with requests.Session() as phone:
        url = f"{base}/vote/{vote_id}/"
        page = phone.get(url, timeout=30)
        if page.status_code != 200:
            return [f"voting page for {code}: {page.status_code}"]
        data = {
            "csrfmiddlewaretoken": _csrf_token(page),
            "code": code,
            "phone_tail": tail,
            "choice": choice,
        }
        answer = phone.post(url, data=data, timeout=30)
        if answer.status_code != 200 or RECORDED not in answer.text:
            return [f"ballot of {code}: {answer.status_code}"]
    return []


def save_drafts_as_editor(base: str, username: str, page: Page) -> list[str]:
    """Sign in to the admin and save ``SAVES_EACH`` drafts of ``page``; what went wrong."""
    problems = []
    with requests.Session() as browser:
        login_url = f"{base}/admin/login/"
        form = browser.get(login_url, timeout=30)
        signed_in = browser.post(
            login_url,
            data={
                "csrfmiddlewaretoken": _csrf_token(form),
                "username": username,
                "password": PASSWORD,
            },
            allow_redirects=False,
            timeout=30,
        )
        if signed_in.status_code != 302:
            return [f"login {username}: {signed_in.status_code}"]
        edit_url = f"{base}/admin/pages/{page.pk}/edit/"
        for n in range(SAVES_EACH):
            data = page_form_data(page, title=f"{page.title}（第{n + 1}稿）")
            data["csrfmiddlewaretoken"] = browser.cookies["csrftoken"]
            saved = browser.post(edit_url, data=data, allow_redirects=False, timeout=30)
            if saved.status_code != 302:
                problems.append(f"draft {n + 1} of {username}: {saved.status_code}")
    return problems


def test_a_burst_of_ballots_and_admin_saves_is_all_recorded(server, ballot_box, editors) -> None:
    vote, owners = ballot_box
    chosen = [CHOICES[n % 3] for n in range(len(owners))]
    revisions_before = {page.pk: page.revisions.count() for _, page in editors}
    jobs: list[Callable[[], list[str]]] = [
        partial(vote_as_owner, server.url, vote.pk, code, tail, choice)
        for (code, tail), choice in zip(owners, chosen, strict=True)
    ]
    # The editors start among the first owners, so that their saves meet the ballots.
    for n, (username, page) in enumerate(editors):
        jobs.insert(n * 2, partial(save_drafts_as_editor, server.url, username, page))

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        problems = [problem for found in pool.map(lambda job: job(), jobs) for problem in found]

    errors = sorted(set(SERVER_ERROR.findall(server.log_text())))
    assert problems == [], f"{len(problems)} failed, e.g. {problems[:3]}; the server: {errors}"
    assert Ballot.objects.filter(elector__vote=vote).count() == OWNERS
    counts = count_votes(vote)
    assert counts.participating.heads == OWNERS
    assert [counts.for_.heads, counts.against.heads, counts.abstain.heads] == [
        chosen.count(choice) for choice in CHOICES
    ]
    for username, page in editors:
        assert page.revisions.count() - revisions_before[page.pk] == SAVES_EACH, username
        latest = Page.objects.get(pk=page.pk).get_latest_revision_as_object()
        assert latest.title == f"{page.title}（第{SAVES_EACH}稿）"
