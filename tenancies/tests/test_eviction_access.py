"""Every eviction URL for every role: the programme's operators only; another programme's
operator gets 404 on its cases; the calendar feed answers to its secret alone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate
from icalendar import Calendar

from common.roles import Role
from common.tests.two_factor import login_verified
from tenancies.services import eviction as actions
from tenancies.services.arrears import (
    arrears_case_contact,
    arrears_case_escalate,
    arrears_case_open,
)
from tenancies.tests.eviction_factories import (
    active_lease,
    case_at_hearing,
    case_with_summons,
    pay_up,
)

# (url name, which object its pk comes from or None, method)
EVICTION_URLS = [
    ("eviction_dashboard", None, "get"),
    ("eviction_open", None, "get"),
    ("eviction_policy", None, "get"),
    ("eviction_rules", None, "get"),
    ("eviction_calendar", None, "get"),
    ("eviction_feed", "token", "get"),
    ("eviction_from_arrears", "arrears", "get"),
    ("eviction_case", "case", "get"),
    ("eviction_step_settle", "case", "get"),
    ("eviction_meeting", "case", "post"),
    ("eviction_access", "case", "post"),
    ("eviction_postpone", "case", "post"),
    ("eviction_past_grace", "case", "post"),
    ("eviction_paper", "case", "post"),
    ("eviction_fund", "case", "post"),
    ("eviction_fund_decide", "application", "post"),
    ("eviction_fund_receive", "application", "post"),
    ("eviction_step_cure", "case", "get"),
]


@pytest.fixture
def world(programme, operator):
    lease = active_lease(programme=programme, operator=operator)
    case = case_at_hearing(lease=lease, operator=operator)
    pay_up(case=case, operator=operator)  # so the cure step is open (L. 392/1978 art. 55)
    other = active_lease(programme=programme, operator=operator)
    arrears = arrears_case_open(actor=operator, lease=other, on=localdate(), origin="operator")
    arrears_case_contact(actor=operator, case=arrears, note="Chiamata")
    arrears_case_escalate(actor=operator, case=arrears, note="Sfratto")
    application = actions.fund_application_create(
        actor=operator, case=case, applied_on=localdate(), amount_requested="1000"
    )
    token = actions.calendar_token_issue(user=operator, programme=programme)
    return {
        "case": case,
        "arrears": arrears,
        "application": application,
        "token": token,
    }


def url_for(name, source, world):
    if source is None:
        return reverse(f"tenancies:{name}")
    if source == "token":
        return reverse(f"tenancies:{name}", args=[world["token"]])
    if source == "application":
        return reverse(f"tenancies:{name}", args=[world["case"].pk, world["application"].pk])
    if name.startswith("eviction_step_"):  # the generic step view (common.workflows)
        step = name.removeprefix("eviction_step_")
        return reverse("common:step", args=["eviction", world["case"].pk, step])
    return reverse(f"tenancies:{name}", args=[world[source].pk])


def expected(role, method, *, feed, name="") -> int:
    if feed:  # the secret in the address is the login
        return 200
    if name == "eviction_rules" and role == Role.FUND_ADMIN:  # the rules page: read only
        return 200
    if role != Role.OPERATOR:
        return 403
    return 302 if method == "post" else 200


@pytest.mark.parametrize(("name", "source", "method"), EVICTION_URLS)
def test_every_eviction_url_for_every_role(
    world, client, member, other_programme, operator, name, source, method
):
    url = url_for(name, source, world)
    feed = source == "token"
    cases = [(None, None, 200 if feed else 302)]
    for role in Role.values:
        user = operator if role == Role.OPERATOR else member(role, username=f"{role}-{name}")
        want = expected(role, method, feed=feed, name=name)
        cases.append((role, user, want))
    elsewhere = member("operator", programme=other_programme, username=f"elsewhere-{name}")
    cases.append(("elsewhere", elsewhere, 200 if feed or not source else 404))
    for role, user, want in cases:
        client.logout()
        if user is not None:
            login_verified(client, user)
        response = getattr(client, method)(url)
        assert response.status_code == want, (role, url, response.status_code)


def test_a_wrong_or_replaced_token_gets_nothing(client, world, operator, programme):
    assert client.get(reverse("tenancies:eviction_feed", args=["nope"])).status_code == 404
    old = world["token"]
    actions.calendar_token_issue(user=operator, programme=programme)
    assert client.get(reverse("tenancies:eviction_feed", args=[old])).status_code == 404


def test_the_feed_parses_and_holds_only_the_operators_own_cases(
    client, programme, operator, member
):
    colleague = member("operator", username="collega")
    mine = case_with_summons(
        lease=active_lease(programme=programme, operator=operator), operator=operator, hearing_in=12
    )
    theirs = case_with_summons(
        lease=active_lease(programme=programme, operator=colleague),
        operator=colleague,
        hearing_in=15,
    )
    token = actions.calendar_token_issue(user=operator, programme=programme)
    response = client.get(reverse("tenancies:eviction_feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [localdate() + timedelta(days=12)]
    text = response.content.decode()
    assert f"case {mine.pk}" in text or f"pratica {mine.pk}" in text
    assert f"-{theirs.pk}-" not in text
    assert mine.lease.household.name not in text


def test_eviction_dashboard_queries_do_not_grow_with_cases(
    programme, operator, client, django_assert_max_num_queries
):
    login_verified(client, operator)
    for _i in range(3):
        case_with_summons(
            lease=active_lease(programme=programme, operator=operator),
            operator=operator,
            hearing_in=5,
        )
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("tenancies:eviction_dashboard"))
    for _i in range(12):
        case_with_summons(
            lease=active_lease(programme=programme, operator=operator),
            operator=operator,
            hearing_in=5,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("tenancies:eviction_dashboard"))
