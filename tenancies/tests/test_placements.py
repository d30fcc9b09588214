"""Placements: a household into a flat, a condominium flat or a cohousing place, and its life."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils.timezone import localdate

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.models import AuditEvent
from common.roles import Role
from common.tests.two_factor import login_verified
from housing.selectors import places_occupied, vacancies_matching
from housing.tests.factories import CohousingFactory, CondominiumFactory, DwellingFactory
from tenancies.models import Placement
from tenancies.selectors.placements import places_taken
from tenancies.services import enrollment as enrollment_services
from tenancies.services.placements import (
    placement_accept,
    placement_activate,
    placement_decline,
    placement_end,
    placement_propose,
)


@pytest.fixture
def flat(programme):
    return DwellingFactory(programme=programme)


@pytest.fixture
def cohousing(programme):
    return CohousingFactory(dwelling__programme=programme, places=3)


@pytest.fixture
def enrol(refer, operator):
    """`enrol(name)`: another household referred and enrolled through the services."""

    def make(last_name):
        household = refer(reference={"last_name": last_name, "codice_fiscale": ""})
        enrollment = household.enrollments.get()
        enrollment_services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
        enrollment_services.enrollment_assess(actor=operator, enrollment=enrollment)
        enrollment_services.enrollment_enrol(actor=operator, enrollment=enrollment)
        return household

    return make


def live_in(operator, household, dwelling, place_number=1):
    placement = placement_propose(
        actor=operator, household=household, dwelling=dwelling, place_number=place_number
    )
    placement_accept(actor=operator, placement=placement)
    return placement_activate(actor=operator, placement=placement)


# -- services ---------------------------------------------------------------------------


def test_the_kind_comes_from_the_dwelling(enrolled, enrol, operator, programme, flat, cohousing):
    condo_flat = DwellingFactory(
        programme=programme, condominium=CondominiumFactory(programme=programme)
    )
    kinds = [
        placement_propose(actor=operator, household=household, dwelling=dwelling).kind
        for household, dwelling in [
            (enrolled, flat),
            (enrol("Bianchi"), condo_flat),
            (enrol("Verdi"), cohousing.dwelling),
        ]
    ]
    assert kinds == ["flat", "condominium_flat", "cohousing_place"]


def test_a_placement_goes_from_proposal_to_its_end_with_every_step_audited(
    enrolled, operator, flat
):
    placement = placement_propose(
        actor=operator, household=enrolled, dwelling=flat, notes="Vicino alla scuola"
    )
    placement_accept(actor=operator, placement=placement, note="Ha visto la casa")
    placement_activate(actor=operator, placement=placement, on=localdate())
    placement_end(
        actor=operator,
        placement=placement,
        reason=Placement.EndReason.AUTONOMY,
        note="Ha trovato casa",
    )

    placement.refresh_from_db()
    assert placement.status == Placement.Status.ENDED
    assert placement.starts_on == placement.ends_on == localdate()
    events = audit_timeline(placement).order_by("pk")
    assert [e.verb for e in events] == [
        "placement_proposed",
        "placement_accept",
        "placement_activate",
        "placement_end",
    ]
    assert {e.context_id for e in events} == {str(enrolled.pk)}
    assert all(e.actor == operator for e in events)


def test_a_declined_placement_keeps_its_reason(enrolled, operator, flat):
    placement = placement_propose(actor=operator, household=enrolled, dwelling=flat)
    with pytest.raises(DomainError):
        placement_decline(actor=operator, placement=placement, note=" ")
    placement_decline(actor=operator, placement=placement, note="Troppo lontano dal lavoro")
    placement.refresh_from_db()
    assert placement.status == Placement.Status.DECLINED
    assert AuditEvent.objects.get(verb="placement_decline").note == "Troppo lontano dal lavoro"


def test_a_place_already_lived_in_is_refused_and_nothing_is_saved(enrolled, enrol, operator, flat):
    live_in(operator, enrolled, flat)
    with pytest.raises(DomainError, match="già assegnato") as refused:
        placement_propose(actor=operator, household=enrol("Bianchi"), dwelling=flat)
    assert refused.value.field == "place_number"
    assert Placement.objects.count() == 1


def test_an_accepted_place_cannot_be_accepted_by_a_second_household(
    enrolled, enrol, operator, cohousing
):
    first = placement_propose(
        actor=operator, household=enrolled, dwelling=cohousing.dwelling, place_number=2
    )
    second = placement_propose(
        actor=operator, household=enrol("Bianchi"), dwelling=cohousing.dwelling, place_number=3
    )
    placement_accept(actor=operator, placement=first)
    Placement.objects.filter(pk=second.pk).update(place_number=2)  # an old proposal, same place
    second.refresh_from_db()
    with pytest.raises(DomainError):
        placement_accept(actor=operator, placement=second)
    second.refresh_from_db()
    assert second.status == Placement.Status.PROPOSED


def test_over_capacity_cohousing_is_refused(enrolled, enrol, operator, cohousing):
    for number, name in enumerate(["Bianchi", "Verdi", "Neri"], start=1):
        live_in(operator, enrol(name), cohousing.dwelling, place_number=number)
    with pytest.raises(DomainError, match="posti da 1 a 3"):
        placement_propose(
            actor=operator, household=enrolled, dwelling=cohousing.dwelling, place_number=4
        )
    # Places shrunk below those taken (an edit in housing): the dwelling counts as full.
    type(cohousing).objects.filter(pk=cohousing.pk).update(places=2)
    with pytest.raises(DomainError):
        placement_propose(
            actor=operator, household=enrolled, dwelling=cohousing.dwelling, place_number=2
        )
    assert Placement.objects.filter(household=enrolled).count() == 0


def test_a_flat_has_only_place_one(enrolled, operator, flat):
    with pytest.raises(DomainError, match="unico posto"):
        placement_propose(actor=operator, household=enrolled, dwelling=flat, place_number=2)


def test_a_household_lives_in_one_placement_at_a_time(enrolled, operator, programme, flat):
    live_in(operator, enrolled, flat)
    other = DwellingFactory(programme=programme)
    moving = placement_propose(actor=operator, household=enrolled, dwelling=other)
    placement_accept(actor=operator, placement=moving)
    with pytest.raises(DomainError, match="end that one first|chiudi prima"):
        placement_activate(actor=operator, placement=moving)
    moving.refresh_from_db()
    assert moving.status == Placement.Status.ACCEPTED


def test_one_pending_proposal_per_household(enrolled, operator, programme, flat):
    placement_propose(actor=operator, household=enrolled, dwelling=flat)
    with pytest.raises(DomainError):
        placement_propose(
            actor=operator, household=enrolled, dwelling=DwellingFactory(programme=programme)
        )


def test_the_dwelling_must_be_available_and_of_the_programme(
    enrolled, operator, programme, other_programme
):
    unavailable = DwellingFactory(programme=programme, available=False)
    elsewhere = DwellingFactory(programme=other_programme)
    for dwelling in (unavailable, elsewhere):
        with pytest.raises(DomainError) as refused:
            placement_propose(actor=operator, household=enrolled, dwelling=dwelling)
        assert refused.value.field == "dwelling"
    assert not Placement.objects.exists()


def test_only_an_eligible_or_enrolled_household_gets_a_placement(refer, operator, flat):
    with pytest.raises(DomainError):
        placement_propose(actor=operator, household=refer(), dwelling=flat)


def test_ending_needs_a_known_reason(enrolled, operator, flat):
    placement = live_in(operator, enrolled, flat)
    with pytest.raises(DomainError) as refused:
        placement_end(actor=operator, placement=placement, reason="")
    assert refused.value.field == "reason"
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def test_only_an_operator_of_the_programme_moves_a_placement(enrolled, operator, member, flat):
    placement = placement_propose(actor=operator, household=enrolled, dwelling=flat)
    with pytest.raises(DomainError):
        placement_accept(actor=member(Role.FUND_ADMIN), placement=placement)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.PROPOSED


def test_the_database_refuses_two_active_placements_of_one_place(enrolled, enrol, operator, flat):
    live_in(operator, enrolled, flat)
    other = enrol("Bianchi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            programme=other.programme,
            household=other,
            dwelling=flat,
            kind="flat",
            status="active",
            proposed_on=localdate(),
            starts_on=localdate(),
        )


@pytest.fixture
def our_provider():
    """housing's own vacancy test sets the provider to None when it ends; put ours back."""
    from housing import selectors

    selectors.set_occupancy_provider(places_taken)


