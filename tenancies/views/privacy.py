"""Privacy pages: a household's data export, who viewed its records, and retention."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from tenancies.models import HouseholdAccess
from tenancies.privacy.access import access_log_for, access_record
from tenancies.privacy.export import household_export
from tenancies.privacy.retention import (
    household_pseudonymise,
    households_due,
    retention_cutoff,
)
from tenancies.selectors.households import household_get_for_oversight, households_for_oversight
from tenancies.views.common import household_for, operator_required

fund_admin_required = role_required(Role.FUND_ADMIN)


@operator_required
@require_POST
def household_export_view(request, pk):
    """The household's data (GDPR access request) as a ZIP: a POST, so it is never prefetched
    or left in a link, and it is audited as an export."""
    household = household_for(request, pk)
    content = household_export(actor=request.user, household=household)
    access_record(request=request, household=household, what=HouseholdAccess.What.EXPORT)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="nucleo-{household.pk}-dati-{localdate():%Y%m%d}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response


@fund_admin_required
def privacy_view(request):
    """For the fund's administrators: households past the retention period, and a search
    to open any household's access log."""
    programme = request.programme
    query = request.GET.get("q", "").strip()[:100]
    found = (
        paginate(
            request,
            households_for_oversight(user=request.user, programme=programme, query=query),
        )
        if query
        else None
    )
    return render(
        request,
        "tenancies/privacy.html",
        {
            "programme": programme,
            "due": households_due(programme=programme)[:200],
            "cutoff": retention_cutoff(programme=programme),
            "q": query,
            "page": found,
        },
    )


@fund_admin_required
@require_POST
def household_pseudonymise_view(request, pk):
    household = household_get_for_oversight(user=request.user, programme=request.programme, pk=pk)
    try:
        household_pseudonymise(actor=request.user, household=household)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The household's personal data has been pseudonymised."))
    return redirect("tenancies:privacy")


@fund_admin_required
def access_log_view(request, pk):
    """Chi ha consultato: every view of the household's records, newest first."""
    household = household_get_for_oversight(user=request.user, programme=request.programme, pk=pk)
    page = paginate(request, access_log_for(household=household))
    return render(request, "tenancies/access_log.html", {"household": household, "page": page})
