"""The production configuration, end to end: `scripts/serve.sh` (what `make serve` runs) starts
gunicorn and a task worker on a free port with DEBUG off against this PostgreSQL test database,
and a landlord and a fund administrator (password, then TOTP code) file and review a claim over
HTTP, as a browser behind the TLS-terminating reverse proxy would. Then the set is stopped."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from common.models import AuditEvent
from common.tests.two_factor import totp_code, totp_device_give
from fund.models import Claim
from fund.selectors.guarantees import claimable_dues
from fund.tests.factories import make_fund
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="production runs on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "una-password-di-prova"
STARTUP_SECONDS = 240  # check, migrate and collectstatic first, on a busy CI machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Browser:
    """Just enough of a browser behind the reverse proxy: the proxy says the request came over
    HTTPS (X-Forwarded-Proto), so the production settings answer as in production (secure
    `__Host-` cookies, strict Referer check for CSRF), and cookies are kept by hand because
    they are Secure and this connection is plain HTTP on loopback."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, data: dict | None = None, referer: str = ""):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "it",
            "Referer": self.origin + (referer or path),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, data: dict):
        """GET the form for its CSRF token, then POST it; returns (status, Location)."""
        status, _headers, page = self.get(path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, headers, text = self.request(
            "POST", path, {"csrfmiddlewaretoken": token, **data}, referer=path
        )
        return status, urlsplit(headers.get("Location", "")).path, text

    def log_in(self, username: str):
        return self.post_form(reverse("login"), {"username": username, "password": PASSWORD})


@pytest.fixture
def server(tmp_path):
    """`scripts/serve.sh` on a free port with the production settings; yields the port."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "PYTHON": sys.executable,
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        "SECRET_KEY": "smoke-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://fondo.example.org",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "documents"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "TASK_WORKERS": "1",
    }
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, f"serve.sh ended: {_tail(log)}"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"not listening: {_tail(log)}"
                time.sleep(0.5)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            returncode = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            connection.close()  # the test's own connection; the server's are gone
    assert returncode == 128 + signal.SIGTERM, f"serve.sh exit {returncode}: {_tail(log)}"
    log.close()


def _tail(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-4000:]


def _set_password(user):
    """A hash the production settings accept (the test settings hash with MD5), with few
    iterations: this test is about serving, not hashing."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "smoketestsalt", iterations=1000)
    user.save(update_fields=["password"])


def test_a_landlord_files_a_claim_and_an_administrator_reviews_it_over_http(
    programme, member, server
):
    operator = member("operator", username="operatore")
    admin = member("fund_admin", username="amministratore")
    landlord = member("landlord", username="proprietario")
    fund = funded(make_fund(programme=programme, actor=admin))
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=admin)
    lease.landlord.users.add(landlord)
    for user in (admin, landlord):
        _set_password(user)
    device = totp_device_give(admin)
    due = claimable_dues(lease=lease)[0]

    # The landlord: password only; the session cookie is the production one.
    browser = Browser(server)
    assert browser.log_in("proprietario")[:2] == (302, reverse("home"))
    assert any(
        h.startswith("__Host-sessionid=") and "Secure" in h for h in browser.set_cookie_headers
    ), browser.set_cookie_headers
    status, _headers, page = browser.get(reverse("fund:my_guarantees"))
    assert status == 200 and lease.household.name in page
    # Static files from whitenoise, hashed names from collectstatic's manifest.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    status, headers, _css = browser.get(stylesheet)
    assert status == 200 and "max-age" in headers["Cache-Control"], stylesheet

    claim_form = reverse("fund:my_claim_create", args=[guarantee.pk])
    status, location, _ = browser.post_form(claim_form, {"dues": [due.pk], "note": "Smoke"})
    claim = Claim.objects.get(guarantee=guarantee)
    assert (status, location) == (302, reverse("fund:my_claim", args=[claim.pk]))
    assert claim.submitted_by == landlord and claim.status == Claim.Status.SUBMITTED

    # The fund administrator: password, then the authenticator's code, then the review step.
    browser = Browser(server)
    assert browser.log_in("amministratore")[:2] == (302, reverse("home"))
    status, headers, _page = browser.get(reverse("fund:claim_list"))
    code_page = urlsplit(headers["Location"]).path
    assert (status, code_page) == (302, reverse("two_factor_verify")), "no page before the code"
    status, location, _ = browser.post_form(code_page, {"code": totp_code(device)})
    assert status == 302 and location != code_page
    assert browser.get(reverse("fund:claim_list"))[0] == 200
    review = reverse("common:step", args=["claim", claim.pk, "review"])
    status, location, text = browser.post_form(review, {"note": "Verificata"})
    assert status == 302, text[-2000:]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNDER_REVIEW
    assert AuditEvent.objects.filter(
        actor=admin, target_id=str(claim.pk), to_state=Claim.Status.UNDER_REVIEW
    ).exists()
