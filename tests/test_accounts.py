"""Accounts: session timeouts, the login lockout per client, password reset by e-mail,
and Italian password rules."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import get_default_password_validators
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from common.middleware import IDLE_KEY, STARTED_KEY

pytestmark = pytest.mark.django_db
NEW_PASSWORD = {"new_password1": "Cortile-Gelso-47", "new_password2": "Cortile-Gelso-47"}


# --- 3. Sessions end when idle, and in any case after a working day ------------------------


def _age_session(client, *, idle: int = 0, since_login: int = 0):
    now = int(time.time())
    session = client.session
    session[IDLE_KEY] = now - idle
    session[STARTED_KEY] = now - since_login
    session.save()


def test_an_active_session_stays_logged_in(client_of, operator):
    client = client_of(operator)
    _age_session(client, idle=settings.SESSION_IDLE_TIMEOUT - 60, since_login=3600)

    response = client.get(reverse("common:dashboard"))

    assert response.status_code == 200


def test_an_idle_session_is_logged_out(client_of, operator):
    client = client_of(operator)
    _age_session(client, idle=settings.SESSION_IDLE_TIMEOUT + 60, since_login=3600)

    response = client.get(reverse("common:dashboard"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert not response.context["user"].is_authenticated
    assert "La sessione è scaduta" in response.content.decode()


def test_a_session_ends_after_its_absolute_lifetime_however_active(client_of, operator):
    client = client_of(operator)
    _age_session(client, idle=0, since_login=settings.SESSION_ABSOLUTE_TIMEOUT + 60)

    response = client.get(reverse("common:dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logging_in_starts_the_session_clock(client, operator):
    client.post(reverse("login"), {"username": "operatore", "password": "pw"})

    session = client.session
    assert abs(session[STARTED_KEY] - time.time()) < 60
    assert abs(session[IDLE_KEY] - time.time()) < 60


# --- 4. The lockout is per user and client address, never per proxy ------------------------


def _fail(client, username, **meta):
    return client.post(reverse("login"), {"username": username, "password": "wrong"}, **meta)


def _log_in(client, username, **meta):
    return client.post(reverse("login"), {"username": username, "password": "pw"}, **meta)


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(client, fund_admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "amministratore", REMOTE_ADDR="203.0.113.5")

    assert _log_in(client, "amministratore", REMOTE_ADDR="203.0.113.5").status_code == 429
    assert _log_in(client, "amministratore", REMOTE_ADDR="198.51.100.7").status_code == 302


def test_behind_a_trusted_proxy_an_attacker_locks_only_their_own_address(
    settings, client, fund_admin
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request arrives from the reverse proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # Pretending in the header to be the administrator's address changes nothing.
        _fail(client, "amministratore", **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")

    attacker = _log_in(client, "amministratore", **proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    administrator = _log_in(client, "amministratore", **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert attacker.status_code == 429
    assert administrator.status_code == 302


def test_without_a_trusted_proxy_a_forged_header_does_not_dodge_the_lockout(client, fund_admin):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(
            client,
            "amministratore",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )

    response = _log_in(
        client, "amministratore", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.200"
    )

    assert response.status_code == 429


# --- 5. Password reset by e-mail, in Italian ----------------------------------------------


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/password/nuova/\S+/)", message.body).group(1)


def test_the_login_page_links_to_password_reset(client):
    page = client.get(reverse("login")).content.decode()

    assert reverse("password_reset") in page
    assert "Password dimenticata?" in page


def test_password_reset_by_email_from_request_to_login(client, operator):
    response = client.post(reverse("password_reset"), {"email": operator.email})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert "Controlla la tua posta" in client.get(response.url).content.decode()

    [message] = mail.outbox
    assert message.to == [operator.email]
    assert message.subject == "Fondo di garanzia: scegli una nuova password"
    assert "Ciao" in message.body
    assert "scegliere una nuova password" in message.body

    # Django moves the token out of the address before showing the form.
    form_page = client.get(_reset_link(message), follow=True)
    assert "Scegli una nuova password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Cortile-Gelso-47", "new_password2": "Cortile-Gelso-47"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")

    assert _log_in(client, "operatore").status_code == 200  # the old password no longer works
    new = client.post(reverse("login"), {"username": "operatore", "password": "Cortile-Gelso-47"})
    assert new.status_code == 302
    assert new.url == reverse("home")


def test_a_reset_link_works_once(client, operator):
    client.post(reverse("password_reset"), {"email": operator.email})
    link = _reset_link(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, NEW_PASSWORD)

    again = client.get(link, follow=True)

    assert "Questo link non funziona più" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, operator):
    response = client.post(reverse("password_reset"), {"email": "nessuno@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


# --- 6. Every password rule speaks Italian -------------------------------------------------

WEAK_PASSWORDS = ["operatore", "abc", "password", "84736251", "x"]


def _messages(password, user, language):
    found = {}
    with translation.override(language):
        for validator in get_default_password_validators():
            try:
                validator.validate(password, user)
            except ValidationError as error:
                found[type(validator).__name__] = error.messages
    return found


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_every_password_rule_has_its_message_in_italian(password, operator):
    italian = _messages(password, operator, "it")
    english = _messages(password, operator, "en")

    assert italian.keys() == english.keys()
    assert italian, "each of these passwords breaks at least one rule"
    for name, messages in italian.items():
        assert messages != english[name], f"{name} answers in English: {messages}"


def test_every_password_rule_help_text_is_in_italian(operator):
    with translation.override("it"):
        italian = [v.get_help_text() for v in get_default_password_validators()]
    with translation.override("en"):
        english = [v.get_help_text() for v in get_default_password_validators()]

    assert all(i != e for i, e in zip(italian, english, strict=True))


def test_the_password_change_page_explains_a_short_password_in_italian(client_of, operator):
    response = client_of(operator).post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "Ab1!", "new_password2": "Ab1!"},
    )

    html = response.content.decode()
    assert "Questa password è troppo corta. Deve contenere almeno 8 caratteri." in html
    assert "too short" not in html
