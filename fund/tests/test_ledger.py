"""The posting function, append-only rows, reversals, balances and statements."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from common.exceptions import DomainError
from common.models import AuditEvent
from common.money import eur
from fund.models import Account, AccountCode, Entry, Transaction
from fund.models.ledger import AppendOnlyError
from fund.selectors.ledger import (
    account_balance,
    account_balances,
    account_statement,
    cash_after_each_transaction,
    fund_figures,
    fund_history,
    ledger_transactions,
)
from fund.services.ledger import transaction_post, transaction_reverse
from fund.tests.factories import make_contribution

BANK, CAPITAL, PAYOUTS = AccountCode.BANK, AccountCode.CAPITAL, AccountCode.PAYOUTS


def post(fund, lines, actor=None, **kwargs):
    kwargs.setdefault("description", "test")
    kwargs.setdefault("kind", Transaction.Kind.PAYOUT)
    return transaction_post(fund=fund, lines=lines, actor=actor, **kwargs)


def test_fund_has_every_account(fund):
    assert set(fund.accounts.values_list("code", flat=True)) == set(AccountCode.values)
    memo = fund.accounts.filter(kind=Account.Kind.MEMORANDUM).values_list("code", flat=True)
    assert set(memo) == {AccountCode.GUARANTEES_ISSUED, AccountCode.GUARANTEES_CONTRA}


def test_contribution_posts_bank_and_capital(fund, fund_admin):
    contribution = make_contribution(fund=fund, amount="15000.00", actor=fund_admin)
    tx = contribution.transaction
    assert sorted((e.account.code, e.amount) for e in tx.entries.all()) == [
        (BANK, eur("15000.00")),
        (CAPITAL, eur("-15000.00")),
    ]
    figures = fund_figures(fund=fund)
    assert figures.cash == eur("15000.00") and figures.capital == eur("15000.00")
    assert AuditEvent.objects.filter(verb="contribution_booked", actor=fund_admin).exists()
    assert AuditEvent.objects.filter(verb="ledger_posted", target_id=str(tx.pk)).exists()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([(BANK, eur("10"))], "almeno due"),
        ([(BANK, eur("10")), (CAPITAL, eur("-9.99"))], "non quadrano"),
        ([(BANK, eur("0")), (CAPITAL, eur("0"))], "zero"),
        ([(BANK, Money("10", "USD")), (CAPITAL, Money("-10", "USD"))], "EUR"),
        ([(BANK, Money("10.001", "EUR")), (CAPITAL, Money("-10.001", "EUR"))], "centesimi"),
        ([("nowhere", eur("10")), (CAPITAL, eur("-10"))], "sconosciuto"),
        ([(BANK, Decimal("10")), (CAPITAL, Decimal("-10"))], "valuta"),
        # Real and memorandum lines each balance on their own.
        ([(BANK, eur("10")), (AccountCode.GUARANTEES_CONTRA, eur("-10"))], "non quadrano"),
    ],
)
def test_posting_refuses_bad_lines(fund, lines, message):
    with pytest.raises(DomainError) as error:
        post(fund, lines, kind=Transaction.Kind.CONTRIBUTION)
    assert message in error.value.message
    assert not Transaction.objects.exists() and not Entry.objects.exists()


def test_posting_refuses_another_funds_account(fund, other_fund):
    foreign = other_fund.accounts.get(code=BANK)
    with pytest.raises(DomainError, match="altro fondo"):
        post(fund, [(foreign, eur("5")), (CAPITAL, eur("-5"))])


def test_posting_refuses_future_dates_and_empty_descriptions(fund):
    lines = [(BANK, eur("5")), (CAPITAL, eur("-5"))]
    with pytest.raises(DomainError):
        post(fund, lines, date=timezone.localdate() + timedelta(days=1))
    with pytest.raises(DomainError):
        post(fund, lines, description="  ")


def test_cash_never_goes_below_zero(fund):
    make_contribution(fund=fund, amount="100.00")
    with pytest.raises(DomainError, match="sotto zero"):
        post(fund, [(PAYOUTS, eur("100.01")), (BANK, eur("-100.01"))])
    post(fund, [(PAYOUTS, eur("100.00")), (BANK, eur("-100.00"))])
    assert fund_figures(fund=fund).cash == eur("0.00")


def test_backdated_payout_cannot_make_past_cash_negative(fund):
    today = timezone.localdate()
    make_contribution(fund=fund, amount="100.00", day=today)
    with pytest.raises(DomainError, match="sotto zero"):
        post(fund, [(PAYOUTS, eur("50")), (BANK, eur("-50"))], date=today - timedelta(days=3))


def test_backdated_payout_checks_later_days_too(fund):
    today = timezone.localdate()
    make_contribution(fund=fund, amount="100.00", day=today - timedelta(days=10))
    post(fund, [(PAYOUTS, eur("80")), (BANK, eur("-80"))], date=today)
    # Fine on day -5 alone (100 − 30 ≥ 0), but today's balance would become −10.
    with pytest.raises(DomainError, match="sotto zero"):
        post(fund, [(PAYOUTS, eur("30")), (BANK, eur("-30"))], date=today - timedelta(days=5))


def test_rows_are_append_only(fund):
    tx = make_contribution(fund=fund).transaction
    entry = tx.entries.first()
    entry.amount = eur("1")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        tx.save()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        Transaction.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        tx.contribution.delete()


def test_reversal_negates_the_lines_once(fund, fund_admin):
    contribution = make_contribution(fund=fund, amount="250.00")
    reversal = transaction_reverse(
        actor=fund_admin, transaction=contribution.transaction, reason="Bonifico respinto"
    )
    assert reversal.reversal_of == contribution.transaction
    assert "Bonifico respinto" in reversal.description
    assert fund_figures(fund=fund).cash == eur("0.00")
    with pytest.raises(DomainError, match="già stata stornata"):
        transaction_reverse(actor=fund_admin, transaction=contribution.transaction, reason="x")
    with pytest.raises(DomainError, match="non può essere stornato"):
        transaction_reverse(actor=fund_admin, transaction=reversal, reason="x")


def test_reversal_needs_a_reason_and_respects_cash(fund, fund_admin):
    contribution = make_contribution(fund=fund, amount="100.00")
    with pytest.raises(DomainError):
        transaction_reverse(actor=fund_admin, transaction=contribution.transaction, reason=" ")
    post(fund, [(PAYOUTS, eur("60")), (BANK, eur("-60"))])
    with pytest.raises(DomainError, match="sotto zero"):
        transaction_reverse(actor=fund_admin, transaction=contribution.transaction, reason="x")


def test_the_database_refuses_a_second_reversal(fund, fund_admin):
    original = make_contribution(fund=fund, amount="10.00").transaction
    transaction_reverse(actor=fund_admin, transaction=original, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.create(
            fund=fund,
            date=original.date,
            description="again",
            kind="reversal",
            reversal_of=original,
        )


def test_cents_survive_sums(fund):
    """Thousands of odd cents: the SQL sum (floats on SQLite) is quantized back exactly."""
    today = timezone.localdate()
    amounts = [Decimal("0.01"), Decimal("0.10"), Decimal("0.07"), Decimal("1234567.89")]
    expected = Decimal(0)
    for i in range(300):
        amount = amounts[i % len(amounts)]
        post(
            fund,
            [(BANK, eur(amount)), (CAPITAL, eur(-amount))],
            kind=Transaction.Kind.CONTRIBUTION,
            date=today,
        )
        expected += amount
    assert account_balances(fund=fund)[BANK].amount == expected
    assert account_balance(account=fund.accounts.get(code=CAPITAL)).amount == -expected
    assert fund_figures(fund=fund).cash.amount == expected
    statement = account_statement(account=fund.accounts.get(code=BANK), start=today, end=today)
    assert statement.closing.amount == expected == statement.debits.amount


def test_balances_at_a_date_and_statement(fund):
    today = timezone.localdate()
    d1, d2, d3 = today - timedelta(days=20), today - timedelta(days=10), today
    make_contribution(fund=fund, amount="1000.00", day=d1)
    post(fund, [(PAYOUTS, eur("300.50")), (BANK, eur("-300.50"))], date=d2)
    make_contribution(fund=fund, amount="99.99", day=d3)

    assert account_balances(fund=fund, at=d1 - timedelta(days=1))[BANK] == eur("0")
    assert account_balances(fund=fund, at=d2)[BANK] == eur("699.50")
    assert fund_figures(fund=fund, at=d3).cash == eur("799.49")

    bank = fund.accounts.get(code=BANK)
    statement = account_statement(account=bank, start=d2, end=d3)
    assert statement.opening == eur("1000.00")
    assert [line.balance for line in statement.lines] == [eur("699.50"), eur("799.49")]
    assert statement.debits == eur("99.99") and statement.credits == eur("300.50")
    assert statement.closing == eur("799.49")

    capital = fund.accounts.get(code=CAPITAL)
    assert account_statement(account=capital, start=d1, end=d3).closing == eur("1099.99")


def test_ledger_filters_and_running_cash(fund):
    today = timezone.localdate()
    first = make_contribution(fund=fund, amount="500.00", day=today - timedelta(days=2))
    payout = post(fund, [(PAYOUTS, eur("120")), (BANK, eur("-120"))], description="Affitto")
    running = cash_after_each_transaction(fund=fund)
    assert running[first.transaction.pk] == eur("500") and running[payout.pk] == eur("380")
    assert list(ledger_transactions(fund=fund, kind="payout")) == [payout]
    assert list(ledger_transactions(fund=fund, text="affitto")) == [payout]
    assert list(ledger_transactions(fund=fund, end=today - timedelta(days=1))) == [
        first.transaction
    ]
    assert list(ledger_transactions(fund=fund, account_code=CAPITAL)) == [first.transaction]


def test_history_points(fund):
    today = timezone.localdate()
    make_contribution(fund=fund, amount="100.00", day=today - timedelta(days=40))
    points = fund_history(fund=fund, until=today, months=3)
    assert len(points) == 3 and points[-1]["date"] == today
    assert points[-1]["cash"] == eur("100.00") and points[-1]["capacity"] == eur("100.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_database_trigger_refuses_unbalanced_transaction(programme):
    from fund.tests.factories import make_fund

    fund = make_fund(programme=programme)
    tx = make_contribution(fund=fund, amount="10.00").transaction
    bank = fund.accounts.get(code=BANK)
    # The insert itself succeeds; the deferred trigger refuses at commit.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO fund_entry (transaction_id, account_id, amount, amount_currency)"
            " VALUES (%s, %s, %s, 'EUR')",
            [tx.pk, bank.pk, Decimal("5.00")],
        )
    assert Entry.objects.filter(transaction=tx).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_database_refuses_updates_and_deletes(programme):
    from fund.tests.factories import make_fund

    fund = make_fund(programme=programme)
    tx = make_contribution(fund=fund, amount="10.00").transaction
    for sql in (
        "UPDATE fund_entry SET amount = 1 WHERE transaction_id = %s",
        "DELETE FROM fund_entry WHERE transaction_id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [tx.pk])


def _is_plain_zero(money):
    return money.amount == 0 and not money.amount.is_signed()


def test_empty_credit_balances_are_zero_not_minus_zero(fund, fund_admin, client_of):
    """Negating an empty credit balance gave Decimal('-0.00'): "-0,00 €" on the page."""
    today = timezone.localdate()
    figures = fund_figures(fund=fund)
    assert _is_plain_zero(figures.capital) and _is_plain_zero(figures.recoveries)
    capital = fund.accounts.get(code=CAPITAL)
    before = account_statement(account=capital, start=today - timedelta(days=30), end=today)
    assert _is_plain_zero(before.opening) and _is_plain_zero(before.closing)

    make_contribution(fund=fund, amount="10.00", day=today)
    transaction_reverse(actor=fund_admin, transaction=Transaction.objects.get(), reason="errore")
    after = account_statement(account=capital, start=today, end=today)
    assert _is_plain_zero(after.opening) and _is_plain_zero(after.lines[-1].balance)
    assert _is_plain_zero(fund_figures(fund=fund).capital)

    client = client_of(fund_admin)
    for url in (reverse("fund:statement", args=[CAPITAL]), reverse("fund:dashboard")):
        assert "-0,00" not in client.get(url).content.decode()


def test_the_charts_capacity_is_rounded_down_like_the_dashboards(programme):
    """1.25 × 100.03 = 125.0375: the figure says 125.03 (never offer a cent the fund lacks);
    the chart said 125.04 on the same day."""
    from fund.tests.factories import make_fund

    fund = make_fund(programme=programme, leverage="1.25")
    make_contribution(fund=fund, amount="100.03")
    today = timezone.localdate()
    assert fund_figures(fund=fund).capacity == eur("125.03")
    assert fund_history(fund=fund, until=today, months=1)[-1]["capacity"] == eur("125.03")
