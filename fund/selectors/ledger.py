"""Reads of the ledger: balances, figures, statements, lists. Balances come from entries only.

Sums: SQLite keeps decimals as binary floats, so `SUM(amount)` there may come back as
1234.5699999. Every SQL sum here goes through `_total`, which quantizes half-up to the cent;
with amounts under 10^10 the float error stays many orders of magnitude below half a cent, so
quantizing gives the exact decimal sum (tests add thousands of odd cents to prove it). Running
balances add already-exact Decimals in Python.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Case, Count, DateField, F, Prefetch, Q, Sum, Value, When, Window
from django.utils.translation import gettext as _
from djmoney.money import Money

from common.money import ZERO, eur, round_cents
from fund.models import Account, AccountCode, Contribution, Entry, Fund, Transaction


def _total(value, sign: int = 1) -> Money:
    """A SQL sum as exact euros, times `sign` (−1 shows a credit balance positive); through
    `eur`, so an empty credit balance reads 0.00, never −0.00."""
    return eur(round_cents(value or 0) * sign)


def account_balances(*, fund: Fund, at: date | None = None) -> dict[str, Money]:
    """Every account's balance (debit positive) on `at` (all dates when None), by code."""
    entries = Entry.objects.filter(account__fund=fund)
    if at is not None:
        entries = entries.filter(transaction__date__lte=at)
    rows = entries.values("account__code").annotate(total=Sum("amount")).order_by()
    balances = dict.fromkeys(AccountCode.values, ZERO)
    for row in rows:
        balances[row["account__code"]] = _total(row["total"])
    return balances


def account_balance(*, account: Account, at: date | None = None) -> Money:
    """One account's balance (debit positive) on `at`."""
    entries = Entry.objects.filter(account=account)
    if at is not None:
        entries = entries.filter(transaction__date__lte=at)
    return _total(entries.aggregate(total=Sum("amount"))["total"])


