"""Reads for the arrears desk: cases, ageing, the programme's arrears over time, early warnings."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast

from common.models import AuditEvent
from tenancies.models import (
    Allocation,
    ArrearsCase,
    ArrearsMonthEnd,
    Lease,
    LeaseRisk,
    RentDue,
)
from tenancies.rent.arrears import AGE_BUCKETS, add_months, month_start
from tenancies.rent.risk import MonthRecord, RiskSignal, risk_signal
from tenancies.selectors.rent import HALF_CENT, due_paid, dues_with_balance, money, money_sum

# Timeline verbs that count as life events for the early warning (job loss, illness…).
LIFE_EVENT_VERBS = ("life_event",)


def arrears_case_list(*, programme, with_dwelling: bool = True):
    """The programme's cases, next action first. The desk's table shows no dwelling: without
    it each row reads two tables fewer (its export adds the dwelling back)."""
    related = ["lease__household", "owner", *(["lease__dwelling"] if with_dwelling else [])]
    return (
        ArrearsCase.objects.in_programme(programme)
        .select_related(*related)
        .order_by("next_action_due", "-opened_on", "pk")
    )


# The columns the desk's tables show (household, dates, state, amount, next action, owner):
# loading every column of case, lease, household and user cost ~1.5 ms a page of 25.
CASE_ROW_FIELDS = (
    "status",
    "opened_on",
    "amount_at_opening",
    "amount_at_opening_currency",
    "next_action",
    "next_action_due",
    "lease__household__name",
    "owner__first_name",
    "owner__last_name",
)


def arrears_case_get(*, programme, pk) -> ArrearsCase:
    return arrears_case_list(programme=programme).get(pk=pk)


@dataclass
class ArrearsSummary:
    by_status: list[tuple[str, str, int, Decimal]]  # value, label, count, amount at opening
    overdue_actions: list[ArrearsCase]
    ageing: dict[tuple, Decimal]
    total_overdue: Decimal


def arrears_summary(*, programme, today: date) -> ArrearsSummary:
    rows = {
        row["status"]: row
        for row in ArrearsCase.objects.in_programme(programme)
        .values("status")
        .annotate(n=Count("id"), amount=money_sum("amount_at_opening"))
    }
    by_status = [
        (
            value,
            label,
            rows.get(value, {}).get("n", 0),
            rows.get(value, {}).get("amount", Decimal("0.00")),
        )
        for value, label in ArrearsCase.Status.choices
    ]
    # The first rows only: the desk links to the cases table (paginated) for the rest.
    overdue_actions = (
        arrears_case_list(programme=programme, with_dwelling=False)
        .open()
        .filter(next_action_due__lt=today)
        .only(*CASE_ROW_FIELDS)
    )
    # Ageing summed in the database: one pass over the dues unpaid now (a partial index holds
    # them: rentdue_unsettled), each less what was allocated to it, grouped by bucket. A
    # settled due adds zero, so it is not read; one sum grouped by a CASE, not a filtered sum
    # per bucket, so the allocations' subquery is written (and compiled) once. The programme
    # is a semi-join on the lease, so the scan starts from the unsettled dues, not from every
    # lease of the programme. (Dues not yet late fall in no bucket: a due_date bound in the
    # WHERE would make SQLite walk the due_date index over every due instead.)
    ranges = {}
    for low, high in AGE_BUCKETS:
        newest = today - timedelta(days=low)
        ranges[(low, high)] = (
            Q(due_date__lte=newest, due_date__gte=today - timedelta(days=high))
            if high
            else Q(due_date__lte=newest)
        )
    buckets = list(ranges)
    totals = dict(
        RentDue.objects.filter(
            Exists(Lease.objects.filter(pk=OuterRef("lease_id"), programme=programme)),
            settled_on__isnull=True,
        )
        .annotate(
            bucket=Case(
                *[When(q, then=Value(index)) for index, q in enumerate(ranges.values())],
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values("bucket")
        .annotate(total=money_sum(money(F("amount") - due_paid())))
        .values_list("bucket", "total")
    )
    ageing = {
        bucket: Decimal(totals.get(index, 0)).quantize(Decimal("0.01"))
        for index, bucket in enumerate(buckets)
    }
    return ArrearsSummary(by_status, overdue_actions, ageing, sum(ageing.values(), Decimal(0)))


def bucket_label(bucket) -> str:
    low, high = bucket
    return f"{low}–{high}" if high else f"> {low - 1}"


def arrears_over_time(
    *, programme, today: date, months: int = 12, overdue_now: Decimal | None = None
) -> list[tuple[date, Decimal]]:
    """Overdue rent at the end of each of the last `months` months (and today): what was due
    before that day minus what had been paid for it by then.

    Past month-ends are read from their stored rows (tenancies.models.arrears_history) and
    computed only when missing. Today's point is `overdue_now` when the caller has it (the
    ageing's total is the same sum), else computed."""
    from tenancies.services.arrears_history import arrears_month_ends_fill

    month_ends = [
        add_months(month_start(today), -i) - timedelta(days=1) for i in range(months - 1, -1, -1)
    ]
    values = dict(
        ArrearsMonthEnd.objects.filter(programme=programme, day__in=month_ends).values_list(
            "day", "amount"
        )
    )
    missing = [day for day in month_ends if day not in values]
    if overdue_now is None:
        missing.append(today)
    if missing:
        values.update(arrears_month_ends_fill(programme=programme, days=missing, today=today))
    if overdue_now is not None:
        values[today] = overdue_now
    return [(day, max(Decimal("0.00"), values[day])) for day in [*month_ends, today]]


