from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from common.exports import export_format, list_download
from common.filters import list_filter
from common.models import Programme
from common.pagination import paginate
from common.task_selectors import tasks_open_for_context
from tenancies.filters import HouseholdFilter
from tenancies.forms import HouseholdForm, MemberForm, PolicyForm, ReferralForm
from tenancies.models import HouseholdAccess, HouseholdDocument
from tenancies.privacy.access import access_record
from tenancies.resources import HouseholdExportResource
from tenancies.rules import priority_score
from tenancies.selectors.enrollment import assessments_for, enrollment_current, waiting_list
from tenancies.selectors.households import (
    caseload,
    documents_expiring,
    duplicates_find,
    household_duplicates,
    household_list,
    overdue_reviews,
    with_next_action,
)
from tenancies.selectors.pacts import pacts_for
from tenancies.selectors.timeline import TIMELINE_KINDS, household_timeline
from tenancies.services.households import (
    household_refer,
    household_update,
    member_add,
    member_update,
    policy_for_programme,
    policy_update,
)
from tenancies.services.pacts import pact_draft_refusal
from tenancies.views.common import form_error, household_for, operator_required

# The caseload's side lists (overdue reviews, expiring documents) show their first rows and a
# count: at a regional programme they run to hundreds.
CASELOAD_SIDE_ROWS = 20


@operator_required
def caseload_view(request):
    """The operator's home: their households with the next action, overdue reviews, expiries."""
    programme = request.programme
    households = paginate(request, caseload(user=request.user, programme=programme))
    with_next_action(households)
    overdue = overdue_reviews(user=request.user, programme=programme)
    documents = documents_expiring(user=request.user, programme=programme)
    return render(
        request,
        "tenancies/caseload.html",
        {
            "programme": programme,
            "households": households,
            "page": households,
            "overdue": overdue[:CASELOAD_SIDE_ROWS],
            "overdue_count": overdue.count(),
            "documents": documents[:CASELOAD_SIDE_ROWS],
            "documents_count": documents.count(),
        },
    )


@operator_required
def household_list_view(request):
    programme = request.programme
    households = list_filter(
        request,
        HouseholdFilter,
        household_list(user=request.user, programme=programme),
        programme=programme,
    )
    file_format = export_format(request.GET.get("export"))
    if file_format and households.valid:
        return list_download(
            actor=request.user,
            programme=programme,
            resource=HouseholdExportResource(),
            queryset=households.rows,
            file_format=file_format,
            name="nuclei",
            filters=households.applied,
        )
    # The page reads the columns it shows (a household row has some twenty more).
    shown = households.rows.only(
        "name", "municipality", "operator__username", "operator__first_name", "operator__last_name"
    )
    page = paginate(request, shown)
    rows = list(page)
    enrolment = _badges("tenancies/_status.html", {h.enrollment_status for h in rows})
    pact = _badges("tenancies/_pact_status.html", {h.pact_status for h in rows})
    for household in rows:
        household.enrollment_badge = enrolment[household.enrollment_status]
        household.pact_badge = pact[household.pact_status]
    return render(
        request,
        "tenancies/household_list.html",
        {"households": page, "page": page, "filters": households},
    )


def _badges(template_name: str, statuses: set) -> dict:
    """Each status's badge rendered once from its template: a page of rows holds a handful of
    statuses, and an include per row was a third of the list's time."""
    return {status: render_to_string(template_name, {"status": status}) for status in statuses}


@operator_required
def waiting_list_view(request):
    return render(
        request,
        "tenancies/waiting_list.html",
        {
            # Priorities are scored in Python (tenancies.rules) over the eligible households
            # only, a short list even at regional scale; the page shows 50 at a time.
            "enrollments": paginate(
                request, waiting_list(user=request.user, programme=request.programme)
            ),
            "policy": policy_for_programme(programme=request.programme),
        },
    )


def _duplicate_check(form, programme):
    d = form.cleaned_data
    return duplicates_find(
        programme=programme,
        codice_fiscale=d.get("ref_codice_fiscale", ""),
        last_name=d.get("ref_last_name", ""),
        first_name=d.get("ref_first_name", ""),
        birth_date=d.get("ref_birth_date"),
    )


