"""Search across the programme: one box, results grouped by kind.

Each app registers the kinds of record it owns (`search_kind_register`, in its `search.py`,
imported by its AppConfig), so `common` knows no app and the arrows stay one-way. A kind says
which roles may find it: a page never lists a kind the role could not open, and households are
for operators only.

Every term of the query must match one of the kind's fields, case-insensitively as a substring
(a fragment of a codice fiscale works). On PostgreSQL the match is `ILIKE`, served by the GIN
trigram indexes the apps' migrations create (pg_trgm), and names also match by trigram word
similarity, so a misspelt surname is found; SQLite falls back to plain `LIKE`. One query per
kind (its first rows, with the count as a window over them), whatever the number of records.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.lookups import IContains

QUERY_MAX_LENGTH = 100
TERMS_MAX = 5
TERM_MIN_LENGTH = 2
ROWS_PER_KIND = 8


class TrigramContains(IContains):
    """`ILIKE '%term%'` on PostgreSQL, which a `gin_trgm_ops` index on the bare column serves
    (Django's `icontains` wraps the column in UPPER() and so misses it)."""

    lookup_name = "trigram_contains"

    def as_sql(self, compiler, connection):
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} ILIKE {rhs_sql}", (*lhs_params, *rhs_params)


@dataclass(frozen=True)
class SearchKind:
    """A kind of record the search finds.

    `queryset(programme)`: the programme's rows, with what `row` reads already joined.
    `fields`: the paths each term is matched against; `fuzzy`: those also matched by trigram
    word similarity on PostgreSQL (names, addresses). `row(obj)`: (title, detail, url)."""

    key: str
    label: str
    roles: frozenset
    queryset: Callable[..., QuerySet]
    fields: tuple[str, ...]
    row: Callable[..., tuple[str, str, str]]
    fuzzy: tuple[str, ...] = ()
    order: int = 100


@dataclass
class SearchGroup:
    kind: SearchKind
    rows: list[tuple[str, str, str]]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


_KINDS: dict[str, SearchKind] = {}


def search_kind_register(kind: SearchKind) -> SearchKind:
    _KINDS[kind.key] = kind
    return kind


def search_kinds_for(role: str) -> list[SearchKind]:
    return sorted((k for k in _KINDS.values() if role in k.roles), key=lambda k: k.order)


def search_terms(query: str) -> list[str]:
    """The words of `query` worth matching: at most a few, each of at least two characters."""
    words = (query or "").strip()[:QUERY_MAX_LENGTH].split()
    return [w for w in words if len(w) >= TERM_MIN_LENGTH][:TERMS_MAX]


def _term_condition(kind: SearchKind, term: str) -> Q:
    condition = Q()
    for path in kind.fields:
        condition |= Q(**{f"{path}__trigram_contains": term})
    if connection.vendor == "postgresql" and len(term) >= 3:
        from django.contrib.postgres.lookups import TrigramWordSimilar

        for path in kind.fuzzy:
            condition |= Q(TrigramWordSimilar(F(path), term))
    return condition


def search_matches(kind: SearchKind, *, programme, terms: list[str]) -> QuerySet:
    """The programme's rows of `kind` matching every term. Matched through a semi-join on
    the primary key, so a household matching by two members appears once."""
    base = kind.queryset(programme)
    matching = base.model._default_manager.all()
    for term in terms:
        matching = matching.filter(_term_condition(kind, term))
    return base.filter(pk__in=matching.values("pk"))


def search_run(*, programme, role: str, query: str, limit: int = ROWS_PER_KIND):
    """The groups of what `role` may find in `programme` for `query`: each kind's first `limit`
    rows and its count. Empty when the query has no term worth matching."""
    terms = search_terms(query)
    if not terms:
        return []
    groups = []
    for kind in search_kinds_for(role):
        # The count rides on the rows as a window over the whole match: one query per kind.
        matches = search_matches(kind, programme=programme, terms=terms).annotate(
            search_total=Window(Count("pk"))
        )
        found = list(matches[:limit])
        if found:
            groups.append(
                SearchGroup(kind, [kind.row(obj) for obj in found], found[0].search_total)
            )
    return groups


def _register_lookup():
    from django.db.models import CharField, TextField

    CharField.register_lookup(TrigramContains)
    TextField.register_lookup(TrigramContains)


_register_lookup()
