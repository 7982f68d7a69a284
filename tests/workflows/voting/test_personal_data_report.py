"""A data subject's request: what is held about one phone, answered in Chinese and audited."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from content_types.accounts.models import AuditAction, AuditEvent
from content_types.cases.models import Case
from tests.content_types.cases.factories import file
from tests.content_types.committees.factories import CommitteeCandidateFactory
from workflows.voting.elections import cast_election_ballot, create_election
from workflows.voting.services import cast_online, issue_codes, open_vote

from .conftest import TAIL, A
from .factories import VoteFactory, codes_by_unit

pytestmark = pytest.mark.django_db

PHONE_A = "13800000001"  # owner 甲: 1幢1单元101室 and 102室


def report(*args: str) -> str:
    out = StringIO()
    call_command("personal_data_report", *args, stdout=out)
    return out.getvalue()


def test_it_lists_the_owners_units_rolls_and_ballots_without_the_choice(open_ballot, committee):
    cast_online(open_ballot.vote, open_ballot.codes[A], TAIL[A], "against", "10.0.0.1")
    CommitteeCandidateFactory(compound=open_ballot.vote.compound, name="甲")

    text = report("+86 138-0000-0001", "--operator", committee.username, "--name", "甲")

    assert "【房屋与业主名册】2 条" in text and "1幢1单元102室：业主甲" in text
    assert f"【表决业主名册】1 条\n  《{open_ballot.vote.title}》（表决中）" in text
    assert "【表决票（不列出表决意见）】1 条" in text and "网络投票" in text
    assert "反对" not in text
    assert "【业委会人选储备库】1 条" in text
    assert "1幢1单元201室" not in text  # another owner's home


def test_each_query_is_audited_by_digest_not_by_phone(roll, committee):
    report(PHONE_A, "--operator", committee.username)

    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_REQUEST)
    assert event.user == committee
    assert event.details["phone_digest"] == roll[0].owner_phone_digest
    assert PHONE_A not in json.dumps(event.details) + event.description


def test_an_unknown_operator_gets_nothing(roll):
    with pytest.raises(CommandError, match="没有用户名为“nobody”的在用账号"):
        report(PHONE_A, "--operator", "nobody")
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_REQUEST).exists()


def test_an_election_ballot_and_candidacy_are_listed_without_the_answers(compound, roll, committee):
    candidate = CommitteeCandidateFactory(compound=compound, name="甲", live=True)
    other = CommitteeCandidateFactory(compound=compound, name="乙候选", live=True)
    vote = VoteFactory.build(compound=compound, title="业委会选举")
    vote = open_vote(create_election(vote, [candidate, other], 1, committee), committee)
    codes = codes_by_unit(issue_codes(vote, committee))
    keys = [c.key for c in vote.election.candidates.all()]
    cast_election_ballot(vote, codes[A], TAIL[A], dict.fromkeys(keys, "against"), "10.0.0.1")

    text = report(PHONE_A, "--operator", committee.username, "--name", "甲")

    assert "【表决票（不列出表决意见）】1 条" in text and "《业委会选举》网络投票" in text
    assert "反对" not in text
    assert "【业委会选举候选人】1 条\n  《业委会选举》候选人甲（表决中）" in text


def test_the_cases_a_reporter_filed_are_listed_by_phone_and_by_name(roll, committee):
    compound = roll[0].compound
    by_phone = file(committee, compound, reporter_name="甲", reporter_phone="13800000001")
    by_name = file(committee, compound, title="电梯异响", reporter_name="甲", reporter_phone="")
    other = file(committee, compound, title="绿化带被占", reporter_name="乙")
    assert Case.objects.get(pk=by_phone.pk).reporter_phone_digest == roll[0].owner_phone_digest

    text = report(PHONE_A, "--operator", committee.username)
    assert "【诉求与事件（反映人）】1 条" in text
    assert f"{by_phone.number} {compound.title}：安全隐患“{by_phone.title}”（待受理）" in text
    assert "反映人甲，电话138****0001" in text

    text = report(PHONE_A, "--operator", committee.username, "--name", "甲")
    assert "【诉求与事件（反映人）】2 条" in text and by_name.number in text
    assert other.number not in text and "绿化带被占" not in text
