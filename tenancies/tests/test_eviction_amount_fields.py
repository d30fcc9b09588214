"""The amounts typed on an eviction case's forms (fund application, decision, judge's interest
and costs, settlement): one euro box each, refused with a message when it is not a number,
never a 500 (found by tests/test_form_fuzz_all.py: djmoney's form field took a currency box
too, and a post without it raised CurrencyDoesNotExist)."""

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from common.money import eur
from tenancies.forms import eviction as forms
from tenancies.services import eviction as services
from tenancies.tests.eviction_factories import active_lease, case_with_summons

pytestmark = pytest.mark.django_db

TODAY = localdate().isoformat()


@pytest.fixture
def application(programme, operator):
    case = case_with_summons(
        lease=active_lease(programme=programme, operator=operator), operator=operator
    )
    return services.fund_application_create(
        actor=operator, case=case, applied_on=localdate(), amount_requested="3000"
    )


def _decide(client, application, data):
    url = reverse("tenancies:eviction_fund_decide", args=[application.case.pk, application.pk])
    return client.post(url, {"decision": "granted", "on": TODAY, **data})


@pytest.mark.parametrize(
    "data",
    [
        {"amount_0": "100"},  # djmoney's amount box, no currency: was a 500
        {"amount_0": "100", "amount_1": ""},
        {"amount": "NaN"},
        {"amount": "1e400"},
        {"amount": "-1"},
    ],
)
def test_an_amount_that_is_not_one_is_refused_not_a_500(client_of, operator, application, data):
    response = _decide(client_of(operator), application, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "applied"


def test_the_amount_granted_is_one_euro_box(client_of, operator, application):
    assert _decide(client_of(operator), application, {"amount": "2500"}).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.amount_granted) == ("granted", eur("2500"))


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (forms.FundApplicationForm, "amount_requested"),
        (forms.FundDecisionForm, "amount"),
    ],
)
def test_the_amount_fields_render_one_box_and_clean_to_euros(form_class, name):
    html = str(form_class())
    assert f'name="{name}"' in html and f'name="{name}_1"' not in html
    form = form_class({name: "12.50", "decision": "granted", "on": TODAY, "applied_on": TODAY})
    form.is_valid()
    assert form.cleaned_data[name] == eur("12.50")
