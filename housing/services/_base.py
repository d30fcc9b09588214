"""Helpers shared by the housing services."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from common.audit import audit_record
from common.exceptions import DomainError


def clean_or_refuse(obj, *, exclude=None) -> None:
    """`full_clean()` the object; a failure becomes a DomainError naming the first bad field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            field, errors = next(iter(error.message_dict.items()))
            raise DomainError(
                errors[0], field=None if field == NON_FIELD_ERRORS else field
            ) from error
        raise DomainError(error.messages[0]) from error


def apply_changes(obj, fields: dict, allowed: set[str]) -> dict:
    """Set the allowed `fields` on `obj`; return {name: [old, new]} of what really changed."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Fields not editable here: {sorted(unknown)}")
    changes = {}
    for name, value in fields.items():
        old = getattr(obj, name, None)  # an unset foreign key raises AttributeError
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(obj, name, value)
    return changes


def audit_write(*, actor, obj, verb: str, note: str = "", data: dict | None = None):
    return audit_record(
        actor=actor,
        programme=obj.programme_for_audit(),
        target=obj,
        verb=verb,
        note=note,
        context=obj.audit_context(),
        data=data,
    )
