"""Operator pages about dwellings, social condominiums, cohousing and vacancies."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.audit import audit_timeline
from common.pagination import paginate
from housing import selectors, services
from housing.filters import CohousingFilter, CondominiumFilter, DwellingFilter
from housing.forms import (
    CohousingForm,
    CondominiumForm,
    CostSplitForm,
    DwellingForm,
    VacancyForm,
)
from housing.models import Dwelling, SocialCondominium
from housing.views._base import get_or_404, run_service, staff_required


def _form_page(request, form, title, obj=None, cancel=None):
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": title, "object": obj, "cancel": cancel},
    )


# -- dwellings ------------------------------------------------------------------------------


@staff_required
def dwelling_list(request):
    filterset = DwellingFilter(
        request.GET,
        queryset=selectors.dwelling_list(programme=request.programme),
        programme=request.programme,
    )
    page = paginate(request, filterset.qs)
    return render(request, "housing/dwelling_list.html", {"filter": filterset, "page": page})


@staff_required
def dwelling_create(request):
    initial = {}
    if request.GET.get("landlord"):
        initial["landlord"] = request.GET["landlord"]
    form = DwellingForm(
        request.POST or None,
        initial=initial,
        instance=Dwelling(programme=request.programme),
        programme=request.programme,
    )
    if request.method == "POST" and form.is_valid():
        dwelling = run_service(
            form,
            services.dwelling_create,
            actor=request.user,
            programme=request.programme,
            **form.cleaned_data,
        )
        if dwelling is not None:
            messages.success(request, _("Dwelling “%(name)s” added.") % {"name": dwelling})
            return redirect("housing:dwelling_detail", pk=dwelling.pk)
    return _form_page(request, form, _("New dwelling"), cancel="housing:dwelling_list")


@staff_required
def dwelling_update(request, pk):
    dwelling = get_or_404(selectors.dwelling_get, programme=request.programme, pk=pk)
    form = DwellingForm(request.POST or None, instance=dwelling, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.dwelling_update,
            actor=request.user,
            dwelling=dwelling,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("housing:dwelling_detail", pk=pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": dwelling}, dwelling)


@staff_required
def dwelling_detail(request, pk):
    dwelling = get_or_404(selectors.dwelling_get, programme=request.programme, pk=pk)
    cohousing = selectors.dwelling_cohousing(dwelling)
    objects = [dwelling] + ([cohousing] if cohousing else [])
    return render(
        request,
        "housing/dwelling_detail.html",
        {
            "dwelling": dwelling,
            "cohousing": cohousing,
            "capacity": selectors.dwelling_capacity(dwelling),
            "events": audit_timeline(*objects)[:50],
        },
    )


@staff_required
def vacancy_search(request):
    form = VacancyForm(request.GET or None, programme=request.programme)
    vacancies = None
    if form.is_valid():
        data = form.cleaned_data
        vacancies = selectors.vacancies_matching(
            programme=request.programme,
            household_size=data["household_size"],
            max_rent=data["max_rent"],
            needs_accessibility=data["needs_accessibility"],
            municipality=data["municipality"],
            only_municipality=data["only_municipality"],
        )
    return render(request, "housing/vacancy_search.html", {"form": form, "vacancies": vacancies})


# -- social condominiums ----------------------------------------------------------------------


@staff_required
def condominium_list(request):
    filterset = CondominiumFilter(
        request.GET,
        queryset=selectors.condominium_list(programme=request.programme),
        programme=request.programme,
    )
    page = paginate(request, filterset.qs)
    return render(request, "housing/condominium_list.html", {"filter": filterset, "page": page})


@staff_required
def condominium_create(request):
    form = CondominiumForm(
        request.POST or None,
        instance=SocialCondominium(programme=request.programme),
        programme=request.programme,
    )
    if request.method == "POST" and form.is_valid():
        condominium = run_service(
            form,
            services.condominium_create,
            actor=request.user,
            programme=request.programme,
            **form.cleaned_data,
        )
        if condominium is not None:
            messages.success(
                request, _("Condominium “%(name)s” registered.") % {"name": condominium}
            )
            return redirect("housing:condominium_detail", pk=condominium.pk)
    return _form_page(request, form, _("New social condominium"), cancel="housing:condominium_list")


@staff_required
def condominium_update(request, pk):
    condominium = get_or_404(selectors.condominium_get, programme=request.programme, pk=pk)
    form = CondominiumForm(request.POST or None, instance=condominium, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.condominium_update,
            actor=request.user,
            condominium=condominium,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("housing:condominium_detail", pk=pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": condominium}, condominium)


@staff_required
def condominium_detail(request, pk):
    condominium = get_or_404(selectors.condominium_get, programme=request.programme, pk=pk)
    return render(
        request,
        "housing/condominium_detail.html",
        {
            "condominium": condominium,
            "flats": condominium.flats.select_related("landlord"),
            "notes": selectors.caretaker_notes_for(condominium=condominium)[:50],
            "events": audit_timeline(condominium)[:50],
        },
    )


# -- cohousing --------------------------------------------------------------------------------


@staff_required
def cohousing_list(request):
    filterset = CohousingFilter(
        request.GET,
        queryset=selectors.cohousing_list(programme=request.programme),
        programme=request.programme,
    )
    page = paginate(request, filterset.qs)
    occupied = selectors.places_occupied([c.dwelling_id for c in page])
    rows = [(c, c.places - occupied.get(c.dwelling_id, 0)) for c in page]
    return render(
        request,
        "housing/cohousing_list.html",
        {"filter": filterset, "page": page, "rows": rows},
    )


@staff_required
def cohousing_create(request):
    form = CohousingForm(request.POST or None, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cohousing = run_service(form, services.cohousing_create, actor=request.user, **data)
        if cohousing is not None:
            messages.success(request, _("Cohousing “%(name)s” created.") % {"name": cohousing})
            return redirect("housing:cohousing_detail", pk=cohousing.pk)
    return _form_page(request, form, _("New cohousing"), cancel="housing:cohousing_list")


@staff_required
def cohousing_update(request, pk):
    cohousing = get_or_404(selectors.cohousing_get, programme=request.programme, pk=pk)
    form = CohousingForm(request.POST or None, instance=cohousing, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.cohousing_update,
            actor=request.user,
            cohousing=cohousing,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("housing:cohousing_detail", pk=pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": cohousing}, cohousing)


@staff_required
def cohousing_detail(request, pk):
    cohousing = get_or_404(selectors.cohousing_get, programme=request.programme, pk=pk)
    occupied = selectors.places_occupied([cohousing.dwelling_id]).get(cohousing.dwelling_id, 0)
    return render(
        request,
        "housing/cohousing_detail.html",
        {
            "cohousing": cohousing,
            "free_places": cohousing.places - occupied,
            "cost_shares": selectors.cohousing_cost_shares(cohousing),
            "events": audit_timeline(cohousing, cohousing.dwelling)[:50],
        },
    )


@staff_required
def cohousing_costs(request, pk):
    cohousing = get_or_404(selectors.cohousing_get, programme=request.programme, pk=pk)
    initial = {"total": cohousing.shared_costs_total.amount}
    form = CostSplitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.cohousing_costs_set,
            actor=request.user,
            cohousing=cohousing,
            total=form.cleaned_data["total"],
        )
        if saved is not None:
            messages.success(request, _("Shared costs saved."))
            return redirect("housing:cohousing_detail", pk=pk)
    return _form_page(request, form, _("Shared costs of %(name)s") % {"name": cohousing}, cohousing)


@staff_required
@require_POST
def alert_handle(request, pk):
    note = get_or_404(selectors.caretaker_alert_get, programme=request.programme, pk=pk)
    services.caretaker_alert_handle(actor=request.user, note=note)
    messages.success(request, _("Alert taken in charge."))
    return redirect("housing:alert_list")


@staff_required
def alert_list(request):
    page = paginate(request, selectors.caretaker_alerts_open(programme=request.programme))
    return render(request, "housing/alert_list.html", {"page": page})
