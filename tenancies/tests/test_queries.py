"""Household lists answer in a constant number of queries, whatever the number of households."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from common.pagination import PAGE_SIZE
from tenancies.models import Enrollment, Household, Member, PactCommitment, SupportPact


def make_households(programme, operator, count):
    households = Household.objects.bulk_create(
        Household(
            programme=programme,
            name=f"Famiglia {programme.pk}-{i:04d}",
            municipality="Montichiari",
            referral_source="self",
            operator=operator,
            vulnerability_factors=["job_loss"],
            consent_given_on=localdate(),
            consent_version="1.0",
        )
        for i in range(count)
    )
    Member.objects.bulk_create(
        Member(
            household=h,
            first_name="Anna",
            last_name=f"Verdi{i}",
            birth_date=date(2015, 1, 1),
            relation="reference",
        )
        for i, h in enumerate(households)
    )
    statuses = ["referred", "assessing", "eligible", "enrolled"]
    Enrollment.objects.bulk_create(
        Enrollment(household=h, referred_on=localdate(), status=statuses[i % 4])
        for i, h in enumerate(households)
    )
    pacts = SupportPact.objects.bulk_create(
        SupportPact(
            household=h,
            goal="Obiettivo",
            starts_on=localdate() - timedelta(days=200),
            ends_on=localdate() + timedelta(days=200),
            status="signed",
            next_review_on=localdate() - timedelta(days=3),
        )
        for i, h in enumerate(households)
        if i % 4 == 3
    )
    PactCommitment.objects.bulk_create(
        PactCommitment(pact=p, party="household", description="Impegno") for p in pacts
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


@pytest.mark.parametrize("name", ["caseload", "household_list", "waiting_list"])
def test_household_lists_take_the_same_queries_for_10_and_500(
    client, operator, programme, name, django_assert_max_num_queries
):
    client.force_login(operator)
    url = reverse(f"tenancies:{name}")
    make_households(programme, operator, 10)
    few, _response = queries_for(client, url)
    make_households(programme, operator, 490)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert Household.objects.count() == 500
    if name == "household_list":  # one page of the one paginator, whatever the programme
        assert response.content.decode().count("<tr>") == PAGE_SIZE + 1
