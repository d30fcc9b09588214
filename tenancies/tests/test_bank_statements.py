"""Bank statements in: matched to leases with a reason, booked only when confirmed, never twice."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from common.money import eur
from tenancies.models import ArrearsCase, Payment, StatementLine
from tenancies.services.bank import (
    statement_confirm,
    statement_line_ignore,
    statement_line_match,
    statement_upload,
)
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.tests.factories import MemberFactory
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for

HEADER = "Data contabile;Data valuta;Descrizione;Importo;Ordinante;IBAN ordinante;CRO"


@pytest.fixture
def lease_of(programme, operator):
    """An active lease since January 2026 (rent 500 + charges 50, due on the 5th), its
    reference member with the surname given."""

    def make(surname, rent="500", first_name="Anna"):
        lease = LeaseFactory(
            household__programme=programme,
            household__operator=operator,
            rent=eur(rent),
            service_charges=eur("50"),
        )
        MemberFactory(household=lease.household, last_name=surname, first_name=first_name)
        active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
        lease_activate(actor=operator, lease=lease, today=date(2026, 3, 10))
        return lease

    return make


def statement(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def upload(operator, programme, content, name="ottobre.csv"):
    return statement_upload(
        actor=operator,
        programme=programme,
        account="Conto affitti",
        file_name=name,
        content=content,
    )


def test_each_rule_matches_with_its_reason(operator, programme, lease_of):
    by_tax_code = lease_of("Verdi")
    by_name = lease_of("Esposito", rent="700")
    tax_code = by_tax_code.household.members.get(last_name="Verdi").codice_fiscale
    content = statement(
        f"02/10/2026;01/10/2026;Affitto ottobre CF {tax_code};550,00;Zio Pino;;CRO1",
        "03/10/2026;03/10/2026;Canone ottobre;750,00;ESPOSITO ANNA;;CRO2",
        "04/10/2026;04/10/2026;Bonifico;123,45;Sconosciuto;;CRO3",
        "05/10/2026;05/10/2026;Commissioni;-2,00;;;CRO4",
    )
    stmt, counts = upload(operator, programme, content)

    lines = {line.bank_reference: line for line in stmt.lines.all()}
    assert lines["CRO1"].lease == by_tax_code
    assert "codice fiscale" in lines["CRO1"].match_reason
    assert lines["CRO2"].lease == by_name
    assert lines["CRO2"].status == StatementLine.Status.MATCHED
    assert lines["CRO3"].status == StatementLine.Status.UNMATCHED
    assert lines["CRO4"].status == StatementLine.Status.IGNORED
    assert counts["matched"] == 2
    assert not Payment.objects.exists()  # nothing booked before confirmation


def test_two_leases_that_fit_make_the_line_wait(operator, programme, lease_of):
    lease_of("Bruno")
    lease_of("Bruno", first_name="Carla")  # namesakes' households: one codice fiscale each
    stmt, _ = upload(operator, programme, statement("03/10/2026;;Affitto;550,00;BRUNO;;X1"))
    line = stmt.lines.get()
    assert line.status == StatementLine.Status.AMBIGUOUS
    assert "2" in line.match_reason


def test_confirming_books_through_the_payment_service_and_cures_the_case(
    operator, programme, lease_of
):
    lease = lease_of("Gallo")
    run_monthly(month=date(2026, 4, 1), today=date(2026, 4, 30))
    case = ArrearsCase.objects.get(lease=lease)
    owed = sum(due.amount.amount for due in lease.dues.all())
    stmt, _ = upload(
        operator, programme, statement(f"30/04/2026;;Saldo arretrati;{owed};GALLO ANNA;;A1")
    )
    line = stmt.lines.get()
    assert line.status == StatementLine.Status.UNMATCHED  # the amount is not one month's rent

    statement_line_match(actor=operator, line=line, lease=lease)
    assert statement_confirm(actor=operator, statement=stmt) == 1

    line.refresh_from_db()
    assert line.status == StatementLine.Status.BOOKED
    assert line.payment.amount == eur(owed)
    assert line.payment.bank_reference == "A1"
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.CURED


def test_the_same_statement_twice_books_nothing_the_second_time(operator, programme, lease_of):
    lease_of("Conte")
    content = statement("03/10/2026;;Canone;550,00;CONTE;;R1")
    stmt, _ = upload(operator, programme, content)
    statement_confirm(actor=operator, statement=stmt)

    with pytest.raises(DomainError, match="già"):
        upload(operator, programme, content)
    with pytest.raises(DomainError, match="già"):
        upload(operator, programme, content + b"\n", name="copia.csv")  # same lines, new file
    assert Payment.objects.count() == 1


def test_an_overlapping_statement_adds_only_its_new_lines(operator, programme, lease_of):
    lease_of("Ferri")
    upload(operator, programme, statement("03/10/2026;;Canone;550,00;FERRI;;F1"))
    _, counts = upload(
        operator,
        programme,
        statement("03/10/2026;;Canone;550,00;FERRI;;F1", "03/11/2026;;Canone;550,00;FERRI;;F2"),
        name="ottobre-novembre.csv",
    )
    assert counts["skipped"] == 1
    assert StatementLine.objects.count() == 2


def test_two_equal_transfers_without_reference_stay_two_lines(operator, programme, lease_of):
    lease_of("Moro")
    row = "03/10/2026;;Canone;550,00;MORO;;"
    stmt, _ = upload(operator, programme, statement(row, row))
    assert stmt.lines.count() == 2
    assert statement_confirm(actor=operator, statement=stmt) == 2


def test_one_bad_line_in_a_thousand_stores_nothing(operator, programme, lease_of):
    rows = [f"03/10/2026;;Canone {n};{n},00;X;;B{n}" for n in range(1, 1001)]
    rows[700] = "03/10/2026;;Canone;dodici;X;;BAD"
    with pytest.raises(DomainError, match="Riga 702, colonna «Importo»"):
        upload(operator, programme, statement(*rows))
    assert not StatementLine.objects.exists()


def test_a_transfer_typed_by_hand_is_linked_not_booked_again(operator, programme, lease_of):
    from tenancies.services.payments import payment_record

    lease = lease_of("Sala")
    payment_record(
        actor=operator,
        lease=lease,
        amount=eur("550"),
        paid_on=date(2026, 10, 3),
        method=Payment.Method.BANK_TRANSFER,
        payer=Payment.Payer.HOUSEHOLD,
        bank_reference="H1",
    )
    stmt, _ = upload(operator, programme, statement("03/10/2026;;Canone;550,00;SALA;;H1"))
    assert statement_confirm(actor=operator, statement=stmt) == 0
    assert Payment.objects.count() == 1
    assert stmt.lines.get().status == StatementLine.Status.BOOKED


def test_confirmation_is_all_or_nothing_naming_the_row(operator, programme, lease_of):
    ok = lease_of("Riva")
    stmt, _ = upload(
        operator,
        programme,
        statement("03/10/2026;;Canone;550,00;RIVA;;C1", "04/10/2026;;Altro;10,00;;;C2"),
    )
    other = stmt.lines.get(bank_reference="C2")
    statement_line_match(actor=operator, line=other, lease=ok)
    StatementLine.objects.filter(pk=other.pk).update(amount=Decimal("0.00"))  # a bad line

    with pytest.raises(DomainError, match="Riga 3"):
        statement_confirm(actor=operator, statement=stmt)
    assert not Payment.objects.exists()
    assert not stmt.lines.filter(status=StatementLine.Status.BOOKED).exists()


def test_a_debit_cannot_be_matched_and_an_ignored_line_is_never_booked(
    operator, programme, lease_of
):
    lease = lease_of("Neri")
    stmt, _ = upload(
        operator,
        programme,
        statement("03/10/2026;;Spese;-5,00;;;D1", "03/10/2026;;Canone;550,00;NERI;;D2"),
    )
    with pytest.raises(DomainError):
        statement_line_match(actor=operator, line=stmt.lines.get(bank_reference="D1"), lease=lease)
    statement_line_ignore(actor=operator, line=stmt.lines.get(bank_reference="D2"))
    with pytest.raises(DomainError, match="Nessuna riga abbinata"):
        statement_confirm(actor=operator, statement=stmt)


def test_another_programmes_lease_cannot_be_matched(operator, programme, other_programme):
    stranger = LeaseFactory(household__programme=other_programme)
    stmt, _ = upload(operator, programme, statement("03/10/2026;;Canone;550,00;;;O1"))
    with pytest.raises(DomainError):
        statement_line_match(actor=operator, line=stmt.lines.get(), lease=stranger)


def test_the_payers_iban_learnt_from_a_confirmed_line(operator, programme, lease_of):
    lease = lease_of("Fontana")
    iban = "IT60X0542811101000000123456"
    first, _ = upload(operator, programme, statement(f"03/10/2026;;Bonifico;300,00;Zia;{iban};I1"))
    statement_line_match(actor=operator, line=first.lines.get(), lease=lease)
    statement_confirm(actor=operator, statement=first)

    second, _ = upload(
        operator, programme, statement(f"03/11/2026;;Bonifico;300,00;Zia;{iban};I2"), "nov.csv"
    )
    line = second.lines.get()
    assert line.lease == lease
    assert "IBAN" in line.match_reason


def test_statement_pages_are_operator_only(client_of, programme, member):
    monitor = member(role="monitor")
    assert client_of(monitor).get(reverse("tenancies:statement_list")).status_code in (403, 404)


def test_an_operator_uploads_matches_by_hand_and_confirms(client_of, operator, programme, lease_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lease = lease_of("Pace")
    client = client_of(operator)
    response = client.post(
        reverse("tenancies:statement_list"),
        {
            "account": "Conto affitti",
            "file": SimpleUploadedFile(
                "ottobre.csv", statement("03/10/2026;;Contributo;321,00;Comune;;P1")
            ),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Da abbinare a mano" in response.content.decode() or "321" in response.content.decode()
    line = StatementLine.objects.get()

    page = client.get(reverse("tenancies:statement_line", args=[line.pk]), {"q": "Pace"})
    assert lease.household.name in page.content.decode()
    client.post(reverse("tenancies:statement_line", args=[line.pk]), {"lease": lease.pk})
    client.post(reverse("tenancies:statement_confirm", args=[line.statement_id]))

    line.refresh_from_db()
    assert line.status == StatementLine.Status.BOOKED
    assert line.payment.lease == lease


def test_a_file_that_is_not_a_statement_is_an_italian_form_error(client_of, operator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_of(operator).post(
        reverse("tenancies:statement_list"),
        {"account": "Conto", "file": SimpleUploadedFile("x.csv", b"Nome;Cognome\nA;B\n")},
    )
    assert response.status_code == 200
    assert "Nessuna riga di intestazione" in response.content.decode()
    assert not StatementLine.objects.exists()


def test_another_programmes_statement_is_404(
    client_of, operator, programme, other_programme, member
):
    stranger = member(role="operator", programme=other_programme)
    stmt, _ = upload(operator, programme, statement("03/10/2026;;Canone;10,00;;;Z1"))
    client = client_of(stranger)
    assert client.get(reverse("tenancies:statement_detail", args=[stmt.pk])).status_code == 404
    line = stmt.lines.get()
    assert client.get(reverse("tenancies:statement_line", args=[line.pk])).status_code == 404
    assert client.post(reverse("tenancies:statement_confirm", args=[stmt.pk])).status_code == 404
