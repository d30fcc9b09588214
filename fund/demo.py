"""Demo fund of a programme: contributions over the last twelve months, one reversed mistake."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from common.exceptions import DomainError
from common.money import eur, split_evenly
from common.roles import Role
from fund.models import AccountCode, Contribution, RecoveryWaiver, Transaction
from fund.models.contribution_proposals import contribution_four_eyes_threshold
from fund.services.contributions import contribution_proposal_approve, contribution_propose
from fund.services.funds import contribution_book, fund_create
from fund.services.ledger import transaction_post, transaction_reverse
from fund.services.recovery import (
    recovery_payment_record,
    recovery_plan_activate,
    recovery_plan_create,
    recovery_plan_reschedule,
)
from fund.services.waivers import (
    community_hours_log,
    waiver_approve,
    waiver_propose,
)
from tenancies.models import Household, SupportPact

DONORS = [
    "Parrocchia di San Pancrazio",
    "Lions Club Bassa Bresciana",
    "Cooperativa La Rete",
    "Famiglia Bertoli",
    "Associazione Commercianti",
    "Caritas zonale",
]


def seed(demo):
    programme = demo.programme
    admin = demo.user(Role.FUND_ADMIN, 0)
    today = timezone.localdate()
    rng = demo.rng
    fund = fund_create(
        actor=admin,
        programme=programme,
        name=f"Fondo di garanzia {programme.name.split('–')[0].strip()}",
        leverage=Decimal("1.50"),
        cover_months=3,
        cover_cap=eur("3000.00"),
    )

    second_admin = demo.user(Role.FUND_ADMIN, 1) if len(demo.users[Role.FUND_ADMIN]) > 1 else None

    def book(days_ago, funder, kind, amount, note=""):
        fields = {
            "fund": fund,
            "funder": funder,
            "kind": kind,
            "amount": amount,
            "date": today - timedelta(days=days_ago),
            "note": note,
        }
        if amount <= contribution_four_eyes_threshold() or second_admin is None:
            return contribution_book(actor=admin, **fields)
        # Above the threshold: recorded by one administrator, approved (and so posted) by the
        # other, as the page does it.
        proposal = contribution_propose(actor=admin, **fields)
        return contribution_proposal_approve(
            actor=second_admin, proposal=proposal, note="Verificato sull'estratto conto."
        ).contribution

    book(
        340,
        "Fondazione Cariplo",
        Contribution.Kind.FOUNDATION,
        eur("150000.00"),
        "Bando Housing sociale: contributo per il fondo di garanzia.",
    )
    municipalities = programme.municipalities or ["Comune capofila"]
    for index, (name, share) in enumerate(
        zip(municipalities, split_evenly(eur("50000.00"), len(municipalities)), strict=True)
    ):
        book(
            300 - index * 9,
            f"Comune di {name}",
            Contribution.Kind.MUNICIPALITY,
            share,
            "Quota dell'accordo di programma.",
        )
    for days_ago in sorted(rng.sample(range(5, 330), 6), reverse=True):
        amount = eur(Decimal(rng.randrange(50, 2500)) + Decimal(rng.choice([0, 50])) / 100)
        book(days_ago, rng.choice(DONORS), Contribution.Kind.DONATION, amount)
    # A donation typed twice by mistake, then reversed: the ledger keeps both, with the reason.
    book(12, "Caritas zonale", Contribution.Kind.DONATION, eur("300.00"))
    duplicate = book(12, "Caritas zonale", Contribution.Kind.DONATION, eur("300.00"))
    transaction_reverse(
        actor=demo.user(Role.FUND_ADMIN, 1) if len(demo.users[Role.FUND_ADMIN]) > 1 else admin,
        transaction=duplicate.transaction,
        reason="Registrato due volte: un solo bonifico sull'estratto conto.",
        date=today - timedelta(days=11),
    )
    seed_guarantees(demo, fund)
    seed_recovery(demo, fund)


def _demo_payout(fund, admin, amount, day, household):
    return transaction_post(
        fund=fund,
        lines=[(AccountCode.PAYOUTS, amount), (AccountCode.BANK, -amount)],
        actor=admin,
        description=f"Canoni non pagati di {household}: pagamento al proprietario",
        kind=Transaction.Kind.PAYOUT,
        date=day,
    )


def seed_recovery(demo, fund):
    """Recovery plans in every state: proposed, active and behind, repaid, waived for hours of
    community activity under the household's pact (proposed by one admin, approved by another)."""
    admins = demo.users.get(Role.FUND_ADMIN, [])
    households = list(Household.objects.filter(programme=demo.programme).order_by("pk"))
    if not admins or len(households) < 4:
        return
    admin = admins[0]
    today = timezone.localdate()
    with_pact = [h for h in households if SupportPact.objects.filter(household=h).exists()]
    waived_household = with_pact[0] if with_pact else households[-1]
    others = [h for h in households if h != waived_household]
    picked = demo.rng.sample(others, 3)

    def plan_for(household, amount, days_ago):
        day = today - timedelta(days=days_ago)
        payout = _demo_payout(fund, admin, eur(amount), day, household)
        return recovery_plan_create(
            actor=admin,
            fund=fund,
            household=household,
            amount=eur(amount),
            payout_transaction=payout,
            lease=household.leases.order_by("-start_date").first(),
        )

    def pay(plan, amount, days_ago, note="Bonifico del nucleo"):
        recovery_payment_record(
            actor=admin,
            plan=plan,
            amount=eur(amount),
            paid_on=today - timedelta(days=days_ago),
            note=note,
        )

    # Proposed: the fund has just paid, the schedule is still to be agreed.
    plan_for(picked[0], "1350.00", 20)

    # Repaid in six instalments.
    repaid = plan_for(picked[1], "900.00", 250)
    recovery_plan_activate(
        actor=admin, plan=repaid, instalment_count=6, first_due_on=today - timedelta(days=220)
    )
    for month in range(6):
        pay(repaid, "150.00", 220 - month * 30)

    # Active, a little behind: three instalments paid, then rescheduled to smaller ones.
    active = plan_for(picked[2], "2100.00", 160)
    recovery_plan_activate(
        actor=admin, plan=active, instalment_count=12, first_due_on=today - timedelta(days=130)
    )
    for month in range(3):
        pay(active, "175.00", 130 - month * 30)
    recovery_plan_reschedule(
        actor=admin,
        plan=active,
        instalment_count=18,
        first_due_on=today + timedelta(days=10),
        note="Contratto di lavoro ridotto a part-time: rate più piccole su più mesi.",
    )
    pay(active, "60.00", 5, note="Acconto in contanti allo sportello")

    # Waived: the household gave hours of community activity under its pact.
    waived = plan_for(waived_household, "1800.00", 200)
    recovery_plan_activate(
        actor=admin, plan=waived, instalment_count=10, first_due_on=today - timedelta(days=170)
    )
    pay(waived, "180.00", 170)
    pact = SupportPact.objects.filter(household=waived_household).first()
    activities = [
        "Doposcuola per i bambini del condominio",
        "Manutenzione dell'orto sociale",
        "Accompagnamento anziani alle visite",
        "Pulizia del parco con la Pro Loco",
    ]
    for index, activity in enumerate(activities):
        community_hours_log(
            actor=admin,
            plan=waived,
            date=today - timedelta(days=150 - index * 30),
            hours=Decimal(demo.rng.choice([6, 8, 10, 12])),
            activity=activity,
            pact=pact,
        )
    waiver = waiver_propose(
        actor=admin,
        plan=waived,
        kind=RecoveryWaiver.Kind.COMMUNITY_PACT if pact else RecoveryWaiver.Kind.HARDSHIP,
        reason="Le ore di attività di comunità previste dal patto sono state svolte: "
        "il residuo del debito è condonato, secondo la logica del non-debito.",
        pact=pact,
    )
    if len(admins) > 1:
        waiver_approve(
            actor=admins[1], waiver=waiver, note="Verificato il registro delle ore: approvo."
        )


