"""Reads for eviction prevention: cases by next deadline, the step line, warnings, the feed."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Min, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from tenancies import legal_clock, legal_procedure
from tenancies.models import (
    ArrearsCase,
    Enrollment,
    EvictionCase,
    EvictionPolicy,
    EvictionTask,
    GraceUse,
    Lease,
    Placement,
)
from tenancies.selectors.rent import money_sum

TASK_LABELS = {
    "hearing": _("Validation hearing"),
    "hearing_outcome": _("Record the hearing's outcome"),
    "grace_ends": _("Grace period ends: arrears to be paid"),
    "new_hearing": _("New hearing after the grace period"),
    "execution_from": _("Release date set by the judge"),
    "precetto_term": _("Precetto's term ends: enforcement may start"),
    "precetto_lapse": _("Precetto lapses without a notice of access"),
    "access": _("Bailiff's access"),
}


# Eviction prevention is support the programme gives the households it took in: enrolled now,
# or enrolled and since exited (the lease may outlive the support pact). A household only
# referred, being assessed, or found ineligible has no case here.
ENROLLED_ONCE = (Enrollment.Status.ENROLLED, Enrollment.Status.EXITED)


def enrolled_once(household_ref: str = "household_id"):
    """An `Exists` for querysets: the row's household (`household_ref`) was enrolled."""
    return Exists(
        Enrollment.objects.filter(household_id=OuterRef(household_ref), status__in=ENROLLED_ONCE)
    )


def household_was_enrolled(*, household_id) -> bool:
    return Enrollment.objects.filter(household_id=household_id, status__in=ENROLLED_ONCE).exists()


def leases_open_to_eviction(*, programme):
    """Active leases of enrolled households with no open case: those a new case may be opened
    on (a closed case never blocks a new one)."""
    return (
        Lease.objects.in_programme(programme)
        .active()
        .filter(enrolled_once())
        .exclude(Exists(EvictionCase.objects.open().filter(lease_id=OuterRef("pk"))))
    )


def task_label(kind: str) -> str:
    return str(TASK_LABELS.get(kind, kind))


def eviction_case_list(*, programme):
    """The programme's cases with their household, lease and next deadline (`next_due`)."""
    return (
        EvictionCase.objects.in_programme(programme)
        .select_related("lease__household", "lease__dwelling", "owner", "arrears_case")
        .annotate(next_due=Min("tasks__due_on"))
    )


@dataclass
class DashboardRow:
    case: EvictionCase
    task: EvictionTask | None
    urgency: str  # "overdue", "soon" or ""

    @property
    def task_label(self) -> str:
        return task_label(self.task.kind) if self.task else ""


def eviction_dashboard(
    *,
    programme,
    today: date,
    rules: legal_clock.ClockRules,
    show: str = "open",
    owner=None,
    cases=None,
) -> list[DashboardRow]:
    """Cases by next deadline, earliest first (cases without one last). `show` is "open",
    "overdue", "soon" or "closed"; `cases` narrows the programme's cases (the list's filters)."""
    if cases is None:
        cases = eviction_case_list(programme=programme)
    cases = cases.prefetch_related(
        Prefetch("tasks", queryset=EvictionTask.objects.order_by("due_on", "id"))
    )
    if owner is not None:
        cases = cases.filter(owner=owner)
    cases = cases.filter(status__in=EvictionCase.CLOSED if show == "closed" else EvictionCase.OPEN)
    rows = []
    for case in cases:
        tasks = list(case.tasks.all())
        task = tasks[0] if tasks else None
        urgency = legal_clock.deadline_urgency(task.due_on, today, rules) if task else ""
        if show in ("overdue", "soon") and urgency != show:
            continue
        rows.append(DashboardRow(case, task, urgency))
    if show == "closed":
        return sorted(rows, key=lambda r: r.case.closed_on or r.case.opened_on, reverse=True)
    return sorted(rows, key=lambda r: (r.task is None, r.task.due_on if r.task else date.max))


def eviction_counts(*, rows: list[DashboardRow]) -> dict[str, int]:
    return {
        "overdue": sum(1 for r in rows if r.urgency == "overdue"),
        "soon": sum(1 for r in rows if r.urgency == "soon"),
    }


@dataclass
class Step:
    status: str
    label: str
    day: date | None
    state: str  # "done", "current", "next"


def _step_day(case: EvictionCase, status: str, first_meeting: date | None) -> date | None:
    return {
        "at_risk": case.opened_on,
        "summons_served": case.summons_served_on,
        "mediation": first_meeting,
        "settled": case.settled_on,
        "closed_prevented": case.closed_on,
        "hearing": case.hearing_held_on or case.hearing_on,
        "opposed": case.opposed_on,
        "dismissed": case.closed_on,
        "grace_period": case.grace_ends_on,
        "cured": case.closed_on,
        "validated": case.convalida_on,
        "enforcement_scheduled": case.access_on or case.precetto_served_on,
        "evicted": case.closed_on,
        "rehoused": case.closed_on,
        "withdrawn": case.closed_on,
    }[status]


