"""Dates without bounds, the cases reproduced: each refused by the service (so imports and API
calls too) and by the page, with a message that names the field; never a 500."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.money import eur
from common.tests.two_factor import login_verified
from fund.models import Contribution, RecoveryPlan
from fund.services.funds import contribution_book
from fund.tests.recovery_factories import make_plan
from housing.models import LeaseType
from housing.services.agreements import agreement_create
from tenancies.models import Lease, Member, Payment, RentDue
from tenancies.services.households import member_add
from tenancies.services.leases import lease_create
from tenancies.services.payments import payment_record
from tests.lifecycle_world import household_make, reference_person, world_build

pytestmark = pytest.mark.django_db

YEAR_1 = date(1, 1, 1)
YEAR_9999 = date(9999, 12, 31)
ABSURD = [YEAR_1, YEAR_9999]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module (building it takes a while), rolled back at the end; each
    test runs inside it and is rolled back on its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build(today=localdate())
        transaction.set_rollback(True)


def _lease(world):
    return Lease.objects.get(household=world.households[0])


def test_a_lease_from_year_1_to_9999_is_refused_with_a_message(world):
    placement = _lease(world).placement
    before = (Lease.objects.count(), RentDue.objects.count())
    with pytest.raises((DomainError, ValidationError)) as refused:
        lease_create(
            actor=world.operator,
            placement=placement,
            lease_type=LeaseType.CONCORDATO_3_2,
            start_date=YEAR_1,
            end_date=YEAR_9999,
            rent=eur("500"),
            service_charges=eur("50"),
            due_day=5,
        )
    assert "01/01/1990" in str(refused.value)
    assert (Lease.objects.count(), RentDue.objects.count()) == before


def test_the_lease_page_refuses_year_1_to_9999(world, client):
    login_verified(client, world.operator)
    lease = _lease(world)
    response = client.post(
        reverse("tenancies:lease_edit", args=[lease.pk]),
        {
            "lease_type": LeaseType.CONCORDATO_3_2,
            "start_date": "0001-01-01",
            "end_date": "9999-12-31",
            "rent": "500",
            "service_charges": "50",
            "due_day": "5",
            "deposit": "0",
        },
    )
    assert response.status_code < 500
    lease.refresh_from_db()
    assert lease.start_date.year > 1 and lease.end_date.year < 9999


@pytest.mark.parametrize("day", ABSURD, ids=["year1", "year9999"])
def test_a_payment_in_year_1_or_9999_is_refused(world, day):
    with pytest.raises((DomainError, ValidationError)) as refused:
        payment_record(
            actor=world.operator,
            lease=_lease(world),
            amount=eur("100"),
            paid_on=day,
            method=Payment.Method.BANK_TRANSFER,
            payer=Payment.Payer.HOUSEHOLD,
        )
    assert "paid_on" in str(refused.value)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("day", ABSURD, ids=["year1", "year9999"])
def test_a_contribution_in_year_1_or_9999_is_refused(world, day):
    count = Contribution.objects.count()
    with pytest.raises((DomainError, ValidationError)):
        contribution_book(
            actor=world.admin,
            fund=world.fund,
            funder="Fondazione",
            kind=Contribution.Kind.FOUNDATION,
            amount=eur("100"),
            date=day,
        )
    assert Contribution.objects.count() == count


@pytest.mark.parametrize("day", ABSURD, ids=["year1", "year9999"])
def test_a_consent_in_year_1_or_9999_is_refused(world, day):
    with pytest.raises((DomainError, ValidationError)) as refused:
        household_make_with(world, consent_given_on=day)
    assert "consent_given_on" in str(refused.value)


def household_make_with(world, **fields):
    from tenancies.services.households import household_refer

    data = {
        "municipality": "Montichiari",
        "address": "Via Roma 1",
        "isee": eur("9000"),
        "isee_expires_on": localdate() + timedelta(days=300),
        "vulnerability_factors": ["job_loss"],
        "income_sources": ["employment"],
        "referral_source": "social_services",
        "consent_given_on": localdate(),
        "consent_version": "1.0",
        "operator": world.operator,
    }
    reference = reference_person(99)
    reference.update(fields.pop("reference", {}))
    data.update(fields)
    return household_refer(
        actor=world.operator, programme=world.programme, reference=reference, **data
    )


@pytest.mark.parametrize("day", [*ABSURD, date(1899, 12, 31)], ids=["year1", "year9999", "1899"])
def test_a_birth_in_year_1_or_9999_is_refused(world, day):
    household = household_make(world, today=localdate())
    members = Member.objects.count()
    with pytest.raises((DomainError, ValidationError)) as refused:
        member_add(
            actor=world.operator,
            household=household,
            first_name="Luca",
            last_name="Bianchi",
            birth_date=day,
            relation=Member.Relation.CHILD,
        )
    assert "birth_date" in str(refused.value)
    assert Member.objects.count() == members


@pytest.mark.parametrize("day", ABSURD, ids=["year1", "year9999"])
@pytest.mark.parametrize("field", ["signed_on", "valid_from", "valid_until"])
def test_an_agreement_dated_year_1_or_9999_is_refused(world, field, day):
    terms = {
        "cover_months": 6,
        "cap_per_lease": eur("5000"),
        "max_monthly_rent": eur("700"),
        "lease_types": [LeaseType.CONCORDATO_3_2],
        "signed_on": localdate(),
        "valid_from": localdate(),
        "valid_until": localdate() + timedelta(days=700),
        field: day,
    }
    with pytest.raises(DomainError) as refused:
        agreement_create(actor=world.operator, landlord=world.landlord, **terms)
    assert refused.value.field == field


def test_a_recovery_plan_with_its_first_instalment_in_9999_is_refused_not_a_500(world, client):
    plan = make_plan(fund=world.fund, household=world.households[0], actor=world.admin)
    login_verified(client, world.admin)
    url = reverse("common:step", args=["recovery_plan", plan.pk, "activate"])
    response = client.post(url, {"instalment_count": "12", "first_due_on": "9999-12-01"})
    assert response.status_code == 200
    assert "first_due_on" in response.context["form"].errors
    plan.refresh_from_db()
    assert plan.status == RecoveryPlan.Status.PROPOSED and not plan.instalments.exists()


def test_a_recovery_plan_rescheduled_to_9999_is_refused_by_the_service(world):
    from fund.services.recovery import recovery_plan_activate, recovery_plan_reschedule

    plan = make_plan(fund=world.fund, household=world.households[0], actor=world.admin)
    recovery_plan_activate(
        actor=world.admin, plan=plan, instalment_count=6, first_due_on=localdate()
    )
    with pytest.raises(DomainError) as refused:
        recovery_plan_reschedule(
            actor=world.admin,
            plan=plan,
            instalment_count=12,
            first_due_on=date(9999, 12, 1),
            note="Nuovo piano",
        )
    assert refused.value.field == "first_due_on"


def test_an_arrears_plan_with_its_first_instalment_in_9999_is_refused(world):
    from tenancies.services.arrears import arrears_case_open, arrears_plan_agree

    lease = _lease(world)
    case = arrears_case_open(actor=world.operator, lease=lease, on=localdate(), origin="manual")
    with pytest.raises(DomainError) as refused:
        arrears_plan_agree(
            actor=world.operator, case=case, instalments=6, first_due=date(9999, 12, 1)
        )
    assert refused.value.field == "first_due"
