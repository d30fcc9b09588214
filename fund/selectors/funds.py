"""Reads about funds and contributions, scoped to a programme."""

from datetime import date

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404

from common.money import eur, round_cents
from fund.models import Contribution, ContributionProposal, Fund, LeverageChange, StressRun


def fund_for_programme(*, programme) -> Fund | None:
    return Fund.objects.in_programme(programme).first()


def leverage_change_pending(*, fund: Fund) -> LeverageChange | None:
    """The change of leverage awaiting a second fund administrator, if any."""
    return (
        fund.leverage_changes.filter(status=LeverageChange.Status.PROPOSED)
        .select_related("proposed_by", "fund")
        .first()
    )


def contribution_list(*, fund: Fund, year: int | None = None, kind: str = ""):
    qs = Contribution.objects.filter(fund=fund).select_related(
        "created_by", "transaction__reversed_by"
    )
    if year:
        qs = qs.filter(date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-date", "-id")


def contribution_get(*, fund: Fund, pk: int) -> Contribution:
    return get_object_or_404(Contribution.objects.filter(fund=fund), pk=pk)


def contributions_by_kind(*, fund: Fund, start: date, end: date) -> list[dict]:
    """Totals per kind of funder in a period (aggregate: fit for monitors), net of reversals."""
    rows = (
        Contribution.objects.filter(fund=fund, date__gte=start, date__lte=end)
        .exclude(transaction__reversed_by__isnull=False)
        .values("kind")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("kind")
    )
    labels = dict(Contribution.Kind.choices)
    return [
        {
            "kind": row["kind"],
            "label": labels.get(row["kind"], row["kind"]),
            "count": row["count"],
            "total": eur(round_cents(row["total"] or 0)),
        }
        for row in rows
    ]


def stress_runs_recent(*, fund: Fund, limit: int = 10):
    return StressRun.objects.filter(fund=fund).select_related("requested_by")[:limit]


def stress_run_get(*, fund: Fund, pk: int) -> StressRun:
    return get_object_or_404(StressRun.objects.filter(fund=fund), pk=pk)


def contribution_proposals_pending(*, fund: Fund):
    """Contributions above the four-eyes threshold awaiting a second fund administrator."""
    return (
        ContributionProposal.objects.filter(fund=fund, status=ContributionProposal.Status.PROPOSED)
        .select_related("proposed_by", "fund__programme")
        .order_by("proposed_at", "pk")
    )
