"""Guarantees and claims: fund administrator queues, operator requests, landlord pages."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.exports import export_format, list_download
from common.filters import list_filter
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from fund.filters import ClaimFilter, GuaranteeFilter
from fund.forms.guarantees import ClaimForm
from fund.models import Claim, Guarantee
from fund.resources import ClaimExportResource, GuaranteeExportResource
from fund.selectors import guarantees as selectors
from fund.selectors.certificates import certificate_current
from fund.selectors.letters import claim_letters
from fund.services import claims as claim_services
from fund.services import guarantees as guarantee_services
from fund.views.ledger import _form_error, _fund_or_404
from tenancies.models import Lease

ADMIN = Role.FUND_ADMIN
STAFF = (Role.FUND_ADMIN, Role.OPERATOR)


def _page(request, queryset):
    return paginate(request, queryset)


def _guarantee_or_404(request, pk) -> Guarantee:
    try:
        return selectors.guarantee_get(fund=_fund_or_404(request), pk=pk)
    except Guarantee.DoesNotExist as error:
        raise Http404 from error


def _claim_or_404(request, pk) -> Claim:
    try:
        return selectors.claim_get(fund=_fund_or_404(request), pk=pk)
    except Claim.DoesNotExist as error:
        raise Http404 from error


@role_required(*STAFF)
def guarantee_list(request):
    """Guarantees, requested ones first (the fund administrator's queue)."""
    fund = _fund_or_404(request)
    guarantees = list_filter(request, GuaranteeFilter, selectors.guarantee_list(fund=fund))
    if (file_format := export_format(request.GET.get("export"))) and guarantees.valid:
        return list_download(
            actor=request.user,
            programme=request.programme,
            resource=GuaranteeExportResource(),
            queryset=guarantees.rows,
            file_format=file_format,
            name="garanzie",
            filters=guarantees.applied,
        )
    page = _page(request, guarantees.rows)
    for guarantee in page:
        guarantee.remaining = selectors.guarantee_remaining_cover(guarantee)
    context = {"fund": fund, "page": page, "filters": guarantees}
    return render(request, "fund/guarantee_list.html", context)


def _approval_problems(request, guarantee) -> list[str]:
    """Why a requested guarantee cannot be approved now, for the fund administrator."""
    if request.role != Role.FUND_ADMIN or guarantee.status != Guarantee.Status.REQUESTED:
        return []
    facts = selectors.guarantee_approval_facts(guarantee)
    problems = list(facts["problems"])
    if not facts["fits_capacity"]:
        problems.append(
            _("Not enough capacity: %(amount)s requested, %(capacity)s available.")
            % {"amount": guarantee.amount, "capacity": facts["capacity_before"]}
        )
    return problems


@role_required(*STAFF)
def guarantee_detail(request, pk):
    guarantee = _guarantee_or_404(request, pk)
    context = {
        "guarantee": guarantee,
        "remaining": selectors.guarantee_remaining_cover(guarantee),
        "claims": guarantee.claims.select_related("submitted_by").order_by("-submitted_at"),
        "events": audit_timeline(guarantee)[:30],
        "approval_problems": _approval_problems(request, guarantee),
        "can_claim": request.role == Role.OPERATOR and guarantee.status == Guarantee.Status.ACTIVE,
        "certificate": certificate_current(guarantee=guarantee),
        "can_reissue": request.role == Role.FUND_ADMIN
        and guarantee.status == Guarantee.Status.ACTIVE,
    }
    return render(request, "fund/guarantee_detail.html", context)


@role_required(Role.OPERATOR)
def guarantee_request_list(request):
    """Active and draft leases without a guarantee, each with the terms the fund would offer."""
    fund = _fund_or_404(request)
    page = _page(request, selectors.leases_without_guarantee(programme=request.programme))
    return render(request, "fund/guarantee_request.html", {"fund": fund, "page": page})


@require_POST
@role_required(Role.OPERATOR)
def guarantee_request_view(request, lease_pk):
    fund = _fund_or_404(request)
    lease = get_object_or_404(Lease.objects.in_programme(request.programme), pk=lease_pk)
    try:
        guarantee = guarantee_services.guarantee_request(actor=request.user, fund=fund, lease=lease)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("fund:guarantee_request_list")
    messages.success(request, _("Guarantee requested: the fund administrators will decide."))
    return redirect(guarantee.get_absolute_url())


@role_required(*STAFF)
def claim_list(request):
    """Claims, the ones waiting for someone first, with who did what and why."""
    fund = _fund_or_404(request)
    claims = list_filter(request, ClaimFilter, selectors.claim_list(fund=fund))
    if (file_format := export_format(request.GET.get("export"))) and claims.valid:
        return list_download(
            actor=request.user,
            programme=request.programme,
            resource=ClaimExportResource(),
            queryset=claims.rows,
            file_format=file_format,
            name="richieste-rimborso",
            filters=claims.applied,
        )
    context = {"fund": fund, "page": _page(request, claims.rows), "filters": claims}
    return render(request, "fund/claim_list.html", context)


@role_required(*STAFF)
def claim_detail(request, pk):
    claim = _claim_or_404(request, pk)
    context = {
        "claim": claim,
        "months": selectors.claim_months(claim),
        "events": audit_timeline(claim)[:30],
        "letters": claim_letters(claim),
    }
    return render(request, "fund/claim_detail.html", context)


def _claim_form_page(request, *, guarantee, back, template_context):
    dues = selectors.claimable_dues(lease=guarantee.lease)
    form = ClaimForm(request.POST or None, dues=dues)
    if request.method == "POST" and form.is_valid():
        try:
            claim_services.claim_submit(
                actor=request.user,
                guarantee=guarantee,
                due_ids=form.cleaned_data["dues"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Claim submitted: the fund administrators will review it."))
            return redirect(back)
    context = {
        "guarantee": guarantee,
        "remaining": selectors.guarantee_remaining_cover(guarantee),
        "form": form,
        "has_dues": bool(dues),
        "cancel_url": back,
        **template_context,
    }
    return render(request, "fund/claim_form.html", context)


@role_required(Role.OPERATOR)
def claim_create(request, pk):
    """An operator files a claim on behalf of the landlord."""
    guarantee = _guarantee_or_404(request, pk)
    return _claim_form_page(
        request,
        guarantee=guarantee,
        back=guarantee.get_absolute_url(),
        template_context={"on_behalf": True},
    )
