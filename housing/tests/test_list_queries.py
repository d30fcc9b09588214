"""Every list page runs the same number of queries with 10 rows as with 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from housing.tests.factories import (
    AgreementFactory,
    CaretakerNoteFactory,
    CohousingFactory,
    CondominiumFactory,
    DwellingFactory,
    LandlordFactory,
)

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    ("operator", "housing:landlord_list", ""),
    ("operator", "housing:landlord_list", "?q=Proprietario&in_force=true"),
    ("operator", "housing:agreement_list", ""),
    ("operator", "housing:dwelling_list", ""),
    ("operator", "housing:dwelling_list", "?kind=cohousing&rooms_min=2"),
    ("operator", "housing:condominium_list", ""),
    ("operator", "housing:cohousing_list", ""),
    ("operator", "housing:alert_list", ""),
    ("operator", "housing:vacancy_search", "?household_size=2&max_rent=2000"),
    ("caretaker", "housing:caretaker_home", ""),
]


def add_rows(programme, caretaker, count):
    for _ in range(count):
        landlord = LandlordFactory(programme=programme)
        AgreementFactory(landlord=landlord)
        condominium = CondominiumFactory(programme=programme, caretaker=caretaker)
        DwellingFactory(programme=programme, landlord=landlord, condominium=condominium)
        CaretakerNoteFactory(condominium=condominium, author=caretaker)
        CohousingFactory(dwelling__programme=programme, dwelling__landlord=landlord)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_list_pages_do_not_grow_with_rows(
    programme, operator, caretaker, client, django_assert_max_num_queries
):
    users = {"operator": operator, "caretaker": caretaker}
    add_rows(programme, caretaker, 10)
    baseline = {}
    for role, name, query in LIST_PAGES:
        client.force_login(users[role])
        baseline[(name, query)] = count_queries(client, reverse(name) + query)

    add_rows(programme, caretaker, 190)
    for role, name, query in LIST_PAGES:
        client.force_login(users[role])
        with django_assert_max_num_queries(baseline[(name, query)]):
            response = client.get(reverse(name) + query)
        assert response.status_code == 200
