from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator

from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format
from fund.models.ledger import AppendOnlyMixin, AppendOnlyQuerySet


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
        validators=[MinValueValidator(Decimal("0.01"))],
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leverage__gt=0), name="fund_leverage_positive"
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
