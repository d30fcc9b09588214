"""Roles are granted and revoked through audited services, from the admin as from code."""

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from common.models import AuditEvent, Membership, Programme
from common.roles import Role
from common.services import membership_grant, membership_revoke
from common.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_revoke_removes_the_role_and_keeps_who_and_why(programme, root):
    membership = MembershipFactory(programme=programme, role=Role.MONITOR)

    membership_revoke(actor=root, membership=membership, reason="Fine del progetto")

    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(verb="role_revoked")
    assert (event.actor, event.programme, event.target) == (root, programme, programme)
    assert (event.from_state, event.note) == ("monitor", "Fine del progetto")
    assert event.data["user"] == membership.user.username


def test_revoke_twice_records_one_event(programme, root):
    membership = MembershipFactory(programme=programme)
    membership_revoke(actor=root, membership=membership, reason="Trasferita")
    membership_revoke(actor=root, membership=membership, reason="Trasferita")

    assert AuditEvent.objects.filter(verb="role_revoked").count() == 1


def test_revoke_without_a_reason_is_refused_and_the_role_stays(programme, root):
    membership = MembershipFactory(programme=programme)

    with pytest.raises(DomainError) as error:
        membership_revoke(actor=root, membership=membership, reason="  ")

    assert error.value.field == "reason"
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.filter(verb="role_revoked").exists()


def test_grant_to_a_deactivated_account_is_refused(programme, root):
    user = UserFactory(is_active=False)

    with pytest.raises(DomainError) as error:
        membership_grant(actor=root, user=user, programme=programme, role=Role.OPERATOR)

    assert error.value.field == "user"
    assert not Membership.objects.filter(user=user).exists()


def test_factory_memberships_are_granted_through_the_service(programme):
    membership = MembershipFactory(programme=programme, role=Role.CARETAKER)

    event = AuditEvent.objects.get(verb="role_granted")
    assert event.target == membership and event.to_state == "caretaker"


# -- the admin ---------------------------------------------------------------------------


def test_admin_grants_a_role_through_the_service(client, root, programme):
    user = UserFactory(username="giulia")
    client.force_login(root)

    response = client.post(
        reverse("admin:common_membership_add"),
        {"user": user.pk, "programme": programme.pk, "role": Role.OPERATOR},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    event = AuditEvent.objects.get(verb="role_granted")
    assert (event.actor, event.target, event.to_state) == (root, membership, "operator")


def test_admin_changes_a_role_by_granting_another_one(client, root, programme):
    membership = MembershipFactory(programme=programme, role=Role.OPERATOR)
    client.force_login(root)

    response = client.post(
        reverse("admin:common_membership_add"),
        {"user": membership.user.pk, "programme": programme.pk, "role": Role.MONITOR},
    )

    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).role == Role.MONITOR
    last = AuditEvent.objects.filter(verb="role_granted").first()
    assert (last.actor, last.from_state, last.to_state) == (root, "operator", "monitor")


def test_admin_cannot_edit_or_delete_a_membership(client, root, programme):
    membership = MembershipFactory(programme=programme)
    client.force_login(root)

    page = client.get(reverse("admin:common_membership_change", args=[membership.pk]))
    assert page.status_code == 200 and "Salva" not in page.content.decode()
    response = client.post(
        reverse("admin:common_membership_change", args=[membership.pk]),
        {"user": membership.user.pk, "programme": programme.pk, "role": Role.MONITOR},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:common_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).role == Role.OPERATOR


def test_admin_revokes_roles_with_a_reason(client, root, programme):
    memberships = [MembershipFactory(programme=programme) for _ in range(2)]
    client.force_login(root)
    url = reverse("admin:common_membership_changelist")
    selected = {"action": "revoke", "_selected_action": [m.pk for m in memberships]}

    asked = client.post(url, selected)
    assert asked.status_code == 200 and "reason" in asked.content.decode()
    assert Membership.objects.count() == 2  # nothing revoked before a reason is given

    done = client.post(url, {**selected, "reason": "Fine del contratto"})
    assert done.status_code == 302
    assert not Membership.objects.exists()
    events = AuditEvent.objects.filter(verb="role_revoked")
    assert [(e.actor, e.note) for e in events] == [(root, "Fine del contratto")] * 2


def test_a_login_with_roles_is_deleted_only_after_revoking_them(client, root, programme):
    """Deleting a user would delete its memberships unaudited: the admin refuses it."""
    membership = MembershipFactory(programme=programme)
    client.force_login(root)
    url = reverse("admin:auth_user_delete", args=[membership.user.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()

    membership_revoke(actor=root, membership=membership, reason="Account chiuso")
    assert client.post(url, {"post": "yes"}).status_code == 302


def test_admin_creates_and_changes_a_programme_through_the_services(client, root):
    client.force_login(root)
    data = {
        "name": "BERGAMONDO",
        "slug": "bergamondo",
        "lead_organisation": "",
        "municipalities": '["Bergamo"]',
        "description": "",
        "is_active": "on",
        "retention_years": "10",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }

    assert client.post(reverse("admin:common_programme_add"), data).status_code == 302
    programme = Programme.objects.get(slug="bergamondo")
    data["lead_organisation"] = "Caritas"
    url = reverse("admin:common_programme_change", args=[programme.pk])
    assert client.post(url, data).status_code == 302

    events = AuditEvent.objects.filter(programme=programme).order_by("pk")
    assert [(e.verb, e.actor) for e in events] == [("created", root), ("updated", root)]
    assert events[1].data["changes"] == {"lead_organisation": ["", "Caritas"]}
