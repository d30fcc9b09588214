"""The fund's figures by kind, gross, against a ledger holding every kind of transaction.

The ledger is built through the services only: contributions (one last year), a guarantee
approved and activated, a claim paid (its payout becomes the household's receivable), the
plan repaid in part and the rest waived, an older plan repaid across the new year, and a
contribution and a payout reversed.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.money import eur
from fund.models import AccountCode, Entry, RecoveryPlan, Transaction
from fund.selectors.figures import (
    FLOW_SELECTORS,
    fund_dashboard_figures,
    fund_figures_reconcile,
    fund_flows,
)
from fund.selectors.ledger import fund_figures
from fund.services.ledger import transaction_post, transaction_reverse
from fund.services.recovery import recovery_payment_record, recovery_plan_activate
from fund.services.waivers import waiver_approve, waiver_propose
from fund.tests.factories import make_contribution
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from fund.tests.recovery_factories import make_payout, make_plan

pytestmark = pytest.mark.django_db

Kind = Transaction.Kind


@pytest.fixture
def admins(member):
    return member("fund_admin", username="amm2"), member("fund_admin", username="amm3")


@pytest.fixture
def lifecycle(fund, programme, operator, fund_admin, admins, household):
    """A ledger with every kind of transaction, some of them before this year."""
    today = timezone.localdate()
    last_year = date(today.year - 1, 6, 1)
    make_contribution(fund=fund, amount="10000.00", actor=fund_admin, day=last_year)
    funded(fund, amount="20000.00", actor=fund_admin)

    # A payout of last year, turned into a plan repaid partly last year, partly this year.
    old_payout = make_payout(fund=fund, amount="500.00", actor=fund_admin, day=last_year)
    old_plan = make_plan(
        fund=fund, household=household, actor=fund_admin, amount="500.00", payout=old_payout
    )
    recovery_plan_activate(
        actor=fund_admin, plan=old_plan, instalment_count=5, first_due_on=last_year
    )
    recovery_payment_record(
        actor=fund_admin, plan=old_plan, amount=eur("200.00"), paid_on=last_year
    )
    recovery_payment_record(actor=fund_admin, plan=old_plan, amount=eur("100.00"), paid_on=today)

    # A guarantee (exposure reserved), a claim paid on it (1100), the plan repaid then waived.
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=admins[0]
    )
    claim = claim_pay(actor=admins[1], claim=claim)
    plan = RecoveryPlan.objects.get(payout_transaction=claim.payout_transaction)
    recovery_plan_activate(actor=fund_admin, plan=plan, instalment_count=4, first_due_on=today)
    recovery_payment_record(actor=fund_admin, plan=plan, amount=eur("300.00"), paid_on=today)
    waiver = waiver_propose(actor=fund_admin, plan=plan, kind="hardship", reason="Malattia")
    waiver_approve(actor=admins[0], waiver=waiver)

    # Mistakes undone: a contribution and a manual posting (a payout with no claim behind it:
    # a payout of a claim is never reversed in the ledger, only through its claim).
    wrong = make_contribution(fund=fund, amount="40.00", actor=fund_admin)
    transaction_reverse(actor=fund_admin, transaction=wrong.transaction, reason="Doppio")
    make_contribution(fund=fund, amount="250.00", actor=fund_admin)
    stray = transaction_post(
        fund=fund,
        lines=[(AccountCode.PAYOUTS, eur("250.00")), (AccountCode.BANK, eur("-250.00"))],
        actor=fund_admin,
        description="Pagamento registrato a mano",
        kind=Transaction.Kind.MANUAL,
    )
    transaction_reverse(actor=fund_admin, transaction=stray, reason="Proprietario sbagliato")
    return {"plan": plan, "old_plan": old_plan, "claim": claim, "wrong": wrong, "stray": stray}


def _independent_flows(fund, *, since=None) -> dict[str, Decimal]:
    """The definitions of the figures, recomputed by walking the entries in Python."""
    sums = dict.fromkeys(FLOW_SELECTORS, Decimal(0))
    entries = Entry.objects.filter(account__fund=fund).select_related(
        "account", "transaction__reversal_of"
    )
    for entry in entries:
        tx, code, amount = entry.transaction, entry.account.code, entry.amount.amount
        if since is not None and tx.date < since:
            continue
        undoes = tx.reversal_of.kind if tx.reversal_of else None
        bank = code == AccountCode.BANK
        if bank and tx.kind == Kind.CONTRIBUTION:
            sums["contributions"] += amount
        elif bank and tx.kind == Kind.REVERSAL and undoes == Kind.CONTRIBUTION:
            sums["contributions_reversed"] -= amount
        elif bank and tx.kind == Kind.PAYOUT:
            sums["payouts"] -= amount
        elif bank and tx.kind == Kind.REVERSAL and undoes == Kind.PAYOUT:
            sums["payouts_reversed"] += amount
        elif bank and tx.kind == Kind.RECOVERY:
            sums["recoveries"] += amount
        elif code == AccountCode.WRITE_OFFS and tx.kind == Kind.WRITE_OFF:
            sums["write_offs"] += amount
    return sums


def test_every_kind_is_in_the_ledger(lifecycle, fund):
    kinds = set(Transaction.objects.filter(fund=fund).values_list("kind", flat=True))
    assert kinds == set(Kind.values)


def test_each_figure_equals_the_sum_of_its_entries(lifecycle, fund):
    today = timezone.localdate()
    year_start = date(today.year, 1, 1)
    total, this_year = _independent_flows(fund), _independent_flows(fund, since=year_start)
    flows = {f.key: f for f in fund_flows(fund=fund, today=today)}
    assert set(flows) == set(FLOW_SELECTORS)
    for key, selector in FLOW_SELECTORS.items():
        assert flows[key].total == eur(total[key]) == selector(fund=fund), key
        assert flows[key].this_year == eur(this_year[key]), key
        assert selector(fund=fund, start=year_start, end=today) == eur(this_year[key]), key

    # The same figures, by hand: gross, whatever happened to the money afterwards.
    assert flows["payouts"].total == eur("1600.00")  # 500 last year + 1100 claim
    assert flows["payouts"].this_year == eur("1100.00")
    assert flows["payouts_reversed"].total == eur("0.00")  # the stray was a manual posting
    assert flows["recoveries"].total == eur("600.00")  # 200 last year + 100 + 300
    assert flows["recoveries"].this_year == eur("400.00")
    assert flows["write_offs"].total == eur("800.00")  # 1100 claimed − 300 repaid
    assert flows["contributions"].total == eur("30790.00")  # 10000 + 20000 + 500 + 40 + 250
    assert flows["contributions"].this_year == eur("20290.00")
    assert flows["contributions_reversed"].total == eur("40.00")


def test_payouts_are_gross_not_the_payouts_account(lifecycle, fund):
    """The old dashboard read the payouts account, which a recovery plan empties into the
    receivable and each repayment refills: it showed the recoveries, not the payouts."""
    payouts = FLOW_SELECTORS["payouts"](fund=fund)
    assert payouts == eur("1600.00")
    assert fund_figures(fund=fund).payouts != payouts


def test_dashboard_shows_each_figure(lifecycle, fund, fund_admin, client_of):
    response = client_of(fund_admin).get(reverse("fund:dashboard"))
    page = response.content.decode()
    shown = fund_dashboard_figures(fund=fund)
    assert response.context["flows"] == shown.flows
    for flow in shown.flows:
        row = re.search(rf'<tr id="flow-{flow.key}">(.*?)</tr>', page, re.S).group(1)
        cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', row)
        assert [_digits(cell) for cell in cells] == [
            _digits_of(flow.this_year),
            _digits_of(flow.total),
        ], flow.key
    assert "Pagamenti ai proprietari" in page and "Recuperi (restituzioni)" in page


def _digits(text: str) -> str:
    """The figure in a cell, whatever the money format: its digits and sign only."""
    return re.sub(r"[^\d-]", "", text.replace("\u2212", "-"))


def _digits_of(money) -> str:
    return _digits(f"{money.amount:.2f}")


def test_reconcile_pairs_every_dashboard_figure_with_its_ledger_sum(lifecycle, fund):
    checks = fund_figures_reconcile(fund=fund)
    names = {check.name for check in checks}
    assert {"cash", "capital", "exposure", "capacity"} <= names
    assert {f"{key}.{period}" for key in FLOW_SELECTORS for period in ("this_year", "total")} <= (
        names
    )
    assert sum(name.startswith("history.") for name in names) == 12 * 3
    assert [check.name for check in checks if not check.ok] == []


def test_reconcile_reports_a_figure_that_disagrees(lifecycle, fund, monkeypatch):
    """A check that cannot fail is no check: break one figure and it is reported."""
    from fund.selectors import figures

    def wrong_payouts(**kwargs):
        return figures.fund_payouts(**kwargs) + eur("0.01")

    monkeypatch.setitem(figures.FLOW_SELECTORS, "payouts", wrong_payouts)
    failing = [check.name for check in fund_figures_reconcile(fund=fund) if not check.ok]
    assert failing == ["payouts.this_year", "payouts.total"]


def test_figures_of_an_empty_fund_are_plain_zeros(fund):
    for flow in fund_flows(fund=fund):
        for money in (flow.this_year, flow.total):
            assert money.amount == 0 and not money.amount.is_signed()
    assert all(check.ok for check in fund_figures_reconcile(fund=fund))


def test_only_real_reversals_read_as_reversed(lifecycle, fund, fund_admin, client_of):
    """Recovery-plan postings cannot be reversed from the ledger; that made the page call
    them "Reversed". Only a transaction with a reversal says so."""
    client = client_of(fund_admin)
    plan = lifecycle["plan"]
    owned = Transaction.objects.filter(reference_id=str(plan.pk), fund=fund).exclude(
        kind__in=[Kind.EXPOSURE_RESERVE, Kind.EXPOSURE_RELEASE]
    )
    assert {tx.kind for tx in owned} >= {Kind.RECEIVABLE, Kind.RECOVERY, Kind.WRITE_OFF}
    for tx in [*owned, lifecycle["claim"].payout_transaction]:
        page = client.get(reverse("fund:transaction", args=[tx.pk])).content.decode()
        assert "Stornata" not in page, tx.get_kind_display()
    reversed_tx = lifecycle["wrong"].transaction
    page = client.get(reverse("fund:transaction", args=[reversed_tx.pk])).content.decode()
    assert "Stornata dalla" in page and f"#{reversed_tx.reversed_by.pk}" in page

    ledger = client.get(reverse("fund:ledger")).content.decode()
    badges = re.findall(r'status-warn">(storno|stornato)</span>', ledger)
    assert sorted(badges) == ["stornato", "stornato", "storno", "storno"]


def test_the_year_boundary_is_the_first_of_january(lifecycle, fund):
    today = timezone.localdate()
    new_year = date(today.year, 1, 1)
    eve = fund_flows(fund=fund, today=new_year - timedelta(days=1))
    by_key = {f.key: f for f in eve}
    assert by_key["recoveries"].this_year == by_key["recoveries"].total == eur("200.00")
    assert by_key["payouts"].this_year == eur("500.00")
