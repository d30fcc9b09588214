"""Rent and service charges are different debts (L. 392/1978 art. 5; art. 1193 c.c.).

Each month's due has a rent part and a charges part; a payment settles the oldest month first
(its rent, then its charges) unless the tenant declares it pays the rent; a case opens on
charges alone only when they *exceed* two months' rent, and charges left unpaid never make a
month's rent late."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from common.money import eur
from tenancies.forms.leases import PaymentForm
from tenancies.models import Allocation, ArrearsCase, Payment
from tenancies.rent.allocation import OpenParts, allocate_imputed
from tenancies.selectors.rent import dues_with_balance, lease_balance, lease_open_dues
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.services.payments import payment_record
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for

RENT_FIRST = Payment.Imputation.RENT_FIRST
cents = st.integers(min_value=0, max_value=200_000).map(lambda c: Decimal(c) / 100)


def test_the_law_settles_the_oldest_month_first_rent_then_charges():
    dues = [
        OpenParts(1, Decimal("500"), Decimal("50")),
        OpenParts(2, Decimal("500"), Decimal("50")),
    ]

    allocations, credit = allocate_imputed(Decimal("600"), dues)

    assert allocations == [
        (1, "rent", Decimal("500")),
        (1, "charges", Decimal("50")),
        (2, "rent", Decimal("50")),
    ]
    assert credit == 0


def test_the_tenant_may_pay_the_rent_first():
    dues = [
        OpenParts(1, Decimal("500"), Decimal("50")),
        OpenParts(2, Decimal("500"), Decimal("50")),
    ]

    allocations, credit = allocate_imputed(Decimal("1020"), dues, rent_first=True)

    assert allocations == [
        (1, "rent", Decimal("500")),
        (2, "rent", Decimal("500")),
        (1, "charges", Decimal("20")),
    ]
    assert credit == 0


@given(
    amount=cents,
    parts=st.lists(st.tuples(cents, cents), max_size=8),
    rent_first=st.booleans(),
)
def test_imputed_allocations_add_up_to_the_cent(amount, parts, rent_first):
    dues = [OpenParts(i, rent, charges) for i, (rent, charges) in enumerate(parts)]

    allocations, credit = allocate_imputed(amount, dues, rent_first=rent_first)

    assert sum((a for _, _, a in allocations), Decimal("0")) + credit == amount
    assert credit >= 0
    for due in dues:
        assert sum((a for i, p, a in allocations if i == due.due_id and p == "rent"), 0) <= due.rent
        assert (
            sum((a for i, p, a in allocations if i == due.due_id and p == "charges"), 0)
            <= due.charges
        )


@pytest.fixture
def lease_from_january(programme, operator):
    """Active from 1 January 2026, rent due on the 5th; activation on 10 March makes January to
    March due."""

    def make(rent="500", charges="50"):
        lease = LeaseFactory(
            household__programme=programme,
            household__operator=operator,
            rent=eur(rent),
            service_charges=eur(charges),
        )
        active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
        lease_activate(actor=operator, lease=lease, today=date(2026, 3, 10))
        return lease

    return make


def pay(lease, operator, amount, imputation=Payment.Imputation.OLDEST_FIRST, on=date(2026, 3, 10)):
    return payment_record(
        actor=operator,
        lease=lease,
        amount=Decimal(amount),
        paid_on=on,
        method=Payment.Method.BANK_TRANSFER,
        payer=Payment.Payer.HOUSEHOLD,
        imputation=imputation,
    )


@pytest.mark.django_db
def test_every_due_has_a_rent_part_and_a_charges_part(lease_from_january):
    lease = lease_from_january()
    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 1))  # the INSERT … SELECT

    dues = list(lease.dues.order_by("month"))

    assert len(dues) == 4
    for due in dues:
        assert (due.rent_part, due.charges_part, due.amount) == (eur("500"), eur("50"), eur("550"))


@pytest.mark.django_db
def test_a_tenant_who_pays_the_rent_and_leaves_charges_unpaid_is_not_in_arrears(
    lease_from_january, operator
):
    lease = lease_from_january()
    pay(lease, operator, "1500", RENT_FIRST)  # January to March rent, no charges

    result = run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 30))

    assert result.cases_opened == 0
    assert not ArrearsCase.objects.filter(lease=lease).exists()
    balance = lease_balance(lease=lease, today=date(2026, 3, 30))
    assert balance.overdue == Decimal("150.00")  # still owed, a debt of its own
    open_dues = lease_open_dues(lease=lease)
    assert [(d.rent_outstanding, d.charges_outstanding) for d in open_dues] == [
        (Decimal("0.00"), Decimal("50.00"))
    ] * 3


@pytest.mark.django_db
def test_without_a_declaration_the_same_money_pays_the_oldest_month_first(
    lease_from_january, operator
):
    """The same 1,500 € imputed by the law's order leaves 100 € of March rent unpaid: on 30
    March that is more than 20 days after the 5th, so a case opens."""
    lease = lease_from_january()
    pay(lease, operator, "1500")

    result = run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 30))

    assert result.cases_opened == 1
    march = dues_with_balance(lease.dues.filter(month=date(2026, 3, 1))).get()
    assert (march.rent_outstanding, march.charges_outstanding) == (Decimal("100"), Decimal("50"))


@pytest.mark.django_db
@pytest.mark.parametrize(("paid", "opens"), [("2000.00", False), ("1999.99", True)])
def test_charges_open_a_case_only_when_they_exceed_two_months_rent(
    lease_from_january, operator, paid, opens
):
    """Rent 500 and charges 500 a month, January to March: the tenant pays all the rent and
    500 of charges, leaving charges of exactly two months' rent (1,000 €: no case, "superi"
    means more); one cent less paid leaves 1,000.01 € (a case)."""
    lease = lease_from_january(rent="500", charges="500")
    pay(lease, operator, paid, RENT_FIRST)

    result = run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 10))

    assert result.cases_opened == (1 if opens else 0)
    assert ArrearsCase.objects.filter(lease=lease).exists() is opens
    if opens:
        assert ArrearsCase.objects.get(lease=lease).amount_at_opening == eur("1000.01")


@pytest.mark.django_db
def test_allocations_sum_to_each_payment_and_each_part(lease_from_january, operator):
    lease = lease_from_january()
    first = pay(lease, operator, "1020", RENT_FIRST)
    second = pay(lease, operator, "700")

    allocated = [p.allocations.aggregate(total=Sum("amount"))["total"] for p in (first, second)]
    assert allocated == [Decimal("1020"), Decimal("630")]  # 70 € of credit left
    for due in dues_with_balance(lease.dues.all()):
        assert due.rent_paid + due.charges_paid == due.paid
        assert Decimal("0") <= due.rent_paid <= due.rent_part.amount
        assert Decimal("0") <= due.charges_paid <= due.charges_part.amount
    assert Allocation.objects.filter(due__lease=lease, part="charges").exists()
    assert lease_balance(lease=lease, today=date(2026, 3, 10)).balance == Decimal("-70.00")


@pytest.mark.django_db
def test_the_payment_form_records_the_tenants_declaration(lease_from_january, client, operator):
    lease = lease_from_january()
    assert "imputation" in PaymentForm().fields
    client.force_login(operator)

    response = client.post(
        reverse("tenancies:payment_new", args=[lease.pk]),
        {
            "amount": "1500",
            "paid_on": "2026-03-10",
            "method": Payment.Method.BANK_TRANSFER,
            "payer": Payment.Payer.HOUSEHOLD,
            "imputation": RENT_FIRST,
            "bank_reference": "",
            "note": "",
            "idempotency_key": "declaration-form",
        },
    )

    assert response.status_code == 302
    payment = Payment.objects.get(lease=lease)
    assert payment.imputation == RENT_FIRST
    assert set(payment.allocations.values_list("part", flat=True)) == {"rent"}


@pytest.mark.django_db
def test_the_migration_splits_existing_dues_and_allocations(lease_from_january, operator):
    """Dues recorded before the split: the rent part is the lease's rent, the rest charges;
    each allocation that settled a due as a whole goes to its rent first, then its charges."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("tenancies.migrations.0009_rent_and_charges_apart")
    lease = lease_from_january()
    pay(lease, operator, "300")
    pay(lease, operator, "400")  # January: 200 rent + 50 charges; February: 150 rent
    # As the rows stood before: no parts, one allocation per payment and due.
    lease.dues.update(rent_part=0, charges_part=0)
    january = lease.dues.get(month=date(2026, 1, 1))
    second = Payment.objects.get(amount=eur("400"))
    Allocation.objects.filter(payment=second).delete()
    Allocation.objects.bulk_create(
        [
            Allocation(payment=second, due=january, amount=eur("250")),
            Allocation(
                payment=second, due=lease.dues.get(month=date(2026, 2, 1)), amount=eur("150")
            ),
        ]
    )

    migration.split_existing(apps, None)

    assert {(d.rent_part, d.charges_part) for d in lease.dues.all()} == {(eur("500"), eur("50"))}
    january_parts = sorted(
        (a.payment.amount.amount, a.part, a.amount.amount) for a in january.allocations.all()
    )
    assert january_parts == [
        (Decimal("300.00"), "rent", Decimal("300.00")),
        (Decimal("400.00"), "charges", Decimal("50.00")),
        (Decimal("400.00"), "rent", Decimal("200.00")),
    ]
    assert Allocation.objects.filter(payment=second).aggregate(total=Sum("amount"))[
        "total"
    ] == Decimal("400")
