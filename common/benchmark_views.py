"""The yardstick of benchmarks/pages.py: what a page costs with no work of its own.

The same middleware, session, login and page shell as every page, and a table of `rows` rows
that reads nothing from the database: a real page's req/s is compared with these. Routed only
when settings.BENCHMARK is on (config/urls_benchmark.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def bare_page(request, rows: int):
    table = [(n, f"{n:05d}", n * 100) for n in range(1, rows + 1)]
    return render(request, "common/benchmark_bare.html", {"rows": table})
