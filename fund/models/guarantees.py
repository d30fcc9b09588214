"""Guarantees on leases, the claims landlords make on them and the months each claim covers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField

from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_fund_admin


def _lease_is_active(instance) -> bool:
    return instance.lease.status == "active"


# Conditions of a guarantee's approval: read-only checks, unlocked. The service re-checks the
# capacity under the fund's lock; the rules themselves live in fund.selectors.eligibility.


def lease_has_ended(guarantee) -> bool:
    """A guarantee is released once its lease is over (not while draft or running)."""
    return guarantee.lease.status not in ("draft", "active")


def household_enrolled(guarantee) -> bool:
    """The lease's household is enrolled in the programme."""
    from fund.selectors.eligibility import household_is_enrolled

    return household_is_enrolled(guarantee.lease.household_id)


def lease_compliant(guarantee) -> bool:
    """The lease passes the landlord agreement's check (type, rent ceiling, validity)."""
    from fund.selectors.eligibility import lease_compliance_problems

    return not lease_compliance_problems(guarantee.lease)


def unit_free(guarantee) -> bool:
    """No guarantee of another lease of the same flat is approved or in force."""
    from fund.selectors.eligibility import other_guarantee_on_unit

    return not other_guarantee_on_unit(guarantee.lease)


def fits_capacity(guarantee) -> bool:
    """The fund's capacity, as an unlocked read can tell, takes the guarantee's amount."""
    from fund.selectors.eligibility import capacity_fits

    return capacity_fits(guarantee.fund, guarantee.amount)


def claim_may_approve(claim, user) -> bool:
    """Four eyes without override: a fund administrator who neither submitted nor reviewed the
    claim, superusers included. The transition's permission and the service's re-check."""
    if user is None or user.pk in (claim.submitted_by_id, claim.reviewed_by_id):
        return False
    return is_programme_fund_admin(claim, user)


def claim_may_pay(claim, user) -> bool:
    """Who may pay: the same rule as approving (never the submitter or the reviewer)."""
    return claim_may_approve(claim, user)


class GuaranteeQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


class Guarantee(FSMModelMixin, AuditedModel):
    """The fund's promise to a landlord to pay a lease's unpaid rent, up to `amount`."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")
        EXHAUSTED = "exhausted", _("Exhausted")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.REQUESTED, Status.APPROVED, Status.ACTIVE)
    # Reserving exposure: what the fund has promised.
    IN_FORCE = (Status.APPROVED, Status.ACTIVE)

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="guarantees", verbose_name=_("fund")
    )
    lease = models.ForeignKey(
        "tenancies.Lease",
        on_delete=models.PROTECT,
        related_name="guarantees",
        verbose_name=_("lease"),
    )
    cover_months = models.PositiveSmallIntegerField(_("cover in months of rent"))
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REQUESTED,
        protected=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("requested by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = GuaranteeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("guarantee")
        verbose_name_plural = _("guarantees")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="guarantee_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["lease"],
                condition=models.Q(status__in=["requested", "approved", "active"]),
                name="guarantee_one_open_per_lease",
            ),
        ]

    def __str__(self):
        return _("Guarantee #%(number)s") % {"number": self.pk}

    def programme_for_audit(self):
        return self.fund.programme

    def audit_context(self):
        return self.lease.household

    def get_absolute_url(self):
        return reverse("fund:guarantee_detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.APPROVED,
        conditions=[household_enrolled, lease_compliant, unit_free, fits_capacity],
        permission=is_programme_fund_admin,
        custom={"label": _("Approve")},
    )
    def approve(self, *, by, at):
        self.approved_by = by
        self.approved_at = at

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.ACTIVE,
        conditions=[_lease_is_active],
        permission=is_programme_fund_admin,
        custom={"label": _("Activate")},
    )
    def activate(self):
        pass

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.RELEASED,
        conditions=[lease_has_ended],
        permission=is_programme_fund_admin,
        custom={"label": _("Release"), "needs_note": True},
    )
    def release(self):
        pass

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.EXPIRED,
        permission=is_programme_fund_admin,
        custom={"label": _("Expire"), "needs_note": True},
    )
    def expire(self):
        pass

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.EXHAUSTED,
        custom={"label": _("Cover used up")},
    )
    def exhaust(self):
        pass

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.APPROVED],
        target=Status.CANCELLED,
        permission=is_programme_fund_admin,
        custom={"label": _("Cancel"), "needs_note": True, "danger": True},
    )
    def cancel(self):
        pass


class ClaimQuerySet(ProgrammeQuerySet):
    programme_path = "guarantee__fund__programme"


class Claim(FSMModelMixin, AuditedModel):
    """A landlord's request that the fund pay specific unpaid rent months of a guaranteed lease."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    PENDING = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED)

    guarantee = models.ForeignKey(
        Guarantee, on_delete=models.PROTECT, related_name="claims", verbose_name=_("guarantee")
    )
    amount = MoneyField(
        _("claimed amount"), max_digits=12, decimal_places=2, default_currency="EUR"
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        protected=True,
    )
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("rejected by"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("paid by"),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payout_transaction = models.OneToOneField(
        "fund.Transaction",
        on_delete=models.PROTECT,
        related_name="claim_paid",
        null=True,
        blank=True,
        verbose_name=_("payout transaction"),
    )
    payment = models.OneToOneField(
        "tenancies.Payment",
        on_delete=models.PROTECT,
        related_name="fund_claim",
        null=True,
        blank=True,
        verbose_name=_("payment on the lease"),
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="claim_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return _("Claim #%(number)s") % {"number": self.pk}

    def programme_for_audit(self):
        return self.guarantee.fund.programme

    def audit_context(self):
        return self.guarantee.lease.household

    def get_absolute_url(self):
        return reverse("fund:claim_detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        permission=is_programme_fund_admin,
        custom={"label": _("Take into review")},
    )
    def review(self, *, by):
        self.reviewed_by = by

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.APPROVED,
        permission=claim_may_approve,
        custom={"label": _("Approve")},
    )
    def approve(self, *, by):
        self.approved_by = by

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.PAID,
        permission=claim_may_pay,
        custom={"label": _("Pay")},
    )
    def pay(self, *, by, on, transaction, payment):
        self.paid_by = by
        self.paid_on = on
        self.payout_transaction = transaction
        self.payment = payment

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED],
        target=Status.REJECTED,
        permission=is_programme_fund_admin,
        custom={"label": _("Reject"), "needs_note": True, "danger": True},
    )
    def reject(self, *, by, reason):
        self.decided_by = by
        self.rejection_reason = reason


class ClaimMonth(models.Model):
    """One rent month a claim asks the fund to pay; a month is in one live claim at most."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="months", verbose_name=_("claim")
    )
    due = models.ForeignKey(
        "tenancies.RentDue",
        on_delete=models.PROTECT,
        related_name="fund_claims",
        verbose_name=_("rent month"),
    )
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")
    # False once the claim is rejected, so the month may be claimed again; the unique
    # constraint below keeps a month in at most one live (or paid) claim.
    live = models.BooleanField(default=True)

    class Meta:
        ordering = ["due__month"]
        verbose_name = _("claimed month")
        verbose_name_plural = _("claimed months")
        constraints = [
            models.UniqueConstraint(
                fields=["due"], condition=models.Q(live=True), name="claimmonth_paid_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="claimmonth_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.due.month:%m/%Y}: {self.amount}"
