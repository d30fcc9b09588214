from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import AuditedModel, ProgrammeQuerySet


class Landlord(AuditedModel):
    """A private owner or an estate agency that rents to the programme's households."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Private owner")
        AGENCY = "agency", _("Estate agency")

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="landlords",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="landlords",
        blank=True,
        verbose_name=_("logins"),
        help_text=_("People who may act for this landlord in the landlord pages."),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("landlord")
        verbose_name_plural = _("landlords")

    def __str__(self):
        return self.name
