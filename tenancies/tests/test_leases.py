from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.exceptions import DomainError
from common.integrity import integrity_run
from common.models import AuditEvent
from common.money import eur
from housing.models import LeaseType
from tenancies.models import ArrearsCase, Lease, Payment, RentDue
from tenancies.selectors.plans import plan_progress
from tenancies.selectors.rent import lease_balance, lease_ledger, lease_statement
from tenancies.services.arrears import (
    arrears_case_contact,
    arrears_case_escalate,
    arrears_plan_agree,
    arrears_policy_for,
    arrears_report_by_landlord,
)
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.services.payments import payment_record
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for

TODAY = date(2026, 3, 10)


@pytest.fixture
def lease(programme, operator):
    lease = LeaseFactory(household__programme=programme, household__operator=operator)
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1), signed_on=date(2025, 1, 1))
    return lease


def activate(lease, operator, today=TODAY):
    return lease_activate(actor=operator, lease=lease, today=today)


def pay(lease, operator, amount, on, ref=""):
    return payment_record(
        actor=operator,
        lease=lease,
        amount=Decimal(amount),
        paid_on=on,
        method=Payment.Method.BANK_TRANSFER,
        payer=Payment.Payer.HOUSEHOLD,
        bank_reference=ref,
    )


def test_activation_makes_due_the_months_started(lease, operator):
    activate(lease, operator)

    lease.refresh_from_db()
    assert lease.status == Lease.Status.ACTIVE
    months = list(lease.dues.values_list("month", "due_date", "amount"))
    assert months == [
        (date(2026, 1, 1), date(2026, 1, 5), Decimal("550.00")),
        (date(2026, 2, 1), date(2026, 2, 5), Decimal("550.00")),
        (date(2026, 3, 1), date(2026, 3, 5), Decimal("550.00")),
    ]
    assert AuditEvent.objects.filter(verb="activate", target_id=str(lease.pk)).exists()


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ({"lease_types": [LeaseType.FREE_4_4]}, "non accetta"),
        ({"max_monthly_rent": eur("400")}, "sopra il tetto"),
    ],
)
def test_activation_outside_the_agreement_is_refused_and_nothing_changes(
    programme, operator, terms, message
):
    lease = LeaseFactory(household__programme=programme)
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1), **terms)

    with pytest.raises(DomainError) as error:
        activate(lease, operator)

    assert message in error.value.message
    lease.refresh_from_db()
    assert lease.status == Lease.Status.DRAFT
    assert not RentDue.objects.exists()
    assert not AuditEvent.objects.filter(verb="activate").exists()


def test_activation_without_an_active_agreement_is_refused(programme, operator):
    lease = LeaseFactory(household__programme=programme)
    with pytest.raises(DomainError, match="nessuna convenzione attiva"):
        activate(lease, operator)


def test_payment_settles_oldest_dues_and_keeps_credit(lease, operator):
    activate(lease, operator)

    pay(lease, operator, "1200.00", date(2026, 3, 8))

    balance = lease_balance(lease=lease, today=TODAY)
    assert balance.overdue == Decimal("450.00")  # march: 550 - 100 left after Jan + Feb
    assert balance.credit == Decimal("0.00")
    pay(lease, operator, "600.00", date(2026, 3, 9))
    balance = lease_balance(lease=lease, today=TODAY)
    assert (balance.overdue, balance.credit) == (Decimal("0.00"), Decimal("150.00"))
    rows = lease_ledger(lease=lease)
    assert rows[-1].balance == Decimal("-150.00")


@pytest.mark.parametrize("today", [date(2026, 1, 31), TODAY, date(2026, 4, 30)])
def test_the_lease_page_statement_agrees_with_the_balance_and_the_ledger(lease, operator, today):
    """The lease page sums its balance from the rows it loads: the same figures as the
    aggregates of `lease_balance` and the same rows as `lease_ledger`, part paid and credit
    included."""
    activate(lease, operator)
    pay(lease, operator, "700.00", date(2026, 2, 8))
    pay(lease, operator, "1300.00", date(2026, 3, 9))

    balance, ledger = lease_statement(lease=lease, today=today)

    assert balance == lease_balance(lease=lease, today=today)
    assert balance.credit > 0 and balance.due > 0
    assert ledger == lease_ledger(lease=lease)


