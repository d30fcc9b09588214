import pytest
from django.db import transaction

from common.audit import audit_timeline
from common.exceptions import DomainError
from common.models import AuditEvent, Membership
from common.roles import Role
from common.services import membership_grant
from common.tests.factories import UserFactory


def test_membership_grant_writes_audit_event_with_actor(programme):
    admin = UserFactory(username="coordinator")
    user = UserFactory(username="giulia")

    membership = membership_grant(actor=admin, programme=programme, user=user, role=Role.OPERATOR)

    event = AuditEvent.objects.get(verb="role_granted")
    assert event.actor == admin
    assert event.programme == programme
    assert event.target == membership
    assert (event.from_state, event.to_state) == ("", "operator")
    assert list(audit_timeline(membership)) == [event]


def test_changing_role_records_old_and_new_role(programme):
    user = UserFactory()
    membership_grant(actor=None, programme=programme, user=user, role=Role.OPERATOR)
    membership_grant(actor=None, programme=programme, user=user, role=Role.MONITOR)

    last = AuditEvent.objects.filter(verb="role_granted").first()
    assert (last.from_state, last.to_state) == ("operator", "monitor")
    assert Membership.objects.get(user=user).role == Role.MONITOR


def test_granting_the_same_role_twice_changes_nothing(programme):
    user = UserFactory()
    membership_grant(actor=None, programme=programme, user=user, role=Role.OPERATOR)
    membership_grant(actor=None, programme=programme, user=user, role=Role.OPERATOR)

    assert AuditEvent.objects.filter(verb="role_granted").count() == 1


def test_audit_event_rolls_back_with_the_change(programme):
    """The event is written in the service's transaction: no change, no event."""
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        membership_grant(actor=None, programme=programme, user=user, role=Role.OPERATOR)
        raise RuntimeError("the caller's transaction fails after the service")

    assert not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_unknown_role_is_refused_and_nothing_saved(programme):
    with pytest.raises(DomainError) as error:
        membership_grant(actor=None, programme=programme, user=UserFactory(), role="boss")
    assert error.value.field == "role"
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_timeline_shows_actions_and_states_in_words(programme):
    user = UserFactory()
    membership_grant(actor=None, programme=programme, user=user, role=Role.MONITOR)

    event = AuditEvent.objects.get()
    assert event.verb_label == "ruolo assegnato"
    assert event.to_label == "Monitoraggio"
