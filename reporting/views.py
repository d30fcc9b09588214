"""Reporting pages: the programme's indicators against targets (the monitor's home), the fund's
health for its administrators, the targets, the indicators as a spreadsheet, and the reports
to the funders (written by the administrators, downloaded by monitors too).

What a monitor reaches shows counts and sums only, and every breakdown after small-cell
suppression (reporting.privacy); no page here names a household."""

from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.charts import bullet_chart, count_bar_chart, count_line_chart
from common.exceptions import DomainError
from common.exports import tables_export
from common.forms import form_error
from common.pagination import paginate
from common.permissions import role_required
from common.progress import progress_read
from common.roles import Role
from fund.charts import fund_history_chart
from fund.models import Claim, Guarantee
from fund.selectors.ledger import fund_figures, fund_history
from reporting.breakdowns import (
    Breakdown,
    report_figures,
)
from reporting.forms import FunderReportForm, PeriodForm, TargetForm
from reporting.funder_report import STEPS as REPORT_STEPS
from reporting.indicators import FUND, GROUPS, INDICATORS, Period, programme_indicators
from reporting.privacy import suppress
from reporting.selectors import (
    default_period,
    funder_report_get,
    funder_report_list,
    target_get,
    target_list,
)
from reporting.services import (
    REPORT_PROGRESS,
    funder_report_request,
    target_create,
    target_update,
)

READERS = (Role.MONITOR, Role.FUND_ADMIN, Role.OPERATOR)
ADMIN = Role.FUND_ADMIN


def _period(request) -> tuple[PeriodForm, date, date]:
    start, end = default_period(programme=request.programme)
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


def _grouped(values) -> list[tuple]:
    rows = [
        {
            "item": item,
            "chart": bullet_chart(
                value=item.value,
                target=item.target.value if item.target else None,
                label=_("%(indicator)s: %(progress)s%% of the target")
                % {"indicator": item.indicator.label, "progress": item.progress or 0},
            )
            if item.target and item.value is not None
            else None,
        }
        for item in values
    ]
    return [(group, [r for r in rows if r["item"].indicator.group == group]) for group in GROUPS]


def _bars(breakdown: Breakdown):
    """A one-row breakdown as bars (what a suppressed cell hides, the chart hides too)."""
    if breakdown.has_column_totals or not any(breakdown.table.cells[0]):
        return None  # a table of rows, or nothing to draw: every cell hidden or zero
    return count_bar_chart(
        title=str(breakdown.title),
        labels=[str(label) for label in breakdown.column_labels],
        values=breakdown.table.cells[0],
    )


@role_required(*READERS)
def monitor(request):
    """The programme's indicators against their targets, trends by month and cases by outcome:
    aggregates only, each chart with its figures."""
    form, start, end = _period(request)
    figures = report_figures(programme=request.programme, start=start, end=end)
    trends = figures.trends
    trend_chart = count_line_chart(
        title=_("Trends by month"),
        x_labels=trends.series[0].column_labels,
        series={str(s.title): s.table.cells[0] for s in trends.series},
    )
    context = {
        "form": form,
        "start": start,
        "end": end,
        "groups": _grouped(figures.indicators),
        "trends": trends,
        "trend_chart": trend_chart,
        "breakdowns": [(breakdown, _bars(breakdown)) for breakdown in figures.breakdowns],
        "role": request.membership.role,
        "query": request.GET.urlencode(),
    }
    return render(request, "reporting/monitor.html", context)


def _shown(count):
    """A suppressed count (None) as a spreadsheet shows it."""
    return "< 5" if count is None else count


