"""Every form that takes money or dates, fed anything: extreme dates (year 1, 9999, 31 February),
NaN, Infinity, huge or negative decimals, stray strings. Posted to the page by a user of the
right role, nothing gives a 500, and whatever was stored renders on the pages that show it.

Each form starts from what its page offers (the GET's initial values), so one field at a time
gets the odd values while the rest is valid and the service really runs.
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.timezone import localdate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.money import eur
from common.tests.two_factor import login_verified
from fund.services.recovery import recovery_plan_activate
from fund.tests.recovery_factories import make_plan
from housing.models import LandlordAgreement
from tenancies.models import Lease
from tenancies.services.arrears import arrears_case_open
from tests.lifecycle_world import placement_make, world_build

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2024-02-30",
    "31/12/9999",
    "99999-01-01",
    "-0001-01-01",
    "",
    "oggi",
]
dates_typed = st.one_of(
    st.sampled_from(ODD_DATES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.dates(
        min_value=localdate() - timedelta(days=3650), max_value=localdate() + timedelta(days=3650)
    ).map(date.isoformat),
    st.text(max_size=12),
)
ODD_NUMBERS = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e400",
    "1E+30",
    "9" * 40,
    "-0.01",
    "0",
    "0,001",
    "1.200,50",
    "1,200",
    "1.200.000.000.000",
    "",
    " ",
    "€ 12",
]
numbers_typed = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=-(10**15), max_value=10**15, places=2).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(max_size=15),
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module (building it takes a while), with something for every form:
    a draft agreement, a placement awaiting its lease, an arrears case, recovery plans."""
    with django_db_blocker.unblock(), transaction.atomic():
        today = localdate()
        world = world_build(today=today)
        world.lease = Lease.objects.get(household=world.households[0])
        world.placement = placement_make(
            world,
            household=world.households[1],
            dwelling=world.dwellings[1],
            on=today,
            move_in=False,
        )
        world.agreement = LandlordAgreement.objects.get(
            status=LandlordAgreement.Status.DRAFT, landlord__programme=world.programme
        )
        world.arrears_case = arrears_case_open(
            actor=world.operator, lease=world.lease, on=today, origin="operator"
        )
        world.draft_plan = make_plan(
            fund=world.fund, household=world.households[0], actor=world.admin, amount="600.00"
        )
        world.active_plan = make_plan(
            fund=world.fund, household=world.households[1], actor=world.admin, amount="600.00"
        )
        recovery_plan_activate(
            actor=world.admin, plan=world.active_plan, instalment_count=6, first_due_on=today
        )
        yield world
        transaction.set_rollback(True)


def _baseline(client, url) -> dict:
    """The form's own values, as its page offers them (a valid post to start from). An
    earlier example may have used the step up (a plan agreed): then there is no form, and
    the post must still be refused without a 500."""
    response = client.get(url)
    assert response.status_code < 500, url
    if response.status_code != 200 or "form" not in response.context:
        return {}
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if getattr(field, "disabled", False) or value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(getattr(value, "amount", value))
    return data


def _post_renders(client, url, data, pages):
    """Post; never a 500; whatever the post led to and every page showing it renders."""
    response = client.post(url, data)
    assert response.status_code < 500, data
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200, data
    for page in pages:
        assert client.get(page).status_code == 200, (page, data)


def _fuzz(client, user, url, fields, pages, drawn):
    login_verified(client, user)
    data = _baseline(client, url)
    data.update(dict(zip(fields, drawn, strict=True)))
    _post_renders(client, url, data, pages)


def _lease_page(world):
    return reverse("tenancies:lease_detail", args=[world.lease.pk])


@FUZZ
@given(drawn=st.tuples(dates_typed, dates_typed, numbers_typed))
def test_new_lease(world, client, drawn):
    url = reverse("tenancies:lease_new")
    login_verified(client, world.operator)
    data = _baseline(client, url)
    data.update(
        placement=str(world.placement.pk),
        lease_type="concordato_3_2",
        due_day="5",
        start_date=drawn[0],
        end_date=drawn[1],
        rent=drawn[2],
    )
    data.setdefault("service_charges", "0")
    data.setdefault("deposit", "0")
    _post_renders(client, url, data, [reverse("tenancies:lease_list")])
    for lease in Lease.objects.filter(placement=world.placement):
        assert client.get(reverse("tenancies:lease_detail", args=[lease.pk])).status_code == 200


@FUZZ
@given(drawn=st.tuples(numbers_typed, dates_typed))
def test_payment(world, client, drawn):
    _fuzz(
        client,
        world.operator,
        reverse("tenancies:payment_new", args=[world.lease.pk]),
        ["amount", "paid_on"],
        [_lease_page(world)],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(numbers_typed, dates_typed))
