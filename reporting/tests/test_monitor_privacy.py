"""A monitor sees aggregates only: every URL the permission matrix grants a monitor (and where
its redirects lead) is read as the monitor, and none shows the world's household name, codice
fiscale, a document of theirs or a link to their pages. Spreadsheets are opened and read cell by
cell (an XLSX is a zip: its bytes would hide a name), funder reports' PDFs as their text."""

import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.access_world import CODICE_FISCALE, HOUSEHOLD_NAME
from tests.test_permission_matrix import MON, OK, REDIRECT, ROWS, body, client_for, world

__all__ = ["world"]  # the permission matrix's module-scoped world, shared here

REPORT = "reporting:report_pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(response) -> str:
    if response.get("Content-Type", "").startswith(XLSX):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return body(response)


def _report_text(response) -> str:
    """A funder report's PDF read back as text (its bytes are compressed: they would hide a
    name); any other PDF a monitor reached would still show "%PDF" to the markers."""
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _markers(world) -> list[str]:
    document = world.document
    return [
        HOUSEHOLD_NAME,
        CODICE_FISCALE,
        document.file.name,
        document.token,
        reverse(
            "tenancies:document_download",
            kwargs={"pk": world.household.pk, "document_pk": document.pk},
        ),
        reverse("tenancies:household_detail", kwargs={"pk": world.household.pk}),
        "%PDF",
    ]


@pytest.mark.django_db
def test_no_url_a_monitor_reaches_shows_a_household(world):
    client = client_for(world, MON)
    markers = _markers(world)
    walked, leaks = [], {}
    for row in ROWS:
        if row.expected()[MON] not in (OK, REDIRECT):
            continue
        url = reverse(row.name, kwargs=row.kwargs(world))
        response = client.get(url, follow=row.expected()[MON] == REDIRECT)
        if response.status_code != 200:
            continue
        walked.append(row.name)
        text = _report_text(response) if row.name == REPORT else _text(response)
        found = [marker for marker in markers if marker in text]
        if found:
            leaks[url] = found
    assert not leaks, f"pages showing a household to the monitor: {leaks}"
    # Not vacuous: the reporting pages were among them, and the staff see the markers.
    assert {"reporting:monitor", "reporting:indicators_xlsx", "common:dashboard", REPORT} <= set(
        walked
    )
    staff = client_for(world, "operator_a").get(markers[5])
    assert HOUSEHOLD_NAME in body(staff)


@pytest.mark.django_db
def test_the_monitor_home_is_the_indicators_with_their_targets(world):
    client = client_for(world, MON)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reporting:monitor")
    text = body(response)
    row = text.split('id="indicator-households_guaranteed"', 1)[1].split("</tr>", 1)[0]
    assert "#GENERA_CASA: fondo di garanzia per 80 famiglie" in row
    # One household guaranteed in the world: a count under 5, shown as such, with no bar.
    assert "&lt; 5" in row and "<svg" not in row
    assert 'id="table-eviction_outcomes"' in text and 'id="table-trends"' in text