def seed_guarantees(demo, fund):
    """Guarantees for the demo leases in several states, and claims in every state.

    Submitter, reviewer and approver are always different people (four eyes): the landlord's
    login (or an operator) submits, amministratore reviews, amministratore2 approves, a third
    administrator (where the programme has one) sends the payouts in a SEPA batch, and the
    fund's statement, as the bank would write it, confirms them.
    """
    from fund.models import Guarantee
    from fund.selectors.eligibility import eligible_leases
    from fund.selectors.guarantees import claimable_dues, guarantee_remaining_cover
    from fund.services import claims as claim_services
    from fund.services import guarantees as guarantee_services
    from fund.services.fund_bank import fund_statement_upload
    from fund.services.payouts import fund_bank_account_set, payout_batch_create
    from fund.statement_samples import payout_statement_csv
    from tenancies.models import Lease

    operators = demo.users.get(Role.OPERATOR, [])
    admins = demo.users.get(Role.FUND_ADMIN, [])
    if not operators or len(admins) < 2:
        return
    operator, reviewer, approver = operators[0], admins[0], admins[1]
    sender = admins[2] if len(admins) > 2 else None
    to_pay = []
    landlord_users = demo.users.get(Role.LANDLORD, [])
    # Only what the fund may guarantee: enrolled households, leases the agreement accepts.
    leases = list(
        eligible_leases(Lease.objects.in_programme(fund.programme))
        .filter(status=Lease.Status.ACTIVE)
        .select_related("landlord")
        .order_by("pk")
    )
    # The landlord login's own leases first, so its pages have something to show.
    own = {pk for user in landlord_users for pk in user.landlords.values_list("pk", flat=True)}
    leases.sort(key=lambda lease: (lease.landlord_id not in own, lease.pk))
    active = []
    plan = ["active"] * 6 + ["requested", "approved", "cancelled"]
    for index, lease in enumerate(leases):
        step = plan[index % len(plan)] if index < 40 else "requested"
        try:
            guarantee = guarantee_services.guarantee_request(actor=operator, fund=fund, lease=lease)
        except DomainError:
            continue  # another lease of the same flat is guaranteed already
        if step == "requested":
            continue
        try:
            guarantee_services.guarantee_approve(actor=reviewer, guarantee=guarantee)
        except DomainError:
            continue  # over capacity: it waits in the queue
        if step == "cancelled":
            guarantee_services.guarantee_cancel(
                actor=reviewer,
                guarantee=guarantee,
                note="Il nucleo ha trovato un alloggio ERP: garanzia non più necessaria.",
            )
        elif step == "active":
            active.append(
                guarantee_services.guarantee_activate(actor=reviewer, guarantee=guarantee)
            )

    def submitter_for(guarantee):
        for user in landlord_users:
            if guarantee.lease.landlord.users.filter(pk=user.pk).exists():
                return user
        return operator

    wanted = ["paid", "approved", "under_review", "submitted", "rejected", "paid"]
    for guarantee in active:
        if not wanted:
            break
        dues = claimable_dues(lease=guarantee.lease)[:2]
        total = sum((due.outstanding for due in dues), Decimal(0))
        if not dues or total > guarantee_remaining_cover(guarantee).amount:
            continue
        state = wanted.pop(0)
        claim = claim_services.claim_submit(
            actor=submitter_for(guarantee),
            guarantee=guarantee,
            due_ids=[due.pk for due in dues],
            note="Canoni non versati nonostante i solleciti.",
        )
        if state == "submitted":
            continue
        if state == "rejected":
            claim_services.claim_reject(
                actor=reviewer,
                claim=claim,
                note="Manca la copia del sollecito al conduttore: ripresentare con il documento.",
            )
            continue
        claim_services.claim_review(actor=reviewer, claim=claim, note="Documenti completi.")
        if state == "under_review":
            continue
        claim_services.claim_approve(actor=approver, claim=claim, note="Mesi verificati.")
        if state == "paid" and sender is not None:
            to_pay.append(claim)
    if to_pay:
        fund_bank_account_set(
            actor=sender,
            fund=fund,
            account_holder=fund.name[:70],
            iban="IT60X0542811101000000123456",
            bic="BPMOIT22XXX",
        )
        batch = payout_batch_create(actor=sender, fund=fund, claims=to_pay)
        fund_statement_upload(
            actor=sender,
            fund=fund,
            file_name="estratto-conto-fondo.csv",
            content=payout_statement_csv(
                claims=list(batch.claims.select_related("guarantee__lease__landlord")),
                booked_on=timezone.localdate(),
            ),
        )
    unclaimed = [g for g in active if not g.claims.exists()]
    if unclaimed:
        guarantee_services.guarantee_expire(
            actor=reviewer,
            guarantee=unclaimed[-1],
            note="Termine della garanzia concordato con il locatore.",
        )
    return Guarantee.objects.filter(fund=fund)