def test_tenancies_registers_its_occupancy_provider_at_start_up():
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from housing import selectors; "
        "from tenancies.selectors.placements import places_taken; "
        "assert selectors._occupancy_provider is places_taken"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_housing_counts_active_placements_as_taken_places(
    our_provider, enrolled, enrol, operator, programme, flat, cohousing
):
    live_in(operator, enrolled, flat)
    live_in(operator, enrol("Bianchi"), cohousing.dwelling, place_number=1)
    assert places_occupied([flat.pk, cohousing.dwelling_id]) == {
        flat.pk: 1,
        cohousing.dwelling_id: 1,
    }
    vacancies = {v.dwelling.pk: v for v in vacancies_matching(programme=programme)}
    assert flat.pk not in vacancies
    assert vacancies[cohousing.dwelling_id].free_places == 2


# -- pages ------------------------------------------------------------------------------


def test_the_propose_page_lists_what_fits_and_proposes_it(client, enrolled, flat, cohousing):
    login_verified(client, enrolled.operator)
    url = reverse("tenancies:placement_propose", args=[enrolled.pk])
    page = client.get(url).content.decode()
    assert str(flat) in page and str(cohousing.dwelling) in page

    chosen = client.get(url, {"dwelling": cohousing.dwelling_id}).content.decode()
    assert "Posto 3" in chosen
    response = client.post(
        f"{url}?dwelling={cohousing.dwelling_id}",
        {"dwelling": cohousing.dwelling_id, "place_number": 2, "proposed_on": localdate()},
    )
    placement = Placement.objects.get()
    assert response.url == reverse("tenancies:placement_detail", args=[enrolled.pk, placement.pk])
    assert placement.place_number == 2
    detail = client.get(response.url).content.decode()
    assert "Accettata dal nucleo" in detail
    assert "Posto" in detail
    household_page = client.get(reverse("tenancies:household_detail", args=[enrolled.pk]))
    assert "Sistemazioni" in household_page.content.decode()


