"""The arrears desk: dashboard with ageing and a chart, case pages with plans and actions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.audit import audit_timeline
from common.charts import line_chart
from common.exceptions import DomainError
from common.permissions import role_required
from common.roles import Role
from tenancies.forms.leases import ContactForm, NoteForm, PlanForm
from tenancies.models import ArrearsCase
from tenancies.selectors.arrears import (
    arrears_case_list,
    arrears_over_time,
    arrears_summary,
    bucket_label,
    early_warnings,
)
from tenancies.selectors.plans import plan_progress
from tenancies.selectors.rent import lease_balance
from tenancies.services.arrears import (
    arrears_case_contact,
    arrears_case_escalate,
    arrears_plan_agree,
)
from tenancies.views.leases import _form_error


@role_required(Role.OPERATOR)
def arrears_dashboard_view(request):
    today = timezone.localdate()
    programme = request.programme
    summary = arrears_summary(programme=programme, today=today)
    history = arrears_over_time(programme=programme, today=today)
    chart = line_chart(
        title=_("Overdue rent at the end of each month"),
        x_labels=[date_format(day, "m/Y") for day, _amount in history],
        series={_("Overdue rent (EUR)"): [amount for _day, amount in history]},
    )
    status = request.GET.get("status", "open")
    cases = arrears_case_list(programme=programme)
    cases = cases.open() if status == "open" else cases.filter(status=status)
    return render(
        request,
        "tenancies/arrears_dashboard.html",
        {
            "summary": summary,
            "ageing": [(bucket_label(b), amount) for b, amount in summary.ageing.items()],
            "history": history,
            "chart": chart,
            "cases": cases[:200],
            "status": status,
            "statuses": ArrearsCase.Status.choices,
            "warnings": early_warnings(programme=programme, today=today)[:30],
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
            "contact_form": ContactForm(),
            "plan_form": PlanForm(
                initial={"first_due": today.replace(day=1) if today.day == 1 else today}
            ),
            "escalate_form": NoteForm(note_required=True),
            "events": audit_timeline(case, case.lease)[:40],
        },
    )


def _act(request, case, form, action, success):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, success)
            return redirect("tenancies:arrears_case", pk=case.pk)
    for error in [*form.non_field_errors(), *[e for f in form for e in f.errors]]:
        messages.error(request, error)
    return redirect("tenancies:arrears_case", pk=case.pk)


@role_required(Role.OPERATOR)
@require_http_methods(["POST"])
def arrears_contact_view(request, pk):
    case = _case(request, pk)
    return _act(
        request,
        case,
        ContactForm(request.POST),
        lambda data: arrears_case_contact(actor=request.user, case=case, **data),
        _("Contact recorded."),
    )


@role_required(Role.OPERATOR)
@require_http_methods(["POST"])
def arrears_plan_view(request, pk):
    case = _case(request, pk)
    return _act(
        request,
        case,
        PlanForm(request.POST),
        lambda data: arrears_plan_agree(actor=request.user, case=case, **data),
        _("Repayment plan agreed."),
    )


@role_required(Role.OPERATOR)
@require_http_methods(["POST"])
def arrears_escalate_view(request, pk):
    case = _case(request, pk)
    return _act(
        request,
        case,
        NoteForm(request.POST, note_required=True),
        lambda data: arrears_case_escalate(actor=request.user, case=case, **data),
        _("Case handed to eviction prevention."),
    )
