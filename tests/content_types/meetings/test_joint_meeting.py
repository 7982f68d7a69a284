"""Joint meetings: the three parties must attend; the listing costs a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from content_types.meetings.models import JointMeeting
from content_types.roles.models import Role

pytestmark = pytest.mark.django_db


def meeting_form(compound, **fields) -> dict:
    return {
        "compound": compound.pk,
        "date": "2025-03-18",
        "community_attendees": "张书记（凤鸣社区党委书记）",
        "committee_attendees": "李主任（业委会主任）",
        "firm_attendees": "王经理（项目经理）",
        "agenda": "二号楼电梯更新使用维修资金",
        "minutes": "三方逐项讨论了报价。",
        "decisions": "同意提交业主大会表决。",
        **fields,
    }


def test_the_owners_committee_records_a_meeting_of_its_compound(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))

    response = client.post(
        reverse(JointMeeting.snippet_viewset.get_url_name("add")),
        meeting_form(street_tree.compound_a1),
    )

    assert response.status_code == 302
    meeting = JointMeeting.objects.get()
    assert meeting.compound_id == street_tree.compound_a1.pk
    assert meeting.date == datetime.date(2025, 3, 18)
    assert meeting.revisions.count() == 1
    assert str(meeting) == "锦绣花园 三方联席会议（2025-03-18）"


def test_a_meeting_without_the_property_firm_is_refused_in_chinese(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))

    response = client.post(
        reverse(JointMeeting.snippet_viewset.get_url_name("add")),
        meeting_form(street_tree.compound_a1, firm_attendees="  "),
    )

    assert response.status_code == 200
    assert "三方联席会议须有物业服务企业方人员出席" in response.text
    assert not JointMeeting.objects.exists()


def test_the_listing_filters_by_date(street_tree, role_user, client):
    for day in (1, 20):
        JointMeeting.objects.create(
            compound=street_tree.compound_a1,
            date=datetime.date(2025, 3, day),
            community_attendees="甲",
            committee_attendees="乙",
            firm_attendees="丙",
            agenda=f"三月{day}日议题",
        )
    client.force_login(role_user(Role.COMMISSIONER, street_tree.compound_a1))

    response = client.get(
        reverse(JointMeeting.snippet_viewset.get_url_name("list")), {"date_from": "2025-03-10"}
    )

    assert "三月20日议题" in response.text and "三月1日议题" not in response.text


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_listing_takes_a_fixed_number_of_queries(
    rows, street_tree, role_user, client, django_assert_num_queries
):
    JointMeeting.objects.bulk_create(
        JointMeeting(
            compound=street_tree.compound_a1,
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 300),
            community_attendees="甲",
            committee_attendees="乙",
            firm_attendees="丙",
            agenda=f"议题{index}",
        )
        for index in range(rows)
    )
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    url = reverse(JointMeeting.snippet_viewset.get_url_name("list"))

    with django_assert_num_queries(14):
        response = client.get(url)

    assert response.status_code == 200
    assert len(set(re.findall(r"议题\d+", response.text))) == min(rows, 20)  # one page of 20
