"""Reading the inbox: a user's tasks by due date, the team's, the unassigned, and their counts.

Every query is scoped to one programme; a page's rows bring their records and households with
one query per kind (GenericPrefetch), so the page's queries do not grow with its rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404

from common.duties import source_for_kind
from common.models import Task

SHOWS = ("mine", "team", "unassigned")


@dataclass(frozen=True)
class InboxCounts:
    overdue: int
    today: int
    week: int
    later: int
    team: int
    unassigned: int

    @property
    def mine(self) -> int:
        return self.overdue + self.today + self.week + self.later


def _week_end(today: date) -> date:
    return today + timedelta(days=7)


def inbox_counts(*, user, programme, today: date) -> InboxCounts:
    """The header's figures, in one query."""
    mine = Q(owner=user)
    figures = (
        Task.objects.open()
        .filter(programme=programme)
        .aggregate(
            overdue=Count("pk", filter=mine & Q(due_on__lt=today)),
            today=Count("pk", filter=mine & Q(due_on=today)),
            week=Count("pk", filter=mine & Q(due_on__gt=today, due_on__lte=_week_end(today))),
            later=Count("pk", filter=mine & Q(due_on__gt=_week_end(today))),
            team=Count("pk", filter=Q(owner__isnull=False) & ~mine),
            unassigned=Count("pk", filter=Q(owner__isnull=True)),
        )
    )
    return InboxCounts(**figures)


def inbox_tasks(*, user, programme, show: str):
    """The open tasks of one tab, earliest first, with what their rows show."""
    tasks = Task.objects.open().filter(programme=programme)
    if show == "mine":
        tasks = tasks.filter(owner=user)
    elif show == "team":
        tasks = tasks.filter(owner__isnull=False).exclude(owner=user)
    else:
        tasks = tasks.filter(owner__isnull=True)
    return tasks.select_related("owner").order_by("due_on", "pk")


def inbox_rows_prepare(tasks, *, today: date, context=None) -> None:
    """Bring a page's records and households (one query per kind) and set each row's label,
    link and due-date group (overdue, today, this week, later). `context`: the one record
    all the tasks are about, when the page already has it (not read again)."""
    types = ContentType.objects.get_for_id
    records = {types(t.record_type_id).model_class() for t in tasks}
    prefetches = [GenericPrefetch("record", [m._default_manager.all() for m in records])]
    if context is None:
        contexts = {types(t.context_type_id).model_class() for t in tasks if t.context_type_id}
        prefetches.append(GenericPrefetch("context", [m._default_manager.all() for m in contexts]))
    else:
        for task in tasks:
            task.context = context
    prefetch_related_objects(tasks, *prefetches)
    week_end = _week_end(today)
    for task in tasks:
        source = source_for_kind(task.kind)
        task.detail = source.key_label(task.key) if source and source.key_label else ""
        task.url = _url_for(task, source)
        task.group = (
            "overdue"
            if task.due_on < today
            else "today"
            if task.due_on == today
            else "week"
            if task.due_on <= week_end
            else "later"
        )


def _url_for(task, source) -> str:
    for obj in (task.record, task.context):
        get_url = getattr(obj, "get_absolute_url", None)
        if get_url:
            return get_url()
    if source and source.url and task.record is not None:
        return source.url(task.record)
    return ""


def task_get_for_operator(*, user, programme, pk) -> Task:
    """An open or closed task of the programme (404 for another programme's)."""
    task = Task.objects.filter(programme=programme, pk=pk).first()
    if task is None:
        raise Http404
    return task


def tasks_open_for_context(*, context, today: date) -> list[Task]:
    """The open tasks about one household (its timeline's owner), earliest first, ready to show."""
    tasks = list(
        Task.objects.open()
        .filter(context_type=ContentType.objects.get_for_model(context), context_id=context.pk)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    inbox_rows_prepare(tasks, today=today, context=context)
    return tasks