def arrears_overdue_at(*, programme, days: list[date]) -> dict[date, Decimal]:
    """Overdue rent at each of `days`, summed from the dues and allocations: two queries
    whatever the number of days (one conditional sum per day)."""
    dues = RentDue.objects.filter(lease__programme=programme).aggregate(
        **{f"p{i}": money_sum("amount", filter=Q(due_date__lt=day)) for i, day in enumerate(days)}
    )
    paid = Allocation.objects.filter(due__lease__programme=programme).aggregate(
        **{
            f"p{i}": money_sum("amount", filter=Q(due__due_date__lt=day, payment__paid_on__lte=day))
            for i, day in enumerate(days)
        }
    )
    return {day: dues[f"p{i}"] - paid[f"p{i}"] for i, day in enumerate(days)}


def lease_histories(*, lease_ids, today: date) -> dict[int, list[MonthRecord]]:
    """Per lease, its last 12 months as MonthRecords (how late each due was settled)."""
    since = add_months(month_start(today), -12)
    lease_ids = list(lease_ids)
    settled_on: dict[int, date] = {}
    paid: dict[int, Decimal] = defaultdict(Decimal)
    # A payment settles a month's rent and its charges as two allocations: count payments.
    parts: dict[int, set] = defaultdict(set)
    allocations = (
        Allocation.objects.filter(due__lease_id__in=lease_ids, due__month__gte=since)
        .values_list("due_id", "amount", "payment__paid_on", "payment_id")
        .order_by("payment__paid_on", "id")
    )
    dues = list(
        RentDue.objects.filter(lease_id__in=lease_ids, month__gte=since, due_date__lte=today)
        .order_by("lease_id", "month")
        .values_list("pk", "lease_id", "due_date", "amount")
    )
    amount_of = {pk: Decimal(amount) for pk, _l, _d, amount in dues}
    for due_id, amount, paid_on, payment_id in allocations:
        if due_id not in amount_of:
            continue
        paid[due_id] += Decimal(amount)
        parts[due_id].add(payment_id)
        if paid[due_id] >= amount_of[due_id] - HALF_CENT and due_id not in settled_on:
            settled_on[due_id] = paid_on
    histories: dict[int, list[MonthRecord]] = defaultdict(list)
    for pk, lease_id, due_date, _amount in dues:
        done = settled_on.get(pk)
        histories[lease_id].append(
            MonthRecord(
                due_date=due_date,
                days_late=max(0, (done - due_date).days) if done else None,
                # paid in several goes, or only in part so far
                partial=len(parts[pk]) > 1 or (done is None and paid[pk] > 0),
            )
        )
    return histories


def risk_signals(*, programme, leases, today: date) -> dict[int, RiskSignal]:
    """The risk signal of each lease of the `leases` queryset that scores above zero (the
    others score zero). Only leases that could score are read (`_may_signal`)."""
    candidates = list(
        leases.filter(_may_signal(programme=programme, today=today)).values_list(
            "pk", "household_id"
        )
    )
    lease_ids = [pk for pk, _household in candidates]
    histories = lease_histories(lease_ids=lease_ids, today=today)
    broken = _broken_plans_by_lease(lease_ids)
    life_events = _life_events_by_household(
        [household for _pk, household in candidates], since=today - timedelta(days=90)
    )
    signals = {}
    for pk, household_id in candidates:
        signal = risk_signal(
            history=histories.get(pk, []),
            today=today,
            broken_plans=broken.get(pk, 0),
            recent_life_events=life_events.get(household_id, 0),
        )
        if signal.score > 0:
            signals[pk] = signal
    return signals


