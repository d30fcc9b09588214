"""Every privacy URL for every role: the export is the programme's operators'; the access log
and retention pages are the fund administrators'; another programme's user gets 404 on a
household, everyone else 403."""

import pytest
from django.urls import reverse

from common.roles import Role
from common.tests.two_factor import login_verified

# (url name, method, the role it is for, whether it names a household)
PRIVACY_URLS = [
    ("household_export", "post", Role.OPERATOR, True),
    ("privacy", "get", Role.FUND_ADMIN, False),
    ("access_log", "get", Role.FUND_ADMIN, True),
    ("household_pseudonymise", "post", Role.FUND_ADMIN, True),
]
SUCCESS = {"household_export": 200, "privacy": 200, "access_log": 200}


@pytest.mark.parametrize(("name", "method", "owner", "per_household"), PRIVACY_URLS)
def test_every_privacy_url_for_every_role(
    enrolled, client, member, other_programme, name, method, owner, per_household
):
    url = (
        reverse(f"tenancies:{name}", args=[enrolled.pk])
        if per_household
        else reverse(f"tenancies:{name}")
    )
    cases = [(None, None, 302)]
    for role in Role.values:
        user = (
            enrolled.operator if role == Role.OPERATOR else member(role, username=f"{role}-{name}")
        )
        cases.append((role, user, SUCCESS.get(name, 302) if role == owner else 403))
    elsewhere = member(owner, programme=other_programme, username=f"elsewhere-{name}")
    cases.append((owner, elsewhere, 404 if per_household else 200))
    for role, user, want in cases:
        client.logout()
        if user is not None:
            login_verified(client, user)
        response = getattr(client, method)(url)
        assert response.status_code == want, (role, user, url, response.status_code)
