"""Every housing URL, for every role: who gets the page, who gets 403, and whose objects are 404.

Operators and fund administrators run the back office; another programme's object is a 404.
A caretaker sees only its own condominiums; landlords and monitors get nothing here.
"""

import pytest
from django.urls import get_resolver, reverse

from common.roles import Role
from common.tests.two_factor import login_verified
from housing.tests.factories import (
    AgreementFactory,
    CaretakerNoteFactory,
    CohousingFactory,
    CondominiumFactory,
    DwellingFactory,
    LandlordFactory,
)

pytestmark = pytest.mark.django_db

STAFF = {Role.OPERATOR: 200, Role.FUND_ADMIN: 200}
NOT_STAFF = {Role.CARETAKER: 403, Role.MONITOR: 403, Role.LANDLORD: 403}
BACK_OFFICE = {**STAFF, **NOT_STAFF}
FOREIGN = {Role.OPERATOR: 404, Role.FUND_ADMIN: 404, **NOT_STAFF}
CARETAKER_PAGE = {Role.CARETAKER: 200, Role.OPERATOR: 403, Role.FUND_ADMIN: 403}
CARETAKER_PAGE |= {Role.MONITOR: 403, Role.LANDLORD: 403}
NOT_MY_CONDOMINIUM = {**CARETAKER_PAGE, Role.CARETAKER: 404}


@pytest.fixture
def world(programme, other_programme, member):
    users = {role: member(role, username=f"u-{role}") for role in Role.values}
    mine = {
        "landlord": LandlordFactory(programme=programme),
        "condominium": CondominiumFactory(programme=programme, caretaker=users[Role.CARETAKER]),
        "cohousing": CohousingFactory(dwelling__programme=programme),
    }
    mine["agreement"] = AgreementFactory(landlord=mine["landlord"])
    mine["dwelling"] = DwellingFactory(programme=programme, landlord=mine["landlord"])
    mine["alert"] = CaretakerNoteFactory(condominium=mine["condominium"])
    mine["other_condominium"] = CondominiumFactory(programme=programme)
    theirs = {
        "landlord": LandlordFactory(programme=other_programme),
        "condominium": CondominiumFactory(programme=other_programme),
        "cohousing": CohousingFactory(dwelling__programme=other_programme),
    }
    theirs["agreement"] = AgreementFactory(landlord=theirs["landlord"])
    theirs["dwelling"] = DwellingFactory(programme=other_programme, landlord=theirs["landlord"])
    theirs["alert"] = CaretakerNoteFactory(condominium=theirs["condominium"])
    return users, mine, theirs


def cases(mine, theirs):
    """(method, url name, objects, expected codes by role); `objects` picks the pk."""
    by_object = [
        ("landlord_detail", "landlord"),
        ("landlord_update", "landlord"),
        ("agreement_create", "landlord"),
        ("agreement_detail", "agreement"),
        ("agreement_update", "agreement"),
        ("agreement_document_upload", "agreement"),
        ("dwelling_detail", "dwelling"),
        ("dwelling_update", "dwelling"),
        ("condominium_detail", "condominium"),
        ("condominium_update", "condominium"),
        ("cohousing_detail", "cohousing"),
        ("cohousing_update", "cohousing"),
        ("cohousing_costs", "cohousing"),
    ]
    rows = [
        ("get", name, [], BACK_OFFICE)
        for name in (
            "landlord_list",
            "landlord_create",
            "agreement_list",
            "dwelling_list",
            "dwelling_create",
            "vacancy_search",
            "condominium_list",
            "condominium_create",
            "cohousing_list",
            "cohousing_create",
            "alert_list",
        )
    ]
    for name, key in by_object:
        rows.append(("get", name, [mine[key].pk], BACK_OFFICE))
        rows.append(("get", name, [theirs[key].pk], FOREIGN))
    agreement, foreign_agreement = mine["agreement"].pk, theirs["agreement"].pk
    rows += [
        # The agreement's steps run through the generic step view (common.workflows).
        ("get", "common:step", ["agreement", agreement, "activate"], BACK_OFFICE),
        ("get", "common:step", ["agreement", foreign_agreement, "activate"], FOREIGN),
        # No document yet: the staff get a 404 too, the others still a 403.
        ("get", "agreement_document", [agreement], {**FOREIGN}),
        ("post", "alert_handle", [theirs["alert"].pk], FOREIGN),
        (
            "post",
            "alert_handle",
            [mine["alert"].pk],
            {**STAFF, **NOT_STAFF} | {Role.OPERATOR: 302, Role.FUND_ADMIN: 302},
        ),
        ("get", "caretaker_home", [], CARETAKER_PAGE),
        ("get", "caretaker_condominium", [mine["condominium"].pk], CARETAKER_PAGE),
        ("get", "caretaker_note_create", [mine["condominium"].pk], CARETAKER_PAGE),
        ("get", "caretaker_condominium", [mine["other_condominium"].pk], NOT_MY_CONDOMINIUM),
        ("get", "caretaker_note_create", [mine["other_condominium"].pk], NOT_MY_CONDOMINIUM),
        ("get", "caretaker_condominium", [theirs["condominium"].pk], NOT_MY_CONDOMINIUM),
    ]
    return rows


def test_every_housing_url_for_every_role(world, client):
    users, mine, theirs = world
    table = cases(mine, theirs)
    # The table covers every URL of the app: a new page cannot slip in untested.
    names = {p.name for p in get_resolver("housing.urls").url_patterns}
    assert names == {name for _method, name, _args, _codes in table if ":" not in name}

    failures = []
    for method, name, args, codes in table:
        url = reverse(name if ":" in name else f"housing:{name}", args=args)
        client.logout()
        assert getattr(client, method)(url).status_code == 302  # anonymous: to the login page
        for role, expected in codes.items():
            login_verified(client, users[role])
            status = getattr(client, method)(url).status_code
            if status != expected:
                failures.append(f"{role} {method} {url}: {status}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_the_caretaker_home_lists_only_its_condominiums(world, client):
    users, mine, _theirs = world
    login_verified(client, users[Role.CARETAKER])
    page = client.get(reverse("housing:caretaker_home")).content.decode()
    assert mine["condominium"].name in page
    assert mine["other_condominium"].name not in page


def test_the_caretaker_lands_on_its_home(world, client):
    users, _mine, _theirs = world
    login_verified(client, users[Role.CARETAKER])
    assert client.get("/").url == reverse("housing:caretaker_home")