def test_credit_settles_the_next_month_in_the_monthly_run(lease, operator):
    activate(lease, operator)
    pay(lease, operator, "1800.00", date(2026, 3, 8))  # 150 of credit

    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 1))

    april = lease.dues.get(month=date(2026, 4, 1))
    assert sum(a.amount.amount for a in april.allocations.all()) == Decimal("150.00")
    assert lease_balance(lease=lease, today=date(2026, 4, 1)).credit == Decimal("0.00")
    assert lease.payments.get().allocated_in_full  # its credit is spent


def test_a_payment_with_credit_is_marked_until_its_credit_is_spent(lease, operator):
    """The monthly run finds credit by the payments not allocated in full; the mark follows
    the allocations and check_integrity says when it does not."""
    activate(lease, operator)
    exact = pay(lease, operator, "1650.00", date(2026, 3, 8))  # January to March, exactly
    over = pay(lease, operator, "600.00", date(2026, 3, 9))  # 600 of credit
    assert Payment.objects.get(pk=exact.pk).allocated_in_full
    assert not Payment.objects.get(pk=over.pk).allocated_in_full

    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 1))  # April takes 550 of it
    assert not Payment.objects.get(pk=over.pk).allocated_in_full
    run_monthly(month=date(2026, 5, 1), today=date(2026, 5, 1))  # May takes the last 50
    assert Payment.objects.get(pk=over.pk).allocated_in_full

    checks = {v.check for v in integrity_run()}
    assert "payment_allocated_in_full_matches_allocations" not in checks
    Payment.objects.filter(pk=exact.pk).update(allocated_in_full=False)
    checks = {v.check for v in integrity_run()}
    assert "payment_allocated_in_full_matches_allocations" in checks


def test_the_same_bank_reference_is_not_counted_twice(lease, operator):
    activate(lease, operator)
    pay(lease, operator, "550.00", date(2026, 3, 1), ref="TRN123")

    with pytest.raises(DomainError) as error:
        pay(lease, operator, "550.00", date(2026, 3, 2), ref="TRN123")

    assert error.value.field == "bank_reference"
    assert Payment.objects.count() == 1


def test_monthly_run_twice_creates_nothing_new(lease, operator):
    activate(lease, operator)

    first = run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 30))
    second = run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 30))

    assert (first.dues_created, first.cases_opened) == (1, 1)
    assert (second.dues_created, second.cases_opened) == (0, 0)
    assert lease.dues.count() == 4
    assert ArrearsCase.objects.count() == 1


@pytest.mark.parametrize(("day", "opens"), [(24, False), (25, False), (26, True)])
def test_a_case_opens_exactly_after_the_twentieth_day(programme, operator, day, opens):
    """March rent is due on the 5th: day 19 late is the 24th, day 20 the 25th, day 21 the 26th."""
    lease = LeaseFactory(household__programme=programme, start_date=date(2026, 3, 1))
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    activate(lease, operator, today=date(2026, 3, 1))

    result = run_monthly(month=date(2026, 3, 1), today=date(2026, 3, day))

    assert result.cases_opened == (1 if opens else 0)
    assert ArrearsCase.objects.filter(lease=lease).exists() is opens


def test_two_months_of_arrears_open_a_case_even_within_the_grace_period(programme, operator):
    """The second rule of art. 5: two months' rent overdue opens a case at once."""
    lease = LeaseFactory(
        household__programme=programme, start_date=date(2026, 3, 1), service_charges=eur("0")
    )
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    activate(lease, operator, today=date(2026, 3, 1))
    policy = arrears_policy_for(programme_id=programme.pk)
    policy.grace_days = 60  # so only the two-months rule can fire
    policy.save()

    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 6))  # March + April unpaid

    assert ArrearsCase.objects.get(lease=lease).amount_at_opening == eur("1000")


def test_plan_instalments_add_up_and_a_paid_plan_cures_the_case(lease, operator):
    activate(lease, operator)
    run_monthly(month=date(2026, 3, 1), today=TODAY)
    case = ArrearsCase.objects.get()
    arrears_case_contact(actor=operator, case=case, note="Telefonata: ha perso il lavoro")

    plan = arrears_plan_agree(
        actor=operator, case=case, instalments=7, first_due=date(2026, 4, 1), today=TODAY
    )

    amounts = [i.amount.amount for i in plan.instalments.all()]
    assert sum(amounts) == plan.total.amount == Decimal("1650.00")  # January to March
    assert len(amounts) == 7
    pay(lease, operator, "1650.00", date(2026, 4, 2))
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.CURED


