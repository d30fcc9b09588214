from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.fsm import state_label, transitions_available
from tenancies.forms import ExitForm, NoteForm
from tenancies.selectors.enrollment import enrollment_get
from tenancies.services import enrollment as services
from tenancies.views.common import form_error, household_for, operator_required

STEPS = {
    "start_assessment": lambda actor, e, d: services.enrollment_start_assessment(
        actor=actor, enrollment=e, note=d["note"]
    ),
    "assess": lambda actor, e, d: services.enrollment_assess(
        actor=actor, enrollment=e, note=d["note"]
    ),
    "override": lambda actor, e, d: services.enrollment_override(
        actor=actor, enrollment=e, reason=d["note"]
    ),
    "reassess": lambda actor, e, d: services.enrollment_reassess(
        actor=actor, enrollment=e, note=d["note"]
    ),
    "enrol": lambda actor, e, d: services.enrollment_enrol(
        actor=actor, enrollment=e, note=d["note"]
    ),
    "exit": lambda actor, e, d: services.enrollment_exit(
        actor=actor, enrollment=e, reason=d["reason"], note=d["note"]
    ),
}


@operator_required
def enrollment_step_view(request, pk, enrollment_pk, step):
    """Confirm one enrolment step with a note (a reason, where the step needs one)."""
    household = household_for(request, pk)
    enrollment = enrollment_get(household=household, pk=enrollment_pk)
    if step not in STEPS:
        raise Http404
    available = {t["name"]: t for t in transitions_available(enrollment, request.user)}
    detail_url = reverse("tenancies:household_detail", args=[household.pk])
    if step not in available:
        messages.error(request, _("This step is not possible now."))
        return redirect(detail_url)
    meta = available[step]
    form_class = ExitForm if step == "exit" else NoteForm
    form = form_class(request.POST or None, note_required=meta["needs_note"])
    if request.method == "POST" and form.is_valid():
        try:
            STEPS[step](request.user, enrollment, form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": meta["label"]})
            return redirect(detail_url)
    return render(
        request,
        "common/transition_confirm.html",
        {
            "object": household,
            "transition_label": meta["label"],
            "state_label": state_label(enrollment),
            "form": form,
            "cancel_url": detail_url,
            "danger": meta["danger"],
        },
    )


@require_POST
@operator_required
def enrollment_open_view(request, pk):
    household = household_for(request, pk)
    try:
        services.enrollment_open(actor=request.user, household=household)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A new enrolment is open."))
    return redirect("tenancies:household_detail", pk=household.pk)
