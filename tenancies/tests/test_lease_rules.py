"""One lifecycle that holds together: a unit has one lease in force at a time, a lease follows
an enrolled household's placement, a refused draft can be corrected or withdrawn, and a final
arrears case never blocks a new one. Each rule: success and refusal from the same set-up, and
its integrity check finding a violation seeded behind the services' back."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from common.exceptions import DomainError
from common.integrity import integrity_run
from common.models import AuditEvent
from common.money import eur
from common.workflows import next_steps, workflow_for_model
from housing.selectors import places_occupied
from housing.tests.factories import CohousingFactory, DwellingFactory
from tenancies.forms.leases import LeaseForm
from tenancies.models import ArrearsCase, Enrollment, Lease, Placement
from tenancies.selectors.placements import places_free, places_taken
from tenancies.services.arrears import (
    arrears_case_contact,
    arrears_case_escalate,
    arrears_case_open,
)
from tenancies.services.leases import (
    lease_activate,
    lease_create,
    lease_is_compliant,
    lease_update,
    lease_withdraw,
)
from tenancies.services.monthly import run_monthly
from tenancies.services.placements import placement_propose
from tenancies.tests.factories import HouseholdFactory, MemberFactory
from tenancies.tests.lease_factories import (
    EnrolmentFactory,
    LeaseFactory,
    PlacementFactory,
    active_agreement_for,
)

TODAY = date(2026, 3, 10)
TERMS = {
    "lease_type": "concordato_3_2",
    "rent": eur("500"),
    "service_charges": eur("50"),
    "due_day": 5,
}


def checked(name):
    return [v.obj for v in integrity_run([name])]


@pytest.fixture
def let(programme, operator):
    """An active lease of an enrolled household in a flat, 2026-01-01 to 2026-12-31."""
    lease = LeaseFactory(
        household__programme=programme,
        household__operator=operator,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    return lease_activate(actor=operator, lease=lease, today=TODAY)


def another_lease(*, actor, placement, start, end=date(2028, 1, 1)):
    return lease_create(actor=actor, placement=placement, start_date=start, end_date=end, **TERMS)


# -- one lease in force per unit ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (date(2026, 12, 30), False),  # the day before the other's last day
        (date(2026, 12, 31), False),  # its last day
        (date(2027, 1, 1), True),  # the day after
    ],
)
def test_a_unit_has_one_lease_in_force_on_any_date(let, operator, start, allowed):
    if not allowed:
        with pytest.raises(DomainError):
            another_lease(actor=operator, placement=let.placement, start=start)
        assert Lease.objects.count() == 1
        return
    renewal = another_lease(actor=operator, placement=let.placement, start=start)
    assert renewal.status == Lease.Status.DRAFT
    assert renewal.dwelling_id == let.dwelling_id


def test_an_ended_lease_frees_its_unit_the_day_after_it_ended(let, operator):
    from tenancies.services.leases import lease_terminate

    lease_terminate(actor=operator, lease=let, on=date(2026, 6, 30), note="Accordo tra le parti")
    with pytest.raises(DomainError):
        another_lease(actor=operator, placement=let.placement, start=date(2026, 6, 30))
    assert another_lease(actor=operator, placement=let.placement, start=date(2026, 7, 1))


def test_activation_checks_the_unit_again(let, operator):
    """Two drafts may wait for one unit; only the first to be signed gets it."""
    from tenancies.services.leases import lease_terminate

    lease_terminate(actor=operator, lease=let, on=date(2026, 1, 31), note="Disdetta")
    first = another_lease(actor=operator, placement=let.placement, start=date(2026, 2, 1))
    second = another_lease(actor=operator, placement=let.placement, start=date(2026, 3, 1))

    lease_activate(actor=operator, lease=first, today=TODAY)
    with pytest.raises(DomainError):
        lease_activate(actor=operator, lease=second, today=TODAY)
    second.refresh_from_db()
    assert second.status == Lease.Status.DRAFT


def test_the_database_refuses_two_active_leases_on_one_placement(let):
    twin = LeaseFactory(
        household=let.household,
        dwelling=let.dwelling,
        placement=let.placement,
        start_date=date(2027, 1, 1),
        end_date=date(2028, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Lease.objects.filter(pk=twin.pk).update(status=Lease.Status.ACTIVE)


def test_cohousing_places_are_let_one_by_one(programme, operator):
    cohousing = CohousingFactory(dwelling__programme=programme, places=3)
    dwelling = cohousing.dwelling
    active_agreement_for(dwelling.landlord, valid_from=date(2025, 1, 1))
    first, second = (
        PlacementFactory(
            household=EnrolmentFactory(household__programme=programme).household,
            dwelling=dwelling,
            kind=Placement.Kind.COHOUSING_PLACE,
            place_number=n,
        )
        for n in (1, 2)
    )
    lease_activate(
        actor=operator,
        lease=another_lease(actor=operator, placement=first, start=date(2026, 1, 1)),
        today=TODAY,
    )
    # Place 2 is another unit: its own lease is fine.
    assert another_lease(actor=operator, placement=second, start=date(2026, 1, 1))
    # Place 1 is let: the vacancy search and the free places agree.
    Placement.objects.filter(pk=first.pk).update(
        status=Placement.Status.ENDED, ends_on=date(2026, 2, 1), end_reason="left"
    )
    assert places_free(dwelling=dwelling, on=TODAY) == [3]
    # Place 1 by its lease alone, place 2 by its placement (its lease is a draft).
    assert places_taken([dwelling.pk]) == {dwelling.pk: 2}


def test_a_let_flat_is_taken_for_the_vacancy_search_even_without_a_placement(
    let, operator, enrol_household
):
    flat = let.dwelling
    Placement.objects.filter(pk=let.placement_id).update(
        status=Placement.Status.ENDED, ends_on=date(2026, 2, 1), end_reason="left"
    )
    # The lease is still in force: it holds the flat, for the vacancy search and the services.
    assert places_occupied([flat.pk]) == {flat.pk: 1}
    assert places_free(dwelling=flat, on=TODAY) == []
    with pytest.raises(DomainError):
        placement_propose(actor=operator, household=enrol_household("Bianchi"), dwelling=flat)


def test_check_lease_one_in_force_per_unit(let, programme):
    assert checked("lease_one_in_force_per_unit") == []
    other = LeaseFactory(household__programme=programme, start_date=date(2026, 6, 1))
    # Seeded behind the services' back: the other household's lease moved onto the same flat
    # (its placement there ended: the placements' own constraint allows that).
    Lease.objects.filter(pk=other.pk).update(status=Lease.Status.ACTIVE, dwelling=let.dwelling)
    Placement.objects.filter(pk=other.placement_id).update(
        dwelling=let.dwelling, status="ended", ends_on=date(2026, 2, 1), end_reason="left"
    )
    assert checked("lease_one_in_force_per_unit") == [other]
    # A lease from before placements holds the whole dwelling: it clashes too.
    Lease.objects.filter(pk=other.pk).update(placement=None)
    assert checked("lease_one_in_force_per_unit") == [other]
    Lease.objects.filter(pk=other.pk).update(start_date=date(2027, 1, 1), end_date=date(2028, 1, 1))
    assert checked("lease_one_in_force_per_unit") == []


def test_check_lease_one_in_force_per_unit_tells_cohousing_places_apart(programme):
    dwelling = CohousingFactory(dwelling__programme=programme, places=2).dwelling
    leases = [
        LeaseFactory(
            household__programme=programme,
            dwelling=dwelling,
            placement__place_number=n,
            placement__kind=Placement.Kind.COHOUSING_PLACE,
        )
        for n in (1, 2)
    ]
    Lease.objects.filter(pk__in=[lease.pk for lease in leases]).update(status="active")
    assert checked("lease_one_in_force_per_unit") == []
    Placement.objects.filter(pk=leases[1].placement_id).update(
        place_number=1, status="ended", ends_on=date(2026, 2, 1), end_reason="left"
    )
    assert checked("lease_one_in_force_per_unit") == [leases[1]]


# -- a lease follows an enrolled household's placement ------------------------------------------


@pytest.fixture
def enrol_household(programme, operator):
    def make(name):
        return EnrolmentFactory(
            household__programme=programme, household__name=name, household__operator=operator
        ).household

    return make


@pytest.mark.parametrize(
    ("placement_status", "allowed"),
    [
        (Placement.Status.PROPOSED, False),
        (Placement.Status.DECLINED, False),
        (Placement.Status.ACCEPTED, True),
        (Placement.Status.ACTIVE, True),
    ],
)
def test_a_lease_follows_an_accepted_or_active_placement(
    programme, operator, enrol_household, placement_status, allowed
):
    household = enrol_household("Rossi")
    flat = DwellingFactory(programme=programme)
    PlacementFactory(household=household, dwelling=flat, status=placement_status)
    create = lambda: lease_create(  # noqa: E731
        actor=operator,
        household=household,
        dwelling=flat,
        start_date=date(2026, 1, 1),
        end_date=date(2029, 1, 1),
        **TERMS,
    )
    if not allowed:
        with pytest.raises(DomainError):
            create()
        assert not Lease.objects.exists()
        return
    lease = create()
    assert lease.placement.household == household
    assert lease.landlord == flat.landlord


@pytest.mark.parametrize(
    ("enrolment", "allowed"),
    [
        (Enrollment.Status.ELIGIBLE, False),
        (Enrollment.Status.EXITED, False),
        (Enrollment.Status.ENROLLED, True),
    ],
)
def test_leases_only_for_enrolled_households(programme, operator, enrolment, allowed):
    household = EnrolmentFactory(
        household__programme=programme,
        status=enrolment,
        exit_reason="withdrew" if enrolment == Enrollment.Status.EXITED else "",
    ).household
    placement = PlacementFactory(household=household)
    if not allowed:
        with pytest.raises(DomainError):
            another_lease(actor=operator, placement=placement, start=date(2026, 1, 1))
        return
    assert another_lease(actor=operator, placement=placement, start=date(2026, 1, 1))


def test_activation_needs_the_household_still_enrolled(programme, operator):
    lease = LeaseFactory(household__programme=programme)
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    assert "activate" in [step["name"] for step in next_steps(lease, operator)]

    Enrollment.objects.filter(household=lease.household).update(
        status=Enrollment.Status.EXITED, exit_reason="withdrew"
    )
    assert "activate" not in [step["name"] for step in next_steps(lease, operator)]
    with pytest.raises(DomainError):
        lease_activate(actor=operator, lease=lease, today=TODAY)
    lease.refresh_from_db()
    assert lease.status == Lease.Status.DRAFT


def test_the_lease_form_lists_enrolled_households_with_a_placement_told_apart(
    programme, enrol_household
):
    placed = enrol_household("Rossi Mario")
    MemberFactory(household=placed, codice_fiscale="RSSMRA85T10B157Y")
    namesake = enrol_household("Rossi Mario")
    chosen = PlacementFactory(household=placed, status=Placement.Status.ACCEPTED)
    PlacementFactory(household=namesake, status=Placement.Status.ACTIVE)
    PlacementFactory(household=enrol_household("Proposta"), status=Placement.Status.PROPOSED)
    not_enrolled = PlacementFactory(household=HouseholdFactory(programme=programme))

    field = LeaseForm(programme=programme).fields["placement"]
    labels = {placement.pk: label for placement, label in _choices(field)}
    assert chosen.pk in labels and not_enrolled.pk not in labels
    assert len(labels) == 2
    assert "…B157Y" in labels[chosen.pk] and "Montichiari" in labels[chosen.pk]
    assert f"n. {namesake.pk}" in next(v for k, v in labels.items() if k != chosen.pk)


def _choices(field):
    return [
        (field.queryset.get(pk=value.value), label) for value, label in field.choices if value != ""
    ]


def test_lease_new_page_creates_a_draft_from_a_placement(client, operator, programme):
    household = EnrolmentFactory(household__programme=programme).household
    placement = PlacementFactory(household=household)
    client.force_login(operator)
    response = client.post(
        reverse("tenancies:lease_new"),
        {
            "placement": placement.pk,
            "lease_type": "concordato_3_2",
            "start_date": "2026-01-01",
            "end_date": "2029-01-01",
            "rent": "500",
            "service_charges": "50",
            "due_day": 5,
            "deposit": "0",
        },
    )
    lease = Lease.objects.get()
    assert response.status_code == 302 and response.url == lease.get_absolute_url()
    assert (lease.placement, lease.household, lease.dwelling) == (
        placement,
        household,
        placement.dwelling,
    )


def test_check_lease_follows_placement(let):
    assert checked("lease_follows_placement") == []
    Lease.objects.filter(pk=let.pk).update(placement=None)
    assert checked("lease_follows_placement") == [let]


def test_check_lease_household_enrolled(let):
    assert checked("lease_household_enrolled") == []
    Enrollment.objects.filter(household=let.household).update(enrolled_on=None)
    assert checked("lease_household_enrolled") == [let]


# -- a refused draft is corrected or withdrawn --------------------------------------------------


@pytest.fixture
def refused_draft(programme, operator):
    """A draft whose rent is above the agreement's ceiling of 450."""
    lease = LeaseFactory(household__programme=programme, household__operator=operator)
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1), max_monthly_rent=eur("450"))
    return lease


