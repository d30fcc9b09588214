"""The operator's inbox: grouped by due date, scoped to the programme, closing and moving tasks
through the services, a caseload handed over in one audited step, constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.duties import tasks_sync_all
from common.models import AuditEvent, Task
from common.roles import Role
from common.tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from housing.models import CaretakerNote
from housing.tests.factories import CondominiumFactory
from tenancies.models import ArrearsCase, Household, Lease
from tenancies.services import arrears
from tests import lifecycle_world as lw

pytestmark = pytest.mark.django_db
TODAY = lw.START


@pytest.fixture
def world():
    with lw.clock_at(TODAY):
        world = lw.world_build()
        lease = Lease.objects.get(household=world.households[0])
        world.case = arrears.arrears_case_open(
            actor=world.operator, lease=lease, on=TODAY, origin=ArrearsCase.Origin.OPERATOR
        )
        yield world


def alerts(world, n, *, owner=None, on=TODAY):
    """`n` open caretaker alerts of the world's programme, their tasks given to `owner`."""
    condominium = CondominiumFactory(programme=world.programme)
    CaretakerNote.objects.bulk_create(
        CaretakerNote(
            condominium=condominium,
            kind=CaretakerNote.Kind.ALERT,
            happened_on=on,
            text=f"Segnalazione {i}",
            author=world.user("caretaker"),
        )
        for i in range(n)
    )
    tasks_sync_all(kinds=["caretaker_alert"])
    Task.objects.filter(kind="caretaker_alert", owner__isnull=True).update(owner=owner)


def get_inbox(client, user, **params):
    client.force_login(user)
    return client.get(reverse("tenancies:inbox"), params)


def test_my_tasks_are_grouped_by_due_date_with_counts_in_the_header(client, world):
    alerts(world, 2, owner=world.operator, on=TODAY - timedelta(days=3))
    with lw.clock_at(TODAY):
        response = get_inbox(client, world.operator)
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts.overdue, counts.week) == (2, 1)  # the arrears contact is due in 3 days
    groups = {key: len(tasks) for key, _label, tasks in response.context["groups"]}
    assert groups == {"overdue": 2, "week": 1}
    page = response.content.decode()
    assert "Scadute" in page and "Questa settimana" in page
    assert reverse("tenancies:arrears_case", args=[world.case.pk]) in page
    assert world.households[0].name in page


def test_team_and_unassigned_tabs(client, world):
    alerts(world, 1, owner=world.user("operator2"))
    alerts(world, 2, owner=None)
    with lw.clock_at(TODAY):
        team = get_inbox(client, world.operator, show="team")
        unassigned = get_inbox(client, world.operator, show="unassigned")
    assert [t.owner for t in team.context["rows"]] == [world.user("operator2")]
    assert len(unassigned.context["rows"]) == 2
    assert all(t.owner is None for t in unassigned.context["rows"])


def test_another_programme_s_operator_sees_none_of_its_tasks_and_gets_404(client, world):
    other = UserFactory(username="operatore.altro")
    MembershipFactory(user=other, programme=ProgrammeFactory(), role=Role.OPERATOR)
    task = Task.objects.open().get(kind="arrears_action")
    with lw.clock_at(TODAY):
        response = get_inbox(client, other, show="team")
        assert response.context["rows"] == []
        assert response.context["counts"].team == 0
        for name in ("task_done", "task_dismiss", "task_reassign"):
            assert client.post(reverse(f"tenancies:{name}", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_done_dismiss_and_reassign_from_the_inbox(client, world):
    alerts(world, 3, owner=world.operator)
    first, second, third = Task.objects.filter(kind="caretaker_alert").order_by("pk")
    client.force_login(world.operator)
    with lw.clock_at(TODAY):
        assert client.post(reverse("tenancies:task_done", args=[first.pk])).status_code == 302
        client.post(reverse("tenancies:task_dismiss", args=[second.pk]), {"reason": ""})
        client.post(reverse("tenancies:task_dismiss", args=[second.pk]), {"reason": "Doppia"})
        client.post(
            reverse("tenancies:task_reassign", args=[third.pk]),
            {"owner": world.user("operator2").pk},
        )
    for task in (first, second, third):
        task.refresh_from_db()
    assert first.status == Task.Status.DONE and first.closed_by == world.operator
    assert (second.status, second.dismiss_reason) == (Task.Status.DISMISSED, "Doppia")
    assert third.owner == world.user("operator2") and third.status == Task.Status.OPEN


def test_a_caseload_is_handed_over_in_one_audited_step(client, world):
    alerts(world, 2, owner=world.operator)
    colleague = world.user("operator2")
    households = Household.objects.filter(operator=world.operator).count()
    assert households
    client.force_login(world.operator)
    with lw.clock_at(TODAY):
        response = client.post(
            reverse("tenancies:caseload_reassign"),
            {"from_user": world.operator.pk, "to_user": colleague.pk},
        )
    assert response.status_code == 302
    assert not Task.objects.open().filter(owner=world.operator).exists()
    assert Task.objects.open().filter(owner=colleague).count() == 3
    assert Household.objects.filter(operator=colleague).count() == households
    world.case.refresh_from_db()
    assert world.case.owner == colleague
    event = AuditEvent.objects.get(verb="caseload_reassigned")
    assert event.actor == world.operator
    assert event.data["tasks"] == 3 and event.data["households"] == households


def test_handing_a_caseload_to_oneself_or_to_a_non_operator_is_refused(client, world):
    client.force_login(world.operator)
    for target in (world.operator, world.user("monitor")):
        with lw.clock_at(TODAY):
            response = client.post(
                reverse("tenancies:caseload_reassign"),
                {"from_user": world.operator.pk, "to_user": target.pk},
            )
        assert response.status_code == 400
    assert not AuditEvent.objects.filter(verb="caseload_reassigned").exists()


@pytest.mark.parametrize("show", ["mine", "unassigned"])
def test_the_inbox_s_queries_do_not_grow_with_its_rows(client, world, show):
    def count(n):
        Task.objects.filter(kind="caretaker_alert").delete()
        CaretakerNote.objects.all().delete()
        alerts(world, n, owner=world.operator if show == "mine" else None)
        client.force_login(world.operator)
        with lw.clock_at(TODAY), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("tenancies:inbox"), {"show": show})
        assert response.status_code == 200
        assert len(response.context["rows"]) == n + (1 if show == "mine" else 0)
        return len(queries)

    assert count(3) == count(20)  # both within the 25-row page


def test_a_household_s_page_lists_its_open_tasks_only(client, world):
    alerts(world, 1, owner=world.operator)  # about a condominium, not this family
    client.force_login(world.operator)
    with lw.clock_at(TODAY):
        page = client.get(reverse("tenancies:household_detail", args=[world.households[0].pk]))
        other = client.get(reverse("tenancies:household_detail", args=[world.households[1].pk]))
    assert [t.kind for t in page.context["tasks"]] == ["arrears_action"]
    assert reverse("tenancies:arrears_case", args=[world.case.pk]) in page.content.decode()
    assert other.context["tasks"] == []
