"""Search across the programme: one box, results grouped by kind.

Each app registers the kinds of record it owns (`search_kind_register`, in its `search.py`,
imported by its AppConfig), so `common` knows no app and the arrows stay one-way. A kind says
which roles may find it: a page never lists a kind the role could not open, and households are
for operators only.

Every term of the query must match one of the kind's fields, case-insensitively as a substring
(a fragment of a codice fiscale works). On PostgreSQL the match is `ILIKE`, served by the GIN
trigram indexes the apps' migrations create (pg_trgm), and names also match by trigram word
similarity, so a misspelt surname is found; SQLite falls back to plain `LIKE`. One query per
kind whatever the number of records: its first rows and one more, which says whether there are
more (a page of results never counts thousands of hits: the user adds a word instead).

On PostgreSQL each table's fields are matched in a subquery on that table, and the searches
run in a transaction that keeps the planner off whole-table scans: an OR across columns of
joined tables can use no index (PostgreSQL filters the join row by row, computing word
similarity on each); one condition per table lets each GIN trigram index answer its part.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
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
    more: bool  # more rows match than are shown


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


def _field_condition(kind: SearchKind, path: str, term: str, *, lookup_path: str = "") -> Q:
    """`path` contains `term` (or, for a fuzzy path on PostgreSQL, is word-similar to it: the
    `%>` operator, which the trigram index serves, unlike a call of word_similarity()).
    `lookup_path`: the same field named from its own table, when matched there."""
    lookup_path = lookup_path or path
    condition = Q(**{f"{lookup_path}__trigram_contains": term})
    if path in kind.fuzzy and connection.vendor == "postgresql" and len(term) >= 3:
        from django.contrib.postgres.lookups import TrigramWordSimilar

        condition |= Q(TrigramWordSimilar(F(lookup_path), term))
    return condition


def _term_condition(kind: SearchKind, model, term: str) -> Q:
    """`term` in any of the kind's fields. The fields of one table are matched together (one
    scan of that table on SQLite; one BitmapOr of its trigram indexes on PostgreSQL)."""
    by_table: dict[str, list[str]] = {}
    for path in kind.fields:
        by_table.setdefault(path.rpartition("__")[0], []).append(path)
    condition = Q()
    for table, paths in by_table.items():
        if connection.vendor == "postgresql":
            matches = _matched_on_own_table(kind, model, table, paths, term)
        else:
            matches = Q()
            for path in paths:
                matches |= _field_condition(kind, path, term)
        if _to_many(model, table):
            # A semi-join: a household matching by two members appears once.
            matches = Q(pk__in=model._default_manager.filter(matches).values("pk"))
        condition |= matches
    return condition


def _matched_on_own_table(kind: SearchKind, model, relation: str, paths: list, term: str) -> Q:
    """PostgreSQL: `relation` ("" for the kind's own columns) matches `term` in `paths`,
    written as a subquery on the fields' own table so that its trigram indexes answer: a
    condition on joined rows is checked row by row (word similarity computed on each: 38 ms
    of 44 for a household search that found nothing at 10,000 households)."""
    target = model
    for name in relation.split("__") if relation else ():
        target = target._meta.get_field(name).related_model
    matches = Q()
    for path in paths:
        matches |= _field_condition(kind, path, term, lookup_path=path.rpartition("__")[2])
    matching = target._default_manager.filter(matches).values("pk")
    return Q(**{f"{relation}__in" if relation else "pk__in": matching})


def _to_many(model, relation: str) -> bool:
    """Whether `relation` ("" for the kind's own fields) crosses a to-many relation, which
    a join would repeat the row for (once per matching member). On SQLite (no index serves
    `LIKE '%x%'`) only those fields are matched in a semi-join: a semi-join over a to-one
    relation scans its whole table, where the join reads only the kind's rows."""
    for name in relation.split("__") if relation else ():
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def search_matches(kind: SearchKind, *, programme, terms: list[str]) -> QuerySet:
    """The programme's rows of `kind` matching every term. A field across a relation matches
    through a semi-join on the primary key, so a household matching by two members appears
    once."""
    base = kind.queryset(programme)
    for term in terms:
        base = base.filter(_term_condition(kind, base.model, term))
    return base


def search_run(*, programme, role: str, query: str, limit: int = ROWS_PER_KIND):
    """The groups of what `role` may find in `programme` for `query`: each kind's first `limit`
    rows, and whether more match. Empty when the query has no term worth matching."""
    terms = search_terms(query)
    if not terms:
        return []
    groups = []
    with _trigram_indexes_preferred():
        for kind in search_kinds_for(role):
            # One row past the limit says "more" without counting every hit.
            found = list(search_matches(kind, programme=programme, terms=terms)[: limit + 1])
            if found:
                rows = [kind.row(obj) for obj in found[:limit]]
                groups.append(SearchGroup(kind, rows, len(found) > limit))
    return groups


@contextmanager
def _trigram_indexes_preferred():
    """On PostgreSQL, a transaction whose searches read the trigram indexes rather than scan
    whole tables (nothing on SQLite, where no index serves `LIKE '%x%'`). The planner prices
    pg_trgm's word-similarity operator (`%>`) like an equality (procost 1), so it prefers
    computing word similarity on every row of a table: at 10,000 households, 100 ms over
    28,000 members for a name found nowhere, where the trigram index answers in 2 ms.
    Re-pricing the operator (ALTER FUNCTION … COST) would need the extension's owner, which
    the application's role is not; SET LOCAL ends with the transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield


def _register_lookup():
    from django.db.models import CharField, TextField

    CharField.register_lookup(TrigramContains)
    TextField.register_lookup(TrigramContains)


_register_lookup()
