"""Two operators activate two drafts of one landlord at the same moment: exactly one wins.

The service locks the landlord row before checking for an agreement in force; row locks are
real only on PostgreSQL (the partial unique constraint would still stop a second one)."""

import threading

import pytest
from django.db import connection

from common.exceptions import DomainError
from housing.models import LandlordAgreement
from housing.services import agreement_activate
from housing.tests.factories import AgreementFactory, LandlordFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
]


def test_concurrent_activations_leave_one_agreement_in_force(transactional_db, programme, member):
    operators = [member("operator", username=f"op{i}") for i in range(2)]
    landlord = LandlordFactory(programme=programme)
    drafts = [AgreementFactory(landlord=landlord) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def activate(operator, agreement):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            agreement_activate(actor=operator, agreement=agreement)
            outcomes.append("activated")
        except DomainError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=activate, args=(op, draft))
        for op, draft in zip(operators, drafts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["activated", "refused"]
    assert LandlordAgreement.objects.filter(landlord=landlord, status="active").count() == 1
