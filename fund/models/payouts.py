"""Payouts through the bank: a batch of approved claims written to a SEPA credit transfer file
(pain.001.001.03), the fund's own bank statements, and the monthly reconciliation of the
ledger's bank account with them.

A claim leaves `approved` for `sent` when it goes into a batch, and becomes `paid` only when a
debit of the fund's statement shows it (end-to-end id, amount, IBAN): the ledger is posted then.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField

from common.jobs import FileJob
from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_fund_admin


class FundQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


class PayoutBatch(FSMModelMixin, AuditedModel):
    """Approved claim payouts gathered into one SEPA file for the fund's home banking.

    The file is a snapshot (`xml`): what was handed to the bank, kept as it was."""

    audit_verbs = {"created": _("SEPA batch created")}

    class Status(models.TextChoices):
        SENT = "sent", _("Sent to the bank")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Confirmed by the statement")

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="payout_batches", verbose_name=_("fund")
    )
    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT, protected=True
    )
    message_id = models.CharField(_("message id"), max_length=35, unique=True, editable=False)
    execution_date = models.DateField(_("requested execution date"))
    total = MoneyField(_("total"), max_digits=14, decimal_places=2, default_currency="EUR")
    count = models.PositiveIntegerField(_("transfers"))
    xml = models.TextField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SEPA payout batch")
        verbose_name_plural = _("SEPA payout batches")
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gt=0), name="payoutbatch_positive"),
        ]

    def __str__(self):
        return _("SEPA batch %(id)s") % {"id": self.message_id}

    def programme_for_audit(self):
        return self.fund.programme

    def get_absolute_url(self):
        return reverse("fund:payout_batch", args=[self.pk])

    @transition(
        field=status,
        source=Status.SENT,
        target=Status.CANCELLED,
        permission=is_programme_fund_admin,
        custom={"label": _("Cancel the batch"), "needs_note": True, "danger": True},
    )
    def cancel(self, *, by):
        self.cancelled_by = by

    @transition(field=status, source=Status.SENT, target=Status.COMPLETED)
    def complete(self):
        """Every payout of the batch is confirmed by the statement (a service's move)."""


class FundStatement(AuditedModel):
    """One upload of the fund's own bank statement (the account payouts leave from)."""

    audit_verbs = {
        "uploaded": _("fund statement uploaded"),
        "line_matched": _("fund statement line matched"),
    }

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="statements", verbose_name=_("fund")
    )
    file_name = models.CharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("fund bank statement")
        verbose_name_plural = _("fund bank statements")
        constraints = [
            models.UniqueConstraint(fields=["fund", "file_sha256"], name="fundstatement_file_once")
        ]

    def __str__(self):
        return self.file_name

    def programme_for_audit(self):
        return self.fund.programme

    def get_absolute_url(self):
        return reverse("fund:fund_statement", args=[self.pk])


class FundStatementLine(models.Model):
    """One movement of the fund's bank account, and the ledger transaction it stands for."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("Not matched")
        MATCHED = "matched", _("Matched")

    fund = models.ForeignKey("fund.Fund", on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(FundStatement, on_delete=models.PROTECT, related_name="lines")
    row = models.PositiveIntegerField(_("row"))
    identity = models.CharField(max_length=80, editable=False)
    booked_on = models.DateField(_("booking date"))
    value_on = models.DateField(_("value date"), null=True, blank=True)
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")
    description = models.CharField(_("description"), max_length=1000, blank=True)
    counterparty = models.CharField(_("counterparty"), max_length=1000, blank=True)
    counterparty_iban = models.CharField(_("counterparty's IBAN"), max_length=40, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNMATCHED
    )
    match_reason = models.CharField(_("why"), max_length=300, blank=True)
    claim = models.OneToOneField(
        "fund.Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_line",
        verbose_name=_("claim payout"),
    )
    transaction = models.OneToOneField(
        "fund.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_line",
        verbose_name=_("ledger transaction"),
    )

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["booked_on", "statement", "row"]
        verbose_name = _("fund statement line")
        verbose_name_plural = _("fund statement lines")
        constraints = [
            # The same bank movement is one line, whatever file brought it.
            models.UniqueConstraint(fields=["fund", "identity"], name="fundstatementline_once"),
            models.CheckConstraint(
                condition=~models.Q(status="matched") | models.Q(transaction__isnull=False),
                name="fundstatementline_matched_has_transaction",
            ),
        ]

    def __str__(self):
        return f"{self.booked_on:%d/%m/%Y} {self.amount}"

    @property
    def is_debit(self) -> bool:
        return self.amount.amount < 0


class ReconciliationPeriod(FSMModelMixin, AuditedModel):
    """A period of the fund's bank account: the ledger against the statement, closed only when
    every movement of one has its match in the other."""

    audit_verbs = {"created": _("reconciliation period opened")}

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    fund = models.ForeignKey(
        "fund.Fund",
        on_delete=models.PROTECT,
        related_name="reconciliation_periods",
        verbose_name=_("fund"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = FSMField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, protected=True
    )
    # What the statement and the ledger said when the period was closed (a snapshot).
    statement_total = MoneyField(
        _("statement movements"),
        max_digits=14,
        decimal_places=2,
        default_currency="EUR",
        null=True,
        blank=True,
    )
    ledger_total = MoneyField(
        _("ledger movements"),
        max_digits=14,
        decimal_places=2,
        default_currency="EUR",
        null=True,
        blank=True,
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("reconciliation period")
        verbose_name_plural = _("reconciliation periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="reconciliation_period_order"
            ),
            models.UniqueConstraint(fields=["fund", "start"], name="reconciliation_period_once"),
        ]

    def __str__(self):
        return _("%(start)s – %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    def programme_for_audit(self):
        return self.fund.programme

    def get_absolute_url(self):
        return reverse("fund:reconciliation", args=[self.pk])

    def has_no_differences(self) -> bool:
        from fund.selectors.reconciliation import reconciliation_differences

        return not reconciliation_differences(period=self)

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.CLOSED,
        permission=is_programme_fund_admin,
        conditions=[has_no_differences],
        custom={"label": _("Close the period")},
    )
    def close(self, *, by, at, statement_total, ledger_total):
        self.closed_by = by
        self.closed_at = at
        self.statement_total = statement_total
        self.ledger_total = ledger_total


class FundStatementUploadJob(FileJob):
    """A statement of the fund's account too long to read while the page waits
    (common.jobs)."""

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="statement_jobs", verbose_name=_("fund")
    )
    file = models.FileField(_("file"), upload_to="fund-statements/%Y/", blank=True)
    statement = models.ForeignKey(
        FundStatement,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("statement"),
    )

    objects = FundQuerySet.as_manager()

    class Meta(FileJob.Meta):
        verbose_name = _("fund statement upload")
        verbose_name_plural = _("fund statement uploads")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(statement__isnull=False),
                name="fund_statement_job_done_has_statement",
            ),
        ]

    def __str__(self):
        return str(_("Fund statement upload #%(number)s") % {"number": self.pk})

    def get_absolute_url(self):
        return reverse("fund:fund_statement_job", args=[self.pk])
