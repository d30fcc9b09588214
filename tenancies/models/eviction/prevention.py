"""What operators do to stop an eviction: mediation meetings and public-fund applications."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from common import dates
from common.models import AuditedModel
from common.roles import is_programme_operator
from tenancies.models.eviction.case import EvictionCase
from tenancies.models.eviction.fields import money


class MediationMeeting(AuditedModel):
    """A meeting with the landlord (and the household) to stop the eviction."""

    class Result(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement reached")
        CONTINUING = "continuing", _("Talks continue")
        FAILED = "failed", _("No agreement")

    case = models.ForeignKey(EvictionCase, on_delete=models.CASCADE, related_name="meetings")
    plausible_dates = {"held_on": dates.EVENT}
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("participants"), max_length=250, blank=True)
    result = models.CharField(_("outcome"), max_length=16, choices=Result.choices)
    note = models.TextField(_("what was agreed or said"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("mediation meeting")
        verbose_name_plural = _("mediation meetings")

    def __str__(self):
        return f"{date_format(self.held_on, 'SHORT_DATE_FORMAT')} {self.get_result_display()}"

    def programme_for_audit(self):
        return self.case.programme

    def audit_context(self):
        return self.case.lease.household


def _is_case_operator(instance, user) -> bool:
    return is_programme_operator(instance.case, user)


class FundApplication(FSMModelMixin, AuditedModel):
    """An application to a public fund (fondo morosità incolpevole) for the arrears."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        RECEIVED = "received", _("Money received")

    case = models.ForeignKey(EvictionCase, on_delete=models.PROTECT, related_name="applications")
    fund_name = models.CharField(
        _("fund"), max_length=120, default="Fondo inquilini morosi incolpevoli"
    )
    plausible_dates = {"applied_on": dates.EVENT, "decided_on": dates.EVENT}
    applied_on = models.DateField(_("applied on"))
    amount_requested = money(_("amount requested"))
    amount_granted = money(_("amount granted"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED, protected=True
    )
    payment = models.OneToOneField(
        "tenancies.Payment",
        on_delete=models.PROTECT,
        related_name="fund_application",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("public fund application")
        verbose_name_plural = _("public fund applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=Decimal("0")),
                name="fundapplication_amount_positive",
            ),
        ]

    def __str__(self):
        return f"{self.fund_name} {date_format(self.applied_on, 'SHORT_DATE_FORMAT')}"

    def programme_for_audit(self):
        return self.case.programme

    def audit_context(self):
        return self.case.lease.household

    @transition(
        field=status,
        source=Status.APPLIED,
        target=Status.GRANTED,
        permission=_is_case_operator,
        custom={"label": _("Application granted")},
    )
    def grant(self, *, on, amount):
        self.decided_on = on
        self.amount_granted = amount

    @transition(
        field=status,
        source=Status.APPLIED,
        target=Status.REFUSED,
        permission=_is_case_operator,
        custom={"label": _("Application refused"), "needs_note": True},
    )
    def refuse(self, *, on):
        self.decided_on = on

    @transition(
        field=status,
        source=Status.GRANTED,
        target=Status.RECEIVED,
        permission=_is_case_operator,
        custom={"label": _("Money received")},
    )
    def receive(self, *, payment):
        self.payment = payment
