"""Calendar-feed addresses: an operator stops one alone, and a password change (or reset)
stops them all, so an address copied before it does not outlive it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from common.tests.factories import MembershipFactory, UserFactory
from tenancies.models import CalendarToken
from tenancies.services.eviction import calendar_token_issue

pytestmark = pytest.mark.django_db
NEW_PASSWORD = {"new_password1": "Cortile-Gelso-47", "new_password2": "Cortile-Gelso-47"}


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/password/nuova/\S+/)", message.body).group(1)


def _feed_status(client, token):
    return client.get(reverse("tenancies:eviction_feed", args=[token])).status_code


def test_a_password_change_stops_every_calendar_address(
    client_of, programme, other_programme, operator
):
    MembershipFactory(user=operator, programme=other_programme, role="operator")
    here = calendar_token_issue(user=operator, programme=programme)
    there = calendar_token_issue(user=operator, programme=other_programme)
    colleague = UserFactory()
    MembershipFactory(user=colleague, programme=programme, role="operator")
    theirs = calendar_token_issue(user=colleague, programme=programme)
    client = client_of(operator)
    assert _feed_status(client, here) == 200

    client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "Cortile-Gelso-47",
            "new_password2": "Cortile-Gelso-47",
        },
    )

    assert _feed_status(client, here) == 404
    assert _feed_status(client, there) == 404
    assert _feed_status(client, theirs) == 200  # another user's address is not touched
    assert not CalendarToken.objects.filter(user=operator).exists()


def test_a_password_reset_stops_the_calendar_addresses_too(client, programme, operator):
    token = calendar_token_issue(user=operator, programme=programme)
    client.post(reverse("password_reset"), {"email": operator.email})
    form_url = client.get(_reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    client.post(form_url, NEW_PASSWORD)

    assert _feed_status(client, token) == 404


def test_an_operator_stops_their_calendar_address_alone(
    client_of, programme, other_programme, operator
):
    MembershipFactory(user=operator, programme=other_programme, role="operator")
    here = calendar_token_issue(user=operator, programme=programme)
    there = calendar_token_issue(user=operator, programme=other_programme)
    client = client_of(operator)
    page = client.get(reverse("tenancies:eviction_calendar")).content.decode()
    assert "Disattiva il mio indirizzo di calendario" in page

    response = client.post(
        reverse("tenancies:eviction_calendar"), {"action": "revoke"}, follow=True
    )

    assert "Il tuo indirizzo di calendario non funziona più" in response.content.decode()
    assert _feed_status(client, here) == 404
    assert _feed_status(client, there) == 200  # the other programme's address is its own
    assert "Disattiva il mio indirizzo di calendario" not in response.content.decode()
