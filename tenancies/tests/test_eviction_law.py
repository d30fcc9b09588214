"""The law, exactly (issue 11): each rule of the procedure refused by its service with the
article in the Italian message, never offered by the page, nothing changed on refusal, and
tested at its boundary (the day before, the day, the day after)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.models import AuditEvent
from common.workflows import next_steps
from tenancies import legal_calendar, legal_clock
from tenancies.models import EvictionCase, GraceUse
from tenancies.selectors.eviction import eviction_cure_balance, eviction_grace_allowance
from tenancies.services import eviction as services
from tenancies.tests.eviction_factories import (
    active_lease,
    case_at_hearing,
    pay_up,
    placement_for,
)

pytestmark = pytest.mark.django_db

TODAY = localdate()


def days(n):
    return TODAY + timedelta(days=n)


@pytest.fixture(autouse=True)
def italian():
    with translation.override("it"):
        yield


@pytest.fixture
def new_lease(programme, operator):
    return lambda: active_lease(programme=programme, operator=operator)


def offered(case, user):
    return [step["name"] for step in next_steps(case, user)]


def refused(call, **kwargs):
    """Run a service expected to refuse; return its error, checking nothing changed."""
    case = kwargs["case"]
    before = EvictionCase.objects.filter(pk=case.pk).values().get()
    events = AuditEvent.objects.count()
    uses = GraceUse.objects.count()
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert EvictionCase.objects.filter(pk=case.pk).values().get() == before
    assert AuditEvent.objects.count() == events and GraceUse.objects.count() == uses
    return error.value


def in_enforcement(lease, operator, *, precetto_on, execution_from=None):
    """A case validated 200 days ago with its precetto served on `precetto_on`."""
    case = case_at_hearing(lease=lease, operator=operator, served_days_ago=230, hearing_in=-200)
    case = services.eviction_validate(
        actor=operator, case=case, on=case.hearing_on, execution_from=execution_from
    )
    return services.eviction_precetto_serve(actor=operator, case=case, on=precetto_on)


def notice(operator, case, on):
    return services.eviction_access_notice(
        actor=operator, case=case, notice_served_on=on, access_on=on + timedelta(days=12)
    )


# --- c.p.c. artt. 480, 482, 608: the notice of access after the precetto's term ---------------


def test_art_482_notice_of_access_waits_for_the_precetto_term(client, operator, new_lease):
    served = days(-30)
    # Day 10, or the next working day when it is a Sunday or holiday (the clock's own tests
    # pin that move): the notice is refused on the term's last day, allowed the day after.
    term_ends = legal_clock.precetto_term_ends(served)
    case = in_enforcement(new_lease(), operator, precetto_on=served)
    error = refused(
        services.eviction_access_notice,
        actor=operator,
        case=case,
        notice_served_on=term_ends,
        access_on=term_ends + timedelta(days=15),
    )
    assert error.field == "notice_served_on"
    assert "482" in error.message and "primo atto dell'esecuzione" in error.message
    case = notice(operator, case, term_ends + timedelta(days=1))
    assert case.access_notice_served_on == term_ends + timedelta(days=1)
    # The page offers the notice only once the term has run (today after its last day).
    client.force_login(operator)
    for served_ago in (10, 11, 12):
        case = in_enforcement(new_lease(), operator, precetto_on=days(-served_ago))
        page = client.get(case.get_absolute_url()).content.decode()
        shown = legal_clock.precetto_term_ends(days(-served_ago)) < TODAY
        assert (reverse("tenancies:eviction_access", args=[case.pk]) in page) is shown


# --- L. 392/1978 art. 56: the release date the convalida fixed ------------------------------


def test_art_56_no_notice_or_access_before_the_release_date(client, operator, new_lease):
    served = days(-40)
    release = days(-10)
    case = in_enforcement(new_lease(), operator, precetto_on=served, execution_from=release)
    error = refused(
        services.eviction_access_notice,
        actor=operator,
        case=case,
        notice_served_on=release - timedelta(days=1),
        access_on=release + timedelta(days=20),
    )
    assert error.field == "notice_served_on" and "art. 56" in error.message
    case = notice(operator, case, release)
    assert case.access_notice_served_on == release
    client.force_login(operator)
    for release_in, shown in ((1, False), (0, True), (-1, True)):
        case = in_enforcement(
            new_lease(), operator, precetto_on=served, execution_from=days(release_in)
        )
        page = client.get(case.get_absolute_url()).content.decode()
        assert (reverse("tenancies:eviction_access", args=[case.pk]) in page) is shown


def test_art_56_the_release_date_is_recorded_on_the_validate_step(client, operator, new_lease):
    case = case_at_hearing(lease=new_lease(), operator=operator)
    client.force_login(operator)
    url = reverse("common:step", args=["eviction", case.pk, "validate"])
    response = client.post(url, {"on": TODAY.isoformat(), "execution_from": days(-1).isoformat()})
    assert "art. 56" in response.content.decode()
    client.post(url, {"on": TODAY.isoformat(), "execution_from": days(30).isoformat()})
    case.refresh_from_db()
    assert (case.status, case.execution_from) == ("validated", days(30))


# --- c.p.c. art. 481: the precetto lapses; an opposition suspends it; a new one restarts ------


def test_art_481_a_lapsed_precetto_refuses_the_notice_and_is_renewed(client, operator, new_lease):
    # 95 days ago: lapsed whatever the calendar (day 90 moves by at most four days off).
    case = in_enforcement(new_lease(), operator, precetto_on=days(-95))
    error = refused(
        services.eviction_access_notice,
        actor=operator,
        case=case,
        notice_served_on=TODAY,
        access_on=days(12),
    )
    assert "art. 481" in error.message
    assert "renew_precetto" in offered(case, operator)
    case = services.eviction_precetto_renew(actor=operator, case=case, on=TODAY)
    assert (case.precetto_served_on, case.precetto_renewals) == (TODAY, 1)
    # Both terms run from today; where day 10 or day 90 is a Sunday or holiday the clock moves
    # it (legal_clock's own tests pin those edges), so the expectation asks the clock.
    assert [(t.kind, t.due_on) for t in case.tasks.all()] == [
        ("precetto_term", legal_clock.precetto_term_ends(TODAY)),
        ("precetto_lapse", legal_clock.precetto_lapses_on(TODAY)),
    ]
    assert "renew_precetto" not in offered(case, operator)


@pytest.mark.parametrize("served_ago", [89, 90, 91, 95])
def test_art_481_renewal_only_once_the_precetto_lapsed(operator, new_lease, served_ago):
    # The last day is day 90, or the next working day when that is a Saturday, Sunday or
    # holiday (legal_clock's tests pin the move): served 91 days ago, the precetto lapsed
    # yesterday unless yesterday was such a day. Served 95 days ago, it has lapsed whatever
    # the calendar (no run of days off is longer than four: 2023-12-23 to 26).
    renewable = legal_clock.precetto_lapses_on(days(-served_ago)) < TODAY
    assert renewable if served_ago == 95 else served_ago == 91 or not renewable
    case = in_enforcement(new_lease(), operator, precetto_on=days(-served_ago))
    assert ("renew_precetto" in offered(case, operator)) is renewable
    if not renewable:
        error = refused(services.eviction_precetto_renew, actor=operator, case=case, on=TODAY)
        assert "art. 481" in error.message


def test_art_481_co_2_an_opposition_to_the_precetto_moves_its_lapse(client, operator, new_lease):
    served = days(-100)  # would have lapsed 10 days ago
    case = in_enforcement(new_lease(), operator, precetto_on=served)
    case = services.eviction_precetto_oppose(
        actor=operator, case=case, on=served + timedelta(days=20)
    )
    assert case.precetto_lapse_day() is None
    assert "precetto_lapse" not in [t.kind for t in case.tasks.all()]
    client.force_login(operator)
    assert "opposizione" in client.get(case.get_absolute_url()).content.decode()
    assert offered(case, operator)[:1] == ["decide_precetto_opposition"]
    case = services.eviction_precetto_opposition_decide(
        actor=operator,
        case=case,
        on=served + timedelta(days=50),
        outcome=EvictionCase.OppositionOutcome.REJECTED,
    )
    # Pending 30 days: the precetto lapses on day 120 (today + 20, or the next working day
    # when that is a Saturday, Sunday or holiday), not on day 90.
    lapse = legal_calendar.next_working_day(days(20), saturday_off=True)
    assert case.precetto_lapse_day() == lapse
    assert ("precetto_lapse", lapse) in [(t.kind, t.due_on) for t in case.tasks.all()]
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="precetto-lapse"' in page
    assert "renew_precetto" not in offered(case, operator)
    assert notice(operator, case, TODAY).access_notice_served_on == TODAY


def test_art_481_an_opposition_upheld_voids_the_precetto(operator, new_lease):
    case = in_enforcement(new_lease(), operator, precetto_on=days(-20))
    case = services.eviction_precetto_oppose(actor=operator, case=case, on=days(-15))
    error = refused(
        services.eviction_precetto_opposition_decide,
        actor=operator,
        case=case,
        on=days(-16),
        outcome="upheld",
    )
    assert "art. 627" in error.message
    case = services.eviction_precetto_opposition_decide(
        actor=operator, case=case, on=days(-5), outcome="upheld"
    )
    assert not case.takes_access_notice
    error = refused(
        services.eviction_access_notice,
        actor=operator,
        case=case,
        notice_served_on=TODAY,
        access_on=days(12),
    )
    assert "art. 615" in error.message
    assert "renew_precetto" in offered(case, operator)


# --- L. 392/1978 art. 55 co. 1; Corte cost. 205/2021: cure means paying everything -----------


def test_art_55_cure_needs_rent_interest_and_costs_paid_in_full(client, operator, new_lease):
    case = case_at_hearing(lease=new_lease(), operator=operator)
    assert "cure" not in offered(case, operator)
    amounts = {"interest": Decimal("30"), "costs": Decimal("120")}
    pay_up(case=case, operator=operator)  # the rent, not the interest and costs
    error = refused(services.eviction_cure, actor=operator, case=case, on=TODAY, **amounts)
    assert "150,00" in error.message and "205/2021" in error.message
    case.cure_interest, case.cure_costs = amounts["interest"], amounts["costs"]
    pay_up(case=case, operator=operator, short_by="0.01")
    error = refused(services.eviction_cure, actor=operator, case=case, on=TODAY, **amounts)
    assert "0,01" in error.message and "art. 55" in error.message
    pay_up(case=case, operator=operator)
    case = services.eviction_cure(actor=operator, case=case, on=TODAY, **amounts)
    assert (case.status, case.cure_costs.amount) == ("cured", Decimal("120.00"))


def test_art_55_the_rent_counted_is_the_rent_fallen_due_before_the_hearing(operator, new_lease):
    lease = new_lease()
    case = case_at_hearing(lease=lease, operator=operator)
    due = lease.dues.order_by("due_date").last()
    before = eviction_cure_balance(case=case, on=due.due_date - timedelta(days=1))
    on_day = eviction_cure_balance(case=case, on=due.due_date)
    after = eviction_cure_balance(case=case, on=due.due_date + timedelta(days=1))
    assert before.rent_due == on_day.rent_due
    assert after.rent_due == on_day.rent_due + due.amount.amount


def test_art_55_interest_and_costs_set_with_the_grace_count_at_the_cure(operator, new_lease):
    case = case_at_hearing(lease=new_lease(), operator=operator)
    case = services.eviction_grace_grant(
        actor=operator,
        case=case,
        granted_on=TODAY,
        days=30,
        new_hearing_on=days(35),
        interest="12.50",
        costs="300",
    )
    pay_up(case=case, operator=operator, short_by="312.50")
    assert "cure" not in offered(case, operator)
    error = refused(services.eviction_cure, actor=operator, case=case, on=TODAY)
    assert "312,50" in error.message
    pay_up(case=case, operator=operator)
    assert "cure" in offered(case, operator)
    assert services.eviction_cure(actor=operator, case=case, on=TODAY).status == "cured"


# --- L. 392/1978 art. 55 co. 4: paying at the first hearing and a grace both count -------------


def test_art_55_co_4_paying_at_the_first_hearing_is_a_use_of_the_sanatoria(operator, new_lease):
    lease = new_lease()
    first = case_at_hearing(lease=lease, operator=operator, cause="separation")
    for years_ago in (1, 2):
        services.eviction_past_grace_record(
            actor=operator, case=first, granted_on=TODAY - timedelta(days=365 * years_ago)
        )
    pay_up(case=first, operator=operator)
    services.eviction_cure(actor=operator, case=first, on=TODAY)
    use = GraceUse.objects.get(case=first)
    assert (use.kind, use.granted_on) == (GraceUse.Kind.PAID_AT_HEARING, TODAY)
    second = case_at_hearing(lease=lease, operator=operator, cause="separation")
    allowance, _wider = eviction_grace_allowance(case=second, on=TODAY)
    assert (allowance.uses_in_window, allowance.allowed) == (3, False)
    pay_up(case=second, operator=operator)
    assert {"grant_grace", "cure"}.isdisjoint(offered(second, operator))
    error = refused(services.eviction_cure, actor=operator, case=second, on=TODAY)
    assert "art. 55" in error.message
    error = refused(
        services.eviction_grace_grant,
        actor=operator,
        case=second,
        granted_on=TODAY,
        days=30,
        new_hearing_on=days(35),
    )
    assert "art. 55" in error.message


# --- L. 392/1978 art. 55 co. 2: the grace period runs its course ------------------------------


@pytest.mark.parametrize(("new_hearing_in", "may_validate"), [(1, False), (0, True), (-1, True)])
def test_art_55_convalida_only_at_the_new_hearing_after_the_grace(
    client, operator, new_lease, new_hearing_in, may_validate
):
    case = case_at_hearing(lease=new_lease(), operator=operator, served_days_ago=90, hearing_in=-65)
    case = services.eviction_grace_grant(
        actor=operator,
        case=case,
        granted_on=case.hearing_on,
        days=60,
        new_hearing_on=days(new_hearing_in),
    )
    assert ("validate" in offered(case, operator)) is may_validate
    client.force_login(operator)
    step = reverse("common:step", args=["eviction", case.pk, "validate"])
    assert (client.get(step).status_code == 200) is may_validate
    error = refused(
        services.eviction_validate, actor=operator, case=case, on=days(new_hearing_in - 1)
    )
    assert "art. 55" in error.message and error.field == "on"
    if may_validate:
        case = services.eviction_validate(actor=operator, case=case, on=days(new_hearing_in))
        assert case.status == "validated"


def test_art_55_no_convalida_when_the_tenant_paid_during_the_grace(operator, new_lease):
    case = case_at_hearing(lease=new_lease(), operator=operator, served_days_ago=90, hearing_in=-65)
    case = services.eviction_grace_grant(
        actor=operator, case=case, granted_on=case.hearing_on, days=60, new_hearing_on=TODAY
    )
    pay_up(case=case, operator=operator)
    assert "validate" not in offered(case, operator) and "cure" in offered(case, operator)
    error = refused(services.eviction_validate, actor=operator, case=case, on=TODAY)
    assert "art. 55" in error.message


# --- L. 392/1978 art. 55 co. 3: the wider grace, from the lease's signing date ----------------


@pytest.mark.parametrize(
    ("signed_on", "wider"),
    [(None, False), (date(2025, 6, 1), False), (date(2025, 5, 31), True)],
)
def test_art_55_co_3_the_wider_grace_reads_the_signing_date(operator, new_lease, signed_on, wider):
    case = case_at_hearing(
        lease=new_lease(),
        operator=operator,
        cause="hardship",
        cause_arose_on=date(2025, 6, 1),
        lease_signed_on=signed_on,
        arrears_amount="1000",
    )
    assert eviction_grace_allowance(case=case, on=TODAY) == (
        eviction_grace_allowance(case=case, on=TODAY)[0],
        wider,
    )
    grant = {"actor": operator, "case": case, "granted_on": TODAY, "days": 120}
    if wider:
        case = services.eviction_grace_grant(new_hearing_on=days(125), **grant)
        assert case.grace_exceptional
    else:
        error = refused(services.eviction_grace_grant, new_hearing_on=days(125), **grant)
        assert error.field == "days"


# --- the rinvio ------------------------------------------------------------------------------


def test_rinvio_adjourns_the_hearing_and_holds_its_outcome(operator, new_lease):
    case = case_at_hearing(lease=new_lease(), operator=operator, hearing_in=-10)
    error = refused(
        services.eviction_hearing_adjourn,
        actor=operator,
        case=case,
        on=days(-10),
        adjourned_to=days(-10),
    )
    assert error.field == "adjourned_to"
    case = services.eviction_hearing_adjourn(
        actor=operator, case=case, on=days(-10), adjourned_to=days(1)
    )
    assert (case.hearing_on, case.hearing_adjournments, case.status) == (days(1), 1, "hearing")
    assert [(t.kind, t.due_on) for t in case.tasks.all()] == [("hearing_outcome", days(1))]
    assert {"grant_grace", "validate", "oppose", "adjourn"}.isdisjoint(offered(case, operator))
    error = refused(services.eviction_validate, actor=operator, case=case, on=TODAY)
    assert error.field == "on"
    # The day of the new hearing comes (moved here): its outcome may be recorded.
    EvictionCase.objects.filter(pk=case.pk).update(hearing_on=TODAY)
    case.refresh_from_db()
    assert {"grant_grace", "validate", "oppose", "adjourn"} <= set(offered(case, operator))


# --- c.p.c. artt. 665-667: opposition, ordinary proceedings, the judgment --------------------


def test_art_667_opposition_leaves_the_convalida_path_until_the_judgment(operator, new_lease):
    case = case_at_hearing(lease=new_lease(), operator=operator)
    case = services.eviction_oppose(actor=operator, case=case, on=TODAY)
    assert case.status == "opposed"
    assert offered(case, operator) == [
        "settle",
        "judgment_release",
        "judgment_dismiss",
        "withdraw",
    ]
    error = refused(services.eviction_judgment_release, actor=operator, case=case, on=days(-1))
    assert "art. 667" in error.message
    case = services.eviction_judgment_release(
        actor=operator, case=case, on=TODAY, execution_from=days(60)
    )
    assert (case.status, case.judgment_on, case.convalida_on) == ("validated", TODAY, None)
    case = services.eviction_precetto_serve(actor=operator, case=case, on=TODAY)
    assert case.status == "enforcement_scheduled"


def test_art_667_a_judgment_for_the_tenant_closes_the_case(operator, new_lease):
    lease = new_lease()
    case = case_at_hearing(lease=lease, operator=operator)
    case = services.eviction_oppose(actor=operator, case=case, on=TODAY)
    case = services.eviction_judgment_dismiss(
        actor=operator, case=case, on=TODAY, note="Domanda rigettata"
    )
    assert (case.status, case.outcome, case.closed_on) == ("dismissed", "dismissed", TODAY)
    assert services.eviction_case_open(actor=operator, lease=lease, on=TODAY, cause="other")


# --- rehousing in the household's placement ---------------------------------------------------


def test_rehousing_links_the_households_accepted_or_active_placement(client, operator, new_lease):
    lease = new_lease()
    case = case_at_hearing(lease=lease, operator=operator)
    placement_for(lease.household, status="proposed")
    assert "rehouse" not in offered(case, operator)
    stranger = placement_for(new_lease().household)
    error = refused(
        services.eviction_rehouse,
        actor=operator,
        case=case,
        on=TODAY,
        note="x",
        placement=stranger,
    )
    assert error.field == "placement"
    accepted = placement_for(lease.household)
    assert "rehouse" in offered(case, operator)
    client.force_login(operator)
    url = reverse("common:step", args=["eviction", case.pk, "rehouse"])
    form = client.get(url).context["form"]
    assert list(form.fields["placement"].queryset) == [accepted]
    response = client.post(
        url, {"on": TODAY.isoformat(), "placement": accepted.pk, "note": "Trasferiti"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.rehousing_placement) == ("rehoused", accepted)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="rehousing-placement"' in page


# --- c.p.c. art. 155: a deadline moved off a non-working day shows both dates --------------


def test_art_155_cpc_a_moved_deadline_shows_the_plain_count_and_why(client, operator, new_lease):
    """The precetto's 90 days end on a Sunday: the task is due the Monday after, and the case
    page shows the plain count, the reason and the moved date."""
    precetto_on = localdate() - timedelta(days=20)
    while (precetto_on + timedelta(days=90)).weekday() != 6:  # the 90th day a Sunday
        precetto_on -= timedelta(days=1)
    case = in_enforcement(new_lease(), operator, precetto_on=precetto_on)
    task = case.tasks.get(kind="precetto_lapse")
    sunday = precetto_on + timedelta(days=90)
    assert task.nominal_on == sunday
    assert task.due_on > sunday and task.due_on.weekday() < 5
    assert str(task.moved_because) in ("domenica", "Sunday")
    client.force_login(operator)
    page = client.get(case.get_absolute_url()).content.decode()
    shown = date_format(sunday, "SHORT_DATE_FORMAT")
    assert shown in page and "domenica" in page
