"""Login, role-aware home pages, programme isolation, lockout and language."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from common.models import AuditEvent
from common.roles import ROLE_HOME_URL, Role
from common.services import membership_grant
from common.tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("role", Role.values)
def test_each_role_lands_on_its_own_page(role, member, client_of):
    user = member(role)
    client = client_of(user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse(ROLE_HOME_URL[role])
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["current_role"] == role


def test_login_page_logs_in_and_redirects_home(client, operator):
    response = client.post(reverse("login"), {"username": "operatore", "password": "pw"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("common:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_programme_is_told_so(client_of):
    response = client_of(UserFactory()).get(reverse("home"))
    assert response.status_code == 403
    assert "programma" in response.content.decode()


def test_a_programme_sees_nothing_of_another(programme, other_programme, member, client_of):
    ours = member(Role.OPERATOR, programme=programme)
    membership_grant(
        actor=ours, programme=programme, user=UserFactory(username="nostro"), role=Role.CARETAKER
    )
    theirs = member(Role.OPERATOR, programme=other_programme)
    membership_grant(
        actor=theirs,
        programme=other_programme,
        user=UserFactory(username="segreto"),
        role=Role.CARETAKER,
    )

    response = client_of(ours).get(reverse("common:dashboard"))

    events = list(response.context["events"])
    assert events, "our programme's own events are listed"
    assert all(event.programme == programme for event in events)
    html = response.content.decode()
    assert "nostro" in html
    assert "segreto" not in html


def test_switching_to_a_programme_one_is_not_member_of_is_refused(
    programme, other_programme, member, client_of
):
    client = client_of(member(Role.OPERATOR, programme=programme))

    response = client.post(
        reverse("common:programme_switch"), {"programme": other_programme.pk}, follow=True
    )

    assert response.context["current_membership"].programme == programme
    assert "Non fai parte di quel programma" in response.content.decode()


def test_switching_programme_changes_role_and_data(programme, other_programme, member, client_of):
    user = member(Role.OPERATOR, programme=programme)
    membership_grant(actor=None, programme=other_programme, user=user, role=Role.MONITOR)
    client = client_of(user)

    client.post(reverse("common:programme_switch"), {"programme": other_programme.pk})
    response = client.get(reverse("common:dashboard"), follow=True)

    # A monitor's overview is the programme's indicators (reporting), where the dashboard sends.
    assert response.redirect_chain[-1][0] == reverse("reporting:monitor")
    assert response.context["current_membership"].programme == other_programme
    assert response.context["current_role"] == Role.MONITOR
    assert "events" not in response.context  # monitors see aggregates only


def test_repeated_failed_logins_lock_the_account(client, operator):
    for _ in range(5):
        client.post(reverse("login"), {"username": "operatore", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "operatore", "password": "pw"})

    assert response.status_code == 429
    assert "bloccato" in response.content.decode()


def test_italian_first_english_on_request(client, operator):
    client.force_login(operator)
    italian = client.get(reverse("common:dashboard")).content.decode()
    assert "Attività recenti" in italian

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("common:dashboard")).content.decode()
    assert "Recent activity" in english


def test_audit_log_cannot_be_edited_in_the_admin(admin_client, programme):
    membership_grant(actor=None, programme=programme, user=UserFactory(), role=Role.OPERATOR)
    event = AuditEvent.objects.get()
    assert admin_client.get(reverse("admin:common_auditevent_changelist")).status_code == 200
    response = admin_client.post(
        reverse("admin:common_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Kq9!pZ" * 6,
        "ALLOWED_HOSTS": "fondo.example.org",
        "SITE_URL": "https://fondo.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
