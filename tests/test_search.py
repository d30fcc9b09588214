"""The header's search box (common.search): what each role finds, in its programme only, and in
a constant number of queries whatever the size of the programme."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.timezone import localdate

from common.roles import Role
from fund.tests.factories import make_fund
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from housing.tests.factories import DwellingFactory, LandlordFactory
from tenancies.models import ArrearsCase, Member
from tenancies.services.arrears import arrears_case_open
from tenancies.tests.factories import HouseholdFactory, MemberFactory

URL = reverse("common:search")
CF = "BNCLCU80A01B157Y"


@pytest.fixture
def world(programme, other_programme, operator, fund_admin):
    household = HouseholdFactory(
        programme=programme, name="Famiglia Bianchi", address="Via dei Mille 4", operator=operator
    )
    MemberFactory(household=household, first_name="Lucia", last_name="Bianchi", codice_fiscale=CF)
    landlord = LandlordFactory(programme=programme, name="Immobiliare Gardesana")
    dwelling = DwellingFactory(programme=programme, landlord=landlord, address="Via Mazzini 12")
    # Programme B holds a namesake of everything: it never shows in programme A.
    other = HouseholdFactory(programme=other_programme, name="Famiglia Bianchi di Bergamo")
    MemberFactory(household=other, first_name="Lucia", last_name="Bianchi", codice_fiscale="")
    LandlordFactory(programme=other_programme, name="Immobiliare Gardesana Bergamo")
    DwellingFactory(programme=other_programme, address="Via Mazzini 99")
    return {"household": household, "landlord": landlord, "dwelling": dwelling, "other": other}


def _search(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response


def _groups(response):
    return {group.kind.key: group for group in response.context["groups"]}


@pytest.mark.parametrize("fragment", ["CLCU80", "bnclcu", "01b157y"])
def test_a_fragment_of_the_codice_fiscale_finds_the_household(client_of, operator, world, fragment):
    groups = _groups(_search(client_of(operator), fragment))
    household_url = reverse("tenancies:household_detail", args=[world["household"].pk])
    assert [row[2] for row in groups["households"].rows] == [household_url]
    assert [row[0] for row in groups["members"].rows] == ["Lucia Bianchi"]


def test_a_member_name_finds_the_household_once_and_only_in_this_programme(
    client_of, operator, world
):
    response = _search(client_of(operator), "lucia bianchi")
    groups = _groups(response)
    assert [row[0] for row in groups["households"].rows] == ["Famiglia Bianchi"]
    assert not groups["households"].more
    assert len(groups["members"].rows) == 1
    assert "Bergamo" not in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="word similarity is pg_trgm's (PostgreSQL only)"
)
def test_a_misspelt_member_surname_finds_the_household_once_on_postgresql(
    client_of, programme, operator, world
):
    household = HouseholdFactory(programme=programme, name="Nucleo 7", operator=operator)
    MemberFactory(household=household, first_name="Anna", last_name="Scalvini", codice_fiscale="")
    MemberFactory(
        household=household,
        first_name="Piero",
        last_name="Scalvini",
        codice_fiscale="",
        relation=Member.Relation.PARTNER,
    )
    groups = _groups(_search(client_of(operator), "Scalvni"))
    assert [row[0] for row in groups["households"].rows] == ["Nucleo 7"]
    assert sorted(row[0] for row in groups["members"].rows) == ["Anna Scalvini", "Piero Scalvini"]


def test_a_landlord_and_a_dwelling_by_address(client_of, operator, world):
    groups = _groups(_search(client_of(operator), "gardesana"))
    assert [row[0] for row in groups["landlords"].rows] == ["Immobiliare Gardesana"]
    groups = _groups(_search(client_of(operator), "mazzini 12"))
    assert [row[2] for row in groups["dwellings"].rows] == [
        reverse("housing:dwelling_detail", args=[world["dwelling"].pk])
    ]
    assert not groups["dwellings"].more


def test_leases_and_arrears_cases_by_household_name(client_of, programme, operator):
    lease = guaranteed_lease(programme=programme, operator=operator)
    arrears_case_open(
        actor=operator, lease=lease, on=localdate(), origin=ArrearsCase.Origin.OPERATOR
    )
    groups = _groups(_search(client_of(operator), lease.household.name))
    assert groups["leases"].rows[0][2] == reverse("tenancies:lease_detail", args=[lease.pk])
    assert len(groups["arrears"].rows) == 1


def test_the_fund_administrator_finds_landlords_and_guarantees_never_households(
    client_of, programme, operator, fund_admin
):
    lease = guaranteed_lease(programme=programme, operator=operator)
    fund = funded(make_fund(programme=programme), actor=fund_admin)
    active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    client = client_of(fund_admin)
    groups = _groups(_search(client, lease.landlord.name))
    assert set(groups) == {"landlords", "dwellings", "guarantees"}
    # The household's own name finds nothing of it, and names it nowhere.
    response = _search(client, lease.household.name)
    assert _groups(response).keys() <= {"landlords", "dwellings", "guarantees", "claims"}
    codice_fiscale = MemberFactory(household=lease.household).codice_fiscale
    response = _search(client, codice_fiscale[:8])
    assert response.context["groups"] == []
    assert codice_fiscale not in response.content.decode()


@pytest.mark.parametrize("role", [Role.LANDLORD, Role.MONITOR, Role.CARETAKER])
def test_other_roles_may_not_search(client, member, world, role):
    client.force_login(member(role))
    assert client.get(URL, {"q": "Bianchi"}).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL, {"q": "Bianchi"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("q", ["", "a", " x ", "%", "_", "'); DROP TABLE x; --", "é" * 500])
def test_odd_queries_answer_cleanly(client_of, operator, world, q):
    response = _search(client_of(operator), q)
    assert response.context["groups"] == []


def test_each_group_is_limited_and_says_there_is_more(client_of, programme, operator):
    for i in range(12):
        household = HouseholdFactory(programme=programme, name=f"Famiglia Esposito {i:02d}")
        MemberFactory(household=household, last_name="Esposito", birth_date=date(1980, 1, 1 + i))
    response = _search(client_of(operator), "esposito")
    group = _groups(response)["households"]
    assert len(group.rows) == 8
    assert group.more
    assert "altri ancora" in response.content.decode()


def _queries(client, q) -> list[str]:
    """The SQL a search runs (counted by a wrapper: the request empties connection.queries)."""
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        _search(client, q)
    return seen


def _bulk(programme, operator, start, count):
    for i in range(start, start + count):
        household = HouseholdFactory(
            programme=programme, name=f"Famiglia Rossi {i:03d}", operator=operator
        )
        MemberFactory(
            household=household, last_name="Rossi", birth_date=date(1970, 1, 1) + timedelta(days=i)
        )
        landlord = LandlordFactory(programme=programme, name=f"Rossi Immobili {i:03d}")
        DwellingFactory(programme=programme, landlord=landlord, address=f"Via Rossi {i}")


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.FUND_ADMIN])
def test_search_takes_the_same_queries_for_a_small_and_a_larger_programme(
    client_of, programme, operator, fund_admin, role
):
    client = client_of(operator if role == Role.OPERATOR else fund_admin)
    lease = guaranteed_lease(programme=programme, operator=operator)
    arrears_case_open(
        actor=operator, lease=lease, on=localdate(), origin=ArrearsCase.Origin.OPERATOR
    )
    _bulk(programme, operator, 0, 2)
    _search(client, "rossi")  # warm the session and the caches
    small = _queries(client, "rossi")
    _bulk(programme, operator, 2, 30)
    large = _queries(client, "rossi")
    # One per kind the role may search, plus the page shell's (session, user, membership…).
    assert len(large) == len(small) > 4
    assert _groups(_search(client, "rossi"))["landlords"].more
