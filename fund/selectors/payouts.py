"""What the fund's bank pages and the accountant's exports read."""

from django.db.models import Count, Q

from fund.models import (
    Claim,
    Fund,
    FundStatement,
    FundStatementLine,
    PayoutBatch,
    ReconciliationPeriod,
)


def payouts_to_send(*, fund: Fund, sender):
    """Approved claims whose payout is not yet with the bank, that `sender` may send (four
    eyes: none they submitted, reviewed or approved)."""
    return (
        Claim.objects.filter(guarantee__fund=fund, status=Claim.Status.APPROVED)
        .exclude(submitted_by=sender)
        .exclude(reviewed_by=sender)
        .exclude(approved_by=sender)
        .select_related("guarantee__lease__landlord", "submitted_by", "reviewed_by", "approved_by")
        .order_by("pk")
    )


def payout_batches(*, fund: Fund):
    return fund.payout_batches.select_related("created_by").order_by("-created_at", "-pk")


def payout_batch_claims(*, batch: PayoutBatch):
    return batch.claims.select_related("guarantee__lease__landlord", "statement_line").order_by(
        "pk"
    )


def payouts_all(*, fund: Fund):
    """Every payout sent to the bank, confirmed or not, for the accountant."""
    return (
        Claim.objects.filter(
            guarantee__fund=fund, status__in=[Claim.Status.SENT, Claim.Status.PAID]
        )
        .select_related("guarantee__lease__landlord", "payout_batch", "statement_line")
        .order_by("pk")
    )


def fund_statements(*, fund: Fund):
    return (
        FundStatement.objects.filter(fund=fund)
        .annotate(
            line_count=Count("lines"),
            matched=Count("lines", filter=Q(lines__status=FundStatementLine.Status.MATCHED)),
        )
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )


def fund_statement_lines(*, statement: FundStatement):
    return statement.lines.select_related("claim", "transaction").order_by("row")


def reconciliation_periods(*, fund: Fund):
    return ReconciliationPeriod.objects.filter(fund=fund).order_by("-start", "-pk")


def line_match_candidates(*, line: FundStatementLine, days: int = 31):
    """Ledger transactions moving the bank account by the line's amount within `days` of it,
    not yet matched to a statement line: what a fund administrator may match it to."""
    from datetime import timedelta

    from fund.models import AccountCode, Transaction

    return (
        Transaction.objects.filter(
            fund_id=line.fund_id,
            entries__account__code=AccountCode.BANK,
            entries__amount=line.amount,
            date__range=(
                line.booked_on - timedelta(days=days),
                line.booked_on + timedelta(days=days),
            ),
            statement_line__isnull=True,
        )
        .distinct()
        .order_by("date", "pk")
    )
