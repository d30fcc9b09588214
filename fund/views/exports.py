"""Spreadsheets for the accountant (CSV or XLSX, money as numbers), each from its own page:
the ledger, claims, payouts sent to the bank, recovery plans, and the fund's statement lines
of a reconciliation period."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exports import table_download
from common.permissions import role_required
from common.roles import Role
from fund.models import Claim, Entry
from fund.models.payouts import FundStatementLine, ReconciliationPeriod
from fund.selectors.payouts import payouts_all
from fund.selectors.recovery import plan_list
from fund.views.ledger import _fund_or_404


def _ledger(fund, params):
    headers = [
        _("Transaction"),
        _("Date"),
        _("Kind"),
        _("Description"),
        _("Account"),
        _("Debit"),
        _("Credit"),
    ]
    entries = (
        Entry.objects.filter(transaction__fund=fund)
        .select_related("transaction", "account")
        .order_by("transaction__date", "transaction_id", "pk")
    )
    rows = (
        [
            e.transaction_id,
            e.transaction.date,
            e.transaction.get_kind_display(),
            e.transaction.description,
            e.account.get_code_display(),
            e.amount.amount if e.amount.amount > 0 else None,
            -e.amount.amount if e.amount.amount < 0 else None,
        ]
        for e in entries.iterator(chunk_size=2000)
    )
    return headers, rows


def _claims(fund, params):
    headers = [
        _("Claim"),
        _("Submitted"),
        _("Status"),
        _("Landlord"),
        _("Household"),
        _("Amount"),
        _("Paid on"),
    ]
    claims = (
        Claim.objects.filter(guarantee__fund=fund)
        .select_related("guarantee__lease__landlord", "guarantee__lease__household")
        .order_by("pk")
    )
    rows = (
        [
            c.pk,
            timezone.localtime(c.submitted_at).date(),
            c.get_status_display(),
            str(c.guarantee.lease.landlord),
            c.guarantee.lease.household.name,
            c.amount,
            c.paid_on,
        ]
        for c in claims.iterator(chunk_size=2000)
    )
    return headers, rows


def _payouts(fund, params):
    headers = [
        _("Claim"),
        _("Status"),
        _("Payee"),
        _("IBAN"),
        _("End-to-end id"),
        _("SEPA file"),
        _("Amount"),
        _("Confirmed by the statement on"),
        _("Ledger transaction"),
    ]
    rows = (
        [
            c.pk,
            c.get_status_display(),
            str(c.guarantee.lease.landlord),
            c.payee_iban,
            c.payout_reference,
            c.payout_batch.message_id if c.payout_batch else "",
            c.amount,
            c.paid_on,
            c.payout_transaction_id,
        ]
        for c in payouts_all(fund=fund)
    )
    return headers, rows


def _recoveries(fund, params):
    headers = [
        _("Plan"),
        _("Created"),
        _("Status"),
        _("Household"),
        _("Amount"),
        _("Instalments"),
        _("First instalment due on"),
    ]
    rows = (
        [
            p.pk,
            timezone.localtime(p.created_at).date(),
            p.get_status_display(),
            p.household.name,
            p.amount,
            p.instalment_count,
            p.first_due_on,
        ]
        for p in plan_list(fund=fund).order_by("pk")
    )
    return headers, rows


def _statement(fund, params):
    """The fund's statement lines booked in one reconciliation period (`?periodo=`), each
    with what it was matched to: what the accountant ticks against the bank's own PDF."""
    number = params.get("periodo", "")
    if not number.isdigit():
        raise Http404
    period = get_object_or_404(ReconciliationPeriod, fund=fund, pk=int(number))
    headers = [
        _("Booking date"),
        _("Value date"),
        _("Description"),
        _("Counterparty"),
        _("Bank reference"),
        _("Amount"),
        _("Status"),
        _("Why"),
        _("Ledger transaction"),
    ]
    lines = FundStatementLine.objects.filter(
        fund=fund, booked_on__gte=period.start, booked_on__lte=period.end
    ).order_by("booked_on", "statement_id", "row")
    rows = (
        [
            line.booked_on,
            line.value_on,
            line.description,
            line.counterparty,
            line.bank_reference,
            line.amount,
            line.get_status_display(),
            line.match_reason,
            line.transaction_id,
        ]
        for line in lines.iterator(chunk_size=2000)
    )
    return headers, rows


EXPORTS = {
    "movimenti": _ledger,
    "richieste": _claims,
    "bonifici": _payouts,
    "recuperi": _recoveries,
    "estratto": _statement,
}


@role_required(Role.FUND_ADMIN)
def export(request, what):
    """`what` is one of EXPORTS; `?formato=xlsx` for Excel, CSV otherwise."""
    build = EXPORTS.get(what)
    if build is None:
        raise Http404
    fund = _fund_or_404(request)
    headers, rows = build(fund, request.GET)
    file_format = "xlsx" if request.GET.get("formato") == "xlsx" else "csv"
    name = f"{what}-{timezone.localdate():%Y%m%d}"
    return table_download(headers=headers, rows=rows, file_format=file_format, filename=name)
