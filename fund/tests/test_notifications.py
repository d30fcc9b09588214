"""The fund's notifications: who hears of each claim and guarantee step, only after commit."""

import pytest
from django.core import mail
from django.db import transaction

from common.notifications.models import Notification
from fund.notifications import claim_notify_landlord
from fund.services.claims import (
    claim_approve,
    claim_reject,
    claim_review,
    claim_submit,
)
from fund.services.guarantees import (
    guarantee_activate,
    guarantee_approve,
    guarantee_release,
    guarantee_request,
)
from fund.tests.guarantee_factories import funded, guaranteed_lease
from fund.tests.payouts import claim_pay
from tenancies.services.leases import lease_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(fund, programme, other_programme, operator, fund_admin, member):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    own = member("landlord", username="proprietario")
    lease.landlord.users.add(own)
    # Another landlord's login, and a login of this landlord that lost its membership.
    stranger = member("landlord", username="altro.proprietario")
    gone = member("landlord", username="ex.proprietario", programme=other_programme)
    lease.landlord.users.add(gone)
    admins = (
        fund_admin,
        member("fund_admin", username="amm2"),
        member("fund_admin", username="amm3"),
    )
    elsewhere = member("fund_admin", username="amm.altrove", programme=other_programme)
    return {
        "lease": lease,
        "own": own,
        "stranger": stranger,
        "gone": gone,
        "admins": admins,
        "elsewhere": elsewhere,
    }


def _to(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_guarantee_steps_reach_this_landlords_users_only(
    world, fund, operator, fund_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guarantee = guarantee_request(actor=operator, fund=fund, lease=world["lease"])
        guarantee_approve(actor=fund_admin, guarantee=guarantee)
        guarantee_activate(actor=fund_admin, guarantee=guarantee)
    assert _to("guarantee_approved") == {"proprietario"}
    assert _to("guarantee_activated") == {"proprietario"}
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        f"La garanzia n. {guarantee.pk} è approvata",
        f"La garanzia n. {guarantee.pk} è in vigore",
    ]
    assert {tuple(m.to) for m in mail.outbox} == {("proprietario@example.org",)}


def test_a_release_reaches_the_landlord(world, fund, operator, fund_admin):
    guarantee = _active(world, fund, operator, fund_admin)
    lease = world["lease"]
    lease_end(actor=operator, lease=lease, on=lease.start_date.replace(month=6))
    guarantee.refresh_from_db()
    guarantee_release(actor=fund_admin, guarantee=guarantee)
    released = Notification.objects.get(kind="guarantee_released")
    assert released.recipient == world["own"]
    assert released.title == f"La garanzia n. {guarantee.pk} è svincolata"


def _active(world, fund, operator, fund_admin):
    guarantee = guarantee_request(actor=operator, fund=fund, lease=world["lease"])
    guarantee_approve(actor=fund_admin, guarantee=guarantee)
    return guarantee_activate(actor=fund_admin, guarantee=guarantee)


def _dues(guarantee, n=2):
    return [d.pk for d in guarantee.lease.dues.order_by("month")[:n]]


def test_a_claim_reaches_the_programmes_fund_admins_then_its_steps_the_landlord(
    world, fund, operator, fund_admin, django_capture_on_commit_callbacks
):
    guarantee = _active(world, fund, operator, fund_admin)
    reviewer, approver = world["admins"][1], world["admins"][2]
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_submit(actor=world["own"], guarantee=guarantee, due_ids=_dues(guarantee))
    assert _to("claim_submitted") == {"amministratore", "amm2", "amm3"}
    assert mail.outbox[0].subject == f"Nuova richiesta n. {claim.pk} di 1.100,00 €"
    assert "Famiglia" not in mail.outbox[0].body  # no household in a mailbox

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claim_review(actor=reviewer, claim=claim)
        claim_approve(actor=approver, claim=claim)
        claim_pay(actor=fund_admin, claim=claim)
    assert _to("claim_reviewed") == _to("claim_approved") == _to("claim_paid") == {"proprietario"}
    paid = Notification.objects.get(kind="claim_paid")
    claim.refresh_from_db()
    assert paid.title == f"La richiesta n. {claim.pk} è stata pagata: 1.100,00 €"
    assert claim.paid_on.strftime("%d/%m/%Y") in paid.body and "1.100,00" in paid.body
    assert [m.subject for m in mail.outbox] == [
        f"La richiesta n. {claim.pk} è in esame",
        f"La richiesta n. {claim.pk} è approvata",
        paid.title,
    ]


def test_a_rejection_tells_the_reason(
    world, fund, operator, fund_admin, django_capture_on_commit_callbacks
):
    guarantee = _active(world, fund, operator, fund_admin)
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    with django_capture_on_commit_callbacks(execute=True):
        claim_reject(actor=fund_admin, claim=claim, note="Manca la diffida di pagamento")
    rejected = Notification.objects.get(kind="claim_rejected")
    assert rejected.recipient == world["own"]
    assert "Motivo: Manca la diffida di pagamento" in rejected.body


def test_documents_requested_is_there_for_the_claim_workflow(
    world, fund, operator, fund_admin, django_capture_on_commit_callbacks
):
    guarantee = _active(world, fund, operator, fund_admin)
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        claim_notify_landlord(claim, "documents_requested", note="Copia del contratto")
    [message] = [m for m in mail.outbox if "documenti" in m.subject.lower()]
    assert message.subject == f"Documenti richiesti per la richiesta n. {claim.pk}"
    assert "Copia del contratto" in message.body
    with pytest.raises(ValueError):
        claim_notify_landlord(claim, "claim_submitted")


def test_a_failed_step_notifies_nobody(
    world, fund, operator, fund_admin, django_capture_on_commit_callbacks
):
    guarantee = _active(world, fund, operator, fund_admin)
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    before = Notification.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        claim_review(actor=world["admins"][1], claim=claim)
        raise RuntimeError("something later in the request failed")
    assert Notification.objects.count() == before
    assert callbacks == [] and mail.outbox == []


def test_a_request_for_documents_reaches_the_landlord_with_what_is_asked(
    world, fund, operator, fund_admin, django_capture_on_commit_callbacks
):
    from fund.services.claims import claim_request_documents

    guarantee = _active(world, fund, operator, fund_admin)
    due = guarantee.lease.dues.order_by("month").first()
    claim = claim_submit(actor=world["own"], guarantee=guarantee, due_ids=[due.pk])
    with django_capture_on_commit_callbacks(execute=True):
        claim_request_documents(actor=fund_admin, claim=claim, note="La diffida inviata")
    assert _to("documents_requested") == {"proprietario"}
    notification = Notification.objects.get(kind="documents_requested")
    assert "La diffida inviata" in notification.body
    assert notification.link == f"/fondo/garanzie/mie/richieste/{claim.pk}/"
