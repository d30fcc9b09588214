"""Fund administrator pages for the fund's bank: its account, SEPA payout files, its own
statements and the reconciliation of the ledger with them. Views are thin."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.exceptions import DomainError
from common.forms import form_error
from common.jobs import file_job_status, statement_file_is_large
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from fund.forms.payouts import (
    BankAccountForm,
    FundStatementUploadForm,
    LineMatchForm,
    PayoutBatchForm,
    PeriodOpenForm,
)
from fund.models import FundStatementLine, FundStatementUploadJob
from fund.selectors.payouts import (
    fund_statement_lines,
    fund_statements,
    line_match_candidates,
    payout_batch_claims,
    payout_batches,
    payouts_to_send,
    reconciliation_periods,
)
from fund.selectors.reconciliation import reconciliation_rows_shown, reconciliation_totals
from fund.services.fund_bank import (
    fund_statement_line_match,
    fund_statement_upload,
    reconciliation_period_open,
)
from fund.services.fund_bank_jobs import PROGRESS, fund_statement_job_create
from fund.services.payouts import fund_bank_account_set, payout_batch_create
from fund.views.ledger import _fund_or_404

ADMIN = Role.FUND_ADMIN


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def bank_account(request):
    """The fund's own bank account: the debtor of every SEPA file."""
    fund = _fund_or_404(request)
    form = BankAccountForm(
        request.POST or None,
        initial={
            "account_holder": fund.account_holder or fund.name[:70],
            "iban": fund.iban,
            "bic": fund.bic,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            fund_bank_account_set(actor=request.user, fund=fund, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The fund's bank account is saved."))
            return redirect("fund:payouts")
    return render(request, "fund/bank_account.html", {"fund": fund, "form": form})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def payouts(request):
    """Approved payouts to send to the bank in a SEPA file, and the files made so far."""
    fund = _fund_or_404(request)
    form = PayoutBatchForm(
        request.POST or None, claims=payouts_to_send(fund=fund, sender=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = payout_batch_create(
                actor=request.user,
                fund=fund,
                claims=form.cleaned_data["claims"],
                execution_date=form.cleaned_data["execution_date"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("SEPA file ready: download it and upload it to home banking.")
            )
            return redirect(batch)
    page = paginate(request, payout_batches(fund=fund))
    return render(request, "fund/payouts.html", {"fund": fund, "form": form, "page": page})


def _batch(request, pk):
    fund = _fund_or_404(request)
    return get_object_or_404(payout_batches(fund=fund).select_related("fund"), pk=pk)


@role_required(ADMIN)
def payout_batch(request, pk):
    batch = _batch(request, pk)
    claims = payout_batch_claims(batch=batch)
    return render(request, "fund/payout_batch.html", {"batch": batch, "claims": claims})


@role_required(ADMIN)
def payout_batch_file(request, pk):
    """The SEPA credit transfer file (pain.001.001.03) as it was made."""
    batch = _batch(request, pk)
    response = HttpResponse(batch.xml.encode(), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="sepa-{batch.message_id}.xml"'
    return response


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def statements(request):
    """Upload the fund's own bank statement: its debits confirm payouts, credits are matched
    to contributions and recoveries."""
    fund = _fund_or_404(request)
    form = FundStatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if statement_file_is_large(upload):
                job = fund_statement_job_create(actor=request.user, fund=fund, upload=upload)
                return redirect(job)
            statement, counts = fund_statement_upload(
                actor=request.user, fund=fund, file_name=upload.name, content=upload.read()
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _counts_message(counts))
            return redirect(statement)
    page = paginate(request, fund_statements(fund=fund))
    # Long files still being read, and those refused in the last two days.
    jobs = (
        fund.statement_jobs.exclude(status=FundStatementUploadJob.Status.DONE)
        .filter(created_at__gte=timezone.now() - timedelta(days=2))
        .select_related("created_by")[:10]
    )
    return render(
        request,
        "fund/fund_statements.html",
        {"fund": fund, "form": form, "page": page, "jobs": jobs},
    )


def _counts_message(counts) -> str:
    return (
        _(
            "%(new)s new lines, %(matched)s matched (%(payouts)s payouts confirmed); "
            "%(skipped)s already imported."
        )
        % counts
    )


def _job(request, pk) -> FundStatementUploadJob:
    fund = _fund_or_404(request)
    return get_object_or_404(fund.statement_jobs.select_related("created_by"), pk=pk)


@role_required(ADMIN)
def statement_job(request, pk):
    """A long statement being read: its progress bar; once read, the statement itself."""
    job = _job(request, pk)
    if job.status == FundStatementUploadJob.Status.DONE:
        messages.success(request, _counts_message(job.counts))
        return redirect("fund:fund_statement", pk=job.statement_id)
    return render(
        request,
        "fund/fund_statement_job.html",
        {"job": job, "progress": _job_status(job)},
    )


def _job_status(job) -> dict:
    return file_job_status(job, folder=PROGRESS, redirect=job.get_absolute_url())


@role_required(ADMIN)
def statement_job_status(request, pk):
    return JsonResponse(_job_status(_job(request, pk)))


@role_required(ADMIN)
def statement_detail(request, pk):
    fund = _fund_or_404(request)
    statement = get_object_or_404(fund.statements.all(), pk=pk)
    page = paginate(request, fund_statement_lines(statement=statement))
    return render(request, "fund/fund_statement.html", {"statement": statement, "page": page})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def statement_line_match(request, pk):
    """Match a statement line the upload could not match to a movement of the ledger."""
    fund = _fund_or_404(request)
    line = get_object_or_404(
        FundStatementLine.objects.filter(fund=fund, status=FundStatementLine.Status.UNMATCHED),
        pk=pk,
    )
    form = LineMatchForm(request.POST or None, candidates=line_match_candidates(line=line))
    if request.method == "POST" and form.is_valid():
        try:
            fund_statement_line_match(
                actor=request.user, line=line, transaction=form.cleaned_data["transaction"]
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Line matched."))
            return redirect(line.statement)
    return render(request, "fund/fund_statement_line_match.html", {"line": line, "form": form})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def reconciliations(request):
    """Periods of the fund's bank account, reconciled with the statement."""
    fund = _fund_or_404(request)
    form = PeriodOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = reconciliation_period_open(actor=request.user, fund=fund, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            return redirect(period)
    page = paginate(request, reconciliation_periods(fund=fund))
    return render(request, "fund/reconciliations.html", {"fund": fund, "form": form, "page": page})


@role_required(ADMIN)
def reconciliation(request, pk):
    """The ledger's bank account against the statement, line by line, differences first."""
    fund = _fund_or_404(request)
    period = get_object_or_404(reconciliation_periods(fund=fund).select_related("fund"), pk=pk)
    rows = reconciliation_rows_shown(period=period)
    differences = [row for row in rows if row.problem]
    statement_total, ledger_total = reconciliation_totals(rows)
    return render(
        request,
        "fund/reconciliation.html",
        {
            "period": period,
            "rows": rows,
            "differences": differences,
            "statement_total": statement_total,
            "ledger_total": ledger_total,
        },
    )
