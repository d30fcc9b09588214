"""Fixtures every app's tests share (the root conftest, so it reaches every test folder)."""

import os

import pytest

# Django is not set up yet when pytest loads this plugin: import models inside fixtures.

# Playwright drives the browser from the test thread while live_server answers in another.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate-limit counters (the public certificate
    check) never carry over from one test to the next in the same process."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def programme(db):
    from common.tests.factories import ProgrammeFactory

    return ProgrammeFactory(name="#genera_azioni", slug="genera-azioni")


@pytest.fixture
def other_programme(db):
    from common.tests.factories import ProgrammeFactory

    return ProgrammeFactory(name="NEXT – Bergamo", slug="next-bergamo")


@pytest.fixture
def member(db, programme):
    """`member(role, programme=None, **user_fields)` makes a user with that role."""

    from common.tests.factories import MembershipFactory, UserFactory

    def make(role="operator", programme=programme, **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, programme=programme, role=role)
        return user

    return make


@pytest.fixture
def operator(member):
    return member("operator", username="operatore")


@pytest.fixture
def fund_admin(member):
    return member("fund_admin", username="amministratore")


@pytest.fixture
def client_of(db, client):
    """`client_of(user)`: the test client, logged in as `user` as after a complete login (a fund
    administrator's second factor included; plain `client.force_login` leaves it unverified)."""
    from common.tests.two_factor import login_verified

    def login(user):
        return login_verified(client, user)

    return login


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Data a whole module shares: module-scoped fixtures that depend on this one write inside
    one transaction, rolled back when the module ends. Each test still needs `django_db` (its
    own changes roll back to a savepoint), so one test never sees another's writes."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, end the sessions test threads left open (the live server's request
    threads, concurrency tests) before the test database is dropped: DROP DATABASE refuses
    while any session is connected. Waits a moment first, as a closed client's backend takes
    a little while to go."""
    yield
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for _ in range(30):
            cursor.execute(f"SELECT count(*) {others}")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
