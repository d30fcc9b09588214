"""Writes of the social caretaker's log."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.duties import task_sync
from common.exceptions import DomainError
from housing.models import CaretakerNote, SocialCondominium
from housing.notifications import caretaker_alert_notify
from housing.services._base import audit_write, clean_or_refuse


def caretaker_note_create(
    *,
    actor,
    condominium: SocialCondominium,
    text: str,
    happened_on: date,
    kind: str = CaretakerNote.Kind.NOTE,
    dwelling=None,
    resident_name: str = "",
) -> CaretakerNote:
    """Log a dated note or alert about the condominium, one of its flats or a resident."""
    if happened_on and happened_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="happened_on")
    with transaction.atomic():
        note = CaretakerNote(
            condominium=condominium,
            dwelling=dwelling,
            resident_name=resident_name.strip(),
            kind=kind,
            happened_on=happened_on,
            text=text.strip(),
            author=actor,
        )
        clean_or_refuse(note)
        note.save()
        audit_write(actor=actor, obj=note, verb="alert_raised" if note.is_alert else "noted")
        if note.is_alert:
            caretaker_alert_notify(note)
        task_sync(record=note, actor=actor)
        return note


def caretaker_alert_handle(*, actor, note: CaretakerNote, comment: str = "") -> CaretakerNote:
    """An operator takes charge of an alert; it leaves the list of open alerts."""
    with transaction.atomic():
        note = CaretakerNote.objects.select_for_update().get(pk=note.pk)
        if note.kind != CaretakerNote.Kind.ALERT:
            raise DomainError(_("Only alerts are handled."))
        if note.handled_at is not None:
            return note
        note.handled_at = timezone.now()
        note.handled_by = actor
        note.save(update_fields=["handled_at", "handled_by"])
        audit_write(actor=actor, obj=note, verb="alert_handled", note=comment)
        task_sync(record=note, actor=actor)
        return note
