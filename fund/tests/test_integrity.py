"""The fund's integrity checks: clean data passes, each seeded violation is reported."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.integrity import integrity_run
from common.money import eur
from fund.models import Claim, ClaimMonth, Guarantee, GuaranteeCertificate
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    enrol,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from tenancies.models import Enrollment, Lease
from tenancies.tests.lease_factories import LeaseFactory

pytestmark = pytest.mark.django_db

CHECKS = [
    "guarantee_only_for_enrolled_and_compliant",
    "claim_months_due_and_unpaid",
    "claim_within_cover",
    "guarantee_exposure_matches_ledger",
    "one_guarantee_per_unit_in_force",
    "fund_figures_match_ledger",
    "active_guarantee_has_certificate",
]


@pytest.fixture
def world(fund, programme, operator, fund_admin, member):
    """An active guarantee with a paid claim for its two oldest months, built by the services."""
    second, third = member("fund_admin", username="amm2"), member("fund_admin", username="amm3")
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=second
    )
    claim_pay(actor=third, claim=claim)
    return guarantee, Claim.objects.get(pk=claim.pk)


def _found(name):
    return integrity_run([name])


def test_clean_data_passes_every_check(world):
    assert integrity_run(CHECKS) == []


def test_guarantee_for_a_household_not_enrolled(world):
    guarantee, _claim = world
    Enrollment.objects.filter(household=guarantee.lease.household).update(
        status=Enrollment.Status.REFERRED, enrolled_on=None
    )
    [violation] = _found("guarantee_only_for_enrolled_and_compliant")
    assert violation.obj == guarantee


def test_guarantee_on_a_lease_the_agreement_refuses(world):
    guarantee, _claim = world
    Lease.objects.filter(pk=guarantee.lease_id).update(rent=eur("900"))  # ceiling 700
    [violation] = _found("guarantee_only_for_enrolled_and_compliant")
    assert violation.obj == guarantee


def test_month_claimed_before_it_was_due(world):
    _guarantee, claim = world
    first_due = claim.months.order_by("due__month").first().due
    before = timezone.make_aware(
        timezone.datetime.combine(
            first_due.due_date - timedelta(days=1), timezone.datetime.min.time()
        )
    )
    Claim.objects.filter(pk=claim.pk).update(submitted_at=before)
    violations = _found("claim_months_due_and_unpaid")
    assert violations and {v.obj for v in violations} == {claim}


def test_month_paid_twice_by_the_fund(world, operator):
    guarantee, claim = world
    month = claim.months.first()
    again = Claim.objects.create(
        guarantee=guarantee, amount=month.amount, status="paid", submitted_by=operator
    )
    ClaimMonth.objects.bulk_create(
        [ClaimMonth(claim=again, due=month.due, amount=month.amount, live=False)]
    )
    [violation] = _found("claim_months_due_and_unpaid")
    assert violation.obj == again


def test_claims_beyond_the_cover(world):
    guarantee, claim = world
    Claim.objects.filter(pk=claim.pk).update(amount=eur("3500.00"))
    [violation] = _found("claim_within_cover")
    assert violation.obj == guarantee


def test_exposure_that_disagrees_with_the_ledger(world):
    guarantee, _claim = world
    Guarantee.objects.filter(pk=guarantee.pk).update(amount=eur("2500.00"))
    [violation] = _found("guarantee_exposure_matches_ledger")
    assert violation.obj == guarantee


def test_closed_guarantee_still_reserving_exposure(world):
    guarantee, _claim = world
    Guarantee.objects.filter(pk=guarantee.pk).update(status=Guarantee.Status.RELEASED)
    [violation] = _found("guarantee_exposure_matches_ledger")
    assert violation.obj == guarantee


def test_active_guarantee_without_a_certificate_in_use(world):
    guarantee, _claim = world
    GuaranteeCertificate.objects.filter(guarantee=guarantee).update(voided_at=timezone.now())
    [violation] = _found("active_guarantee_has_certificate")
    assert violation.obj == guarantee


def test_certificate_that_states_another_amount(world):
    guarantee, _claim = world
    Guarantee.objects.filter(pk=guarantee.pk).update(amount=eur("1.00"))
    [violation] = _found("active_guarantee_has_certificate")
    assert violation.obj == guarantee and "1,00" in violation.message


def test_two_guarantees_in_force_on_one_flat(world, programme):
    guarantee, _claim = world
    # Rows written directly, as an import would: the services refuse a second lease on the unit.
    later = LeaseFactory(
        household__programme=programme,
        dwelling=guarantee.lease.dwelling,
        placement__place_number=2,
    )
    enrol(later.household)
    second = Guarantee.objects.create(
        fund=guarantee.fund,
        lease=later,
        cover_months=6,
        amount=eur("3000.00"),
        status=Guarantee.Status.ACTIVE,
    )
    [violation] = _found("one_guarantee_per_unit_in_force")
    assert violation.obj == second


def test_a_dashboard_figure_that_is_not_the_ledgers_sum(world, monkeypatch):
    """A dashboard that computed cash its own way (the first wave's "payouts this year" was
    the recoveries) is reported, naming the figure."""
    from dataclasses import replace

    from fund.selectors import figures

    real = figures.fund_dashboard_figures

    def off_by_one_euro(**kwargs):
        shown = real(**kwargs)
        balances = replace(shown.balances, cash=shown.balances.cash + eur("1"))
        return replace(shown, balances=balances)

    monkeypatch.setattr(figures, "fund_dashboard_figures", off_by_one_euro)
    violations = _found("fund_figures_match_ledger")
    assert violations and all(v.obj == world[0].fund for v in violations)
    assert any("“cash”" in v.message for v in violations)
