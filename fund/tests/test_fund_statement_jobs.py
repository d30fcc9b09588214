"""Long statements of the fund's account read in the task queue with a progress bar: the same
payouts confirmed as when read while the page waits; a bad line refuses the whole file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.exceptions import DomainError
from fund.models import Claim, FundStatement, FundStatementLine, FundStatementUploadJob
from fund.services.fund_bank_jobs import fund_statement_job_create
from fund.tests.test_payouts_bank import _sent, _statement, admins, two_approved  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.BANK_STATEMENT_INLINE_LINES = 3
    settings.MEDIA_ROOT = tmp_path / "documents"


@pytest.fixture
def sent_batch(two_approved, admins):  # noqa: F811
    return _sent(two_approved, admins)


def _post(client, content):
    return client.post(
        reverse("fund:fund_statements"),
        {"file": SimpleUploadedFile("estratto.csv", content, content_type="text/csv")},
    )


def test_a_long_fund_statement_confirms_the_payouts_through_the_job(
    sent_batch, fund_admin, client_of, django_capture_on_commit_callbacks
):
    client = client_of(fund_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _statement(sent_batch))
    job = FundStatementUploadJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()

    job.refresh_from_db()
    assert job.status == FundStatementUploadJob.Status.DONE and not job.file
    assert job.counts == {"new": 2, "matched": 2, "payouts": 2, "skipped": 0}
    assert set(sent_batch.claims.values_list("status", flat=True)) == {Claim.Status.PAID}
    page = client.get(job.get_absolute_url(), follow=True)
    assert page.redirect_chain[-1][0] == job.statement.get_absolute_url()
    assert "2 righe nuove, 2 abbinate (2 pagamenti confermati)" in page.text
    status = client.get(reverse("fund:fund_statement_job_status", args=[job.pk])).json()
    assert status["percent"] == 100 and status["redirect"] == job.get_absolute_url()


def test_a_bad_line_fails_the_fund_job_and_confirms_nothing(
    sent_batch, fund_admin, client_of, django_capture_on_commit_callbacks
):
    content = _statement(sent_batch).replace(b"-", b"meno ", 1)
    client = client_of(fund_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, content)
    job = FundStatementUploadJob.objects.get()
    assert job.status == FundStatementUploadJob.Status.FAILED
    assert "Riga" in job.error and job.counts == {"errors": 1}
    assert not FundStatement.objects.exists() and not FundStatementLine.objects.exists()
    assert set(sent_batch.claims.values_list("status", flat=True)) == {Claim.Status.SENT}
    page = client.get(job.get_absolute_url()).text
    assert job.error.split(":")[0] in page
    assert "Rifiutato, nulla registrato" in client.get(reverse("fund:fund_statements")).text


def test_only_a_fund_administrator_queues_a_fund_statement(sent_batch, operator, fund):
    with pytest.raises(DomainError):
        fund_statement_job_create(
            actor=operator,
            fund=fund,
            upload=SimpleUploadedFile("estratto.csv", _statement(sent_batch)),
        )
    assert not FundStatementUploadJob.objects.exists()


def test_another_programmes_fund_administrator_gets_404(
    sent_batch,
    fund_admin,
    client_of,
    member,
    other_programme,
    other_fund,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_of(fund_admin), _statement(sent_batch))
    job = FundStatementUploadJob.objects.get()
    stranger = client_of(member("fund_admin", programme=other_programme))
    assert stranger.get(job.get_absolute_url()).status_code == 404
    status_url = reverse("fund:fund_statement_job_status", args=[job.pk])
    assert stranger.get(status_url).status_code == 404
