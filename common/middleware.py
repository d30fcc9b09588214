import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from common.roles import HELD_ROLES_ATTRIBUTE
from common.selectors import (
    membership_pick,
    memberships_for_user,
    totp_device_confirmed,
    two_factor_required,
)

SESSION_KEY = "programme_id"


class ProgrammeMiddleware:
    """Puts the user's current membership on the request: `request.membership` (or None),
    `request.programme` and `request.role`. Looked up lazily, once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def current():
            return membership_pick(
                memberships=request.memberships, programme_id=request.session.get(SESSION_KEY)
            )

        # All of the user's memberships, read once: the current one and the two-factor rule
        # (TwoFactorMiddleware) both need them.
        request.memberships = SimpleLazyObject(lambda: _memberships_load(request.user))
        request.membership = SimpleLazyObject(current)
        request.programme = SimpleLazyObject(lambda: _unwrap(request.membership, "programme"))
        request.role = SimpleLazyObject(lambda: _unwrap(request.membership, "role") or "")
        return self.get_response(request)


def _memberships_load(user) -> list:
    """The user's memberships in active programmes; the roles they give are also kept on the
    user (HELD_ROLES_ATTRIBUTE) for this request, so that `holds_role` asks no query for them."""
    memberships = list(memberships_for_user(user=user).order_by("programme__name"))
    if user.is_authenticated:
        setattr(user, HELD_ROLES_ATTRIBUTE, {(m.programme_id, m.role) for m in memberships})
    return memberships


def _unwrap(membership, attribute):
    # A SimpleLazyObject wrapping None is truthy; look inside it.
    return getattr(membership, attribute) if membership_is_set(membership) else None


def membership_is_set(membership) -> bool:
    try:
        return membership.pk is not None
    except AttributeError:
        return False


IDLE_KEY = "last_seen"
STARTED_KEY = "logged_in_at"
# The session is written at most once a minute to record activity, not on every request.
ACTIVITY_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Logs out a session idle for `SESSION_IDLE_TIMEOUT` seconds or older than
    `SESSION_ABSOLUTE_TIMEOUT` seconds since login, however active."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request):
        session = request.session
        now = int(time.time())
        started = session.setdefault(STARTED_KEY, now)
        last_seen = session.get(IDLE_KEY, now)
        idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
        too_old = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
        if idle or too_old:
            logout(request)
            messages.info(request, _("Your session has expired. Please log in again."))
            return
        if now - last_seen >= ACTIVITY_RESOLUTION or IDLE_KEY not in session:
            session[IDLE_KEY] = now


@receiver(user_logged_in)
def _session_clock_start(sender, request, user, **kwargs):
    # The absolute lifetime counts from the login, not from the first request after it.
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[IDLE_KEY] = now


# The pages an unverified fund administrator may still open: logging in and out, the code
# pages themselves, the language switch and password reset (which ends in a new login).
TWO_FACTOR_EXEMPT_VIEWS = frozenset(
    {
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_setup",
        "set_language",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


class TwoFactorMiddleware:
    """Fund administrators open no page (but TWO_FACTOR_EXEMPT_VIEWS) until this session is
    verified with a code from their authenticator (django-otp's `is_verified()`): those
    without a confirmed device are sent to set one up, the others to type its code. Other
    roles pass untouched. Needs OTPMiddleware before it and ProgrammeMiddleware (the user's
    memberships) anywhere in the list: it acts in process_view, once the URL is resolved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in TWO_FACTOR_EXEMPT_VIEWS:
            return None
        if not two_factor_required(memberships=request.memberships):
            return None
        step = "two_factor_verify" if totp_device_confirmed(user=user) else "two_factor_setup"
        return redirect_to_login(request.get_full_path(), step)
