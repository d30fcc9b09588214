"""A small world to test who may open what: programme A with one object of every kind the URLs
name (each belonging to programme A and, where landlords see it, to landlord A), programme B
with its own operator and fund, and one user per role of the permission matrix.

Rows are built through the services where one exists, as the application would have made them;
factories only make users, memberships, programmes and the rows the services need to start from.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from common.models import Task
from common.money import eur
from common.notifications.models import Notification
from common.roles import Role
from common.tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from fund.models import Contribution, StressRun, Transaction
from fund.services.api_tokens import api_token_create
from fund.services.claim_documents import claim_document_add
from fund.services.claims import claim_approve, claim_review, claim_submit
from fund.services.contributions import contribution_propose
from fund.services.fund_bank import fund_statement_upload, reconciliation_period_open
from fund.services.fund_bank_jobs import fund_statement_job_create, fund_statement_job_execute
from fund.services.funds import leverage_change_propose
from fund.services.payouts import fund_bank_account_set, payout_batch_create
from fund.services.waivers import waiver_propose
from fund.tests.factories import make_fund
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from fund.tests.payouts import FUND_BIC, FUND_IBAN
from fund.tests.recovery_factories import make_plan
from housing.models import CaretakerNote, Dwelling, Landlord
from housing.services.agreements import agreement_attach_document
from housing.services.caretaking import caretaker_note_create
from housing.services.landlords import landlord_link_user
from housing.services.payees import payee_change_propose
from housing.tests.factories import CohousingFactory, CondominiumFactory, LandlordFactory
from reporting.services import funder_report_build, funder_report_request, target_create
from tenancies.models import ArrearsCase, PactCommitment
from tenancies.services.arrears import arrears_case_open
from tenancies.services.bank import statement_upload
from tenancies.services.bank_jobs import statement_job_create, statement_job_execute
from tenancies.services.documents import document_upload
from tenancies.services.eviction import calendar_token_issue, fund_application_create
from tenancies.services.pacts import commitment_add, pact_create, pact_sign
from tenancies.sheets.services import import_upload
from tenancies.tests.eviction_factories import case_with_summons
from tenancies.tests.factories import MemberFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# What only programme A's staff (and landlord A, for its own lease) may read: a page that shows
# one of these to anyone else leaks.
HOUSEHOLD_NAME = "Famiglia Riservatissima"
CODICE_FISCALE = "RSSMRA85T10A562S"
LANDLORD_NAME = "Proprietario Riservato"
DWELLING_ADDRESS = "Vicolo Riservato 7"


@dataclass
class AccessWorld:
    programme: object
    other_programme: object
    users: dict  # matrix role -> user (None for anonymous)
    objects: dict = field(default_factory=dict)
    api_key: str = ""  # landlord A's API key (world.api_token), as shown once

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def _user(username, programme, role):
    # Names given, so Faker's Italian provider is never loaded (seconds on a busy machine).
    user = UserFactory(username=username, first_name=username.title(), last_name="Test")
    MembershipFactory(user=user, programme=programme, role=role)
    return user


def access_world_build() -> AccessWorld:
    a = ProgrammeFactory(name="Programma A", slug="programma-a")
    b = ProgrammeFactory(name="Programma B", slug="programma-b")
    users = {
        "anonymous": None,
        "operator_a": _user("operatore.a", a, Role.OPERATOR),
        "operator_b": _user("operatore.b", b, Role.OPERATOR),
        "fund_admin": _user("amministratore.a", a, Role.FUND_ADMIN),
        "caretaker": _user("custode.a", a, Role.CARETAKER),
        "monitor": _user("monitor.a", a, Role.MONITOR),
        "landlord_a": _user("proprietario.a", a, Role.LANDLORD),
        "landlord_b": _user("proprietario.b", a, Role.LANDLORD),
    }
    world = AccessWorld(programme=a, other_programme=b, users=users)
    operator, admin = users["operator_a"], users["fund_admin"]
    second_admin = _user("amministratore2.a", a, Role.FUND_ADMIN)
    today = localdate()
    o = world.objects

    # The fund, and a guaranteed lease of landlord A with dues to today.
    o["fund"] = funded(make_fund(programme=a, actor=admin), actor=admin)
    make_fund(programme=b, actor=None, name="Fondo B")
    lease = guaranteed_lease(programme=a, operator=operator)
    household = lease.household
    household.name = HOUSEHOLD_NAME
    household.save(update_fields=["name"])
    # Set-up rows: names to look for on the pages of those who must not see them.
    Landlord.objects.filter(pk=lease.landlord_id).update(name=LANDLORD_NAME)
    Dwelling.objects.filter(pk=lease.dwelling_id).update(address=DWELLING_ADDRESS)
    lease.refresh_from_db()
    o["lease"], o["household"], o["placement"] = lease, household, lease.placement
    o["landlord"] = lease.landlord
    landlord_link_user(actor=operator, landlord=lease.landlord, user=users["landlord_a"])
    other_landlord = LandlordFactory(programme=a, name="Proprietario B")
    landlord_link_user(actor=operator, landlord=other_landlord, user=users["landlord_b"])
    o["agreement"] = lease.landlord.agreements.get()
    agreement_attach_document(
        actor=operator,
        agreement=o["agreement"],
        document=SimpleUploadedFile("convenzione.pdf", PDF, content_type="application/pdf"),
    )
    o["member"] = MemberFactory(
        household=household, first_name="Mario", last_name="Rossi", codice_fiscale=CODICE_FISCALE
    )
    o["enrollment"] = household.enrollments.get()

    o["guarantee"] = active_guarantee(
        fund=o["fund"], lease=lease, operator=operator, admin=second_admin
    )
    due = lease.dues.order_by("month").first()
    o["claim"] = claim_submit(
        actor=users["landlord_a"], guarantee=o["guarantee"], due_ids=[due.pk], today=today
    )
    o["transaction"] = Transaction.objects.filter(fund=o["fund"]).order_by("pk").first()
    o["plan"] = make_plan(fund=o["fund"], household=household, actor=admin)
    o["waiver"] = waiver_propose(actor=admin, plan=o["plan"], kind="hardship", reason="Malattia")
    o["leverage_change"] = leverage_change_propose(
        actor=admin, fund=o["fund"], leverage=Decimal("1.5"), reason="Nuovi contributi"
    )
    o["payee_change"] = payee_change_propose(
        actor=operator, landlord=o["landlord"], iban="IT07X0542811101000000654321"
    )
    o["contribution_proposal"] = contribution_propose(
        actor=admin,
        fund=o["fund"],
        funder="Fondazione Cariplo",
        kind=Contribution.Kind.FOUNDATION,
        amount=eur("60000"),
        date=today,
    )
    # The fund's bank: a SEPA file with one payout (reviewed, approved and sent by three
    # different administrators), a statement of the fund's account, a period to reconcile.
    third_admin = _user("amministratore3.a", a, Role.FUND_ADMIN)
    fund_bank_account_set(
        actor=admin, fund=o["fund"], account_holder="Fondo A", iban=FUND_IBAN, bic=FUND_BIC
    )
    second_due = lease.dues.order_by("month")[1]
    payout = claim_submit(
        actor=users["landlord_a"], guarantee=o["guarantee"], due_ids=[second_due.pk], today=today
    )
    claim_review(actor=second_admin, claim=payout)
    claim_approve(actor=third_admin, claim=payout)
    o["payout_batch"] = payout_batch_create(actor=admin, fund=o["fund"], claims=[payout])
    # Its letters: the decision (landlord A's to download) and the payout order (staff only).
    o["decided_claim"] = payout
    o["decision_letter"] = payout.letters.get(kind="decision")
    o["payout_order"] = payout.letters.get(kind="payout_order")
    o["claim_document"] = claim_document_add(
        actor=users["landlord_a"],
        claim=o["claim"],
        kind="payment_demand",
        upload=SimpleUploadedFile("diffida.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    o["fund_statement"], _counts = fund_statement_upload(
        actor=admin,
        fund=o["fund"],
        file_name="estratto-fondo.csv",
        content=(
            f"Data contabile;Importo;Descrizione\r\n{today:%d/%m/%Y};10,00;Interessi attivi\r\n"
        ).encode(),
    )
    o["fund_statement_line"] = o["fund_statement"].lines.get()
    # A long statement of the fund's account, read in the background and refused.
    o["fund_statement_job"] = fund_statement_job_execute(
        job_id=fund_statement_job_create(
            actor=admin,
            fund=o["fund"],
            upload=SimpleUploadedFile(
                "estratto-lungo.csv", b"Data contabile;Importo;Descrizione\r\n;10,00;X\r\n"
            ),
        ).pk
    )
    o["reconciliation_period"] = reconciliation_period_open(
        actor=admin,
        fund=o["fund"],
        start=today - timedelta(days=3000),
        end=today - timedelta(days=2970),
    )
    o["stress_run"] = StressRun.objects.create(
        fund=o["fund"],
        requested_by=admin,
        assumptions={
            "cash": "1000",
            "guarantees": 1,
            "average_guarantee": "500",
            "monthly_claim_probability": 0.01,
            "claim_share": 0.5,
            "recovery_rate": 0.3,
        },
    )

    # Support pact, documents, arrears and eviction prevention for the household.
    o["pact"] = pact_create(
        actor=operator,
        household=household,
        goal="Ritrovare un lavoro stabile",
        starts_on=today,
        ends_on=today + timedelta(days=365),
        review_every_months=3,
    )
    o["commitment"] = commitment_add(
        actor=operator,
        pact=o["pact"],
        party=PactCommitment.Party.HOUSEHOLD,
        description="Frequentare il corso di bilancio familiare",
    )
    commitment_add(
        actor=operator,
        pact=o["pact"],
        party=PactCommitment.Party.PROGRAMME,
        description="Garanzia del fondo sul canone",
    )
    o["pact"] = pact_sign(
        actor=operator, pact=o["pact"], place="Montichiari", household_signatory="Mario Rossi"
    )
    o["document"] = document_upload(
        actor=operator,
        household=household,
        kind="identity",
        title="Carta d'identità",
        upload=SimpleUploadedFile("ci.pdf", PDF, content_type="application/pdf"),
    )
    o["arrears_case"] = arrears_case_open(
        actor=operator, lease=lease, on=today, origin=ArrearsCase.Origin.OPERATOR
    )
    # The arrears case's next action: a task in operator A's inbox.
    o["task"] = Task.objects.open().for_record(o["arrears_case"]).get()
    o["eviction"] = case_with_summons(lease=lease, operator=operator)
    o["application"] = fund_application_create(
        actor=operator, case=o["eviction"], applied_on=today, amount_requested="500"
    )
    o["calendar_token"] = calendar_token_issue(user=operator, programme=a)
    o["api_token"], world.api_key = api_token_create(
        actor=users["landlord_a"], programme=a, name="Gestionale agenzia"
    )
    o["statement"], _counts = statement_upload(
        actor=operator,
        programme=a,
        account="Conto affitti",
        file_name="ottobre.csv",
        content=(
            "Data contabile;Data valuta;Descrizione;Importo;Ordinante;IBAN ordinante;CRO\n"
            f"02/10/2026;01/10/2026;Affitto CF {CODICE_FISCALE};550,00;Mario Rossi;;CRO1\n"
        ).encode(),
    )
    o["statement_line"] = o["statement"].lines.get()
    o["import_run"] = import_upload(
        actor=operator,
        programme=a,
        kind="landlords",
        upload=SimpleUploadedFile("proprietari.csv", b"Nome;Codice fiscale\nRossi;X\n"),
    )
    # A long statement read in the background and refused (a line without its date): its
    # page shows why, with no redirect to a statement.
    o["statement_job"] = statement_job_execute(
        job_id=statement_job_create(
            actor=operator,
            programme=a,
            account="Conto affitti",
            upload=SimpleUploadedFile(
                "novembre.csv",
                b"Data contabile;Importo;Descrizione\n;10,00;Canone\n",
            ),
        ).pk
    )

    # The housing stock a caretaker and the staff see.
    o["condominium"] = CondominiumFactory(programme=a, caretaker=users["caretaker"])
    o["alert"] = caretaker_note_create(
        actor=users["caretaker"],
        condominium=o["condominium"],
        text="Perdita d'acqua nel vano scale",
        happened_on=today,
        kind=CaretakerNote.Kind.ALERT,
    )
    # The alert told programme A's operators (no family is placed there): operator A's inbox.
    o["notification"] = Notification.objects.get(
        kind="caretaker_alert", recipient=users["operator_a"]
    )
    o["cohousing"] = CohousingFactory(dwelling__programme=a, dwelling__landlord=lease.landlord)
    o["dwelling"] = lease.dwelling
    o["target"] = target_create(
        actor=admin,
        programme=a,
        indicator="households_guaranteed",
        value=Decimal(80),
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        source="#GENERA_CASA: fondo di garanzia per 80 famiglie",
    )
    # A funder report, built (the task runs once the module's transaction would commit).
    report = funder_report_request(
        actor=admin,
        programme=a,
        title="Rapporto annuale",
        period_start=today.replace(month=1, day=1),
        period_end=today,
        introduction="Il programma nel suo primo anno.",
    )
    o["funder_report"] = funder_report_build(report_id=report.pk)

    # Programme B's own household and eviction case: the parents of the mixed addresses (B's
    # household with A's member…) an operator of B could type.
    lease_b = guaranteed_lease(programme=b, operator=users["operator_b"])
    o["household_b"] = lease_b.household
    o["eviction_b"] = case_with_summons(lease=lease_b, operator=users["operator_b"])
    return world
