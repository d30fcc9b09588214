"""Who viewed which household records: one INSERT per view, read by the oversight page."""

from common.security import client_ip
from tenancies.models import Household, HouseholdAccess


def access_record(*, request, household: Household, what: str, object_id=None) -> None:
    """Log that `request.user` viewed `what` of `household` (one INSERT, no read)."""
    HouseholdAccess.objects.create(
        household_id=household.pk,
        user_id=request.user.pk,
        what=what,
        object_id=object_id,
        ip=client_ip(request),
    )


def access_log_for(*, household: Household):
    """Every access to the household's records, newest first, with the user."""
    return HouseholdAccess.objects.filter(household=household).select_related("user")
