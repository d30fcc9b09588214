"""Reading a user's notifications: only their own, and only of programmes they still belong
to (someone who left a programme no longer reads about its records)."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from common.models import Membership
from common.notifications.models import Notification, NotificationPreference, NotificationSettings


def inbox_for_user(*, user, unread_only: bool = False) -> QuerySet:
    """The user's inbox, newest first."""
    rows = Notification.objects.filter(recipient=user, in_inbox=True).filter(
        Q(programme__isnull=True)
        | Q(programme__in=Membership.objects.filter(user=user).values("programme_id"))
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.select_related("programme")


def unread_count(*, user) -> int:
    """How many of the inbox's notifications are unread: one query."""
    return inbox_for_user(user=user, unread_only=True).order_by().count()


def notification_get_for_user(*, user, pk) -> Notification:
    """One of the user's notifications; anyone else's is a 404."""
    return get_object_or_404(inbox_for_user(user=user), pk=pk)


def settings_for_user(*, user) -> NotificationSettings:
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


def preferences_for_user(*, user) -> dict[str, tuple[bool, bool]]:
    """{kind: (in the inbox, by e-mail)} for the kinds the user changed (others: both on)."""
    return {p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=user)}