def early_warnings(*, programme, today: date, limit: int = 30) -> list[tuple[Lease, RiskSignal]]:
    """The `limit` active leases with the highest risk signal and no open arrears case (those
    are already being worked on), each with its reasons. Scores come from the day's stored
    rows (tenancies.models.risk), computed first for the leases that have none."""
    from tenancies.services.risk import lease_risks_refresh

    lease_risks_refresh(programme=programme, today=today)
    rows = (
        LeaseRisk.objects.filter(
            programme=programme,
            computed_on=today,
            score__gt=0,
            lease__status=Lease.Status.ACTIVE,
        )
        .exclude(
            Exists(
                ArrearsCase.objects.filter(lease=OuterRef("lease_id")).exclude(
                    status=ArrearsCase.Status.CURED
                )
            )
        )
        # What the desk shows: the household's name and a link to the lease.
        .select_related("lease__household")
        .only("score", "parts", "lease__household__name")
        .order_by("-score", "lease_id")[:limit]
    )
    return [(row.lease, row.signal) for row in rows]


def _may_signal(*, programme, today: date) -> Q:
    """Leases that could score above zero, found in the database so that only they are scored
    in Python (a superset of each rule of `risk_signal`):
    - a due of the last 12 months unpaid now, or paid in several payments (partial);
    - a due of the last four months settled 5+ days late (the lateness trend needs one);
    - a repayment plan broken before, or a life event in the last 90 days."""
    since = add_months(month_start(today), -12)
    recent = add_months(month_start(today), -4)
    history = dues_with_balance(
        RentDue.objects.filter(lease=OuterRef("pk"), month__gte=since, due_date__lte=today)
    )
    several_payments = (
        Allocation.objects.filter(due__lease=OuterRef("pk"), due__month__gte=since)
        .values("due_id")
        .annotate(n=Count("payment_id", distinct=True))
        .filter(n__gt=1)
    )
    late = Allocation.objects.filter(
        due__lease=OuterRef("pk"),
        due__month__gte=recent,
        payment__paid_on__gt=ExpressionWrapper(
            F("due__due_date") + timedelta(days=4), output_field=DateField()
        ),
    )
    broken = ArrearsCase.objects.filter(
        lease=OuterRef("pk"),
        pk__in=AuditEvent.objects.filter(
            verb="break_plan",
            target_type__app_label="tenancies",
            target_type__model="arrearscase",
        )
        .annotate(case_id=Cast("target_id", IntegerField()))
        .values("case_id"),
    )
    life = AuditEvent.objects.filter(
        verb__in=LIFE_EVENT_VERBS,
        context_type__app_label="tenancies",
        context_type__model="household",
        context_id=Cast(OuterRef("household_id"), CharField()),
        created_at__date__gte=today - timedelta(days=90),
    )
    return (
        Exists(history.filter(outstanding__gt=HALF_CENT))
        | Exists(several_payments)
        | Exists(late)
        | Exists(broken)
        | Exists(life)
    )


def _broken_plans_by_lease(lease_ids) -> dict[int, int]:
    rows = AuditEvent.objects.filter(
        verb="break_plan",
        target_type__app_label="tenancies",
        target_type__model="arrearscase",
        target_id__in=[
            str(pk)
            for pk in ArrearsCase.objects.filter(lease_id__in=lease_ids).values_list(
                "pk", flat=True
            )
        ],
    ).values_list("target_id", flat=True)
    case_lease = dict(
        ArrearsCase.objects.filter(lease_id__in=lease_ids).values_list("pk", "lease_id")
    )
    result: dict[int, int] = defaultdict(int)
    for target_id in rows:
        result[case_lease[int(target_id)]] += 1
    return result


def _life_events_by_household(household_ids, *, since) -> dict[int, int]:
    rows = (
        AuditEvent.objects.filter(
            verb__in=LIFE_EVENT_VERBS,
            context_type__app_label="tenancies",
            context_type__model="household",
            context_id__in=[str(pk) for pk in household_ids],
            created_at__date__gte=since,
        )
        .values("context_id")
        .annotate(n=Count("id"))
    )
    return {int(row["context_id"]): row["n"] for row in rows}
