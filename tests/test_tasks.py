"""Each workflow's own service opens its task when the duty appears, moves it when the duty's
date moves, and closes it when the duty is resolved (common.duties); the inbox's people can
close, dismiss and reassign tasks, audited."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from common import duties
from common.exceptions import DomainError
from common.integrity import integrity_run
from common.models import AuditEvent, Task
from housing.models import CaretakerNote
from housing.services.caretaking import caretaker_alert_handle, caretaker_note_create
from housing.tests.factories import CondominiumFactory
from tenancies.models import ArrearsCase, Lease, PactCommitment
from tenancies.models.eviction import Cause
from tenancies.services import arrears, eviction, pacts, placements
from tenancies.services.documents import document_upload
from tenancies.services.monthly import run_monthly
from tests import lifecycle_world as lw

pytestmark = pytest.mark.django_db
TODAY = lw.START


@pytest.fixture
def world():
    with lw.clock_at(TODAY):
        yield lw.world_build()


def tasks_of(record, kind):
    return Task.objects.for_record(record).filter(kind=kind)


def open_task(record, kind) -> Task:
    return tasks_of(record, kind).get(status=Task.Status.OPEN)


def assert_clean():
    violations = integrity_run(["tasks_follow_duties"])
    assert violations == [], [(v.label, v.message) for v in violations]


def test_a_proposed_placement_is_a_task_until_accepted(world):
    household = world.households[1]
    placement = placements.placement_propose(
        actor=world.operator,
        household=household,
        dwelling=world.dwellings[1],
        place_number=1,
        proposed_on=TODAY,
    )
    task = open_task(placement, "placement_confirm")
    assert task.due_on == TODAY + timedelta(days=7)
    assert task.owner == household.operator
    assert task.context == household
    assert task.created_by == world.operator
    assert_clean()

    placements.placement_accept(actor=world.operator, placement=placement)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.closed_by == world.operator and task.closed_at is not None
    assert_clean()


def test_an_arrears_case_s_next_action_is_a_task_moved_with_it_and_closed_with_the_case(world):
    lease = Lease.objects.get(household=world.households[0])
    case = arrears.arrears_case_open(
        actor=world.operator, lease=lease, on=TODAY, origin=ArrearsCase.Origin.OPERATOR
    )
    task = open_task(case, "arrears_action")
    assert task.due_on == TODAY + timedelta(days=3)
    assert task.owner == case.owner

    arrears.arrears_case_contact(
        actor=world.operator,
        case=case,
        note="Sentiti",
        next_action="Chiamare",
        next_action_due=TODAY,
    )
    task.refresh_from_db()
    assert (task.status, task.due_on) == (Task.Status.OPEN, TODAY)
    assert_clean()

    arrears.arrears_case_escalate(actor=world.operator, case=case, note="Nota", on=TODAY)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert not tasks_of(case, "arrears_action").filter(status=Task.Status.OPEN).exists()
    assert_clean()


def test_an_eviction_case_s_legal_deadlines_are_tasks_that_follow_the_legal_clock(world):
    lease = Lease.objects.get(household=world.households[0])
    case = eviction.eviction_case_open(
        actor=world.operator,
        lease=lease,
        on=TODAY,
        cause=Cause.UNEMPLOYMENT,
        served_on=TODAY,
        hearing_on=TODAY + timedelta(days=25),
    )
    deadlines = {(t.kind, t.due_on) for t in case.tasks.all()}
    assert deadlines
    tasks = tasks_of(case, "eviction_deadline").filter(status=Task.Status.OPEN)
    assert {(t.key, t.due_on) for t in tasks} == deadlines
    assert_clean()

    eviction.eviction_close(
        actor=world.operator, case=case, transition="withdraw", on=TODAY, note="Ritirato"
    )
    assert not case.tasks.exists()
    assert not tasks.all().exists()
    assert tasks_of(case, "eviction_deadline").filter(status=Task.Status.DONE).count() == len(
        deadlines
    )
    assert_clean()


def test_a_signed_pact_s_review_is_a_task_moved_at_each_review_and_closed_at_the_end(world):
    household = world.households[1]
    pact = pacts.pact_create(
        actor=world.operator,
        household=household,
        goal="Lavoro",
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=365),
        review_every_months=3,
    )
    for party in (PactCommitment.Party.HOUSEHOLD, PactCommitment.Party.PROGRAMME):
        pacts.commitment_add(actor=world.operator, pact=pact, party=party, description="Impegno")
    assert not tasks_of(pact, "pact_review").exists()  # a draft has no review yet

    pact = pacts.pact_sign(
        actor=world.operator, pact=pact, place="Montichiari", household_signatory="Anna", on=TODAY
    )
    task = open_task(pact, "pact_review")
    assert task.due_on == pact.next_review_on

    pacts.pact_start_review(actor=world.operator, pact=pact)
    held = TODAY + timedelta(days=20)
    with lw.clock_at(held):
        pacts.pact_resume(
            actor=world.operator, pact=pact, held_on=held, outcome="on_track", note="ok"
        )
    pact.refresh_from_db()
    task.refresh_from_db()
    assert (task.status, task.due_on) == (Task.Status.OPEN, pact.next_review_on)
    assert_clean()

    with lw.clock_at(held):
        pacts.pact_start_review(actor=world.operator, pact=pact)
        pacts.pact_complete(
            actor=world.operator, pact=pact, held_on=held, outcome="on_track", note="Fine"
        )
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert_clean()


def test_an_expiring_document_is_a_task_until_a_newer_one_replaces_it(world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    household = world.households[0]

    def upload(valid_until):
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        return document_upload(
            actor=world.operator,
            household=household,
            kind="isee",
            title="ISEE",
            upload=SimpleUploadedFile("isee.pdf", pdf, content_type="application/pdf"),
            valid_until=valid_until,
        )

    first = upload(TODAY + timedelta(days=40))
    task = open_task(first, "document_expiry")
    assert task.due_on == first.valid_until and task.owner == household.operator

    second = upload(TODAY + timedelta(days=400))
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert open_task(second, "document_expiry").due_on == second.valid_until
    assert_clean()


def test_a_caretaker_s_alert_is_a_team_task_until_an_operator_handles_it(world):
    condominium = CondominiumFactory(programme=world.programme)
    note = caretaker_note_create(
        actor=world.user("caretaker"),
        condominium=condominium,
        text="Perdita d'acqua",
        happened_on=TODAY,
        kind=CaretakerNote.Kind.ALERT,
    )
    task = open_task(note, "caretaker_alert")
    assert task.owner is None and task.programme == world.programme
    plain = caretaker_note_create(
        actor=world.user("caretaker"), condominium=condominium, text="Tutto bene", happened_on=TODAY
    )
    assert not tasks_of(plain, "caretaker_alert").exists()

    caretaker_alert_handle(actor=world.operator, note=note)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert_clean()


def test_a_task_done_by_hand_stays_closed_until_its_date_moves(world):
    lease = Lease.objects.get(household=world.households[0])
    case = arrears.arrears_case_open(
        actor=world.operator, lease=lease, on=TODAY, origin=ArrearsCase.Origin.OPERATOR
    )
    task = open_task(case, "arrears_action")
    duties.task_complete(actor=world.operator, task=task)
    assert not tasks_of(case, "arrears_action").filter(status=Task.Status.OPEN).exists()
    assert_clean()
    assert AuditEvent.objects.filter(target_id=str(task.pk), verb="complete").exists()

    arrears.arrears_case_set_next_action(
        actor=world.operator, case=case, next_action="Richiamare", next_action_due=TODAY
    )
    assert open_task(case, "arrears_action").due_on == TODAY
    assert_clean()


def test_dismissing_needs_a_reason_and_only_an_operator_works_on_tasks(world):
    lease = Lease.objects.get(household=world.households[0])
    case = arrears.arrears_case_open(
        actor=world.operator, lease=lease, on=TODAY, origin=ArrearsCase.Origin.OPERATOR
    )
    task = open_task(case, "arrears_action")
    with pytest.raises(DomainError):
        duties.task_dismiss(actor=world.operator, task=task, reason="  ")
    for outsider in ("monitor", "landlord", "caretaker", "admin1"):
        with pytest.raises(DomainError):
            duties.task_complete(actor=world.user(outsider), task=task)
    with pytest.raises(DomainError):
        duties.task_reassign(actor=world.operator, task=task, owner=world.user("monitor"))

    duties.task_reassign(actor=world.operator, task=task, owner=world.user("operator2"))
    duties.task_dismiss(actor=world.operator, task=task, reason="Già sentiti ieri")
    task.refresh_from_db()
    assert (task.status, task.dismiss_reason) == (Task.Status.DISMISSED, "Già sentiti ieri")
    assert task.owner == world.user("operator2")
    verbs = set(AuditEvent.objects.filter(target_id=str(task.pk)).values_list("verb", flat=True))
    assert {"task_reassigned", "dismiss"} <= verbs


def test_tasks_sync_opens_the_tasks_of_duties_written_without_them(world):
    """An installation from before the inbox: its open duties get their tasks, once."""
    lease = Lease.objects.get(household=world.households[0])
    case = arrears.arrears_case_open(
        actor=world.operator, lease=lease, on=TODAY, origin=ArrearsCase.Origin.OPERATOR
    )
    Task.objects.all().delete()
    assert integrity_run(["tasks_follow_duties"])
    call_command("tasks_sync", verbosity=0)
    assert open_task(case, "arrears_action").due_on == case.next_action_due
    assert_clean()
    before = Task.objects.count()
    call_command("tasks_sync", verbosity=0)
    assert Task.objects.count() == before

    # A duty resolved behind the services' back (an old bug, a hand edit) closes its task.
    ArrearsCase.objects.filter(pk=case.pk).update(next_action_due=None)
    assert integrity_run(["tasks_follow_duties"])
    call_command("tasks_sync", verbosity=0)
    assert not Task.objects.open().filter(kind="arrears_action").exists()
    assert_clean()


def test_a_household_given_to_another_operator_takes_its_open_tasks_along(world):
    from tenancies.services.households import household_update

    lease = Lease.objects.get(household=world.households[0])
    case = arrears.arrears_case_open(
        actor=world.operator, lease=lease, on=TODAY, origin=ArrearsCase.Origin.OPERATOR
    )
    household_update(
        actor=world.operator, household=world.households[0], operator=world.user("operator2")
    )
    assert open_task(case, "arrears_action").owner == world.user("operator2")


def test_a_plan_s_next_instalment_is_a_task_moved_by_payments_and_closed_with_the_plan(world):
    from tenancies.selectors.rent import lease_balance
    from tenancies.services.payments import payment_record

    lease = Lease.objects.get(household=world.households[0])
    later = TODAY + timedelta(days=40)
    with lw.clock_at(later):
        run_monthly(month=later.replace(day=1), today=later)
        case = ArrearsCase.objects.open().get(lease=lease)
        arrears.arrears_case_contact(actor=world.operator, case=case, note="Sentiti")
        plan = arrears.arrears_plan_agree(
            actor=world.operator,
            case=case,
            instalments=2,
            first_due=later + timedelta(days=10),
            today=later,
        )
        first, second = plan.instalments.order_by("due_date")
        task = open_task(case, "plan_instalment")
        assert task.due_on == first.due_date
        assert_clean()

    # The plan counts money recorded after it (the clock stands still within a day).
    paid_on = later + timedelta(days=1)
    with lw.clock_at(paid_on):
        payment_record(
            actor=world.operator,
            lease=lease,
            amount=first.amount,
            paid_on=paid_on,
            method="bank_transfer",
            payer="household",
        )
        task.refresh_from_db()
        assert (task.status, task.due_on) == (Task.Status.OPEN, second.due_date)
        assert_clean()

        payment_record(
            actor=world.operator,
            lease=lease,
            amount=lease_balance(lease=lease, today=paid_on).overdue,
            paid_on=paid_on,
            method="bank_transfer",
            payer="household",
        )
        task.refresh_from_db()
        assert task.status == Task.Status.DONE
        assert_clean()
