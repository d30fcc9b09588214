"""Logging in as after a complete login, second factor included, and the codes an
authenticator app would show: for tests, browser tests and the demo alike."""

import re
import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp

from common.roles import Role

# A fixed secret (hex, 20 bytes) for devices made by tests, so a failing test can be replayed
# with any authenticator.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_device_give(user, *, key: str = TEST_TOTP_KEY):
    """The user's confirmed TOTP device, made with `key` if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", key=key, confirmed=True)
    return device


def totp_code(device) -> str:
    """A code `device` accepts now: the current one, or the next step's when the current one
    was already used (each code works once); waits for the clock when even that is used."""
    device.refresh_from_db()
    while True:
        # django-otp counts time steps with the device's drift included, last_t too.
        now = int((time.time() - device.t0) // device.step) + device.drift
        counter = max(now, device.last_t + 1)
        if counter <= now + device.tolerance:
            code = hotp(device.bin_key, counter, digits=device.digits)
            return str(code).zfill(device.digits)
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)


def login_verified(client, user):
    """`client.force_login(user)`, and for a fund administrator the session verified with a
    device of theirs, as after typing its code: what force_login alone no longer gives them."""
    client.force_login(user)
    if user.memberships.filter(role=Role.FUND_ADMIN).exists():
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device_give(user).persistent_id
        session.save()
    return client


CODE_PAGES = ("/accesso/codice/", "/accesso/autenticatore/")


def browser_log_in(page, username: str, password: str = "pw"):
    """On the login page, log in as a person would: the password, then for a fund
    administrator the code of their authenticator, on the set-up page the first time."""
    from urllib.parse import urlsplit

    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/accesso/")
    if urlsplit(page.url).path not in CODE_PAGES:
        return
    device = TOTPDevice.objects.filter(user__username=username).order_by("pk").first()
    page.get_by_label("Codice").fill(totp_code(device))
    page.get_by_role("button", name=re.compile(r"^(Verifica|Conferma)$")).click()
    page.wait_for_url(lambda url: urlsplit(url).path not in CODE_PAGES)
