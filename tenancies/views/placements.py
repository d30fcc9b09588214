"""Placement pages: find what fits a household and propose it; follow the placement's steps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.fsm import state_label, transitions_available
from housing.selectors import dwelling_cohousing, dwelling_list
from tenancies.forms.placements import (
    PlacementActivateForm,
    PlacementEndForm,
    PlacementNoteForm,
    PlacementSearchForm,
    ProposalForm,
)
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
            "transitions": transitions_available(placement, request.user),
            "events": audit_timeline(placement)[:50],
        },
    )


STEP_FORMS = {
    "placement_accept": PlacementNoteForm,
    "placement_decline": PlacementNoteForm,
    "placement_activate": PlacementActivateForm,
    "placement_end": PlacementEndForm,
}


def _step_run(step, *, actor, placement, data):
    if step == "placement_accept":
        return services.placement_accept(actor=actor, placement=placement, note=data["note"])
    if step == "placement_decline":
        return services.placement_decline(actor=actor, placement=placement, note=data["note"])
    if step == "placement_activate":
        return services.placement_activate(
            actor=actor, placement=placement, on=data["on"], note=data["note"]
        )
    return services.placement_end(
        actor=actor, placement=placement, on=data["on"], reason=data["reason"], note=data["note"]
    )


@operator_required
def placement_step_view(request, pk, placement_pk, step):
    """One step of the placement, after a confirmation with a note (a reason when it ends)."""
    household = household_for(request, pk)
    placement = placement_get(household=household, pk=placement_pk)
    if step not in STEP_FORMS:
        raise Http404
    back = reverse("tenancies:placement_detail", args=[household.pk, placement.pk])
    available = {t["name"]: t for t in transitions_available(placement, request.user)}
    if step not in available:
        messages.error(request, _("This step is not possible now."))
        return redirect(back)
    transition = available[step]
    form = STEP_FORMS[step](
        request.POST or None,
        note_required=transition["needs_note"],
        initial={"on": localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            _step_run(step, actor=request.user, placement=placement, data=form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": transition["label"]})
            return redirect(back)
    return render(
        request,
        "common/transition_confirm.html",
        {
            "object": placement,
            "transition_label": transition["label"],
            "state_label": state_label(placement),
            "form": form,
            "cancel_url": back,
            "danger": transition["danger"],
        },
    )
