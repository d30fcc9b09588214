from datetime import timedelta
from io import BytesIO

import pytest
from django.utils.timezone import localdate
from pypdf import PdfReader

from common.exceptions import DomainError
from tenancies.models import PactCommitment, SupportPact
from tenancies.pdf import pact_pdf_render
from tenancies.selectors.pacts import pact_pdf_facts
from tenancies.services import pacts as services


def sign(pact, operator):
    return services.pact_sign(
        actor=operator, pact=pact, place="Montichiari", household_signatory="Mario Rossi"
    )


def test_signing_records_the_facts_and_schedules_the_first_review(enrolled, operator):
    pact = enrolled.pacts.get()
    sign(pact, operator)
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.SIGNED
    assert pact.signed_on == localdate()
    assert pact.signed_by_operator == operator
    assert pact.next_review_on == services.add_months(localdate(), 3)


def test_a_pact_without_the_programme_s_commitment_cannot_be_signed(enrolled, operator):
    pact = enrolled.pacts.get()
    pact.commitments.filter(party=PactCommitment.Party.PROGRAMME).delete()
    with pytest.raises(DomainError):
        sign(pact, operator)
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.DRAFT


def test_a_signed_pact_cannot_be_edited(enrolled, operator):
    pact = enrolled.pacts.get()
    sign(pact, operator)
    with pytest.raises(DomainError):
        services.commitment_add(
            actor=operator, pact=pact, party="household", description="Altro impegno"
        )
    with pytest.raises(DomainError):
        services.pact_update(actor=operator, pact=pact, goal="Altro")


def test_review_cycle_continue_then_complete(enrolled, operator):
    pact = enrolled.pacts.get()
    sign(pact, operator)
    services.pact_start_review(actor=operator, pact=pact)
    held = localdate()
    services.pact_review_record(
        actor=operator,
        pact=pact,
        held_on=held,
        outcome="on_track",
        note="Bene",
        decision="continue",
    )
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.SIGNED
    assert pact.next_review_on == services.add_months(held, 3)
    services.pact_start_review(actor=operator, pact=pact)
    services.pact_review_record(
        actor=operator,
        pact=pact,
        held_on=held,
        outcome="on_track",
        note="Fatto",
        decision="complete",
    )
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.COMPLETED
    assert pact.reviews.count() == 2


def test_a_review_can_declare_the_pact_broken(enrolled, operator):
    pact = enrolled.pacts.get()
    sign(pact, operator)
    with pytest.raises(DomainError):
        services.pact_review_record(
            actor=operator,
            pact=pact,
            held_on=localdate(),
            outcome="not_kept",
            note="x",
            decision="broken",
        )
    services.pact_start_review(actor=operator, pact=pact)
    services.pact_review_record(
        actor=operator,
        pact=pact,
        held_on=localdate(),
        outcome="not_kept",
        note="Nessun impegno",
        decision="broken",
    )
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.BROKEN


def test_only_one_open_pact_per_household(enrolled, operator):
    with pytest.raises(DomainError):
        services.pact_create(
            actor=operator,
            household=enrolled,
            goal="Secondo",
            starts_on=localdate(),
            ends_on=localdate() + timedelta(days=30),
        )


def test_the_pact_pdf_reads_back_with_names_and_commitments(enrolled, operator):
    pact = enrolled.pacts.get()
    sign(pact, operator)
    facts = pact_pdf_facts(pact=SupportPact.objects.get(pk=pact.pk))
    assert facts["signed_by_household"] == "Mario Rossi"
    text = "\n".join(
        page.extract_text() for page in PdfReader(BytesIO(pact_pdf_render(facts))).pages
    )
    assert "Patto" in text
    assert "Rossi Mario" in text
    assert "Frequentare il corso di bilancio familiare" in text
    assert "Garanzia del fondo sul canone" in text
    assert "Montichiari" in text


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_signed_pact_pdf_is_a_snapshot_later_edits_do_not_change_it(
    enrolled, operator, client_of
):
    from django.urls import reverse

    from tenancies.models import Member
    from tenancies.services.households import member_update

    pact = enrolled.pacts.get()
    sign(pact, operator)
    url = reverse("tenancies:pact_pdf", args=[enrolled.pk, pact.pk])
    client = client_of(operator)
    before = _pdf_text(client.get(url).content)
    assert "Rossi Mario" in before

    # The reference person changes under the signature: name and codice fiscale.
    reference = enrolled.members.get(relation=Member.Relation.REFERENCE)
    member_update(actor=operator, member=reference, first_name="Giuseppe", last_name="Verdi")
    assert "Verdi" in str(enrolled.members.get(pk=reference.pk))

    after = _pdf_text(client.get(url).content)
    assert "Rossi Mario" in after
    assert "Verdi" not in after
    assert after == before
