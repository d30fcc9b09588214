"""Every view of a household's records leaves one row (who, what, when, from where), and the
fund's administrators read them on the household's "Chi ha consultato" page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tenancies.models import HouseholdAccess
from tenancies.services import pacts as pact_services
from tenancies.tests.test_privacy_export import PDF, upload

pytestmark = pytest.mark.django_db


def test_viewing_the_household_page_logs_who_what_and_from_where(
    enrolled, operator, client_of, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    client = client_of(operator)
    response = client.get(
        reverse("tenancies:household_detail", args=[enrolled.pk]),
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 200
    access = HouseholdAccess.objects.get()
    assert (access.user, access.household, access.what) == (
        operator,
        enrolled,
        HouseholdAccess.What.DETAIL,
    )
    assert access.ip == "203.0.113.9"
    assert access.at is not None


def test_documents_pact_pdf_and_timeline_are_logged_with_their_object(
    enrolled, operator, client_of
):
    document = upload(enrolled, operator, "isee.pdf", PDF)
    pact = enrolled.pacts.get()
    pact_services.pact_sign(
        actor=operator, pact=pact, place="Montichiari", household_signatory="Mario Rossi"
    )
    client = client_of(operator)
    download = client.get(reverse("tenancies:document_download", args=[enrolled.pk, document.pk]))
    b"".join(download.streaming_content)  # consumed, so the file closes (not .close(): see matrix)
    client.get(reverse("tenancies:pact_pdf", args=[enrolled.pk, pact.pk]))
    client.get(reverse("tenancies:timeline", args=[enrolled.pk]))
    logged = set(HouseholdAccess.objects.values_list("what", "object_id"))
    assert logged == {
        (HouseholdAccess.What.DOCUMENT, document.pk),
        (HouseholdAccess.What.PACT_PDF, pact.pk),
        (HouseholdAccess.What.TIMELINE, None),
    }


def test_a_refused_view_logs_nothing(enrolled, member, other_programme, client_of):
    stranger = member("operator", programme=other_programme, username="altro")
    response = client_of(stranger).get(reverse("tenancies:household_detail", args=[enrolled.pk]))
    assert response.status_code == 404
    assert not HouseholdAccess.objects.exists()


def test_logging_costs_one_insert(enrolled, operator, client_of):
    client = client_of(operator)
    url = reverse("tenancies:household_detail", args=[enrolled.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    access_queries = [q["sql"] for q in context.captured_queries if "householdaccess" in q["sql"]]
    assert len(access_queries) == 1
    assert access_queries[0].lstrip('"').startswith("INSERT")


def test_the_fund_admin_sees_who_viewed_the_household(enrolled, operator, fund_admin, client_of):
    client_of(operator).get(reverse("tenancies:household_detail", args=[enrolled.pk]))
    operator.first_name, operator.last_name = "Giulia", "Operatrice"
    operator.save(update_fields=["first_name", "last_name"])
    with translation.override("it"):
        response = client_of(fund_admin).get(
            reverse("tenancies:access_log", args=[enrolled.pk]), HTTP_ACCEPT_LANGUAGE="it"
        )
    assert response.status_code == 200
    assert "Giulia Operatrice" in response.text
    assert "Chi ha consultato" in response.text
    assert "Pagina del nucleo" in response.text


def test_the_access_log_is_for_fund_admins_of_the_programme_only(
    enrolled, operator, member, other_programme, client_of
):
    url = reverse("tenancies:access_log", args=[enrolled.pk])
    assert client_of(operator).get(url).status_code == 403
    other_admin = member("fund_admin", programme=other_programme, username="altro_amm")
    assert client_of(other_admin).get(url).status_code == 404


def test_the_privacy_page_finds_a_household_for_its_access_log(enrolled, fund_admin, client_of):
    response = client_of(fund_admin).get(reverse("tenancies:privacy"), {"q": "Rossi"})
    assert response.status_code == 200
    assert reverse("tenancies:access_log", args=[enrolled.pk]) in response.text
