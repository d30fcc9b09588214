"""Recovery pages: who may open what, scoping, the forms end to end, constant queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.money import eur
from common.roles import Role
from fund.models import RecoveryPlan, RecoveryWaiver
from fund.services.recovery import recovery_plan_activate
from fund.services.waivers import waiver_propose
from fund.tests.factories import make_fund
from fund.tests.recovery_factories import make_plan

TODAY = timezone.localdate


@pytest.fixture
def waiver(plan, second_admin):
    return waiver_propose(actor=second_admin, plan=plan, kind="hardship", reason="Malattia")


def step_url(workflow, obj, step):
    return reverse("common:step", args=[workflow, obj.pk, step])


def urls(plan, waiver):
    return {
        "list": reverse("fund:recoveries"),
        "detail": reverse("fund:recovery", args=[plan.pk]),
        "activate": step_url("recovery_plan", plan, "activate"),
        "payment": reverse("fund:recovery_payment", args=[plan.pk]),
        "hours": reverse("fund:recovery_hours", args=[plan.pk]),
        "waiver": reverse("fund:recovery_waiver", args=[plan.pk]),
        "approve": step_url("recovery_waiver", waiver, "approve"),
        "reject": step_url("recovery_waiver", waiver, "reject"),
    }


ADMIN_ONLY = {Role.FUND_ADMIN}
ACCESS = {
    "list": {Role.FUND_ADMIN, Role.OPERATOR},
    "detail": {Role.FUND_ADMIN, Role.OPERATOR},
    "activate": ADMIN_ONLY,
    "payment": ADMIN_ONLY,
    "hours": ADMIN_ONLY,
    "waiver": ADMIN_ONLY,
    "approve": ADMIN_ONLY,
    "reject": ADMIN_ONLY,
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("page", list(ACCESS))
def test_every_page_for_every_role(role, page, member, client_of, plan, waiver):
    response = client_of(member(role)).get(urls(plan, waiver)[page])
    assert response.status_code == (200 if role in ACCESS[page] else 403)


@pytest.mark.parametrize("page", list(ACCESS))
def test_anonymous_is_sent_to_login(page, client, plan, waiver):
    response = client.get(urls(plan, waiver)[page])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", [p for p in ACCESS if p != "list"])
def test_another_programmes_plan_is_404(page, member, client_of, other_programme, plan, waiver):
    make_fund(programme=other_programme, name="Fondo NEXT")
    admin = member(Role.FUND_ADMIN, programme=other_programme)
    assert client_of(admin).get(urls(plan, waiver)[page]).status_code == 404


def test_activate_and_repay_through_the_forms(client_of, fund_admin, plan):
    client = client_of(fund_admin)
    response = client.post(
        step_url("recovery_plan", plan, "activate"),
        {"instalment_count": "4", "first_due_on": TODAY().isoformat(), "note": ""},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("fund:recovery_payment", args=[plan.pk]),
        {"amount": "5000,00", "paid_on": TODAY().isoformat(), "note": ""},
    )
    assert response.status_code == 200
    assert "deve ancora" in response.content.decode()
    response = client.post(
        reverse("fund:recovery_payment", args=[plan.pk]),
        {"amount": "300,00", "paid_on": TODAY().isoformat(), "note": "contanti"},
        follow=True,
    )
    page = response.content.decode()
    assert "300,00" in page and "pagata" in page


def test_the_proposer_is_never_offered_the_approval(client_of, second_admin, fund_admin, waiver):
    client = client_of(second_admin)
    page = client.get(reverse("fund:recovery", args=[waiver.plan.pk])).content.decode()
    assert "un altro amministratore del fondo deve approvarla" in page
    assert step_url("recovery_waiver", waiver, "approve") not in page
    assert step_url("recovery_waiver", waiver, "reject") in page  # withdrawing is allowed
    response = client.post(step_url("recovery_waiver", waiver, "approve"), {"note": ""})
    assert response.status_code == 302  # not offered: back to the plan, nothing changed
    waiver.refresh_from_db()
    assert waiver.status == RecoveryWaiver.Status.PROPOSED
    other = client_of(fund_admin).get(reverse("fund:recovery", args=[waiver.plan.pk])).text
    assert step_url("recovery_waiver", waiver, "approve") in other


def test_operator_reads_but_sees_no_actions(client_of, operator, plan):
    page = client_of(operator).get(reverse("fund:recovery", args=[plan.pk])).content.decode()
    assert step_url("recovery_plan", plan, "activate") not in page


def test_admin_is_offered_the_plan_steps_its_state_allows(client_of, fund_admin, plan):
    page = client_of(fund_admin).get(reverse("fund:recovery", args=[plan.pk])).text
    assert step_url("recovery_plan", plan, "activate") in page
    assert step_url("recovery_plan", plan, "reschedule") not in page
    assert reverse("fund:recovery_payment", args=[plan.pk]) not in page


def test_list_filters_by_state(client_of, fund_admin, fund, household, plan):
    other = make_plan(fund=fund, household=household, actor=fund_admin, amount="90.00")
    recovery_plan_activate(actor=fund_admin, plan=other, instalment_count=3, first_due_on=TODAY())
    response = client_of(fund_admin).get(reverse("fund:recoveries"), {"status": "active"})
    plans = list(response.context["page"])
    assert plans == [RecoveryPlan.objects.get(pk=other.pk)]
    assert plans[0].outstanding == eur("90.00")


@pytest.mark.parametrize("count", [10, 60])
def test_list_queries_stay_constant(
    count, client_of, fund_admin, fund, household, django_assert_max_num_queries
):
    for _ in range(count):
        make_plan(fund=fund, household=household, actor=fund_admin, amount="10.00")
    client = client_of(fund_admin)
    with django_assert_max_num_queries(26):
        client.get(reverse("fund:recoveries"))


def test_rescheduling_needs_a_reason_in_the_form(client_of, fund_admin, plan):
    recovery_plan_activate(
        actor=fund_admin, plan=plan, instalment_count=2, first_due_on=TODAY() + timedelta(days=3)
    )
    response = client_of(fund_admin).post(
        step_url("recovery_plan", plan, "reschedule"),
        {"instalment_count": "6", "first_due_on": TODAY().isoformat(), "note": ""},
    )
    assert response.status_code == 200
    assert plan.instalments.count() == 2
