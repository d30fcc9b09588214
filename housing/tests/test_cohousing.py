"""A cohousing's shared costs are split between the households living there now, and it is
never made smaller than the places its households hold."""

from decimal import Decimal

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from common.models import AuditEvent
from common.money import eur
from housing.selectors import Occupant, cohousing_cost_shares
from housing.services import cohousing_costs_set, cohousing_update

pytestmark = pytest.mark.django_db


def living(place, name, household_id=None):
    return Occupant(household_id or place, name, place, living_there=True)


def moving_in(place, name):
    return Occupant(place, name, place, living_there=False)


def test_costs_are_split_between_the_residents_to_the_cent(cohousing, operator, occupants):
    occupants[cohousing.dwelling_id] = [
        living(3, "Verdi"),
        living(1, "Rossi"),
        living(2, "Bianchi"),
    ]
    cohousing_costs_set(actor=operator, cohousing=cohousing, total="100.00")
    cohousing.refresh_from_db()

    shares = cohousing_cost_shares(cohousing)

    assert [(o.name, a.amount) for o, a in shares] == [
        ("Rossi", Decimal("33.34")),
        ("Bianchi", Decimal("33.33")),
        ("Verdi", Decimal("33.33")),
    ]
    assert sum(a.amount for _o, a in shares) == Decimal("100.00")
    event = AuditEvent.objects.get(verb="costs_split")
    assert (event.actor, event.data["total"]) == (operator, "100.00")


def test_the_split_follows_moves_in_and_out(cohousing, operator, occupants):
    cohousing_costs_set(actor=operator, cohousing=cohousing, total="211.07")
    cohousing.refresh_from_db()
    occupants[cohousing.dwelling_id] = [living(1, "Rossi"), moving_in(2, "Bianchi")]
    assert [(o.name, a) for o, a in cohousing_cost_shares(cohousing)] == [("Rossi", eur("211.07"))]

    occupants[cohousing.dwelling_id] = [living(1, "Rossi"), living(2, "Bianchi")]
    amounts = [a.amount for _o, a in cohousing_cost_shares(cohousing)]
    assert amounts == [Decimal("105.54"), Decimal("105.53")]

    occupants[cohousing.dwelling_id] = [living(2, "Bianchi")]
    assert [(o.name, a) for o, a in cohousing_cost_shares(cohousing)] == [
        ("Bianchi", eur("211.07"))
    ]


def test_nobody_living_there_means_no_shares(cohousing, operator, occupants):
    cohousing_costs_set(actor=operator, cohousing=cohousing, total="90")
    cohousing.refresh_from_db()
    assert cohousing_cost_shares(cohousing) == []


@pytest.mark.parametrize("total", ["NaN", "Infinity", "-1", "10000.01", "1e400", "molto"])
def test_a_bad_total_is_refused_and_nothing_changes(cohousing, operator, total):
    cohousing_costs_set(actor=operator, cohousing=cohousing, total="90")
    with pytest.raises(DomainError) as error:
        cohousing_costs_set(actor=operator, cohousing=cohousing, total=total)
    assert error.value.field == "total"
    cohousing.refresh_from_db()
    assert cohousing.shared_costs_total == eur("90")
    assert AuditEvent.objects.filter(verb="costs_split").count() == 1


def test_setting_the_same_total_again_records_nothing(cohousing, operator):
    cohousing_costs_set(actor=operator, cohousing=cohousing, total="90")
    cohousing_costs_set(actor=operator, cohousing=cohousing, total=Decimal("90.00"))
    assert AuditEvent.objects.filter(verb="costs_split").count() == 1


# -- resizing ------------------------------------------------------------------------------


def test_cannot_shrink_below_the_places_households_hold(cohousing, operator, occupants):
    cohousing_update(actor=operator, cohousing=cohousing, places=5)
    occupants[cohousing.dwelling_id] = [living(1, "Rossi"), moving_in(4, "Bianchi")]

    with pytest.raises(DomainError) as error:
        cohousing_update(actor=operator, cohousing=cohousing, places=3)

    assert error.value.field == "places"
    assert error.value.message == (
        "Nuclei che vivono qui: 1, in arrivo: 1, fino al posto 4: la coabitazione deve avere "
        "almeno 4 posti, non 3."
    )
    cohousing.refresh_from_db()
    assert cohousing.places == 5


def test_can_shrink_down_to_the_highest_place_held(cohousing, operator, occupants):
    cohousing_update(actor=operator, cohousing=cohousing, places=5)
    occupants[cohousing.dwelling_id] = [living(1, "Rossi"), moving_in(4, "Bianchi")]

    cohousing_update(actor=operator, cohousing=cohousing, places=4)

    cohousing.refresh_from_db()
    assert cohousing.places == 4


# -- the pages -----------------------------------------------------------------------------


def test_the_detail_page_shows_each_residents_share(client_of, operator, cohousing, occupants):
    occupants[cohousing.dwelling_id] = [living(1, "Rossi"), living(2, "Bianchi")]
    client = client_of(operator)
    url = reverse("housing:cohousing_costs", args=[cohousing.pk])

    response = client.post(url, {"total": "100.01"})

    assert response.status_code == 302
    page = client.get(reverse("housing:cohousing_detail", args=[cohousing.pk])).content.decode()
    assert "Rossi" in page and "Bianchi" in page
    assert "50,01" in page and "50,00" in page


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("NaN", "«NaN» non è un numero scritto in cifre."),
        ("Infinity", "«Infinity» non è un numero scritto in cifre."),
        ("1e400", "«1e400» non è un numero scritto in cifre."),
        ("9999999999999", "Il numero è troppo grande: al massimo 9.999.999.999,99."),
        ("99999999", "Assicurati che questo valore sia minore o uguale a 10000."),
        ("-5", "Assicurati che questo valore sia maggiore o uguale a 0."),
    ],
)
def test_a_bad_total_is_an_italian_form_error(client_of, operator, cohousing, total, message):
    url = reverse("housing:cohousing_costs", args=[cohousing.pk])

    response = client_of(operator).post(url, {"total": total})

    assert response.status_code == 200
    assert message in response.content.decode()
    cohousing.refresh_from_db()
    assert cohousing.shared_costs_total == eur("0")


def test_the_edit_form_shows_the_resize_refusal(client_of, operator, cohousing, occupants):
    occupants[cohousing.dwelling_id] = [living(1, "Rossi"), living(3, "Verdi")]
    url = reverse("housing:cohousing_update", args=[cohousing.pk])

    response = client_of(operator).post(
        url, {"name": cohousing.name, "places": 2, "max_people_per_place": 2}
    )

    assert response.status_code == 200
    assert "deve avere almeno 3 posti, non 2" in response.content.decode()
    cohousing.refresh_from_db()
    assert cohousing.places == 3
