"""`manage.py backup` and `restore`: the database and the documents in one archive, back into a
fresh database whole (on SQLite always, on PostgreSQL when the suite runs there)."""

import io
import json
import shutil
import tarfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Sum

from common.backup import database_has_data
from common.integrity import integrity_run

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media, programme, fund_admin, operator):
    """A fund with money on its ledger and a household with a document."""
    from fund.tests.factories import make_contribution, make_fund
    from tenancies.services.documents import document_upload
    from tenancies.tests.factories import HouseholdFactory

    fund = make_fund(programme=programme, actor=fund_admin)
    make_contribution(fund=fund, actor=fund_admin, amount="25000.00")
    make_contribution(fund=fund, actor=fund_admin, amount="1234.56")
    household = HouseholdFactory(programme=programme, name="Bianchi Anna")
    document = document_upload(
        actor=operator,
        household=household,
        kind="isee",
        title="ISEE 2026",
        upload=SimpleUploadedFile("isee.pdf", PDF),
    )
    return {"fund": fund, "document": document}


def _backup(path):
    call_command("backup", output=path, stdout=io.StringIO())
    return path


def _wipe(media):
    """A fresh database (what `migrate` writes, nothing else) and no documents."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)
    assert not database_has_data()


def test_a_backup_restores_into_a_fresh_database_whole(world, media, tmp_path):
    from fund.models import Entry, Transaction
    from tenancies.models import HouseholdDocument

    archive = _backup(tmp_path / "fondo.tar.gz")
    _wipe(media)

    call_command("restore", str(archive), stdout=io.StringIO())

    transactions = Transaction.objects.filter(fund=world["fund"].pk)
    assert transactions.count() == 2
    for transaction in transactions:
        assert transaction.entries.aggregate(total=Sum("amount"))["total"] == Decimal("0")
    assert Entry.objects.filter(amount__gt=0).aggregate(t=Sum("amount"))["t"] == Decimal("26234.56")
    assert integrity_run() == []
    document = HouseholdDocument.objects.get(pk=world["document"].pk)
    with document.file.open("rb") as file:
        assert file.read() == PDF


def test_the_archive_lists_every_file_with_its_checksum(world, tmp_path):
    archive = _backup(tmp_path / "fondo.tar.gz")

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())

    listed = {entry["name"] for entry in manifest["files"]}
    assert listed | {"manifest.json"} == names
    assert manifest["database"] in listed
    assert f"media/{world['document'].file.name}" in listed
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])


def test_restore_refuses_a_database_that_holds_data_unless_forced(world, tmp_path):
    from fund.models import Transaction

    archive = _backup(tmp_path / "fondo.tar.gz")

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), stdout=io.StringIO())

    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert Transaction.objects.count() == 2
    assert integrity_run() == []


def test_restore_refuses_a_damaged_archive_before_touching_anything(world, media, tmp_path):
    archive = _backup(tmp_path / "fondo.tar.gz")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data.replace(b"%%EOF", b"%%XXX")
            target.addfile(member, io.BytesIO(data))
    _wipe(media)

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged), stdout=io.StringIO())

    assert not database_has_data()


def test_the_documents_check_finds_a_missing_file(world):
    assert integrity_run(["documents_present"]) == []

    world["document"].file.storage.delete(world["document"].file.name)

    violations = integrity_run(["documents_present"])
    assert [v.obj.pk for v in violations] == [world["document"].pk]
