"""The kinds of notification. This app knows none of them: each domain app registers its own
in AppConfig.ready() (code, label, the roles that receive it) and ships their templates,
`notifications/<code>_subject.txt` and `notifications/<code>_body.txt`, in its templates."""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # a lazy translation: what the preferences page calls it
    roles: tuple[str, ...]  # the roles that receive it (the preferences page shows only these)

    @property
    def subject_template(self) -> str:
        return f"notifications/{self.code}_subject.txt"

    @property
    def body_template(self) -> str:
        return f"notifications/{self.code}_body.txt"


_KINDS: dict[str, Kind] = {}


def kind_register(code: str, label, roles) -> Kind:
    """Add a kind; registering the same code twice with another meaning is a mistake."""
    kind = Kind(code=code, label=label, roles=tuple(str(role) for role in roles))
    known = _KINDS.get(code)
    if known is not None and known != kind:
        raise ImproperlyConfigured(f"notification kind {code!r} registered twice")
    _KINDS[code] = kind
    return kind


def kind_get(code: str) -> Kind:
    try:
        return _KINDS[code]
    except KeyError as error:
        raise ImproperlyConfigured(f"unknown notification kind {code!r}") from error


def kinds_all() -> list[Kind]:
    return list(_KINDS.values())


def kinds_for_roles(roles) -> list[Kind]:
    """The kinds someone holding any of `roles` may receive, in registration order."""
    held = {str(role) for role in roles}
    return [kind for kind in _KINDS.values() if held.intersection(kind.roles)]
