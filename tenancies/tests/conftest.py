from datetime import timedelta

import pytest
from django.utils.timezone import localdate

from tenancies.models import PactCommitment
from tenancies.services import enrollment as enrollment_services
from tenancies.services import pacts as pact_services
from tenancies.services.households import household_refer
from tenancies.tests.factories import referral_data


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a temporary folder, one per test."""
    settings.MEDIA_ROOT = tmp_path / "documents"
    return settings.MEDIA_ROOT


@pytest.fixture
def refer(operator, programme):
    """`refer(**overrides)`: a household referred by the operator through the service."""

    def make(actor=None, programme=programme, **overrides):
        return household_refer(
            actor=actor or operator,
            programme=programme,
            operator=overrides.pop("operator", actor or operator),
            **referral_data(**overrides),
        )

    return make


@pytest.fixture
def enrolled(refer, operator):
    """A household enrolled through every step, and a draft pact with both sides' commitments."""
    household = refer()
    enrollment = household.enrollments.get()
    enrollment_services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
    enrollment_services.enrollment_assess(actor=operator, enrollment=enrollment)
    enrollment_services.enrollment_enrol(actor=operator, enrollment=enrollment)
    pact = pact_services.pact_create(
        actor=operator,
        household=household,
        goal="Ritrovare un lavoro stabile",
        starts_on=localdate(),
        ends_on=localdate() + timedelta(days=365),
        review_every_months=3,
    )
    pact_services.commitment_add(
        actor=operator,
        pact=pact,
        party=PactCommitment.Party.HOUSEHOLD,
        description="Frequentare il corso di bilancio familiare",
    )
    pact_services.commitment_add(
        actor=operator,
        pact=pact,
        party=PactCommitment.Party.PROGRAMME,
        description="Garanzia del fondo sul canone",
    )
    return household
