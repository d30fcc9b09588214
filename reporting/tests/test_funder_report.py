"""The funder report: requested with its narrative, built by the task from figures frozen at
build time, stored as a PDF whose text (read back) holds the indicator values, the narrative,
the fund statement and the agreements, never a household; versions per period; monitors
download finished reports only; building costs the same queries at any size."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from common.models import AuditEvent
from common.tests.two_factor import login_verified
from fund.tests.factories import make_fund
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from housing.models import Landlord
from reporting.models import FunderReport
from reporting.services import funder_report_build, funder_report_request, target_create
from tests.test_permission_matrix import body

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START, END = date(TODAY.year, 1, 1), TODAY
NARRATIVE = {
    "title": "Rapporto a Fondazione Cariplo",
    "introduction": "Il fondo di garanzia accompagna le famiglie verso la casa.",
    "activities": "Abbiamo firmato convenzioni con agenzie immobiliari del territorio.",
    "difficulties": "Pochi alloggi a canone concordato disponibili.",
    "outlook": "Nel prossimo anno puntiamo a raddoppiare le famiglie garantite.",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"


def _world(programme, operator, admin, households: int):
    """A fund of 45,000 € with `households` guaranteed leases, the first landlord an estate
    agency, and a target of 80 households guaranteed."""
    fund = funded(make_fund(programme=programme, actor=admin), amount="45000.00", actor=admin)
    leases = []
    for _n in range(households):
        lease = guaranteed_lease(programme=programme, operator=operator)
        active_guarantee(fund=fund, lease=lease, operator=operator, admin=admin)
        leases.append(lease)
    Landlord.objects.filter(pk=leases[0].landlord_id).update(
        kind=Landlord.Kind.AGENCY, name="Agenzia Casa Serena"
    )
    target_create(
        actor=admin,
        programme=programme,
        indicator="households_guaranteed",
        value=Decimal(80),
        period_start=START,
        period_end=date(TODAY.year, 12, 31),
        source="Progetto finanziato: 80 famiglie",
    )
    return fund, leases


def _built(programme, admin, **fields):
    report = funder_report_request(
        actor=admin,
        programme=programme,
        period_start=START,
        period_end=END,
        **{**NARRATIVE, **fields},
    )
    return funder_report_build(report_id=report.pk)


def _pdf_text(content: bytes) -> str:
    """The PDF's text with its line breaks as spaces (a table cell may wrap a name)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _download(client, report) -> bytes:
    response = client.get(reverse("reporting:report_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_the_report_is_built_and_its_pdf_holds_the_figures_and_the_narrative(
    programme, operator, fund_admin
):
    programme.lead_organisation = "Fondazione Casa Amica"
    programme.save(update_fields=["lead_organisation"])
    _fund, leases = _world(programme, operator, fund_admin, households=6)
    report = _built(programme, fund_admin)

    assert report.status == FunderReport.Status.DONE and report.version == 1
    assert report.pages >= 3
    indicators = {item["code"]: item for item in report.figures["indicators"]}
    assert indicators["households_guaranteed"]["value"] == "6"
    assert indicators["households_guaranteed"]["target"] == "80.00"
    assert report.figures["fund"]["flows"][0]["amount"] == "45000.00"

    with report.pdf.open("rb") as stored:
        text = _pdf_text(stored.read())
    for value in NARRATIVE.values():
        assert value in text
    assert "Fondazione Casa Amica" in text and "Versione" in text
    assert "Nuclei sostenuti dal fondo di garanzia" in text
    assert "Progetto finanziato: 80 famiglie" in text
    assert "8%" in text  # 6 of 80
    assert "45.000,00 €" in text  # the contribution, in the fund statement
    assert "Agenzia Casa Serena" in text
    assert "Proprietario privato" in text
    for lease in leases:
        assert lease.household.name not in text
        assert lease.landlord.name not in text or lease.landlord.name == "Agenzia Casa Serena"
    assert AuditEvent.objects.filter(verb="created", target_id=report.pk, actor=fund_admin).exists()


def test_figures_are_frozen_when_built(programme, operator, fund_admin):
    fund, _leases = _world(programme, operator, fund_admin, households=5)
    report = _built(programme, fund_admin)
    pdf_name = report.pdf.name
    lease = guaranteed_lease(programme=programme, operator=operator)
    active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)

    report.refresh_from_db()
    indicators = {item["code"]: item for item in report.figures["indicators"]}
    assert indicators["households_guaranteed"]["value"] == "5"
    assert report.pdf.name == pdf_name
    # Building again does nothing: the report is done.
    assert funder_report_build(report_id=report.pk).pdf.name == pdf_name


