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
    if name in ("household_list", "caseload"):  # one page of the one paginator
        assert response.content.decode().count("<tr>") == PAGE_SIZE + 1


@pytest.mark.django_db
def test_the_caseload_ranks_in_the_database_as_next_action_words_it(programme, operator):
    """The page orders a page of rows by a rank computed in the database: it must agree with
    the urgency `next_action` gives each household (danger, warn, none, ok)."""
    from tenancies.selectors.households import caseload, with_next_action

    today = localdate()
    cases = [
        ("referred", None, None),
        ("ineligible", None, None),
        ("enrolled", None, None),
        ("enrolled", "signed", today - timedelta(days=1)),
        ("enrolled", "signed", today + timedelta(days=30)),
        ("enrolled", "signed", today + timedelta(days=14)),
        ("enrolled", "signed", today + timedelta(days=15)),
        ("enrolled", "broken", None),
        ("enrolled", "draft", None),
    ]
    for i, (status, pact, review) in enumerate(cases):
        household = Household.objects.create(
            programme=programme,
            name=f"Famiglia {i}",
            municipality="Montichiari",
            referral_source="self",
            operator=operator,
            consent_given_on=today,
            consent_version="1.0",
        )
        Enrollment.objects.create(household=household, referred_on=today, status=status)
        if pact:
            SupportPact.objects.create(
                household=household,
                goal="Obiettivo",
                starts_on=today - timedelta(days=100),
                ends_on=today + timedelta(days=200),
                status=pact,
                next_review_on=review,
            )
    ranked = with_next_action(list(caseload(user=operator, programme=programme, today=today)))
    order = {"danger": 0, "warn": 1, "": 2, "ok": 3}
    urgencies = [order[h.urgency] for h in ranked]
    assert urgencies == sorted(urgencies) and len(ranked) == len(cases)
    assert [h.urgency_rank for h in ranked] == urgencies
