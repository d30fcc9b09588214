"""Fund pages: who may open what, scoping to the programme, and the forms end to end."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.models import AuditEvent
from common.money import eur
from common.roles import Role
from fund.models import AccountCode, Contribution, Transaction
from fund.selectors.ledger import fund_figures
from fund.services.ledger import transaction_post
from fund.tests.factories import make_contribution, make_fund

ALL_ROLES = Role.values


@pytest.fixture
def booked(fund, fund_admin):
    return make_contribution(fund=fund, amount="1000.00", actor=fund_admin)


def urls(tx_pk):
    return {
        "dashboard": reverse("fund:dashboard"),
        "settings": reverse("fund:settings"),
        "contributions": reverse("fund:contributions"),
        "contribution_create": reverse("fund:contribution_create"),
        "ledger": reverse("fund:ledger"),
        "transaction": reverse("fund:transaction", args=[tx_pk]),
        "transaction_reverse": reverse("fund:transaction_reverse", args=[tx_pk]),
        "statement": reverse("fund:statement", args=["bank"]),
        "stress": reverse("fund:stress"),
    }


# page: roles that get 200; every other role gets 403.
ACCESS = {
    "dashboard": {Role.FUND_ADMIN, Role.OPERATOR, Role.MONITOR},
    "settings": {Role.FUND_ADMIN},
    "contributions": {Role.FUND_ADMIN},
    "contribution_create": {Role.FUND_ADMIN},
    "ledger": {Role.FUND_ADMIN},
    "transaction": {Role.FUND_ADMIN},
    "transaction_reverse": {Role.FUND_ADMIN},
    "statement": {Role.FUND_ADMIN},
    "stress": {Role.FUND_ADMIN},  # monitors too, once: a 10-minute GET (issue 12)
}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", list(ACCESS))
def test_every_page_for_every_role(role, page, member, client_of, booked):
    client = client_of(member(role))
    response = client.get(urls(booked.transaction.pk)[page])
    assert response.status_code == (200 if role in ACCESS[page] else 403)


@pytest.mark.parametrize("page", list(ACCESS))
def test_anonymous_is_sent_to_login(page, client, booked):
    response = client.get(urls(booked.transaction.pk)[page])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_another_programmes_transaction_is_404(fund_admin, client_of, booked, other_fund):
    theirs = make_contribution(fund=other_fund, amount="5.00").transaction
    client = client_of(fund_admin)
    assert client.get(reverse("fund:transaction", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("fund:transaction_reverse", args=[theirs.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert not Transaction.objects.filter(reversal_of=theirs).exists()


def test_unknown_account_statement_is_404(fund_admin, client_of, fund):
    assert client_of(fund_admin).get("/fondo/conti/nowhere/").status_code == 404


def test_fund_admin_lands_on_the_fund_dashboard(fund_admin, client_of, booked):
    client = client_of(fund_admin)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("fund:dashboard")
    page = response.content.decode()
    assert "Amministrazione del fondo" in page and "<svg" in page
    # The chart carries no script of its own (pygal's is stripped; only static files load).
    assert "1.000,00" in page and "<script" not in page.split("</head>", 1)[1]


def test_monitor_sees_aggregates_only(member, client_of, booked):
    page = client_of(member(Role.MONITOR)).get(reverse("fund:dashboard")).content.decode()
    assert "Fondazione" in page  # the kind of funder, aggregated
    assert "Fondazione Cariplo" not in page  # not the single contribution
    assert reverse("fund:transaction", args=[booked.transaction.pk]) not in page


def test_pages_without_a_fund(fund_admin, client_of, member):
    client = client_of(fund_admin)
    assert "Configura il fondo" in client.get(reverse("fund:dashboard")).content.decode()
    assert client.get(reverse("fund:ledger")).status_code == 404
    client_of(member(Role.OPERATOR)).get(reverse("fund:dashboard"))


def test_set_up_then_change_the_fund(fund_admin, client_of, programme):
    client = client_of(fund_admin)
    data = {"name": "Fondo", "leverage": "2,5", "cover_months": 3, "cover_cap": "3000"}
    response = client.post(reverse("fund:settings"), data)
    assert response.status_code == 302
    assert str(programme.fund.leverage) == "2.50"
    assert programme.fund.accounts.count() == len(AccountCode.values)
    response = client.post(reverse("fund:settings"), {**data, "leverage": "0"})
    assert response.status_code == 200 and "error" in response.content.decode()


def test_book_a_contribution_through_the_form(fund_admin, client_of, fund):
    client = client_of(fund_admin)
    data = {
        "funder": "Comune di Montichiari",
        "kind": "municipality",
        "amount": "5000,50",
        "date": timezone.localdate().isoformat(),
        "note": "Delibera 12/2026",
    }
    response = client.post(reverse("fund:contribution_create"), data)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.amount == eur("5000.50") and contribution.created_by == fund_admin
    assert fund_figures(fund=fund).cash == eur("5000.50")
    page = client.get(reverse("fund:contributions")).content.decode()
    assert "Comune di Montichiari" in page and "5.000,50" in page


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": "0"},
        {"amount": "-5"},
        {"amount": "abc"},
        {"funder": ""},
        {"date": (timezone.localdate() + timedelta(days=3)).isoformat()},
    ],
)
def test_bad_contribution_is_refused_with_a_message(fund_admin, client_of, fund, bad):
    data = {
        "funder": "Fondazione",
        "kind": "foundation",
        "amount": "100",
        "date": timezone.localdate().isoformat(),
        **bad,
    }
    response = client_of(fund_admin).post(reverse("fund:contribution_create"), data)
    assert response.status_code == 200
    assert "Correggi gli errori" in response.content.decode()
    assert not Contribution.objects.exists() and not Transaction.objects.exists()


def test_reverse_through_the_form(fund_admin, client_of, booked, fund):
    client = client_of(fund_admin)
    url = reverse("fund:transaction_reverse", args=[booked.transaction.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Importo errato"})
    assert response.status_code == 302
    assert fund_figures(fund=fund).cash == eur("0.00")
    again = client.post(url, {"reason": "ancora"}, follow=True)
    assert "già stata stornata" in again.content.decode()
    assert AuditEvent.objects.filter(verb="ledger_posted", actor=fund_admin).count() == 2
    assert "stornato" in client.get(reverse("fund:contributions")).content.decode()


def test_statement_and_ledger_pages(fund_admin, client_of, booked, fund):
    transaction_post(
        fund=fund,
        lines=[(AccountCode.PAYOUTS, eur("200")), (AccountCode.BANK, eur("-200"))],
        actor=fund_admin,
        description="Pagamento al proprietario",
        kind=Transaction.Kind.PAYOUT,
    )
    client = client_of(fund_admin)
    page = client.get(reverse("fund:statement", args=["bank"])).content.decode()
    assert "Pagamento al proprietario" in page and "800,00" in page
    dashboard = client.get(reverse("fund:dashboard"))
    payouts = next(f for f in dashboard.context["flows"] if f.key == "payouts")
    assert payouts.this_year == payouts.total == eur("200.00")
    bad = client.get(
        reverse("fund:statement", args=["bank"]), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert bad.status_code == 200
    page = client.get(reverse("fund:ledger"), {"kind": "payout"}).content.decode()
    assert "Pagamento al proprietario" in page and "Contributo da" not in page


def test_stress_page_runs_and_is_repeatable(
    fund_admin, client_of, booked, django_capture_on_commit_callbacks
):
    client = client_of(fund_admin)
    assert "Esegui la simulazione" in client.get(reverse("fund:stress")).content.decode()
    params = {
        "cash": "100000",
        "guarantees": 60,
        "average_guarantee": "3000",
        "monthly_claim_probability": "3",
        "claim_share": "50",
        "recovery_rate": "30",
        "horizon_months": 24,
        "runs": 200,
        "seed": 5,
        "max_ruin_probability": "5",
    }
    pages = []
    for _time in range(2):
        with django_capture_on_commit_callbacks(execute=True):  # the task runs on commit
            queued = client.post(reverse("fund:stress"), params)
        pages.append(client.get(queued.url))
    first, second = pages
    assert first.status_code == 200 and first.context["result"] is not None
    assert "<svg" in first.content.decode()
    assert first.context["result"] == second.context["result"]
    bad = client.post(reverse("fund:stress"), {**params, "horizon_months": 60})
    assert bad.status_code == 200 and bad.context["form"].errors


def _fill(fund, n):
    for _i in range(n):
        make_contribution(fund=fund, amount="10.00")


@pytest.mark.parametrize("url_name", ["fund:ledger", "fund:contributions", "fund:dashboard"])
def test_list_pages_keep_their_query_count(
    fund_admin, client_of, fund, django_assert_max_num_queries, url_name
):
    client = client_of(fund_admin)
    _fill(fund, 10)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse(url_name))
    _fill(fund, 190)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse(url_name))


def test_programme_scoping_of_figures(fund_admin, client_of, fund, other_programme):
    other = make_fund(programme=other_programme)
    make_contribution(fund=other, amount="999.99")
    page = client_of(fund_admin).get(reverse("fund:dashboard")).content.decode()
    assert "999,99" not in page


def test_only_a_reversed_transaction_reads_as_reversed(fund_admin, client_of, fund, household):
    """A recovery plan's postings cannot be reversed from the ledger (the plan owns them);
    the detail page used to call everything not reversible "Reversed"."""
    from fund.services.ledger import transaction_reverse
    from fund.services.recovery import recovery_payment_record, recovery_plan_activate
    from fund.tests.recovery_factories import make_plan

    plan = make_plan(fund=fund, household=household, actor=fund_admin, amount="600.00")
    today = timezone.localdate()
    recovery_plan_activate(actor=fund_admin, plan=plan, instalment_count=2, first_due_on=today)
    recovery_payment_record(actor=fund_admin, plan=plan, amount=eur("300.00"), paid_on=today)
    wrong = make_contribution(fund=fund, amount="40.00", actor=fund_admin)
    reversal = transaction_reverse(actor=fund_admin, transaction=wrong.transaction, reason="x")
    client = client_of(fund_admin)

    def detail(tx):
        return client.get(reverse("fund:transaction", args=[tx.pk])).content.decode()

    plan_postings = Transaction.objects.filter(reference_id=str(plan.pk))
    assert {tx.kind for tx in plan_postings} == {"receivable", "recovery"}
    for tx in [*plan_postings, plan.payout_transaction, reversal]:
        assert "Stornata" not in detail(tx), tx.kind
    assert "Stornata dalla" in detail(wrong.transaction)
    assert f"#{reversal.pk}" in detail(wrong.transaction)
    ledger = client.get(reverse("fund:ledger")).content.decode()
    assert ledger.count('status-warn">stornato<') == 1
    assert ledger.count('status-warn">storno<') == 1
