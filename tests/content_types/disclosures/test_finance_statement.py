"""A finance statement balances to the fen, or it is not saved: in code, in drafts, in the admin."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content_types.disclosures.models import Direction, FinanceStatementPage
from content_types.roles.models import Role
from tests.content_types.disclosures.factories import (
    FinanceLineFactory,
    FinanceStatementPageFactory,
)

pytestmark = pytest.mark.django_db

# The factory's default statement: 10000.00 + 3600.00 − 1250.50.
BALANCED = Decimal("12349.50")
ADD_URL = "/admin/pages/add/disclosures/financestatementpage/{}/"


def statement_form(closing: str = "12349.50", lines: list[dict] | None = None) -> dict:
    if lines is None:
        lines = [
            {"direction": "income", "category": "停车费", "description": "", "amount": "3600.00"},
            {
                "direction": "expenditure",
                "category": "电梯维修",
                "description": "",
                "amount": "1250.50",
            },
        ]
    return nested_form_data(
        {
            "title": "2024年第一季度共有收益收支",
            "slug": "shared-revenue-2024q1",
            "fund": "shared_revenue",
            "period_start": "2024-01-01",
            "period_end": "2024-03-31",
            "opening_balance": "10000.00",
            "closing_balance": closing,
            "notes": "",
            "lines": inline_formset(lines),
        }
    )


def test_a_balanced_statement_saves_and_publishes(street_tree):
    statement = FinanceStatementPageFactory(parent=street_tree.compound_a1, live=False)

    statement.save_revision().publish()

    statement.refresh_from_db()
    assert statement.live
    assert statement.closing_balance == BALANCED
    assert sorted(line.amount for line in statement.lines.all()) == [
        Decimal("1250.50"),
        Decimal("3600.00"),
    ]


@pytest.mark.parametrize("off_by", [Decimal("0.01"), Decimal("-0.01")])
def test_a_statement_off_by_one_fen_is_refused_with_the_figures(street_tree, off_by):
    closing = BALANCED + off_by

    with pytest.raises(ValidationError) as refused:
        FinanceStatementPageFactory(parent=street_tree.compound_a1, closing_balance=closing)

    assert refused.value.message_dict["closing_balance"] == [
        f"期初余额 + 收入 − 支出 = 12349.50 元，与期末余额 {closing} 元不符，相差 0.01 元。"
    ]
    assert not FinanceStatementPage.objects.exists()


def test_the_exact_closing_balance_is_accepted(street_tree):
    statement = FinanceStatementPageFactory(
        parent=street_tree.compound_a1, closing_balance=Decimal("12349.50")
    )

    assert FinanceStatementPage.objects.get(pk=statement.pk).closing_balance == BALANCED


def test_even_a_draft_must_balance(street_tree):
    with pytest.raises(ValidationError) as refused:
        FinanceStatementPageFactory(
            parent=street_tree.compound_a1, live=False, closing_balance=Decimal("12000.00")
        )

    assert "相差 349.50 元" in str(refused.value)
    assert not FinanceStatementPage.objects.exists()


def test_publishing_a_revision_that_no_longer_balances_is_refused(street_tree):
    statement = FinanceStatementPageFactory(parent=street_tree.compound_a1, live=False)
    statement.closing_balance = Decimal("1.00")

    with pytest.raises(ValidationError, match="与期末余额 1.00 元不符"):
        statement.save_revision()

    assert FinanceStatementPage.objects.get(pk=statement.pk).closing_balance == BALANCED


def test_negative_amounts_are_refused(street_tree):
    negative_line = FinanceLineFactory.build(direction=Direction.EXPENDITURE, amount=-5)

    with pytest.raises(ValidationError) as line_refused:
        FinanceStatementPageFactory(parent=street_tree.compound_a1, lines=[negative_line])
    with pytest.raises(ValidationError) as balance_refused:
        FinanceStatementPageFactory(
            parent=street_tree.compound_a1, opening_balance=Decimal("-1.00"), lines=[]
        )

    assert "收支明细第 1 行：“金额（元）”不能为负数。" in line_refused.value.messages
    assert balance_refused.value.message_dict["opening_balance"] == ["不能为负数。"]
    assert not FinanceStatementPage.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(street_tree):
    with pytest.raises(ValidationError) as refused:
        FinanceStatementPageFactory(
            parent=street_tree.compound_a1,
            period_start="2024-03-31",
            period_end="2024-01-01",
        )

    assert refused.value.message_dict["period_end"] == [
        "截止日期 2024-01-01 早于起始日期 2024-03-31，请检查。"
    ]


def test_a_statement_belongs_under_a_compound_only(street_tree, admin_client):
    assert FinanceStatementPage.can_create_at(street_tree.compound_a1)
    assert not FinanceStatementPage.can_create_at(street_tree.community_a)
    assert not FinanceStatementPage.can_create_at(street_tree.street)

    response = admin_client.post(
        ADD_URL.format(street_tree.community_a.pk),
        {**statement_form(), "action-publish": "1"},
        follow=True,
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "你没有权限访问" in response.text
    assert not FinanceStatementPage.objects.exists()


def test_the_admin_publishes_a_balanced_statement_with_its_lines(street_tree, admin_client):
    response = admin_client.post(
        ADD_URL.format(street_tree.compound_a1.pk), {**statement_form(), "action-publish": "1"}
    )

    assert response.status_code == 302
    statement = FinanceStatementPage.objects.child_of(street_tree.compound_a1).get()
    assert statement.live
    assert [line.category for line in statement.lines.all()] == ["停车费", "电梯维修"]


def test_the_admin_refuses_an_unbalanced_statement_in_chinese(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))

    response = client.post(
        ADD_URL.format(street_tree.compound_a1.pk), statement_form(closing="12349.49")
    )

    assert response.status_code == 200
    assert "期初余额 + 收入 − 支出 = 12349.50 元，与期末余额 12349.49 元不符，相差 0.01 元。" in (
        response.text
    )
    assert not FinanceStatementPage.objects.exists()


def test_a_bad_line_shows_its_own_error_and_not_a_misleading_balance(street_tree, admin_client):
    lines = [{"direction": "income", "category": "停车费", "description": "", "amount": "-3600.00"}]

    response = admin_client.post(
        ADD_URL.format(street_tree.compound_a1.pk), statement_form(lines=lines)
    )

    assert response.status_code == 200
    assert "不能为负数。" in response.text
    assert "期初余额 + 收入 − 支出" not in response.text
    assert not FinanceStatementPage.objects.exists()


def test_editing_away_a_line_checks_the_balance_against_the_submitted_lines(
    street_tree, admin_client
):
    statement = FinanceStatementPageFactory(parent=street_tree.compound_a1)
    income, expenditure = statement.lines.order_by("sort_order")
    form = statement_form(
        lines=[
            {"id": income.pk, "direction": "income", "category": "停车费", "amount": "3600.00"},
            {
                "id": expenditure.pk,
                "direction": "expenditure",
                "category": "电梯维修",
                "amount": "1250.50",
                "DELETE": "1",
            },
        ]
    )
    form["lines-INITIAL_FORMS"] = "2"

    response = admin_client.post(f"/admin/pages/{statement.pk}/edit/", form)

    assert response.status_code == 200
    assert "期初余额 + 收入 − 支出 = 13600.00 元，与期末余额 12349.50 元不符" in response.text
    assert statement.lines.count() == 2
    assert not statement.revisions.exists()


def test_the_public_page_shows_the_lines_and_totals_in_fixed_queries(
    street_tree, public_site, client, django_assert_num_queries
):
    few = FinanceStatementPageFactory(parent=street_tree.compound_a1)
    many_lines = [
        FinanceLineFactory.build(category=f"科目{n}", amount=Decimal("1.00")) for n in range(30)
    ]
    many = FinanceStatementPageFactory(parent=street_tree.compound_a1, lines=many_lines)
    client.get(few.relative_url(public_site))  # the site lookup is cached from now on

    with django_assert_num_queries(11):
        few_response = client.get(few.relative_url(public_site))
    with django_assert_num_queries(11):
        many_response = client.get(many.relative_url(public_site))

    assert "电梯维修" in few_response.text and "3幢电梯更换钢丝绳" in few_response.text
    assert "12349.50" in few_response.text and "1250.50" in few_response.text
    assert "科目29" in many_response.text and "10030.00" in many_response.text
