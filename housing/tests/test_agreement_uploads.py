"""The signed agreement's file follows the one upload policy (common.uploads): content, not
name, decides its type; a size limit; a random stored name; a replaced file is deleted."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from common.exceptions import DomainError
from common.uploads import MAX_UPLOAD_BYTES
from housing.models import LandlordAgreement
from housing.services import agreement_attach_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def attach(agreement, operator, name, content):
    return agreement_attach_document(
        actor=operator, agreement=agreement, document=SimpleUploadedFile(name, content)
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("firmata.pdf", b"<html><script>alert(1)</script></html>", "non è un PDF"),
        ("firmata.pdf", b"%PDF-" + os.urandom(64) * (MAX_UPLOAD_BYTES // 64), "5 MB"),
        ("firmata.html", PDF, "Carica un file PDF"),
        ("firmata.pdf", b"", "vuoto"),
    ],
)
def test_html_random_bytes_and_oversized_files_are_refused(
    agreement, operator, name, content, message
):
    with translation.override("it"), pytest.raises(DomainError) as error:
        attach(agreement, operator, name, content)
    assert message in error.value.message
    assert error.value.field == "document"
    agreement.refresh_from_db()
    assert not agreement.document


def test_the_stored_name_keeps_nothing_of_the_uploaders_file_name(agreement, operator):
    attach(agreement, operator, "Convenzione RSSMRA80A01H501U Rossi.pdf", PDF)
    agreement.refresh_from_db()
    assert agreement.document.name.startswith("housing/agreements/")
    assert "RSSMRA80A01H501U" not in agreement.document.name
    assert "Rossi" not in agreement.document.name
    assert agreement.document.name.endswith(".pdf")
    with agreement.document.open("rb") as handle:
        assert handle.read() == PDF


def test_a_replaced_file_is_deleted_once_the_new_one_is_committed(
    agreement, operator, django_capture_on_commit_callbacks
):
    attach(agreement, operator, "prima.pdf", PDF)
    agreement.refresh_from_db()
    first = agreement.document.name
    storage = agreement.document.storage
    with django_capture_on_commit_callbacks(execute=True):
        attach(agreement, operator, "seconda.pdf", PDF + b"\n% v2")
    agreement.refresh_from_db()
    assert agreement.document.name != first
    assert storage.exists(agreement.document.name)
    assert not storage.exists(first)


def test_a_refused_replacement_keeps_the_old_file(
    agreement, operator, django_capture_on_commit_callbacks
):
    attach(agreement, operator, "prima.pdf", PDF)
    agreement.refresh_from_db()
    first = agreement.document.name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        attach(agreement, operator, "seconda.pdf", b"<html></html>")
    agreement = LandlordAgreement.objects.get(pk=agreement.pk)
    assert agreement.document.name == first
    assert agreement.document.storage.exists(first)
