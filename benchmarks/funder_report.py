"""Benchmark: the funder report of a regional programme, built as the task builds it.

Builds a throwaway database (SQLite file in /tmp, or the PostgreSQL of DATABASE_URL) with
seed_scale's programme of N households (default 10,000) and Y years of history (default 3),
and a small one of 100, then builds each programme's funder report over the whole history
(`reporting.services.funder_report_build`, what the task runs) and prints, for each: seconds,
peak Python memory (tracemalloc), PDF pages and size, and queries. The queries must be the
same at 100 and at N households: the script fails otherwise.

    .venv/bin/python benchmarks/funder_report.py [--households 10000] [--years 3]
    scripts/with-postgres.sh .venv/bin/python benchmarks/funder_report.py
"""

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.env import benchmark_env, machine, sqlite_reset  # noqa: E402

benchmark_env("funder-report")

SMALL = 100


def measure(built) -> dict:
    """Request the report of `built` over its whole history, then build it as the worker
    does, measured."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from common.roles import Role
    from reporting.services import funder_report_build, funder_report_request

    admin = built.users[Role.FUND_ADMIN][0]
    today = timezone.localdate()
    report = funder_report_request(
        actor=admin,
        programme=built.programme,
        title="Rapporto ai finanziatori",
        period_start=date(today.year - 3, 1, 1),
        period_end=today,
        introduction="Benchmark.",
    )
    # The request queued the task on commit; the database backend leaves it for a worker,
    # which this is.
    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        report = funder_report_build(report_id=report.pk)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if report.status != report.Status.DONE:
        sys.exit(f"the report was not built: {report.error}")
    return {
        "households": built.households,
        "seconds": round(seconds, 2),
        "peak_memory_mb": round(peak / 1024 / 1024, 1),
        "pages": report.pages,
        "pdf_kb": round(report.pdf.size / 1024),
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args()

    sqlite_reset()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from benchmarks.scale_data import build_scale, planner_statistics_refresh

    # Django records queries only with DEBUG on; CaptureQueriesContext turns it on itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        large = build_scale(households=args.households, years=args.years, seed=1, log=print)
    with transaction.atomic():
        small = build_scale(households=SMALL, years=args.years, seed=2, log=lambda line: None)
    print(f"seeded {args.households} + {SMALL} households in {time.perf_counter() - started:.0f} s")
    planner_statistics_refresh()

    results = [measure(small), measure(large)]
    report = {
        "machine": machine(),
        "database": connection.vendor,
        "years": args.years,
        "reports": results,
        "queries_constant": results[0]["queries"] == results[1]["queries"],
    }
    header = ("households", "seconds", "peak MB", "pages", "KB", "queries")
    print("\n" + " ".join(f"{name:>10}" for name in header))
    for r in results:
        row = ("households", "seconds", "peak_memory_mb", "pages", "pdf_kb", "queries")
        print(" ".join(f"{r[key]!s:>10}" for key in row))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["queries_constant"] else 1


if __name__ == "__main__":
    sys.exit(main())