def test_a_refused_proposal_shows_the_reason_on_the_form(client, enrolled, enrol, operator, flat):
    live_in(operator, enrol("Bianchi"), flat)
    login_verified(client, enrolled.operator)
    url = reverse("tenancies:placement_propose", args=[enrolled.pk])
    response = client.post(
        f"{url}?dwelling={flat.pk}",
        {"dwelling": flat.pk, "place_number": 1, "proposed_on": localdate()},
    )
    assert response.status_code == 200
    assert "già assegnato" in response.content.decode()
    assert Placement.objects.filter(household=enrolled).count() == 0


def test_the_steps_run_after_confirmation_and_end_needs_a_reason(client, enrolled, operator, flat):
    placement = placement_propose(actor=operator, household=enrolled, dwelling=flat)
    login_verified(client, enrolled.operator)

    def step(name, data):
        url = reverse("common:step", args=["placement", placement.pk, name])
        return client.post(url, data)

    assert step("placement_accept", {"note": ""}).status_code == 302
    assert step("placement_activate", {"on": localdate(), "note": ""}).status_code == 302
    refused = step("placement_end", {"on": localdate(), "reason": "autonomy", "note": ""})
    assert refused.status_code == 200
    before = step(
        "placement_end",
        {"on": localdate() - timedelta(days=3), "reason": "autonomy", "note": "Casa sua"},
    )
    assert before.status_code == 200
    assert "prima" in before.content.decode()
    done = step("placement_end", {"on": localdate(), "reason": "autonomy", "note": "Casa sua"})
    assert done.status_code == 302
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ENDED
    timeline = client.get(reverse("tenancies:timeline", args=[enrolled.pk])).content.decode()
    assert "Casa sua" in timeline


