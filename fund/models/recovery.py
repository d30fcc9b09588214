"""What a household repays after the fund paid its landlord: the recovery plan and its waiver.

The plan's money lives in the ledger (every posting references the plan): the receivable
still open, the repayments and the write-off are sums of entries, never counters. The
instalments are the agreed schedule; which of them are paid is derived from the repayments,
oldest first.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator

from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format
from common.roles import is_programme_fund_admin


def user_is_second_fund_admin(waiver, user) -> bool:
    """Four eyes: a fund administrator other than the proposer, superusers included."""
    return is_programme_fund_admin(waiver, user) and user.pk != waiver.proposed_by_id


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
        custom={"label": _("Reschedule the plan")},
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

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=user_is_second_fund_admin,
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
