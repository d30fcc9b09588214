"""Fund administrator pages. Views are thin: forms in, services and selectors out."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from common.money import eur, money_format
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from fund.charts import fund_history_chart, ruin_by_leverage_chart
from fund.forms.ledger import (
    ContributionForm,
    FundForm,
    LedgerFilterForm,
    PeriodForm,
    ReverseForm,
    StressForm,
)
from fund.models import AccountCode, Fund, StressRun, Transaction
from fund.models.contribution_proposals import contribution_four_eyes_threshold
from fund.selectors.figures import fund_dashboard_figures
from fund.selectors.funds import (
    contribution_list,
    contribution_proposals_pending,
    contributions_by_kind,
    fund_for_programme,
    leverage_change_pending,
    stress_run_get,
    stress_runs_recent,
)
from fund.selectors.ledger import (
    account_statement,
    cash_after_each_transaction,
    fund_figures,
    ledger_transactions,
    reversal_refusal,
    transaction_get,
    transaction_reversed_by,
    transactions_recent,
)
from fund.services.contributions import contribution_propose
from fund.services.funds import contribution_book, fund_create, fund_update
from fund.services.ledger import transaction_reverse
from fund.services.stress import stress_assumptions, stress_run_start
from fund.stress import Assumptions, result_from_data

ADMIN = Role.FUND_ADMIN
READERS = (Role.FUND_ADMIN, Role.OPERATOR, Role.MONITOR)


def _fund_or_404(request) -> Fund:
    fund = fund_for_programme(programme=request.programme)
    if fund is None:
        raise Http404(_("This programme has no fund yet."))
    return fund


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@role_required(*READERS)
def dashboard(request):
    """Cash, capital, exposure and capacity with their history, and the money in and out by
    kind (gross, from the ledger: see fund.selectors.figures); monitors get aggregates only."""
    fund = fund_for_programme(programme=request.programme)
    role = request.membership.role
    context = {"fund": fund, "role": role}
    if fund is not None:
        shown = fund_dashboard_figures(fund=fund)
        context.update(
            figures=shown.balances,
            flows=shown.flows,
            history=shown.history,
            chart=fund_history_chart(shown.history),
            by_kind=contributions_by_kind(fund=fund, start=date(shown.year, 1, 1), end=shown.today),
            year=shown.year,
        )
        if role == ADMIN:
            context["recent"] = transactions_recent(fund=fund)
    return render(request, "fund/dashboard.html", context)


@role_required(ADMIN)
def fund_settings(request):
    """Create the programme's fund, or change its leverage and cover defaults."""
    fund = fund_for_programme(programme=request.programme)
    if fund is None:
        initial = {
            "name": _("Guarantee fund – %(programme)s") % {"programme": request.programme.name},
            "leverage": Decimal("1.00"),
            "cover_months": 3,
            "cover_cap": Decimal("3000.00"),
        }
    else:
        initial = {
            "name": fund.name,
            "leverage": fund.leverage,
            "cover_months": fund.cover_months,
            "cover_cap": fund.cover_cap.amount,
        }
    form = FundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if fund is None:
                fund = fund_create(
                    actor=request.user,
                    programme=request.programme,
                    name=data["name"],
                    leverage=data["leverage"],
                    cover_months=data["cover_months"],
                    cover_cap=eur(data["cover_cap"]),
                )
            else:
                fund = fund_update(
                    actor=request.user,
                    fund=fund,
                    name=data["name"],
                    leverage=data["leverage"],
                    reason=data["leverage_reason"],
                    cover_months=data["cover_months"],
                    cover_cap=eur(data["cover_cap"]),
                )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The fund's settings are saved."))
            if data["leverage"] != fund.leverage:
                messages.info(
                    request,
                    _(
                        "The new leverage is proposed: it applies when a second fund "
                        "administrator approves it."
                    ),
                )
                return redirect("fund:settings")
            return redirect("fund:dashboard")
    pending = leverage_change_pending(fund=fund) if fund is not None else None
    return render(request, "fund/settings.html", {"form": form, "fund": fund, "pending": pending})


@role_required(ADMIN)
def contributions(request):
    """Every contribution, newest first, with the funder and who booked it."""
    fund = _fund_or_404(request)
    page = paginate(request, contribution_list(fund=fund))
    return render(
        request,
        "fund/contribution_list.html",
        {"fund": fund, "page": page, "pending": contribution_proposals_pending(fund=fund)},
    )


