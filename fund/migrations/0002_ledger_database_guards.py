"""Database-level guards of the ledger, on PostgreSQL (SQLite relies on the posting function).

- a deferred constraint trigger checks, at commit, that each transaction's entries sum to zero;
- row triggers refuse UPDATE and DELETE on entries and transactions (append-only).
"""

from django.db import migrations

BALANCED = """
CREATE OR REPLACE FUNCTION fund_entry_balanced() RETURNS trigger AS $$
DECLARE
    total numeric;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total
      FROM fund_entry WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: entries sum to %',
            NEW.transaction_id, total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER fund_entry_balanced
    AFTER INSERT ON fund_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION fund_entry_balanced();

CREATE OR REPLACE FUNCTION fund_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows in % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER fund_entry_append_only
    BEFORE UPDATE OR DELETE ON fund_entry
    FOR EACH ROW EXECUTE FUNCTION fund_ledger_append_only();

CREATE TRIGGER fund_transaction_append_only
    BEFORE UPDATE OR DELETE ON fund_transaction
    FOR EACH ROW EXECUTE FUNCTION fund_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS fund_transaction_append_only ON fund_transaction;
DROP TRIGGER IF EXISTS fund_entry_append_only ON fund_entry;
DROP FUNCTION IF EXISTS fund_ledger_append_only();
DROP TRIGGER IF EXISTS fund_entry_balanced ON fund_entry;
DROP FUNCTION IF EXISTS fund_entry_balanced();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BALANCED, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