def test_a_new_version_for_the_same_period_keeps_the_old_one(
    client, programme, operator, fund_admin
):
    _world(programme, operator, fund_admin, households=5)
    first = _built(programme, fund_admin)
    second = _built(programme, fund_admin, outlook="Prospettive riviste dopo il comitato.")
    other = funder_report_request(
        actor=fund_admin,
        programme=programme,
        period_start=START,
        period_end=START,
        title="Solo il primo giorno",
    )
    assert (first.version, second.version, other.version) == (1, 2, 1)

    login_verified(client, fund_admin)
    assert NARRATIVE["outlook"] in _pdf_text(_download(client, first))
    assert "Prospettive riviste dopo il comitato." in _pdf_text(_download(client, second))
    page = body(client.get(reverse("reporting:report_detail", kwargs={"pk": second.pk})))
    assert "versione 1" in page and "versione 2" in page


def test_the_form_queues_the_report_and_the_page_follows_it(
    client, programme, fund_admin, django_capture_on_commit_callbacks
):
    login_verified(client, fund_admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("reporting:report_create"),
            {"period_start": START.isoformat(), "period_end": END.isoformat(), **NARRATIVE},
        )
    report = FunderReport.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    status_url = reverse("reporting:report_status", kwargs={"pk": report.pk})
    status = client.get(status_url).json()
    assert status["running"] and status["percent"] == 0 and status["redirect"] == ""
    assert "In attesa di preparazione" in body(client.get(report.get_absolute_url()))

    for callback in callbacks:  # the worker takes the task once the request committed
        callback()
    report.refresh_from_db()
    assert report.status == FunderReport.Status.DONE
    status = client.get(status_url).json()
    assert status["percent"] == 100 and status["redirect"] == report.get_absolute_url()
    assert "Scarica il PDF" in body(client.get(report.get_absolute_url()))
    # A new version starts from the earlier one's narrative.
    form = body(client.get(reverse("reporting:report_create") + f"?da={report.pk}"))
    assert NARRATIVE["difficulties"] in form


def test_a_period_ending_before_it_starts_is_refused(client, programme, fund_admin):
    login_verified(client, fund_admin)
    response = client.post(
        reverse("reporting:report_create"),
        {"period_start": END.isoformat(), "period_end": date(2000, 1, 1).isoformat(), **NARRATIVE},
    )
    assert response.status_code == 200
    assert not FunderReport.objects.exists()


def test_a_monitor_downloads_finished_reports_only(client, programme, member, fund_admin):
    monitor = member("monitor")
    done = _built(programme, fund_admin)
    queued = funder_report_request(
        actor=fund_admin, programme=programme, period_start=START, period_end=END, title="Dopo"
    )
    FunderReport.objects.filter(pk=queued.pk).update(status=FunderReport.Status.QUEUED)
    client.force_login(monitor)
    listing = body(client.get(reverse("reporting:reports")))
    assert NARRATIVE["title"] in listing and "Dopo" not in listing
    assert NARRATIVE["introduction"] in _pdf_text(_download(client, done))
    response = client.get(reverse("reporting:report_pdf", kwargs={"pk": queued.pk}))
    assert response.status_code == 404


def test_a_failed_build_says_so(programme, fund_admin, monkeypatch):
    import reporting.funder_report

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(reporting.funder_report, "report_facts", broken)
    report = _built(programme, fund_admin)
    assert report.status == FunderReport.Status.FAILED and not report.pdf
    assert report.error


def _build_queries(programme, admin) -> int:
    report = funder_report_request(
        actor=admin, programme=programme, period_start=START, period_end=END, title="Conta"
    )
    with CaptureQueriesContext(connection) as queries:
        funder_report_build(report_id=report.pk)
    return len(queries)


@pytest.mark.parametrize("more", [4])
def test_building_costs_the_same_queries_whatever_the_households(
    programme, operator, fund_admin, more
):
    fund, _leases = _world(programme, operator, fund_admin, households=5)
    small = _build_queries(programme, fund_admin)
    for _n in range(more):
        lease = guaranteed_lease(programme=programme, operator=operator)
        active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    assert _build_queries(programme, fund_admin) == small


def test_integrity_finds_a_ready_report_without_its_pdf(programme, fund_admin):
    from common.integrity import _CHECKS

    report = _built(programme, fund_admin)
    check = _CHECKS["funder_report_ready_has_its_pdf"]
    assert not list(check.run())
    FunderReport.objects.filter(pk=report.pk).update(pdf="")
    assert len(list(check.run())) == 1
