"""Payouts through the bank: the SEPA file, four eyes on sending, the fund's statement that
confirms them, recall, and the reconciliation of the ledger with the statement."""

from datetime import timedelta
from pathlib import Path

import pytest
import xmlschema
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.integrity import integrity_run
from common.money import eur
from fund.models import (
    AccountCode,
    Claim,
    FundStatementLine,
    PayoutBatch,
    ReconciliationPeriod,
    Transaction,
)
from fund.selectors.ledger import account_balances
from fund.selectors.reconciliation import reconciliation_differences
from fund.services.fund_bank import (
    fund_statement_upload,
    reconciliation_period_close,
    reconciliation_period_open,
)
from fund.services.payouts import fund_bank_account_set, payout_batch_cancel, payout_batch_create
from fund.statement_samples import payout_statement_csv
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import FUND_BIC, FUND_IBAN
from tenancies.models import Payment

pytestmark = pytest.mark.django_db

XSD = Path(__file__).parent / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture
def admins(member):
    # reviewer, approver, and the one who sends the payouts (four eyes on the money going out)
    return (
        member("fund_admin", username="revisore"),
        member("fund_admin", username="approvatore"),
        member("fund_admin", username="tesoriere"),
    )


@pytest.fixture
def two_approved(fund, programme, operator, fund_admin, admins):
    funded(fund)
    fund_bank_account_set(
        actor=fund_admin, fund=fund, account_holder="Fondo Genera", iban=FUND_IBAN, bic=FUND_BIC
    )
    claims = []
    for _ in range(2):
        lease = guaranteed_lease(programme=programme, operator=operator)
        guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
        claims.append(
            approved_claim(
                guarantee=guarantee, submitter=operator, reviewer=admins[0], approver=admins[1]
            )
        )
    return claims


def _sent(claims, admins):
    fund = claims[0].guarantee.fund
    return payout_batch_create(actor=admins[2], fund=fund, claims=claims)


def _statement(batch, day=None, opening=""):
    claims = list(batch.claims.select_related("guarantee__lease__landlord").order_by("pk"))
    return payout_statement_csv(claims=claims, booked_on=day or localdate(), opening=opening)


def test_pain001_of_two_payouts_validates_against_the_xsd(two_approved, admins):
    batch = _sent(two_approved, admins)
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(batch.xml)
    root = ElementTree.fromstring(batch.xml.encode())
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "2200.00"
    debtor = root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS)
    assert debtor == FUND_IBAN
    assert root.findtext(".//p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == FUND_BIC
    claims = Claim.objects.filter(pk__in=[c.pk for c in two_approved]).order_by("pk")
    assert {c.status for c in claims} == {Claim.Status.SENT}
    end_to_end = [e.text for e in root.iterfind(".//p:EndToEndId", NS)]
    assert sorted(end_to_end) == sorted(c.payout_reference for c in claims)
    assert {e.text for e in root.iterfind(".//p:CdtrAcct/p:Id/p:IBAN", NS)} == {
        c.payee_iban for c in claims
    }
    # Sending posts nothing: the ledger waits for the bank statement.
    assert not Transaction.objects.filter(kind=Transaction.Kind.PAYOUT).exists()


@pytest.mark.parametrize("who", [0, 1])
def test_reviewer_and_approver_cannot_send_the_payout(two_approved, admins, who):
    with pytest.raises(DomainError):
        payout_batch_create(
            actor=admins[who], fund=two_approved[0].guarantee.fund, claims=two_approved
        )
    assert not PayoutBatch.objects.exists()
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.APPROVED}


def test_submitter_cannot_send_even_as_fund_admin(fund, programme, operator, fund_admin, admins):
    funded(fund)
    fund_bank_account_set(
        actor=fund_admin, fund=fund, account_holder="Fondo", iban=FUND_IBAN, bic=FUND_BIC
    )
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    lease.landlord.users.add(admins[2])
    claim = approved_claim(
        guarantee=guarantee, submitter=admins[2], reviewer=admins[0], approver=admins[1]
    )
    with pytest.raises(DomainError):
        payout_batch_create(actor=admins[2], fund=fund, claims=[claim])


