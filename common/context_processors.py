from common.middleware import membership_is_set
from common.selectors import memberships_for_user


def navigation(request):
    """What the page shell needs: the current membership and the programmes to switch to.
    The memberships are those ProgrammeMiddleware read for this request (one query, shared
    with the current membership and the two-factor rule), not read again."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = request.membership if membership_is_set(request.membership) else None
    memberships = getattr(request, "memberships", None)
    if memberships is None:
        memberships = memberships_for_user(user=request.user)
    return {
        "current_membership": current,
        "current_role": current.role if current else "",
        "other_memberships": [m for m in memberships if current is None or m != current],
    }
