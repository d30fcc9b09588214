"""Tasks follow duties: the one place that opens, moves and closes an operator's tasks.

A *duty* is a dated thing someone must do about a record, read from the record itself (a pact's
next review date, an arrears case's next action, an eviction case's legal deadlines). Each app
registers, for each kind of duty, a `TaskSource` (in its AppConfig.ready): how to read a
record's duties now, and which records may have any. The services that change those records
call `task_sync(record=…)` in their transaction (state changes get it from
`common.fsm.transition_run`); `task_sync` opens a task for a new duty, moves its date when the
duty's date moves, and closes it when the duty is gone. So the inbox is what the records say,
never a nightly guess, and `check_integrity` verifies exactly that (`tasks_follow_duties`).

Sources live with the data they read, so arrows keep pointing to common only.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from common.models import Task


@dataclass(frozen=True)
class Duty:
    """One dated duty of a record: `key` tells several duties of one record apart."""

    due_on: date
    key: str = ""
    owner_id: int | None = None


@dataclass(frozen=True)
class TaskSource:
    """A kind of task and where its duties come from.

    `duties(record)` lists the record's duties as they are now (an empty list once resolved);
    `records()` is a queryset holding at least every record that has a duty (it may hold more);
    `key_label(key)` names one of a record's duties, when it has several.
    """

    kind: str
    label: Any
    model: str
    duties: Callable[[models.Model], list[Duty]]
    records: Callable[[], models.QuerySet]
    key_label: Callable[[str], str] | None = None
    # Where the inbox links when the record has no page of its own (its `get_absolute_url`).
    url: Callable[[models.Model], str] | None = None

    @property
    def model_class(self):
        return apps.get_model(self.model)


_SOURCES: dict[str, TaskSource] = {}


def task_source_register(source: TaskSource) -> None:
    if source.kind in _SOURCES and _SOURCES[source.kind] != source:
        raise ValueError(f"Two task sources are named {source.kind!r}.")
    _SOURCES[source.kind] = source


def task_sources() -> list[TaskSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.kind)


def source_for_kind(kind: str) -> TaskSource | None:
    return _SOURCES.get(kind)


def _sources_for(model) -> list[TaskSource]:
    label = model._meta.label
    return [s for s in task_sources() if s.model == label]


def _context_of(record):
    get_context = getattr(record, "audit_context", None)
    return get_context() if get_context else None


def task_sync(*, record: models.Model, actor=None) -> None:
    """Bring the record's open tasks in line with its duties now: open the new ones, move the
    ones whose date moved, close the ones resolved. Call it inside the service's transaction,
    after saving the record. A duty someone closed by hand stays closed until its date moves."""
    sources = _sources_for(type(record))
    if not sources:
        return
    record_type = ContentType.objects.get_for_model(record)
    with transaction.atomic():
        for source in sources:
            _sync_one(source, record, record_type, actor)


def _sync_one(source: TaskSource, record, record_type, actor) -> None:
    duties = {d.key: d for d in source.duties(record)}
    tasks = Task.objects.filter(record_type=record_type, record_id=record.pk, kind=source.kind)
    open_tasks = {t.key: t for t in tasks.open().select_for_update(of=("self",))}
    for key, task in open_tasks.items():
        duty = duties.get(key)
        if duty is None:
            task.resolve(by=actor)
            task.save(update_fields=["status", "closed_at", "closed_by"])
        elif duty.due_on != task.due_on:
            task.due_on = duty.due_on
            task.save(update_fields=["due_on"])
    new = {key: duty for key, duty in duties.items() if key not in open_tasks}
    if not new:
        return
    handled = set(
        tasks.exclude(status=Task.Status.OPEN)
        .filter(key__in=list(new))
        .values_list("key", "due_on")
    )
    context = _context_of(record)
    programme = record.programme_for_audit()
    for key, duty in new.items():
        if (key, duty.due_on) in handled:
            continue
        Task.objects.create(
            programme=programme,
            kind=source.kind,
            key=key,
            record_type=record_type,
            record_id=record.pk,
            context_type=ContentType.objects.get_for_model(context) if context else None,
            context_id=context.pk if context else None,
            due_on=duty.due_on,
            owner_id=duty.owner_id,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )


def tasks_open_for_new(*, records: list, actor=None) -> int:
    """Open the tasks of records just created in bulk (the monthly run's arrears cases) with
    one insert: they have no tasks yet. Read their relations in the queryset (select_related)
    so that reading their duties costs no query per record."""
    if not records:
        return 0
    record_type = ContentType.objects.get_for_model(records[0])
    by = actor if actor is not None and actor.is_authenticated else None
    tasks = []
    for source in _sources_for(type(records[0])):
        for record in records:
            context = _context_of(record)
            tasks.extend(
                Task(
                    programme=record.programme_for_audit(),
                    kind=source.kind,
                    key=duty.key,
                    record_type=record_type,
                    record_id=record.pk,
                    context_type=ContentType.objects.get_for_model(context) if context else None,
                    context_id=context.pk if context else None,
                    due_on=duty.due_on,
                    owner_id=duty.owner_id,
                    created_by=by,
                )
                for duty in source.duties(record)
            )
    Task.objects.bulk_create(tasks)
    return len(tasks)


def tasks_sync_all(*, actor=None, kinds: Iterable[str] | None = None) -> int:
    """Sync every record that may have a duty (a new installation, or a new kind of task):
    the inbox is true from the first day. Returns how many records were read."""
    count = 0
    for source in task_sources():
        if kinds is not None and source.kind not in kinds:
            continue
        seen = set()
        for record in source.records().iterator():
            with transaction.atomic():
                _sync_one(source, record, ContentType.objects.get_for_model(record), actor)
            seen.add(record.pk)
            count += 1
        # Open tasks of records that no longer have any duty (or no longer exist).
        for task in Task.objects.open().filter(kind=source.kind).iterator():
            if task.record_id not in seen:
                with transaction.atomic():
                    task = _lock_task(task)
                    if task.is_open:
                        task.resolve(by=actor)
                        task.save(update_fields=["status", "closed_at", "closed_by"])
    return count


def tasks_close_for_records(*, records: Iterable[models.Model], actor=None) -> int:
    """Close the open tasks of records about to be deleted (pseudonymisation, retention)."""
    closed = 0
    for record in records:
        for task in Task.objects.open().for_record(record).select_for_update(of=("self",)):
            task.resolve(by=actor)
            task.save(update_fields=["status", "closed_at", "closed_by"])
            closed += 1
    return closed


@integrity_check(
    "tasks_follow_duties",
    _(
        "Every open duty (a deadline, a review, an alert…) has its task, and no task is open "
        "without its duty."
    ),
)
def _tasks_follow_duties():
    for source in task_sources():
        model = source.model_class
        record_type = ContentType.objects.get_for_model(model)
        tasks = Task.objects.filter(kind=source.kind, record_type=record_type)
        open_by_record: dict[int, dict[str, Task]] = {}
        for task in tasks.open():
            open_by_record.setdefault(task.record_id, {})[task.key] = task
        handled = set(
            tasks.exclude(status=Task.Status.OPEN).values_list("record_id", "key", "due_on")
        )
        seen = set()
        for record in source.records().iterator():
            seen.add(record.pk)
            open_tasks = open_by_record.get(record.pk, {})
            duties = {d.key: d for d in source.duties(record)}
            for key, duty in duties.items():
                task = open_tasks.get(key)
                if task is None and (record.pk, key, duty.due_on) not in handled:
                    yield Violation(
                        record,
                        _("Its duty “%(kind)s” due on %(day)s has no task.")
                        % {"kind": source.label, "day": duty.due_on.isoformat()},
                    )
                elif task is not None and task.due_on != duty.due_on:
                    yield Violation(
                        task,
                        _("The task is due on %(task)s, its duty on %(duty)s.")
                        % {"task": task.due_on.isoformat(), "duty": duty.due_on.isoformat()},
                    )
            for key, task in open_tasks.items():
                if key not in duties:
                    yield Violation(task, _("The task is open but its duty is resolved."))
        for record_id, open_tasks in open_by_record.items():
            if record_id not in seen:
                for task in open_tasks.values():
                    yield Violation(task, _("The task is open but its record has no duty."))


# What people do with tasks in the inbox: each locked, checked and audited.


def _lock_task(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).get(pk=task.pk)


def _may_work_on(actor, task: Task) -> None:
    from common.exceptions import DomainError
    from common.roles import Role, holds_role

    if not holds_role(actor, task.programme_id, Role.OPERATOR):
        raise DomainError(_("Only the programme's operators work on its tasks."))


def task_complete(*, actor, task: Task, note: str = "") -> Task:
    """Mark an open task done by hand; it stays closed until its duty's date moves."""
    from common.fsm import transition_run

    _may_work_on(actor, task)
    return transition_run(
        queryset=Task.objects.all(),
        pk=task.pk,
        transition="complete",
        actor=actor,
        note=note,
        update_fields=("closed_at", "closed_by"),
        check_permission=False,
        by=actor,
    )


def task_dismiss(*, actor, task: Task, reason: str) -> Task:
    """Dismiss an open task (not needed, done elsewhere…); the reason is kept and audited."""
    from common.exceptions import DomainError
    from common.fsm import transition_run

    if not (reason or "").strip():
        raise DomainError(_("Say why the task is dismissed."), field="reason")
    _may_work_on(actor, task)
    return transition_run(
        queryset=Task.objects.all(),
        pk=task.pk,
        transition="dismiss",
        actor=actor,
        note=reason.strip(),
        update_fields=("dismiss_reason", "closed_at", "closed_by"),
        check_permission=False,
        reason=reason.strip(),
        by=actor,
    )


def task_reassign(*, actor, task: Task, owner) -> Task:
    """Give one open task to another operator of its programme (None: to the team)."""
    from common.audit import audit_record
    from common.exceptions import DomainError
    from common.roles import Role, holds_role

    _may_work_on(actor, task)
    if owner is not None and not holds_role(owner, task.programme_id, Role.OPERATOR):
        raise DomainError(_("Tasks go to an operator of the programme."), field="owner")
    with transaction.atomic():
        task = _lock_task(task)
        if not task.is_open:
            raise DomainError(_("The task is already closed."))
        if task.owner_id == (owner.pk if owner else None):
            return task
        before = task.owner
        task.owner = owner
        task.save(update_fields=["owner"])
        audit_record(
            actor=actor,
            programme=task.programme,
            target=task,
            verb="task_reassigned",
            context=task.context,
            data={
                "from": before.get_username() if before else "",
                "to": owner.get_username() if owner else "",
            },
        )
        from common.task_notifications import task_assigned_notify

        task_assigned_notify(task=task, actor=actor)
        return task


def tasks_reassign_owner(*, programme, from_user, to_user) -> int:
    """Move every open task of `from_user` in the programme to `to_user`; the caller audits
    (a caseload's reassignment is one audited step, see tenancies.services.households)."""
    return Task.objects.open().filter(programme=programme, owner=from_user).update(owner=to_user)


def tasks_of_context_reassign(*, context, from_user_id, to_user) -> int:
    """Move the open tasks about one household (or other context) from its former operator to
    the new one; tasks someone gave to a colleague by hand stay with the colleague."""
    if from_user_id is None:
        return 0
    return (
        Task.objects.open()
        .filter(
            context_type=ContentType.objects.get_for_model(context),
            context_id=context.pk,
            owner_id=from_user_id,
        )
        .update(owner=to_user)
    )


def tasks_of_context_pseudonymise(*, context) -> None:
    """Blank the free text of a household's tasks (a dismissal's reason may name people)."""
    Task.objects.filter(
        context_type=ContentType.objects.get_for_model(context), context_id=context.pk
    ).exclude(dismiss_reason="").update(dismiss_reason="—")