def test_the_statement_confirms_both_payouts_and_posts_them(two_approved, admins, fund_admin):
    fund = two_approved[0].guarantee.fund
    bank_before = account_balances(fund=fund)[AccountCode.BANK]
    batch = _sent(two_approved, admins)
    statement, counts = fund_statement_upload(
        actor=fund_admin, fund=fund, file_name="estratto.csv", content=_statement(batch)
    )
    assert counts == {"new": 2, "matched": 2, "payouts": 2, "skipped": 0}
    claims = list(Claim.objects.filter(pk__in=[c.pk for c in two_approved]))
    assert {c.status for c in claims} == {Claim.Status.PAID}
    for claim in claims:
        assert claim.statement_line.transaction_id == claim.payout_transaction_id
        assert claim.payment.bank_reference == claim.payout_reference
    assert account_balances(fund=fund)[AccountCode.BANK] == bank_before - eur("2200.00")
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.COMPLETED
    assert not [v for v in integrity_run() if v.check.startswith(("payout", "reconciliation"))]


def test_uploading_the_statement_again_changes_nothing(two_approved, admins, fund_admin):
    fund = two_approved[0].guarantee.fund
    batch = _sent(two_approved, admins)
    content = _statement(batch)
    fund_statement_upload(actor=fund_admin, fund=fund, file_name="a.csv", content=content)
    lines, payments = FundStatementLine.objects.count(), Payment.objects.count()
    transactions = Transaction.objects.count()
    with pytest.raises(DomainError):
        fund_statement_upload(actor=fund_admin, fund=fund, file_name="a.csv", content=content)
    # The same lines in another file (another preamble): skipped, nothing booked again.
    with pytest.raises(DomainError):
        fund_statement_upload(
            actor=fund_admin,
            fund=fund,
            file_name="b.csv",
            content=_statement(batch, opening="di nuovo"),
        )
    assert FundStatementLine.objects.count() == lines
    assert (Payment.objects.count(), Transaction.objects.count()) == (payments, transactions)


def test_a_debit_of_another_amount_or_iban_confirms_nothing(two_approved, admins, fund_admin):
    fund = two_approved[0].guarantee.fund
    batch = _sent(two_approved, admins)
    claim = batch.claims.order_by("pk").first()
    content = _statement(batch).replace(b"-1100,00", b"-1000,00", 1)
    fund_statement_upload(actor=fund_admin, fund=fund, file_name="a.csv", content=content)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SENT
    line = FundStatementLine.objects.get(end_to_end_id=claim.payout_reference)
    assert line.status == FundStatementLine.Status.UNMATCHED and "1.100,00" in line.match_reason


def test_cancelling_the_batch_recalls_its_payouts(two_approved, admins, fund_admin):
    batch = _sent(two_approved, admins)
    with pytest.raises(DomainError):
        payout_batch_cancel(actor=fund_admin, batch=batch, note="")
    payout_batch_cancel(actor=fund_admin, batch=batch, note="File rifiutato dalla banca")
    claims = Claim.objects.filter(pk__in=[c.pk for c in two_approved])
    assert {(c.status, c.payout_reference) for c in claims} == {(Claim.Status.APPROVED, "")}
    # and they can be sent again, with new end-to-end ids
    again = _sent(two_approved, admins)
    assert again.claims.count() == 2
    # each payout's first order is kept, superseded; the new one is its next version
    for claim in claims:
        orders = claim.letters.payout_orders().order_by("version")
        assert [(o.version, o.is_superseded) for o in orders] == [(1, True), (2, False)]
        assert orders[1].facts["replaces"] == orders[0].reference


def test_period_close_refused_with_differences_then_closed(two_approved, admins, fund_admin):
    fund = two_approved[0].guarantee.fund
    today = localdate()
    period = reconciliation_period_open(
        actor=fund_admin, fund=fund, start=today - timedelta(days=30), end=today
    )
    # The contributions are in the ledger but no statement shows them yet.
    assert reconciliation_differences(period=period)
    assert not period.has_no_differences()
    with pytest.raises(DomainError):
        reconciliation_period_close(actor=fund_admin, period=period)
    assert ReconciliationPeriod.objects.get().status == ReconciliationPeriod.Status.OPEN
    # The statement shows the contributions (credits) and the two payouts (debits).
    batch = _sent(two_approved, admins)
    credits = [
        (tx.date, e.amount.amount)
        for tx in Transaction.objects.filter(fund=fund, kind=Transaction.Kind.CONTRIBUTION)
        for e in tx.entries.filter(account__code=AccountCode.BANK)
    ]
    extra = "".join(
        f"{day:%d/%m/%Y};{day:%d/%m/%Y};{str(amount).replace('.', ',')};CONTRIBUTO;;;;C{n}\r\n"
        for n, (day, amount) in enumerate(credits)
    ).encode()
    fund_statement_upload(
        actor=fund_admin, fund=fund, file_name="estratto.csv", content=_statement(batch) + extra
    )
    assert reconciliation_differences(period=period) == []
    closed = reconciliation_period_close(actor=fund_admin, period=period)
    assert closed.status == ReconciliationPeriod.Status.CLOSED
    assert closed.statement_total == closed.ledger_total


