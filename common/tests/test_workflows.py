"""The generic step view and the workflow registry: a page offers exactly what the service does."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.fsm import parent_lock
from common.workflows import Workflow, next_steps, workflow_get, workflows_all
from tenancies.models import Lease
from tenancies.services.leases import lease_activate
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for


@pytest.fixture
def active_lease(programme, operator):
    lease = LeaseFactory(household__programme=programme, start_date=date(2026, 1, 1))
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    return lease_activate(actor=operator, lease=lease, today=date(2026, 2, 1))


def step_url(lease, step):
    return reverse("common:step", args=["lease", lease.pk, step])


def test_every_registered_step_is_a_transition_of_its_model():
    for workflow in workflows_all():
        for step in workflow.steps:
            method = getattr(workflow.model, step.name, None)
            assert hasattr(method, "_django_fsm"), (workflow.key, step.name)


def test_page_offers_the_steps_the_user_may_take(active_lease, operator, member):
    offered = [step["name"] for step in next_steps(active_lease, operator)]
    assert offered == ["end", "terminate", "record_eviction"]
    assert next_steps(active_lease, member("fund_admin", username="admin")) == []


def test_offered_step_runs_its_service(active_lease, operator, client_of):
    client = client_of(operator)
    page = client.get(active_lease.get_absolute_url())
    assert step_url(active_lease, "end") in page.content.decode()
    response = client.post(step_url(active_lease, "end"), {"on": "2026-06-30", "note": ""})
    assert response.status_code == 302
    active_lease.refresh_from_db()
    assert active_lease.status == Lease.Status.ENDED
    assert active_lease.ended_on == date(2026, 6, 30)


def test_step_not_offered_is_refused_and_changes_nothing(active_lease, operator, client_of):
    client = client_of(operator)
    response = client.post(step_url(active_lease, "activate"), {"note": "again"}, follow=True)
    assert "not possible now" in response.content.decode() or "non è possibile" in (
        response.content.decode()
    )
    active_lease.refresh_from_db()
    assert active_lease.status == Lease.Status.ACTIVE


def test_a_note_the_transition_needs_is_required(active_lease, operator, client_of):
    response = client_of(operator).post(step_url(active_lease, "terminate"), {"on": "2026-06-30"})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    active_lease.refresh_from_db()
    assert active_lease.status == Lease.Status.ACTIVE


@pytest.mark.parametrize(
    "args", [("nope", 1, "end"), ("lease", 1, "nope")], ids=["workflow", "step"]
)
def test_unknown_workflow_or_step_is_404(operator, client_of, args):
    assert client_of(operator).get(reverse("common:step", args=args)).status_code == 404


def test_other_programme_object_is_404(active_lease, member, other_programme, client_of):
    elsewhere = member("operator", programme=other_programme, username="elsewhere")
    assert client_of(elsewhere).get(step_url(active_lease, "end")).status_code == 404


def test_parent_is_locked_before_the_row(active_lease):
    """A workflow with a parent reads the parent row (FOR UPDATE on PostgreSQL) first."""
    workflow = Workflow(
        key="test-lease-dues",
        model=Lease,
        object_arg="lease",
        get_object=workflow_get("lease").get_object,
        steps=(),
        parent="household",
    )
    from common import workflows

    workflows._BY_MODEL[Lease] = workflow
    try:
        with CaptureQueriesContext(connection) as queries:
            parent_lock(Lease, active_lease.pk)
    finally:
        workflows._BY_MODEL[Lease] = workflow_get("lease")
    tables = [q["sql"] for q in queries.captured_queries]
    assert "tenancies_household" in tables[-1]
    if connection.vendor == "postgresql":
        assert "FOR UPDATE OF" in tables[-1]
