"""The double-entry ledger: accounts, transactions and their entries, append-only.

Sign convention: an entry's amount is positive for a debit and negative for a credit, so the
entries of every transaction sum to zero and an account's balance is the plain sum of its
entries (positive = debit balance). Memorandum accounts record guarantee exposure off the
balance sheet; they balance among themselves.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format


class AppendOnlyError(Exception):
    """A ledger row was about to be changed or deleted: mistakes are reversed, never edited."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyMixin:
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")


class AccountCode(models.TextChoices):
    BANK = "bank", _("Bank (cash)")
    CAPITAL = "capital", _("Capital (contributions)")
    PAYOUTS = "payouts", _("Payouts to landlords")
    RECEIVABLE = "receivable", _("Receivable from households")
    RECOVERIES = "recoveries", _("Recoveries")
    WRITE_OFFS = "write_offs", _("Write-offs")
    GUARANTEES_ISSUED = "guarantees_issued", _("Guarantees issued (memorandum)")
    GUARANTEES_CONTRA = "guarantees_contra", _("Guarantees issued – contra (memorandum)")


class AccountQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


class Account(models.Model):
    """One account of a fund's chart of accounts; its balance is the sum of its entries."""

    class Kind(models.TextChoices):
        ASSET = "asset", _("Asset")
        EQUITY = "equity", _("Capital")
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")
        MEMORANDUM = "memorandum", _("Memorandum (off balance)")

    # code: (kind, normal balance is a credit)
    CHART = {
        AccountCode.BANK: (Kind.ASSET, False),
        AccountCode.CAPITAL: (Kind.EQUITY, True),
        AccountCode.PAYOUTS: (Kind.EXPENSE, False),
        AccountCode.RECEIVABLE: (Kind.ASSET, False),
        AccountCode.RECOVERIES: (Kind.INCOME, True),
        AccountCode.WRITE_OFFS: (Kind.EXPENSE, False),
        AccountCode.GUARANTEES_ISSUED: (Kind.MEMORANDUM, False),
        AccountCode.GUARANTEES_CONTRA: (Kind.MEMORANDUM, True),
    }

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="accounts", verbose_name=_("fund")
    )
    code = models.CharField(_("code"), max_length=32, choices=AccountCode.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "id"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["fund", "code"], name="account_one_code_per_fund"),
        ]

    def __str__(self):
        # The label by its code: get_code_display() hashes every choice on every call, and
        # ledger pages name an account on every row.
        try:
            return str(AccountCode(self.code).label)
        except ValueError:
            return self.code

    @property
    def is_memorandum(self) -> bool:
        return self.kind == self.Kind.MEMORANDUM

    @property
    def credit_normal(self) -> bool:
        """Capital, income and the contra account grow with credits: show them positive."""
        return self.CHART[AccountCode(self.code)][1]


class TransactionQuerySet(AppendOnlyQuerySet, ProgrammeQuerySet):
    programme_path = "fund__programme"


class Transaction(AppendOnlyMixin, AuditedModel):
    """One balanced movement in a fund's ledger: two or more entries summing to zero."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution")
        PAYOUT = "payout", _("Payout")
        RECEIVABLE = "receivable", _("Owed back by the household")
        RECOVERY = "recovery", _("Recovery")
        WRITE_OFF = "write_off", _("Write-off")
        EXPOSURE_RESERVE = "exposure_reserve", _("Guarantee exposure reserved")
        EXPOSURE_RELEASE = "exposure_release", _("Guarantee exposure released")
        REVERSAL = "reversal", _("Reversal")
        MANUAL = "manual", _("Manual posting")

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="transactions", verbose_name=_("fund")
    )
    plausible_dates = {"date": dates.EVENT}
    date = models.DateField(_("date"), db_index=True)
    description = models.CharField(_("description"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("booked by"),
    )
    # One-to-one: the database itself refuses a second reversal of the same transaction.
    reversal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="reversed_by",
        null=True,
        blank=True,
        verbose_name=_("reverses"),
    )
    reference_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reference_id = models.CharField(max_length=64, blank=True)
    reference = GenericForeignKey("reference_type", "reference_id")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        indexes = [
            models.Index(fields=["fund", "date", "id"]),
            models.Index(fields=["reference_type", "reference_id"]),
        ]

    def __str__(self):
        return f"#{self.pk} {date_format(self.date, 'SHORT_DATE_FORMAT')} {self.description}"

    def programme_for_audit(self):
        return self.fund.programme


class EntryQuerySet(AppendOnlyQuerySet, ProgrammeQuerySet):
    programme_path = "account__fund__programme"


class Entry(AppendOnlyMixin, models.Model):
    """One line of a transaction: a signed amount on one account (debit +, credit −)."""

    transaction = models.ForeignKey(
        Transaction, on_delete=models.PROTECT, related_name="entries", verbose_name=_("transaction")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["transaction", "id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="entry_amount_not_zero"),
        ]

    def __str__(self):
        return f"{self.account}: {money_format(self.amount)}"

    @property
    def debit(self):
        return self.amount if self.amount.amount > 0 else None

    @property
    def credit(self):
        return -self.amount if self.amount.amount < 0 else None
