"""Benchmark: the monthly run over many active leases (default 100,000).

Builds a throwaway database (SQLite file in /tmp, or the PostgreSQL of DATABASE_URL), with
10 months of history per lease (dues, payments, allocations; about 5% of leases behind), then
times `run_monthly` for the next month and reports wall time, queries and peak memory.

    .venv/bin/python benchmarks/run_monthly.py [--leases 100000]
    scripts/with-postgres.sh .venv/bin/python benchmarks/run_monthly.py
"""

import argparse
import json
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.env import benchmark_env, machine, sqlite_reset  # noqa: E402

benchmark_env("benchmark")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--leases", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=10, help="months of history per lease")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (the median is kept)")
    args = parser.parse_args()

    sqlite_reset()

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

    from django.db import transaction

    from tenancies.services import monthly
    from tenancies.services.monthly import run_monthly

    month, today = date(2026, 11, 1), date(2026, 11, 10)

    def timed(work):
        """Seconds `work` takes, its result and queries, in a transaction rolled back after."""
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds, result, len(queries)

    # A first run, untimed, warms what a long-running process has warm (URL resolvers,
    # templates) and measures the run's Python memory.
    tracemalloc.start()
    _seconds, result, _queries = timed(lambda: run_monthly(month=month, today=today))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    bare, runs = [], []
    for _ in range(args.runs):
        reset_queries()
        bare.append(timed(lambda: monthly._create_dues(month=month, report=lambda *a: None)))
        runs.append(timed(lambda: run_monthly(month=month, today=today)))

    elapsed = statistics.median(seconds for seconds, _r, _q in runs)
    ceiling = statistics.median(seconds for seconds, _r, _q in bare)
    ratio = elapsed / ceiling
    report = {
        "machine": machine(),
        "database": connection.vendor,
        "active_leases": args.leases,
        "months_of_history": args.months,
        "setup_s": round(setup, 1),
        "run_monthly_s": round(elapsed, 2),
        "run_monthly_queries": runs[0][2],
        "bare_insert_select_s": round(ceiling, 2),
        "ratio": round(ratio, 2),
        "dues_created": result.dues_created,
        "cases_opened": result.cases_opened,
        "python_peak_mb": round(peak / 1e6, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3),
        "runs": args.runs,
        "target": "< 20 s and ≤ 3 × the bare INSERT … SELECT",
        "pass": elapsed < 20 and ratio <= 3,
    }
    m = report["machine"]
    print(f"\nmachine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {connection.vendor}")
    print(f"active leases       {args.leases}, {args.months} months of history each")
    print(f"history set-up      {setup:.1f} s")
    print(f"run_monthly         {elapsed:.2f} s (median of {args.runs}), {runs[0][2]} queries")
    print(f"  dues created      {result.dues_created}, cases opened {result.cases_opened}")
    print(f"bare INSERT…SELECT  {ceiling:.2f} s, {bare[0][1]} rows")
    print(f"ratio               {ratio:.2f}")
    print(f"python peak memory  {peak / 1e6:.1f} MB (tracemalloc, during the run)")
    print(f"process max RSS     {report['max_rss_mb']} MB")
    print(f"result              {'pass' if report['pass'] else 'FAIL'}: {report['target']}")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
