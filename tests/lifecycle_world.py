"""What the lifecycle tests stand on: a small programme built through the services, a simulated
clock, and a cheap fingerprint of the database.

Everything here writes through the service functions (factories only make users, memberships
and the programme), so the world the tests start from is one the application could have made.
"""

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from unittest import mock

from django.apps import apps
from django.db import connection
from django_fsm import FSMFieldMixin

from common.models import AuditEvent
from common.money import eur
from common.roles import Role
from common.tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from fund.models import Contribution
from fund.services.funds import contribution_book, fund_create
from fund.services.guarantees import guarantee_activate, guarantee_approve, guarantee_request
from housing.models import LeaseType
from housing.services.agreements import agreement_activate, agreement_create
from housing.services.landlords import landlord_create
from housing.services.stock import cohousing_create, dwelling_create
from housing.tests.factories import VALID_IBAN, partita_iva
from tenancies.services.arrears import arrears_policy_for
from tenancies.services.enrollment import (
    enrollment_assess,
    enrollment_enrol,
    enrollment_start_assessment,
)
from tenancies.services.eviction import eviction_policy_for
from tenancies.services.households import household_refer, policy_for_programme
from tenancies.services.leases import lease_activate, lease_create
from tenancies.services.placements import (
    placement_accept,
    placement_activate,
    placement_propose,
)

APPS = ("common", "housing", "tenancies", "fund", "reporting")
START = date(2026, 1, 5)  # a fixed day, so the examples do not depend on when CI runs
_numbers = count(1)


# --- time ---------------------------------------------------------------------------------


@contextlib.contextmanager
def clock(read_day):
    """Make `timezone.now()` (and so `localdate()`, `auto_now`…) answer `read_day()` at noon.

    Services that take `today=`/`on=` get the same day passed explicitly; this covers the ones
    that read the clock themselves (a claim's payout date, "not in the future" checks), so a
    simulated month never mixes with the real calendar.
    """

    def now():
        return datetime.combine(read_day(), time(12, 0), tzinfo=UTC)

    with mock.patch("django.utils.timezone.now", now):
        yield


@contextlib.contextmanager
def clock_at(day: date):
    with clock(lambda: day):
        yield


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# --- the fingerprint ------------------------------------------------------------------------


def _fsm_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, FSMFieldMixin)]


# Money columns a refused step could move without adding a row.
MONEY_SUMS = (
    ("fund.Entry", "amount"),
    ("tenancies.Allocation", "amount"),
    ("tenancies.Payment", "amount"),
    ("fund.Claim", "amount"),
)


def _fingerprint_sql() -> tuple[list[str], str, str]:
    """Two statements: one row of counts (and sums), and every FSM row's states."""
    qn = connection.ops.quote_name
    names, counts, states = [], [], []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            table = qn(model._meta.db_table)
            names.append(model._meta.label)
            counts.append(f"(SELECT COUNT(*) FROM {table})")
            for fsm in _fsm_fields(model):
                states.append(
                    f"SELECT '{model._meta.label}.{fsm.name}', {qn(model._meta.pk.column)}, "
                    f"{qn(fsm.column)} FROM {table}"
                )
    for name, field_name in MONEY_SUMS:
        model = apps.get_model(name)
        column = qn(model._meta.get_field(field_name).column)
        names.append(f"{name}.{field_name}:sum")
        counts.append(f"(SELECT SUM({column}) FROM {qn(model._meta.db_table)})")
    audit = qn(AuditEvent._meta.db_table)
    names.append("common.AuditEvent:last")
    counts.append(f"(SELECT MAX({qn(AuditEvent._meta.pk.column)}) FROM {audit})")
    return names, "SELECT " + ", ".join(counts), " UNION ALL ".join(states)


def fingerprint() -> dict:
    """Counts of every table of the project's apps, the state of every FSM row, the money sums
    a refused step could move and the last audit event: equal before and after a refusal, or
    the refusal leaked a write. Two queries, so it can run around every step."""
    names, counts_sql, states_sql = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(counts_sql)
        result = {
            name: (str(value) if isinstance(value, Decimal | float) else value)
            for name, value in zip(names, cursor.fetchone(), strict=True)
        }
        cursor.execute(states_sql)
        result["states"] = tuple(sorted(cursor.fetchall()))
    return result


