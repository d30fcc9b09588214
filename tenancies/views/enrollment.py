"""Opening a new enrolment. Its steps (assessment, enrolment, exit) are the "enrollment"
workflow in tenancies/workflows.py, run by the generic step view."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from tenancies.services import enrollment as services
from tenancies.views.common import household_for, operator_required


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
