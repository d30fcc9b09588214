"""Four eyes on a landlord's bank details: a changed IBAN is the classic payout fraud, so a
change is only a proposal until a fund administrator other than the proposer approves it.
`Landlord.iban` is always the approved IBAN, the only one payouts use."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_fund_admin
from housing.validators import validate_iban


class PayeeChangeQuerySet(ProgrammeQuerySet):
    programme_path = "landlord__programme"


def payee_change_may_approve(change, user) -> bool:
    """Four eyes: a fund administrator of the programme other than who proposed the change."""
    if user is None or user.pk == change.proposed_by_id:
        return False
    return is_programme_fund_admin(change, user)


class PayeeChange(FSMModelMixin, AuditedModel):
    """A new IBAN for a landlord's payouts, proposed by one person, applied only once a second
    one (a fund administrator) approves it."""

    audit_verbs = {"payee_change_proposed": _("IBAN change proposed")}

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting a fund administrator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    landlord = models.ForeignKey(
        "housing.Landlord",
        on_delete=models.PROTECT,
        related_name="payee_changes",
        verbose_name=_("landlord"),
    )
    iban_before = models.CharField(_("IBAN before"), max_length=34, blank=True)
    iban = models.CharField(_("new IBAN"), max_length=34, validators=[validate_iban])
    reason = models.TextField(_("reason"), blank=True)
    status = FSMField(
        _("status"), default=Status.PROPOSED, choices=Status.choices, protected=True, max_length=20
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = PayeeChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("IBAN change")
        verbose_name_plural = _("IBAN changes")
        constraints = [
            models.UniqueConstraint(
                fields=["landlord"],
                condition=models.Q(status="proposed"),
                name="payee_change_one_open_per_landlord",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved", decided_by=models.F("proposed_by")),
                name="payee_change_four_eyes",
            ),
        ]

    def __str__(self):
        return str(
            _("IBAN of %(landlord)s → %(iban)s") % {"landlord": self.landlord, "iban": self.iban}
        )

    def programme_for_audit(self):
        return self.landlord.programme

    def audit_context(self):
        return self.landlord

    def get_absolute_url(self):
        return self.landlord.get_absolute_url()

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=payee_change_may_approve,
        custom={"label": _("Approve the new IBAN"), "danger": True},
    )
    def approve(self, by, at):
        self.decided_by = by
        self.decided_at = at

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.REJECTED,
        permission=is_programme_fund_admin,
        custom={"label": _("Reject the new IBAN")},
    )
    def reject(self, by, at):
        self.decided_by = by
        self.decided_at = at
