"""Every list, desk, statement and detail page reads the same number of queries whatever the
programme's size: built at 6 and at 30 households with seed_scale's builder, each page costs
the same. (Counting queries, not timing them: the count is what grows when a loop reads per
row.) Every page of benchmarks/pages.py is here."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.scale_data import build_scale
from common.roles import Role
from common.tests.two_factor import login_verified
from fund.models import Claim, Guarantee
from fund.services.fund_bank import reconciliation_period_open
from tenancies.models import Household, Member

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
    (Role.OPERATOR, "tenancies:inbox", [], ""),
    (Role.OPERATOR, "common:search", [], "?q={surname}"),
    # Pages of one object: its key is found in the built programme.
    (Role.OPERATOR, "tenancies:household_detail", ["household"], ""),
    (Role.OPERATOR, "tenancies:lease_detail", ["lease"], ""),
    (Role.FUND_ADMIN, "fund:guarantee_detail", ["guarantee"], ""),
    (Role.FUND_ADMIN, "fund:claim_detail", ["claim"], ""),
    (Role.FUND_ADMIN, "fund:fund_statement", ["statement"], ""),
    (Role.FUND_ADMIN, "fund:reconciliation", ["period"], ""),
    (Role.LANDLORD, "fund:my_guarantee", ["claimed_guarantee"], ""),
    (Role.LANDLORD, "fund:my_claim", ["claim"], ""),
]


def _objects(built) -> dict:
    """The objects the detail pages show (the first of each kind, as benchmarks/pages.py
    picks them), and a surname to search for."""
    claim = Claim.objects.filter(guarantee__fund=built.fund).order_by("pk").first()
    today = timezone.localdate()
    period = reconciliation_period_open(
        actor=built.users[Role.FUND_ADMIN][0],
        fund=built.fund,
        start=today - timedelta(days=30),
        end=today,
    )
    return {
        "household": Household.objects.filter(programme=built.programme).order_by("pk").first().pk,
        "lease": claim.guarantee.lease_id,
        "guarantee": Guarantee.objects.filter(fund=built.fund).order_by("pk").first().pk,
        "claim": claim.pk,
        "claimed_guarantee": claim.guarantee_id,
        "statement": built.fund.statements.order_by("pk").first().pk,
        "period": period.pk,
        "surname": Member.objects.filter(household__programme=built.programme)
        .order_by("pk")
        .first()
        .last_name,
    }


def _counts(households: int, seed: int) -> dict:
    built = build_scale(households=households, years=1, seed=seed, log=lambda line: None)
    # The landlord login sees every lease of the programme's landlords, so its page grows too.
    landlord_user = built.users[Role.LANDLORD][0]
    landlord_user.landlords.set(built.programme.landlords.all())
    objects = _objects(built)
    counts = {}
    for role, name, args, query in PAGES:
        client = Client()
        login_verified(client, built.users[role][0])
        url = reverse(name, args=[objects.get(arg, arg) for arg in args]) + query.format(**objects)
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