@role_required(ADMIN)
def contribution_create(request):
    """Book a contribution: it lands in the bank and in the capital account."""
    fund = _fund_or_404(request)
    form = ContributionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        amount = eur(data["amount"])
        # Above the threshold a second fund administrator approves before it is posted.
        above = amount > contribution_four_eyes_threshold()
        try:
            contribution = (contribution_propose if above else contribution_book)(
                actor=request.user,
                fund=fund,
                funder=data["funder"],
                kind=data["kind"],
                amount=amount,
                date=data["date"],
                note=data["note"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if above:
                messages.info(
                    request,
                    _(
                        "Contribution of %(amount)s from %(funder)s recorded: it is booked "
                        "when a second fund administrator approves it."
                    )
                    % {"amount": money_format(contribution.amount), "funder": contribution.funder},
                )
            else:
                messages.success(
                    request,
                    _("Contribution of %(amount)s from %(funder)s booked.")
                    % {"amount": money_format(contribution.amount), "funder": contribution.funder},
                )
            return redirect("fund:contributions")
    return render(request, "fund/contribution_form.html", {"form": form, "fund": fund})


@role_required(ADMIN)
def ledger(request):
    """Transactions with filters, their entries, and the cash balance after each one."""
    fund = _fund_or_404(request)
    form = LedgerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    transactions = ledger_transactions(
        fund=fund,
        start=filters.get("start"),
        end=filters.get("end"),
        kind=filters.get("kind", ""),
        account_code=filters.get("account", ""),
        text=filters.get("q", ""),
    )
    page = paginate(request, transactions)
    cash_after = cash_after_each_transaction(fund=fund, transactions=page)
    # Labels looked up once a page, not once a row (get_FOO_display hashes every choice).
    kinds = {kind: str(label) for kind, label in Transaction.Kind.choices}
    accounts = {code: str(label) for code, label in AccountCode.choices}
    rows = [
        {
            "tx": tx,
            "kind": kinds.get(tx.kind, tx.kind),
            "reversed": transaction_reversed_by(tx) is not None,
            "entries": [(accounts.get(e.account.code), e.amount) for e in tx.entries.all()],
            "cash_after": cash_after.get(tx.pk),
        }
        for tx in page
    ]
    return render(
        request, "fund/ledger.html", {"fund": fund, "form": form, "page": page, "rows": rows}
    )


@role_required(ADMIN)
def transaction_detail(request, pk):
    fund = _fund_or_404(request)
    tx = transaction_get(fund=fund, pk=pk)
    refusal = reversal_refusal(tx)
    return render(
        request,
        "fund/transaction_detail.html",
        {
            "fund": fund,
            "tx": tx,
            "reversible": refusal is None,
            "reversal_refusal": refusal,
            "reversed_by": transaction_reversed_by(tx),
        },
    )


@role_required(ADMIN)
def transaction_reverse_view(request, pk):
    """Reverse a transaction with a reason: a new transaction with the negated lines."""
    fund = _fund_or_404(request)
    tx = transaction_get(fund=fund, pk=pk)
    refusal = reversal_refusal(tx)
    if refusal is not None:
        # The page never offers this; a typed-in address gets the reason, not a form.
        messages.error(request, refusal)
        return redirect("fund:transaction", pk=tx.pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = transaction_reverse(
                actor=request.user, transaction=tx, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Transaction reversed."))
            return redirect("fund:transaction", pk=reversal.pk)
    return render(
        request,
        "common/transition_confirm.html",
        {
            "object": tx,
            "transition_label": _("Reverse transaction"),
            "state_label": tx.get_kind_display(),
            "form": form,
            "cancel_url": reverse("fund:transaction", args=[tx.pk]),
            "danger": True,
        },
    )


@role_required(ADMIN)
def statement(request, code):
    """One account over a period: opening balance, movements with running balance, closing."""
    fund = _fund_or_404(request)
    if code not in AccountCode.values:
        raise Http404
    accounts = list(fund.accounts.all())
    account = next((account for account in accounts if account.code == code), None)
    if account is None:
        raise Http404
    today = timezone.localdate()
    default = {"start": today.replace(day=1) - timedelta(days=365), "end": today}
    form = PeriodForm(request.GET or None, initial=default)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default
    if not form.is_bound:
        form = PeriodForm(initial=default)
    result = account_statement(account=account, start=period["start"], end=period["end"])
    return render(
        request,
        "fund/statement.html",
        {
            "fund": fund,
            "form": form,
            "statement": result,
            "page": paginate(request, result.lines),
            "accounts": accounts,
        },
    )


STRESS_DEFAULTS = {
    "guarantees": 80,
    "average_guarantee": Decimal("3000.00"),
    "monthly_claim_probability": Decimal("2"),
    "claim_share": Decimal("50"),
    "recovery_rate": Decimal("40"),
    "horizon_months": 24,
    "runs": 1000,
    "seed": 2026,
    "max_ruin_probability": Decimal("5"),
}


def _assumptions(data) -> Assumptions:
    hundred = Decimal(100)
    return Assumptions(
        cash=data["cash"],
        guarantees=data["guarantees"],
        average_guarantee=data["average_guarantee"],
        monthly_claim_probability=float(data["monthly_claim_probability"] / hundred),
        claim_share=float(data["claim_share"] / hundred),
        recovery_rate=float(data["recovery_rate"] / hundred),
        horizon_months=data["horizon_months"],
        runs=data["runs"],
        seed=data["seed"],
        max_ruin_probability=float(data["max_ruin_probability"] / hundred),
    )


@role_required(ADMIN)
def stress_test(request):
    """Monte Carlo of the next months from typed-in assumptions: risk of running dry. The
    form is a POST that queues a background task (the work is bounded by the form); the run's
    page shows its progress and result."""
    fund = _fund_or_404(request)
    cash = fund_figures(fund=fund).cash.amount
    form = StressForm(request.POST or None, initial={**STRESS_DEFAULTS, "cash": cash})
    if request.method == "POST" and form.is_valid():
        try:
            run = stress_run_start(
                actor=request.user, fund=fund, assumptions=_assumptions(form.cleaned_data)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect(run.get_absolute_url())
    return render(
        request,
        "fund/stress.html",
        {"fund": fund, "form": form, "runs": stress_runs_recent(fund=fund)},
    )


@role_required(ADMIN)
def stress_run(request, pk):
    """One stress test: its progress while it runs (the page refreshes), then its result."""
    fund = _fund_or_404(request)
    run = stress_run_get(fund=fund, pk=pk)
    result = chart = None
    if run.status == StressRun.Status.DONE:
        assumptions = stress_assumptions(run)
        result = result_from_data(assumptions, run.result)
        chart = ruin_by_leverage_chart(result.grid, limit=assumptions.max_ruin_probability)
    return render(
        request,
        "fund/stress_run.html",
        {"fund": fund, "run": run, "result": result, "chart": chart},
    )
