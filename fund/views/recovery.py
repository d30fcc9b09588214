"""Recovery plan pages: fund administrators act; operators read their programme's plans."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.money import eur, money_format
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from fund.forms.recovery import (
    CommunityHoursForm,
    PlanFilterForm,
    RepaymentForm,
    WaiverProposeForm,
)
from fund.models import RecoveryPlan
from fund.selectors.funds import fund_for_programme
from fund.selectors.recovery import (
    plan_counts_by_status,
    plan_list,
    plan_payments,
    plan_progress,
    plans_with_amounts,
)
from fund.services.recovery import (
    recovery_payment_record,
)
from fund.services.waivers import (
    community_hours_log,
    waiver_propose,
)
from tenancies.models import SupportPact

ADMIN = Role.FUND_ADMIN
READERS = (Role.FUND_ADMIN, Role.OPERATOR)


def _fund(request):
    fund = fund_for_programme(programme=request.programme)
    if fund is None:
        raise Http404(_("This programme has no fund yet."))
    return fund


def _plan(request, pk) -> RecoveryPlan:
    return get_object_or_404(plan_list(fund=_fund(request)).select_related("fund"), pk=pk)


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _pacts(plan):
    return SupportPact.objects.filter(household=plan.household)


@role_required(*READERS)
def plan_list_view(request):
    """Plans by state, with what each household still owes."""
    fund = _fund(request)
    form = PlanFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = paginate(request, plans_with_amounts(fund=fund, status=status))
    total = sum((p.outstanding for p in page), eur("0"))
    return render(
        request,
        "fund/recovery_list.html",
        {
            "fund": fund,
            "form": form,
            "page": page,
            "counts": plan_counts_by_status(fund=fund),
            "total_outstanding": total,
            "can_act": request.membership.role == ADMIN,
        },
    )


@role_required(*READERS)
def plan_detail(request, pk):
    """Instalments and progress, repayments, community hours, waivers and the timeline."""
    plan = _plan(request, pk)
    waivers = list(plan.waivers.select_related("proposed_by", "decided_by", "pact"))
    return render(
        request,
        "fund/recovery_detail.html",
        {
            "plan": plan,
            "progress": plan_progress(plan=plan),
            "payments": plan_payments(plan=plan),
            "hours": plan.community_hours.select_related("pact", "recorded_by"),
            "hours_total": sum((h.hours for h in plan.community_hours.all()), 0),
            "waivers": waivers,
            "open_waiver": next((w for w in waivers if w.status == "proposed"), None),
            "events": audit_timeline(plan, *waivers)[:50],
            "can_act": request.membership.role == ADMIN,
            "is_open": plan.is_open(),
            "takes_repayments": plan.takes_repayments(),
        },
    )


@role_required(ADMIN)
def payment_record(request, pk):
    """Book a repayment by the household."""
    plan = _plan(request, pk)
    form = RepaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = recovery_payment_record(
                actor=request.user,
                plan=plan,
                amount=eur(data["amount"]),
                paid_on=data["paid_on"],
                note=data["note"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Repayment of %(amount)s recorded.") % {"amount": money_format(payment.amount)},
            )
            return redirect("fund:recovery", pk=plan.pk)
    title = _("Record a repayment")
    return render(request, "fund/recovery_form.html", {"plan": plan, "form": form, "title": title})


@role_required(ADMIN)
def hours_log(request, pk):
    """Log hours of community activity under the household's pact."""
    plan = _plan(request, pk)
    form = CommunityHoursForm(request.POST or None, initial={"date": timezone.localdate()})
    form.set_pacts(_pacts(plan))
    if request.method == "POST" and form.is_valid():
        try:
            community_hours_log(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Hours of community activity logged."))
            return redirect("fund:recovery", pk=plan.pk)
    title = _("Log community activity hours")
    return render(request, "fund/recovery_form.html", {"plan": plan, "form": form, "title": title})


@role_required(ADMIN)
def waiver_propose_view(request, pk):
    """Propose writing off what is left; a second administrator decides."""
    plan = _plan(request, pk)
    form = WaiverProposeForm(request.POST or None)
    form.set_pacts(_pacts(plan))
    if request.method == "POST" and form.is_valid():
        try:
            waiver_propose(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Waiver proposed: another fund administrator must approve it.")
            )
            return redirect("fund:recovery", pk=plan.pk)
    title = _("Propose a waiver")
    return render(
        request,
        "fund/recovery_form.html",
        {"plan": plan, "form": form, "title": title, "four_eyes": True},
    )
