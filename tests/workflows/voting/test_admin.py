"""Vote management in the admin: scoped to the user's compounds, every URL of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content_types.roles.models import Role
from workflows.voting.models import Ballot, Objection, PaperEntry, Vote, VoteStatus, VotingCode
from workflows.voting.services import cast_online, close_vote, open_vote

from .conftest import TAIL, A, B, C, D, E
from .factories import CODE, VoteFactory, move_clock

pytestmark = pytest.mark.django_db


def admin_urls(vote: Vote) -> list[tuple[str, str]]:
    """Every vote-specific admin URL, with the method that acts on it."""
    pk = vote.pk
    return [
        ("get", reverse("voting_admin:detail", args=[pk])),
        ("get", reverse("voting_admin:edit", args=[pk])),
        ("post", reverse("voting_admin:edit", args=[pk])),
        ("post", reverse("voting_admin:open", args=[pk])),
        ("post", reverse("voting_admin:close", args=[pk])),
        ("post", reverse("voting_admin:finalise", args=[pk])),
        ("get", reverse("voting_admin:codes", args=[pk])),
        ("post", reverse("voting_admin:codes", args=[pk])),
        ("get", reverse("voting_admin:paper", args=[pk])),
        ("post", reverse("voting_admin:paper", args=[pk])),
        ("post", reverse("voting_admin:void", args=[pk, 1])),
        ("get", reverse("voting_admin:ballots", args=[pk])),
        ("post", reverse("voting_admin:objection", args=[pk])),
        ("post", reverse("voting_admin:answer", args=[pk, 1])),
    ]


def test_another_compounds_committee_gets_404_everywhere(
    client, open_ballot, other_committee, committee, committee2
):
    vote = open_ballot.vote
    PaperEntry.objects.create(
        elector=vote.electors.first(),
        choice="for",
        received_at=timezone.now(),
        entered_by=committee,
    )
    client.force_login(other_committee)

    for method, url in admin_urls(vote):
        response = getattr(client, method)(url, {"building": "1幢", "room": "101"})
        assert response.status_code == 404, (method, url)

    listing = client.get(reverse("voting_admin:index")).content.decode()
    assert vote.title not in listing
    assert VotingCode.objects.filter(revoked_at__isnull=False).count() == 0
    assert PaperEntry.objects.count() == 1 and not Objection.objects.exists()


@pytest.mark.parametrize(
    "role, scope, reaches, has_menu",
    [
        (Role.OWNERS_COMMITTEE, "compound_a1", True, True),
        (Role.COMMUNITY_OFFICE, "community_a", True, True),
        (Role.STREET_OFFICE, "street", True, True),
        (Role.COMMUNITY_OFFICE, "community_b", False, True),
        (Role.PROPERTY_FIRM, "compound_a1", False, False),
    ],
)
def test_the_offices_above_see_their_subtree_and_no_more(
    client, open_ballot, street_tree, role_user, role, scope, reaches, has_menu
):
    client.force_login(role_user(role, getattr(street_tree, scope)))

    response = client.get(reverse("voting_admin:detail", args=[open_ballot.vote.pk]))

    assert response.status_code == (200 if reaches else 404)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()  # the sidebar's JSON props
    assert (f'"{reverse("voting_admin:index")}"' in menu) is has_menu


def test_a_committee_creates_a_vote_only_for_its_own_compound(
    client, committee, compound, street_tree, roll
):
    client.force_login(committee)
    now = timezone.localtime()
    data = {
        "matter": "use_maintenance_fund",
        "title": "更换 1 幢电梯",
        "opens_at": (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
        "objection_days": 7,
        "buildings_text": "1幢，9幢",
    }
    url = reverse("voting_admin:create")

    foreign = client.post(url, {**data, "compound": street_tree.compound_a2.pk})
    unknown_building = client.post(url, {**data, "compound": compound.pk})
    backwards = client.post(
        url, {**data, "compound": compound.pk, "buildings_text": "", "closes_at": data["opens_at"]}
    )
    assert foreign.status_code == unknown_building.status_code == backwards.status_code == 200
    assert "选择一个有效的选项" in foreign.content.decode()
    assert "楼栋“9幢”在“锦绣花园”的房屋名册中不存在" in unknown_building.content.decode()
    assert "截止时间必须晚于开始时间" in backwards.content.decode()
    assert not Vote.objects.exists()

    created = client.post(url, {**data, "compound": compound.pk, "buildings_text": "1幢"})

    vote = Vote.objects.get()
    assert created.status_code == 302
    assert (vote.compound, vote.buildings, vote.status) == (compound, ["1幢"], VoteStatus.DRAFT)
    assert vote.created_by == committee


def test_open_then_print_letters_with_codes_shown_once(client, committee, compound, roll):
    vote = VoteFactory(compound=compound)
    client.force_login(committee)

    client.post(reverse("voting_admin:open", args=[vote.pk]))
    letters = client.post(reverse("voting_admin:codes", args=[vote.pk]), {})

    vote.refresh_from_db()
    assert vote.status == VoteStatus.OPEN
    html = letters.content.decode()
    codes = CODE.findall(html)
    assert len(codes) == 5 == html.count('class="letter"')  # one letter per owner
    assert "1幢1单元101室、1幢1单元102室" in html  # owner A's letter names both homes
    assert "no-store" in letters["Cache-Control"]
    stored = set(VotingCode.objects.values_list("digest", flat=True))
    assert not any(
        code in digest or code.replace("-", "") in digest for code in codes for digest in stored
    )
    assert not CODE.search(
        client.get(reverse("voting_admin:detail", args=[vote.pk])).content.decode()
    )

    client.post(reverse("voting_admin:codes", args=[vote.pk]), {})
    assert VotingCode.objects.filter(revoked_at__isnull=True).count() == 5
    assert VotingCode.objects.filter(revoked_at__isnull=False).count() == 5


def test_a_draft_can_be_edited_and_an_open_vote_cannot(client, committee, compound, roll):
    vote = VoteFactory(compound=compound)
    client.force_login(committee)
    edit = reverse("voting_admin:edit", args=[vote.pk])
    assert client.get(edit).status_code == 200

    open_vote(vote, committee)

    assert client.get(edit).status_code == 404


def test_paper_ballots_are_double_entered_through_the_admin(
    client, open_ballot, committee, committee2
):
    url = reverse("voting_admin:paper", args=[open_ballot.vote.pk])
    received = (timezone.localtime() - timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M")
    sheet = {
        "building": "2幢",
        "entrance": "1",
        "room": "101",
        "choice": "for",
        "received_at": received,
    }

    client.force_login(committee)
    first = client.post(url, sheet, follow=True)
    client.force_login(committee2)
    mismatch = client.post(url, {**sheet, "choice": "against"})
    matched = client.post(url, sheet, follow=True)

    assert "请由另一位工作人员复核录入" in first.content.decode()
    assert mismatch.status_code == 400 and "不一致（表决意见）" in mismatch.content.decode()
    assert "两次录入一致" in matched.content.decode()
    assert Ballot.objects.get().choice == "for"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_vote_list_and_the_ballot_trail_take_constant_queries(
    client, open_ballot, committee, compound
):

    client.force_login(committee)
    index = reverse("voting_admin:index")
    trail = reverse("voting_admin:ballots", args=[open_ballot.vote.pk])
    cast_online(open_ballot.vote, open_ballot.codes[A], TAIL[A], "for", "10.0.0.1")
    few = (_queries(client, index), _queries(client, trail))

    for _ in range(3):
        VoteFactory(compound=compound)
    for owner in (A, B, C, D, E):
        cast_online(open_ballot.vote, open_ballot.codes[owner], TAIL[owner], "against", "10.0.0.1")

    assert (_queries(client, index), _queries(client, trail)) == few
    assert "已被" in client.get(trail).content.decode()  # A's first ballot shows as replaced


def test_the_ballot_trail_shows_no_choice_until_the_vote_is_counted(client, open_ballot, committee):
    client.force_login(committee)
    cast_online(open_ballot.vote, open_ballot.codes[A], TAIL[A], "against", "10.0.0.1")
    trail = reverse("voting_admin:ballots", args=[open_ballot.vote.pk])

    while_open = client.get(trail).content.decode()
    assert "截止后显示" in while_open and "反对" not in while_open

    close_vote(move_clock(open_ballot.vote, closes=-1), committee)
    assert "反对" in client.get(trail).content.decode()
