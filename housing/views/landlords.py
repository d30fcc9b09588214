"""Operator pages about landlords and their agreements with the fund."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.audit import audit_timeline
from common.pagination import paginate
from housing import selectors, services
from housing.filters import AgreementFilter, LandlordFilter
from housing.forms import AgreementForm, DocumentForm, LandlordForm
from housing.models import LandlordAgreement
from housing.views._base import get_or_404, run_service, staff_required


@staff_required
def landlord_list(request):
    filterset = LandlordFilter(
        request.GET,
        queryset=selectors.landlord_list(programme=request.programme),
        programme=request.programme,
    )
    page = paginate(request, filterset.qs)
    return render(request, "housing/landlord_list.html", {"filter": filterset, "page": page})


def _landlord_data(form):
    data = dict(form.cleaned_data)
    data["users"] = list(data.pop("users", []))
    return data


@staff_required
def landlord_create(request):
    form = LandlordForm(request.POST or None, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        landlord = run_service(
            form,
            services.landlord_create,
            actor=request.user,
            programme=request.programme,
            **_landlord_data(form),
        )
        if landlord is not None:
            messages.success(request, _("Landlord “%(name)s” registered.") % {"name": landlord})
            return redirect("housing:landlord_detail", pk=landlord.pk)
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": _("New landlord"), "cancel": "housing:landlord_list"},
    )


@staff_required
def landlord_update(request, pk):
    landlord = get_or_404(selectors.landlord_get, programme=request.programme, pk=pk)
    form = LandlordForm(request.POST or None, instance=landlord, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.landlord_update,
            actor=request.user,
            landlord=landlord,
            **_landlord_data(form),
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            if form.cleaned_data.get("iban", "") != saved.iban:
                messages.info(
                    request,
                    _(
                        "The new IBAN awaits a fund administrator's approval: until then "
                        "payouts go to the approved one."
                    ),
                )
            return redirect("housing:landlord_detail", pk=pk)
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": landlord}, "object": landlord},
    )


@staff_required
def landlord_detail(request, pk):
    landlord = get_or_404(selectors.landlord_get, programme=request.programme, pk=pk)
    agreements = list(landlord.agreements.all())
    dwellings = landlord.dwellings.select_related("condominium", "cohousing")
    return render(
        request,
        "housing/landlord_detail.html",
        {
            "landlord": landlord,
            "agreements": agreements,
            "agreement_in_force": selectors.agreement_active_for(landlord=landlord),
            "dwellings": dwellings,
            "logins": landlord.users.all(),
            "payee_changes": landlord.payee_changes.select_related("proposed_by", "decided_by")[:5],
            "events": audit_timeline(landlord)[:50],
        },
    )


@staff_required
def agreement_list(request):
    filterset = AgreementFilter(
        request.GET,
        queryset=selectors.agreement_list(programme=request.programme),
        programme=request.programme,
    )
    page = paginate(request, filterset.qs)
    return render(request, "housing/agreement_list.html", {"filter": filterset, "page": page})


@staff_required
def agreement_create(request, landlord_pk):
    landlord = get_or_404(selectors.landlord_get, programme=request.programme, pk=landlord_pk)
    form = AgreementForm(request.POST or None, instance=LandlordAgreement(landlord=landlord))
    if request.method == "POST" and form.is_valid():
        agreement = run_service(
            form,
            services.agreement_create,
            actor=request.user,
            landlord=landlord,
            **form.cleaned_data,
        )
        if agreement is not None:
            messages.success(request, _("Agreement drafted: activate it once it is signed."))
            return redirect("housing:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "housing/form.html",
        {
            "form": form,
            "title": _("New agreement with %(name)s") % {"name": landlord},
            "object": landlord,
        },
    )


@staff_required
def agreement_update(request, pk):
    agreement = get_or_404(selectors.agreement_get, programme=request.programme, pk=pk)
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.agreement_update,
            actor=request.user,
            agreement=agreement,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("housing:agreement_detail", pk=pk)
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": agreement}, "object": agreement},
    )


@staff_required
def agreement_detail(request, pk):
    agreement = get_or_404(selectors.agreement_get, programme=request.programme, pk=pk)
    return render(
        request,
        "housing/agreement_detail.html",
        {
            "agreement": agreement,
            "document_form": DocumentForm(),
            "events": audit_timeline(agreement)[:50],
        },
    )


@staff_required
def agreement_document_upload(request, pk):
    agreement = get_or_404(selectors.agreement_get, programme=request.programme, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.agreement_attach_document,
            actor=request.user,
            agreement=agreement,
            document=form.cleaned_data["document"],
        )
        if saved is not None:
            messages.success(request, _("Signed document attached."))
            return redirect("housing:agreement_detail", pk=pk)
    return render(
        request,
        "housing/form.html",
        {
            "form": form,
            "title": _("Signed document of %(name)s") % {"name": agreement},
            "object": agreement,
            "multipart": True,
        },
    )


@staff_required
def agreement_document(request, pk):
    """The signed document, served only to the programme's staff (never from a public URL)."""
    agreement = get_or_404(selectors.agreement_get, programme=request.programme, pk=pk)
    if not agreement.document:
        raise Http404
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"convenzione-{agreement.pk}.pdf",
        content_type="application/pdf",
    )
