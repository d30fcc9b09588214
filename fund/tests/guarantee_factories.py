"""Set-up for guarantee and claim tests, built through the services."""

from datetime import date

from django.utils.timezone import localdate

from fund.services.claims import claim_approve, claim_review, claim_submit
from fund.services.guarantees import guarantee_activate, guarantee_approve, guarantee_request
from fund.tests.factories import make_contribution
from tenancies.models import Enrollment, Lease
from tenancies.services.leases import dues_create_for_lease, lease_activate
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for


def enrol(household, *, on=date(2020, 1, 1)):
    """Set-up: the household is enrolled in the programme (the row, not the workflow); a
    household the lease factory enrolled already keeps that enrolment."""
    existing = household.enrollments.filter(status=Enrollment.Status.ENROLLED).first()
    if existing is not None:
        return existing
    return Enrollment.objects.create(
        household=household, status=Enrollment.Status.ENROLLED, referred_on=on, enrolled_on=on
    )


def guaranteed_lease(
    *, programme, operator, rent="500", start=None, enrolled=True, **agreement_terms
):
    """An active lease (rent + 50 charges) of an enrolled household and a landlord with an
    active agreement, dues to today."""
    lease = LeaseFactory(
        household__programme=programme,
        household__operator=operator,
        start_date=start or date(localdate().year - 1, 1, 1),
        end_date=date(localdate().year + 2, 1, 1),
        rent=rent,
        enrolled=enrolled,
    )
    active_agreement_for(lease.landlord, valid_from=date(2020, 1, 1), **agreement_terms)
    if enrolled:
        enrol(lease.household)
        lease_activate(actor=operator, lease=lease, today=localdate())
    else:
        # The services never activate a lease of a household not enrolled: write it as data
        # imported before the rule would have left it.
        Lease.objects.filter(pk=lease.pk).update(status=Lease.Status.ACTIVE)
    lease.refresh_from_db()
    dues_create_for_lease(lease=lease, until=localdate())
    return lease


def funded(fund, amount="20000.00", actor=None):
    make_contribution(fund=fund, amount=amount, actor=actor)
    return fund


def active_guarantee(*, fund, lease, operator, admin):
    guarantee = guarantee_request(actor=operator, fund=fund, lease=lease)
    guarantee_approve(actor=admin, guarantee=guarantee)
    return guarantee_activate(actor=admin, guarantee=guarantee)


def approved_claim(*, guarantee, submitter, reviewer, approver, months=2):
    dues = list(guarantee.lease.dues.order_by("month"))[:months]
    claim = claim_submit(actor=submitter, guarantee=guarantee, due_ids=[d.pk for d in dues])
    claim_review(actor=reviewer, claim=claim)
    return claim_approve(actor=approver, claim=claim)
