"""Guarantee and claim pages: every URL for every role; other landlords' leases are 404."""

import pytest
from django.urls import reverse

from common.roles import Role
from fund.services.claims import claim_submit
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(fund, programme, operator, fund_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    due = lease.dues.order_by("month").first()
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=[due.pk])
    return guarantee, claim


def urls(guarantee, claim):
    return {
        "guarantee_list": reverse("fund:guarantee_list"),
        "guarantee_detail": reverse("fund:guarantee_detail", args=[guarantee.pk]),
        "guarantee_step": reverse("common:step", args=["guarantee", guarantee.pk, "expire"]),
        "guarantee_request_list": reverse("fund:guarantee_request_list"),
        "claim_create": reverse("fund:claim_create", args=[guarantee.pk]),
        "claim_list": reverse("fund:claim_list"),
        "claim_detail": reverse("fund:claim_detail", args=[claim.pk]),
        "claim_step": reverse("common:step", args=["claim", claim.pk, "review"]),
        "my_guarantees": reverse("fund:my_guarantees"),
        "my_claim_create": reverse("fund:my_claim_create", args=[guarantee.pk]),
        "certificate": reverse("fund:certificate", args=[guarantee.pk]),
        "certificate_reissue": reverse("fund:certificate_reissue", args=[guarantee.pk]),
    }


STAFF = {Role.FUND_ADMIN, Role.OPERATOR}
# page: roles that get 200; every other role gets 403.
ACCESS = {
    "guarantee_list": STAFF,
    "guarantee_detail": STAFF,
    "guarantee_step": {Role.FUND_ADMIN},
    "guarantee_request_list": {Role.OPERATOR},
    "claim_create": {Role.OPERATOR},
    "claim_list": STAFF,
    "claim_detail": STAFF,
    "claim_step": {Role.FUND_ADMIN},
    "my_guarantees": {Role.LANDLORD},
    "my_claim_create": {Role.LANDLORD},
    "certificate": {Role.FUND_ADMIN, Role.OPERATOR, Role.LANDLORD},
    "certificate_reissue": {Role.FUND_ADMIN},
}
# page: roles that reach the object but not this step, sent back to the object's page (the
# landlord and operators answer a request for documents through the claim's steps).
SENT_BACK = {"claim_step": {Role.OPERATOR, Role.LANDLORD}}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("page", list(ACCESS))
def test_every_page_for_every_role(role, page, member, client_of, world):
    guarantee, claim = world
    user = member(role)
    if role == Role.LANDLORD:
        guarantee.lease.landlord.users.add(user)
    response = client_of(user).get(urls(guarantee, claim)[page])
    if role in SENT_BACK.get(page, ()):
        assert response.status_code == 302
        return
    assert response.status_code == (200 if role in ACCESS[page] else 403)


@pytest.mark.parametrize("page", list(ACCESS))
def test_anonymous_is_sent_to_login(page, client, world):
    response = client.get(urls(*world)[page])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_another_landlords_lease_is_404(member, client_of, world):
    guarantee, _claim = world
    stranger = member(Role.LANDLORD, username="altro")
    client = client_of(stranger)
    assert client.get(reverse("fund:my_claim_create", args=[guarantee.pk])).status_code == 404
    assert client.get(reverse("fund:certificate", args=[guarantee.pk])).status_code == 404
    assert guarantee.lease.household.name not in client.get(reverse("fund:my_guarantees")).text


def test_another_programmes_guarantee_and_claim_are_404(other_programme, member, client_of, world):
    guarantee, claim = world
    admin = member(Role.FUND_ADMIN, programme=other_programme, username="altrofondo")
    from fund.tests.factories import make_fund

    make_fund(programme=other_programme, name="Altro")
    client = client_of(admin)
    assert client.get(reverse("fund:guarantee_detail", args=[guarantee.pk])).status_code == 404
    assert client.get(reverse("fund:claim_detail", args=[claim.pk])).status_code == 404
    assert client.get(reverse("fund:certificate", args=[guarantee.pk])).status_code == 404
    assert client.get(reverse("fund:certificate_reissue", args=[guarantee.pk])).status_code == 404


def test_request_is_post_only_and_for_operators(client_of, fund_admin, operator, world, fund):
    lease = guaranteed_lease(programme=fund.programme, operator=operator)
    url = reverse("fund:guarantee_request", args=[lease.pk])
    assert client_of(operator).get(url).status_code == 405
    assert client_of(fund_admin).post(url).status_code == 403
    response = client_of(operator).post(url)
    assert response.status_code == 302
    assert lease.guarantees.count() == 1


def test_the_certificate_check_is_public(client, world):
    """/verifica/ is for anyone holding a code: no login, for any code."""
    guarantee, _claim = world
    code = guarantee.certificates.get().code_grouped
    assert client.get(reverse("verify:form")).status_code == 200
    assert client.get(reverse("verify:certificate", args=[code])).status_code == 200
