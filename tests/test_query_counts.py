"""Every list, desk and statement reads the same number of queries whatever the programme's
size: built at 6 and at 30 households with seed_scale's builder, each page costs the same.
(Counting queries, not timing them: the count is what grows when a loop reads per row.)"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.scale_data import build_scale
from common.roles import Role
from common.tests.two_factor import login_verified

# (role that reads the page, url name, args, query string)
PAGES = [
    (Role.OPERATOR, "common:dashboard", [], ""),
    (Role.OPERATOR, "tenancies:caseload", [], ""),
    (Role.OPERATOR, "tenancies:household_list", [], ""),
    (Role.OPERATOR, "tenancies:household_list", [], "?status=enrolled&page=2"),
    (Role.OPERATOR, "tenancies:waiting_list", [], ""),
    (Role.OPERATOR, "tenancies:lease_list", [], ""),
    (Role.OPERATOR, "tenancies:arrears_dashboard", [], ""),
    (Role.OPERATOR, "tenancies:eviction_dashboard", [], ""),
    (Role.OPERATOR, "housing:landlord_list", [], ""),
    (Role.OPERATOR, "housing:agreement_list", [], ""),
    (Role.OPERATOR, "housing:dwelling_list", [], ""),
    (Role.OPERATOR, "housing:condominium_list", [], ""),
    (Role.OPERATOR, "housing:cohousing_list", [], ""),
    (Role.OPERATOR, "housing:alert_list", [], ""),
    (Role.OPERATOR, "housing:vacancy_search", [], ""),
    (Role.FUND_ADMIN, "common:dashboard", [], ""),
    (Role.FUND_ADMIN, "fund:dashboard", [], ""),
    (Role.FUND_ADMIN, "fund:contributions", [], ""),
    (Role.FUND_ADMIN, "fund:ledger", [], ""),
    (Role.FUND_ADMIN, "fund:statement", ["guarantees_issued"], "?start=2000-01-01"),
    (Role.FUND_ADMIN, "fund:statement", ["bank"], ""),
    (Role.FUND_ADMIN, "fund:guarantee_list", [], ""),
    (Role.OPERATOR, "fund:guarantee_request_list", [], ""),
    (Role.FUND_ADMIN, "fund:claim_list", [], ""),
    (Role.FUND_ADMIN, "fund:recoveries", [], ""),
    (Role.FUND_ADMIN, "fund:payouts", [], ""),
    (Role.FUND_ADMIN, "fund:fund_statements", [], ""),
    (Role.FUND_ADMIN, "fund:reconciliations", [], ""),
    (Role.LANDLORD, "fund:my_guarantees", [], ""),
    (Role.MONITOR, "reporting:monitor", [], ""),
    (Role.MONITOR, "reporting:indicators_xlsx", [], ""),
    (Role.FUND_ADMIN, "reporting:fund_health", [], ""),
    (Role.FUND_ADMIN, "reporting:targets", [], ""),
]


def _counts(households: int, seed: int) -> dict:
    built = build_scale(households=households, years=1, seed=seed, log=lambda line: None)
    # The landlord login sees every lease of the programme's landlords, so its page grows too.
    landlord_user = built.users[Role.LANDLORD][0]
    landlord_user.landlords.set(built.programme.landlords.all())
    counts = {}
    for role, name, args, query in PAGES:
        client = Client()
        login_verified(client, built.users[role][0])
        url = reverse(name, args=args) + query
        client.get(url)  # warm the session and the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[(role, name, query)] = (response.status_code, len(queries))
    return counts


@pytest.mark.django_db
def test_list_pages_read_the_same_queries_at_6_and_30_households():
    small = _counts(6, seed=11)
    large = _counts(30, seed=12)
    assert all(status == 200 for status, _n in [*small.values(), *large.values()]), small
    grown = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert not grown, f"pages whose queries grow with the programme: {grown}"
