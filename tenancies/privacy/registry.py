"""What other apps add to a household's privacy work, without tenancies importing them."""

from collections.abc import Callable, Iterable

# name -> function(household) -> list of rows (dicts): extra sections of a data export.
EXPORT_SECTIONS: dict[str, Callable] = {}
# function(household) -> iterable of reasons (strings): why the data must be kept for now.
RETENTION_BLOCKERS: list[Callable[..., Iterable[str]]] = []
# function(queryset of households): extra households that must be kept, as a queryset filter.
RETENTION_EXCLUDERS: list[Callable] = []
# function(household): blanks the other app's free text about the household.
PSEUDONYMISERS: list[Callable] = []


def register_export_section(name: str, rows: Callable) -> None:
    EXPORT_SECTIONS[name] = rows


def register_retention_blocker(*, reasons: Callable, exclude: Callable) -> None:
    """`reasons(household)` explains one household; `exclude(queryset)` drops the households
    it blocks from a queryset in one query (the list page must not loop)."""
    if reasons not in RETENTION_BLOCKERS:
        RETENTION_BLOCKERS.append(reasons)
        RETENTION_EXCLUDERS.append(exclude)


def register_pseudonymiser(pseudonymise: Callable) -> None:
    if pseudonymise not in PSEUDONYMISERS:
        PSEUDONYMISERS.append(pseudonymise)