def test_pages_send_download_and_confirm(two_approved, admins, fund_admin, client_of):
    sender = client_of(admins[2])
    page = sender.get(reverse("fund:payouts")).text
    assert f'value="{two_approved[0].pk}"' in page
    response = sender.post(
        reverse("fund:payouts"), {"claims": [c.pk for c in two_approved], "execution_date": ""}
    )
    batch = PayoutBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    download = sender.get(reverse("fund:payout_batch_file", args=[batch.pk]))
    xmlschema.XMLSchema(str(XSD)).validate(b"".join(download).decode())
    upload = client_of(fund_admin).post(
        reverse("fund:fund_statements"),
        {"file": _uploaded(_statement(batch))},
    )
    assert upload.status_code == 302
    detail = client_of(fund_admin).get(batch.get_absolute_url()).text
    with translation.override("it"):
        assert detail.count(f">{Claim.Status.PAID.label} (") == 2


def _uploaded(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("estratto.csv", content, content_type="text/csv")


@pytest.mark.parametrize("what", ["movimenti", "richieste", "bonifici", "recuperi"])
def test_exports_give_money_as_numbers(two_approved, admins, fund_admin, client_of, what):
    batch = _sent(two_approved, admins)
    fund_statement_upload(
        actor=fund_admin,
        fund=two_approved[0].guarantee.fund,
        file_name="e.csv",
        content=_statement(batch),
    )
    client = client_of(fund_admin)
    response = client.get(reverse("fund:export", args=[what]))
    text = b"".join(response).decode("utf-8-sig")
    assert response.status_code == 200 and "1100.00" in text
    xlsx = client.get(reverse("fund:export", args=[what]) + "?formato=xlsx")
    assert b"".join(xlsx).startswith(b"PK")


def test_a_credit_out_of_the_window_is_matched_by_hand(fund, fund_admin, client_of):
    from fund.tests.factories import make_contribution

    contribution = make_contribution(
        fund=fund, amount="1234.56", actor=fund_admin, day=localdate() - timedelta(days=20)
    )
    content = f"Data contabile;Importo;Descrizione\r\n{localdate():%d/%m/%Y};1234,56;Bonifico\r\n"
    statement, counts = fund_statement_upload(
        actor=fund_admin, fund=fund, file_name="e.csv", content=content.encode()
    )
    assert counts["matched"] == 0
    line = statement.lines.get()
    client = client_of(fund_admin)
    url = reverse("fund:fund_statement_line_match", args=[line.pk])
    assert url in client.get(statement.get_absolute_url()).text
    assert f'value="{contribution.transaction_id}"' in client.get(url).text
    response = client.post(url, {"transaction": contribution.transaction_id})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.status, line.transaction_id) == ("matched", contribution.transaction_id)
    # matched lines are not offered again
    assert client.get(url).status_code == 404


def test_recalling_every_payout_of_a_file_cancels_it(two_approved, admins, fund_admin):
    from fund.services.claims import claim_recall

    batch = _sent(two_approved, admins)
    first, second = batch.claims.order_by("pk")
    claim_recall(actor=fund_admin, claim=first, note="IBAN chiuso")
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.SENT
    claim_recall(actor=fund_admin, claim=second, note="IBAN chiuso")
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.CANCELLED
    assert not [v for v in integrity_run() if v.check.startswith("payout")]


def test_only_fund_administrators_upload_the_fund_statement(two_approved, admins, operator):
    batch = _sent(two_approved, admins)
    with pytest.raises(DomainError):
        fund_statement_upload(
            actor=operator,
            fund=two_approved[0].guarantee.fund,
            file_name="e.csv",
            content=_statement(batch),
        )
    assert not FundStatementLine.objects.exists()


