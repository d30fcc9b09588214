"""Four eyes on a landlord's IBAN: a change is a proposal until a fund administrator other
than the proposer approves it; the landlord's IBAN (the one payouts use) stays until then."""

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from common.models import AuditEvent
from housing.models import Landlord, PayeeChange
from housing.services import (
    landlord_update,
    payee_change_approve,
    payee_change_propose,
    payee_change_reject,
)
from housing.tests.factories import VALID_IBAN

NEW_IBAN = "IT07X0542811101000000654321"


@pytest.fixture
def second_admin(member):
    return member("fund_admin", username="amm2")


def test_changing_the_iban_in_the_landlord_form_only_proposes_it(landlord, operator):
    assert landlord.iban == VALID_IBAN
    landlord_update(actor=operator, landlord=landlord, iban=NEW_IBAN.lower(), phone="030 123")
    landlord.refresh_from_db()
    assert landlord.iban == VALID_IBAN  # still the approved one
    assert landlord.phone == "030 123"  # other details change at once
    change = landlord.payee_changes.get()
    assert (change.status, change.iban, change.iban_before) == ("proposed", NEW_IBAN, VALID_IBAN)
    assert change.proposed_by == operator
    assert AuditEvent.objects.filter(verb="payee_change_proposed", actor=operator).exists()
    # Saving the form again (it shows the approved IBAN) with the same proposal open is no
    # second proposal.
    landlord_update(actor=operator, landlord=landlord, iban=NEW_IBAN)
    assert landlord.payee_changes.count() == 1


def test_the_proposer_cannot_approve_a_second_fund_administrator_can(
    landlord, fund_admin, second_admin, operator
):
    change = payee_change_propose(actor=fund_admin, landlord=landlord, iban=NEW_IBAN)
    with pytest.raises(DomainError):
        payee_change_approve(actor=fund_admin, change=change)
    with pytest.raises(DomainError):
        payee_change_approve(actor=operator, change=change)  # not a fund administrator
    assert Landlord.objects.get(pk=landlord.pk).iban == VALID_IBAN

    approved = payee_change_approve(actor=second_admin, change=change, note="verificato")
    assert approved.status == PayeeChange.Status.APPROVED
    assert approved.decided_by == second_admin
    assert Landlord.objects.get(pk=landlord.pk).iban == NEW_IBAN
    event = AuditEvent.objects.get(verb="iban_changed")
    assert event.actor == second_admin
    assert event.data["before"] == VALID_IBAN and event.data["after"] == NEW_IBAN


def test_a_rejected_iban_never_applies(landlord, operator, fund_admin):
    change = payee_change_propose(actor=operator, landlord=landlord, iban=NEW_IBAN)
    payee_change_reject(actor=fund_admin, change=change, note="chiamato il proprietario")
    assert Landlord.objects.get(pk=landlord.pk).iban == VALID_IBAN
    assert PayeeChange.objects.get().status == PayeeChange.Status.REJECTED


def test_one_open_change_at_a_time_and_no_silent_removal(landlord, operator):
    payee_change_propose(actor=operator, landlord=landlord, iban=NEW_IBAN)
    with pytest.raises(DomainError):
        payee_change_propose(actor=operator, landlord=landlord, iban=VALID_IBAN[:-1] + "7")
    with pytest.raises(DomainError):
        landlord_update(actor=operator, landlord=landlord, iban="")


def test_an_invalid_iban_is_refused(landlord, operator):
    with pytest.raises(DomainError) as error:
        payee_change_propose(actor=operator, landlord=landlord, iban="IT00X0000")
    assert error.value.field == "iban"
    assert not PayeeChange.objects.exists()


def test_the_landlord_page_offers_approval_to_a_second_administrator_only(
    client_of, landlord, fund_admin, second_admin
):
    change = payee_change_propose(actor=fund_admin, landlord=landlord, iban=NEW_IBAN)
    step = reverse("common:step", args=["payee_change", change.pk, "approve"])
    page = reverse("housing:landlord_detail", args=[landlord.pk])
    assert step not in client_of(fund_admin).get(page).content.decode()
    client = client_of(second_admin)
    assert step in client.get(page).content.decode()
    response = client.post(step, {"note": "ok"})
    assert response.status_code == 302
    assert Landlord.objects.get(pk=landlord.pk).iban == NEW_IBAN


def test_integrity_finds_an_iban_changed_without_approval(landlord, operator, fund_admin):
    from common.integrity import integrity_run

    change = payee_change_propose(actor=operator, landlord=landlord, iban=NEW_IBAN)
    payee_change_approve(actor=fund_admin, change=change)
    assert integrity_run(["landlord_iban_as_approved"]) == []
    # Seeded: the IBAN written straight to the row, past the four eyes.
    Landlord.objects.filter(pk=landlord.pk).update(iban=VALID_IBAN)
    assert [v.obj for v in integrity_run(["landlord_iban_as_approved"])] == [landlord]
