"""Import-export of contributions (money round trip, whole-or-nothing) and the read-only admin."""

import tablib
from django.urls import reverse

from common.money import eur
from common.tests.factories import UserFactory
from fund.models import Contribution, Transaction
from fund.resources import ContributionResource
from fund.selectors.ledger import fund_figures
from fund.tests.factories import make_contribution


def test_export_then_import_round_trip(fund, other_fund, fund_admin):
    make_contribution(fund=fund, amount="15000.00", funder="Fondazione Cariplo")
    make_contribution(fund=fund, amount="0.07", funder="Donatore", kind="donation")
    exported = ContributionResource().export()
    assert "15000.00" in exported.csv and "0.07" in exported.csv

    dataset = tablib.Dataset().load(exported.csv, format="csv")
    dataset = tablib.Dataset(
        *[("next-bergamo", *row[1:]) for row in dataset], headers=dataset.headers
    )
    result = ContributionResource(actor=fund_admin).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()

    imported = Contribution.objects.filter(fund=other_fund).order_by("amount")
    assert [(c.funder, c.amount, c.kind) for c in imported] == [
        ("Donatore", eur("0.07"), "donation"),
        ("Fondazione Cariplo", eur("15000.00"), "foundation"),
    ]
    assert fund_figures(fund=other_fund).cash == eur("15000.07")
    assert all(c.created_by == fund_admin for c in imported)


def test_an_import_with_a_bad_row_lands_nothing(fund, fund_admin):
    dataset = tablib.Dataset(
        ("genera-azioni", "2026-01-10", "Comune", "municipality", "500.00", "EUR", ""),
        ("genera-azioni", "2026-01-11", "Comune", "municipality", "-3", "EUR", ""),
        headers=["programme", "date", "funder", "kind", "amount", "currency", "note"],
    )
    result = ContributionResource(actor=fund_admin).import_data(dataset, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not Contribution.objects.exists() and not Transaction.objects.exists()


def test_admin_is_read_only(client, fund):
    make_contribution(fund=fund)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    tx = Transaction.objects.get()
    page = client.get(reverse("admin:fund_transaction_change", args=[tx.pk]))
    assert page.status_code == 200 and "Salva" not in page.content.decode()
    assert client.get(reverse("admin:fund_transaction_add")).status_code == 403
    assert client.get(reverse("admin:fund_contribution_changelist")).status_code == 200
    assert client.post(reverse("admin:fund_transaction_delete", args=[tx.pk])).status_code == 403
