"""Issue 12: contribution imports read Italian numbers, the preview reports what will be booked,
exports neutralise formulas and carry a BOM."""

import pytest
import tablib
from django.urls import reverse

from common.exports import BOM
from common.money import eur
from common.tests.factories import UserFactory
from fund.models import Contribution, Transaction
from fund.resources import ContributionResource
from fund.tests.factories import make_contribution

pytestmark = pytest.mark.django_db

HEADERS = ["programme", "date", "funder", "kind", "amount", "currency", "note"]


def rows(*amounts, kind="municipality", day="2026-01-10"):
    return tablib.Dataset(
        *[("genera-azioni", day, "Comune", kind, amount, "EUR", "") for amount in amounts],
        headers=HEADERS,
    )


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1.200", "1200.00"), ("1.200,50", "1200.50"), ("1200,5", "1200.50"), ("1200.50", "1200.50")],
)
def test_italian_amounts(fund, fund_admin, text, amount):
    result = ContributionResource(actor=fund_admin).import_data(rows(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Contribution.objects.get().amount == eur(amount)


@pytest.mark.parametrize("text", ["1,200", "1,200.50", "NaN", "Infinity", "1e400", "1200,505"])
def test_ambiguous_or_non_finite_amounts_are_row_errors(fund, fund_admin, text):
    result = ContributionResource(actor=fund_admin).import_data(rows("10,00", text), dry_run=False)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2 and "amount" in invalid.field_specific_errors
    assert not Contribution.objects.exists() and not Transaction.objects.exists()


def test_the_preview_reports_what_will_be_booked(fund, fund_admin):
    """A row the service refuses (a date in the future) used to preview as "1 new"."""
    dataset = rows("500,00", day="2999-01-01")
    preview = ContributionResource(actor=fund_admin).import_data(dataset, dry_run=True)
    assert preview.totals["new"] == 0
    assert preview.has_errors() or preview.has_validation_errors()
    assert not Contribution.objects.exists()

    good = ContributionResource(actor=fund_admin).import_data(rows("500,00"), dry_run=True)
    assert good.totals["new"] == 1 and not good.has_errors()
    assert not Contribution.objects.exists() and not Transaction.objects.exists()
    booked = ContributionResource(actor=fund_admin).import_data(rows("500,00"), dry_run=False)
    assert booked.totals["new"] == Contribution.objects.count() == 1


def test_export_neutralises_formulas_and_round_trips(fund, fund_admin):
    make_contribution(fund=fund, amount="10.00", funder='=HYPERLINK("http://x","Più")')
    exported = ContributionResource().export()
    assert "'=HYPERLINK" in exported.csv


def test_admin_csv_export_has_a_bom(client, fund):
    make_contribution(fund=fund, amount="10.00", funder="Più Casa")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:fund_contribution_export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    csv_index = next(
        i for i, (_value, label) in enumerate(form.fields["format"].choices) if label == "csv"
    )
    data = {"format": form.fields["format"].choices[csv_index][0], "resource": 0}
    data.update({name: "on" for name in form.fields if name.startswith("contributionresource_")})
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert response.content.startswith(BOM.encode())
    assert "Più Casa" in response.content.decode("utf-8-sig")
