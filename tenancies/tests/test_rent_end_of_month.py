"""Rent due at the end of the month: a lease may say the 29th, 30th, 31st or "the last day of
the month"; in a shorter month the rent falls due on its last day. The monthly run's
INSERT … SELECT and `due_date_for` agree on every boundary, and the arrears threshold is
counted from the clamped date."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from tenancies.forms.leases import LeaseTermsForm
from tenancies.models import ArrearsCase, Lease
from tenancies.rent.arrears import due_date_for
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for

BOUNDARIES = [
    # (due day, month, due date)
    (31, date(2027, 1, 1), date(2027, 1, 31)),
    (31, date(2027, 2, 1), date(2027, 2, 28)),
    (31, date(2028, 2, 1), date(2028, 2, 29)),  # leap year
    (31, date(2027, 3, 1), date(2027, 3, 31)),
    (31, date(2027, 4, 1), date(2027, 4, 30)),
    (30, date(2027, 2, 1), date(2027, 2, 28)),
    (30, date(2028, 2, 1), date(2028, 2, 29)),
    (30, date(2027, 3, 1), date(2027, 3, 30)),
    (29, date(2027, 2, 1), date(2027, 2, 28)),
    (29, date(2028, 2, 1), date(2028, 2, 29)),
    (28, date(2027, 2, 1), date(2027, 2, 28)),
    (1, date(2027, 2, 1), date(2027, 2, 1)),
]


@pytest.mark.parametrize(("due_day", "month", "expected"), BOUNDARIES)
def test_due_date_is_the_last_day_of_a_shorter_month(due_day, month, expected):
    assert due_date_for(month, due_day) == expected


@pytest.fixture
def end_of_month_lease(programme, operator):
    def make(due_day, start=date(2027, 1, 1)):
        lease = LeaseFactory(
            household__programme=programme,
            household__operator=operator,
            start_date=start,
            end_date=date(2030, 1, 1),
            due_day=due_day,
        )
        active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
        lease_activate(actor=operator, lease=lease, today=start)
        return lease

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(("due_day", "month", "expected"), BOUNDARIES)
def test_monthly_run_computes_the_same_due_date(end_of_month_lease, due_day, month, expected):
    """The database computes the due date itself (INSERT … SELECT): it clamps as Python does."""
    lease = end_of_month_lease(due_day, start=month)
    lease.dues.all().delete()  # activation made the first month's due in Python

    run_monthly(month=month, today=month)

    assert lease.dues.get(month=month).due_date == expected == due_date_for(month, due_day)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "opens"),
    [(date(2027, 3, 20), False), (date(2027, 3, 21), True)],
)
def test_the_threshold_is_counted_from_the_clamped_due_date(end_of_month_lease, today, opens):
    """February 2027 rent due on the "31st" falls due on 28 February: day 20 after it is
    20 March, still within the law's 20 days; day 21 is 21 March."""
    lease = end_of_month_lease(31, start=date(2027, 2, 1))
    assert lease.dues.get(month=date(2027, 2, 1)).due_date == date(2027, 2, 28)

    result = run_monthly(month=date(2027, 2, 1), today=today)

    assert result.cases_opened == (1 if opens else 0)
    assert ArrearsCase.objects.filter(lease=lease).exists() is opens


TERMS = {
    "lease_type": "concordato_3_2",
    "start_date": "2027-01-01",
    "end_date": "2030-01-01",
    "rent": "500",
    "service_charges": "50",
    "deposit": "0",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due_day", "valid"), [(0, False), (1, True), (29, True), (30, True), (31, True), (32, False)]
)
def test_the_form_accepts_every_day_of_the_month(due_day, valid):
    form = LeaseTermsForm(data={**TERMS, "due_day": due_day})
    assert form.is_valid() is valid, form.errors


@pytest.mark.django_db
def test_the_form_and_the_lease_say_last_day_of_the_month(end_of_month_lease, client, operator):
    last_day = str(_("Last day of the month"))
    assert last_day == "Ultimo giorno del mese"  # Italian is the first language
    form = LeaseTermsForm()
    assert (31, last_day) in [
        (value, str(label)) for value, label in form.fields["due_day"].choices
    ]
    lease = end_of_month_lease(31)
    client.force_login(operator)
    response = client.get(reverse("tenancies:lease_detail", args=[lease.pk]))
    assert last_day in response.content.decode()
    assert Lease.objects.get(pk=lease.pk).get_due_day_display() == last_day