def capacity_of(*, cash: Money, exposure: Money, leverage) -> Money:
    """What new guarantees may still take: cash × leverage − exposure, down to the cent
    (rounding up could offer a cent the fund does not have)."""
    room = cash.amount * leverage - exposure.amount
    return eur(room.quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class FundFigures:
    cash: Money
    capital: Money
    exposure: Money
    leverage: object
    payouts: Money
    receivable: Money
    recoveries: Money
    write_offs: Money

    @property
    def capacity(self) -> Money:
        return capacity_of(cash=self.cash, exposure=self.exposure, leverage=self.leverage)

    @property
    def limit(self) -> Money:
        return eur(self.cash.amount * self.leverage)


def fund_figures(*, fund: Fund, at: date | None = None) -> FundFigures:
    """Cash, capital, exposure and the rest, in their natural sign, on `at`."""
    b = account_balances(fund=fund, at=at)

    def credit(code):
        return _total(b[code].amount, sign=-1)

    return FundFigures(
        cash=b[AccountCode.BANK],
        capital=credit(AccountCode.CAPITAL),
        exposure=b[AccountCode.GUARANTEES_ISSUED],
        leverage=fund.leverage,
        payouts=b[AccountCode.PAYOUTS],
        receivable=b[AccountCode.RECEIVABLE],
        recoveries=credit(AccountCode.RECOVERIES),
        write_offs=b[AccountCode.WRITE_OFFS],
    )


def exposure_for_reference(*, fund: Fund, reference) -> Money:
    """Exposure still reserved for one business object (e.g. a guarantee)."""
    from django.contrib.contenttypes.models import ContentType

    entries = Entry.objects.filter(
        account__fund=fund,
        account__code=AccountCode.GUARANTEES_ISSUED,
        transaction__reference_type=ContentType.objects.get_for_model(reference),
        transaction__reference_id=str(reference.pk),
    )
    return _total(entries.aggregate(total=Sum("amount"))["total"])


def account_daily_movements(*, fund: Fund, code: str, after: date) -> list[tuple[date, Money]]:
    """Net movement per day of one account after `after`, oldest first."""
    rows = (
        Entry.objects.filter(account__fund=fund, account__code=code, transaction__date__gt=after)
        .values("transaction__date")
        .annotate(total=Sum("amount"))
        .order_by("transaction__date")
    )
    return [(row["transaction__date"], _total(row["total"])) for row in rows]


@dataclass
class StatementLine:
    entry: Entry
    debit: Money | None
    credit: Money | None
    balance: Money


class StatementLines(Sequence):
    """The statement's movements, oldest first, read from the database a slice at a time (a
    page), each with its running balance computed there by a window sum. The window runs over
    entry ids and amounts only; the page's entries are then read by id."""

    def __init__(self, entries, *, opening: Money, sign: int, count: int | None = None):
        self.entries, self.opening, self.sign, self._count = entries, opening, sign, count

    def count(self) -> int:
        if self._count is None:
            self._count = self.entries.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._lines(self.entries.values_list("pk", "running")[index])
        if index < 0:
            index += len(self)
        lines = self._lines(self.entries.values_list("pk", "running")[index : index + 1])
        if not lines:
            raise IndexError(index)
        return lines[0]

    def _lines(self, keys) -> list:
        keys = list(keys)
        entries = Entry.objects.select_related("transaction", "transaction__actor").in_bulk(
            [pk for pk, _running in keys]
        )
        return [self._line(entries[pk], running) for pk, running in keys]

    def _line(self, entry, running) -> StatementLine:
        amount = entry.amount
        is_debit = amount.amount > 0
        return StatementLine(
            entry=entry,
            debit=amount if is_debit else None,
            credit=-amount if not is_debit else None,
            balance=eur(self.opening.amount + round_cents(running or 0) * self.sign),
        )


@dataclass
class Statement:
    account: Account
    start: date
    end: date
    opening: Money
    closing: Money
    debits: Money = ZERO
    credits: Money = ZERO
    lines: StatementLines | list = field(default_factory=list)


def account_statement(*, account: Account, start: date, end: date) -> Statement:
    """Opening balance, movements and running balance of one account over [start, end].

    Balances are shown in the account's natural sign (credit-normal accounts positive when in
    credit), debits and credits as positive amounts. Totals are sums in the database and the
    running balance a window sum, so a page of lines costs the same whatever the period holds.
    """
    sign = -1 if account.credit_normal else 1
    within = Q(transaction__date__gte=start)
    totals = Entry.objects.filter(
        account=account, transaction__date__lte=max(start, end)
    ).aggregate(
        opening=Sum("amount", filter=Q(transaction__date__lt=start)),
        debits=Sum("amount", filter=within & Q(amount__gt=0)),
        credits=Sum("amount", filter=within & Q(amount__lt=0)),
        count=Count("id", filter=within),
    )
    opening = _total(totals["opening"], sign=sign)
    debits, credits = _total(totals["debits"]), _total(totals["credits"], sign=-1)
    period = Entry.objects.filter(
        account=account, transaction__date__gte=start, transaction__date__lte=end
    )
    order = [F("transaction__date").asc(), F("transaction_id").asc(), F("id").asc()]
    entries = period.annotate(running=Window(Sum("amount"), order_by=order)).order_by(*order)
    return Statement(
        account=account,
        start=start,
        end=end,
        opening=opening,
        closing=eur(opening.amount + (debits.amount - credits.amount) * sign),
        debits=debits,
        credits=credits,
        lines=StatementLines(entries, opening=opening, sign=sign, count=totals["count"]),
    )


def ledger_transactions(
    *,
    fund: Fund,
    start: date | None = None,
    end: date | None = None,
    kind: str = "",
    account_code: str = "",
    text: str = "",
):
    """The fund's transactions, newest first, with their entries (and accounts) and the
    reversal that undid each, filtered: what the ledger page shows."""
    qs = Transaction.objects.filter(fund=fund)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if kind:
        qs = qs.filter(kind=kind)
    if account_code:
        qs = qs.filter(entries__account__code=account_code).distinct()
    if text:
        qs = qs.filter(Q(description__icontains=text))
    return (
        qs.select_related("reversed_by")
        .prefetch_related(Prefetch("entries", queryset=Entry.objects.select_related("account")))
        .order_by("-date", "-id")
    )


def transactions_recent(*, fund: Fund, limit: int = 8):
    """The latest transactions, newest first: date and description only (the dashboard)."""
    return (
        Transaction.objects.filter(fund=fund)
        .only("pk", "date", "description")
        .order_by("-date", "-id")[:limit]
    )


def cash_after_each_transaction(*, fund: Fund, transactions=None) -> dict[int, Money]:
    """The bank balance right after each transaction (of `transactions`, e.g. a page; all the
    fund's when None), in ledger order (date, then id). Two queries whatever the ledger holds
    before them: the bank balance before the earliest one (a sum in the database), then the
    bank movement of each transaction from the earliest to the latest, added up here."""
    if transactions is None:
        keys = sorted(Transaction.objects.filter(fund=fund).values_list("date", "pk"))
    else:
        keys = sorted((tx.date, tx.pk) for tx in transactions)
    if not keys:
        return {}
    (first_day, first_pk), (last_day, last_pk) = keys[0], keys[-1]
    bank = Entry.objects.filter(account__fund=fund, account__code=AccountCode.BANK)
    before = Q(transaction__date__lt=first_day) | Q(
        transaction__date=first_day, transaction_id__lt=first_pk
    )
    upto_last = Q(transaction__date__lt=last_day) | Q(
        transaction__date=last_day, transaction_id__lte=last_pk
    )
    cash = round_cents(bank.filter(before).aggregate(total=Sum("amount"))["total"] or 0)
    movements = (
        bank.exclude(before)
        .filter(upto_last)
        .values_list("transaction__date", "transaction_id")
        .annotate(total=Sum("amount"))
        .order_by("transaction__date", "transaction_id")
    )
    result = {}
    movements = iter(movements)
    pending = next(movements, None)
    for key in keys:
        while pending is not None and pending[:2] <= key:
            cash += round_cents(pending[2] or 0)
            pending = next(movements, None)
        result[key[1]] = eur(cash)
    return result


def transaction_get(*, fund: Fund, pk: int) -> Transaction:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Transaction.objects.filter(fund=fund)
        .select_related("actor", "reversal_of", "reversed_by")
        .prefetch_related("entries__account"),
        pk=pk,
    )