def test_monthly_run_detects_a_broken_plan(lease, operator):
    activate(lease, operator)
    run_monthly(month=date(2026, 3, 1), today=TODAY)
    case = ArrearsCase.objects.get()
    plan = arrears_plan_agree(
        actor=operator, case=case, instalments=2, first_due=date(2026, 3, 15), today=TODAY
    )

    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 1))
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.PLAN_BROKEN
    assert plan_progress(plan=plan, today=date(2026, 4, 1)).is_broken


def test_illegal_arrears_move_is_refused_and_nothing_changes(lease, operator):
    activate(lease, operator)
    run_monthly(month=date(2026, 3, 1), today=TODAY)
    case = ArrearsCase.objects.get()

    with pytest.raises(DomainError):
        arrears_case_escalate(actor=operator, case=case, note="subito")  # not from "opened"
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.OPENED


def test_landlord_report_opens_the_case_once(lease, operator, member):
    landlord_user = member("landlord")
    activate(lease, operator)

    first = arrears_report_by_landlord(actor=landlord_user, lease=lease, months=[date(2026, 2, 1)])
    second = arrears_report_by_landlord(actor=landlord_user, lease=lease, months=[date(2026, 3, 1)])

    assert first == second
    assert first.origin == ArrearsCase.Origin.LANDLORD_REPORT
    assert "03/2026" in ArrearsCase.objects.get().landlord_note


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payments=st.lists(st.integers(min_value=1, max_value=120_000), min_size=1, max_size=8))
def test_allocations_and_credit_always_add_up_to_the_cent(programme, operator, payments):
    """Whatever is paid, in whatever pieces: allocated + credit == received, no due is
    settled beyond its amount, and the ledger's last balance is what is owed."""
    lease = LeaseFactory(household__programme=programme)
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    activate(lease, operator)
    for cents in payments:
        pay(lease, operator, str(Decimal(cents) / 100), TODAY)

    received = sum(p.amount.amount for p in lease.payments.all())
    balance = lease_balance(lease=lease, today=TODAY)
    assert balance.paid == received
    allocated = Decimal(0)
    for due in lease.dues.all():
        settled = sum((a.amount.amount for a in due.allocations.all()), Decimal(0))
        assert Decimal(0) <= settled <= due.amount.amount
        allocated += settled
    assert allocated + balance.credit == received
    assert lease_ledger(lease=lease)[-1].balance == balance.due - received
    # Only a payment with money left is unmarked: what the monthly run looks for.
    for payment in lease.payments.all():
        left = payment.amount.amount - sum(
            (a.amount.amount for a in payment.allocations.all()), Decimal(0)
        )
        assert payment.allocated_in_full == (left == 0)


def test_monthly_run_is_set_based(programme, operator, django_assert_max_num_queries):
    """The number of queries does not grow with the number of leases (it once ran two per
    lease: DISTINCT over the default ordering)."""

    def leases(n):
        for _ in range(n):
            lease = LeaseFactory(household__programme=programme, start_date=date(2026, 1, 1))
            active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
            activate(lease, operator, today=date(2026, 1, 1))

    leases(3)
    with django_assert_max_num_queries(60) as few:
        run_monthly(month=date(2026, 2, 1), today=date(2026, 2, 26))
    leases(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 26))


def test_early_warnings_list_families_before_the_threshold(programme, operator):
    from tenancies.selectors.arrears import early_warnings

    behind = LeaseFactory(household__programme=programme, household__name="Già in carico")
    late = LeaseFactory(household__programme=programme, household__name="Da chiamare")
    for lease in (behind, late):
        active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
        activate(lease, operator, today=date(2026, 2, 10))
    pay(late, operator, "550.00", date(2026, 1, 28))  # January paid late, February not yet
    run_monthly(month=date(2026, 2, 1), today=date(2026, 2, 10))  # `behind` gets a case

    warnings = early_warnings(programme=programme, today=date(2026, 2, 10))

    assert [lease.household.name for lease, _signal in warnings] == ["Da chiamare"]
    assert "1 mensilità non pagata" in warnings[0][1].reasons[0]  # singular, not "pagate"
