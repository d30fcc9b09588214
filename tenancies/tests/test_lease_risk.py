"""The early warnings are read from stored scores of the day (tenancies.models.risk): computed
once per lease and day, forgotten by the writes that change a lease's history, and checked."""

from datetime import date

import pytest

from common.integrity import integrity_run
from tenancies.models import LeaseRisk
from tenancies.selectors.arrears import early_warnings
from tenancies.services.leases import lease_end
from tenancies.services.monthly import run_monthly
from tenancies.services.risk import lease_risks_complete
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for
from tenancies.tests.test_leases import activate, pay

pytestmark = pytest.mark.django_db

DAY = date(2026, 2, 10)


@pytest.fixture
def late(programme, operator):
    """January paid late, February due on the 5th and not paid."""
    lease = LeaseFactory(household__programme=programme, household__name="Da chiamare")
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    activate(lease, operator, today=DAY)
    pay(lease, operator, "550.00", date(2026, 1, 28))
    return lease


def names(warnings):
    return [lease.household.name for lease, _signal in warnings]


def test_scores_are_stored_once_per_day(late, programme, django_assert_num_queries):
    first = early_warnings(programme=programme, today=DAY)
    assert names(first) == ["Da chiamare"]
    row = LeaseRisk.objects.get(lease=late)
    assert (row.computed_on, row.score) == (DAY, first[0][1].score)
    # The second view reads the stored rows: two counts (complete?), then the page's rows.
    with django_assert_num_queries(2):
        again = early_warnings(programme=programme, today=DAY)
        shown = [(lease.get_absolute_url(), lease.household.name) for lease, _s in again]
    assert [(lease.pk, signal.score) for lease, signal in again] == [(late.pk, row.score)]
    assert shown == [(late.get_absolute_url(), "Da chiamare")]


def test_a_payment_forgets_the_score_and_the_desk_sees_it_at_once(late, programme, operator):
    assert names(early_warnings(programme=programme, today=DAY)) == ["Da chiamare"]
    pay(late, operator, "550.00", DAY)
    assert not LeaseRisk.objects.filter(lease=late).exists()
    warnings = early_warnings(programme=programme, today=DAY)
    # Paid now: no month unpaid, only January's lateness remains (not enough for a trend).
    assert all("non pagat" not in reason for _l, s in warnings for reason in s.reasons)


def test_the_next_day_scores_again(late, programme):
    early_warnings(programme=programme, today=DAY)
    early_warnings(programme=programme, today=date(2026, 2, 11))
    assert list(LeaseRisk.objects.values_list("computed_on", flat=True)) == [date(2026, 2, 11)]


def test_the_monthly_run_forgets_every_score(late, programme):
    early_warnings(programme=programme, today=DAY)
    run_monthly(month=date(2026, 3, 1), today=date(2026, 3, 10))
    assert not LeaseRisk.objects.exists()


def test_integrity_finds_a_score_that_is_not_the_history(late, programme):
    early_warnings(programme=programme, today=DAY)
    assert integrity_run(["lease_risk_matches_history"]) == []
    LeaseRisk.objects.filter(lease=late).update(score=99)
    (violation,) = integrity_run(["lease_risk_matches_history"])
    assert violation.obj == late and "99" in violation.message


def test_a_lease_activated_after_the_day_was_scored_is_scored_on_the_next_view(
    late, programme, operator
):
    early_warnings(programme=programme, today=DAY)
    assert lease_risks_complete(programme=programme, today=DAY)
    other = LeaseFactory(household__programme=programme, household__name="Nuovo contratto")
    active_agreement_for(other.landlord, valid_from=date(2025, 1, 1))
    activate(other, operator, today=DAY)
    assert not lease_risks_complete(programme=programme, today=DAY)
    early_warnings(programme=programme, today=DAY)
    assert LeaseRisk.objects.filter(lease=other, computed_on=DAY).exists()
    assert lease_risks_complete(programme=programme, today=DAY)


def test_an_ended_lease_forgets_its_score_so_the_counts_stay_exact(late, programme, operator):
    """Only active leases keep a row: a new lease activated the day another ends is not hidden
    by the ended lease's row."""
    early_warnings(programme=programme, today=DAY)
    lease_end(actor=operator, lease=late, on=DAY)
    assert not LeaseRisk.objects.filter(lease=late).exists()
    assert lease_risks_complete(programme=programme, today=DAY)


def test_a_row_kept_for_a_lease_no_longer_active_is_dropped_by_the_next_view(
    late, programme, operator
):
    early_warnings(programme=programme, today=DAY)
    kept = LeaseRisk.objects.get(lease=late)
    lease_end(actor=operator, lease=late, on=DAY)
    assert integrity_run(["lease_risk_only_active"]) == []
    kept.save()  # as if written by a refresh that scored the lease while it was being ended
    (violation,) = integrity_run(["lease_risk_only_active"])
    assert violation.obj == late
    assert not lease_risks_complete(programme=programme, today=DAY)
    early_warnings(programme=programme, today=DAY)
    assert not LeaseRisk.objects.exists()
    assert lease_risks_complete(programme=programme, today=DAY)
