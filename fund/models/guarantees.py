"""Guarantees on leases: the fund's promise, approved against its capacity (claims are in
fund.models.claims)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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


class GuaranteeQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


class Guarantee(FSMModelMixin, AuditedModel):
    """The fund's promise to a landlord to pay a lease's unpaid rent, up to `amount`."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", pgettext_lazy("guarantee status", "Active")
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
        indexes = [
            # A landlord's guarantees and claims (selectors.guarantees._landlord_filter: the
            # guarantees of the fund on the landlord's leases), found by lease.
            models.Index(fields=["lease", "fund"], name="guarantee_lease_fund_idx"),
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
