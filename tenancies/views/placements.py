"""Placement pages: find what fits a household and propose it; see a placement and its steps
(run by the generic step view, common:step, from tenancies.workflows)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from common.audit import audit_timeline
from common.exceptions import DomainError
from housing.selectors import dwelling_cohousing, dwelling_list
from tenancies.forms.placements import PlacementSearchForm, ProposalForm
from tenancies.selectors.placements import (
    household_needs,
    placement_get,
    placement_matches,
    places_free,
)
from tenancies.services import placements as services
from tenancies.views.common import form_error, household_for, operator_required


def _search_data(request, household, programme) -> dict:
    """The search as the user typed it, or else the household's own needs."""
    if "household_size" in request.GET:
        return request.GET
    needs = household_needs(household=household)
    data = {"household_size": needs["household_size"]}
    if needs["needs_accessibility"]:
        data["needs_accessibility"] = "on"
    if needs["municipality"] in (programme.municipalities or []):
        data["municipality"] = needs["municipality"]
    return data


@operator_required
def placement_propose_view(request, pk):
    """The dwellings and places that fit the household, best first; choose one and propose it."""
    household = household_for(request, pk)
    programme = request.programme
    search = PlacementSearchForm(_search_data(request, household, programme), programme=programme)
    vacancies = None
    if search.is_valid():
        vacancies = placement_matches(household=household, **search.cleaned_data)
    chosen = request.POST.get("dwelling") or request.GET.get("dwelling")
    dwelling = form = None
    if chosen:
        if not str(chosen).isdigit():
            raise Http404
        dwelling = get_object_or_404(dwelling_list(programme=programme), pk=chosen)
        form = ProposalForm(
            request.POST or None,
            free_places=places_free(dwelling=dwelling),
            cohousing=dwelling_cohousing(dwelling) is not None,
            initial={"proposed_on": localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                placement = services.placement_propose(
                    actor=request.user, household=household, dwelling=dwelling, **form.cleaned_data
                )
            except (DomainError, ValidationError) as error:
                form_error(form, error)
            else:
                messages.success(request, _("Placement proposed."))
                return redirect(
                    "tenancies:placement_detail", pk=household.pk, placement_pk=placement.pk
                )
    return render(
        request,
        "tenancies/placement_propose.html",
        {
            "household": household,
            "search": search,
            "vacancies": vacancies,
            "dwelling": dwelling,
            "form": form,
            "query": request.GET.urlencode() if "household_size" in request.GET else "",
        },
    )


@operator_required
def placement_detail_view(request, pk, placement_pk):
    household = household_for(request, pk)
    placement = placement_get(household=household, pk=placement_pk)
    return render(
        request,
        "tenancies/placement_detail.html",
        {
            "household": household,
            "placement": placement,
            "events": audit_timeline(placement)[:50],
        },
    )
