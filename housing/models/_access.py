from common.models import Membership
from common.roles import STAFF_ROLES


def is_staff_of(programme_id, user) -> bool:
    """True when `user` is an operator or fund administrator of the programme."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, programme_id=programme_id, role__in=list(STAFF_ROLES)
    ).exists()
