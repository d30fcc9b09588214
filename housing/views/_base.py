"""What the housing views share: role gates, paging, and DomainError as a form error."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from common.exceptions import DomainError
from common.permissions import role_required
from common.roles import STAFF_ROLES, Role

# The housing back office: operators run it, fund administrators read and act on agreements.
staff_required = role_required(*STAFF_ROLES)
caretaker_required = role_required(Role.CARETAKER)


def get_or_404(selector, **kwargs):
    """Run a `*_get` selector; a row outside the user's scope is a 404, like a missing one."""
    try:
        return selector(**kwargs)
    except (ObjectDoesNotExist, ValueError) as error:
        raise Http404 from error


def run_service(form, service, **kwargs):
    """Call `service`; a DomainError lands on the form (on its field when the form has it)."""
    try:
        return service(**kwargs)
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None
