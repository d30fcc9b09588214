"""Production settings that protect the application itself: the secret key, SQLite under
concurrent writes, the Content-Security-Policy, the client's address behind proxies, and
every setting that differs in production read from the environment."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from common.charts import chart_stylesheet, line_chart
from common.security import client_ip

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Kq9!pZ" * 6,
    "ALLOWED_HOSTS": "fondo.example.org",
}


def run_with_settings(code: str, *, env: dict, unset=()) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with the base settings and this environment, as a
    production process would start (nothing of the test settings leaks in)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", *unset} and not k.startswith("PYTEST")
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = %r
print(json.dumps({name: getattr(settings, name) for name in names}, default=str))
"""


def settings_from(env: dict, *names: str, unset=()) -> dict:
    result = run_with_settings(SHOW_SETTINGS % (names,), env=env, unset=unset)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- 1. The secret key --------------------------------------------------------------------


def test_production_refuses_to_start_without_its_own_secret_key():
    result = run_with_settings(
        "import config.settings.base",
        env={"DEBUG": "false", "ALLOWED_HOSTS": "fondo.example.org"},
        unset={"SECRET_KEY"},
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_the_public_development_key_given_explicitly():
    result = run_with_settings(
        "import config.settings.base",
        env={**PRODUCTION, "SECRET_KEY": "django-insecure-development-only-key-change-me"},
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_its_own_secret_key_and_development_without_one():
    assert settings_from(PRODUCTION, "DEBUG")["DEBUG"] is False
    development = settings_from({"DEBUG": "true"}, "SECRET_KEY", unset={"SECRET_KEY"})
    assert development["SECRET_KEY"].startswith("django-insecure")


# --- 2. SQLite, the README's default database, under concurrent writes --------------------

CONCURRENT_WRITERS = """
import json, threading, time, django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE hits (seen integer)")
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
connection.close()

start = threading.Barrier(10)
errors, seen = [], []

def write():
    # What a request does: read, decide, then write, in one transaction.
    try:
        start.wait()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM hits")
            count = cursor.fetchone()[0]
            time.sleep(0.05)
            cursor.execute("INSERT INTO hits VALUES (%s)", [count])
            seen.append(count)
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()

threads = [threading.Thread(target=write) for _ in range(10)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"errors": errors, "seen": sorted(seen), "journal_mode": journal_mode}))
"""


def test_sqlite_makes_concurrent_writers_wait_instead_of_failing(tmp_path):
    # A file database of its own in a fresh process: the suite's SQLite test database lives
    # in memory, and on PostgreSQL this still checks the SQLite default the README promises.
    result = run_with_settings(
        CONCURRENT_WRITERS,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"},
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []  # no "database is locked"
    # Each writer waited for the one before and saw its row: they ran one after the other.
    assert outcome["seen"] == list(range(10))
    assert outcome["journal_mode"] == "wal"


# --- 7. Content-Security-Policy ----------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def _page_templates():
    roots = [BASE_DIR / "templates"] + [
        BASE_DIR / app / "templates"
        for app in ("common", "housing", "tenancies", "fund", "reporting")
    ]
    for root in roots:
        for path in root.rglob("*.html"):
            # PDFs and e-mails are not pages: the browser's policy does not apply to them.
            if "pdf" in path.parts or path.name.endswith("_email.html"):
                continue
            yield path


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|\sstyle\s*=|<style", re.I
)


def test_no_page_template_has_inline_script_or_style():
    offenders = [
        f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}"
        for path in _page_templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE_CODE.search(line)
    ]
    assert offenders == []


def test_charts_carry_no_inline_style_and_their_stylesheet_is_current():
    html = str(line_chart(title="t", x_labels=["gen", "feb"], series={"Cassa": [1, 2]}))

    assert "<style" not in html
    assert "style=" not in html
    assert "<script" not in html
    stylesheet = (BASE_DIR / "static" / "css" / "charts.css").read_text(encoding="utf-8")
    assert stylesheet == chart_stylesheet(), (
        "static/css/charts.css is stale: regenerate it as common.charts.chart_stylesheet says"
    )


# --- 4. The client's address for the login lockout -----------------------------------------


def _request(remote_addr="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accesso/", **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request("203.0.113.5", forwarded="198.51.100.7")) == "203.0.113.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # What the client wrote stands on the left; our proxy appended the real address.
        (1, "192.0.2.99, 198.51.100.7", "198.51.100.7"),
        (2, "192.0.2.99, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Not through all our proxies, or garbage: only the connection is believed.
        (2, "198.51.100.7", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, None, "10.0.0.1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(
    settings, proxies, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(_request(forwarded=forwarded)) == client


# --- Everything that differs in production comes from the environment ---------------------


def test_production_hardening_comes_from_the_environment():
    values = settings_from(
        {
            **PRODUCTION,
            "TRUSTED_PROXY_COUNT": "1",
            "SESSION_IDLE_TIMEOUT": "600",
            "SESSION_ABSOLUTE_TIMEOUT": "3600",
        },
        "TRUSTED_PROXY_COUNT",
        "AXES_CLIENT_IP_CALLABLE",
        "AXES_LOCKOUT_PARAMETERS",
        "SESSION_IDLE_TIMEOUT",
        "SESSION_ABSOLUTE_TIMEOUT",
        "SESSION_COOKIE_AGE",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    )

    assert values == {
        "TRUSTED_PROXY_COUNT": 1,
        "AXES_CLIENT_IP_CALLABLE": "common.security.client_ip",
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "SESSION_IDLE_TIMEOUT": 600,
        "SESSION_ABSOLUTE_TIMEOUT": 3600,
        "SESSION_COOKIE_AGE": 3600,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_sessions_default_to_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
    assert settings.TRUSTED_PROXY_COUNT == 0
