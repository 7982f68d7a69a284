"""An election of 锦绣花园's next committee cannot open while the outgoing committee's 换届审计
has open findings; the street office may let it open with a reason, which is logged; a community
office may not. Closing the findings lets it open too. Other votes are not held back.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from content_types.audits.models import Audit, AuditKind, FindingStatus
from content_types.roles.models import CompoundScopedLogEntry, Role
from tests.content_types.audits.factories import AuditFactory, AuditFindingFactory
from tests.content_types.committees.factories import (
    CommitteeCandidateFactory,
    OwnersCommitteeFactory,
)
from workflows.voting.elections import create_election
from workflows.voting.models import Vote, VoteStatus
from workflows.voting.services import VotingError, open_vote

from .factories import VoteFactory

pytestmark = pytest.mark.django_db

REFUSAL = "的换届审计（SJ-A{:05d}）尚有 2 项问题未整改销号，不能开启新一届业委会选举表决"
REASON = "两项问题的整改资金已落实到位，移交新一届业委会限期整改，不影响换届选举。"


@pytest.fixture
def audit(compound):
    outgoing = OwnersCommitteeFactory(
        compound=compound,
        term_start=timezone.localdate() - datetime.timedelta(days=1800),
        term_end=timezone.localdate() + datetime.timedelta(days=20),
    )
    audit = AuditFactory(committee=outgoing)
    AuditFindingFactory(audit=audit, title="维修资金使用未经业主大会表决")
    AuditFindingFactory(audit=audit, title="共有收益未按时公开")
    return audit


@pytest.fixture
def election(compound, roll, committee):
    candidates = [
        CommitteeCandidateFactory(compound=compound, name=name, live=True)
        for name in ("甲候选", "乙候选")
    ]
    vote = VoteFactory.build(compound=compound, title="第三届业主委员会选举")
    return create_election(vote, candidates, 1, committee)


def override_url(audit: Audit) -> str:
    return reverse(Audit.snippet_viewset.get_url_name("election_override"), args=[audit.pk])


def test_the_election_is_refused_until_the_street_office_overrides_with_a_logged_reason(
    audit, election, committee, street_tree, role_user, client
):
    with pytest.raises(VotingError) as refused:
        open_vote(election, committee)
    assert REFUSAL.format(audit.pk) in str(refused.value)
    assert "街道微治办说明理由准许" in str(refused.value)
    held = Vote.objects.get(pk=election.pk)
    assert held.status == VoteStatus.DRAFT and not held.electors.exists()

    # The organisers' own page says why, in Chinese, and opens nothing.
    client.force_login(committee)
    response = client.post(reverse("voting_admin:open", args=[election.pk]), follow=True)
    assert "尚有 2 项问题未整改销号" in response.content.decode()
    assert Vote.objects.get(pk=election.pk).status == VoteStatus.DRAFT

    # The community office runs the audit but may not wave the election through.
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    for response in (
        client.get(override_url(audit)),
        client.post(override_url(audit), {"reason": REASON}),
    ):  # Wagtail's "no permission": back to the dashboard
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert Audit.objects.get(pk=audit.pk).election_override_at is None

    street = role_user(Role.STREET_OFFICE, street_tree.street)
    client.force_login(street)
    editor = client.get(reverse(Audit.snippet_viewset.get_url_name("edit"), args=[audit.pk]))
    assert "准许开启换届选举" in editor.content.decode()
    page = client.get(override_url(audit)).content.decode()
    assert "维修资金使用未经业主大会表决" in page
    short = client.post(override_url(audit), {"reason": "同意"})
    assert "请写明准许的理由（至少 10 个字）" in short.content.decode()
    assert Audit.objects.get(pk=audit.pk).election_override_at is None
    assert client.post(override_url(audit), {"reason": REASON}).status_code == 302

    overridden = Audit.objects.get(pk=audit.pk)
    assert overridden.election_override_by == street
    assert overridden.election_override_reason == REASON
    entry = CompoundScopedLogEntry.objects.get(
        object_id=str(audit.pk), action="audits.election_override"
    )
    assert entry.user == street and entry.data["reason"] == REASON
    assert entry.compound_id == audit.compound_id

    opened = open_vote(election, committee)
    assert opened.status == VoteStatus.OPEN
    log = ModelLogEntry.objects.filter(object_id=str(election.pk), action="voting.open").get()
    assert log.data["override_reason"] == REASON and log.data["audit"] == audit.number


def test_closing_every_finding_lets_the_election_open_and_other_votes_are_never_held(
    audit, election, committee, compound
):
    ordinary = open_vote(VoteFactory(compound=compound), committee)
    assert ordinary.status == VoteStatus.OPEN

    first, second = audit.findings.order_by("pk")
    first.status, first.closed_on, first.closure_note = (
        FindingStatus.CLOSED,
        timezone.localdate(),
        "已经业主大会补充表决。",
    )
    first.save()
    with pytest.raises(VotingError, match="尚有 1 项问题未整改销号"):
        open_vote(election, committee)

    second.status, second.closed_on, second.closure_note = (
        FindingStatus.CLOSED,
        timezone.localdate(),
        "已补充公开。",
    )
    second.save()
    assert open_vote(election, committee).status == VoteStatus.OPEN


def test_a_rotation_audits_findings_do_not_hold_the_election(compound, election, committee):
    current = OwnersCommitteeFactory(compound=compound)
    rotation = AuditFactory(committee=current, kind=AuditKind.ROTATION)
    AuditFindingFactory(audit=rotation)
    assert open_vote(election, committee).status == VoteStatus.OPEN
