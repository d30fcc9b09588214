from functools import cache

from common.notifications.selectors import unread_count


def unread(request):
    """The header's count of unread notifications: one query, only when a page shows it (the
    template calls the function; it counts once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return unread_count(user=user)

    return {"unread_notifications": count}
