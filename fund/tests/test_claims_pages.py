"""Claims through the pages: the steps offered are the steps allowed (four eyes)."""

import pytest
from django.urls import reverse

from fund.models import Claim
from fund.services.claims import claim_review, claim_submit
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(member):
    return member("fund_admin", username="amm2"), member("fund_admin", username="amm3")


@pytest.fixture
def guarantee(fund, programme, operator, fund_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    return active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)


def _dues(guarantee, n=2):
    return [d.pk for d in guarantee.lease.dues.order_by("month")[:n]]


def step_url(claim, step):
    return reverse("common:step", args=["claim", claim.pk, step])


def test_claim_pages_walk_the_four_eyes(guarantee, operator, fund_admin, admins, client_of):
    lease = guarantee.lease
    form_url = reverse("fund:claim_create", args=[guarantee.pk])
    due = lease.dues.order_by("month").first()
    response = client_of(operator).post(form_url, {"dues": [due.pk], "note": "Per il locatore"})
    assert response.status_code == 302
    claim = Claim.objects.get()
    admin = client_of(fund_admin)
    admin.post(step_url(claim, "review"), {"note": ""})
    # The reviewer is never offered the approval: four eyes are the transition's permission.
    detail = admin.get(claim.get_absolute_url()).text
    assert step_url(claim, "approve") not in detail
    assert step_url(claim, "reject") in detail
    response = admin.post(step_url(claim, "approve"), {"note": ""})
    assert response.status_code == 302  # not offered: back to the claim, nothing changed
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNDER_REVIEW
    second = client_of(admins[0])
    assert step_url(claim, "approve") in second.get(claim.get_absolute_url()).text
    second.post(step_url(claim, "approve"), {"note": ""})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    # The payout goes to the bank in a SEPA file (fund:payouts), never by a step here.
    assert step_url(claim, "pay") not in second.get(claim.get_absolute_url()).text
    page = second.get(reverse("fund:claim_list")).text
    for user in (operator, fund_admin, admins[0]):
        assert (user.get_full_name() or user.username) in page


def test_reject_page_needs_reason_and_shows_it(guarantee, operator, fund_admin, client_of):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    admin = client_of(fund_admin)
    url = step_url(claim, "reject")
    assert admin.post(url, {"note": ""}).status_code == 200
    admin.post(url, {"note": "Contratto non registrato"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert "Contratto non registrato" in admin.get(reverse("fund:claim_list")).text


def test_landlord_claims_own_unpaid_months(guarantee, member, client_of):
    landlord = member("landlord", username="locatore")
    guarantee.lease.landlord.users.add(landlord)
    client = client_of(landlord)
    assert guarantee.lease.household.name in client.get(reverse("fund:my_guarantees")).text
    url = reverse("fund:my_claim_create", args=[guarantee.pk])
    assert client.post(url, {"dues": []}).status_code == 200
    due = guarantee.lease.dues.order_by("month").first()
    assert client.post(url, {"dues": [due.pk]}).status_code == 302
    assert Claim.objects.get().submitted_by == landlord


@pytest.mark.parametrize("url_name", ["fund:claim_list", "fund:guarantee_list"])
def test_queues_keep_their_query_count(
    url_name, fund, programme, operator, fund_admin, client_of, django_assert_max_num_queries
):
    for _ in range(4):  # each within the four-eyes threshold
        funded(fund, amount="50000.00")
    client = client_of(fund_admin)

    def add(n):
        for _ in range(n):
            lease = guaranteed_lease(programme=programme, operator=operator)
            g = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
            claim_submit(actor=operator, guarantee=g, due_ids=_dues(g, 1))

    add(3)
    with django_assert_max_num_queries(12):
        client.get(reverse(url_name))
    add(12)
    with django_assert_max_num_queries(12):
        client.get(reverse(url_name))


@pytest.mark.parametrize("superuser", [False, True])
def test_submitter_and_reviewer_are_never_offered_approve_or_pay(
    guarantee, member, admins, superuser, client_of
):
    from fund.models.claims import claim_may_approve, claim_may_pay

    submitter = member("fund_admin", username="sub", is_superuser=superuser, is_staff=superuser)
    guarantee.lease.landlord.users.add(submitter)
    claim = claim_submit(actor=submitter, guarantee=guarantee, due_ids=_dues(guarantee))
    claim_review(actor=admins[0], claim=claim)
    claim.refresh_from_db()
    for user in (submitter, admins[0]):
        assert not claim_may_approve(claim, user) and not claim_may_pay(claim, user)
        page = client_of(user).get(claim.get_absolute_url()).text
        assert step_url(claim, "approve") not in page
    assert claim_may_approve(claim, admins[1]) and claim_may_pay(claim, admins[1])
