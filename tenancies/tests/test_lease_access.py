"""Every lease and arrears URL for every role: operators of the programme only; another
programme's operator gets 404 on its objects."""

from datetime import date

import pytest
from django.urls import reverse

from common.roles import Role
from common.tests.two_factor import login_verified
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for

# (url name, which object its pk comes from or None, method)
LEASE_URLS = [
    ("lease_list", None, "get"),
    ("lease_new", None, "get"),
    ("arrears_dashboard", None, "get"),
    ("lease_detail", "lease", "get"),
    ("payment_new", "lease", "get"),
    ("lease_step", "lease", "get"),
    ("lease_edit", "draft", "get"),
    ("draft_step", "draft", "get"),
    ("arrears_case", "case", "get"),
    ("case_step", "case", "get"),
]

# The generic step view (common:step) for each workflow: (workflow, step).
STEPS = {
    "lease_step": ("lease", "end"),
    "draft_step": ("lease", "withdraw"),
    "case_step": ("arrears_case", "contact"),
}


@pytest.fixture
def world(programme, operator):
    lease = LeaseFactory(
        household__programme=programme, household__operator=operator, start_date=date(2026, 1, 1)
    )
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    lease_activate(actor=operator, lease=lease, today=date(2026, 3, 1))
    run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 1))
    draft = LeaseFactory(household__programme=programme, household__operator=operator)
    return {"lease": lease, "case": lease.arrears_cases.get(), "draft": draft}


def url_for(name, source, world):
    if source is None:
        return reverse(f"tenancies:{name}")
    if name in STEPS:
        workflow, step = STEPS[name]
        return reverse("common:step", args=[workflow, world[source].pk, step])
    return reverse(f"tenancies:{name}", args=[world[source].pk])


@pytest.mark.parametrize(("name", "source", "method"), LEASE_URLS)
def test_every_lease_url_for_every_role(
    world, client, member, other_programme, operator, name, source, method
):
    url = url_for(name, source, world)
    cases = [(None, None, 302)]
    for role in Role.values:
        user = operator if role == Role.OPERATOR else member(role, username=f"{role}-{name}")
        want = (302 if method == "post" else 200) if role == Role.OPERATOR else 403
        cases.append((role, user, want))
    elsewhere = member("operator", programme=other_programme, username=f"elsewhere-{name}")
    cases.append(("elsewhere", elsewhere, 404 if source else 200))
    for role, user, want in cases:
        client.logout()
        if user is not None:
            login_verified(client, user)
        response = getattr(client, method)(url)
        assert response.status_code == want, (role, url, response.status_code)


def test_lease_list_queries_do_not_grow_with_rows(
    programme, operator, client, django_assert_max_num_queries
):
    login_verified(client, operator)
    LeaseFactory.create_batch(10, household__programme=programme)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("tenancies:lease_list"))
    LeaseFactory.create_batch(190, household__programme=programme)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("tenancies:lease_list"))
