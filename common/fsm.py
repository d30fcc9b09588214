"""One way to run a django-fsm transition: locked, checked, saved, audited.

Services call `transition_run`; views never call transitions themselves.

Lock order, everywhere: the fund (money checks), then the workflow's parent row (a lease before
anything of that lease), then the row itself, each `select_for_update(of=("self",))` so a
joined row is never locked by accident. The parent comes from the model's registered
`Workflow` (common.workflows), so a claim payment and a household payment on the same lease
both take the lease first and cannot deadlock.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from common.audit import audit_record
from common.dates import plausible_dates_refuse
from common.duties import task_sync
from common.exceptions import DomainError


def transition_run(
    *,
    queryset,
    pk,
    transition: str,
    actor,
    note: str = "",
    field: str = "status",
    update_fields: tuple[str, ...] = (),
    context=None,
    check_permission: bool = True,
    data: dict | None = None,
    **kwargs,
):
    """Lock the row, check the transition is allowed now and to `actor`, run it, save, audit.

    Returns the saved object. Raises DomainError (nothing changed) when the move is illegal.
    `kwargs` go to the transition method; `update_fields` lists extra fields it sets.
    """
    with transaction.atomic():
        parent_lock(queryset.model, pk)
        obj = queryset.select_for_update(of=("self",)).get(pk=pk)
        method = getattr(obj, transition)
        before = getattr(obj, field)
        if not can_proceed(method):
            raise DomainError(
                _("“%(action)s” is not possible while the state is “%(state)s”.")
                % {"action": transition_label(method), "state": state_label(obj, field)}
            )
        if check_permission and not has_transition_perm(method, actor):
            raise DomainError(
                _("You are not allowed to “%(action)s”.") % {"action": transition_label(method)}
            )
        method(**kwargs)
        # The dates a step sets (a hearing, a release date…) are kept to their kind's range
        # here, once for every workflow, since steps save without full_clean().
        plausible_dates_refuse(obj, update_fields)
        obj.save(update_fields=[field, *update_fields])
        audit_record(
            actor=actor,
            programme=obj.programme_for_audit(),
            target=obj,
            verb=transition,
            from_state=before,
            to_state=getattr(obj, field),
            note=note,
            context=context if context is not None else obj.audit_context(),
            data={"field": field, **(data or {})},
        )
        # A change of state opens, moves or closes the record's tasks (common.duties).
        task_sync(record=obj, actor=actor)
        return obj


def parent_lock(model, pk) -> None:
    """Lock the parent row the model's workflow names (if any) before the row `pk` itself."""
    from common.workflows import workflow_for_model

    workflow = workflow_for_model(model)
    if workflow is None or not workflow.parent:
        return
    parent_pk = model._default_manager.filter(pk=pk).values_list(workflow.parent, flat=True).first()
    if parent_pk is not None:
        parent = workflow.parent_model()
        list(parent._default_manager.select_for_update(of=("self",)).filter(pk=parent_pk))


def row_lock(queryset, pk):
    """Lock and return one row after its workflow's parent: the order `transition_run` uses."""
    parent_lock(queryset.model, pk)
    return queryset.select_for_update(of=("self",)).get(pk=pk)


def transition_label(method) -> str:
    """The human name of a transition, from its `custom={"label": ...}`, else its name."""
    custom = getattr(method, "_django_fsm", None)
    if custom is not None:
        for meta_transition in custom.transitions.values():
            label = meta_transition.custom.get("label")
            if label:
                return str(label)
    return method.__name__.replace("_", " ")


def state_label(obj, field: str = "status") -> str:
    display = getattr(obj, f"get_{field}_display", None)
    return str(display()) if display else str(getattr(obj, field))


def transitions_available(obj, user, field: str = "status") -> list[dict]:
    """The transitions `user` may take on `obj` now, for buttons: name, label, style."""
    getter = getattr(obj, f"get_available_user_{field}_transitions")
    result = []
    seen = set()
    for meta in getter(user):
        if meta.name in seen:
            continue
        seen.add(meta.name)
        result.append(
            {
                "name": meta.name,
                "label": meta.custom.get("label", meta.name.replace("_", " ")),
                "danger": meta.custom.get("danger", False),
                "needs_note": meta.custom.get("needs_note", False),
            }
        )
    return result