# -- access -----------------------------------------------------------------------------

PLACEMENT_URLS = [
    ("placement_propose", {}, "get"),
    ("placement_detail", {"placement_pk": "placement"}, "get"),
    ("placement_step", {"placement_pk": "placement", "step": "placement_accept"}, "get"),
]


def placement_url(name, household, resolved):
    """The placement pages, and the generic step view (common:step) for its steps."""
    if name == "placement_step":
        return reverse(
            "common:step", args=["placement", resolved["placement_pk"], "placement_accept"]
        )
    return reverse(f"tenancies:{name}", kwargs={"pk": household.pk, **resolved})


@pytest.mark.parametrize(("name", "kwargs", "method"), PLACEMENT_URLS)
def test_every_placement_url_for_every_role(
    client, member, other_programme, enrolled, operator, flat, name, kwargs, method
):
    placement = placement_propose(actor=operator, household=enrolled, dwelling=flat)
    objects = {"placement": placement.pk}
    resolved = {key: objects.get(value, value) for key, value in kwargs.items()}
    url = placement_url(name, enrolled, resolved)
    cases = [(None, 302)]
    for role in Role.values:
        if role == Role.OPERATOR:
            cases.append((enrolled.operator, 200))
        else:
            cases.append((member(role, username=f"{role}-{name}"), 403))
    cases.append((member(Role.OPERATOR, programme=other_programme, username="elsewhere"), 404))
    for user, want in cases:
        client.logout()
        if user is not None:
            login_verified(client, user)
        response = getattr(client, method)(url)
        assert response.status_code == want, (user, url, response.status_code)


def test_another_households_placement_is_not_found(client, enrolled, enrol, operator, flat):
    placement = placement_propose(actor=operator, household=enrolled, dwelling=flat)
    other = enrol("Bianchi")
    login_verified(client, operator)
    url = reverse("tenancies:placement_detail", args=[other.pk, placement.pk])
    assert client.get(url).status_code == 404


# -- concurrency (PostgreSQL) ---------------------------------------------------------------


POSTGRES = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run the calls at the same instant in threads; 'ok' or 'refused' for each."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def on_postgresql(test):
    for mark in reversed(POSTGRES):
        test = mark(test)
    return test


@on_postgresql
def test_two_households_accepting_one_place_at_once_get_it_once(enrol, operator, cohousing):
    dwelling = cohousing.dwelling
    placements = [
        placement_propose(actor=operator, household=enrol(name), dwelling=dwelling, place_number=1)
        for name in ("Bianchi", "Verdi")
    ]

    outcomes = race(
        *[lambda p=p: placement_accept(actor=operator, placement=p) for p in placements]
    )

    assert outcomes == ["ok", "refused"]
    assert Placement.objects.filter(dwelling=dwelling).holding_a_place().count() == 1
    assert AuditEvent.objects.filter(verb="placement_accept").count() == 1


@on_postgresql
def test_two_concurrent_activations_of_one_place_give_it_once(enrol, operator, flat):
    placement = placement_propose(actor=operator, household=enrol("Bianchi"), dwelling=flat)
    placement_accept(actor=operator, placement=placement)

    outcomes = race(
        lambda: placement_activate(actor=operator, placement=placement),
        lambda: placement_activate(actor=operator, placement=placement),
    )

    assert outcomes == ["ok", "refused"]
    assert Placement.objects.filter(dwelling=flat, status="active").count() == 1
    assert AuditEvent.objects.filter(verb="placement_activate").count() == 1
