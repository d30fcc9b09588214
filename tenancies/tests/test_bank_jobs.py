"""Long bank statements read in the task queue with a progress bar: the same statement and
counts as read while the page waits, a bad line refuses the whole file, pages scoped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from common import progress
from tenancies.models import BankStatement, StatementLine, StatementUploadJob
from tenancies.services.bank_jobs import PROGRESS, statement_job_execute
from tenancies.tests.test_bank_statements import lease_of as lease_of_fixture  # noqa: F401
from tenancies.tests.test_bank_statements import statement, upload

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.BANK_STATEMENT_INLINE_LINES = 10


@pytest.fixture
def verdi(lease_of_fixture):  # noqa: F811
    """An active lease whose reference member is a Verdi."""
    return lease_of_fixture("Verdi")


def _rows(count, tax_code=""):
    rows = [f"03/10/2026;;Bonifico {n};{n},00;Ignoto {n};;B{n}" for n in range(1, count + 1)]
    rows[0] = f"02/10/2026;;Affitto CF {tax_code};550,00;Zio;;CF1"
    rows[1] = "05/10/2026;;Commissioni;-2,00;;;FEE"
    return rows


def _post(client, content, name="ottobre.csv"):
    return client.post(
        reverse("tenancies:statement_list"),
        {"account": "Conto affitti", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_a_long_statement_goes_through_the_job_with_the_same_counts(
    client_of, operator, programme, verdi, django_capture_on_commit_callbacks, monkeypatch
):
    tax_code = verdi.household.members.get(last_name="Verdi").codice_fiscale
    content = statement(*_rows(40, tax_code))
    try:  # what reading it while the page waits gives, then undone
        with transaction.atomic():
            _, expected = upload(operator, programme, content)
            raise _Undo
    except _Undo:
        pass
    assert not BankStatement.objects.exists()

    seen = []
    original = progress.progress_write
    monkeypatch.setattr(progress, "EVERY_SECONDS", 0)
    monkeypatch.setattr(
        progress,
        "progress_write",
        lambda kind, job_id, **kw: (seen.append((kind, kw)), original(kind, job_id, **kw)),
    )
    client = client_of(operator)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, content)

    job = StatementUploadJob.objects.get()
    response = client.get(job.get_absolute_url(), follow=True)
    stored = BankStatement.objects.get()
    assert job.status == StatementUploadJob.Status.DONE and job.statement == stored
    assert job.counts == expected
    assert expected["matched"] == 1 and expected["ignored"] == 1 and expected["unmatched"] == 38
    assert stored.lines.count() == 40 and stored.uploaded_by == operator
    assert not job.file  # the file (names, IBANs) is not kept once read
    assert seen and seen[-1] == (PROGRESS, seen[-1][1]) and seen[-1][1]["done"] == 40
    assert response.redirect_chain[-1][0] == reverse("tenancies:statement_detail", args=[stored.pk])
    assert "40 righe nuove: 1 abbinate" in response.content.decode()


def test_a_short_statement_is_still_read_while_the_page_waits(client_of, operator, programme):
    response = _post(client_of(operator), statement(*_rows(5)))
    assert response.status_code == 200
    assert BankStatement.objects.count() == 1
    assert not StatementUploadJob.objects.exists()


def test_a_bad_line_fails_the_job_naming_it_and_stores_nothing(
    client_of, operator, programme, django_capture_on_commit_callbacks
):
    rows = _rows(30)
    rows[20] = "03/10/2026;;Canone;dodici;X;;BAD"
    client = client_of(operator)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, statement(*rows))

    job = StatementUploadJob.objects.get()
    response = client.get(job.get_absolute_url())
    assert job.status == StatementUploadJob.Status.FAILED
    assert "Riga 22, colonna «Importo»" in job.error
    assert job.counts == {"errors": 1} and job.statement is None and not job.file
    assert not BankStatement.objects.exists() and not StatementLine.objects.exists()
    page = response.content.decode()
    assert "Riga 22, colonna «Importo»" in page and "Nulla è stato registrato" in page
    status = client.get(reverse("tenancies:statement_job_status", args=[job.pk])).json()
    assert status["running"] is False and status["errors"] == 1 and not status["redirect"]
    listing = client.get(reverse("tenancies:statement_list")).content.decode()
    assert "Rifiutato" in listing  # the refused file is listed, with its page


def test_the_status_while_running_and_done(
    client_of, operator, programme, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_of(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, statement(*_rows(40)))
    job = StatementUploadJob.objects.get()
    assert job.status == StatementUploadJob.Status.QUEUED  # the worker has not taken it yet
    assert 'data-running="1"' in response.content.decode()
    progress.progress_write(PROGRESS, job.pk, done=20, total=40, errors=0, elapsed=2.0)
    status_url = reverse("tenancies:statement_job_status", args=[job.pk])
    status = client.get(status_url).json()
    assert status["percent"] == 50 and status["rate"] == 10 and status["running"] is True
    assert "20 di 40 righe · 10 righe/s · errori finora: 0" in status["text"]

    job = statement_job_execute(job_id=job.pk)
    assert job.status == StatementUploadJob.Status.DONE
    assert statement_job_execute(job_id=job.pk).statement == job.statement  # safe to repeat
    status = client.get(status_url).json()
    assert status["percent"] == 100 and status["redirect"] == job.get_absolute_url()
    assert progress.progress_read(PROGRESS, job.pk) is None


def test_another_programmes_job_is_404(
    client_of, operator, programme, other_programme, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_of(operator), statement(*_rows(30)))
    job = StatementUploadJob.objects.get()
    stranger = client_of(member(role="operator", programme=other_programme))
    assert stranger.get(reverse("tenancies:statement_job", args=[job.pk])).status_code == 404
    assert stranger.get(reverse("tenancies:statement_job_status", args=[job.pk])).status_code == 404


def test_a_long_file_of_another_type_is_refused_before_storing(client_of, operator):
    response = _post(client_of(operator), statement(*_rows(30)), name="estratto.pdf")
    assert "Carica un file CSV, TXT, XLSX o XML." in response.content.decode()
    assert not StatementUploadJob.objects.exists()


def test_the_integrity_check_finds_a_finished_job_that_kept_its_file(
    client_of, operator, programme, django_capture_on_commit_callbacks
):
    from common.integrity import integrity_run

    check = "file_job_finished_keeps_no_file"
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_of(operator), statement(*_rows(30)))
    job = StatementUploadJob.objects.get()
    assert job.status == StatementUploadJob.Status.DONE
    assert integrity_run([check]) == []
    StatementUploadJob.objects.filter(pk=job.pk).update(file="statements/2026/left.csv")
    assert [v.obj for v in integrity_run([check])] == [job]
