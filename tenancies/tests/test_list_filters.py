"""The arrears desk's cases table: filters kept in the URL, sorting by a whitelisted column, a
bad value refused with a message, and the filtered rows exported (CSV, XLSX) and audited."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from common.exports import BOM
from common.models import AuditEvent
from fund.tests.guarantee_factories import guaranteed_lease
from tenancies.models import ArrearsCase
from tenancies.services.arrears import arrears_case_open

URL = reverse("tenancies:arrears_dashboard")


@pytest.fixture
def cases(programme, operator, member):
    """Three cases: young and small (owned by the operator), old and large, and a cured one."""
    colleague = member("operator", username="collega", first_name="Giulia", last_name="Neri")
    today = localdate()
    made = []
    for days, amount, owner, status in (
        (10, "450.00", operator, ArrearsCase.Status.OPENED),
        (75, "=2000.00", colleague, ArrearsCase.Status.CONTACTED),
        (120, "900.00", operator, ArrearsCase.Status.CURED),
    ):
        lease = guaranteed_lease(programme=programme, operator=operator)
        case = arrears_case_open(
            actor=operator, lease=lease, on=today, origin=ArrearsCase.Origin.OPERATOR
        )
        # Set-up of history the services would have written over months.
        ArrearsCase.objects.filter(pk=case.pk).update(
            opened_on=today - timedelta(days=days),
            amount_at_opening=Decimal(amount.lstrip("=")),
            owner=owner,
            status=status,
            next_action='=HYPERLINK("http://x")' if amount.startswith("=") else "Chiamare",
        )
        made.append(ArrearsCase.objects.get(pk=case.pk))
    return {"young": made[0], "old": made[1], "cured": made[2], "colleague": colleague}


def _rows(response):
    rows = response.context.get("cases", response.context.get("households"))
    return [row.pk for row in rows]


def test_open_cases_by_default_and_each_filter_narrows(client, operator, cases):
    client.force_login(operator)
    young, old, cured = cases["young"].pk, cases["old"].pk, cases["cured"].pk
    assert sorted(_rows(client.get(URL))) == sorted([young, old])
    assert sorted(_rows(client.get(URL, {"status": ""}))) == sorted([young, old, cured])
    assert _rows(client.get(URL, {"status": "cured"})) == [cured]
    assert _rows(client.get(URL, {"owner": cases["colleague"].pk})) == [old]
    assert _rows(client.get(URL, {"age": "61-90"})) == [old]
    assert _rows(client.get(URL, {"age": "0-30"})) == [young]
    assert _rows(client.get(URL, {"amount_min": "1000"})) == [old]
    assert _rows(client.get(URL, {"amount_max": "500"})) == [young]
    since = (localdate() - timedelta(days=30)).isoformat()
    assert _rows(client.get(URL, {"opened_from": since})) == [young]
    until = (localdate() - timedelta(days=30)).isoformat()
    assert sorted(_rows(client.get(URL, {"opened_to": until, "status": ""}))) == sorted(
        [old, cured]
    )


def test_sorting_by_a_whitelisted_column_both_ways(client, operator, cases):
    client.force_login(operator)
    young, old = cases["young"].pk, cases["old"].pk
    assert _rows(client.get(URL, {"ordina": "importo"})) == [young, old]
    assert _rows(client.get(URL, {"ordina": "-importo"})) == [old, young]
    page = client.get(URL, {"ordina": "importo", "owner": operator.pk}).content.decode()
    # The header's link flips the order and keeps the filter.
    assert "ordina=-importo" in page and f"owner={operator.pk}" in page


@pytest.mark.parametrize(
    "params",
    [
        {"amount_min": "mille"},
        {"opened_from": "31/02/2026"},
        {"owner": "999999"},
        {"owner": "x"},
        {"age": "1-1000"},
        {"status": "deleted"},
        {"ordina": "lease__household__codice_fiscale"},
        {"amount_max": "1e400"},
    ],
)
def test_a_bad_filter_value_is_a_message_in_italian_not_a_500(client, operator, cases, params):
    client.force_login(operator)
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert _rows(response) == []
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Alcuni filtri non sono validi") for m in messages), messages
    # No export of a refused filter either: the page answers instead.
    export = client.get(URL, {**params, "export": "csv"})
    assert export.status_code == 200 and "attachment" not in export.get("Content-Disposition", "")


def test_the_filtered_list_exports_as_xlsx_with_money_as_numbers_and_is_audited(
    client, operator, programme, cases
):
    client.force_login(operator)
    page = client.get(URL, {"status": "", "amount_min": "400"}).content.decode()
    assert "status=&amp;amount_min=400&amp;export=xlsx" in page
    response = client.get(URL, {"status": "", "amount_min": "800", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="casi-morosita-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    amount_col, opened_col = header.index("Morosità all'apertura (EUR)"), header.index("Aperto")
    assert sorted(row[amount_col] for row in body) == [900, 2000]
    assert all(isinstance(row[amount_col], int | float) for row in body)
    assert {row[opened_col].date() for row in body} == {
        cases["old"].opened_on,
        cases["cured"].opened_on,
    }
    # The next action typed as a formula comes out as text.
    assert '\'=HYPERLINK("http://x")' in [row[header.index("Prossima azione")] for row in body]
    event = AuditEvent.objects.get(verb="list_exported")
    assert event.actor == operator and event.programme == programme
    assert event.data == {
        "list": "casi-morosita",
        "format": "xlsx",
        "rows": 2,
        "filters": {"amount_min": "800"},
    }


def test_csv_export_in_italian_with_a_bom(client, operator, cases):
    client.force_login(operator)
    response = client.get(URL, {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="it")
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0][0] == "Caso"
    assert len(rows) == 3  # the two open cases
    assert {row[5] for row in rows[1:]} == {"450.00", "2000.00"}
    assert date.fromisoformat(rows[1][4])


def test_another_programmes_operator_exports_none_of_these(client, member, other_programme, cases):
    client.force_login(member("operator", programme=other_programme))
    response = client.get(URL, {"status": "", "export": "csv"})
    assert len(list(csv.reader(io.StringIO(response.content.decode().removeprefix(BOM))))) == 1


HOUSEHOLDS = reverse("tenancies:household_list")


@pytest.fixture
def households(programme, operator, member):
    from tenancies.models import Enrollment
    from tenancies.tests.factories import HouseholdFactory, MemberFactory

    programme.municipalities = ["Montichiari", "Ghedi"]
    programme.save(update_fields=["municipalities"])
    colleague = member("operator", username="collega2")
    made = {}
    for key, municipality, owner, status in (
        ("a", "Montichiari", operator, "enrolled"),
        ("b", "Ghedi", colleague, "referred"),
    ):
        household = HouseholdFactory(
            programme=programme, municipality=municipality, operator=owner, name=f"Nucleo {key}"
        )
        MemberFactory(household=household, birth_date=date(1980, 1, 1 if key == "a" else 2))
        Enrollment.objects.create(household=household, referred_on=localdate(), status=status)
        made[key] = household
    made["colleague"] = colleague
    return made


def test_household_filters_narrow_the_list(client, operator, households):
    client.force_login(operator)
    a, b = households["a"], households["b"]
    code = a.members.get().codice_fiscale
    assert _rows(client.get(HOUSEHOLDS, {"q": code[2:9].lower()}))[0] == a.pk
    assert _rows(client.get(HOUSEHOLDS, {"municipality": "Ghedi"})) == [b.pk]
    assert _rows(client.get(HOUSEHOLDS, {"operator": households["colleague"].pk})) == [b.pk]
    assert _rows(client.get(HOUSEHOLDS, {"status": "enrolled"})) == [a.pk]
    assert _rows(client.get(HOUSEHOLDS, {"ordina": "-nome"})) == [b.pk, a.pk]
    response = client.get(HOUSEHOLDS, {"municipality": "Milano"}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200 and _rows(response) == []


def test_household_export_keeps_the_filter_and_is_audited(client, operator, households):
    client.force_login(operator)
    response = client.get(HOUSEHOLDS, {"municipality": "Ghedi", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert [row[1] for row in rows[1:]] == ["Nucleo b"]
    assert isinstance(rows[1][5], int | float)
    event = AuditEvent.objects.get(verb="list_exported")
    assert event.data["filters"] == {"municipality": "Ghedi"} and event.data["rows"] == 1


LEASES = reverse("tenancies:lease_list")


def test_lease_filters_sorting_and_export(client, operator, programme):
    cheap = guaranteed_lease(programme=programme, operator=operator, rent="350")
    dear = guaranteed_lease(programme=programme, operator=operator, rent="650")
    client.force_login(operator)
    assert _page_rows(client.get(LEASES, {"rent_min": "500"})) == [dear.pk]
    assert _page_rows(client.get(LEASES, {"rent_max": "500", "status": "active"})) == [cheap.pk]
    assert _page_rows(client.get(LEASES, {"q": cheap.household.name})) == [cheap.pk]
    assert _page_rows(client.get(LEASES, {"ordina": "-canone"})) == [dear.pk, cheap.pk]
    assert _page_rows(client.get(LEASES, {"status": "ended"})) == []
    bad = client.get(LEASES, {"start_from": "2026-13-01"}, HTTP_ACCEPT_LANGUAGE="it")
    assert bad.status_code == 200 and "Alcuni filtri non sono validi" in bad.content.decode()
    response = client.get(LEASES, {"rent_min": "500", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][5] == 650
    assert AuditEvent.objects.get(verb="list_exported").data["rows"] == 1


def _page_rows(response):
    return [row.pk for row in response.context["page"]]


EVICTIONS = reverse("tenancies:eviction_dashboard")


def test_eviction_desk_filters_and_export(client, operator, programme, member):
    from tenancies.models import EvictionCase
    from tenancies.tests.eviction_factories import active_lease, case_with_summons

    colleague = member("operator", username="collega3")
    mine = case_with_summons(
        lease=active_lease(programme=programme, operator=operator), operator=operator
    )
    theirs = case_with_summons(
        lease=active_lease(programme=programme, operator=operator), operator=operator
    )
    EvictionCase.objects.filter(pk=theirs.pk).update(owner=colleague)
    EvictionCase.objects.filter(pk=mine.pk).update(owner=operator)
    client.force_login(operator)

    def cases(params):
        return [row.case.pk for row in client.get(EVICTIONS, params).context["rows"]]

    assert sorted(cases({})) == sorted([mine.pk, theirs.pk])
    assert cases({"owner": colleague.pk}) == [theirs.pk]
    assert cases({"status": "mediation"}) == []
    bad = client.get(EVICTIONS, {"opened_from": "domani"}, HTTP_ACCEPT_LANGUAGE="it")
    assert bad.status_code == 200 and bad.context["rows"] == []
    response = client.get(EVICTIONS, {"owner": colleague.pk, "export": "csv"})
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith(str(theirs.pk))
    assert AuditEvent.objects.get(verb="list_exported").data["list"] == "sfratti"


def test_a_filtered_sorted_list_takes_the_same_queries_for_more_rows(
    client, operator, programme, django_assert_max_num_queries
):
    from django.db import connection

    def add_case():
        lease = guaranteed_lease(programme=programme, operator=operator)
        arrears_case_open(
            actor=operator, lease=lease, on=localdate(), origin=ArrearsCase.Origin.OPERATOR
        )

    client.force_login(operator)
    params = {"status": "", "age": "0-30", "amount_min": "1", "ordina": "-importo"}
    for _ in range(2):
        add_case()
    # Each first look caches the early warnings' risk scores (tenancies.rent.risk): warm up.
    client.get(URL, params)
    few = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: few.append(sql) or execute(sql, *rest)
    ):
        assert len(_rows(client.get(URL, params))) == 2
    for _ in range(3):
        add_case()
    client.get(URL, params)
    with django_assert_max_num_queries(len(few)):
        assert len(_rows(client.get(URL, params))) == 5
