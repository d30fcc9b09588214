"""Pseudonymisation past the programme's retention period, with the fund in the picture: a
household with a lease in force, an open claim or a recovery still running is never touched;
once everything is closed and the years have passed, its names go and every figure stays."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.integrity import integrity_run
from common.models import AuditEvent
from fund.models import Claim, RecoveryPlan, Transaction
from fund.selectors.figures import fund_dashboard_figures, fund_figures_reconcile, fund_flows
from fund.selectors.ledger import account_balances
from fund.services.guarantees import guarantee_release
from fund.services.recovery import recovery_payment_record, recovery_plan_activate
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from tenancies.models import (
    Enrollment,
    Household,
    HouseholdDocument,
    Lease,
    Member,
    Placement,
    SupportPact,
)
from tenancies.privacy.export import household_export_data
from tenancies.privacy.retention import (
    household_pseudonymise,
    households_due,
    pseudonym,
    retention_refusal,
)
from tenancies.selectors.pacts import pact_facts_freeze, pact_pdf_facts
from tenancies.services.documents import document_upload
from tenancies.services.enrollment import enrollment_exit
from tenancies.services.leases import lease_terminate
from tenancies.services.placements import placement_end

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def years_ago(years):
    today = localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def case(fund, programme, operator, fund_admin, second_admin):
    """A household whose landlord claimed on the guarantee: the fund paid and is recovering."""
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    Member.objects.create(
        household=lease.household,
        first_name="Mario",
        last_name="Rossi",
        codice_fiscale="RSSMRA85T10A562S",
        birth_date=date(1985, 12, 10),
        relation=Member.Relation.REFERENCE,
    )
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=second_admin
    )
    claim = claim_pay(actor=second_admin, claim=claim)
    document_upload(
        actor=operator,
        household=lease.household,
        kind="identity",
        title="Carta d'identità",
        upload=SimpleUploadedFile("carta.pdf", PDF),
    )
    return lease.household, lease, guarantee, claim


def close_everything(*, household, lease, guarantee, operator, fund_admin, closed_years=11):
    """The household repaid the fund, left the flat and the programme `closed_years` ago."""
    plan = RecoveryPlan.objects.get(household=household)
    plan = recovery_plan_activate(
        actor=fund_admin, plan=plan, instalment_count=1, first_due_on=localdate()
    )
    recovery_payment_record(actor=fund_admin, plan=plan, amount=plan.amount, paid_on=localdate())
    lease_terminate(actor=operator, lease=lease, on=localdate(), note="Rilascio concordato")
    guarantee.refresh_from_db()
    if guarantee.status == guarantee.Status.ACTIVE:
        guarantee_release(actor=fund_admin, guarantee=guarantee)
    for placement in household.placements.filter(status=Placement.Status.ACTIVE):
        placement_end(actor=operator, placement=placement, reason=Placement.EndReason.AUTONOMY)
    enrollment = household.enrollments.get(status=Enrollment.Status.ENROLLED)
    enrollment_exit(actor=operator, enrollment=enrollment, reason="autonomy")
    # The years pass: only the date moves.
    Enrollment.objects.filter(pk=enrollment.pk).update(exited_on=years_ago(closed_years))


def fund_fingerprint(fund):
    today = localdate()
    return (
        fund_dashboard_figures(fund=fund, today=today),
        fund_figures_reconcile(fund=fund, today=today),
        fund_flows(fund=fund, today=today),
        account_balances(fund=fund),
        list(Transaction.objects.order_by("pk").values()),
    )


def test_open_lease_guarantee_claim_or_recovery_keep_the_data(
    case, fund_admin, operator, second_admin
):
    household, lease, guarantee, claim = case
    # Even with the enrolment closed long ago, what is open keeps the data.
    enrollment = household.enrollments.get()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.EXITED, exited_on=years_ago(20), exit_reason="other"
    )
    assert not households_due(programme=household.programme).exists()
    assert retention_refusal(household=household)
    with pytest.raises(DomainError):
        household_pseudonymise(actor=fund_admin, household=household)

    lease_terminate(actor=operator, lease=lease, on=localdate(), note="Rilascio")
    guarantee.refresh_from_db()
    if guarantee.status == guarantee.Status.ACTIVE:
        guarantee_release(actor=fund_admin, guarantee=guarantee)
    # Lease and guarantee are closed; the recovery of the payout is not.
    assert RecoveryPlan.objects.get(household=household).status == RecoveryPlan.Status.PROPOSED
    assert not households_due(programme=household.programme).exists()
    assert "recuperando" in retention_refusal(household=household)
    household.refresh_from_db()
    assert household.name != pseudonym(household)
    assert household.pseudonymised_at is None


def test_an_open_claim_keeps_the_data(fund, programme, operator, fund_admin, second_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=second_admin
    )
    household = lease.household
    # Data as an import could leave it: the lease over, the enrolment closed long ago, the
    # guarantee released, and a claim still approved and unpaid.
    Lease.objects.filter(pk=lease.pk).update(status=Lease.Status.ENDED)
    guarantee.__class__.objects.filter(pk=guarantee.pk).update(status="released")
    Enrollment.objects.filter(household=household).update(
        status=Enrollment.Status.EXITED, exited_on=years_ago(20), exit_reason="other"
    )
    assert Claim.objects.get().status == Claim.Status.APPROVED
    assert not households_due(programme=programme).exists()
    assert retention_refusal(household=household)


def test_pseudonymising_keeps_fund_figures_and_integrity_and_removes_the_person(
    case, fund, fund_admin, operator, django_capture_on_commit_callbacks
):
    household, lease, guarantee, _claim = case
    close_everything(
        household=household,
        lease=lease,
        guarantee=guarantee,
        operator=operator,
        fund_admin=fund_admin,
    )
    assert retention_refusal(household=household) == ""
    assert list(households_due(programme=household.programme)) == [household]
    document = HouseholdDocument.objects.get(household=household)
    storage, file_name = document.file.storage, document.file.name
    assert storage.exists(file_name)
    # A pact completed years ago, whose signed snapshot printed the family's names; the
    # household was enrolled then (the years pass for the enrolment too).
    Enrollment.objects.filter(household=household).update(enrolled_on=years_ago(14))
    pact = SupportPact.objects.create(
        household=household,
        goal="Autonomia abitativa",
        starts_on=years_ago(13),
        ends_on=years_ago(12),
        signed_on=years_ago(13),
        signed_by_household="Mario Rossi",
        status=SupportPact.Status.COMPLETED,
    )
    pact.signed_facts = pact_facts_freeze(pact_pdf_facts(pact=pact))
    pact.save(update_fields=["signed_facts"])
    assert "Rossi" in str(pact.signed_facts)
    figures_before = fund_fingerprint(fund)
    assert integrity_run() == []

    with django_capture_on_commit_callbacks(execute=True):
        assert household_pseudonymise(actor=fund_admin, household=household) is True

    pact.refresh_from_db()
    assert "Rossi" not in str(pact.signed_facts)
    assert "RSSMRA85T10A562S" not in str(pact.signed_facts)
    assert pact.signed_facts["goal"] == "Autonomia abitativa"

    assert fund_fingerprint(fund) == figures_before
    assert integrity_run() == []
    household.refresh_from_db()
    assert household.name == pseudonym(household)
    assert (household.phone, household.email, household.address) == ("", "", "")
    assert household.pseudonymised_at is not None
    member = household.members.get()
    assert (member.first_name, member.codice_fiscale) == ("Componente 1", "")
    assert "Rossi" not in str(member)
    assert not HouseholdDocument.objects.filter(household=household).exists()
    assert not storage.exists(file_name)
    # The pseudonym is stable: the same household, the same name.
    assert pseudonym(Household.objects.get(pk=household.pk)) == household.name
    # Nothing in what we would still hand out names the person.
    exported = str(household_export_data(household=household))
    assert "RSSMRA85T10A562S" not in exported
    assert "Carta d'identità" not in exported
    event = AuditEvent.objects.get(verb="pseudonymised")
    assert event.actor == fund_admin and event.data["documents_deleted"] == 1
    # Twice is once.
    assert household_pseudonymise(actor=fund_admin, household=household) is False
    assert not households_due(programme=household.programme).exists()


def test_a_case_closed_within_the_retention_period_is_kept(case, fund_admin, operator):
    household, lease, guarantee, _claim = case
    close_everything(
        household=household,
        lease=lease,
        guarantee=guarantee,
        operator=operator,
        fund_admin=fund_admin,
        closed_years=9,
    )
    programme = household.programme
    assert programme.retention_years == 10
    assert not households_due(programme=programme).exists()
    programme.retention_years = 8
    programme.save(update_fields=["retention_years"])
    household.programme.refresh_from_db()
    assert list(households_due(programme=programme)) == [household]


def test_the_command_dry_run_lists_and_changes_nothing_then_pseudonymises(
    case, fund_admin, operator, capsys
):
    household, lease, guarantee, _claim = case
    close_everything(
        household=household,
        lease=lease,
        guarantee=guarantee,
        operator=operator,
        fund_admin=fund_admin,
    )
    name = Household.objects.get(pk=household.pk).name
    call_command("pseudonymise", "--dry-run")
    out = capsys.readouterr().out
    assert f"nucleo n. {household.pk}" in out
    assert name not in out
    assert Household.objects.get(pk=household.pk).name == name

    call_command("pseudonymise")
    assert Household.objects.get(pk=household.pk).name == pseudonym(household)
    assert AuditEvent.objects.filter(verb="pseudonymised", actor=None).count() == 1


def test_the_privacy_page_lists_and_pseudonymises_for_fund_admins_only(
    case, fund_admin, operator, client_of
):
    household, lease, guarantee, _claim = case
    close_everything(
        household=household,
        lease=lease,
        guarantee=guarantee,
        operator=operator,
        fund_admin=fund_admin,
    )
    url = reverse("tenancies:household_pseudonymise", args=[household.pk])
    assert client_of(operator).post(url).status_code == 403
    client = client_of(fund_admin)
    page = client.get(reverse("tenancies:privacy"))
    assert page.status_code == 200
    assert url in page.text
    assert client.post(url).status_code == 302
    assert Household.objects.get(pk=household.pk).pseudonymised_at is not None


def test_the_retention_period_is_bounded(programme):
    programme.retention_years = 0
    with pytest.raises(ValidationError):
        programme.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        type(programme).objects.filter(pk=programme.pk).update(retention_years=99)