def fingerprint_diff(before: dict, after: dict) -> dict:
    return {
        key: (before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


# --- the world ------------------------------------------------------------------------------

ROLES = (Role.OPERATOR, Role.FUND_ADMIN, Role.CARETAKER, Role.MONITOR, Role.LANDLORD)


@dataclass
class World:
    """One programme with a user per role (three fund administrators, for four eyes), a funded
    fund, a landlord in agreement with it, dwellings and a cohousing, and households."""

    programme: object
    users: dict
    fund: object = None
    landlord: object = None
    dwellings: list = field(default_factory=list)
    households: list = field(default_factory=list)

    @property
    def operator(self):
        return self.users["operator"]

    @property
    def admin(self):
        return self.users["admin1"]

    def user(self, key):
        return self.users[key]


USER_ROLES = {
    "operator": Role.OPERATOR,
    "operator2": Role.OPERATOR,
    "admin1": Role.FUND_ADMIN,
    "admin2": Role.FUND_ADMIN,
    "admin3": Role.FUND_ADMIN,
    "caretaker": Role.CARETAKER,
    "monitor": Role.MONITOR,
    "landlord": Role.LANDLORD,
}


def users_make(programme) -> dict:
    n = next(_numbers)
    users = {}
    for key, role in USER_ROLES.items():
        # Names given, so Faker's Italian provider is never loaded (seconds on a busy machine).
        user = UserFactory(username=f"{key}-{n}", first_name=key.title(), last_name=f"N{n}")
        MembershipFactory(user=user, programme=programme, role=role)
        users[key] = user
    return users


def reference_person(n: int) -> dict:
    return {
        "first_name": "Anna",
        "last_name": f"Bianchi{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}",
        "birth_date": date(1980, 3, 1),
    }


def household_make(world: World, *, today: date, eligible: bool = True):
    """Refer a household through the service; an ineligible one has an ISEE over the ceiling."""
    n = next(_numbers)
    return household_refer(
        actor=world.operator,
        programme=world.programme,
        reference=reference_person(n),
        referred_on=today,
        municipality="Montichiari",
        address=f"Via Roma {n}",
        isee=eur("9000") if eligible else eur("90000"),
        isee_expires_on=today + timedelta(days=900),
        vulnerability_factors=["job_loss"],
        income_sources=["employment"],
        referral_source="social_services",
        consent_given_on=today,
        consent_version="1.0",
        operator=world.operator,
    )


def household_enrol(world: World, household, *, today: date):
    enrollment = household.enrollments.order_by("-pk").first()
    enrollment_start_assessment(actor=world.operator, enrollment=enrollment)
    enrollment_assess(actor=world.operator, enrollment=enrollment, today=today)
    return enrollment_enrol(actor=world.operator, enrollment=enrollment, on=today)


def landlord_make(world: World, *, users=(), today: date, active=True):
    n = next(_numbers)
    landlord = landlord_create(
        actor=world.operator,
        programme=world.programme,
        name=f"Proprietario {n}",
        tax_code=partita_iva(n + 500),
        iban=VALID_IBAN,
        municipality="Montichiari",
        users=users,
    )
    agreement = agreement_create(
        actor=world.operator,
        landlord=landlord,
        cover_months=6,
        cap_per_lease=eur("5000"),
        max_monthly_rent=eur("700"),
        lease_types=[LeaseType.CONCORDATO_3_2, LeaseType.FREE_4_4],
        signed_on=today - timedelta(days=30),
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=2000),
    )
    if active:
        agreement_activate(actor=world.operator, agreement=agreement)
    return landlord


def dwelling_make(world: World, *, landlord, rent="500", places: int = 0):
    n = next(_numbers)
    dwelling = dwelling_create(
        actor=world.operator,
        programme=world.programme,
        landlord=landlord,
        address=f"Via Garibaldi {n}",
        municipality="Montichiari",
        floor=1,
        rooms=5 if places else 3,
        size_m2=90 if places else 60,
        rent=eur(rent),
        service_charges=eur("50"),
        available=True,
    )
    if places:
        cohousing_create(
            actor=world.operator,
            dwelling=dwelling,
            name=f"Coabitazione {n}",
            places=places,
            max_people_per_place=2,
        )
    return dwelling


def placement_make(world: World, *, household, dwelling, on: date, place: int = 1, move_in=True):
    """Propose a place to `household`, have it accepted and (unless `move_in=False`) moved into
    on `on`: what a lease follows."""
    placement = placement_propose(
        actor=world.operator,
        household=household,
        dwelling=dwelling,
        place_number=place,
        proposed_on=on,
    )
    placement = placement_accept(actor=world.operator, placement=placement)
    if move_in:
        placement = placement_activate(actor=world.operator, placement=placement, on=on)
    return placement


def lease_make(
    world: World,
    *,
    start: date,
    placement=None,
    household=None,
    dwelling=None,
    years: int = 3,
    rent="500",
):
    """A draft lease that follows `placement` (or the household's placement in `dwelling`,
    which `lease_create` finds, or refuses when there is none)."""
    return lease_create(
        actor=world.operator,
        placement=placement,
        household=household,
        dwelling=dwelling,
        lease_type=LeaseType.CONCORDATO_3_2,
        start_date=start,
        end_date=date(start.year + years, start.month, start.day),
        rent=eur(rent),
        service_charges=eur("50"),
        due_day=5,
    )


def housed_household(world: World, *, dwelling, today: date, lease_start: date, place: int = 1):
    """An enrolled household living in `dwelling` (placement active) under an active lease."""
    household = household_make(world, today=today)
    household_enrol(world, household, today=today)
    placement = placement_make(
        world, household=household, dwelling=dwelling, on=lease_start, place=place
    )
    lease = lease_make(world, placement=placement, start=lease_start)
    lease_activate(actor=world.operator, lease=lease, today=today)
    return household, lease


def world_build(*, today: date = START, capital="20000.00") -> World:
    """The base world of the stateful test: two landlords (one with a draft agreement), two
    flats, a cohousing of three places, a funded fund; one household housed under an active
    guaranteed lease, one enrolled, one referred, one that will fail the ISEE rule."""
    programme = ProgrammeFactory(municipalities=["Montichiari", "Calcinato"])
    world = World(programme=programme, users=users_make(programme))
    with clock_at(today):
        policy_for_programme(programme=programme)
        arrears_policy_for(programme_id=programme.pk)
        eviction_policy_for(programme_id=programme.pk)
        world.fund = fund_create(
            actor=world.admin, programme=programme, name="Fondo", leverage=Decimal("2.00")
        )
        contribution_book(
            actor=world.admin,
            fund=world.fund,
            funder="Fondazione Cariplo",
            kind=Contribution.Kind.FOUNDATION,
            amount=eur(capital),
            date=today,
        )
        world.landlord = landlord_make(world, users=[world.user("landlord")], today=today)
        other = landlord_make(world, today=today, active=False)
        world.dwellings = [
            dwelling_make(world, landlord=world.landlord),
            dwelling_make(world, landlord=world.landlord, rent="450"),
            dwelling_make(world, landlord=world.landlord, rent="900", places=3),
            dwelling_make(world, landlord=other, rent="600"),
        ]
        housed, lease = housed_household(
            world,
            dwelling=world.dwellings[0],
            today=today,
            lease_start=add_months(today, -2),
        )
        guarantee = guarantee_request(actor=world.operator, fund=world.fund, lease=lease)
        guarantee_approve(actor=world.admin, guarantee=guarantee)
        guarantee_activate(actor=world.admin, guarantee=guarantee)
        enrolled = household_make(world, today=today)
        household_enrol(world, enrolled, today=today)
        world.households = [
            housed,
            enrolled,
            household_make(world, today=today),
            household_make(world, today=today, eligible=False),
        ]
    return world
