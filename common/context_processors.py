from common.middleware import membership_is_set
from common.selectors import memberships_for_user


def navigation(request):
    """What the page shell needs: the current membership and the programmes to switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = request.membership if membership_is_set(request.membership) else None
    return {
        "current_membership": current,
        "current_role": current.role if current else "",
        "other_memberships": [
            m for m in memberships_for_user(user=request.user) if current is None or m != current
        ],
    }
