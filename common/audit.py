"""Writing and reading the audit trail that every service leaves behind."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import AuditEvent

# How an event reads on a timeline. Apps register their verbs at start-up (register_verbs in
# AppConfig.ready) as past-tense descriptions ("pact signed"), for every model or for one; a
# model may also carry `audit_verbs`; otherwise an FSM transition's button label is used.
# Every verb the code records must have one (tests/test_audit_verbs.py); the raw verb is only a
# last resort.
COMMON_VERBS = {
    "created": _("created"),
    "updated": _("updated"),
    "deleted": _("deleted"),
    "role_granted": _("role granted"),
    "role_revoked": _("role revoked"),
    "document_added": _("document added"),
    "note_added": _("note added"),
    "imported": _("imported"),
    "list_exported": _("list exported"),
    "two_factor_enabled": _("two-factor authentication enabled"),
}
_MODEL_VERBS: dict[type, dict] = {}


def register_verbs(labels: dict, model: type | None = None) -> None:
    """Add an app's verb labels (lazy translations): for `model` only, or for every model.

    Transition names repeat across models ("resume" a pact, "resume" an agreement), so labels
    of transitions belong to their model."""
    if model is None:
        COMMON_VERBS.update(labels)
    else:
        _MODEL_VERBS.setdefault(model, {}).update(labels)


def verb_label(model, verb: str) -> str:
    """How `verb` on a `model` row reads: the model's own label, its transition's, a common one."""
    if model is not None:
        for own in (_MODEL_VERBS.get(model, {}), getattr(model, "audit_verbs", {})):
            if verb in own:
                return str(own[verb])
        transition = getattr(model, verb, None)
        fsm_meta = getattr(transition, "_django_fsm", None)
        if fsm_meta is not None:
            for meta in fsm_meta.transitions.values():
                if meta.custom.get("label"):
                    return str(meta.custom["label"])
    if verb in COMMON_VERBS:
        return str(COMMON_VERBS[verb])
    return verb.replace("_", " ")


def audit_record(
    *,
    actor,
    programme,
    target,
    verb: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    context=None,
    data: dict | None = None,
) -> AuditEvent:
    """Record who did what to `target`; call it inside the service's transaction."""
    return AuditEvent.objects.create(
        programme=programme,
        actor=actor if actor is not None and actor.is_authenticated else None,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        context_type=ContentType.objects.get_for_model(context) if context is not None else None,
        context_id=str(context.pk) if context is not None else "",
        verb=verb,
        from_state=from_state or "",
        to_state=to_state or "",
        note=note or "",
        data=data or {},
    )


def audit_timeline(*objects) -> models.QuerySet[AuditEvent]:
    """Events about any of `objects`, as target or as context, newest first."""
    query = models.Q(pk__in=[])
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj)
        query |= models.Q(target_type=content_type, target_id=str(obj.pk))
        query |= models.Q(context_type=content_type, context_id=str(obj.pk))
    return AuditEvent.objects.filter(query).select_related("actor", "target_type")
