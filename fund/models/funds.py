from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format
from common.roles import is_programme_fund_admin
from fund.models.ledger import AppendOnlyMixin, AppendOnlyQuerySet
from fund.validators import validate_bic
from housing.validators import validate_iban

# A fund lends its cash at most five times over; below 0.50 it would hold twice the cash its
# guarantees need (the stress test's leverage grid spans the same range). 999.99 was accepted.
LEVERAGE_MIN = Decimal("0.50")
LEVERAGE_MAX = Decimal("5.00")


class Fund(AuditedModel):
    """The guarantee fund of one programme: its money lives in the ledger's accounts."""

    class Currency(models.TextChoices):
        EUR = "EUR", _("Euro")

    programme = models.OneToOneField(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="fund",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    leverage = models.DecimalField(
        _("leverage"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(LEVERAGE_MIN), MaxValueValidator(LEVERAGE_MAX)],
        help_text=_(
            "Guarantee exposure allowed per euro in the bank: 1.00 means every guarantee is "
            "fully backed by cash."
        ),
    )
    cover_months = models.PositiveSmallIntegerField(
        _("cover in months of rent"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Default cover of a guarantee, in months of rent."),
    )
    cover_cap = MoneyField(
        _("cap per lease"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        default=Decimal("3000.00"),
        validators=[MinMoneyValidator(Decimal("0.01"))],
        help_text=_("Default maximum a guarantee may cover on one lease."),
    )
    # The fund's own bank account: payouts leave from it (the SEPA file's debtor).
    account_holder = models.CharField(_("account holder"), max_length=70, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leverage__gte=LEVERAGE_MIN, leverage__lte=LEVERAGE_MAX),
                name="fund_leverage_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(cover_months__gte=1), name="fund_cover_months_min"
            ),
            models.CheckConstraint(
                condition=models.Q(cover_cap__gt=0), name="fund_cover_cap_positive"
            ),
        ]

    def __str__(self):
        return self.name


class ContributionQuerySet(AppendOnlyQuerySet, ProgrammeQuerySet):
    programme_path = "fund__programme"


class Contribution(AppendOnlyMixin, AuditedModel):
    """Money a funder gave the fund; booking it posts bank ← capital in the ledger."""

    class Kind(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation")
        MUNICIPALITY = "municipality", _("Municipality")
        DONATION = "donation", _("Donation")
        OTHER = "other", _("Other")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("fund")
    )
    funder = models.CharField(_("funder"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = MoneyField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(Decimal("0.01"))],
    )
    plausible_dates = {"date": dates.CONTRIBUTION}
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    transaction = models.OneToOneField(
        "fund.Transaction",
        on_delete=models.PROTECT,
        related_name="contribution",
        verbose_name=_("ledger transaction"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="contribution_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["foundation", "municipality", "donation", "other"]),
                name="contribution_kind_valid",
            ),
        ]

    def __str__(self):
        day = date_format(self.date, "SHORT_DATE_FORMAT")
        return f"{self.funder} · {money_format(self.amount)} · {day}"

    def programme_for_audit(self):
        return self.fund.programme


class LeverageChangeQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


def leverage_change_may_approve(change, user) -> bool:
    """Four eyes: a fund administrator of the programme other than the proposer."""
    if user is None or user.pk == change.proposed_by_id:
        return False
    return is_programme_fund_admin(change, user)


class LeverageChange(FSMModelMixin, AuditedModel):
    """A change of the fund's leverage, proposed by one fund administrator and applied only
    when a second one approves it: leverage decides how much the fund may promise."""

    audit_verbs = {"leverage_change_proposed": _("leverage change proposed")}

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting a second administrator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="leverage_changes", verbose_name=_("fund")
    )
    leverage_before = models.DecimalField(_("leverage before"), max_digits=5, decimal_places=2)
    leverage = models.DecimalField(
        _("proposed leverage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(LEVERAGE_MIN), MaxValueValidator(LEVERAGE_MAX)],
    )
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

    objects = LeverageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("leverage change")
        verbose_name_plural = _("leverage changes")
        constraints = [
            models.UniqueConstraint(
                fields=["fund"],
                condition=models.Q(status="proposed"),
                name="leverage_change_one_open_per_fund",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved", decided_by=models.F("proposed_by")),
                name="leverage_change_four_eyes",
            ),
            models.CheckConstraint(
                condition=models.Q(leverage__gte=LEVERAGE_MIN, leverage__lte=LEVERAGE_MAX),
                name="leverage_change_in_range",
            ),
        ]

    def __str__(self):
        return str(
            _("Leverage %(before)s → %(after)s")
            % {
                "before": number_format(self.leverage_before, 2),
                "after": number_format(self.leverage, 2),
            }
        )

    def programme_for_audit(self):
        return self.fund.programme

    def audit_context(self):
        return self.fund

    def get_absolute_url(self):
        return reverse("fund:settings")

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=leverage_change_may_approve,
        custom={"label": _("Approve the leverage change"), "danger": True},
    )
    def approve(self, by, at):
        self.decided_by = by
        self.decided_at = at

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.REJECTED,
        permission=is_programme_fund_admin,
        custom={"label": _("Reject the leverage change")},
    )
    def reject(self, by, at):
        self.decided_by = by
        self.decided_at = at
