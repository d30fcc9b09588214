"""Agreement life: draft → active ⇄ suspended → terminated, with guards, permissions and audit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.exceptions import DomainError
from common.models import AuditEvent
from housing.models import LandlordAgreement, LeaseType
from housing.selectors import agreement_active_for
from housing.services import (
    agreement_activate,
    agreement_create,
    agreement_resume,
    agreement_suspend,
    agreement_terminate,
    agreement_update,
)
from housing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
Status = LandlordAgreement.Status


def test_full_life_with_audit_events(agreement, operator):
    agreement_activate(actor=operator, agreement=agreement, note="firmata")
    agreement_suspend(actor=operator, agreement=agreement, note="verifica")
    agreement_resume(actor=operator, agreement=agreement)
    agreement_terminate(actor=operator, agreement=agreement, note="venduto")
    agreement.refresh_from_db()
    assert agreement.status == Status.TERMINATED
    events = AuditEvent.objects.filter(
        target_id=str(agreement.pk), target_type__model="landlordagreement"
    ).order_by("id")
    assert [(e.verb, e.from_state, e.to_state) for e in events] == [
        ("activate", "draft", "active"),
        ("suspend", "active", "suspended"),
        ("resume", "suspended", "active"),
        ("terminate", "active", "terminated"),
    ]
    # The landlord's timeline shows the agreement's events.
    assert all(e.context_id == str(agreement.landlord_id) for e in events)


def test_illegal_transitions_are_refused(agreement, operator):
    with pytest.raises(DomainError):
        agreement_suspend(actor=operator, agreement=agreement, note="x")
    with pytest.raises(DomainError):
        agreement_resume(actor=operator, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT
    agreement_activate(actor=operator, agreement=agreement)
    with pytest.raises(DomainError):
        agreement_activate(actor=operator, agreement=agreement)
    agreement_terminate(actor=operator, agreement=agreement, note="fine")
    with pytest.raises(DomainError):
        agreement_resume(actor=operator, agreement=agreement)
    assert (
        AuditEvent.objects.filter(
            target_id=str(agreement.pk), target_type__model="landlordagreement"
        ).count()
        == 2
    )


def test_activation_needs_the_signed_terms(landlord, operator):
    draft = agreement_create(
        actor=operator,
        landlord=landlord,
        cap_per_lease="5000",
        max_monthly_rent="700",
    )
    with pytest.raises(DomainError) as caught:
        agreement_activate(actor=operator, agreement=draft)
    assert "data di firma" in caught.value.message
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_suspending_needs_a_note(agreement, operator):
    agreement_activate(actor=operator, agreement=agreement)
    with pytest.raises(DomainError) as caught:
        agreement_suspend(actor=operator, agreement=agreement, note="  ")
    assert caught.value.field == "note"


def test_only_one_agreement_in_force_per_landlord(agreement, operator):
    agreement_activate(actor=operator, agreement=agreement)
    second = AgreementFactory(landlord=agreement.landlord)
    with pytest.raises(DomainError) as caught:
        agreement_activate(actor=operator, agreement=second)
    assert "già una convenzione" in caught.value.message


def test_an_expired_agreement_cannot_be_activated(landlord, operator):
    past = timezone.localdate() - timedelta(days=400)
    expired = AgreementFactory(
        landlord=landlord, valid_from=past, valid_until=past + timedelta(days=100)
    )
    with pytest.raises(DomainError):
        agreement_activate(actor=operator, agreement=expired)


def test_people_outside_the_programme_staff_may_not_transition(agreement, member):
    monitor = member("monitor", username="monitor")
    with pytest.raises(DomainError):
        agreement_activate(actor=monitor, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


def test_an_operator_of_another_programme_may_not_transition(agreement, member, other_programme):
    stranger = member("operator", programme=other_programme, username="altro")
    with pytest.raises(DomainError):
        agreement_activate(actor=stranger, agreement=agreement)


def test_terms_change_only_in_draft(agreement, operator):
    agreement_update(
        actor=operator, agreement=agreement, cover_months=9, lease_types=[LeaseType.STUDENTI]
    )
    agreement.refresh_from_db()
    assert agreement.cover_months == 9
    agreement_activate(actor=operator, agreement=agreement)
    with pytest.raises(DomainError):
        agreement_update(actor=operator, agreement=agreement, cover_months=12)


def test_unknown_lease_type_is_refused(landlord, operator):
    with pytest.raises(DomainError) as caught:
        agreement_create(
            actor=operator,
            landlord=landlord,
            cap_per_lease="1",
            max_monthly_rent="1",
            lease_types=["affitto_in_nero"],
        )
    assert caught.value.field == "lease_types"
    assert not LandlordAgreement.objects.exists()


def test_agreement_active_for(agreement, operator):
    today = timezone.localdate()
    assert agreement_active_for(landlord=agreement.landlord) is None
    agreement_activate(actor=operator, agreement=agreement)
    assert agreement_active_for(landlord=agreement.landlord) == agreement
    assert agreement_active_for(landlord=agreement.landlord, on=today - timedelta(days=30)) is None
    assert agreement_active_for(landlord=agreement.landlord, on=today + timedelta(days=800)) is None
    agreement_suspend(actor=operator, agreement=agreement, note="pausa")
    assert agreement_active_for(landlord=agreement.landlord) is None
