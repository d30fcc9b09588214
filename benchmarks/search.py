"""Benchmark: the header's search box at regional scale.

Builds a throwaway database (SQLite file in /tmp, or the PostgreSQL of DATABASE_URL) with
seed_scale's programme of N households (default 10,000) and a small one of 100, then asks the
search page (in process, through Django's test client, logged in as the operator and as the
fund administrator) for a fragment of a codice fiscale, a surname, a piece of an address and a
landlord's name. Prints each query's queries at 100 and at N households (they must be equal)
and its latency at N households (median and 95th percentile of `--runs` requests), then JSON.

    .venv/bin/python benchmarks/search.py [--households 10000] [--runs 30]
    scripts/with-postgres.sh .venv/bin/python benchmarks/search.py
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.env import benchmark_env, machine, sqlite_reset  # noqa: E402

benchmark_env("search")

SMALL = 100


def probes(built) -> list[tuple[str, str, str]]:
    """(label, role, query) of the searches measured, drawn from the programme `built`."""
    from common.roles import Role
    from housing.models import Dwelling, Landlord
    from tenancies.models import Member

    member = (
        Member.objects.in_programme(built.programme)
        .exclude(codice_fiscale="")
        .order_by("pk")
        .first()
    )
    dwelling = Dwelling.objects.filter(programme=built.programme).order_by("pk").first()
    landlord = Landlord.objects.filter(programme=built.programme).order_by("pk").first()
    street = dwelling.address.split()
    return [
        ("codice fiscale fragment", Role.OPERATOR, member.codice_fiscale[3:11].lower()),
        ("surname", Role.OPERATOR, member.last_name),
        ("first and last name", Role.OPERATOR, f"{member.first_name} {member.last_name}"),
        ("address", Role.OPERATOR, " ".join(street[:2])),
        ("landlord (operator)", Role.OPERATOR, landlord.name),
        ("landlord (fund admin)", Role.FUND_ADMIN, landlord.name),
        ("nothing found", Role.OPERATOR, "zzqxj"),
    ]


def _counter(seen: list):
    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def measure(built, keys, *, runs: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from common.search import search_run

    url = reverse("common:search")
    results = {}
    for label, role, query in probes(built):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[role]
        client.get(url, {"q": query}, secure=True)  # warm the caches
        # Counted by a wrapper: the request_started signal empties connection.queries.
        queries = []
        with connection.execute_wrapper(_counter(queries)):
            response = client.get(url, {"q": query}, secure=True)
        assert response.status_code == 200, (label, response.status_code)
        groups = search_run(programme=built.programme, role=role, query=query)
        # What the page shows: each kind's first rows, "+" where more match.
        found = f"{sum(len(group.rows) for group in groups)}" + (
            "+" if any(group.more for group in groups) else ""
        )
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url, {"q": query}, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[label] = {
            "query": query,
            "queries": len(queries),
            "found": found,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        }
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30, help="requests per search (median, p95)")
    args = parser.parse_args()

    sqlite_reset()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from benchmarks.pages import sessions
    from benchmarks.scale_data import build_scale, planner_statistics_refresh

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed files
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        large = build_scale(households=args.households, years=args.years, seed=1, log=print)
    with transaction.atomic():
        small = build_scale(households=SMALL, years=args.years, seed=2, log=lambda line: None)
    print(f"seeded {args.households} + {SMALL} households in {time.perf_counter() - started:.0f} s")
    planner_statistics_refresh()
    small_results = measure(small, sessions(small), runs=3)
    large_results = measure(large, sessions(large), runs=args.runs)

    print(f"\nsearch on {connection.vendor}, {args.households} households ({args.runs} requests)")
    print(f"{'search':26} {'queries':>13} {'found':>7} {'median ms':>10} {'p95 ms':>8}")
    equal = True
    for label, row in large_results.items():
        few = small_results[label]["queries"]
        equal &= few == row["queries"]
        print(
            f"{label:26} {few:>5} → {row['queries']:<5} {row['found']:>7} "
            f"{row['median_ms']:>10} {row['p95_ms']:>8}"
        )
    print("queries equal at both sizes" if equal else "QUERIES DIFFER between the sizes")
    report = {
        "machine": machine(),
        "database": connection.vendor,
        "households": args.households,
        "small": SMALL,
        "queries_small": {label: row["queries"] for label, row in small_results.items()},
        "large": large_results,
    }
    print(json.dumps(report, indent=2))
    sys.exit(0 if equal else 1)


if __name__ == "__main__":
    main()
