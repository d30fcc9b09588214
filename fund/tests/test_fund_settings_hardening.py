"""Issue 12: leverage bounded, and changed only with four eyes; numbers in fund forms finite."""

from decimal import Decimal

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from common.models import AuditEvent
from common.money import eur
from fund.forms.ledger import ContributionForm, FundForm, StressForm
from fund.models import Fund, LeverageChange
from fund.services.funds import (
    fund_update,
    leverage_change_approve,
    leverage_change_propose,
    leverage_change_reject,
)
from fund.tests.factories import make_contribution, make_fund

pytestmark = pytest.mark.django_db


def settings_data(**changes):
    data = {"name": "Fondo", "leverage": "1,00", "cover_months": 3, "cover_cap": "3000"}
    return {**data, **changes}


@pytest.mark.parametrize("value", ["999,99", "5,01", "0,49", "NaN", "Infinity", "1e400"])
def test_leverage_out_of_range_or_not_a_number_is_refused_by_the_form(value):
    form = FundForm(settings_data(leverage=value))
    assert not form.is_valid()
    assert form.errors["leverage"]


def test_the_form_names_the_range(fund_admin, client_of, fund):
    response = client_of(fund_admin).post(
        reverse("fund:settings"), settings_data(leverage="999,99")
    )
    assert response.status_code == 200
    assert "5,00" in response.content.decode()
    fund.refresh_from_db()
    assert fund.leverage == Decimal("1.00")


@pytest.mark.parametrize("value", ["999.99", "0.01", "NaN", "Infinity", "1.234"])
def test_services_refuse_leverage_out_of_range(programme, fund_admin, value):
    with pytest.raises(DomainError, match="leva"):
        make_fund(programme=programme, actor=fund_admin, leverage=value)
    assert not Fund.objects.exists()


def test_a_leverage_change_needs_a_second_administrator(fund, fund_admin, second_admin, client_of):
    make_contribution(fund=fund, amount="1000.00")
    client = client_of(fund_admin)
    response = client.post(
        reverse("fund:settings"), settings_data(leverage="2,50", leverage_reason="Delibera 4")
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.leverage == Decimal("1.00")  # not yet
    change = LeverageChange.objects.get()
    assert change.status == LeverageChange.Status.PROPOSED and change.reason == "Delibera 4"

    approve_url = reverse("common:step", args=["leverage_change", change.pk, "approve"])
    assert approve_url not in client.get(reverse("fund:settings")).content.decode()
    with pytest.raises(DomainError):
        leverage_change_approve(actor=fund_admin, change=change)
    fund.refresh_from_db()
    assert fund.leverage == Decimal("1.00")

    other = client_of(second_admin)
    assert approve_url in other.get(reverse("fund:settings")).content.decode()
    assert other.post(approve_url, {"note": "Visto"}).status_code == 302
    fund.refresh_from_db()
    change = LeverageChange.objects.get(pk=change.pk)  # protected FSM field: no refresh
    assert fund.leverage == Decimal("2.50")
    assert change.status == LeverageChange.Status.APPROVED and change.decided_by == second_admin
    event = AuditEvent.objects.filter(verb="settings_changed", actor=second_admin).get()
    assert event.data["after"] == {"leverage": "2.50"}


def test_one_proposal_at_a_time_and_rejection(fund, fund_admin, second_admin):
    change = leverage_change_propose(actor=fund_admin, fund=fund, leverage=Decimal("2"))
    with pytest.raises(DomainError, match="già in attesa"):
        leverage_change_propose(actor=second_admin, fund=fund, leverage=Decimal("3"))
    leverage_change_reject(actor=fund_admin, change=change, note="Ci ho ripensato")
    fund.refresh_from_db()
    assert fund.leverage == Decimal("1.00")
    leverage_change_propose(actor=second_admin, fund=fund, leverage=Decimal("3"))


def test_approval_rechecks_the_exposure(fund, fund_admin, second_admin):
    from fund.tests.test_capacity import reserve

    make_contribution(fund=fund, amount="1000.00")
    fund_update(actor=fund_admin, fund=fund, name="F", cover_months=3, cover_cap=eur("3000"))
    change = leverage_change_propose(actor=fund_admin, fund=fund, leverage=Decimal("0.50"))
    reserve(fund, "800.00")
    with pytest.raises(DomainError, match="capacità"):
        leverage_change_approve(actor=second_admin, change=change)
    assert LeverageChange.objects.get(pk=change.pk).status == LeverageChange.Status.PROPOSED


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "non è un numero"),
        ("Infinity", "non è un numero"),
        ("-Infinity", "non è un numero"),
        ("1e400", "non è un numero"),
        ("9999999999999", "troppo grande"),
        ("1,200.50", "in due modi"),
    ],
)
def test_fund_money_fields_refuse_what_is_not_an_amount(value, message):
    form = ContributionForm(
        {"funder": "X", "kind": "donation", "amount": value, "date": "2026-01-02"}
    )
    assert not form.is_valid()
    assert message in " ".join(form.errors["amount"])
    stress = StressForm({"cash": value})
    assert not stress.is_valid() and stress.errors["cash"]


@pytest.mark.parametrize(
    ("value", "amount"),
    [("1.200", "1200"), ("1.200,50", "1200.50"), ("1200,5", "1200.50"), ("1200.50", "1200.50")],
)
def test_fund_money_fields_read_italian_numbers(value, amount):
    form = ContributionForm(
        {"funder": "X", "kind": "donation", "amount": value, "date": "2026-01-02"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(amount)