def test_a_refused_draft_is_corrected_then_activated(refused_draft, operator):
    assert not lease_is_compliant(lease=refused_draft, on=TODAY)
    with pytest.raises(DomainError):
        lease_activate(actor=operator, lease=refused_draft, today=TODAY)

    lease = lease_update(actor=operator, lease=refused_draft, rent=eur("450"))

    assert lease_is_compliant(lease=lease, on=TODAY)
    event = AuditEvent.objects.get(verb="updated", target_id=str(lease.pk))
    assert list(event.data["changes"]) == ["rent"]
    assert lease_activate(actor=operator, lease=lease, today=TODAY).status == "active"


def test_only_a_draft_is_corrected(let, operator):
    with pytest.raises(DomainError):
        lease_update(actor=operator, lease=let, rent=eur("400"))
    let.refresh_from_db()
    assert let.rent == eur("500")


def test_the_edit_page_corrects_a_draft_and_not_a_signed_lease(
    client, operator, refused_draft, let
):
    client.force_login(operator)
    url = reverse("tenancies:lease_edit", args=[refused_draft.pk])
    data = {
        "lease_type": refused_draft.lease_type,
        "start_date": "2026-01-01",
        "end_date": "2029-01-01",
        "rent": "450",
        "service_charges": "50",
        "due_day": 5,
        "deposit": "0",
    }
    assert client.post(url, data).status_code == 302
    refused_draft.refresh_from_db()
    assert refused_draft.rent == eur("450")
    signed = client.get(reverse("tenancies:lease_edit", args=[let.pk]))
    assert signed.status_code == 302


