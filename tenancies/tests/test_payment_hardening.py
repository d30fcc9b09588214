"""Payments an operator records: never a guarantee fund payout, never in the fund's reference
namespace, and the same form sent twice books the money once."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from tenancies.forms.leases import PaymentForm
from tenancies.models import Payment
from tenancies.services.leases import lease_activate
from tenancies.services.payments import payment_record
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture
def lease(programme, operator):
    lease = LeaseFactory(household__programme=programme, household__operator=operator)
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1), signed_on=date(2025, 1, 1))
    return lease_activate(actor=operator, lease=lease, today=TODAY)


def pay(lease, operator, **overrides):
    data = {
        "actor": operator,
        "lease": lease,
        "amount": Decimal("100"),
        "paid_on": TODAY,
        "method": Payment.Method.BANK_TRANSFER,
        "payer": Payment.Payer.HOUSEHOLD,
    }
    data.update(overrides)
    return payment_record(**data)


def form_post(**overrides):
    data = {
        "amount": "100",
        "paid_on": "2026-03-10",
        "method": Payment.Method.BANK_TRANSFER,
        "payer": Payment.Payer.HOUSEHOLD,
        "imputation": Payment.Imputation.OLDEST_FIRST,
        "bank_reference": "",
        "note": "",
        "idempotency_key": "modulo-1",
    }
    data.update(overrides)
    return data


# --- the fund's payouts are the fund's ------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"method": Payment.Method.FUND_PAYOUT}, "method"),
        ({"payer": Payment.Payer.FUND}, "payer"),
        (
            {"method": Payment.Method.FUND_PAYOUT, "payer": Payment.Payer.FUND},
            "method",
        ),
    ],
)
def test_the_service_refuses_a_fund_payout_not_made_by_the_fund(lease, operator, overrides, field):
    with pytest.raises(DomainError) as error:
        pay(lease, operator, **overrides)

    assert error.value.field == field
    assert "fondo" in error.value.message
    assert not Payment.objects.exists()


@pytest.mark.parametrize("reference", ["FONDO-RICHIESTA-1", "fondo-a1b2c3", " FONDO-X"])
def test_the_service_refuses_references_in_the_funds_namespace(lease, operator, reference):
    with pytest.raises(DomainError) as error:
        pay(lease, operator, bank_reference=reference)

    assert error.value.field == "bank_reference"
    assert "FONDO-" in error.value.message and "riservat" in error.value.message
    assert not Payment.objects.exists()


def test_an_ordinary_reference_is_still_recorded(lease, operator):
    payment = pay(lease, operator, bank_reference="CRO-0001")

    assert payment.bank_reference == "CRO-0001"


def test_the_form_offers_neither_the_funds_method_nor_the_fund_as_payer():
    form = PaymentForm()

    assert Payment.Method.FUND_PAYOUT not in dict(form.fields["method"].choices)
    assert Payment.Payer.FUND not in dict(form.fields["payer"].choices)
    assert Payment.Method.BANK_TRANSFER in dict(form.fields["method"].choices)


@pytest.mark.parametrize(
    "overrides",
    [
        {"method": Payment.Method.FUND_PAYOUT},
        {"payer": Payment.Payer.FUND},
        {"bank_reference": "FONDO-RICHIESTA-1"},
    ],
)
def test_the_payment_page_refuses_a_fake_fund_payout(client_of, operator, lease, overrides):
    response = client_of(operator).post(
        reverse("tenancies:payment_new", args=[lease.pk]), form_post(**overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Payment.objects.exists()


# --- the same form sent twice books once ------------------------------------------------------


def test_the_same_token_twice_books_once_and_returns_the_first_payment(lease, operator):
    first = pay(lease, operator, idempotency_key="modulo-1")
    second = pay(lease, operator, idempotency_key="modulo-1")

    assert first.replayed is False
    assert second.replayed is True
    assert second.pk == first.pk
    assert Payment.objects.filter(lease=lease).count() == 1
    assert first.allocations.count() == 1  # allocated once, not twice


def test_the_same_token_with_a_bank_reference_shows_the_first_payment(lease, operator):
    first = pay(lease, operator, idempotency_key="modulo-1", bank_reference="CRO-7")
    second = pay(lease, operator, idempotency_key="modulo-1", bank_reference="CRO-7")

    assert second.pk == first.pk and second.replayed


def test_different_tokens_book_two_payments(lease, operator):
    pay(lease, operator, idempotency_key="modulo-1")
    pay(lease, operator, idempotency_key="modulo-2")

    assert Payment.objects.filter(lease=lease).count() == 2


def test_a_token_used_on_another_lease_is_refused(lease, operator, programme):
    other = LeaseFactory(household__programme=programme, household__operator=operator)
    active_agreement_for(other.landlord, valid_from=date(2025, 1, 1), signed_on=date(2025, 1, 1))
    other = lease_activate(actor=operator, lease=other, today=TODAY)
    pay(lease, operator, idempotency_key="modulo-1")

    with pytest.raises(DomainError):
        pay(other, operator, idempotency_key="modulo-1")
    assert not Payment.objects.filter(lease=other).exists()


def test_the_form_renders_a_fresh_one_time_token(client_of, operator, lease):
    url = reverse("tenancies:payment_new", args=[lease.pk])
    client = client_of(operator)

    first = client.get(url).context["form"]["idempotency_key"].value()
    second = client.get(url).context["form"]["idempotency_key"].value()

    assert first and second and first != second
    assert 'type="hidden" name="idempotency_key"' in client.get(url).content.decode()


def test_a_double_click_on_the_payment_page_books_once(client_of, operator, lease):
    client = client_of(operator)
    url = reverse("tenancies:payment_new", args=[lease.pk])

    first = client.post(url, form_post(), follow=True)
    second = client.post(url, form_post(), follow=True)

    assert Payment.objects.filter(lease=lease).count() == 1
    assert first.redirect_chain[-1][0] == second.redirect_chain[-1][0] == lease.get_absolute_url()
    assert "già stato registrato" not in first.content.decode()
    assert "già stato registrato" in second.content.decode()


def test_a_form_without_its_token_books_nothing(client_of, operator, lease):
    response = client_of(operator).post(
        reverse("tenancies:payment_new", args=[lease.pk]), form_post(idempotency_key="")
    )

    assert response.status_code == 200
    assert not Payment.objects.exists()
