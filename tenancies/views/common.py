"""What the tenancies views share: the household fetch and turning refusals into form errors."""

from common.forms import form_error  # noqa: F401 - the tenancies views import it from here
from common.permissions import role_required
from common.roles import Role
from tenancies.selectors.households import household_get

operator_required = role_required(Role.OPERATOR)


def household_for(request, pk):
    """The household `pk` of the current programme, if the user may see it; else 404."""
    return household_get(user=request.user, programme=request.programme, pk=pk)
