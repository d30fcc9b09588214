"""Bank statements of the programme's rent account, line by line, and what each line became.

A statement is uploaded, its credit lines are matched to leases (`tenancies.bank.matching`),
an operator checks the matches and confirms; only then are payments booked, through the
payment service. A line is the same line in every upload (`identity`), so a statement
uploaded twice books nothing the second time.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from common.jobs import FileJob
from common.models import AuditedModel, ProgrammeQuerySet


class BankStatement(AuditedModel):
    audit_verbs = {
        "uploaded": _("statement uploaded"),
        "confirmed": _("statement confirmed"),
        "line_matched": _("line matched by hand"),
        "line_ignored": _("line set aside"),
    }

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="bank_statements",
        verbose_name=_("programme"),
    )
    account = models.CharField(_("bank account"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")

    def __str__(self):
        return f"{self.account} · {self.file_name}"


class StatementLine(models.Model):
    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("Not matched")
        AMBIGUOUS = "ambiguous", _("More than one lease fits")
        MATCHED = "matched", _("Matched, to confirm")
        BOOKED = "booked", _("Booked")
        IGNORED = "ignored", _("Not a rent payment")

    # Lines waiting for a person: the matching queue.
    WAITING = (Status.UNMATCHED, Status.AMBIGUOUS)

    programme = models.ForeignKey("common.Programme", on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(_("row"))
    identity = models.CharField(max_length=80, editable=False)
    booked_on = models.DateField(_("booking date"))
    value_on = models.DateField(_("value date"), null=True, blank=True)
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")
    description = models.CharField(_("description"), max_length=1000, blank=True)
    counterparty = models.CharField(_("payer"), max_length=1000, blank=True)
    counterparty_iban = models.CharField(_("payer's IBAN"), max_length=40, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNMATCHED
    )
    lease = models.ForeignKey(
        "tenancies.Lease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=_("lease"),
    )
    match_reason = models.CharField(_("why this lease"), max_length=300, blank=True)
    payment = models.OneToOneField(
        "tenancies.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_line",
    )

    class Meta:
        ordering = ["statement", "row"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            # The same bank movement is one line, whatever file brought it.
            models.UniqueConstraint(
                fields=["programme", "identity"], name="statement_line_once_per_programme"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="booked") | models.Q(payment__isnull=False),
                name="statement_line_booked_has_payment",
            ),
        ]
        indexes = [
            # The matching queue: a programme's lines waiting for a person.
            models.Index(fields=["programme", "status"], name="statement_line_queue"),
        ]

    def __str__(self):
        return f"{self.booked_on} {self.amount} {self.description[:40]}"

    @property
    def is_credit(self) -> bool:
        return self.amount.amount > 0


class StatementUploadJob(FileJob):
    """A rent-account statement too long to read while the page waits (common.jobs)."""

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="statement_jobs",
        verbose_name=_("programme"),
    )
    account = models.CharField(_("bank account"), max_length=100)
    file = models.FileField(_("file"), upload_to="statements/%Y/", blank=True)
    statement = models.ForeignKey(
        BankStatement,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("statement"),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta(FileJob.Meta):
        verbose_name = _("statement upload")
        verbose_name_plural = _("statement uploads")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(statement__isnull=False),
                name="statement_job_done_has_statement",
            ),
        ]

    def __str__(self):
        return str(_("Statement upload #%(number)s") % {"number": self.pk})

    def get_absolute_url(self):
        return reverse("tenancies:statement_job", args=[self.pk])
