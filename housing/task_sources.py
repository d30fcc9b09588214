"""The caretaker's alerts as tasks of the condominium's programme (see common.duties): open
from the day the caretaker raises one until an operator takes charge of it. The alert names a
flat or a resident, not a household (housing does not know households), so the task goes to
the programme's team, unassigned, for whoever picks it up."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.duties import Duty, TaskSource, task_source_register


def _alert_duties(note) -> list:
    if note.kind != note.Kind.ALERT or note.handled_at is not None:
        return []
    return [Duty(due_on=note.happened_on)]


def _alert_records():
    from housing.models import CaretakerNote

    return CaretakerNote.objects.filter(
        kind=CaretakerNote.Kind.ALERT, handled_at__isnull=True
    ).select_related("condominium")


def register() -> None:
    task_source_register(
        TaskSource(
            kind="caretaker_alert",
            label=_("Caretaker's alert"),
            model="housing.CaretakerNote",
            duties=_alert_duties,
            records=_alert_records,
            url=lambda note: reverse("housing:alert_list"),
        )
    )
