"""The reporting pages: targets set and changed by a fund administrator through the form, the
indicators page with its bars and tables, the spreadsheet, and the fund's health."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from common.models import AuditEvent
from fund.tests.factories import make_fund
from fund.tests.guarantee_factories import funded
from housing.tests.factories import CohousingFactory
from reporting.models import Target
from reporting.services import target_create
from tenancies.models import Placement
from tenancies.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
PERIOD = {"period_start": f"{YEAR}-01-01", "period_end": f"{YEAR}-12-31"}


def _target(programme, actor, **fields):
    data = {
        "indicator": "cohousing_active",
        "value": Decimal(20),
        "period_start": date(YEAR, 1, 1),
        "period_end": date(YEAR, 12, 31),
        "source": "#genera_azioni: 20 coabitazioni",
        **fields,
    }
    return target_create(actor=actor, programme=programme, **data)


def _cohousings(programme, n):
    for _ in range(n):
        cohousing = CohousingFactory(dwelling__programme=programme)
        Placement.objects.create(
            programme=programme, household=HouseholdFactory(programme=programme),
            dwelling=cohousing.dwelling, kind=Placement.Kind.COHOUSING_PLACE,
            status=Placement.Status.ACTIVE, proposed_on=date(2024, 1, 1),
            starts_on=date(2024, 2, 1),
        )  # fmt: skip


def test_an_administrator_sets_and_changes_a_target(client_of, fund_admin, programme):
    client = client_of(fund_admin)
    response = client.post(
        reverse("reporting:target_create"),
        {"indicator": "households_guaranteed", "value": "80", "source": "=HYPERLINK(1)", **PERIOD},
    )
    assert response.status_code == 302
    target = Target.objects.get(programme=programme)
    assert (target.indicator, target.value) == ("households_guaranteed", Decimal(80))
    listing = client.get(reverse("reporting:targets")).content.decode()
    assert reverse("reporting:target_edit", kwargs={"pk": target.pk}) in listing

    response = client.post(
        reverse("reporting:target_edit", kwargs={"pk": target.pk}),
        {"indicator": "households_guaranteed", "value": "90", "source": "", **PERIOD},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal(90)
    verbs = list(
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Target), target_id=str(target.pk)
        ).values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["created", "updated"]


def test_a_reversed_period_and_a_second_target_for_the_same_period_are_refused(
    client_of, fund_admin, programme
):
    client = client_of(fund_admin)
    url = reverse("reporting:target_create")
    reversed_period = {"period_start": f"{YEAR}-12-31", "period_end": f"{YEAR}-01-01"}
    response = client.post(url, {"indicator": "exposure", "value": "1", **reversed_period})
    assert response.status_code == 200 and not Target.objects.exists()
    _target(programme, fund_admin)
    response = client.post(url, {"indicator": "cohousing_active", "value": "5", **PERIOD})
    assert response.status_code == 200
    assert Target.objects.count() == 1
    assert "error-summary" in response.content.decode()


def test_the_indicators_page_sets_each_figure_against_its_target(client_of, fund_admin, programme):
    _cohousings(programme, 5)
    _target(programme, fund_admin)
    text = client_of(fund_admin).get(reverse("reporting:monitor")).content.decode()
    row = text.split('id="indicator-cohousing_active"', 1)[1].split("</tr>", 1)[0]
    assert '<svg class="bullet"' in row and "25%" in row  # 5 of 20
    assert "#genera_azioni: 20 coabitazioni" in row


def test_the_period_is_chosen_in_the_page(client_of, fund_admin, programme):
    client = client_of(fund_admin)
    url = reverse("reporting:monitor")
    response = client.get(url, {"start": "2025-01-01", "end": "2025-03-31"})
    assert response.context["start"] == date(2025, 1, 1)
    assert response.context["end"] == date(2025, 3, 31)
    refused = client.get(url, {"start": "2025-03-01", "end": "2025-01-01"})
    assert refused.status_code == 200  # the default period instead, and the form's error
    assert "error-summary" in refused.content.decode()


def test_the_spreadsheet_holds_values_targets_and_definitions(client_of, fund_admin, programme):
    _cohousings(programme, 6)
    _target(programme, fund_admin, source='=HYPERLINK("x")')
    response = client_of(fund_admin).get(reverse("reporting:indicators_xlsx"))
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    breakdowns = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    # Six cohousing placements proposed in 2024, none in this period: every cell a number.
    placements = [row for row in breakdowns if row[0].startswith("Inserimenti proposti")]
    assert len(placements) == 3 * 6  # kinds × (5 statuses + their total)
    assert all(row[3] == 0 for row in placements)
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    cohousing = rows["cohousing_active"]
    assert cohousing[2] == 6 and cohousing[3] == 20 and cohousing[4] == 30
    assert cohousing[7]  # the definition
    assert cohousing[8] == '\'=HYPERLINK("x")'  # a formula stays text
    assert rows["households_referred"][2] == 0


def test_fund_health_shows_the_fund_figures_and_pipelines(client_of, fund_admin, programme):
    funded(make_fund(programme=programme, actor=fund_admin), "20000.00", fund_admin)
    response = client_of(fund_admin).get(reverse("reporting:fund_health"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="indicator-exposure"' in text and 'id="table-claims"' in text
    assert "history-table" in text and "20.000,00" in text


def test_a_target_names_a_known_indicator(programme, fund_admin):
    from common.exceptions import DomainError
    from common.integrity import _CHECKS

    with pytest.raises(DomainError):
        _target(programme, fund_admin, indicator="families_made_happy")
    assert not list(_CHECKS["target_names_an_indicator"].run())
    Target.objects.create(
        programme=programme, indicator="gone", value=1, period_start=date(YEAR, 1, 1),
        period_end=date(YEAR, 1, 2),
    )  # fmt: skip
    assert len(list(_CHECKS["target_names_an_indicator"].run())) == 1
