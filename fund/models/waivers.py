"""What can settle a household's debt other than money: hours of community activity under its
pact, and the waiver a second fund administrator approves (four eyes)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from common import dates
from common.models import AuditedModel
from common.roles import is_programme_fund_admin
from fund.models.recovery import RecoveryPlan


def waiver_may_approve(waiver, user) -> bool:
    """Four eyes: a fund administrator other than the proposer, superusers included. The
    transition's permission and the service's re-check under lock."""
    if user is None or user.pk == waiver.proposed_by_id:
        return False
    return is_programme_fund_admin(waiver, user)


class CommunityHours(AuditedModel):
    """Hours of community activity the household gave under its support pact."""

    audit_verbs = {"community_hours_logged": _("community activity hours logged")}

    plan = models.ForeignKey(
        RecoveryPlan,
        on_delete=models.PROTECT,
        related_name="community_hours",
        verbose_name=_("plan"),
    )
    pact = models.ForeignKey(
        "tenancies.SupportPact",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("support pact"),
    )
    plausible_dates = {"date": dates.EVENT}
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    activity = models.CharField(_("activity"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("community activity hours")
        verbose_name_plural = _("community activity hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="community_hours_positive"
            ),
        ]

    def __str__(self):
        return f"{date_format(self.date, 'SHORT_DATE_FORMAT')} · {self.hours} h · {self.activity}"

    def programme_for_audit(self):
        return self.plan.fund.programme

    def audit_context(self):
        return self.plan.household


class RecoveryWaiver(FSMModelMixin, AuditedModel):
    """A proposal to write off what is left of a plan; a second fund admin decides it."""

    audit_verbs = {"waiver_proposed": _("waiver proposed")}

    class Kind(models.TextChoices):
        HARDSHIP = "hardship", _("Hardship")
        COMMUNITY_PACT = "community_pact", _("Community activity pact")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting a second administrator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    plan = models.ForeignKey(
        RecoveryPlan, on_delete=models.PROTECT, related_name="waivers", verbose_name=_("plan")
    )
    kind = models.CharField(_("reason kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("written reason"))
    pact = models.ForeignKey(
        "tenancies.SupportPact",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("support pact"),
    )
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
    decision_note = models.TextField(_("decision note"), blank=True)
    transaction = models.OneToOneField(
        "fund.Transaction",
        on_delete=models.PROTECT,
        related_name="recovery_waiver",
        null=True,
        blank=True,
        verbose_name=_("write-off"),
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="proposed"),
                name="recovery_waiver_one_open_per_plan",
            ),
            # Four eyes, down to the database: whoever approves did not propose.
            models.CheckConstraint(
                condition=~models.Q(status="approved", decided_by=models.F("proposed_by")),
                name="recovery_waiver_four_eyes",
            ),
        ]

    def __str__(self):
        return str(_("Waiver of %(plan)s") % {"plan": self.plan})

    def programme_for_audit(self):
        return self.plan.fund.programme

    def audit_context(self):
        return self.plan.household

    def get_absolute_url(self):
        return self.plan.get_absolute_url()

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=waiver_may_approve,
        custom={"label": _("Approve the waiver"), "danger": True},
    )
    def approve(self, by, at, decision, write_off):
        self.decided_by = by
        self.decided_at = at
        self.decision_note = decision
        self.transaction = write_off

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.REJECTED,
        permission=is_programme_fund_admin,
        custom={"label": _("Reject the waiver"), "needs_note": True},
    )
    def reject(self, by, at, decision):
        self.decided_by = by
        self.decided_at = at
        self.decision_note = decision
