"""Benchmark: a bank statement of many lines (default 100,000) read, matched and stored.

Four ways of storing the same rows, each in its own process so that peak memory (max RSS) is
its own:
  ours     statement_upload: parse, validate every line, match it to a lease, store in batches
  ie       django-import-export with default settings (a StatementLine resource)
  ie-bulk  django-import-export with use_bulk, batch_size=1000, skip_diff, force_init_instance
  bulk     a bare bulk_create of the same rows, no validation, no matching

The target (issue "money in and out"): ours at least ie-bulk's rows/s and at least half of
bulk's, with peak memory under 150 MB whatever the size.

    .venv/bin/python benchmarks/import_statement.py [--lines 100000] [--leases 10000]
    scripts/with-postgres.sh .venv/bin/python benchmarks/import_statement.py
"""

import argparse
import contextlib
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.env import benchmark_env  # noqa: E402

benchmark_env("import-benchmark")

STATEMENT = Path("/tmp/hgf-benchmark-statement.csv")
WAYS = ("ours", "ie", "ie-bulk", "bulk")


def tax_code(n: int) -> str:
    """A codice fiscale-shaped code, unique per n (the checksum letter is not checked here)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    a, b, c = n % 26, n // 26 % 26, n // 676 % 26
    return f"BNC{letters[a]}{letters[b]}{letters[c]}80A01F{n % 1000:03d}X"


def setup(leases: int, lines: int):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
        connection.close()
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    from benchmarks.monthly_data import build_history
    from tenancies.models import Household, Lease, Member

    build_history(leases=leases, months=2, first_month=date(2026, 9, 1))
    lease_households = list(Lease.objects.values_list("household_id", flat=True))
    Member.objects.bulk_create(
        (
            Member(
                household_id=household_id,
                first_name="Anna",
                last_name=f"Bench{n}",
                codice_fiscale=tax_code(n),
                birth_date=date(1980, 1, 1),
                relation=Member.Relation.REFERENCE,
            )
            for n, household_id in enumerate(lease_households)
        ),
        batch_size=5000,
    )
    assert Household.objects.count() == leases
    rng = random.Random(7)
    day = date(2026, 10, 1)
    with STATEMENT.open("w", encoding="utf-8") as out:
        out.write("Data contabile;Data valuta;Descrizione;Importo;Ordinante;CRO\n")
        for n in range(lines):
            who = rng.randrange(leases)
            quoted = tax_code(who) if n % 10 else "senza codice"
            booked = day + timedelta(days=n % 60)
            out.write(
                f"{booked:%d/%m/%Y};{booked:%d/%m/%Y};Canone CF {quoted};550,00;"
                f"Bench{who} Anna;CRO{n:09d}\n"
            )


def run(way: str) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from common.models import Programme
    from tenancies.bank.statement_files import statement_lines
    from tenancies.models import BankStatement, StatementLine
    from tenancies.services.bank import _line_new, statement_upload

    programme = Programme.objects.get(slug="benchmark")
    user, _ = get_user_model().objects.get_or_create(username="benchmark")
    content = STATEMENT.read_bytes()
    StatementLine.objects.all().delete()
    BankStatement.objects.all().delete()
    before_mb = _rss_mb()
    _peak_reset()  # the peak of the import itself, not of emptying the table before it
    queries = []  # counted, not kept: keeping 100 bulk INSERTs' text would skew peak memory

    def count(execute, sql, params, many, context):
        queries.append(None)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        if way == "ours":
            statement, counts = statement_upload(
                actor=user,
                programme=programme,
                account="Benchmark",
                file_name=STATEMENT.name,
                content=content,
            )
        else:
            statement = BankStatement.objects.create(
                programme=programme,
                account="Benchmark",
                file_name=way,
                file_sha256=way,
                uploaded_by=user,
            )
            if way == "bulk":
                with transaction.atomic():
                    batch = []
                    for parsed in statement_lines(content):
                        batch.append(_line_new(parsed, statement))
                        if len(batch) == 1000:
                            StatementLine.objects.bulk_create(batch)
                            batch = []
                    StatementLine.objects.bulk_create(batch)
            else:
                _import_export(way, content, statement)
            counts = {}
    elapsed = time.perf_counter() - started
    stored = StatementLine.objects.count()
    return {
        "way": way,
        "database": connection.vendor,
        "rows": stored,
        "seconds": round(elapsed, 2),
        "rows_per_s": round(stored / elapsed),
        "queries": len(queries),
        "peak_rss_mb": _peak_mb(),
        "rss_before_mb": before_mb,
        "matched": counts.get("matched"),
    }


def _peak_reset() -> None:
    """Start the process's peak resident memory (VmHWM) again from now (Linux: clear_refs 5)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> int:
    """The peak resident memory since `_peak_reset` (VmHWM), or since the start without it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _rss_mb() -> int:
    """The process's resident memory now (Linux), before the import: Django and the file."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def _import_export(way, content, statement):
    import tablib
    from import_export import resources

    from tenancies.bank.statement_files import statement_lines
    from tenancies.models import StatementLine

    bulk = way == "ie-bulk"

    class LineResource(resources.ModelResource):
        class Meta:
            model = StatementLine
            fields = ("programme", "statement", "row", "identity", "booked_on", "amount")
            import_id_fields = ("identity",)
            use_bulk = bulk
            batch_size = 1000
            skip_diff = bulk
            force_init_instance = bulk

    data = tablib.Dataset(
        headers=["programme", "statement", "row", "identity", "booked_on", "amount"]
    )
    for parsed in statement_lines(content):
        data.append(
            [
                statement.programme_id,
                statement.pk,
                parsed.row,
                parsed.identity,
                parsed.booked_on.isoformat(),
                str(parsed.amount),
            ]
        )
    result = LineResource().import_data(data, dry_run=False, raise_errors=True)
    assert not result.has_errors()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--leases", type=int, default=10_000)
    parser.add_argument("--only", choices=WAYS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(run(args.only)))
        return
    started = time.perf_counter()
    setup(args.leases, args.lines)
    print(
        f"set-up: {args.leases} leases, {args.lines} lines, {time.perf_counter() - started:.0f} s"
    )
    results = {}
    for way in WAYS:
        output = subprocess.run(
            [sys.executable, __file__, "--only", way],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[way] = json.loads(output.strip().splitlines()[-1])
        print(json.dumps(results[way]), flush=True)
    ours, ie_bulk, bulk = results["ours"], results["ie-bulk"], results["bulk"]
    checks = {
        "ours >= ie-bulk rows/s": ours["rows_per_s"] >= ie_bulk["rows_per_s"],
        "ours >= half of bare bulk_create": ours["rows_per_s"] >= bulk["rows_per_s"] / 2,
        "ours peak memory < 150 MB": ours["peak_rss_mb"] < 150,
    }
    print(
        f"\n{'way':<8} {'rows/s':>8} {'seconds':>8} {'peak MB':>8} {'start MB':>8} {'queries':>8}"
    )
    for way in WAYS:
        r = results[way]
        print(
            f"{way:<8} {r['rows_per_s']:>8} {r['seconds']:>8} {r['peak_rss_mb']:>8} "
            f"{r['rss_before_mb']:>8} {r['queries']:>8}"
        )
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    print(json.dumps({"results": results, "checks": checks}))


if __name__ == "__main__":
    main()
