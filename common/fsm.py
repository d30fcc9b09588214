"""One way to run a django-fsm transition: locked, checked, saved, audited.

Services call `transition_run`; views never call transitions themselves.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from common.audit import audit_record
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
        obj = queryset.select_for_update().get(pk=pk)
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
        return obj


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
