from django.utils.functional import SimpleLazyObject

from common.selectors import membership_current

SESSION_KEY = "programme_id"


class ProgrammeMiddleware:
    """Puts the user's current membership on the request: `request.membership` (or None),
    `request.programme` and `request.role`. Looked up lazily, once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def current():
            return membership_current(
                user=request.user, programme_id=request.session.get(SESSION_KEY)
            )

        request.membership = SimpleLazyObject(current)
        request.programme = SimpleLazyObject(lambda: _unwrap(request.membership, "programme"))
        request.role = SimpleLazyObject(lambda: _unwrap(request.membership, "role") or "")
        return self.get_response(request)


def _unwrap(membership, attribute):
    # A SimpleLazyObject wrapping None is truthy; look inside it.
    return getattr(membership, attribute) if membership_is_set(membership) else None


def membership_is_set(membership) -> bool:
    try:
        return membership.pk is not None
    except AttributeError:
        return False
