"""Fund administrators confirm every login with a TOTP code (django-otp); other roles do not."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.models import AuditEvent
from common.roles import Role
from common.tests.two_factor import login_verified, totp_code, totp_device_give

pytestmark = pytest.mark.django_db

FUND_PAGE = reverse("fund:dashboard")


def _log_in(client, username, next_url=FUND_PAGE):
    return client.post(
        f"{reverse('login')}?next={next_url}",
        {"username": username, "password": "pw", "next": next_url},
        follow=True,
    )


def _wrong(code: str) -> str:
    return str((int(code) + 1) % 1_000_000).zfill(6)


def test_a_fund_admin_without_a_device_is_sent_to_set_one_up(client, fund_admin):
    response = _log_in(client, "amministratore")

    assert response.redirect_chain[-1][0] == f"{reverse('two_factor_setup')}?next={FUND_PAGE}"
    page = response.content.decode()
    assert "Attiva l'autenticazione a due fattori" in page
    assert "<svg" in page  # the QR code of the otpauth URI
    device = TOTPDevice.objects.get(user=fund_admin, confirmed=False)
    assert response.context["secret"].replace(" ", "") in device.config_url
    # Not a page of the fund until the device is confirmed.
    assert client.get(FUND_PAGE).status_code == 302


def test_setting_up_with_the_right_code_confirms_the_device_and_opens_the_fund(client, fund_admin):
    _log_in(client, "amministratore")
    device = TOTPDevice.objects.get(user=fund_admin)

    response = client.post(
        reverse("two_factor_setup"), {"code": totp_code(device), "next": FUND_PAGE}, follow=True
    )

    assert response.redirect_chain[-1][0] == FUND_PAGE
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(verb="two_factor_enabled", actor=fund_admin).count() == 1


def test_setting_up_with_a_wrong_code_is_refused(client, fund_admin):
    _log_in(client, "amministratore")
    device = TOTPDevice.objects.get(user=fund_admin)

    response = client.post(reverse("two_factor_setup"), {"code": _wrong(totp_code(device))})

    assert response.status_code == 200
    assert "Codice errato" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(FUND_PAGE).status_code == 302


def test_with_a_device_login_asks_for_the_code_before_any_fund_page(client, fund_admin):
    totp_device_give(fund_admin)

    response = _log_in(client, "amministratore")

    assert response.redirect_chain[-1][0] == f"{reverse('two_factor_verify')}?next={FUND_PAGE}"
    assert "Codice di autenticazione" in response.content.decode()
    for url in (FUND_PAGE, reverse("home"), reverse("common:dashboard"), reverse("fund:ledger")):
        assert client.get(url).url.startswith(reverse("two_factor_verify")), url


def test_the_right_code_passes(client, fund_admin):
    device = totp_device_give(fund_admin)
    _log_in(client, "amministratore")

    response = client.post(
        reverse("two_factor_verify"), {"code": totp_code(device), "next": FUND_PAGE}, follow=True
    )

    assert response.redirect_chain[-1][0] == FUND_PAGE
    assert response.status_code == 200
    assert client.get(reverse("common:dashboard")).status_code == 200


def test_a_wrong_code_is_refused(client, fund_admin):
    device = totp_device_give(fund_admin)
    _log_in(client, "amministratore")

    response = client.post(reverse("two_factor_verify"), {"code": _wrong(totp_code(device))})

    assert response.status_code == 200
    assert "Codice errato" in response.content.decode()
    assert client.get(FUND_PAGE).status_code == 302


def test_a_code_works_once(client, fund_admin):
    device = totp_device_give(fund_admin)
    code = totp_code(device)
    _log_in(client, "amministratore")
    client.post(reverse("two_factor_verify"), {"code": code})
    client.post(reverse("logout"))
    _log_in(client, "amministratore")

    response = client.post(reverse("two_factor_verify"), {"code": code})

    assert response.status_code == 200
    assert client.get(FUND_PAGE).status_code == 302


def test_an_unverified_session_cannot_set_up_a_second_device(client, fund_admin):
    totp_device_give(fund_admin)
    client.force_login(fund_admin)

    response = client.get(reverse("two_factor_setup"))

    assert response.url.startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=fund_admin).count() == 1


def test_a_fund_admin_force_logged_in_without_the_code_gets_no_fund_page(client, fund_admin):
    client.force_login(fund_admin)

    response = client.get(FUND_PAGE)

    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_setup')}?next={FUND_PAGE}"


def test_login_verified_opens_the_fund_pages(client, fund_admin):
    login_verified(client, fund_admin)

    assert client.get(FUND_PAGE).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.OPERATOR, Role.CARETAKER, Role.MONITOR, Role.LANDLORD], ids=str
)
def test_other_roles_log_in_with_their_password_alone(client, member, role):
    member(role, username="collega")

    response = client.post(reverse("login"), {"username": "collega", "password": "pw"}, follow=True)

    assert response.status_code == 200
    assert all("accesso/" not in url for url, _status in response.redirect_chain[1:])
    assert not TOTPDevice.objects.exists()


def test_a_fund_admin_in_any_programme_needs_the_code_in_every_programme(
    client, member, other_programme
):
    from common.tests.factories import MembershipFactory

    user = member("operator", username="doppio")
    MembershipFactory(user=user, programme=other_programme, role=Role.FUND_ADMIN)
    client.force_login(user)

    response = client.get(reverse("tenancies:caseload"))

    assert response.url.startswith(reverse("two_factor_setup"))