def _camt053(claims, day):
    entries = "".join(
        f"""
      <Ntry>
        <Amt Ccy="EUR">{claim.amount.amount:.2f}</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{day.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{day.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>BANCA{claim.pk:06d}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>{claim.payout_reference}</EndToEndId></Refs>
          <RltdPties>
            <Cdtr><Nm>Proprietario</Nm></Cdtr>
            <CdtrAcct><Id><IBAN>{claim.payee_iban}</IBAN></Id></CdtrAcct>
          </RltdPties>
          <RmtInf><Ustrd>Fondo di garanzia, richiesta {claim.pk}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"""
        for claim in claims
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-FONDO</MsgId><CreDtTm>{day.isoformat()}T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-FONDO-1</Id>
      <Acct><Id><IBAN>{FUND_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>""".encode()


def test_a_camt053_statement_confirms_the_payouts_by_end_to_end_id(
    two_approved, admins, fund_admin
):
    batch = _sent(two_approved, admins)
    claims = list(batch.claims.order_by("pk"))
    _statement_obj, counts = fund_statement_upload(
        actor=fund_admin,
        fund=batch.fund,
        file_name="camt053.xml",
        content=_camt053(claims, localdate()),
    )
    assert counts["payouts"] == 2
    lines = FundStatementLine.objects.order_by("row")
    assert [line.end_to_end_id for line in lines] == [c.payout_reference for c in claims]
    assert [line.counterparty_iban for line in lines] == [c.payee_iban for c in claims]
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.PAID}


def test_the_period_page_offers_closing_only_without_differences(
    two_approved, admins, fund_admin, client_of
):
    fund = two_approved[0].guarantee.fund
    today = localdate()
    empty = reconciliation_period_open(
        actor=fund_admin,
        fund=fund,
        start=today - timedelta(days=400),
        end=today - timedelta(days=370),
    )
    busy = reconciliation_period_open(
        actor=fund_admin, fund=fund, start=today - timedelta(days=30), end=today
    )
    client = client_of(fund_admin)

    def close_url(period):
        return reverse("common:step", args=["reconciliation_period", period.pk, "close"])

    page = client.get(busy.get_absolute_url()).text
    assert close_url(busy) not in page
    assert "In contabilità, non in estratto conto" in page
    assert client.post(close_url(busy), {"note": ""}).status_code == 302
    assert ReconciliationPeriod.objects.get(pk=busy.pk).status == "open"
    assert close_url(empty) in client.get(empty.get_absolute_url()).text


def test_the_xlsx_export_holds_money_as_numbers(two_approved, admins, fund_admin, client_of):
    import io

    from openpyxl import load_workbook

    batch = _sent(two_approved, admins)
    fund_statement_upload(
        actor=fund_admin, fund=batch.fund, file_name="e.csv", content=_statement(batch)
    )
    response = client_of(fund_admin).get(
        reverse("fund:export", args=["bonifici"]) + "?formato=xlsx"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    amounts = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [float(a) for a in amounts] == [1100.0, 1100.0]
    assert all(isinstance(a, (int, float)) for a in amounts)


def test_integrity_finds_a_payout_paid_without_statement_and_a_closed_period_that_differs(
    two_approved, admins, fund_admin
):
    fund = two_approved[0].guarantee.fund
    today = localdate()
    period = reconciliation_period_open(
        actor=fund_admin, fund=fund, start=today - timedelta(days=30), end=today
    )
    # What the services never do, written behind their back.
    ReconciliationPeriod.objects.filter(pk=period.pk).update(status="closed")
    Claim.objects.filter(pk=two_approved[0].pk).update(status="paid")
    found = {v.check for v in integrity_run()}
    assert {"payout_confirmed_by_statement", "reconciliation_closed_without_differences"} <= found


def test_a_period_s_statement_lines_export_with_their_match(
    two_approved, admins, fund_admin, client_of
):
    """The accountant's statement per period: the lines booked in it, amounts as numbers,
    each with what it was matched to; another period's lines are not in it."""
    import io

    from openpyxl import load_workbook

    from fund.services.fund_bank import reconciliation_period_open

    batch = _sent(two_approved, admins)
    fund_statement_upload(
        actor=fund_admin, fund=batch.fund, file_name="e.csv", content=_statement(batch)
    )
    today = localdate()
    period = reconciliation_period_open(
        actor=fund_admin, fund=batch.fund, start=today.replace(day=1), end=today
    )
    url = reverse("fund:export", args=["estratto"]) + f"?periodo={period.pk}&formato=xlsx"
    rows = list(
        load_workbook(io.BytesIO(b"".join(client_of(fund_admin).get(url)))).active.iter_rows(
            values_only=True
        )
    )
    amounts = [row[5] for row in rows[1:]]
    assert len(amounts) == 2 and all(isinstance(a, (int, float)) and a < 0 for a in amounts), rows
    assert all(row[8] for row in rows[1:])  # each line matched to its ledger transaction
    earlier = reconciliation_period_open(
        actor=fund_admin,
        fund=batch.fund,
        start=today.replace(day=1) - timedelta(days=40),
        end=today.replace(day=1) - timedelta(days=20),
    )
    url = reverse("fund:export", args=["estratto"]) + f"?periodo={earlier.pk}&formato=xlsx"
    response = client_of(fund_admin).get(url)
    assert len(list(load_workbook(io.BytesIO(b"".join(response))).active.iter_rows())) == 1
    missing = client_of(fund_admin).get(reverse("fund:export", args=["estratto"]) + "?periodo=x")
    assert missing.status_code == 404