def eviction_steps(*, case: EvictionCase, first_meeting: date | None = None) -> list[Step]:
    """The procedure as a line of steps: done, the current one, and those that may follow."""
    status = case.status
    path = ["at_risk", "summons_served"]
    used_mediation = first_meeting is not None or status in (
        "mediation",
        "settled",
        "closed_prevented",
    )
    if used_mediation:
        path.append("mediation")
    if status in ("settled", "closed_prevented") or case.settled_on:
        path += ["settled", "closed_prevented"]
    else:
        path.append("hearing")
        if case.grace_granted_on or status == "grace_period":
            path.append("grace_period")
        if case.opposed_on or status in ("opposed", "dismissed"):
            path.append("opposed")
        if status == "cured":
            path.append("cured")
        elif status == "dismissed":
            path.append("dismissed")
        else:
            path += ["validated", "enforcement_scheduled", "evicted"]
    if status in ("withdrawn", "rehoused"):
        reached = [s for s in path if _step_day(case, s, first_meeting) and s != "evicted"]
        path = [*reached, status]
    if status not in path:
        path.append(status)
    labels = dict(EvictionCase.Status.choices)
    current = path.index(status)
    steps = []
    for i, code in enumerate(path):
        state = "done" if i < current else ("current" if i == current else "next")
        if i == current and case.is_closed:
            state = "done"
        steps.append(Step(code, str(labels[code]), _step_day(case, code, first_meeting), state))
    return steps


def eviction_warnings(*, case: EvictionCase, today: date, rules: legal_clock.ClockRules):
    """Things the operator should know now, in words (lazy strings with their values)."""
    warnings = []
    if (
        case.summons_served_on
        and case.hearing_on
        and not legal_clock.summons_term_respected(case.summons_served_on, case.hearing_on, rules)
    ):
        warnings.append(
            _(
                "The summons gave fewer than %(days)s free days before the hearing "
                "(c.p.c. art. 660): the tenant's lawyer can raise it."
            )
            % {"days": rules.summons_min_days}
        )
    if (
        case.status == "enforcement_scheduled"
        and case.precetto_served_on
        and legal_clock.precetto_lapsed(
            served_on=case.precetto_served_on,
            notice_served_on=case.access_notice_served_on,
            today=today,
            rules=rules,
        )
    ):
        warnings.append(
            _(
                "The precetto has lapsed: 90 days passed without a notice of access "
                "(c.p.c. art. 481). Enforcement needs a new precetto."
            )
        )
    return warnings


def eviction_rules(*, programme_id) -> legal_clock.ClockRules:
    """The programme's legal-clock numbers (the law's defaults until it sets its own); a read,
    unlike `services.eviction.eviction_rules_for`, so transition conditions may use it."""
    policy = EvictionPolicy.objects.filter(programme_id=programme_id).first()
    return policy.rules() if policy is not None else legal_clock.DEFAULT_RULES


def eviction_grace_allowance(
    *, case: EvictionCase, on: date
) -> tuple[legal_clock.GraceAllowance, bool]:
    """L. 392/1978 art. 55 co. 4: the household's sanatorie left on `on` (grace periods granted
    and payments in full at the hearing both count), and whether the wider rule (4 times, 120
    days, co. 3) applies to this case: it reads the lease's signing date the case recorded."""
    rules = eviction_rules(programme_id=case.programme_id)
    monthly = case.lease.monthly_due.amount
    months = case.arrears_at_opening.amount / monthly if monthly else 0
    exceptional = legal_procedure.grace_is_wider(
        arrears_months=months,
        cause=case.cause,
        cause_arose_on=case.cause_arose_on,
        lease_signed_on=case.lease_signed_on,
        rules=rules,
    )
    uses = list(
        GraceUse.objects.filter(household_id=case.lease.household_id).values_list(
            "granted_on", flat=True
        )
    )
    allowance = legal_clock.grace_allowance(
        past_uses=uses, on=on, exceptional=exceptional, rules=rules
    )
    return allowance, exceptional


def eviction_cure_balance(
    *, case: EvictionCase, on: date, interest=None, costs=None
) -> legal_procedure.CureBalance:
    """L. 392/1978 art. 55 co. 1: the rent ledger on `on` for curing the arrears: the rent that
    fell due before that day, and everything paid on the lease by it (dues and payments, as
    tenancies.selectors.rent sums them), with the interest and costs the judge set."""
    rent_due = case.lease.dues.filter(due_date__lt=on).aggregate(total=money_sum("amount"))["total"]
    paid = case.lease.payments.filter(paid_on__lte=on).aggregate(total=money_sum("amount"))["total"]
    return legal_procedure.cure_balance(
        rent_due=rent_due,
        paid=paid,
        interest=getattr(interest, "amount", interest),
        costs=getattr(costs, "amount", costs),
    )


def rehousing_placements_for(*, case: EvictionCase):
    """The household's placements that can have rehoused it: accepted or lived in, other than
    the one the lease under eviction follows."""
    from tenancies.models.eviction.case import REHOUSING_PLACEMENT_STATES

    return (
        Placement.objects.filter(
            household_id=case.lease.household_id, status__in=REHOUSING_PLACEMENT_STATES
        )
        .exclude(pk=case.lease.placement_id)
        .select_related("dwelling")
        .order_by("-pk")
    )


def grace_uses_for(*, case: EvictionCase):
    return GraceUse.objects.filter(household_id=case.lease.household_id).order_by("-granted_on")


def calendar_tasks_for(*, user, programme):
    """The dated tasks of the open cases `user` owns in `programme`, for the calendar feed."""
    return (
        EvictionTask.objects.filter(
            case__programme=programme, case__owner=user, case__status__in=EvictionCase.OPEN
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def settlement_plan_case(*, case: EvictionCase) -> ArrearsCase | None:
    """The lease's open arrears case on which a repayment plan may be agreed now, if any: where
    the household's instalments of a settlement can be followed. An escalated case cannot."""
    arrears = (
        ArrearsCase.objects.open()
        .filter(lease_id=case.lease_id)
        .exclude(status=ArrearsCase.Status.ESCALATED)
        .first()
    )
    return arrears if arrears is not None and can_proceed(arrears.agree_plan) else None