def test_contribution(world, client, drawn):
    url = reverse("fund:contribution_create")
    login_verified(client, world.admin)
    data = {"funder": "Fondazione", "kind": "foundation", "amount": drawn[0], "date": drawn[1]}
    _post_renders(
        client,
        url,
        data,
        [reverse("fund:contributions"), reverse("fund:ledger"), reverse("fund:dashboard")],
    )


@FUZZ
@given(drawn=st.tuples(numbers_typed, numbers_typed))
def test_fund_settings(world, client, drawn):
    _fuzz(
        client,
        world.admin,
        reverse("fund:settings"),
        ["leverage", "cover_cap"],
        [reverse("fund:dashboard")],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(dates_typed, dates_typed))
def test_ledger_filter(world, client, drawn):
    login_verified(client, world.admin)
    response = client.get(reverse("fund:ledger"), {"start": drawn[0], "end": drawn[1]})
    assert response.status_code < 500


@FUZZ
@given(drawn=st.tuples(st.sampled_from(["1", "12", "120", "0", "-1", "999"]), dates_typed))
def test_recovery_plan_schedule(world, client, drawn):
    plan = world.draft_plan
    _fuzz(
        client,
        world.admin,
        reverse("common:step", args=["recovery_plan", plan.pk, "activate"]),
        ["instalment_count", "first_due_on"],
        [reverse("fund:recovery", args=[plan.pk]), reverse("fund:recoveries")],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(numbers_typed, dates_typed))
def test_recovery_repayment(world, client, drawn):
    plan = world.active_plan
    _fuzz(
        client,
        world.admin,
        reverse("fund:recovery_payment", args=[plan.pk]),
        ["amount", "paid_on"],
        [reverse("fund:recovery", args=[plan.pk])],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(st.sampled_from(["1", "6", "36", "0", "37"]), dates_typed))
def test_arrears_plan(world, client, drawn):
    case = world.arrears_case
    _fuzz(
        client,
        world.operator,
        reverse("common:step", args=["arrears_case", case.pk, "agree_plan"]),
        ["instalments", "first_due"],
        [reverse("tenancies:arrears_case", args=[case.pk]), _lease_page(world)],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(dates_typed, dates_typed, numbers_typed))
def test_household(world, client, drawn):
    household = world.households[2]
    _fuzz(
        client,
        world.operator,
        reverse("tenancies:household_edit", args=[household.pk]),
        ["consent_given_on", "isee_expires_on", "isee"],
        [reverse("tenancies:household_detail", args=[household.pk])],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(dates_typed))
def test_member_birth(world, client, drawn):
    household = world.households[2]
    url = reverse("tenancies:member_add", args=[household.pk])
    login_verified(client, world.operator)
    data = {
        "first_name": "Luca",
        "last_name": "Bianchi",
        "relation": "child",
        "birth_date": drawn[0],
        "employment": "",
    }
    _post_renders(client, url, data, [reverse("tenancies:household_detail", args=[household.pk])])


@FUZZ
@given(drawn=st.tuples(dates_typed, dates_typed, dates_typed, numbers_typed))
def test_agreement(world, client, drawn):
    agreement = world.agreement
    _fuzz(
        client,
        world.operator,
        reverse("housing:agreement_update", args=[agreement.pk]),
        ["signed_on", "valid_from", "valid_until", "cap_per_lease"],
        [reverse("housing:agreement_detail", args=[agreement.pk])],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(numbers_typed, dates_typed))
def test_dwelling(world, client, drawn):
    dwelling = world.dwellings[3]
    _fuzz(
        client,
        world.operator,
        reverse("housing:dwelling_update", args=[dwelling.pk]),
        ["rent", "available_from"],
        [reverse("housing:dwelling_detail", args=[dwelling.pk])],
        drawn,
    )


@FUZZ
@given(drawn=st.tuples(dates_typed, dates_typed, dates_typed, dates_typed))
def test_eviction_open(world, client, drawn):
    url = reverse("tenancies:eviction_open")
    login_verified(client, world.operator)
    data = {
        "lease": str(world.lease.pk),
        "cause": "other",
        "cause_arose_on": drawn[0],
        "lease_signed_on": drawn[1],
        "served_on": drawn[2],
        "hearing_on": drawn[3],
    }
    _post_renders(client, url, data, [reverse("tenancies:eviction_dashboard")])


def test_the_baseline_posts_are_valid(world, client):
    """The fuzzing starts from forms that really save: a typical value goes through."""
    login_verified(client, world.operator)
    url = reverse("tenancies:payment_new", args=[world.lease.pk])
    data = _baseline(client, url)
    data.update(amount="100.00", paid_on=localdate().isoformat())
    response = client.post(url, data)
    assert response.status_code == 302
    assert world.lease.payments.filter(amount=eur("100")).exists()