@operator_required
def household_refer_view(request):
    programme = request.programme
    duplicates = []
    form = ReferralForm(
        request.POST or None,
        programme=programme,
        initial={
            "operator": request.user,
            "consent_given_on": localdate(),
            "consent_version": "1.0",
        },
    )
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicate_check(form, programme)
        code = form.cleaned_data["ref_codice_fiscale"]
        # The same codice fiscale is the same person: no confirmation lets it through, the
        # service refuses it and says where the person already is.
        same_person = any(d.codice_fiscale.upper() == code.upper() for d in duplicates)
        if duplicates and not same_person and not form.cleaned_data["confirm_not_duplicate"]:
            form.add_error(
                "confirm_not_duplicate",
                _("A similar person is already in the programme: check, then confirm."),
            )
        else:
            try:
                household = household_refer(
                    actor=request.user,
                    programme=programme,
                    reference=form.reference_fields(),
                    **form.service_fields(),
                )
            except (DomainError, ValidationError) as error:
                if isinstance(error, DomainError) and error.field == "codice_fiscale":
                    error.field = "ref_codice_fiscale"
                form_error(form, error)
            else:
                messages.success(request, _("Household referred."))
                return redirect("tenancies:household_detail", pk=household.pk)
    return render(
        request, "tenancies/household_refer.html", {"form": form, "duplicates": duplicates}
    )


@operator_required
def household_detail_view(request, pk):
    household = household_for(request, pk)
    access_record(request=request, household=household, what=HouseholdAccess.What.DETAIL)
    members = list(household.members.all())
    enrollment = enrollment_current(household=household)
    policy = policy_for_programme(programme=request.programme)
    documents = list(household.documents.select_related("uploaded_by"))
    is_supported = household.is_supported()
    return render(
        request,
        "tenancies/household_detail.html",
        {
            "household": household,
            "members": members,
            "enrollment": enrollment,
            "assessments": assessments_for(enrollment=enrollment) if enrollment else [],
            "priority": priority_score(
                household=household, members=members, policy=policy, today=localdate()
            ),
            "pacts": pacts_for(household=household),
            "documents": documents,
            "duplicates": household_duplicates(
                programme=request.programme, household=household, members=members
            ),
            "can_reopen": enrollment is None or not enrollment.is_active(),
            "can_draft_pact": not pact_draft_refusal(household=household),
            "is_supported": is_supported,
            "placements": household.placements.select_related("dwelling"),
            "document_kinds": HouseholdDocument.Kind,
            "tasks": tasks_open_for_context(context=household, today=localdate()),
        },
    )


@operator_required
def household_edit_view(request, pk):
    household = household_for(request, pk)
    form = HouseholdForm(request.POST or None, instance=household, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        try:
            household_update(actor=request.user, household=household, **form.service_fields())
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Household details saved."))
            return redirect("tenancies:household_detail", pk=household.pk)
    return render(
        request,
        "tenancies/form_page.html",
        {"form": form, "household": household, "title": _("Edit household details")},
    )


@operator_required
def member_form_view(request, pk, member_pk=None):
    household = household_for(request, pk)
    member = get_object_or_404(household.members.all(), pk=member_pk) if member_pk else None
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MemberForm.Meta.fields}
        try:
            if member is None:
                member_add(actor=request.user, household=household, **fields)
            else:
                member_update(actor=request.user, member=member, **fields)
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Member saved."))
            return redirect("tenancies:household_detail", pk=household.pk)
    return render(
        request,
        "tenancies/form_page.html",
        {
            "form": form,
            "household": household,
            "title": _("Edit member") if member else _("Add a member"),
        },
    )


@operator_required
def policy_edit_view(request):
    programme: Programme = request.programme
    policy = policy_for_programme(programme=programme)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            policy_update(actor=request.user, policy=policy, **form.service_fields())
        except (DomainError, ValidationError) as error:
            form_error(form, error)
        else:
            messages.success(request, _("Eligibility rules saved."))
            return redirect("tenancies:waiting_list")
    return render(
        request,
        "tenancies/form_page.html",
        {
            "form": form,
            "title": _("Eligibility rules and priority weights"),
            "intro": _("Programme municipalities: %(list)s")
            % {"list": ", ".join(programme.municipalities) or "—"},
        },
    )


@operator_required
def timeline_view(request, pk):
    household = household_for(request, pk)
    access_record(request=request, household=household, what=HouseholdAccess.What.TIMELINE)
    kind = request.GET.get("kind", "")
    if kind not in TIMELINE_KINDS:
        kind = ""
    return render(
        request,
        "tenancies/timeline.html",
        {
            "household": household,
            "events": household_timeline(household=household, kind=kind),
            "kind": kind,
            "kinds": [(key, label) for key, (label, _models) in TIMELINE_KINDS.items()],
            "documents": household.documents.all() if kind in ("", "document") else [],
        },
    )
