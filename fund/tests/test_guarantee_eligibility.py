"""Guarantees only for enrolled households, on leases the agreement accepts, one per flat, within
the capacity: the transition's conditions decide what the page offers, the service agrees."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.money import eur
from common.workflows import next_steps
from fund.models import Guarantee
from fund.selectors.guarantees import leases_without_guarantee
from fund.services.guarantees import guarantee_approve, guarantee_request
from fund.tests.guarantee_factories import enrol, funded, guaranteed_lease
from tenancies.models import Enrollment, Lease, Placement
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for

pytestmark = pytest.mark.django_db


def step_url(guarantee, step):
    return reverse("common:step", args=["guarantee", guarantee.pk, step])


def offered(guarantee, user):
    return [step["name"] for step in next_steps(guarantee, user)]


@pytest.fixture
def lease(programme, operator):
    return guaranteed_lease(programme=programme, operator=operator)


def _draft_lease(programme, *, rent="500", enrolled=True):
    lease = LeaseFactory(
        household__programme=programme, start_date=localdate(), rent=rent, enrolled=False
    )
    active_agreement_for(lease.landlord, valid_from=date(2020, 1, 1))  # ceiling 700
    if enrolled:
        enrol(lease.household)
    return lease


def test_request_refused_for_a_household_not_enrolled(fund, programme, operator):
    lease = guaranteed_lease(programme=programme, operator=operator, enrolled=False)
    with pytest.raises(DomainError, match="non è iscritto|not enrolled"):
        guarantee_request(actor=operator, fund=fund, lease=lease)
    assert not Guarantee.objects.exists()


def test_request_refused_for_a_draft_lease_the_agreement_check_refuses(fund, programme, operator):
    lease = _draft_lease(programme, rent="900")  # above the agreement's 700 ceiling
    with pytest.raises(DomainError):
        guarantee_request(actor=operator, fund=fund, lease=lease)
    assert not Guarantee.objects.exists()


def test_request_list_shows_only_eligible_leases(programme, operator):
    eligible = guaranteed_lease(programme=programme, operator=operator)
    draft_ok = _draft_lease(programme)
    refused = _draft_lease(programme, rent="900")
    not_enrolled = _draft_lease(programme, enrolled=False)
    wrong_type = _draft_lease(programme)
    Lease.objects.filter(pk=wrong_type.pk).update(lease_type="studenti")
    listed = set(leases_without_guarantee(programme=programme))
    assert listed == {eligible, draft_ok}
    assert not listed & {refused, not_enrolled, wrong_type}


def test_request_page_lists_what_may_be_requested(programme, operator, fund, client_of):
    eligible = guaranteed_lease(programme=programme, operator=operator)
    refused = _draft_lease(programme, rent="900")
    page = client_of(operator).get(reverse("fund:guarantee_request_list")).text
    assert eligible.household.name in page
    assert refused.household.name not in page


def test_approve_not_offered_once_the_household_left(fund, lease, operator, fund_admin):
    funded(fund)
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    assert "approve" in offered(guarantee, fund_admin)
    Enrollment.objects.filter(household=lease.household).update(
        status=Enrollment.Status.EXITED, exit_reason="other"
    )
    guarantee.refresh_from_db()
    assert "approve" not in offered(guarantee, fund_admin)
    with pytest.raises(DomainError, match="non è iscritto|not enrolled"):
        guarantee_approve(actor=fund_admin, guarantee=guarantee)
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.REQUESTED


def test_over_capacity_is_not_offered_and_refused(fund, lease, operator, fund_admin, client_of):
    funded(fund, amount="1000.00")  # capacity 1000, the guarantee asks 3000
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    assert "approve" not in offered(guarantee, fund_admin)
    assert "cancel" in offered(guarantee, fund_admin)
    page = client_of(fund_admin).get(guarantee.get_absolute_url()).text
    assert step_url(guarantee, "approve") not in page
    assert "capacit" in page.lower()  # the reason is shown
    with pytest.raises(DomainError):
        guarantee_approve(actor=fund_admin, guarantee=guarantee)
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.REQUESTED


def test_one_guarantee_in_force_per_flat(fund, lease, programme, operator, fund_admin):
    funded(fund)
    first = guarantee_request(actor=operator, fund=fund, lease=lease)
    later = LeaseFactory(
        household__programme=programme,
        dwelling=lease.dwelling,
        # Moving in later: only an active placement holds the place.
        placement__status=Placement.Status.ACCEPTED,
        placement__starts_on=None,
        start_date=localdate(),
        end_date=date(localdate().year + 3, 1, 1),
    )
    enrol(later.household)
    second = guarantee_request(actor=operator, fund=fund, lease=later)  # both may ask
    guarantee_approve(actor=fund_admin, guarantee=first)
    assert "approve" not in offered(second, fund_admin)
    with pytest.raises(DomainError):
        guarantee_approve(actor=fund_admin, guarantee=second)
    assert later not in set(leases_without_guarantee(programme=programme))


def test_approval_page_shows_arrears_and_capacity(fund, lease, operator, fund_admin, client_of):
    funded(fund, amount="20000.00")
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    response = client_of(fund_admin).get(step_url(guarantee, "approve"))
    assert response.status_code == 200
    facts = response.context["facts"]
    assert facts["capacity_before"] == eur("20000.00")
    assert facts["capacity_after"] == eur("17000.00")
    assert facts["overdue_amount"].amount > 0  # nothing paid since last January
    assert len(facts["overdue_months"]) >= 12
    page = response.text
    assert "17.000,00" in page and "20.000,00" in page
    assert (
        f"{facts['overdue_amount'].amount:,.2f}".replace(",", "X")
        .replace(".", ",")
        .replace("X", ".")
        in page
    )
    response = client_of(fund_admin).post(step_url(guarantee, "approve"), {"note": ""})
    assert response.status_code == 302
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.APPROVED