@role_required(*READERS)
def indicators_xlsx(request):
    """The indicators of the chosen period with their targets and definitions, then the
    breakdowns and the monthly trends (suppressed as on the page), as an XLSX workbook."""
    _form, start, end = _period(request)
    programme = request.programme
    figures = report_figures(programme=programme, start=start, end=end)
    headers = [
        _("Code"),
        _("Indicator"),
        _("Value"),
        _("Target"),
        _("% of the target"),
        _("Period from"),
        _("Period to"),
        _("Definition"),
        _("Target source"),
        _("Note"),
    ]
    rows = [
        [
            item.code,
            item.indicator.label,
            _shown(item.value) if item.suppressed else item.value,
            item.target.value if item.target else None,
            item.progress,
            start,
            end,
            item.indicator.definition,
            item.target.source if item.target else "",
            item.note,
        ]
        for item in figures.indicators
    ]
    breakdown_rows = []
    for breakdown in [*figures.breakdowns, *figures.trends.series]:
        for label, cells, total in breakdown.rows:
            for column, value in cells:
                breakdown_rows.append([breakdown.title, label, column, _shown(value)])
            if breakdown.has_row_totals:
                breakdown_rows.append([breakdown.title, label, _("Total"), _shown(total)])
    content = tables_export(
        sheets=[
            (_("Indicators"), headers, rows),
            (_("Breakdowns"), [_("Table"), _("Row"), _("Column"), _("Number")], breakdown_rows),
        ]
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"indicatori-{programme.slug}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(ADMIN)
def fund_health(request):
    """The fund's indicators, guarantees and claims by status, and cash and capacity over the
    last 12 months, for its administrators."""
    form, start, end = _period(request)
    programme = request.programme
    values = [
        v
        for v in programme_indicators(programme=programme, start=start, end=end)
        if v.indicator.group == FUND
    ]
    period = Period(programme=programme, start=start, end=end)
    context = {"form": form, "start": start, "end": end, "groups": _grouped(values)}
    fund = period.fund
    if fund is not None:
        today = timezone.localdate()
        history = fund_history(fund=fund, until=min(end, today), months=12)
        context.update(
            fund=fund,
            figures=fund_figures(fund=fund, at=end),
            history=history,
            chart=fund_history_chart(history),
            pipeline=[
                (breakdown, _bars(breakdown))
                for breakdown in (
                    _status_breakdown(
                        "guarantees",
                        _("Guarantees by status"),
                        Guarantee.objects.in_programme(programme),
                        Guarantee.Status.choices,
                    ),
                    _status_breakdown(
                        "claims",
                        _("Claims by status"),
                        Claim.objects.in_programme(programme),
                        Claim.Status.choices,
                    ),
                )
            ],
        )
    return render(request, "reporting/fund_health.html", context)


def _status_breakdown(key, title, queryset, choices) -> Breakdown:
    from django.db.models import Count

    counts = dict(queryset.values_list("status").annotate(n=Count("pk")).order_by())
    return Breakdown(
        key=key,
        title=title,
        row_labels=[_("Number")],
        column_labels=[label for _value, label in choices],
        table=suppress([[counts.get(value, 0) for value, _label in choices]]),
    )


@role_required(ADMIN)
def targets(request):
    """The programme's targets, with the indicator each one names."""
    return render(
        request,
        "reporting/target_list.html",
        {
            "rows": [
                (target, INDICATORS[target.indicator].label)
                if target.indicator in INDICATORS
                else (target, target.indicator)
                for target in target_list(programme=request.programme)
            ]
        },
    )


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def target_create_view(request):
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target_create(actor=request.user, programme=request.programme, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect("reporting:targets")
    return render(request, "reporting/target_form.html", {"form": form, "target": None})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    target = target_get(programme=request.programme, pk=pk)
    initial = {name: getattr(target, name) for name in TargetForm.base_fields}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            target_update(actor=request.user, target=target, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect("reporting:targets")
    return render(request, "reporting/target_form.html", {"form": form, "target": target})


# --- funder reports --------------------------------------------------------------------------

REPORT_READERS = (Role.FUND_ADMIN, Role.MONITOR)


def _ready_only(request) -> bool:
    """A monitor reads finished reports only (their figures are aggregates); the
    administrators who write them also see those being built or failed."""
    return request.membership.role != Role.FUND_ADMIN


@role_required(*REPORT_READERS)
def reports(request):
    """The programme's funder reports, every version of every period, to download."""
    page = paginate(
        request,
        funder_report_list(programme=request.programme, ready_only=_ready_only(request)),
    )
    return render(request, "reporting/report_list.html", {"page": page})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def report_create(request):
    """A new report: its period and narrative; a report for a period already reported is
    its next version. `?da=<pk>` starts from an earlier version's narrative."""
    initial = {}
    earlier_pk = request.GET.get("da", "")
    if earlier_pk.isdigit():
        earlier = funder_report_get(programme=request.programme, pk=int(earlier_pk))
        initial = {name: getattr(earlier, name) for name in FunderReportForm.base_fields}
    else:
        start, end = default_period(programme=request.programme)
        initial = {"period_start": start, "period_end": end, "title": _("Report to the funders")}
    form = FunderReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = funder_report_request(
                actor=request.user, programme=request.programme, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The report is being built."))
            return redirect(report)
    return render(request, "reporting/report_form.html", {"form": form})


def _report_status(report) -> dict:
    live = progress_read(REPORT_PROGRESS, report.pk) if report.running else None
    total = len(REPORT_STEPS)
    done = live["done"] if live else (0 if report.running else total)
    percent = 100 if not report.running else min(99, done * 100 // total)
    return {
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "running": report.running,
        "percent": percent,
        "done": done,
        "total": total,
        "text": _("%(percent)s%% · step %(done)s of %(total)s")
        % {"percent": percent, "done": done, "total": total},
        "redirect": report.get_absolute_url() if report.status == report.Status.DONE else "",
    }


@role_required(ADMIN)
def report_detail(request, pk):
    """One report: its progress bar while it is built, then its figures' summary, its
    narrative and the PDF to download."""
    report = funder_report_get(programme=request.programme, pk=pk)
    versions = funder_report_list(programme=request.programme).filter(
        period_start=report.period_start, period_end=report.period_end
    )
    return render(
        request,
        "reporting/report_detail.html",
        {"report": report, "progress": _report_status(report), "versions": versions},
    )


@role_required(ADMIN)
def report_status(request, pk):
    return JsonResponse(_report_status(funder_report_get(programme=request.programme, pk=pk)))


@role_required(*REPORT_READERS)
def report_pdf(request, pk):
    """The report's stored PDF, as it was built (a snapshot)."""
    report = funder_report_get(programme=request.programme, pk=pk, ready_only=True)
    if not report.pdf:
        raise Http404
    filename = (
        f"rapporto-{report.programme.slug}-{report.period_start:%Y%m%d}-"
        f"{report.period_end:%Y%m%d}-v{report.version}.pdf"
    )
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
