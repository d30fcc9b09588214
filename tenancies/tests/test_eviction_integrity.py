"""The eviction integrity checks: each finds a violation seeded behind the services' back, and
passes on cases the services built."""

import pytest
from django.db import connection
from django.utils.timezone import localdate

from common.integrity import integrity_run
from tenancies.models import EvictionCase
from tenancies.services import eviction as services
from tenancies.tests.eviction_factories import active_lease, case_at_hearing

CHECKS = [
    "eviction_one_open_case_per_lease",
    "eviction_only_for_enrolled",
    "eviction_closed_has_outcome",
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
    services.eviction_cure(actor=operator, case=closed, on=TODAY)
    services.eviction_case_open(actor=operator, lease=lease, on=TODAY, cause="illness")
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
    case = services.eviction_cure(actor=operator, case=case, on=TODAY)
    assert run("eviction_closed_has_outcome") == []
    EvictionCase.objects.filter(pk=case.pk).update(outcome="")
    assert [v.obj for v in run("eviction_closed_has_outcome")] == [case]
    EvictionCase.objects.filter(pk=case.pk).update(outcome="evicted", closed_on=None)
    assert len(run("eviction_closed_has_outcome")) == 2