def test_a_draft_is_withdrawn_with_a_reason_and_holds_nothing(refused_draft, operator):
    with pytest.raises(DomainError):
        lease_withdraw(actor=operator, lease=refused_draft, note=" ")
    lease = lease_withdraw(actor=operator, lease=refused_draft, note="Il proprietario rinuncia")
    assert lease.status == Lease.Status.WITHDRAWN
    assert next_steps(lease, operator) == []
    # The unit is free for another lease of the same placement.
    assert another_lease(actor=operator, placement=lease.placement, start=date(2026, 1, 1))
    with pytest.raises(DomainError):
        lease_withdraw(actor=operator, lease=lease, note="di nuovo")


def test_withdraw_runs_from_the_generic_step_page(client, operator, refused_draft):
    client.force_login(operator)
    url = reverse("common:step", args=["lease", refused_draft.pk, "withdraw"])
    assert client.post(url, {"note": ""}).status_code == 200  # a reason is required
    assert client.post(url, {"note": "Non firmato"}).status_code == 302
    refused_draft.refresh_from_db()
    assert refused_draft.status == Lease.Status.WITHDRAWN


# -- a final arrears case never blocks a new one ------------------------------------------------


@pytest.fixture
def in_arrears(programme, operator):
    """An active lease since January 2026, nothing paid: the March run opens a case."""
    lease = LeaseFactory(household__programme=programme, household__operator=operator)
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    lease_activate(actor=operator, lease=lease, today=date(2026, 3, 1))
    run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 1))
    return lease


