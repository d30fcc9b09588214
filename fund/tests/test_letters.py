"""Letters on claims: the decision letter issued with the approval or rejection, the payout
order with the SEPA batch, as frozen snapshots in storage; who may download them."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.timezone import localdate
from pypdf import PdfReader

from common.exceptions import DomainError
from common.integrity import integrity_run
from common.roles import Role
from fund.models import Claim, ClaimLetter
from fund.services import letters as letter_services
from fund.services.claims import claim_approve, claim_reject, claim_review, claim_submit
from fund.services.letters import claim_letters_issue_missing
from fund.services.payouts import fund_bank_account_set, payout_batch_create
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import FUND_BIC, FUND_IBAN

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def admins(member):
    return (
        member("fund_admin", username="revisore", first_name="Rita", last_name="Revisori"),
        member("fund_admin", username="approvatore", first_name="Aldo", last_name="Approvi"),
        member("fund_admin", username="tesoriere", first_name="Teresa", last_name="Tesori"),
    )


@pytest.fixture
def guarantee(fund, programme, operator, fund_admin):
    funded(fund)
    # rent 575 + 50 charges: two months are 1,250.00 €
    lease = guaranteed_lease(programme=programme, operator=operator, rent="575")
    return active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)


@pytest.fixture
def approved(guarantee, operator, admins):
    return approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=admins[0], approver=admins[1]
    )


@pytest.fixture
def landlord_user(member, guarantee):
    user = member(Role.LANDLORD, username="proprietario")
    guarantee.lease.landlord.users.add(user)
    return user


def _send(claim, fund_admin, sender):
    fund_bank_account_set(
        actor=fund_admin,
        fund=claim.guarantee.fund,
        account_holder="Fondo Genera",
        iban=FUND_IBAN,
        bic=FUND_BIC,
    )
    return payout_batch_create(actor=sender, fund=claim.guarantee.fund, claims=[claim])


def test_approval_letter_states_the_amounts_in_italian_and_the_role_not_the_name(approved):
    letter = approved.letters.get()
    text = pdf_text(letter_services.claim_letter_pdf(letter))
    assert letter.reference in text
    assert "1.250,00 €" in text
    assert f"Richiesta n. {approved.pk} approvata" in text or f"#{approved.pk}" in text
    assert "Amministratore del fondo" in text
    assert "Approvi" not in text  # who decided, by role only
    remaining = approved.guarantee.amount.amount - 1250
    assert letter.facts["remaining_cover_after"] == str(remaining)


def test_rejection_letter_gives_the_reason(guarantee, operator, fund_admin):
    claim = claim_submit(
        actor=operator,
        guarantee=guarantee,
        due_ids=[d.pk for d in guarantee.lease.dues.order_by("month")[:1]],
    )
    rejected = claim_reject(actor=fund_admin, claim=claim, note="Manca la diffida di pagamento")
    letter = rejected.letters.get()
    assert (letter.kind, letter.outcome) == ("decision", "rejected")
    assert "Manca la diffida di pagamento" in pdf_text(letter_services.claim_letter_pdf(letter))


def test_a_failed_rendering_leaves_the_claim_as_it_was(guarantee, operator, admins, monkeypatch):
    claim = claim_submit(
        actor=operator,
        guarantee=guarantee,
        due_ids=[d.pk for d in guarantee.lease.dues.order_by("month")[:2]],
    )
    claim_review(actor=admins[0], claim=claim)

    def broken(facts):
        raise OSError("no fonts")

    monkeypatch.setattr(letter_services, "claim_letter_pdf_render", broken)
    with pytest.raises(DomainError):
        claim_approve(actor=admins[1], claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNDER_REVIEW and claim.approved_by is None
    assert not ClaimLetter.objects.exists()


def test_the_letter_is_a_snapshot_later_changes_never_reach_it(approved, fund_admin):
    letter = approved.letters.get()
    before = letter_services.claim_letter_pdf(letter)
    landlord = approved.guarantee.lease.landlord
    type(landlord).objects.filter(pk=landlord.pk).update(name="Nome cambiato dopo")
    rejected = claim_reject(actor=fund_admin, claim=approved, note="Pagato dal nucleo")
    letter.refresh_from_db()
    # the old letter is kept as it was, superseded; its facts render the same bytes again
    assert letter.is_superseded
    assert letter_services.claim_letter_pdf(letter) == before
    assert letter_services.claim_letter_pdf_render(letter.facts) == before
    new = rejected.letters.decisions().current().get()
    assert (new.version, new.outcome, new.facts["replaces"]) == (2, "rejected", letter.reference)
    assert new.number == letter.number + 1
    assert "Nome cambiato dopo" in pdf_text(letter_services.claim_letter_pdf(new))


def test_a_changed_file_is_refused_and_found_by_the_integrity_check(approved):
    letter = approved.letters.get()
    assert not [v for v in integrity_run() if v.check.startswith("claim_")]
    with letter.file.open("wb") as handle:
        handle.write(b"%PDF-1.7 altered")
    with pytest.raises(DomainError):
        letter_services.claim_letter_pdf(letter)
    found = {v.check for v in integrity_run()}
    assert "claim_letter_file_matches" in found


def test_integrity_finds_a_decided_claim_without_its_letter(approved):
    ClaimLetter.objects.filter(claim=approved).delete()
    assert "claim_decision_has_letter" in {v.check for v in integrity_run()}


def test_claims_decided_before_letters_get_theirs_once(approved, fund_admin, admins):
    """An installation whose claims were decided and sent before letters existed: the command
    issues what each lacks, says so in the letter, and a second run issues nothing."""
    _send(approved, fund_admin, admins[2])
    ClaimLetter.objects.filter(claim=approved).delete()
    out = io.StringIO()
    call_command("claim_letters_issue_missing", by=fund_admin.username, stdout=out)
    assert "Letters issued: 2." in out.getvalue()
    decision = approved.letters.decisions().current().get()
    assert (decision.outcome, decision.issued_by) == ("approved", fund_admin)
    text = pdf_text(letter_services.claim_letter_pdf(decision))
    assert "gli importi sono quelli del giorno di emissione" in text
    assert approved.letters.payout_orders().current().exists()
    assert not [v for v in integrity_run() if v.check.startswith("claim_")]
    assert claim_letters_issue_missing(actor=fund_admin) == 0


def test_payout_order_lists_the_masked_iban_and_both_administrators(approved, fund_admin, admins):
    _send(approved, fund_admin, admins[2])
    order = approved.letters.payout_orders().get()
    text = pdf_text(letter_services.claim_letter_pdf(order))
    iban = Claim.objects.get(pk=approved.pk).payee_iban
    assert iban not in text and f"{iban[:4]} •••• •••• {iban[-4:]}" in text
    assert "Aldo Approvi" in text and "Teresa Tesori" in text
    assert "1.250,00 €" in text
    assert order.facts["decision_reference"] == approved.letters.decisions().get().reference
    assert order.number == approved.letters.decisions().get().number + 1


def test_downloads_by_role(approved, client_of, fund_admin, operator, landlord_user, member):
    letter = approved.letters.get()
    staff_url = reverse("fund:claim_letter", args=[approved.pk, letter.pk])
    mine_url = reverse("fund:my_claim_letter", args=[approved.pk, letter.pk])
    for user in (fund_admin, operator):
        response = client_of(user).get(staff_url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client_of(landlord_user)
    page = client_of(landlord_user).get(reverse("fund:my_claim", args=[approved.pk]))
    assert mine_url in page.content.decode()
    assert client_of(landlord_user).get(mine_url).status_code == 200
    stranger = member(Role.LANDLORD, username="altro")
    assert client_of(stranger).get(mine_url).status_code == 404
    assert client_of(member(Role.MONITOR, username="monitor")).get(staff_url).status_code in (
        403,
        404,
    )


def test_the_landlord_never_gets_the_payout_order(
    approved, client_of, fund_admin, admins, landlord_user
):
    _send(approved, fund_admin, admins[2])
    order = approved.letters.payout_orders().get()
    url = reverse("fund:my_claim_letter", args=[approved.pk, order.pk])
    assert client_of(landlord_user).get(url).status_code == 404


def test_the_landlord_downloads_the_documents_of_their_claim(
    guarantee, landlord_user, client_of, member
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    claim = claim_submit(
        actor=landlord_user,
        guarantee=guarantee,
        due_ids=[d.pk for d in guarantee.lease.dues.order_by("month")[:1]],
        documents=[("payment_demand", SimpleUploadedFile("diffida.pdf", content))],
    )
    document = claim.documents.get()
    url = reverse("fund:my_claim_document_file", args=[claim.pk, document.pk])
    response = client_of(landlord_user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    stranger = member(Role.LANDLORD, username="altro")
    assert client_of(stranger).get(url).status_code == 404


def test_the_landlord_s_mail_names_the_letter_and_not_the_household(landlord_user, approved):
    from common.notifications.models import Notification

    notice = Notification.objects.filter(recipient=landlord_user, kind="claim_approved").get()
    letter = approved.letters.get()
    assert letter.reference in notice.body
    assert approved.guarantee.lease.household.name not in notice.body


def test_references_are_numbered_per_fund_and_year(approved, guarantee, operator, fund_admin):
    claim = claim_submit(
        actor=operator,
        guarantee=guarantee,
        due_ids=[d.pk for d in guarantee.lease.dues.order_by("month")[2:3]],
    )
    rejected = claim_reject(actor=fund_admin, claim=claim, note="No")
    year = localdate().year
    assert rejected.letters.get().reference == f"FG-{year}-0002"
