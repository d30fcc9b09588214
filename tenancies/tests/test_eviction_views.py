"""Eviction pages: the step line, the dashboard's next deadline, refusals shown in words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from tenancies.models import EvictionCase
from tenancies.tests.eviction_factories import active_lease, case_at_hearing, case_with_summons

pytestmark = pytest.mark.django_db


@pytest.fixture
def lease(programme, operator):
    return active_lease(programme=programme, operator=operator)


def test_case_page_shows_the_step_line_with_the_current_step(client, operator, lease):
    case = case_with_summons(lease=lease, operator=operator, hearing_in=20)
    client.force_login(operator)
    page = client.get(case.get_absolute_url()).content.decode()
    assert '<ol class="steps">' in page
    assert 'class="step step-current" aria-current="step"' in page
    assert "Udienza di convalida" in page


def test_dashboard_lists_cases_by_next_deadline(client, operator, programme):
    late = case_with_summons(
        lease=active_lease(programme=programme, operator=operator), operator=operator, hearing_in=-2
    )
    later = case_with_summons(
        lease=active_lease(programme=programme, operator=operator), operator=operator, hearing_in=30
    )
    client.force_login(operator)
    page = client.get(reverse("tenancies:eviction_dashboard")).content.decode()
    assert page.index(late.get_absolute_url()) < page.index(later.get_absolute_url())
    assert "scaduta" in page
    overdue = client.get(reverse("tenancies:eviction_dashboard") + "?show=overdue")
    assert later.get_absolute_url() not in overdue.content.decode()


def step_url(case, step):
    return reverse("common:step", args=["eviction", case.pk, step])


def test_an_illegal_move_is_refused_in_words_and_changes_nothing(client, operator, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    client.force_login(operator)
    page = client.get(case.get_absolute_url()).content.decode()
    assert step_url(case, "serve_precetto") not in page
    response = client.post(
        step_url(case, "serve_precetto"), {"on": localdate().isoformat()}, follow=True
    )
    assert "non è possibile" in response.content.decode()
    case.refresh_from_db()
    assert case.status == EvictionCase.Status.HEARING and case.precetto_served_on is None


def test_a_refusal_of_the_service_shows_on_the_step_form(client, operator, lease):
    case = case_at_hearing(lease=lease, operator=operator)
    client.force_login(operator)
    response = client.post(
        step_url(case, "grant_grace"),
        {
            "granted_on": localdate().isoformat(),
            "days": 100,
            "new_hearing_on": (localdate() + timedelta(days=105)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    case.refresh_from_db()
    assert case.status == "hearing"


def test_an_exhausted_grace_is_not_offered_and_refused(client, operator, lease):
    case = case_at_hearing(lease=lease, operator=operator, cause="separation")
    client.force_login(operator)
    assert step_url(case, "grant_grace") in client.get(case.get_absolute_url()).content.decode()
    for years_ago in (1, 2, 3):
        client.post(
            reverse("tenancies:eviction_past_grace", args=[case.pk]),
            {"granted_on": (localdate() - timedelta(days=365 * years_ago - 5)).isoformat()},
        )
    page = client.get(case.get_absolute_url()).content.decode()
    assert step_url(case, "grant_grace") not in page
    assert "Diritto esaurito" in page
    response = client.post(
        step_url(case, "grant_grace"),
        {
            "granted_on": localdate().isoformat(),
            "days": 30,
            "new_hearing_on": (localdate() + timedelta(days=35)).isoformat(),
        },
        follow=True,
    )
    assert "non è possibile" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "hearing"


def test_escalated_arrears_case_links_to_eviction_prevention(client, operator, lease):
    from tenancies.services.arrears import (
        arrears_case_contact,
        arrears_case_escalate,
        arrears_case_open,
    )

    arrears = arrears_case_open(actor=operator, lease=lease, on=localdate(), origin="operator")
    arrears_case_contact(actor=operator, case=arrears, note="Chiamata")
    arrears_case_escalate(actor=operator, case=arrears, note="Sfratto")
    client.force_login(operator)
    link = reverse("tenancies:eviction_from_arrears", args=[arrears.pk])
    assert link in client.get(arrears.get_absolute_url()).content.decode()
    response = client.post(link, {"cause": "unemployment"})
    case = EvictionCase.objects.get(arrears_case=arrears)
    assert response.url == case.get_absolute_url()
