"""What a household repays after the fund paid its landlord: the recovery plan, its schedule
and repayments (community hours and waivers are in fund.models.waivers).

The plan's money lives in the ledger (every posting references the plan): the receivable still
open, the repayments and the write-off are sums of entries, never counters. The instalments are
the agreed schedule; which of them are paid is derived from the repayments, oldest first.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format
from common.roles import is_programme_fund_admin


class RecoveryPlanQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


class RecoveryPlan(FSMModelMixin, AuditedModel):
    """The household's debt to the fund for one payout, and how it is repaid or waived."""

    # Its receivable, repayments and write-off are undone through the plan, not the ledger.
    owns_ledger_postings = True

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        REPAID = "repaid", _("Repaid")
        WAIVED = "waived", _("Waived")

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="recovery_plans", verbose_name=_("fund")
    )
    household = models.ForeignKey(
        "tenancies.Household",
        on_delete=models.PROTECT,
        related_name="recovery_plans",
        verbose_name=_("household"),
    )
    lease = models.ForeignKey(
        "tenancies.Lease",
        on_delete=models.PROTECT,
        related_name="recovery_plans",
        null=True,
        blank=True,
        verbose_name=_("lease"),
    )
    payout_transaction = models.OneToOneField(
        "fund.Transaction",
        on_delete=models.PROTECT,
        related_name="recovery_plan",
        verbose_name=_("payout"),
    )
    amount = MoneyField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(Decimal("0.01"))],
    )
    status = FSMField(
        _("status"), default=Status.PROPOSED, choices=Status.choices, protected=True, max_length=20
    )
    instalment_count = models.PositiveSmallIntegerField(_("instalments"), null=True, blank=True)
    plausible_dates = {"first_due_on": dates.PLAN_INSTALMENT}
    first_due_on = models.DateField(_("first instalment due on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RecoveryPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recovery plan")
        verbose_name_plural = _("recovery plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="recovery_plan_amount_positive"
            ),
        ]

    def __str__(self):
        return str(
            _("Recovery plan #%(number)s of %(household)s")
            % {"number": self.pk, "household": self.household}
        )

    def programme_for_audit(self):
        return self.fund.programme

    def audit_context(self):
        return self.household

    def get_absolute_url(self):
        return reverse("fund:recovery", args=[self.pk])

    def is_open(self) -> bool:
        """Still owed: hours may be logged and a waiver proposed."""
        return self.status in (self.Status.PROPOSED, self.Status.ACTIVE)

    def takes_repayments(self) -> bool:
        return self.status == self.Status.ACTIVE

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.ACTIVE,
        permission=is_programme_fund_admin,
        custom={"label": _("Activate the plan")},
    )
    def activate(self, instalment_count, first_due_on):
        self.instalment_count = instalment_count
        self.first_due_on = first_due_on

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.ACTIVE,
        permission=is_programme_fund_admin,
        custom={"label": _("Reschedule the plan"), "needs_note": True},
    )
    def reschedule(self, instalment_count, first_due_on):
        self.instalment_count = instalment_count
        self.first_due_on = first_due_on

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.REPAID,
        permission=is_programme_fund_admin,
        custom={"label": _("Mark as repaid")},
    )
    def mark_repaid(self):
        pass

    @transition(
        field=status,
        source=[Status.PROPOSED, Status.ACTIVE],
        target=Status.WAIVED,
        permission=is_programme_fund_admin,
        custom={"label": _("Waive the debt"), "danger": True},
    )
    def waive(self):
        pass


class RecoveryInstalment(models.Model):
    """One agreed instalment of a plan; the instalments of a plan add up to its amount."""

    plan = models.ForeignKey(
        RecoveryPlan, on_delete=models.CASCADE, related_name="instalments", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")

    class Meta:
        ordering = ["plan", "due_on", "number"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="recovery_instalment_number"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="recovery_instalment_positive"
            ),
        ]

    def __str__(self):
        day = date_format(self.due_on, "SHORT_DATE_FORMAT")
        return f"{self.number} · {day} · {money_format(self.amount)}"


class RecoveryPayment(AuditedModel):
    """Money the household paid back; its ledger transaction is the proof."""

    audit_verbs = {"recovery_paid": _("repayment recorded")}

    plan = models.ForeignKey(
        RecoveryPlan, on_delete=models.PROTECT, related_name="payments", verbose_name=_("plan")
    )
    amount = MoneyField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(Decimal("0.01"))],
    )
    plausible_dates = {"paid_on": dates.PAYMENT}
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    transaction = models.OneToOneField(
        "fund.Transaction",
        on_delete=models.PROTECT,
        related_name="recovery_payment",
        verbose_name=_("ledger transaction"),
    )
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
        ordering = ["paid_on", "pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="recovery_payment_positive"
            ),
        ]

    def __str__(self):
        return f"{date_format(self.paid_on, 'SHORT_DATE_FORMAT')} · {money_format(self.amount)}"

    def programme_for_audit(self):
        return self.plan.fund.programme

    def audit_context(self):
        return self.plan.household
