"""The lifecycle's invariants as named checks over the whole database: a fund's "fsck".

The services enforce each invariant under lock (and database constraints where one can say
it); these checks find what got in anyway — data imported or migrated before a rule existed,
a bug in a service. Each app writes its checks in `<app>/integrity.py`:

    @integrity_check("lease_one_in_force_per_unit", _("A flat or cohousing place is in at most
    one lease in force on any date."))
    def _():
        for lease in ...:
            yield Violation(lease, _("…"))

`manage.py check_integrity` runs them all and lists each violation with a link.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Violation:
    """One record that breaks a rule, and what is wrong with it, in the user's words."""

    obj: models.Model | None
    message: str
    check: str = ""

    @property
    def url(self) -> str:
        get_url = getattr(self.obj, "get_absolute_url", None)
        return get_url() if get_url else ""

    @property
    def label(self) -> str:
        if self.obj is None:
            return ""
        return f"{self.obj._meta.verbose_name} #{self.obj.pk} ({self.obj})"


@dataclass(frozen=True)
class IntegrityCheck:
    name: str
    description: str
    run: Callable[[], Iterable[Violation]]


_CHECKS: dict[str, IntegrityCheck] = {}


def integrity_check(name: str, description: str):
    """Register the decorated generator as the named check (its name must be unique)."""

    def register(function):
        if name in _CHECKS and _CHECKS[name].run is not function:
            raise ValueError(f"Two integrity checks are named {name!r}.")
        _CHECKS[name] = IntegrityCheck(name=name, description=description, run=function)
        return function

    return register


def integrity_checks() -> list[IntegrityCheck]:
    return sorted(_CHECKS.values(), key=lambda check: check.name)


def integrity_run(names: Iterable[str] | None = None) -> list[Violation]:
    """Every violation of the named checks (all of them when `names` is None)."""
    wanted = set(names) if names is not None else None
    unknown = (wanted or set()) - set(_CHECKS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    violations = []
    for check in integrity_checks():
        if wanted is None or check.name in wanted:
            violations.extend(
                Violation(obj=v.obj, message=str(v.message), check=check.name) for v in check.run()
            )
    return violations


@integrity_check(
    "documents_present",
    _("Every uploaded document recorded in the database has its file in storage."),
)
def _documents_present():
    # Any app's file fields: a restore without its documents, or a lost volume, shows here.
    from django.apps import apps

    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            rows = model._default_manager.exclude(**{field.name: ""}).exclude(
                **{f"{field.name}__isnull": True}
            )
            for obj in rows.iterator():
                file = getattr(obj, field.name)
                if not file.storage.exists(file.name):
                    yield Violation(
                        obj, _("The file %(name)s is missing from storage.") % {"name": file.name}
                    )
