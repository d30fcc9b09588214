"""Benchmark: the busiest pages at regional scale, served as in production.

Builds a throwaway database (SQLite file in /tmp, or the PostgreSQL of DATABASE_URL) with
seed_scale's programme of N households (default 10,000) and a small one of 100, counts each
page's queries in both, then starts `scripts/serve.sh` (gunicorn, 2 sync workers, DEBUG off,
BENCHMARK on for the bare yardstick pages) and measures each page with wrk: req/s and p99 at
16 connections, the median of a few short runs. Logged in with a session made here and passed
as a cookie header. Targets: a detail page ≥ 0.6 × the bare one-row page's req/s, a list ≥ 0.8
× the bare 25-row page's, p99 < 100 ms, the same queries at both sizes, and each gunicorn
worker's resident memory (VmRSS) after a page at most 20 MB above what it was after the bare
pages (memory flat across pages). Prints the machine, then every figure with its target and
pass/fail, as a table and as JSON.

    .venv/bin/python benchmarks/pages.py [--households 10000] [--duration 5] [--runs 3]
    scripts/with-postgres.sh .venv/bin/python benchmarks/pages.py
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.env import benchmark_env, machine, sqlite_reset  # noqa: E402

benchmark_env("pages", BENCHMARK="true")

SMALL = 100
DETAIL_TARGET, LIST_TARGET, P99_TARGET_MS = 0.6, 0.8, 100.0
# "Memory of a worker flat across pages": after a page's runs, the larger worker's resident
# memory may exceed what it was after the bare pages by at most this much.
MEMORY_GROWTH_TARGET_MB = 20.0


def prepare(built):
    """What the pages need beyond seed_scale's programme: the landlord login owns the landlord
    of the first claim (so the portal's guarantee and claim pages show one), and a
    reconciliation period of the last month is open. Idempotent."""
    from datetime import timedelta

    from django.utils import timezone

    from common.roles import Role
    from fund.services.fund_bank import reconciliation_period_open

    claim = _first_claim(built)
    built.users[Role.LANDLORD][0].landlords.add(claim.guarantee.lease.landlord)
    if not built.fund.reconciliation_periods.exists():
        today = timezone.localdate()
        reconciliation_period_open(
            actor=built.users[Role.FUND_ADMIN][0],
            fund=built.fund,
            start=today - timedelta(days=30),
            end=today,
        )


def _first_claim(built):
    from fund.models import Claim

    return (
        Claim.objects.filter(guarantee__fund=built.fund)
        .select_related("guarantee__lease")
        .order_by("pk")
        .first()
    )


def pages(built) -> list[tuple]:
    """(label, kind, role, url) of the pages measured, in the programme `built` (after
    `prepare`). The bare yardsticks come first: the workers' memory after them is the baseline
    the other pages' memory is compared with."""
    from django.urls import reverse

    from common.roles import Role
    from fund.models import Guarantee
    from tenancies.models import Household, Lease, Member

    household = Household.objects.filter(programme=built.programme).order_by("pk").first()
    guarantee = Guarantee.objects.filter(fund=built.fund).order_by("pk").first()
    claim = _first_claim(built)
    lease = Lease.objects.filter(pk=claim.guarantee.lease_id).get()
    surname = (
        Member.objects.filter(household__programme=built.programme)
        .order_by("pk")
        .values_list("last_name", flat=True)
        .first()
    )
    statement = built.fund.statements.order_by("pk").first()
    period = built.fund.reconciliation_periods.order_by("pk").first()
    return [
        ("bare, 1 row", "bare", Role.OPERATOR, reverse("benchmark:bare_one")),
        ("bare, 25 rows", "bare", Role.OPERATOR, reverse("benchmark:bare_many")),
        ("household list", "list", Role.OPERATOR, reverse("tenancies:household_list")),
        ("arrears desk", "list", Role.OPERATOR, reverse("tenancies:arrears_dashboard")),
        ("operator inbox", "list", Role.OPERATOR, reverse("tenancies:inbox")),
        ("search", "list", Role.OPERATOR, reverse("common:search") + f"?q={quote(surname)}"),
        (
            "exposure statement",
            "list",
            Role.FUND_ADMIN,
            reverse("fund:statement", args=["guarantees_issued"]) + "?start=2000-01-01",
        ),
        ("ledger", "list", Role.FUND_ADMIN, reverse("fund:ledger")),
        (
            "fund bank statement",
            "list",
            Role.FUND_ADMIN,
            reverse("fund:fund_statement", args=[statement.pk]),
        ),
        (
            "reconciliation period",
            "list",
            Role.FUND_ADMIN,
            reverse("fund:reconciliation", args=[period.pk]),
        ),
        ("landlord portal", "list", Role.LANDLORD, reverse("fund:my_guarantees")),
        ("fund dashboard", "detail", Role.FUND_ADMIN, reverse("fund:dashboard")),
        (
            "household detail",
            "detail",
            Role.OPERATOR,
            reverse("tenancies:household_detail", args=[household.pk]),
        ),
        (
            "lease statement",
            "detail",
            Role.OPERATOR,
            reverse("tenancies:lease_detail", args=[lease.pk]),
        ),
        (
            "guarantee detail",
            "detail",
            Role.FUND_ADMIN,
            reverse("fund:guarantee_detail", args=[guarantee.pk]),
        ),
        (
            "landlord's guarantee",
            "detail",
            Role.LANDLORD,
            reverse("fund:my_guarantee", args=[claim.guarantee_id]),
        ),
        ("landlord's claim", "detail", Role.LANDLORD, reverse("fund:my_claim", args=[claim.pk])),
    ]


def sessions(built) -> dict:
    """A logged-in session key per role (the fund administrator's verified with a TOTP device,
    as after typing its code), stored in the database where every server process finds it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY

    from common.middleware import IDLE_KEY, STARTED_KEY
    from common.middleware import SESSION_KEY as PROGRAMME_KEY
    from common.roles import Role
    from common.tests.two_factor import totp_device_give

    keys = {}
    for role, users in built.users.items():
        user = users[0]
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[PROGRAMME_KEY] = built.programme.pk
        now = timezone.now().timestamp()
        store[STARTED_KEY] = store[IDLE_KEY] = now
        if role == Role.FUND_ADMIN:
            store[DEVICE_ID_SESSION_KEY] = totp_device_give(user).persistent_id
        store.create()
        keys[role] = store.session_key
    return keys


def query_counts(built, keys) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, _kind, role, url in pages(built):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[role]
        # Warm the caches (stored scores and month-ends at the first request). Twice: after a
        # slow first request the idle-timeout middleware saves the session on the next
        # one (BEGIN, UPDATE django_session, COMMIT), which is not the page's work.
        client.get(url, secure=True)
        client.get(url, secure=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        assert response.status_code == 200, (label, url, response.status_code)
        counts[label] = len(queries)
    return counts


def _unit_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, cookie: str, *, duration: int, connections: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "X-Forwarded-Proto: https",
            "-H",
            "Accept-Language: it",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99_ms": _unit_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "",
    }


def serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHON": sys.executable, "PORT": str(port)}
    env.update(HOST="127.0.0.1", WEB_WORKERS="2", TASK_WORKERS="0")
    log = open("/tmp/hgf-pages-serve.log", "w")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 300
    while True:
        if process.poll() is not None:
            sys.exit("serve.sh ended: see /tmp/hgf-pages-serve.log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if time.monotonic() > deadline:
                process.terminate()
                sys.exit("the server did not start: see /tmp/hgf-pages-serve.log")
            time.sleep(0.5)


def check_page(base: str, url: str, cookie: str):
    request = urllib.request.Request(
        base + url, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        sys.exit(f"{url} answers {status}, not 200: nothing to measure")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs per page (median)")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: scripts/install-system-packages.sh benchmark")

    sqlite_reset()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

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
    prepare(large)
    prepare(small)
    large_keys, small_keys = sessions(large), sessions(small)
    queries = {"small": query_counts(small, small_keys), "large": query_counts(large, large_keys)}
    connection.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port)
    results = {}
    baseline_mb = None
    try:
        for label, kind, role, url in pages(large):
            cookie = f"{settings.SESSION_COOKIE_NAME}={large_keys[role]}"
            check_page(base, url, cookie)
            runs = [
                wrk(base + url, cookie, duration=args.duration, connections=args.connections)
                for _ in range(args.runs)
            ]
            results[label] = {
                "kind": kind,
                "url": url,
                "rps": statistics.median(run["rps"] for run in runs),
                "p99_ms": statistics.median(run["p99_ms"] for run in runs),
                "non_2xx": sum(run["bad"] for run in runs),
                "socket_errors": [run["errors"] for run in runs if run["errors"]],
                "queries_small": queries["small"][label],
                "queries_large": queries["large"][label],
                "worker_rss_mb": workers_rss_mb(server.pid),
            }
            if label == "bare, 25 rows":  # the last yardstick: the workers' baseline
                baseline_mb = max(results[label]["worker_rss_mb"])
    finally:
        server.terminate()
        server.wait(timeout=60)

    judge(results, baseline_mb)
    report = {
        "machine": machine(),
        "database": connection.vendor,
        "households": args.households,
        "years": args.years,
        "server": "gunicorn, 2 sync workers, DEBUG off (scripts/serve.sh)",
        "load": f"wrk, {args.connections} connections, {args.runs} × {args.duration} s, median",
        "targets": {
            "detail": f"req/s ≥ {DETAIL_TARGET} × bare 1 row",
            "list": f"req/s ≥ {LIST_TARGET} × bare 25 rows",
            "p99": f"< {P99_TARGET_MS:.0f} ms, when the bare pages meet it",
            "queries": f"the same at {SMALL} and {args.households} households",
            "memory": f"worker RSS ≤ {MEMORY_GROWTH_TARGET_MB:.0f} MB above the bare pages'",
        },
        "pages": results,
    }
    print_table(report, small=SMALL)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if all(result["pass"] for result in results.values()) else 1


def judge(results: dict, baseline_mb: float):
    """Each figure of each page against its target: `checks` maps the figure to its value,
    target and pass/fail; `pass` is all of them (and every response a 2xx)."""
    bare_one = results["bare, 1 row"]["rps"]
    bare_many = results["bare, 25 rows"]["rps"]
    # The p99 target binds a page "when the bare views meet it": on a machine where
    # the page shell alone waits longer than 100 ms in wrk's queue, p99 is printed, not judged.
    bare_p99_met = all(r["p99_ms"] < P99_TARGET_MS for r in results.values() if r["kind"] == "bare")
    for result in results.values():
        checks = {}
        if result["kind"] != "bare":
            yardstick, factor, name = (
                (bare_one, DETAIL_TARGET, "1 row")
                if result["kind"] == "detail"
                else (bare_many, LIST_TARGET, "25 rows")
            )
            result["ratio"] = round(result["rps"] / yardstick, 2)
            checks["ratio"] = {
                "value": result["ratio"],
                "target": f"≥ {factor} × bare {name} ({factor * yardstick:.0f} req/s)",
                "pass": result["ratio"] >= factor,
            }
        checks["p99_ms"] = {
            "value": result["p99_ms"],
            "target": f"< {P99_TARGET_MS:.0f}"
            + ("" if bare_p99_met else " (not judged: the bare pages miss it)"),
            "pass": result["p99_ms"] < P99_TARGET_MS or not bare_p99_met,
        }
        checks["queries"] = {
            "value": [result["queries_small"], result["queries_large"]],
            "target": "equal at both sizes",
            "pass": result["queries_small"] == result["queries_large"],
        }
        growth = round(max(result["worker_rss_mb"]) - baseline_mb, 1)
        result["rss_growth_mb"] = growth
        checks["rss_growth_mb"] = {
            "value": growth,
            "target": f"≤ {MEMORY_GROWTH_TARGET_MB:.0f}",
            "pass": growth <= MEMORY_GROWTH_TARGET_MB,
        }
        result["checks"] = checks
        result["target"] = "; ".join(f"{key} {check['target']}" for key, check in checks.items())
        result["pass"] = all(check["pass"] for check in checks.values()) and not result["non_2xx"]


def workers_rss_mb(server_pid: int) -> list[float]:
    """The resident memory (VmRSS, MB) of each gunicorn worker: the children of the master,
    itself the child of serve.sh (`server_pid`)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    masters = [
        pid
        for pid in children.get(server_pid, [])
        if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    sizes = []
    for master in masters:
        for worker in children.get(master, []):
            status = Path(f"/proc/{worker}/status").read_text()
            sizes.append(round(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024, 1))
    return sorted(sizes)


def print_table(report: dict, *, small: int):
    m = report["machine"]
    print(
        f"\nmachine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {report['database']}, "
        f"{report['households']} households; {report['server']}; {report['load']}"
    )
    print("(wrk runs on the same machine as the server: it takes its share of the cores)")
    print("targets: " + "; ".join(f"{k} {v}" for k, v in report["targets"].items()))
    header = (
        f"{'page':<22} {'kind':<6} {'req/s':>7} {'ratio':>6} {'p99 ms':>7} "
        f"{'q@' + str(small):>6} {'q@' + str(report['households']):>8} {'RSS MB':>7} "
        f"{'+MB':>5}  result"
    )
    print(header)
    print("-" * (len(header) + 30))
    for label, r in report["pages"].items():
        failed = [key for key, check in r["checks"].items() if not check["pass"]]
        if r["non_2xx"]:
            failed.append("non-2xx")
        print(
            f"{label:<22} {r['kind']:<6} {r['rps']:>7.0f} {r.get('ratio', ''):>6} "
            f"{r['p99_ms']:>7.1f} {r['queries_small']:>6} {r['queries_large']:>8} "
            f"{max(r['worker_rss_mb']):>7.1f} {r['rss_growth_mb']:>5.1f}  "
            + ("pass" if r["pass"] else "FAIL: " + ", ".join(failed))
        )
    print()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
