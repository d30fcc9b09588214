"""Two operators press the same button at once: the locked services do the work once."""

import threading

import pytest
from django.db import connection, connections

from common.exceptions import DomainError
from common.models import AuditEvent
from tenancies.models import Assessment, Enrollment
from tenancies.services import enrollment as services

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
]


def race(target, times=2):
    barrier = threading.Barrier(times)
    outcomes = []

    def run():
        try:
            barrier.wait()
            target()
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_concurrent_assessments_record_one_assessment(refer, operator):
    enrollment = refer().enrollments.get()
    services.enrollment_start_assessment(actor=operator, enrollment=enrollment)

    outcomes = race(lambda: services.enrollment_assess(actor=operator, enrollment=enrollment))

    assert outcomes == ["ok", "refused"]
    assert Assessment.objects.count() == 1
    assert AuditEvent.objects.filter(verb="assess").count() == 1
    assert Enrollment.objects.get().status == Enrollment.Status.ELIGIBLE


@pytest.mark.django_db(transaction=True)
def test_concurrent_referrals_reopen_one_enrolment(refer, operator):
    household = refer()
    enrollment = household.enrollments.get()
    services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
    services.enrollment_assess(actor=operator, enrollment=enrollment)
    services.enrollment_enrol(actor=operator, enrollment=enrollment)
    services.enrollment_exit(actor=operator, enrollment=enrollment, reason="moved_away")

    outcomes = race(lambda: services.enrollment_open(actor=operator, household=household))

    assert outcomes == ["ok", "refused"]
    assert household.enrollments.active().count() == 1
