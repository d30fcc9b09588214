"""Trigram indexes for the search box (common.search), on PostgreSQL only.

The pg_trgm extension and one GIN `gin_trgm_ops` index per searched column serve both the
`ILIKE '%fragment%'` match (a fragment of a codice fiscale, of a name or an address) and the
trigram word similarity of names. SQLite has neither and searches with LIKE: nothing to do.
"""

from django.db import migrations

COLUMNS = [
    ("tenancies_household", "name"),
    ("tenancies_household", "address"),
    ("tenancies_member", "first_name"),
    ("tenancies_member", "last_name"),
    ("tenancies_member", "codice_fiscale"),
    ("tenancies_lease", "registration_number"),
]


def _index(table, column):
    return f"{table}_{column}_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    for table, column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_index(table, column)} "
            f"ON {table} USING gin ({column} gin_trgm_ops)",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index(table, column)}", params=None)


class Migration(migrations.Migration):
    dependencies = [("tenancies", "0020_statement_upload_jobs")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
