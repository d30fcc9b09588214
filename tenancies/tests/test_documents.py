from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from common.exceptions import DomainError
from tenancies.models import HouseholdDocument
from tenancies.services.documents import MAX_DOCUMENT_BYTES, document_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def upload(household, operator, name="isee.pdf", content=PDF, valid_until=None):
    return document_upload(
        actor=operator,
        household=household,
        kind="isee",
        title="ISEE 2026",
        upload=SimpleUploadedFile(name, content),
        valid_until=valid_until,
    )


def test_a_pdf_is_stored_under_media_root_without_its_original_name(refer, operator):
    document = upload(refer(), operator, name="Rossi Mario ISEE.pdf")
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Rossi" not in path.name
    assert path.read_bytes() == PDF
    assert document.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "PDF, JPEG o PNG"),
        ("fake.pdf", b"GIF89a", "non è un PDF"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, "5 MB"),
    ],
)
def test_wrong_type_or_size_is_refused_and_nothing_saved(refer, operator, name, content, message):
    from django.utils import translation

    household = refer()
    with translation.override("it"), pytest.raises(DomainError) as error:
        upload(household, operator, name=name, content=content)
    assert message in error.value.message
    assert error.value.field == "file"
    assert not HouseholdDocument.objects.exists()


def test_expiry_warnings(refer, operator):
    household = refer()
    today = localdate()
    assert upload(household, operator, valid_until=today - timedelta(days=1)).expiry_status() == (
        "expired"
    )
    assert upload(household, operator, valid_until=today + timedelta(days=10)).expiry_status() == (
        "expiring"
    )
    assert upload(household, operator, valid_until=today + timedelta(days=90)).expiry_status() == ""
