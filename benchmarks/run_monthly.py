"""Benchmark: the monthly run over many active leases (default 100,000).

Builds a throwaway database (SQLite file in /tmp, or the PostgreSQL of DATABASE_URL), with
10 months of history per lease (dues, payments, allocations; about 5% of leases behind), then
times `run_monthly` for the next month and reports wall time, queries and peak memory.

    .venv/bin/python benchmarks/run_monthly.py [--leases 100000]
    scripts/with-postgres.sh .venv/bin/python benchmarks/run_monthly.py
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/hgf-benchmark.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--leases", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=10, help="months of history per lease")
    args = parser.parse_args()

    if os.environ["DATABASE_URL"].startswith("sqlite:////tmp/"):
        Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)

    from benchmarks.monthly_data import build_history

    started = time.perf_counter()
    build_history(
        leases=args.leases, months=args.months, first_month=date(2026, 11 - args.months, 1)
    )
    setup = time.perf_counter() - started

    from tenancies.services.monthly import run_monthly

    reset_queries()
    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = run_monthly(month=date(2026, 11, 1), today=date(2026, 11, 10))
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started = time.perf_counter()
    again = run_monthly(month=date(2026, 11, 1), today=date(2026, 11, 10))
    rerun = time.perf_counter() - started

    print(f"database            {connection.vendor}")
    print(f"active leases       {args.leases}, {args.months} months of history each")
    print(f"history set-up      {setup:.1f} s")
    print(f"run_monthly         {elapsed:.2f} s, {len(queries)} queries")
    print(f"  dues created      {result.dues_created}")
    print(f"  cases opened      {result.cases_opened}")
    print(f"  cases cured       {result.cases_cured}, plans broken {result.plans_broken}")
    print(f"python peak memory  {peak / 1e6:.1f} MB (tracemalloc, during the run)")
    print(f"process max RSS     {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")
    print(
        f"second run          {rerun:.2f} s, {again.dues_created} dues, {again.cases_opened} cases"
    )


if __name__ == "__main__":
    main()
