"""The arrears desk: dashboard with ageing and a chart, case pages with plans. The case's
steps (contact, plan, escalate) run through the generic step view (tenancies.workflows)."""

from functools import lru_cache

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.audit import audit_timeline
from common.charts import line_chart
from common.exports import export_format, list_download
from common.filters import list_filter
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from tenancies.filters import OPEN, ArrearsCaseFilter
from tenancies.resources import ArrearsCaseExportResource
from tenancies.selectors.arrears import (
    CASE_ROW_FIELDS,
    arrears_case_list,
    arrears_over_time,
    arrears_summary,
    bucket_label,
    early_warnings,
)
from tenancies.selectors.plans import plan_progress
from tenancies.selectors.rent import lease_balance

OVERDUE_SHOWN = 30  # the most overdue actions; the cases table pages through the rest


@lru_cache(maxsize=64)
def _history_chart(language: str, title: str, x_labels: tuple, amounts: tuple):
    """The chart's SVG depends only on its figures: drawn once per distinct set (pygal takes
    longer than the rest of the desk). The figures are the key, so a changed amount is a new
    chart, never a stale one."""
    return line_chart(
        title=title, x_labels=list(x_labels), series={_("Overdue rent (EUR)"): list(amounts)}
    )


@role_required(Role.OPERATOR)
def arrears_dashboard_view(request):
    today = timezone.localdate()
    programme = request.programme
    summary = arrears_summary(programme=programme, today=today)
    history = arrears_over_time(programme=programme, today=today, overdue_now=summary.total_overdue)
    chart = _history_chart(
        get_language(),
        _("Overdue rent at the end of each month"),
        tuple(date_format(day, "m/Y") for day, _amount in history),
        tuple(amount for _day, amount in history),
    )
    cases = list_filter(
        request,
        ArrearsCaseFilter,
        arrears_case_list(programme=programme, with_dwelling=False),
        defaults={"status": OPEN},
        programme=programme,
    )
    file_format = export_format(request.GET.get("export"))
    if file_format and cases.valid:
        return list_download(
            actor=request.user,
            programme=programme,
            resource=ArrearsCaseExportResource(),
            queryset=cases.rows.select_related("lease__dwelling"),
            file_format=file_format,
            name="casi-morosita",
            filters=cases.applied,
        )
    return render(
        request,
        "tenancies/arrears_dashboard.html",
        {
            "summary": summary,
            "ageing": [(bucket_label(b), amount) for b, amount in summary.ageing.items()],
            "history": history,
            "chart": chart,
            "cases": paginate(request, cases.rows.only(*CASE_ROW_FIELDS)),
            "filters": cases,
            "overdue_actions": summary.overdue_actions[:OVERDUE_SHOWN],
            "warnings": early_warnings(programme=programme, today=today),
        },
    )


def _case(request, pk):
    return get_object_or_404(arrears_case_list(programme=request.programme), pk=pk)


@role_required(Role.OPERATOR)
def arrears_case_view(request, pk):
    case = _case(request, pk)
    today = timezone.localdate()
    plan = case.plans.filter(is_current=True).prefetch_related("instalments").first()
    return render(
        request,
        "tenancies/arrears_case.html",
        {
            "case": case,
            "balance": lease_balance(lease=case.lease, today=today),
            "plan": plan,
            "progress": plan_progress(plan=plan, today=today) if plan else None,
            "unpaid_reports": case.unpaid_reports.select_related("reported_by"),
            "events": audit_timeline(case, case.lease)[:40],
        },
    )
