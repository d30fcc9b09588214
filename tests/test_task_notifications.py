"""Operators hear of their tasks: one given to them by a colleague, and each morning the
deadlines of their coming days (once a day), in Italian, after the change commits."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from common.duties import task_reassign
from common.models import Task
from common.notifications.models import Notification
from common.task_notifications import deadlines_notify
from tests import lifecycle_world as lw
from tests.test_inbox import TODAY, alerts, world  # noqa: F401 - the inbox's world fixture

pytestmark = pytest.mark.django_db


def test_a_task_given_by_a_colleague_is_notified_not_one_taken_by_oneself(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    alerts(world, 2, owner=world.operator)
    first, second = Task.objects.filter(kind="caretaker_alert").order_by("pk")
    colleague = world.user("operator2")
    with lw.clock_at(TODAY), django_capture_on_commit_callbacks(execute=True):
        task_reassign(actor=world.operator, task=first, owner=colleague)
        task_reassign(actor=colleague, task=second, owner=colleague)
    (given,) = Notification.objects.filter(kind="task_assigned")
    assert given.recipient == colleague
    assert given.title.startswith("Un'attività per te")
    assert first.kind_label in given.title
    assert [m.to for m in mail.outbox if "attività" in m.subject] == [[colleague.email]]


def test_deadlines_of_the_coming_days_once_a_day(world):  # noqa: F811
    alerts(world, 2, owner=world.operator, on=TODAY - timedelta(days=2))
    alerts(world, 1, owner=world.user("operator2"), on=TODAY + timedelta(days=30))
    with lw.clock_at(TODAY):
        assert deadlines_notify(days=3, today=TODAY) == 1
        assert deadlines_notify(days=3, today=TODAY) == 0  # told already today
        call_command("notify_deadlines", "--days", "3", stdout=__import__("io").StringIO())
    (morning,) = Notification.objects.filter(kind="deadlines_soon")
    assert morning.recipient == world.operator
    assert "scadenz" in morning.title and morning.link == "/nuclei/attivita/"
    open_tasks = Task.objects.open().filter(owner=world.operator).count()
    assert str(open_tasks) in morning.body