# Only these are undone by a bare reversal in the ledger. Everything else (a claim's payout, a
# guarantee's exposure reserved or released, a plan's receivable, recovery or write-off) is
# undone through its own workflow, or the object and the ledger would tell different stories:
# a claim still paid with its payout gone, arrears still reduced, capacity overstated.
REVERSIBLE_KINDS = frozenset({Transaction.Kind.CONTRIBUTION, Transaction.Kind.MANUAL})


def reversal_refusal(transaction: Transaction) -> str | None:
    """Why `transaction` may not be reversed directly, or None when it may. The one rule: the
    transaction page offers the button only when it is None, and `transaction_reverse`
    applies it again under the fund's lock."""
    if transaction.kind == Transaction.Kind.REVERSAL:
        return _("A reversal cannot be reversed; post the transaction again.")
    if transaction_reversed_by(transaction) is not None:
        return _("This transaction has already been reversed.")
    owner = workflow_owner(transaction)
    if owner is not None:
        return _("This posting belongs to “%(object)s”: change it there, not in the ledger.") % {
            "object": owner
        }
    if transaction.kind not in REVERSIBLE_KINDS:
        return _(
            "A posting of kind “%(kind)s” is undone through its own workflow (the claim, the "
            "guarantee, the recovery plan), not by a reversal in the ledger."
        ) % {"kind": transaction.get_kind_display()}
    return None


def is_reversible(transaction: Transaction) -> bool:
    return reversal_refusal(transaction) is None


def workflow_owner(transaction: Transaction):
    """The workflow object a posting belongs to, if any: the object it was posted for
    (its `reference`: a guarantee, a claim, a recovery plan) or a row that points at it (a
    claim's payout, a waiver's write-off). A contribution owns its posting too, but undoing a
    contribution is exactly what a reversal is for, so it does not count here."""
    if transaction.reference_type_id:
        return transaction.reference or transaction.reference_type.name
    for relation in Transaction._meta.related_objects:
        model = relation.related_model
        if model in (Transaction, Entry, Contribution):
            continue
        owner = model._default_manager.filter(**{relation.field.name: transaction}).first()
        if owner is not None:
            return owner
    return None


def transaction_reversed_by(transaction: Transaction) -> Transaction | None:
    """The reversal that undid `transaction`, if any. Only this makes a transaction
    "reversed": one that merely cannot be reversed (a reversal, a recovery plan's posting)
    is not."""
    try:
        return transaction.reversed_by
    except Transaction.reversed_by.RelatedObjectDoesNotExist:
        return None


def month_ends(*, last: date, months: int) -> list[date]:
    """The last day of each of the `months` months up to `last`'s month (last = `last`)."""
    result = []
    year, month = last.year, last.month
    for _i in range(months):
        if (year, month) == (last.year, last.month):
            result.append(last)
        else:
            next_first = date(year + (month == 12), month % 12 + 1, 1)
            result.append(date.fromordinal(next_first.toordinal() - 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(result))


def fund_history(*, fund: Fund, until: date, months: int = 12) -> list[dict]:
    """Cash, exposure and capacity at each month end: the dashboard chart's points.

    One query: the movements of the two accounts involved, summed in the database per day
    (everything up to the first month end in one sum), accumulated here in exact decimals.
    """
    points = month_ends(last=until, months=months)
    # Everything up to the first month end counts on that day: one row, then one per day.
    day = Case(
        When(transaction__date__lte=points[0], then=Value(points[0])),
        default=F("transaction__date"),
        output_field=DateField(),
    )
    rows = (
        Entry.objects.filter(
            account__fund=fund,
            account__code__in=[AccountCode.BANK, AccountCode.GUARANTEES_ISSUED],
            transaction__date__lte=until,
        )
        .annotate(day=day)
        .values("day", "account__code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    movements = defaultdict(lambda: round_cents(0))
    for row in rows:
        bucket = bisect_left(points, row["day"])
        movements[bucket, row["account__code"]] += round_cents(row["total"] or 0)
    cash = exposure = round_cents(0)
    result = []
    for i, point in enumerate(points):
        cash += movements[i, AccountCode.BANK]
        exposure += movements[i, AccountCode.GUARANTEES_ISSUED]
        result.append(
            {
                "date": point,
                "cash": eur(cash),
                "exposure": eur(exposure),
                "capacity": capacity_of(
                    cash=eur(cash), exposure=eur(exposure), leverage=fund.leverage
                ),
            }
        )
    return result
