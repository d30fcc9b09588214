"""Issue 12: the stress test is bounded, POST only, for fund administrators, and runs as a
background task whose progress and result are stored and shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from common.roles import Role
from fund.forms.ledger import StressForm
from fund.models import StressRun
from fund.stress import WORK_BUDGET, Assumptions, stress_work

pytestmark = pytest.mark.django_db

PARAMS = {
    "cash": "100000",
    "guarantees": 60,
    "average_guarantee": "3000",
    "monthly_claim_probability": "3",
    "claim_share": "50",
    "recovery_rate": "30",
    "horizon_months": 24,
    "runs": 200,
    "seed": 5,
    "max_ruin_probability": "5",
}


def test_the_incident_parameters_are_refused_with_the_limit_named():
    form = StressForm({**PARAMS, "guarantees": 5000, "runs": 2000, "horizon_months": 36})
    assert not form.is_valid()
    message = " ".join(form.non_field_errors())
    assert "troppo grande" in message and "20.000.000" in message and "360.000.000" in message


def test_the_leverage_grid_counts_in_the_budget():
    """A small average guarantee makes the grid's largest portfolio (cash × 6 ÷ amount) huge."""
    form = StressForm({**PARAMS, "cash": "10000000", "average_guarantee": "10"})
    assert not form.is_valid() and form.non_field_errors()
    with pytest.raises(ValueError):
        Assumptions(
            cash=Decimal("10000000"),
            guarantees=10,
            average_guarantee=Decimal("10"),
            monthly_claim_probability=0.02,
            claim_share=0.5,
            recovery_rate=0.4,
        )


def test_the_defaults_fit_the_budget():
    assert StressForm(PARAMS).is_valid()
    work = stress_work(
        cash=Decimal("100000"),
        guarantees=80,
        average_guarantee=Decimal("3000"),
        runs=1000,
        horizon_months=24,
    )
    assert work <= WORK_BUDGET


@pytest.mark.parametrize("role", [Role.MONITOR, Role.OPERATOR, Role.LANDLORD])
def test_only_fund_administrators(role, member, client_of, fund):
    client = client_of(member(role))
    assert client.get(reverse("fund:stress")).status_code == 403
    assert client.post(reverse("fund:stress"), PARAMS).status_code == 403
    assert not StressRun.objects.exists()


def test_get_never_runs_the_simulation(fund_admin, client_of, fund):
    response = client_of(fund_admin).get(reverse("fund:stress"), PARAMS)
    assert response.status_code == 200
    assert not StressRun.objects.exists()


def test_a_run_is_queued_run_stored_and_shown(
    fund_admin, client_of, fund, django_capture_on_commit_callbacks
):
    client = client_of(fund_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("fund:stress"), PARAMS)
    run = StressRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.status == StressRun.Status.DONE and run.progress == 100
    assert run.result["ruin_probability"] >= 0 and run.result["grid"]
    assert run.requested_by == fund_admin and run.assumptions["runs"] == 200
    page = client.get(run.get_absolute_url()).content.decode()
    assert "<svg" in page and 'http-equiv="refresh"' not in page
    assert run.get_absolute_url() in client.get(reverse("fund:stress")).content.decode()


def test_a_queued_run_shows_progress_and_refreshes(fund_admin, client_of, fund):
    """Without the on-commit callbacks the task never runs: the page shows the queue."""
    client = client_of(fund_admin)
    client.post(reverse("fund:stress"), PARAMS)
    run = StressRun.objects.get()
    assert run.status == StressRun.Status.QUEUED
    page = client.get(run.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh"' in page and "<progress" in page
    assert "<script" not in page.split("<body")[1].split("</main>")[0]


def test_another_programmes_run_is_a_404(fund_admin, client_of, fund, other_fund, member):
    from fund.services.stress import stress_run_start
    from fund.views.ledger import _assumptions

    form = StressForm(PARAMS)
    assert form.is_valid()
    theirs_admin = member(Role.FUND_ADMIN, programme=other_fund.programme)
    theirs = stress_run_start(
        actor=theirs_admin, fund=other_fund, assumptions=_assumptions(form.cleaned_data)
    )
    assert client_of(fund_admin).get(theirs.get_absolute_url()).status_code == 404
