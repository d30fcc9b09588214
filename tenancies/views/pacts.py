from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from tenancies.forms import CommitmentForm, PactForm
from tenancies.models import HouseholdAccess, SupportPact
from tenancies.pdf import pact_pdf_render
from tenancies.privacy.access import access_record
from tenancies.selectors.pacts import pact_get, pact_signed_facts
from tenancies.services import pacts as services
from tenancies.services.pacts import add_months
from tenancies.views.common import form_error, household_for, operator_required


@operator_required
def pact_create_view(request, pk):
    household = household_for(request, pk)
    today = localdate()
    form = PactForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": add_months(today, 12), "review_every_months": 3},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pact = services.pact_create(
                actor=request.user, household=household, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Pact drafted: now add the commitments."))
            return redirect("tenancies:pact_detail", pk=household.pk, pact_pk=pact.pk)
    return render(
        request,
        "tenancies/form_page.html",
        {"form": form, "household": household, "title": _("Draft a support pact")},
    )


@operator_required
def pact_detail_view(request, pk, pact_pk):
    """The pact editor: goal and dates, commitments (while draft), reviews, next steps (the
    "pact" workflow: signing, reviews and their outcome)."""
    household = household_for(request, pk)
    pact = pact_get(household=household, pk=pact_pk)
    is_draft = pact.is_editable()
    pact_form = PactForm(instance=pact) if is_draft else None
    commitment_form = CommitmentForm() if is_draft else None
    if request.method == "POST" and is_draft:
        action = request.POST.get("action")
        try:
            if action == "pact":
                pact_form = PactForm(request.POST, instance=SupportPact.objects.get(pk=pact.pk))
                if pact_form.is_valid():
                    services.pact_update(actor=request.user, pact=pact, **pact_form.cleaned_data)
                    messages.success(request, _("Pact saved."))
                    return redirect(request.path)
            elif action == "commitment":
                commitment_form = CommitmentForm(request.POST)
                if commitment_form.is_valid():
                    services.commitment_add(
                        actor=request.user, pact=pact, **commitment_form.cleaned_data
                    )
                    messages.success(request, _("Commitment added."))
                    return redirect(request.path)
        except (DomainError, ValidationError) as error:
            form_error(commitment_form if action == "commitment" else pact_form, error)
    return render(
        request,
        "tenancies/pact_detail.html",
        {
            "household": household,
            "pact": pact,
            "commitments": list(pact.commitments.all()),
            "reviews": list(pact.reviews.select_related("reviewer")),
            "pact_form": pact_form,
            "commitment_form": commitment_form,
            "has_pdf": pact.signed_on is not None,
        },
    )


@require_POST
@operator_required
def commitment_remove_view(request, pk, pact_pk, commitment_pk):
    household = household_for(request, pk)
    pact = pact_get(household=household, pk=pact_pk)
    commitment = get_object_or_404(pact.commitments.all(), pk=commitment_pk)
    try:
        services.commitment_remove(actor=request.user, commitment=commitment)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("tenancies:pact_detail", pk=household.pk, pact_pk=pact.pk)


@operator_required
def pact_pdf_view(request, pk, pact_pk):
    """The signed pact as a PDF, for printing and signing."""
    household = household_for(request, pk)
    pact = pact_get(household=household, pk=pact_pk)
    if pact.signed_on is None:
        raise Http404
    access_record(
        request=request, household=household, what=HouseholdAccess.What.PACT_PDF, object_id=pact.pk
    )
    facts = pact_signed_facts(pact=pact)
    response = HttpResponse(pact_pdf_render(facts), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="patto-{facts["pact_number"]}.pdf"'
    return response
