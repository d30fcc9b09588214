"""The fund's queues filtered in the URL (state, amount, date), sorted, and exported: the XLSX
has the filtered rows with the money as numbers, and the export is in the audit trail."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.timezone import localdate, now

from common.models import AuditEvent
from fund.models import Claim, Guarantee
from fund.services.claims import claim_submit
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)

pytestmark = pytest.mark.django_db

CLAIMS = reverse("fund:claim_list")
GUARANTEES = reverse("fund:guarantee_list")


@pytest.fixture
def claims(fund, programme, operator, fund_admin, member):
    funded(fund, amount="50000.00")
    reviewer, approver = member("fund_admin", username="r"), member("fund_admin", username="a")
    made = []
    for rent, months in (("400", 1), ("600", 3)):
        lease = guaranteed_lease(programme=programme, operator=operator, rent=rent)
        guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
        made.append((guarantee, months))
    small = claim_submit(
        actor=operator, guarantee=made[0][0], due_ids=[made[0][0].lease.dues.first().pk]
    )
    large = approved_claim(
        guarantee=made[1][0], submitter=operator, reviewer=reviewer, approver=approver, months=3
    )
    # Set-up: the small claim arrived ten days ago.
    Claim.objects.filter(pk=small.pk).update(submitted_at=now() - timedelta(days=10))
    return {"small": small, "large": large}


def _rows(response):
    return [row.pk for row in response.context["page"]]


def test_claim_filters_narrow_the_queue(client_of, fund_admin, claims):
    client = client_of(fund_admin)
    small, large = claims["small"].pk, claims["large"].pk
    assert sorted(_rows(client.get(CLAIMS))) == sorted([small, large])
    assert _rows(client.get(CLAIMS, {"status": "approved"})) == [large]
    assert _rows(client.get(CLAIMS, {"amount_min": "1000"})) == [large]
    assert _rows(client.get(CLAIMS, {"amount_max": "1000"})) == [small]
    assert _rows(client.get(CLAIMS, {"date_from": localdate().isoformat()})) == [large]
    day = (localdate() - timedelta(days=10)).isoformat()
    assert _rows(client.get(CLAIMS, {"date_from": day, "date_to": day})) == [small]
    assert _rows(client.get(CLAIMS, {"ordina": "-importo"})) == [large, small]
    assert _rows(client.get(CLAIMS, {"ordina": "importo"})) == [small, large]


@pytest.mark.parametrize(
    "params", [{"date_from": "ieri"}, {"status": "lost"}, {"amount_min": "-5"}, {"ordina": "x"}]
)
def test_a_bad_claim_filter_is_a_message(client_of, fund_admin, claims, params):
    response = client_of(fund_admin).get(CLAIMS, params, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200 and _rows(response) == []
    assert "Alcuni filtri non sono validi" in response.content.decode()


def test_claims_export_xlsx_with_money_as_numbers_audited(client_of, fund_admin, claims):
    client = client_of(fund_admin)
    response = client.get(CLAIMS, {"status": "approved", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2
    amount = rows[1][rows[0].index("Importo (EUR)")]
    assert Decimal(str(amount)) == claims["large"].amount.amount
    event = AuditEvent.objects.get(verb="list_exported")
    assert event.actor == fund_admin
    assert event.data["filters"] == {"status": "approved"} and event.data["rows"] == 1


def test_guarantee_list_filters_and_exports_csv(client_of, fund_admin, claims):
    client = client_of(fund_admin)
    assert len(_rows(client.get(GUARANTEES, {"status": Guarantee.Status.ACTIVE}))) == 2
    assert _rows(client.get(GUARANTEES, {"status": Guarantee.Status.REQUESTED})) == []
    response = client.get(GUARANTEES, {"status": "active", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 3
