"""Reads about programmes, memberships and activity, always scoped to what a user may see."""

from django.contrib.auth import get_user_model
from django.db.models import Count

from common.models import AuditEvent, Membership, Programme
from common.roles import Role


def memberships_for_user(*, user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, programme__is_active=True).select_related(
        "programme"
    )


def membership_current(*, user, programme_id=None) -> Membership | None:
    """The membership the user works in now: the chosen programme if still theirs, else the
    first one."""
    memberships = list(memberships_for_user(user=user).order_by("programme__name"))
    return membership_pick(memberships=memberships, programme_id=programme_id)


def membership_pick(*, memberships, programme_id=None) -> Membership | None:
    """Of a user's memberships (ordered by programme name), the chosen programme's, else the
    first one."""
    for membership in memberships:
        if membership.programme_id == programme_id:
            return membership
    return memberships[0] if memberships else None


def two_factor_required(*, memberships) -> bool:
    """Whether a user with these memberships must pass a TOTP code: a fund administrator in any
    programme, since their account moves the fund's money wherever they switch to."""
    return any(membership.role == Role.FUND_ADMIN for membership in memberships)


def totp_device_confirmed(*, user):
    """The user's confirmed authenticator (TOTP device), or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def audit_events_for_programme(*, programme, limit=20):
    return (
        AuditEvent.objects.filter(programme=programme)
        .select_related("actor", "target_type")
        .order_by("-created_at", "-id")[:limit]
    )


def programme_staff_counts(*, programme) -> dict[str, int]:
    """How many people hold each role: an aggregate that every role, monitors included, may see."""
    rows = Membership.objects.filter(programme=programme).values("role").annotate(n=Count("id"))
    return {row["role"]: row["n"] for row in rows}


def users_in_programme(*, programme, roles=None):
    users = get_user_model().objects.filter(memberships__programme=programme)
    if roles is not None:
        users = users.filter(memberships__role__in=list(roles))
    return users.distinct().order_by("last_name", "first_name", "username")


def programme_list_for_user(*, user):
    return Programme.objects.filter(memberships__user=user, is_active=True).distinct()
