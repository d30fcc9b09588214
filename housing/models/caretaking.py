from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet


class CaretakerNoteQuerySet(ProgrammeQuerySet):
    programme_path = "condominium__programme"


class CaretakerNote(AuditedModel):
    """A dated note or alert the social caretaker writes about a flat or a resident."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        ALERT = "alert", _("Alert")

    condominium = models.ForeignKey(
        "housing.SocialCondominium",
        on_delete=models.PROTECT,
        related_name="caretaker_notes",
        verbose_name=_("social condominium"),
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling",
        on_delete=models.PROTECT,
        related_name="caretaker_notes",
        null=True,
        blank=True,
        verbose_name=_("flat"),
    )
    resident_name = models.CharField(_("resident"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    plausible_dates = {"happened_on": dates.EVENT}
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caretaker_notes",
        verbose_name=_("author"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CaretakerNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("caretaker note")
        verbose_name_plural = _("caretaker notes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on:%d/%m/%Y} · {self.condominium}"

    def programme_for_audit(self):
        return self.condominium.programme

    def audit_context(self):
        return self.condominium

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.dwelling_id and self.dwelling.condominium_id != self.condominium_id:
            raise ValidationError({"dwelling": _("This flat is not in the condominium.")})

    @property
    def is_alert(self) -> bool:
        return self.kind == self.Kind.ALERT
