"""Operator pages for leases: list, create, detail with the rent ledger, payments, transitions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.exports import export_format, list_download
from common.filters import list_filter
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from tenancies.filters import LeaseFilter
from tenancies.forms.leases import LeaseForm, LeaseTermsForm, PaymentForm
from tenancies.models import ArrearsCase, Lease, Placement
from tenancies.resources import LeaseExportResource
from tenancies.selectors.rent import lease_statement
from tenancies.selectors.unpaid_reports import lease_unpaid_reports
from tenancies.services.leases import lease_agreement_problems, lease_create, lease_update
from tenancies.services.payments import payment_record


def _leases(request):
    return Lease.objects.in_programme(request.programme).select_related(
        "household", "dwelling", "landlord", "placement__dwelling"
    )


def _form_error(form, error: DomainError):
    form.add_error(error.field if error.field in form.fields else None, error.message)


@role_required(Role.OPERATOR)
def lease_list_view(request):
    programme = request.programme
    leases = list_filter(
        request,
        LeaseFilter,
        _leases(request).order_by("status", "household__name", "pk"),
        programme=programme,
    )
    if (file_format := export_format(request.GET.get("export"))) and leases.valid:
        return list_download(
            actor=request.user,
            programme=programme,
            resource=LeaseExportResource(),
            queryset=leases.rows,
            file_format=file_format,
            name="contratti",
            filters=leases.applied,
        )
    page = paginate(request, leases.rows)
    return render(request, "tenancies/lease_list.html", {"page": page, "filters": leases})


def _initial_placement(request):
    """The placement of the household the page was opened for (?household=), if it has one."""
    household = request.GET.get("household", "")
    if not household.isdigit():
        return None
    return (
        Placement.objects.in_programme(request.programme)
        .filter(household_id=household)
        .holding_a_place()
        .values_list("pk", flat=True)
        .first()
    )


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def lease_new_view(request):
    form = LeaseForm(
        request.POST or None,
        programme=request.programme,
        initial={"placement": _initial_placement(request)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            lease = lease_create(actor=request.user, placement=data.pop("placement"), **data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Lease recorded as a draft. Activate it when signed."))
            return redirect("tenancies:lease_detail", pk=lease.pk)
    return render(request, "tenancies/lease_form.html", {"form": form})


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def lease_edit_view(request, pk):
    """Correct a draft's terms (the agreement check refused it, a typo): audited, drafts only."""
    lease = get_object_or_404(_leases(request), pk=pk)
    if not lease.editable:
        messages.error(request, _("Only a draft lease can be corrected."))
        return redirect(lease)
    form = LeaseTermsForm(request.POST or None, instance=lease)
    if request.method == "POST" and form.is_valid():
        try:
            lease_update(
                actor=request.user,
                lease=lease,
                **{name: form.cleaned_data[name] for name in Lease.EDITABLE_FIELDS},
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Lease corrected."))
            return redirect(lease)
    return render(request, "tenancies/lease_form.html", {"form": form, "lease": lease})


@role_required(Role.OPERATOR)
def lease_detail_view(request, pk):
    # The programme too: the next steps' permission checks ask for it.
    lease = get_object_or_404(_leases(request).select_related("programme"), pk=pk)
    today = timezone.localdate()
    balance, ledger = lease_statement(lease=lease, today=today)
    context = {
        "lease": lease,
        "balance": balance,
        "ledger": ledger,
        "agreement_problems": lease_agreement_problems(lease=lease, on=today)
        if lease.editable
        else [],
        "cases": ArrearsCase.objects.filter(lease=lease).order_by("-opened_on"),
        "unpaid_reports": lease_unpaid_reports(lease=lease)[:24],
        "events": audit_timeline(lease)[:30],
    }
    return render(request, "tenancies/lease_detail.html", context)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def payment_new_view(request, pk):
    lease = get_object_or_404(_leases(request), pk=pk)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_record(actor=request.user, lease=lease, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            if payment.replayed:
                messages.info(
                    request,
                    _(
                        "This payment was already recorded (the form was sent twice): "
                        "it was not booked again."
                    ),
                )
            else:
                messages.success(request, _("Payment recorded and allocated to the open dues."))
            return redirect("tenancies:lease_detail", pk=lease.pk)
    return render(request, "tenancies/payment_form.html", {"form": form, "lease": lease})
