"""Writes of reporting: the targets a fund administrator sets for the programme."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from reporting.indicators import INDICATORS
from reporting.models import Target

TARGET_FIELDS = ("indicator", "value", "period_start", "period_end", "source")


def _clean(target: Target) -> None:
    if target.indicator not in INDICATORS:
        raise DomainError(_("Unknown indicator."), field="indicator")
    try:
        target.full_clean()
    except ValidationError as error:
        field, errors = next(iter(error.message_dict.items()))
        raise DomainError(errors[0], field=None if field == NON_FIELD_ERRORS else field) from error


def target_create(*, actor, programme, **fields) -> Target:
    """Set a target for one indicator and period; refused if the indicator is unknown, the
    period reversed or the same indicator already has a target for that period."""
    with transaction.atomic():
        target = Target(programme=programme, **{k: fields[k] for k in TARGET_FIELDS})
        _clean(target)
        target.save()
        audit_record(actor=actor, programme=programme, target=target, verb="created")
        return target


def target_update(*, actor, target: Target, **fields) -> Target:
    """Change a target; records the fields that changed (nothing is written if none did)."""
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        changes = {}
        for name in TARGET_FIELDS:
            if name in fields and getattr(target, name) != fields[name]:
                changes[name] = [str(getattr(target, name)), str(fields[name])]
                setattr(target, name, fields[name])
        if not changes:
            return target
        _clean(target)
        target.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            programme=target.programme,
            target=target,
            verb="updated",
            data={"changes": changes},
        )
        return target
