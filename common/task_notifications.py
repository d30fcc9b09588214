"""What operators hear about their tasks (common.duties): a task a colleague gives them, and
each morning the deadlines of the coming days. Messages name the kind of duty and its date,
never the family (a mailbox is not the place for it): the link opens the record.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import Task
from common.notifications.kinds import kind_register
from common.notifications.models import Notification
from common.notifications.services import Message, notify, notify_each
from common.roles import Role

TASK_ASSIGNED = "task_assigned"
DEADLINES_SOON = "deadlines_soon"
# How many of the coming deadlines a morning message lists (the inbox has them all).
LISTED = 10


def register() -> None:
    """The tasks' kinds, registered in CommonConfig.ready()."""
    kind_register(TASK_ASSIGNED, _("A colleague gives you a task"), (Role.OPERATOR,))
    kind_register(DEADLINES_SOON, _("Your deadlines of the coming days"), (Role.OPERATOR,))


def _link(task: Task) -> str:
    record = task.record
    return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""


def task_assigned_notify(*, task: Task, actor) -> None:
    """Tell the task's new owner, unless they gave it to themselves."""
    if task.owner_id is None or task.owner_id == getattr(actor, "pk", None):
        return
    notify(
        recipients=[task.owner_id],
        kind=TASK_ASSIGNED,
        context={
            "kind": task.kind_label,
            "due_on": task.due_on,
            "by": actor.get_full_name() or actor.get_username(),
        },
        programme=task.programme,
        link=_link(task),
    )


def deadlines_notify(*, days: int = 3, today: date | None = None) -> int:
    """One message per operator listing their open tasks due from today to `days` ahead (the
    overdue ones too). Once a day: an operator told today is not told again. Returns how many."""
    today = today or timezone.localdate()
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    told = set(
        Notification.objects.filter(kind=DEADLINES_SOON, created_at__gte=start).values_list(
            "recipient_id", "programme_id"
        )
    )
    tasks = (
        Task.objects.open()
        .filter(owner__isnull=False, due_on__lte=today + timedelta(days=days))
        .select_related("programme")
        .order_by("owner_id", "programme_id", "due_on", "pk")
    )
    grouped = defaultdict(list)
    for task in tasks:
        if (task.owner_id, task.programme_id) not in told:
            grouped[(task.owner_id, task.programme_id)].append(task)
    messages = [
        Message(
            recipients=[owner_id],
            kind=DEADLINES_SOON,
            context={
                "count": len(owned),
                "overdue": sum(1 for task in owned if task.due_on < today),
                "tasks": [(task.kind_label, task.due_on) for task in owned[:LISTED]],
                "days": days,
            },
            programme=owned[0].programme,
            link=reverse("tenancies:inbox"),
        )
        for (owner_id, _programme_id), owned in grouped.items()
    ]
    notify_each(messages)
    return len(messages)
