"""The landlord's portal, built for a phone: what needs attention, each guarantee and claim,
reporting unpaid rent, filing a claim with its documents, answering a request for documents,
and the agreements with the fund. Every object comes from a selector scoped to the landlord's
logins (another landlord's is a 404) and shows of the household only its name and lease."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from fund.forms.guarantees import ClaimDocumentForm, LandlordClaimForm, UnpaidReportForm
from fund.models import Claim, Guarantee
from fund.selectors import guarantees as selectors
from fund.selectors import portal
from fund.selectors.certificates import certificate_current
from fund.selectors.letters import claim_letters
from fund.services import claims as claim_services
from fund.services.claim_documents import claim_document_add
from fund.views.ledger import _form_error
from tenancies.models import Lease
from tenancies.selectors.unpaid_reports import lease_unpaid_reports, unpaid_reportable_months
from tenancies.services.unpaid_reports import unpaid_rent_report

LANDLORD = Role.LANDLORD


def _guarantee(request, pk) -> Guarantee:
    try:
        return selectors.landlord_guarantee_get(
            user=request.user, programme=request.programme, pk=pk
        )
    except Guarantee.DoesNotExist as error:
        raise Http404 from error


def _claim(request, pk) -> Claim:
    try:
        return portal.landlord_claim_get(user=request.user, programme=request.programme, pk=pk)
    except Claim.DoesNotExist as error:
        raise Http404 from error


def _lease(request, pk) -> Lease:
    try:
        return portal.landlord_lease_get(user=request.user, programme=request.programme, pk=pk)
    except Lease.DoesNotExist as error:
        raise Http404 from error


@role_required(LANDLORD)
def home(request):
    """What needs the landlord's attention, then their guarantees and claims."""
    guarantees = portal.landlord_home_guarantees(user=request.user, programme=request.programme)
    page = paginate(request, guarantees)
    page.object_list = portal.landlord_home_guarantee_figures(page.object_list)
    for guarantee in page:
        guarantee.remaining = selectors.guarantee_remaining_cover(guarantee)
    claims = portal.landlord_home_claims(user=request.user, programme=request.programme)
    context = {
        "page": page,
        "claims": claims,
        "attention": portal.landlord_attention(user=request.user, programme=request.programme),
    }
    return render(request, "fund/guarantee_mine.html", context)


@role_required(LANDLORD)
def guarantee_view(request, pk):
    """One guarantee: status, amount, cover left, validity, the months the fund paid, the
    lease's dues and payments, the certificate."""
    guarantee = _guarantee(request, pk)
    lease = guarantee.lease
    context = {
        "guarantee": guarantee,
        "lease": lease,
        "remaining": selectors.guarantee_remaining_cover(guarantee),
        "pending": selectors.guarantee_pending_claims_total(guarantee),
        "certificate": certificate_current(guarantee=guarantee),
        "fund_months": portal.guarantee_fund_months(guarantee),
        "dues": portal.lease_dues_for_landlord(lease),
        "payments": portal.lease_payments_for_landlord(lease),
        "claims": guarantee.claims.order_by("-submitted_at", "-pk"),
        "unpaid_reports": lease_unpaid_reports(lease=lease)[:24],
        "can_claim": guarantee.status == Guarantee.Status.ACTIVE,
        "can_report": lease.status in Lease.IN_FORCE_STATES,
    }
    return render(request, "fund/portal/guarantee.html", context)


@role_required(LANDLORD)
def claim_create(request, pk):
    """File a claim on the guarantee: months the ledger shows as claimable, documents."""
    guarantee = _guarantee(request, pk)
    dues = selectors.claimable_dues(lease=guarantee.lease)
    form = LandlordClaimForm(request.POST or None, request.FILES or None, dues=dues)
    if request.method == "POST" and form.is_valid():
        try:
            claim = claim_services.claim_submit(
                actor=request.user,
                guarantee=guarantee,
                due_ids=form.cleaned_data["dues"],
                note=form.cleaned_data["note"],
                documents=form.documents(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Claim submitted: the fund administrators will review it."))
            return redirect("fund:my_claim", pk=claim.pk)
    context = {
        "guarantee": guarantee,
        "remaining": selectors.guarantee_remaining_cover(guarantee),
        "form": form,
        "has_dues": bool(dues),
        "cancel_url": guarantee_url(guarantee),
        "on_behalf": False,
        "multipart": True,
    }
    return render(request, "fund/claim_form.html", context)


def guarantee_url(guarantee) -> str:
    return reverse("fund:my_guarantee", args=[guarantee.pk])


@role_required(LANDLORD)
def claim_view(request, pk):
    """One claim: months and amounts, documents, every change of state with its date, the
    reason of a rejection, the payout; a form to add a document while it is pending."""
    claim = _claim(request, pk)
    context = {
        "claim": claim,
        "months": selectors.claim_months(claim),
        "documents": portal.claim_documents(claim),
        "history": portal.claim_history_for_landlord(claim),
        "letters": claim_letters(claim, for_landlord=True),
        "document_form": ClaimDocumentForm() if claim.status in Claim.PENDING else None,
    }
    return render(request, "fund/portal/claim.html", context)


@require_POST
@role_required(LANDLORD)
def claim_document_view(request, pk):
    """Add one document to a pending claim (e.g. what the fund asked for)."""
    claim = _claim(request, pk)
    form = ClaimDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            claim_document_add(
                actor=request.user,
                claim=claim,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Document added to the claim."))
            return redirect("fund:my_claim", pk=claim.pk)
    context = {
        "claim": claim,
        "months": selectors.claim_months(claim),
        "documents": portal.claim_documents(claim),
        "history": portal.claim_history_for_landlord(claim),
        "letters": claim_letters(claim, for_landlord=True),
        "document_form": form,
    }
    return render(request, "fund/portal/claim.html", context, status=400)


@role_required(LANDLORD)
def unpaid_report_view(request, pk):
    """Report months of a lease unpaid: the household's operators see it at once."""
    lease = _lease(request, pk)
    today = timezone.localdate()
    months = unpaid_reportable_months(lease=lease, today=today)
    form = UnpaidReportForm(request.POST or None, months=months)
    guarantee = selectors.guarantee_open_for_lease(lease=lease)
    back = guarantee_url(guarantee) if guarantee else reverse("fund:my_guarantees")
    if request.method == "POST" and form.is_valid():
        try:
            unpaid_rent_report(
                actor=request.user,
                lease=lease,
                months=form.cleaned_data["months"],
                note=form.cleaned_data["note"],
                today=today,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Unpaid rent reported: the household's operator has been told.")
            )
            return redirect(back)
    context = {
        "lease": lease,
        "form": form,
        "has_months": bool(months),
        "cancel_url": back,
        "reports": lease_unpaid_reports(lease=lease)[:24],
    }
    return render(request, "fund/portal/unpaid_report.html", context)


@role_required(LANDLORD)
def agreements_view(request):
    """The landlord's agreements with the fund and their terms."""
    agreements = portal.landlord_agreements(user=request.user).filter(
        landlord__programme=request.programme
    )
    return render(request, "fund/portal/agreements.html", {"agreements": agreements})
