"""Breakdowns of the programme's cases, counted by the database and shown only after small-cell
suppression (reporting.privacy.suppress): each function returns a `Breakdown` whose cells are
already safe to show to a monitor, in a page or in a spreadsheet."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reporting.indicators import Period, programme_indicators
from reporting.privacy import SuppressedTable, suppress
from tenancies.models import ArrearsCase, Enrollment, EvictionCase, Placement


@dataclass(frozen=True)
class Breakdown:
    """A table of counts, rows × columns, with its totals, after suppression."""

    key: str
    title: Promise
    row_labels: list
    column_labels: list
    table: SuppressedTable

    @property
    def rows(self) -> list[tuple]:
        """(row label, [(column label, cell)…], row total) for each row."""
        return [
            (label, list(zip(self.column_labels, cells, strict=True)), total)
            for label, cells, total in zip(
                self.row_labels, self.table.cells, self.table.row_totals, strict=True
            )
        ]

    @property
    def has_row_totals(self) -> bool:
        return len(self.column_labels) > 1

    @property
    def has_column_totals(self) -> bool:
        return len(self.row_labels) > 1


def _one_row(*, key, title, row_label, choices, counts: dict) -> Breakdown:
    values = [counts.get(value, 0) for value, _label in choices]
    return Breakdown(
        key=key,
        title=title,
        row_labels=[row_label],
        column_labels=[label for _value, label in choices],
        table=suppress([values]),
    )


def eviction_outcomes(period: Period) -> Breakdown:
    """Eviction cases closed in the period, by outcome."""
    rows = (
        EvictionCase.objects.filter(programme=period.programme)
        .filter(period.dates("closed_on"))
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _one_row(
        key="eviction_outcomes",
        title=_("Eviction cases closed in the period, by outcome"),
        row_label=_("Cases"),
        choices=EvictionCase.Outcome.choices,
        counts={row["outcome"]: row["n"] for row in rows},
    )


def arrears_by_status(period: Period) -> Breakdown:
    """Arrears cases opened in the period, by where they stand today."""
    rows = (
        ArrearsCase.objects.filter(programme=period.programme)
        .filter(period.dates("opened_on"))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _one_row(
        key="arrears_by_status",
        title=_("Arrears cases opened in the period, by status today"),
        row_label=_("Cases"),
        choices=ArrearsCase.Status.choices,
        counts={row["status"]: row["n"] for row in rows},
    )


def placements_by_kind(period: Period) -> Breakdown:
    """Placements proposed in the period, by kind of home and where they stand today."""
    rows = (
        Placement.objects.filter(programme=period.programme)
        .filter(period.dates("proposed_on"))
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(row["kind"], row["status"]): row["n"] for row in rows}
    kinds, statuses = Placement.Kind.choices, Placement.Status.choices
    return Breakdown(
        key="placements_by_kind",
        title=_("Placements proposed in the period, by kind and outcome"),
        row_labels=[label for _value, label in kinds],
        column_labels=[label for _value, label in statuses],
        table=suppress([[counts.get((k, s), 0) for s, _l in statuses] for k, _l in kinds]),
    )


def months_of(*, until: date, months: int) -> list[date]:
    """The first day of each of the `months` months up to `until`'s, oldest first."""
    year, month = until.year, until.month
    firsts = []
    for _i in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(firsts))


def _per_month(queryset, field: str, firsts: list[date]) -> list[int]:
    rows = (
        queryset.filter(**{f"{field}__gte": firsts[0]})
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["month"]: row["n"] for row in rows}
    return [counts.get(first, 0) for first in firsts]


@dataclass(frozen=True)
class Trends:
    months: list[date]
    series: list[Breakdown]  # one row each: a series' counts per month, suppressed


def monthly_trends(*, programme, until: date, months: int = 12) -> Trends:
    """Referrals, enrolments, arrears opened and arrears cured per month, each series
    suppressed on its own (its total over the months is shown). One query per series."""
    firsts = months_of(until=until, months=months)
    enrollments = Enrollment.objects.in_programme(programme).filter(referred_on__lte=until)
    arrears = ArrearsCase.objects.filter(programme=programme)
    raw = [
        ("referrals", _("Households referred"), _per_month(enrollments, "referred_on", firsts)),
        (
            "enrolments",
            _("Households enrolled"),
            _per_month(
                Enrollment.objects.in_programme(programme).filter(enrolled_on__lte=until),
                "enrolled_on",
                firsts,
            ),
        ),
        (
            "arrears_opened",
            _("Arrears cases opened"),
            _per_month(arrears.filter(opened_on__lte=until), "opened_on", firsts),
        ),
        (
            "arrears_cured",
            _("Arrears cases cured"),
            _per_month(
                arrears.filter(status=ArrearsCase.Status.CURED, closed_on__lte=until),
                "closed_on",
                firsts,
            ),
        ),
    ]
    labels = [date_format(first, "M y") for first in firsts]
    return Trends(
        months=firsts,
        series=[
            Breakdown(
                key=key,
                title=title,
                row_labels=[title],
                column_labels=labels,
                table=suppress([values]),
            )
            for key, title, values in raw
        ],
    )


@dataclass(frozen=True)
class ReportFigures:
    """Everything the programme's pages (and a funder report) show for a period: the
    indicators with targets and definitions, the outcome breakdowns and the monthly trends,
    already suppressed where they count people."""

    start: date
    end: date
    indicators: list
    breakdowns: list[Breakdown]
    trends: Trends


def report_figures(*, programme, start: date, end: date) -> ReportFigures:
    """The figures of `programme` over [start, end] for a page or a report: a constant number
    of queries whatever the programme's size."""
    period = Period(programme=programme, start=start, end=end)
    return ReportFigures(
        start=start,
        end=end,
        indicators=programme_indicators(programme=programme, start=start, end=end),
        breakdowns=[
            eviction_outcomes(period),
            arrears_by_status(period),
            placements_by_kind(period),
        ],
        trends=monthly_trends(programme=programme, until=end),
    )
