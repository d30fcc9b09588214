"""Reads of reporting, scoped to the user's programme."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone

from reporting.models import FunderReport, Target


def target_list(*, programme):
    return Target.objects.filter(programme=programme).order_by("indicator", "period_start", "pk")


def target_get(*, programme, pk: int) -> Target:
    return get_object_or_404(Target.objects.filter(programme=programme), pk=pk)


def default_period(*, programme, today: date | None = None) -> tuple[date, date]:
    """The period a dashboard opens on: from the first target's start (else 1 January) to
    today. One query."""
    today = today or timezone.localdate()
    first = (
        Target.objects.filter(programme=programme, period_start__lte=today)
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return (first or date(today.year, 1, 1)), today


def funder_report_list(*, programme, ready_only: bool = False):
    """The programme's funder reports, latest period and version first; `ready_only` for
    readers who may only download them (monitors)."""
    reports = FunderReport.objects.filter(programme=programme).select_related("created_by")
    if ready_only:
        reports = reports.filter(status=FunderReport.Status.DONE)
    return reports.order_by("-period_end", "-period_start", "-version", "-pk")


def funder_report_get(*, programme, pk: int, ready_only: bool = False) -> FunderReport:
    return get_object_or_404(funder_report_list(programme=programme, ready_only=ready_only), pk=pk)
