"""What every benchmark sets before Django starts, and what each prints about the machine.

A script run as `python benchmarks/x.py` first puts the project on the path (two lines of its
own), then calls `benchmark_env(name)`: a throwaway SQLite file under /tmp unless DATABASE_URL
names one (scripts/with-postgres.sh sets it), production settings with DEBUG off, no mail sent
(the monthly run and the funder report notify people), its own media and static folders.
"""

import os
import platform
import re
from pathlib import Path


def benchmark_env(name: str, **extra: str) -> None:
    """The environment of benchmark `name` (hgf-<name> files under /tmp); `extra` on top."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:////tmp/hgf-{name}.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ.update(
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SITE_URL="https://fondo.example.org",
        STATIC_ROOT=f"/tmp/hgf-{name}-static",
        MEDIA_ROOT=f"/tmp/hgf-{name}-documents",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        **extra,
    )
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 40)


def sqlite_reset() -> None:
    """Delete the benchmark's SQLite file (and its journal) if it is a throwaway one in /tmp:
    every run starts from an empty database."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:////tmp/"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)


def machine() -> dict:
    """The machine the figures were measured on."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }
