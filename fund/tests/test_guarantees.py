from decimal import Decimal

import pytest

from common.exceptions import DomainError
from common.money import eur
from fund.models import Guarantee
from fund.selectors.guarantees import guarantee_remaining_cover
from fund.selectors.ledger import exposure_for_reference, fund_figures
from fund.services.guarantees import (
    guarantee_activate,
    guarantee_approve,
    guarantee_cancel,
    guarantee_expire,
    guarantee_release,
    guarantee_request,
)
from fund.tests.guarantee_factories import funded, guaranteed_lease
from housing.models import LandlordAgreement
from tenancies.services.leases import lease_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def lease(programme, operator):
    return guaranteed_lease(programme=programme, operator=operator)


def test_request_computes_cover_months_times_rent(fund, lease, operator):
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    assert guarantee.status == Guarantee.Status.REQUESTED
    assert guarantee.cover_months == 6
    assert guarantee.amount == eur("3000.00")


def test_request_is_capped_by_the_agreement(fund, programme, operator):
    lease = guaranteed_lease(
        programme=programme, operator=operator, rent="700", cap_per_lease=eur("2500")
    )
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    assert guarantee.amount == eur("2500.00")


def test_request_refused_without_active_agreement(fund, lease, operator):
    LandlordAgreement.objects.filter(landlord=lease.landlord).update(
        status=LandlordAgreement.Status.SUSPENDED
    )
    with pytest.raises(DomainError):
        guarantee_request(actor=operator, fund=fund, lease=lease)
    assert not Guarantee.objects.exists()


def test_one_open_guarantee_per_lease(fund, lease, operator):
    guarantee_request(actor=operator, fund=fund, lease=lease)
    with pytest.raises(DomainError):
        guarantee_request(actor=operator, fund=fund, lease=lease)


def test_approve_reserves_exposure(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    approved = guarantee_approve(actor=fund_admin, guarantee=guarantee)
    assert approved.status == Guarantee.Status.APPROVED
    assert approved.approved_by == fund_admin
    assert exposure_for_reference(fund=fund, reference=approved) == eur("3000.00")
    assert fund_figures(fund=fund).exposure == eur("3000.00")


def test_approve_refused_over_capacity(fund, lease, operator, fund_admin):
    funded(fund, amount="1000.00")
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    with pytest.raises(DomainError):
        guarantee_approve(actor=fund_admin, guarantee=guarantee)
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.REQUESTED
    assert fund_figures(fund=fund).exposure == eur("0.00")


def test_approve_refused_to_an_operator(fund, lease, operator):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    with pytest.raises(DomainError):
        guarantee_approve(actor=operator, guarantee=guarantee)


def test_approve_refused_when_agreement_lapsed(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    LandlordAgreement.objects.filter(landlord=lease.landlord).update(
        status=LandlordAgreement.Status.SUSPENDED
    )
    with pytest.raises(DomainError):
        guarantee_approve(actor=fund_admin, guarantee=guarantee)


def test_approve_twice_is_refused(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    guarantee_approve(actor=fund_admin, guarantee=guarantee)
    with pytest.raises(DomainError):
        guarantee_approve(actor=fund_admin, guarantee=guarantee)
    assert fund_figures(fund=fund).exposure == eur("3000.00")


def test_activate_needs_an_active_lease(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    guarantee_approve(actor=fund_admin, guarantee=guarantee)
    lease_end(actor=operator, lease=lease, on=lease.start_date.replace(month=6))
    with pytest.raises(DomainError):
        guarantee_activate(actor=fund_admin, guarantee=guarantee)


def test_release_frees_remaining_exposure(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    guarantee_approve(actor=fund_admin, guarantee=guarantee)
    guarantee_activate(actor=fund_admin, guarantee=guarantee)
    with pytest.raises(DomainError):
        guarantee_release(actor=fund_admin, guarantee=guarantee)
    lease_end(actor=operator, lease=lease, on=lease.start_date.replace(month=6))
    guarantee.refresh_from_db()
    released = guarantee_release(actor=fund_admin, guarantee=guarantee)
    assert released.status == Guarantee.Status.RELEASED
    assert fund_figures(fund=fund).exposure == eur("0.00")


def test_expire_frees_exposure(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    guarantee_approve(actor=fund_admin, guarantee=guarantee)
    guarantee_activate(actor=fund_admin, guarantee=guarantee)
    guarantee_expire(actor=fund_admin, guarantee=guarantee, note="Termine")
    assert fund_figures(fund=fund).exposure == eur("0.00")


def test_cancel_approved_frees_exposure_and_needs_reason(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    guarantee_approve(actor=fund_admin, guarantee=guarantee)
    with pytest.raises(DomainError):
        guarantee_cancel(actor=fund_admin, guarantee=guarantee, note=" ")
    cancelled = guarantee_cancel(actor=fund_admin, guarantee=guarantee, note="Rinuncia")
    assert cancelled.status == Guarantee.Status.CANCELLED
    assert fund_figures(fund=fund).exposure == eur("0.00")
    # a cancelled guarantee lets the lease be guaranteed again
    guarantee_request(actor=operator, fund=fund, lease=lease)


def test_remaining_cover_starts_at_amount(fund, lease, operator):
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    assert guarantee_remaining_cover(guarantee) == eur(Decimal("3000.00"))
