"""Eviction prevention: the dashboard by next deadline, opening a case, the legal-clock
settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.exceptions import DomainError
from common.exports import export_format, list_download
from common.filters import list_filter
from tenancies.filters import EvictionCaseFilter
from tenancies.forms import eviction as forms
from tenancies.models import ArrearsCase, EvictionCase
from tenancies.resources import EvictionCaseExportResource
from tenancies.selectors import eviction as selectors
from tenancies.services import eviction as services
from tenancies.views.common import form_error, operator_required


def _rules(request):
    return services.eviction_rules_for(programme_id=request.programme.pk)


@operator_required
def eviction_dashboard_view(request):
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    if show not in ("open", "overdue", "soon", "closed"):
        show = "open"
    mine = request.GET.get("mine") == "1"
    rules = _rules(request)
    filters = list_filter(
        request,
        EvictionCaseFilter,
        selectors.eviction_case_list(programme=request.programme),
        programme=request.programme,
    )
    rows = selectors.eviction_dashboard(
        programme=request.programme,
        today=today,
        rules=rules,
        show=show,
        owner=request.user if mine else None,
        cases=filters.rows,
    )
    if (file_format := export_format(request.GET.get("export"))) and filters.valid:
        return list_download(
            actor=request.user,
            programme=request.programme,
            resource=EvictionCaseExportResource(),
            queryset=filters.rows.filter(pk__in=[row.case.pk for row in rows]).order_by(
                "-opened_on", "-pk"
            ),
            file_format=file_format,
            name="sfratti",
            filters={**filters.applied, "show": show, "mine": "1" if mine else ""},
        )
    counts = selectors.eviction_counts(
        rows=selectors.eviction_dashboard(programme=request.programme, today=today, rules=rules)
        if show != "open" or mine
        else rows
    )
    return render(
        request,
        "tenancies/eviction_dashboard.html",
        {
            "rows": rows[:300],
            "show": show,
            "mine": mine,
            "counts": counts,
            "today": today,
            "filters": filters,
        },
    )


def _open_form_page(request, form, title, intro="", cancel_url=None):
    return render(
        request,
        "tenancies/eviction_form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "cancel_url": cancel_url or reverse("tenancies:eviction_dashboard"),
        },
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_open_view(request):
    form = forms.CaseOpenForm(request.POST or None, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.eviction_case_open(
                actor=request.user,
                lease=data["lease"],
                on=timezone.localdate(),
                cause=data["cause"],
                cause_arose_on=data["cause_arose_on"],
                lease_signed_on=data["lease_signed_on"],
                served_on=data["served_on"],
                hearing_on=data["hearing_on"],
                note=data["note"],
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Eviction prevention case opened."))
            return redirect(case)
    return _open_form_page(
        request,
        form,
        _("Open an eviction prevention case"),
        _(
            "Give the summons' dates if the household brought one; "
            "otherwise the case starts at risk."
        ),
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_from_arrears_view(request, pk):
    arrears = get_object_or_404(
        ArrearsCase.objects.in_programme(request.programme).select_related("lease__household"),
        pk=pk,
    )
    existing = EvictionCase.objects.filter(arrears_case=arrears).first()
    if existing is not None:
        return redirect(existing)
    form = forms.FromArrearsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.eviction_case_open(
                actor=request.user,
                lease=arrears.lease,
                on=timezone.localdate(),
                arrears_case=arrears,
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Eviction prevention case opened."))
            return redirect(case)
    return _open_form_page(
        request,
        form,
        _("Open eviction prevention for %(household)s") % {"household": arrears.lease.household},
    )


@operator_required
@require_http_methods(["GET", "POST"])
def eviction_policy_view(request):
    policy = services.eviction_policy_for(programme_id=request.programme.pk)
    form = forms.PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.eviction_policy_update(
                actor=request.user, policy=policy, data=form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Legal clock settings saved."))
            return redirect("tenancies:eviction_rules")
    return _open_form_page(
        request,
        form,
        _("Legal clock settings"),
        _(
            "The numbers the law fixes are shown but cannot be changed; ceilings may only be "
            "lowered."
        ),
        cancel_url=reverse("tenancies:eviction_rules"),
    )