def test_an_escalated_case_lets_a_new_case_open_on_new_arrears(in_arrears, operator):
    case = in_arrears.arrears_cases.get()
    arrears_case_contact(actor=operator, case=case, note="Telefonata")
    arrears_case_escalate(actor=operator, case=case, note="Intimazione", on=date(2026, 3, 2))

    # The old months are eviction prevention's now: the run opens nothing for them.
    run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 20))
    assert list(ArrearsCase.objects.open().filter(lease=in_arrears)) == []
    # April's rent falls due on the 5th and is still unpaid past the 20-day grace: new arrears.
    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 25))
    assert run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 26)).cases_opened == 0
    new = ArrearsCase.objects.open().get(lease=in_arrears)
    assert new.pk != case.pk and new.opened_on == date(2026, 4, 25)


def test_an_open_case_blocks_a_second_one(in_arrears, operator):
    case = in_arrears.arrears_cases.get()
    arrears_case_contact(actor=operator, case=case, note="Telefonata")
    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 25))
    again = arrears_case_open(
        actor=operator, lease=in_arrears, on=date(2026, 4, 25), origin="operator"
    )
    assert again == case
    assert in_arrears.arrears_cases.count() == 1


def test_the_database_allows_closed_cases_and_one_open(in_arrears):
    case = in_arrears.arrears_cases.get()
    ArrearsCase.objects.filter(pk=case.pk).update(status=ArrearsCase.Status.ESCALATED)
    fields = {
        "programme_id": in_arrears.programme_id,
        "lease": in_arrears,
        "origin": "operator",
        "opened_on": TODAY,
        "amount_at_opening": eur("10"),
    }
    ArrearsCase.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArrearsCase.objects.create(**fields)


