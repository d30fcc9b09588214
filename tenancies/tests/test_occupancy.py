"""What tenancies tells housing about who lives where: a cohousing's shared costs follow its
residents' moves in and out, and it cannot shrink below the places they hold."""

import pytest

from common.exceptions import DomainError
from housing.selectors import cohousing_cost_shares
from housing.services import cohousing_costs_set, cohousing_update
from housing.tests.factories import CohousingFactory
from tenancies.services import enrollment as enrollment_services
from tenancies.services.placements import (
    placement_accept,
    placement_activate,
    placement_end,
    placement_propose,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrol(refer, operator):
    def make(last_name):
        household = refer(reference={"last_name": last_name, "codice_fiscale": ""})
        enrollment = household.enrollments.get()
        enrollment_services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
        enrollment_services.enrollment_assess(actor=operator, enrollment=enrollment)
        enrollment_services.enrollment_enrol(actor=operator, enrollment=enrollment)
        return household

    return make


@pytest.fixture
def cohousing(programme, operator):
    cohousing = CohousingFactory(dwelling__programme=programme, places=4)
    return cohousing_costs_set(actor=operator, cohousing=cohousing, total="100.00")


def accepted(operator, household, cohousing, place):
    placement = placement_propose(
        actor=operator, household=household, dwelling=cohousing.dwelling, place_number=place
    )
    return placement_accept(actor=operator, placement=placement)


def shares(cohousing):
    return [(o.name, str(a.amount)) for o, a in cohousing_cost_shares(cohousing)]


def test_costs_follow_the_households_moving_in_and_out(enrol, operator, cohousing):
    rossi = accepted(operator, enrol("Rossi"), cohousing, 1)
    bianchi = accepted(operator, enrol("Bianchi"), cohousing, 3)
    assert shares(cohousing) == []  # accepted is not living there yet

    placement_activate(actor=operator, placement=rossi)
    placement_activate(actor=operator, placement=bianchi)
    assert [amount for _name, amount in shares(cohousing)] == ["50.00", "50.00"]
    verdi = placement_activate(
        actor=operator, placement=accepted(operator, enrol("Verdi"), cohousing, 2)
    )
    assert [amount for _name, amount in shares(cohousing)] == ["33.34", "33.33", "33.33"]
    assert [name for name, _amount in shares(cohousing)] == [
        rossi.household.name,
        verdi.household.name,
        bianchi.household.name,
    ]

    placement_end(actor=operator, placement=rossi, reason="autonomy")
    assert shares(cohousing) == [(verdi.household.name, "50.00"), (bianchi.household.name, "50.00")]


def test_accepted_and_active_placements_keep_their_places(enrol, operator, cohousing):
    placement_activate(actor=operator, placement=accepted(operator, enrol("Rossi"), cohousing, 1))
    moving_in = accepted(operator, enrol("Bianchi"), cohousing, 3)

    with pytest.raises(DomainError) as error:
        cohousing_update(actor=operator, cohousing=cohousing, places=2)
    assert "almeno 3 posti, non 2" in error.value.message

    placement_activate(actor=operator, placement=moving_in)
    placement_end(actor=operator, placement=moving_in, reason="left")
    cohousing_update(actor=operator, cohousing=cohousing, places=2)
    cohousing.refresh_from_db()
    assert cohousing.places == 2
