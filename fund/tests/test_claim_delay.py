"""Claims only for months already due, unpaid, and past the agreement's claim delay."""

from datetime import timedelta

import pytest
from django.utils.timezone import localdate

from common.exceptions import DomainError
from fund.models import Claim
from fund.selectors.guarantees import claimable_dues
from fund.services.claims import claim_submit
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from housing.models import LandlordAgreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarantee(fund, programme, operator, fund_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    return active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)


@pytest.fixture
def due(guarantee):
    """A month in the middle of the lease's dues (its due date is in the past)."""
    return guarantee.lease.dues.order_by("month")[3]


def _claimable_on(guarantee, day):
    return {d.pk for d in claimable_dues(lease=guarantee.lease, today=day)}


@pytest.mark.parametrize(
    ("offset", "claimable"),
    [(29, False), (30, False), (31, True)],
    ids=["day-before", "the-day", "day-after"],
)
def test_default_delay_is_thirty_days_after_the_due_date(guarantee, due, offset, claimable):
    day = due.due_date + timedelta(days=offset)
    assert (due.pk in _claimable_on(guarantee, day)) is claimable


@pytest.mark.parametrize(
    ("offset", "claimable"),
    [(9, False), (10, False), (11, True)],
    ids=["day-before", "the-day", "day-after"],
)
def test_claim_submit_follows_the_agreements_delay(guarantee, due, operator, offset, claimable):
    LandlordAgreement.objects.filter(landlord=guarantee.lease.landlord).update(claim_delay_days=10)
    day = due.due_date + timedelta(days=offset)
    if claimable:
        claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=[due.pk], today=day)
        assert claim.months.get().due_id == due.pk
    else:
        with pytest.raises(DomainError):
            claim_submit(actor=operator, guarantee=guarantee, due_ids=[due.pk], today=day)
        assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("offset", "claimable"),
    [(-1, False), (0, False), (1, True)],
    ids=["day-before", "the-day", "day-after"],
)
def test_without_delay_a_month_is_claimable_once_overdue(guarantee, due, offset, claimable):
    LandlordAgreement.objects.filter(landlord=guarantee.lease.landlord).update(claim_delay_days=0)
    day = due.due_date + timedelta(days=offset)
    assert (due.pk in _claimable_on(guarantee, day)) is claimable


def test_a_month_not_yet_due_is_never_claimable(guarantee, operator):
    LandlordAgreement.objects.filter(landlord=guarantee.lease.landlord).update(claim_delay_days=0)
    from tenancies.services.leases import dues_create_for_lease

    dues_create_for_lease(lease=guarantee.lease, until=localdate() + timedelta(days=62))
    future = guarantee.lease.dues.filter(due_date__gt=localdate()).order_by("month").first()
    assert future is not None
    assert future.pk not in _claimable_on(guarantee, localdate())
    with pytest.raises(DomainError):
        claim_submit(actor=operator, guarantee=guarantee, due_ids=[future.pk])
    assert not Claim.objects.exists()


def test_claim_form_offers_only_claimable_months(guarantee, operator, client_of):
    from django.urls import reverse

    recent = guarantee.lease.dues.order_by("-month").first()  # due at most a month ago
    response = client_of(operator).get(reverse("fund:claim_create", args=[guarantee.pk]))
    choices = {pk for pk, _label in response.context["form"].fields["dues"].choices}
    assert choices == _claimable_on(guarantee, localdate())
    assert (recent.pk in choices) is (recent.due_date + timedelta(days=30) < localdate())
