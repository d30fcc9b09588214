"""What the tenancies views share: the household fetch and turning refusals into form errors."""

from django.core.exceptions import ValidationError

from common.exceptions import DomainError
from common.permissions import role_required
from common.roles import Role
from tenancies.selectors.households import household_get

operator_required = role_required(Role.OPERATOR)


def household_for(request, pk):
    """The household `pk` of the current programme, if the user may see it; else 404."""
    return household_get(user=request.user, programme=request.programme, pk=pk)


def form_error(form, error) -> None:
    """Show a DomainError or a model ValidationError on the form, by its field when it has one."""
    if isinstance(error, DomainError):
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, error)
