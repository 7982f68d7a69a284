"""Expenditure proposals and their usage reports: content, placement and what the public sees."""

from decimal import Decimal

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content_types.expenditures.models import ExpenditureProposalPage, UsageReportPage
from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from core.civil_code import Matter
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    ProposalQuoteFactory,
    UsageInvoiceFactory,
    UsagePhotoFactory,
    UsageReportPageFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(response) -> None:
    assert response.redirect_chain == [("/admin/", 302)]
    assert "你没有权限访问" in response.text


def test_a_proposal_and_its_usage_report_save_and_publish(street_tree):
    proposal = ExpenditureProposalPageFactory(parent=street_tree.compound_a1, live=False)
    proposal.save_revision().publish()
    report = UsageReportPageFactory(
        parent=proposal,
        live=False,
        invoices=[UsageInvoiceFactory.build()],
        photos=[UsagePhotoFactory.build()],
    )
    report.save_revision().publish()

    proposal.refresh_from_db()
    report.refresh_from_db()
    assert proposal.live and report.live
    assert proposal.quotes.get().document.title == "报价单"
    assert (report.invoices.count(), report.photos.count()) == (1, 1)


def test_the_matter_choices_are_the_civil_code_matters_in_its_own_words():
    choices = dict(ExpenditureProposalPage._meta.get_field("matter").choices)

    assert list(choices) == [matter.value for matter in Matter]
    assert choices[Matter.USE_MAINTENANCE_FUND] == "使用建筑物及其附属设施的维修资金"


def test_a_special_matter_shows_its_three_quarters_rule_publicly(street_tree, public_site, client):
    proposal = ExpenditureProposalPageFactory(
        parent=street_tree.compound_a1, matter=Matter.COMMON_PARTS_USE
    )

    text = client.get(proposal.relative_url(public_site)).text

    assert "第8项：改变共有部分的用途或者利用共有部分从事经营活动" in text
    assert "均四分之三以上同意" in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": Decimal("0.00")}, "amount", "申请金额须大于 0 元。"),
        ({"amount": Decimal("-100.00")}, "amount", "申请金额须大于 0 元。"),
        ({"matter": "buy_a_boat"}, "matter", "值 'buy_a_boat' 不是有效选项。"),
        ({"fund_source": "lottery"}, "fund_source", "值 'lottery' 不是有效选项。"),
    ],
)
def test_an_invalid_proposal_is_refused_in_chinese(street_tree, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        ExpenditureProposalPageFactory(parent=street_tree.compound_a1, **changes)

    assert refused.value.message_dict[field] == [message]
    assert not ExpenditureProposalPage.objects.exists()


def test_a_negative_quote_is_refused(street_tree):
    with pytest.raises(ValidationError) as refused:
        ExpenditureProposalPageFactory(
            parent=street_tree.compound_a1,
            quotes=[ProposalQuoteFactory.build(amount=Decimal("-49800.00"))],
        )

    assert refused.value.messages == ["报价第 1 行：“报价金额（元）”不能为负数。"]
    assert not ExpenditureProposalPage.objects.exists()


def test_a_negative_amount_spent_is_refused(street_tree):
    proposal = ExpenditureProposalPageFactory(parent=street_tree.compound_a1)

    with pytest.raises(ValidationError) as refused:
        UsageReportPageFactory(parent=proposal, amount_spent=Decimal("-0.01"))

    assert refused.value.message_dict["amount_spent"] == ["不能为负数。"]
    assert not UsageReportPage.objects.exists()


def test_each_page_type_goes_only_where_it_belongs(street_tree):
    proposal = ExpenditureProposalPageFactory(parent=street_tree.compound_a1)

    assert ExpenditureProposalPage.can_create_at(street_tree.compound_a1)
    assert not ExpenditureProposalPage.can_create_at(street_tree.community_a)
    assert not ExpenditureProposalPage.can_create_at(proposal)
    assert UsageReportPage.can_create_at(proposal)
    assert not UsageReportPage.can_create_at(street_tree.compound_a1)
    assert not NoticePage.can_create_at(proposal)
    assert proposal.specific_class.allowed_subpage_models() == [UsageReportPage]


def test_a_usage_report_cannot_be_added_outside_a_proposal_even_by_a_superuser(
    street_tree, admin_client
):
    response = admin_client.get(
        f"/admin/pages/add/expenditures/usagereportpage/{street_tree.compound_a1.pk}/",
        follow=True,
    )

    assert_refused(response)


def test_a_compound_editor_drafts_a_proposal_with_a_quote(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    quote = wagtail_factories.DocumentFactory(title="某电梯公司报价单")
    form = nested_form_data(
        {
            "title": "3幢电梯维修",
            "slug": "lift-repair",
            "purpose": "更换3幢两部电梯的曳引钢丝绳。",
            "amount": "50000.00",
            "fund_source": "maintenance_fund",
            "matter": Matter.USE_MAINTENANCE_FUND.value,
            "usage_report_due": "2024-12-31",
            "quotes": inline_formset(
                [{"supplier": "某电梯公司", "amount": "49800.00", "document": str(quote.pk)}]
            ),
        }
    )
    url = f"/admin/pages/add/expenditures/expenditureproposalpage/{street_tree.compound_a1.pk}/"

    response = client.post(url, form)
    other = client.post(
        f"/admin/pages/add/expenditures/expenditureproposalpage/{street_tree.compound_b1.pk}/",
        form,
        follow=True,
    )

    assert response.status_code == 302
    proposal = ExpenditureProposalPage.objects.get()
    assert proposal.get_parent().pk == street_tree.compound_a1.pk and not proposal.live
    assert proposal.matter_rule is Matter.USE_MAINTENANCE_FUND
    assert [(q.supplier, q.document_id) for q in proposal.quotes.all()] == [
        ("某电梯公司", quote.pk)
    ]
    assert_refused(other)


def test_the_public_proposal_lists_quotes_and_only_published_reports_in_fixed_queries(
    street_tree, public_site, client, django_assert_num_queries
):
    one = ExpenditureProposalPageFactory(parent=street_tree.compound_a1)
    many = ExpenditureProposalPageFactory(
        parent=street_tree.compound_a1,
        quotes=[ProposalQuoteFactory.build(supplier=f"报价单位{n}") for n in range(12)],
    )
    UsageReportPageFactory(parent=many, title="一期使用情况")
    UsageReportPageFactory(parent=many, title="二期使用情况（草稿）", live=False)
    client.get(one.relative_url(public_site))  # the site lookup is cached from now on

    # 16: the page, its quotes and reports, the decision (final vote result, workflow state)
    # and the votes asked on it (none here; their results would be one more).
    with django_assert_num_queries(16):
        client.get(one.relative_url(public_site))
    with django_assert_num_queries(16):
        text = client.get(many.relative_url(public_site)).text

    assert "报价单位11" in text and "49800.00" in text
    assert "一期使用情况" in text and "二期使用情况（草稿）" not in text


def test_the_usage_report_shows_what_was_left_over_or_overspent(street_tree, public_site, client):
    proposal = ExpenditureProposalPageFactory(
        parent=street_tree.compound_a1, amount=Decimal("50000.00")
    )
    saved = UsageReportPageFactory(parent=proposal, amount_spent=Decimal("49800.00"))
    overspent = UsageReportPageFactory(parent=proposal, amount_spent=Decimal("50300.50"))

    saved_text = client.get(saved.relative_url(public_site)).text
    overspent_text = client.get(overspent.relative_url(public_site)).text

    assert '结余</th><td class="amount">200.00 元' in saved_text
    assert '超出申请金额</th><td class="amount">300.50 元' in overspent_text