def test_check_arrears_one_open_case_per_lease(in_arrears):
    assert checked("arrears_one_open_case_per_lease") == []
    ArrearsCase.objects.bulk_create(
        [
            ArrearsCase(
                programme_id=in_arrears.programme_id,
                lease=in_arrears,
                origin="operator",
                opened_on=TODAY + timedelta(days=1),
                amount_at_opening=eur("10"),
                status=ArrearsCase.Status.CURED,
            )
        ]
    )
    assert checked("arrears_one_open_case_per_lease") == []
    # Seeded behind the constraint's back (data from before it existed): drop its index for
    # this test's transaction, then turn the cured case open again.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX arrearscase_one_open_per_lease")
    ArrearsCase.objects.filter(lease=in_arrears, status="cured").update(status="contacted")
    assert checked("arrears_one_open_case_per_lease") == [in_arrears]


# -- the arrears steps on the registry, the lease before its case -------------------------------


def test_the_case_locks_its_lease_first():
    assert workflow_for_model(ArrearsCase).parent == "lease"
    assert workflow_for_model(Placement).parent == "dwelling"


def test_the_case_page_offers_its_steps_and_they_run(client, operator, in_arrears):
    case = in_arrears.arrears_cases.get()
    client.force_login(operator)
    page = client.get(case.get_absolute_url()).content.decode()
    contact = reverse("common:step", args=["arrears_case", case.pk, "contact"])
    escalate = reverse("common:step", args=["arrears_case", case.pk, "escalate"])
    assert contact in page and escalate not in page  # escalate only after a contact

    assert (
        client.post(contact, {"note": "Telefonata", "next_action": "Richiamare"}).status_code == 302
    )
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.CONTACTED and case.next_action == "Richiamare"
    assert escalate in client.get(case.get_absolute_url()).content.decode()

    plan = reverse("common:step", args=["arrears_case", case.pk, "agree_plan"])
    assert client.get(plan).status_code == 200

    refused = client.post(escalate, {"on": "2026-03-02", "note": ""})
    assert refused.status_code == 200
    assert client.post(escalate, {"on": "2026-03-02", "note": "Intimazione"}).status_code == 302
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.ESCALATED
    assert next_steps(case, operator) == []
