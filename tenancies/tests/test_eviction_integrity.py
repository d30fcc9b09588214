"""The eviction integrity checks: each finds a violation seeded behind the services' back, and
passes on cases the services built."""

import pytest
from django.db import connection
from django.utils.timezone import localdate

from common.integrity import integrity_run
from tenancies.models import EvictionCase
from tenancies.services import eviction as services
from tenancies.tests.eviction_factories import (
    active_lease,
    case_at_hearing,
    pay_up,
    placement_for,
)

CHECKS = [
    "eviction_one_open_case_per_lease",
    "eviction_only_for_enrolled",
    "eviction_closed_has_outcome",
    "eviction_cure_counts_as_sanatoria",
    "eviction_rehoused_in_own_placement",
    "eviction_notice_after_precetto_and_release",
]
TODAY = localdate()


@pytest.fixture
def lease(programme, operator):
    return active_lease(programme=programme, operator=operator)


def run(name):
    return integrity_run([name])


@pytest.mark.django_db
def test_cases_built_by_the_services_pass_every_check(operator, lease):
    closed = case_at_hearing(lease=lease, operator=operator)
    pay_up(case=closed, operator=operator)
    services.eviction_cure(actor=operator, case=closed, on=TODAY)
    rehoused = services.eviction_case_open(actor=operator, lease=lease, on=TODAY, cause="illness")
    services.eviction_rehouse(
        actor=operator,
        case=rehoused,
        on=TODAY,
        note="Trasferiti",
        placement=placement_for(lease.household),
    )
    assert integrity_run(CHECKS) == []


@pytest.mark.django_db(transaction=True)
def test_two_open_cases_on_one_lease_are_found(operator, lease):
    first = case_at_hearing(lease=lease, operator=operator)
    constraint = next(
        c for c in EvictionCase._meta.constraints if c.name == "evictioncase_one_open_per_lease"
    )
    # The database refuses a second open case; data imported before the rule may have one.
    with connection.schema_editor() as editor:
        editor.remove_constraint(EvictionCase, constraint)
    try:
        EvictionCase.objects.bulk_create(
            [
                EvictionCase(
                    programme_id=first.programme_id,
                    lease=lease,
                    opened_on=TODAY,
                    status=EvictionCase.Status.AT_RISK,
                )
            ]
        )
        violations = run("eviction_one_open_case_per_lease")
        second = EvictionCase.objects.exclude(pk=first.pk).get()
        assert [v.obj.pk for v in violations] == [second.pk]
        assert str(first.pk) in violations[0].message
        EvictionCase.objects.filter(pk=second.pk).delete()
    finally:
        with connection.schema_editor() as editor:
            editor.add_constraint(EvictionCase, constraint)


@pytest.mark.django_db
def test_a_case_of_a_household_only_referred_is_found(operator, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    assert run("eviction_only_for_enrolled") == []
    lease.household.enrollments.update(status="referred", enrolled_on=None)
    violations = run("eviction_only_for_enrolled")
    assert [v.obj for v in violations] == [case]
    assert lease.household.name in violations[0].message


@pytest.mark.django_db
def test_a_closed_case_without_its_outcome_or_date_is_found(operator, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    pay_up(case=case, operator=operator)
    case = services.eviction_cure(actor=operator, case=case, on=TODAY)
    assert run("eviction_closed_has_outcome") == []
    EvictionCase.objects.filter(pk=case.pk).update(outcome="")
    assert [v.obj for v in run("eviction_closed_has_outcome")] == [case]
    EvictionCase.objects.filter(pk=case.pk).update(outcome="evicted", closed_on=None)
    assert len(run("eviction_closed_has_outcome")) == 2


@pytest.mark.django_db
def test_a_cure_not_counted_as_a_sanatoria_is_found(operator, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    pay_up(case=case, operator=operator)
    case = services.eviction_cure(actor=operator, case=case, on=TODAY)
    assert run("eviction_cure_counts_as_sanatoria") == []
    case.grace_uses.all().delete()
    assert [v.obj for v in run("eviction_cure_counts_as_sanatoria")] == [case]


@pytest.mark.django_db
def test_a_rehousing_in_another_households_placement_is_found(programme, operator, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    case = services.eviction_rehouse(
        actor=operator, case=case, on=TODAY, note="x", placement=placement_for(lease.household)
    )
    assert run("eviction_rehoused_in_own_placement") == []
    stranger = active_lease(programme=programme, operator=operator).household
    EvictionCase.objects.filter(pk=case.pk).update(rehousing_placement=placement_for(stranger))
    assert [v.obj for v in run("eviction_rehoused_in_own_placement")] == [case]
    EvictionCase.objects.filter(pk=case.pk).update(rehousing_placement=None)
    assert [v.obj for v in run("eviction_rehoused_in_own_placement")] == [case]


@pytest.mark.django_db
def test_a_notice_of_access_within_the_precetto_term_is_found(operator, lease):
    from datetime import timedelta

    case = case_at_hearing(lease=lease, operator=operator, served_days_ago=120, hearing_in=-95)
    case = services.eviction_validate(actor=operator, case=case, on=case.hearing_on)
    served = TODAY - timedelta(days=40)
    case = services.eviction_precetto_serve(actor=operator, case=case, on=served)
    services.eviction_access_notice(
        actor=operator,
        case=case,
        notice_served_on=served + timedelta(days=11),
        access_on=served + timedelta(days=25),
    )
    assert run("eviction_notice_after_precetto_and_release") == []
    EvictionCase.objects.filter(pk=case.pk).update(
        access_notice_served_on=served + timedelta(days=10)
    )
    assert [v.obj for v in run("eviction_notice_after_precetto_and_release")] == [case]
    EvictionCase.objects.filter(pk=case.pk).update(
        access_notice_served_on=served + timedelta(days=11),
        execution_from=served + timedelta(days=12),
    )
    assert [v.obj for v in run("eviction_notice_after_precetto_and_release")] == [case]
