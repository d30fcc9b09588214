"""The fund's bank account, the ledger against the statement, line by line."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from fund.models import AccountCode, Entry, FundStatementLine, ReconciliationPeriod, Transaction

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReconciliationRow:
    line: FundStatementLine | None
    transaction: Transaction | None
    statement_amount: Decimal
    ledger_amount: Decimal
    problem: str

    @property
    def difference(self) -> Decimal:
        return self.statement_amount - self.ledger_amount


def reconciliation_rows(*, period: ReconciliationPeriod) -> list[ReconciliationRow]:
    """Every statement line and every ledger movement of the bank account in the period,
    paired where one stands for the other, with what does not agree."""
    fund_id, start, end = period.fund_id, period.start, period.end
    lines = list(
        FundStatementLine.objects.filter(fund_id=fund_id, booked_on__range=(start, end))
        .select_related("transaction")
        .order_by("booked_on", "pk")
    )
    # The bank movements of the period and of the transactions the lines stand for, with
    # their transactions, in one read; amounts summed here (SQLite would sum floats).
    entries = Entry.objects.filter(
        Q(transaction__date__range=(start, end))
        | Q(transaction_id__in={line.transaction_id for line in lines if line.transaction_id}),
        account__fund_id=fund_id,
        account__code=AccountCode.BANK,
    ).select_related("transaction")
    transactions = {line.transaction_id: line.transaction for line in lines if line.transaction_id}
    amounts = defaultdict(lambda: ZERO)
    for entry in entries:
        transactions[entry.transaction_id] = entry.transaction
        amounts[entry.transaction_id] += entry.amount.amount
    bank_tx_ids = set(transactions)
    rows = []
    paired = set()
    for line in lines:
        statement_amount = line.amount.amount
        tx = transactions.get(line.transaction_id)
        if tx is None:
            rows.append(
                ReconciliationRow(
                    line, None, statement_amount, ZERO, _("On the statement, not in the ledger")
                )
            )
            continue
        paired.add(tx.pk)
        ledger_amount = amounts[tx.pk]
        if not (start <= tx.date <= end):
            problem = _("In the ledger on another period's date")
            ledger_amount = ZERO
        elif ledger_amount != statement_amount:
            problem = _("The amounts differ")
        else:
            problem = ""
        rows.append(ReconciliationRow(line, tx, statement_amount, ledger_amount, problem))
    unpaired = sorted(
        (transactions[pk] for pk in bank_tx_ids - paired),
        key=lambda tx: (tx.date, tx.pk),
    )
    linked = set(
        FundStatementLine.objects.filter(transaction_id__in=[tx.pk for tx in unpaired]).values_list(
            "transaction_id", flat=True
        )
    )
    for tx in unpaired:
        problem = (
            _("On the statement in another period")
            if tx.pk in linked
            else _("In the ledger, not on the statement")
        )
        rows.append(ReconciliationRow(None, tx, ZERO, amounts[tx.pk], problem))
    return rows


def reconciliation_rows_shown(*, period: ReconciliationPeriod) -> list[ReconciliationRow]:
    """`reconciliation_rows` for a page: kept on this `period` instance, so the page's next
    steps (the close step's condition) judge the rows the page shows without reading them
    again. Services read a fresh, locked period, never this one."""
    period.rows_shown = reconciliation_rows(period=period)
    return period.rows_shown


def reconciliation_differences(*, period: ReconciliationPeriod) -> list[ReconciliationRow]:
    rows = getattr(period, "rows_shown", None)
    if rows is None:
        rows = reconciliation_rows(period=period)
    return [row for row in rows if row.problem]


def reconciliation_totals(rows) -> tuple[Decimal, Decimal]:
    return (
        sum((row.statement_amount for row in rows), ZERO),
        sum((row.ledger_amount for row in rows), ZERO),
    )
