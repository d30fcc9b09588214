"""A regional-scale programme for measuring pages: N households with Y years of history.

Households with their members, landlords with agreements, dwellings, placements, leases with
monthly dues and payments (about 8% of leases behind), guarantees with their exposure on the
ledger, then the monthly run (arrears cases), a few claims and eviction cases. The volume goes
in with bulk inserts shaped as the services would leave it; the few rows with a workflow of
their own (claims, eviction cases) go through the services, so every invariant of
`check_integrity` holds. All randomness comes from one seeded RNG: same seed, same programme.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from stdnum import iban as stdnum_iban
from stdnum import luhn

from benchmarks.bulk import BATCH, lease_months, rent_history_bulk
from common.demo import DEMO_PASSWORD
from common.exceptions import DomainError
from common.money import eur
from common.roles import Role
from common.services import membership_grant, programme_create
from housing.models import Dwelling, Landlord, LandlordAgreement, LeaseType
from tenancies.demo import ORIGINS, STREETS, _birth, _cf
from tenancies.models import Enrollment, Household, Lease, Member, Placement
from tenancies.rent.arrears import add_months

MUNICIPALITIES = [
    "Brescia",
    "Bergamo",
    "Montichiari",
    "Calcinato",
    "Treviglio",
    "Seriate",
    "Chiari",
    "Lumezzane",
]
HOUSEHOLDS_PER_LANDLORD = 8
BEHIND_SHARE = 0.08  # leases that stopped paying one to five months ago
GUARANTEED_SHARE = 0.35


@dataclass
class ScaleProgramme:
    programme: object
    fund: object
    users: dict
    households: int
    leases: int
    dues: int


def planner_statistics_refresh() -> None:
    """After a bulk load, PostgreSQL's planner knows nothing of the new rows until autovacuum
    analyses them (a minute or more later): without statistics it ignored the trigram indexes
    and scanned (search: 2.3 s at p99). An installation in use has them, so measure with them.
    SQLite keeps no statistics unless asked, and Django never asks: left as it is."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _unique_slug(base: str) -> str:
    from common.models import Programme

    slug, n = base, 1
    while Programme.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _users(programme, *, prefix: str, operators: int, admin) -> dict:
    User = get_user_model()
    spec = [(f"{prefix}operatore{i + 1}", Role.OPERATOR) for i in range(operators)] + [
        (f"{prefix}amministratore", Role.FUND_ADMIN),
        (f"{prefix}amministratore2", Role.FUND_ADMIN),
        (f"{prefix}amministratore3", Role.FUND_ADMIN),
        (f"{prefix}monitor", Role.MONITOR),
        (f"{prefix}proprietario", Role.LANDLORD),
    ]
    users: dict = {}
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    for username, role in spec:
        user = User.objects.create(
            username=username, password=password, email=f"{username}@example.org"
        )
        membership_grant(actor=admin, programme=programme, user=user, role=role)
        users.setdefault(role, []).append(user)
    return users


def build_scale(*, households: int, years: int, seed: int, today: date | None = None, log=print):
    """Build one programme of `households` households with `years` years of history."""
    from fund.models import (
        Account,
        AccountCode,
        Entry,
        Guarantee,
        GuaranteeCertificate,
        Transaction,
    )
    from fund.models.certificates import CODE_ALPHABET, CODE_LENGTH
    from fund.models.contribution_proposals import contribution_four_eyes_threshold
    from fund.services.certificates import certificate_facts
    from fund.services.contributions import contribution_proposal_approve, contribution_propose
    from fund.services.funds import contribution_book, fund_create
    from fund.services.guarantees import guarantee_terms
    from tenancies.services.monthly import run_monthly

    rng = Random(seed)
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    first_month = add_months(this_month, -12 * years + 1)
    User = get_user_model()
    admin, _created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    slug = _unique_slug(f"scala-{seed}")
    programme = programme_create(
        actor=admin,
        name=f"Programma regionale {slug} ({households} nuclei)",
        slug=slug,
        municipalities=MUNICIPALITIES,
        lead_organisation="Regione Lombardia",
    )
    users = _users(programme, prefix=f"{slug}.", operators=max(2, households // 400), admin=admin)
    operators = users[Role.OPERATOR]
    fund_admin = users[Role.FUND_ADMIN][0]

    # Landlords, each with an agreement in force since before the first lease.
    n_landlords = max(1, households // HOUSEHOLDS_PER_LANDLORD)
    landlords = Landlord.objects.bulk_create(
        Landlord(
            programme=programme,
            kind=Landlord.Kind.AGENCY if i % 10 == 0 else Landlord.Kind.PERSON,
            name=(
                f"Immobiliare {rng.choice(STREETS).split()[-1]} {i + 1}"
                if i % 10 == 0
                else f"{rng.choice(ORIGINS[0][3])} {rng.choice(ORIGINS[0][4])} ({i + 1})"
            ),
            tax_code=_partita_iva(i, seed),
            iban=_iban(i, seed),
            municipality=rng.choice(MUNICIPALITIES),
        )
        for i in range(n_landlords)
    )
    users[Role.LANDLORD][0].landlords.add(landlords[0])
    LandlordAgreement.objects.bulk_create(
        LandlordAgreement(
            landlord=landlord,
            status=LandlordAgreement.Status.ACTIVE,
            cover_months=rng.choice([3, 4, 6]),
            cap_per_lease=eur("3000.00"),
            lease_types=[LeaseType.CONCORDATO_3_2, LeaseType.FREE_4_4],
            max_monthly_rent=eur("900.00"),
            claim_delay_days=30,
            signed_on=first_month - timedelta(days=30),
            valid_from=first_month - timedelta(days=30),
        )
        for landlord in landlords
    )

    # Households, their members and their path: 85% enrolled with a lease, the rest waiting.
    origins = []
    rows = []
    for i in range(households):
        origin = rng.choice(ORIGINS)
        surname = rng.choice(origin[3])
        origins.append((origin, surname))
        rows.append(
            Household(
                programme=programme,
                name=f"{surname} ({i + 1})",
                municipality=rng.choice(MUNICIPALITIES),
                address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                citizenship=origin[0],
                languages=origin[1],
                operator=operators[i % len(operators)],
                consent_given_on=first_month,
                consent_version="1.0",
            )
        )
    household_rows = Household.objects.bulk_create(rows, batch_size=BATCH)
    members = []
    # One codice fiscale, one person (a database constraint): a namesake born the same day in
    # the same place is drawn again, as real codes would differ by omocodia. Codes of another
    # programme already in the database count too (benchmarks seed a large and a small one).
    codes_used = set(Member.objects.values_list("codice_fiscale", flat=True))
    for household, (origin, surname) in zip(household_rows, origins, strict=True):
        size = rng.choice([1, 2, 2, 3, 3, 4, 5])
        for index in range(size):
            female = rng.random() < 0.5
            first = rng.choice(origin[5] if female else origin[4])
            while True:
                born = _birth(rng, today, 25, 65) if index < 2 else _birth(rng, today, 1, 17)
                place = rng.choice(origin[2])
                code = _cf(first, surname, born, female, place)
                if code not in codes_used:
                    codes_used.add(code)
                    break
            relation = (
                Member.Relation.REFERENCE
                if index == 0
                else (Member.Relation.PARTNER if index == 1 else Member.Relation.CHILD)
            )
            members.append(
                Member(
                    household=household,
                    first_name=first,
                    last_name=surname,
                    birth_date=born,
                    relation=relation,
                    codice_fiscale=code,
                )
            )
    Member.objects.bulk_create(members, batch_size=BATCH)

    housed = [h for h in household_rows if rng.random() < 0.85]
    housed_ids = {h.pk for h in housed}
    starts = {h.pk: add_months(first_month, rng.randint(0, max(0, 12 * years - 3))) for h in housed}
    waiting_states = [Enrollment.Status.REFERRED, Enrollment.Status.ASSESSING]
    Enrollment.objects.bulk_create(
        (
            Enrollment(
                household=h,
                status=Enrollment.Status.ENROLLED,
                referred_on=starts[h.pk] - timedelta(days=60),
                enrolled_on=starts[h.pk] - timedelta(days=30),
            )
            if h.pk in housed_ids
            else Enrollment(
                household=h,
                status=rng.choice(waiting_states),
                referred_on=today - timedelta(days=rng.randint(1, 120)),
            )
            for h in household_rows
        ),
        batch_size=BATCH,
    )

    # One flat per housed household, its placement and its lease. Market rents come from
    # their own generator, so every other figure is what it was before they existed.
    market_rng = Random(f"market-{seed}")
    dwellings = Dwelling.objects.bulk_create(
        (
            Dwelling(
                programme=programme,
                landlord=landlords[index % n_landlords],
                address=f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
                unit=f"int. {rng.randint(1, 12)}",
                municipality=h.municipality,
                rooms=rng.randint(2, 5),
                size_m2=rng.randint(45, 110),
                **_rents(rng, market_rng, today),
                service_charges=eur(Decimal(rng.choice([30, 50, 60, 80]))),
                available=False,
            )
            for index, h in enumerate(housed)
        ),
        batch_size=BATCH,
    )
    placements = Placement.objects.bulk_create(
        (
            Placement(
                programme=programme,
                household=h,
                dwelling=d,
                kind=Placement.Kind.FLAT,
                status=Placement.Status.ACTIVE,
                proposed_on=starts[h.pk] - timedelta(days=20),
                proposed_by=h.operator,
                starts_on=starts[h.pk],
            )
            for h, d in zip(housed, dwellings, strict=True)
        ),
        batch_size=BATCH,
    )
    leases = []
    for h, d, p in zip(housed, dwellings, placements, strict=True):
        start = starts[h.pk]
        recent = start >= add_months(this_month, -36)
        lease_type = LeaseType.CONCORDATO_3_2 if recent else LeaseType.FREE_4_4
        leases.append(
            Lease(
                programme=programme,
                household=h,
                landlord_id=d.landlord_id,
                dwelling=d,
                placement=p,
                lease_type=lease_type,
                start_date=start,
                end_date=add_months(start, 60 if recent else 96) - timedelta(days=1),
                rent=d.rent,
                service_charges=d.service_charges,
                due_day=rng.choice([1, 5, 5, 10]),
                status=Lease.Status.ACTIVE,
                created_by=h.operator,
            )
        )
    leases = Lease.objects.bulk_create(leases, batch_size=BATCH)
    log(f"  {len(household_rows)} households, {len(leases)} leases")

    # Rent history: most pay on time or a few days late; some stopped paying lately.
    # The first leases always include some behind and guaranteed, so that even a small
    # programme has claims, arrears and eviction cases on its pages.
    behind = {
        lease.pk: add_months(this_month, -rng.randint(1, 4))
        for index, lease in enumerate(leases)
        if rng.random() < BEHIND_SHARE or index < 3
    }
    late = {lease.pk: rng.choice([0, 0, 0, 3, 8, 15]) for lease in leases}
    if len(leases) > 3:
        # The last lease always pays two weeks late: the early warnings have one to weigh.
        late[leases[-1].pk] = 15
        behind.pop(leases[-1].pk, None)
    dues = 0
    for start in range(0, len(leases), BATCH // 10):
        chunk = leases[start : start + BATCH // 10]
        dues += rent_history_bulk(
            leases=chunk,
            months_of=lambda lease: lease_months(lease, until=this_month),
            unpaid_from=lambda lease: behind.get(lease.pk),
            paid_late_days=lambda due: min(late[due.lease_id], max(0, (today - due.due_date).days)),
        )
        log(f"  rent history: {start + len(chunk)} / {len(leases)} leases")

    # The fund: capital enough for its guarantees, then the guarantees with their exposure.
    fund = fund_create(
        actor=fund_admin,
        programme=programme,
        name="Fondo di garanzia regionale",
        leverage=Decimal("1.50"),
        cover_months=3,
        cover_cap=eur("3000.00"),
    )
    # The first three (behind) are guaranteed, for claims; the fourth is waiting for one.
    guaranteed = [
        lease
        for index, lease in enumerate(leases)
        if (rng.random() < GUARANTEED_SHARE or index < 3) and index != 3
    ]
    landlord_of = {landlord.pk: landlord for landlord in landlords}
    terms = {}
    for lease in guaranteed:
        lease.landlord = landlord_of[lease.landlord_id]
        try:
            terms[lease.pk] = guarantee_terms(fund=fund, lease=lease)
        except DomainError:
            continue
    exposure = sum((amount.amount for _m, amount in terms.values()), Decimal(0))
    endowment = {
        "fund": fund,
        "funder": "Fondazione Cariplo",
        "kind": "foundation",
        "amount": eur(
            max(Decimal("100000.00"), (exposure / Decimal("1.2")).quantize(Decimal("1")))
        ),
        "date": first_month - timedelta(days=60),
        "note": "Dotazione del fondo regionale.",
    }
    if endowment["amount"] <= contribution_four_eyes_threshold():
        contribution_book(actor=fund_admin, **endowment)
    else:  # above the four-eyes threshold: one administrator proposes, the other approves
        contribution_proposal_approve(
            actor=users[Role.FUND_ADMIN][1],
            proposal=contribution_propose(actor=fund_admin, **endowment),
        )
    approved_day = {lease.pk: lease.start_date for lease in guaranteed if lease.pk in terms}
    guarantees = Guarantee.objects.bulk_create(
        (
            Guarantee(
                fund=fund,
                lease_id=pk,
                cover_months=terms[pk][0],
                amount=terms[pk][1],
                status=Guarantee.Status.ACTIVE,
                requested_by=fund_admin,
                approved_by=users[Role.FUND_ADMIN][1],
                approved_at=timezone.make_aware(datetime.combine(day, time(10))),
            )
            for pk, day in approved_day.items()
        ),
        batch_size=BATCH,
    )
    guarantee_type = ContentType.objects.get_for_model(Guarantee)
    transactions = Transaction.objects.bulk_create(
        (
            Transaction(
                fund=fund,
                date=approved_day[g.lease_id],
                description=f"Garanzia n. {g.pk} approvata",
                kind=Transaction.Kind.EXPOSURE_RESERVE,
                actor=users[Role.FUND_ADMIN][1],
                reference_type=guarantee_type,
                reference_id=str(g.pk),
            )
            for g in guarantees
        ),
        batch_size=BATCH,
    )
    accounts = {a.code: a for a in Account.objects.filter(fund=fund)}
    Entry.objects.bulk_create(
        (
            Entry(transaction=tx, account=accounts[code], amount=sign * g.amount)
            for tx, g in zip(transactions, guarantees, strict=True)
            for code, sign in (
                (AccountCode.GUARANTEES_ISSUED, 1),
                (AccountCode.GUARANTEES_CONTRA, -1),
            )
        ),
        batch_size=BATCH,
    )
    # Each active guarantee has its certificate, as activation issues it: the facts and the
    # code stored now, the PDF rendered on its first download. Codes come from their own
    # generator (the seed and the programme: unique across programmes built with one seed),
    # so the main one draws the same numbers whatever the certificates.
    issued_at = timezone.now()
    code_rng = Random(f"{seed}-{programme.pk}")
    GuaranteeCertificate.objects.bulk_create(
        (
            GuaranteeCertificate(
                guarantee=guarantee,
                version=1,
                code=(code := "".join(code_rng.choices(CODE_ALPHABET, k=CODE_LENGTH))),
                facts=certificate_facts(
                    guarantee=guarantee, code=code, version=1, issued_at=issued_at
                ),
                issued_at=issued_at,
                issued_by=fund_admin,
            )
            for guarantee in Guarantee.objects.filter(fund=fund)
            .select_related(
                "fund__programme", "lease__landlord", "lease__dwelling", "lease__household"
            )
            .order_by("pk")
        ),
        batch_size=BATCH,
    )
    log(f"  {len(guarantees)} guarantees")

    # The monthly run opens the arrears cases, as it would have done.
    result = run_monthly(month=this_month, today=today)
    log(f"  monthly run: {result.cases_opened} arrears cases")
    _claims(fund=fund, users=users, guarantees=guarantees, behind=behind, rng=rng, today=today)
    _evictions(leases=leases, behind=behind, operators=operators, rng=rng, today=today)
    return ScaleProgramme(programme, fund, users, len(household_rows), len(leases), dues)


def _rents(rng: Random, market_rng: Random, today: date) -> dict:
    """A flat's agreed rent, and its market rent 10–35 % above (OMI, the last half-year but
    one), or none for about one flat in six."""
    rent = eur(Decimal(rng.randrange(380, 820, 10)))
    if market_rng.random() < 0.15:
        return {"rent": rent}
    valued = date(today.year - 1, 12, 31) if today.month > 6 else date(today.year - 1, 6, 30)
    return {
        "rent": rent,
        "market_rent": eur(rent.amount * (100 + market_rng.randint(10, 35)) / 100),
        "market_rent_source": "OMI — Agenzia delle Entrate, "
        f"{2 if valued.month == 12 else 1}° semestre {valued.year}",
        "market_rent_on": valued + timedelta(days=60),
    }


def _iban(i: int, seed: int) -> str:
    """An Italian IBAN with valid check digits, the same for the same landlord and seed (the
    fund's payouts go to it)."""
    bban = "X" + "05428" + "11101" + f"{seed % 10**6:06d}{i:06d}"
    return "IT" + stdnum_iban.calc_check_digits("IT00" + bban) + bban


def _partita_iva(index: int, seed: int) -> str:
    digits = f"{index + 1:07d}{seed % 1000:03d}"
    return digits + luhn.calc_check_digit(digits)  # the partita IVA check digit


def _claims(*, fund, users, guarantees, behind, rng, today):
    """A few claims through the services, walked to several states (four eyes)."""
    from fund.selectors.guarantees import claimable_dues
    from fund.services import claims as claim_services

    operator = users[Role.OPERATOR][0]
    reviewer, approver, sender = users[Role.FUND_ADMIN]
    to_pay = []
    candidates = [g for g in guarantees if g.lease_id in behind]
    wanted = max(3, len(guarantees) // 200)
    states = ["paid", "approved", "under_review", "submitted", "rejected"]
    made = 0
    for guarantee in rng.sample(candidates, len(candidates)):
        if made >= wanted:
            break
        dues = claimable_dues(lease=guarantee.lease, today=today)[:2]
        if not dues:
            continue
        try:
            claim = claim_services.claim_submit(
                actor=operator,
                guarantee=guarantee,
                due_ids=[due.pk for due in dues],
                note="Canoni non versati nonostante i solleciti.",
                today=today,
            )
        except DomainError:
            continue
        state = states[made % len(states)]
        made += 1
        if state == "submitted":
            continue
        if state == "rejected":
            claim_services.claim_reject(actor=reviewer, claim=claim, note="Manca il sollecito.")
            continue
        claim_services.claim_review(actor=reviewer, claim=claim, note="Documenti completi.")
        if state == "under_review":
            continue
        claim_services.claim_approve(actor=approver, claim=claim, note="Mesi verificati.")
        if state == "paid":
            to_pay.append(claim)
    if to_pay:
        # Sent to the bank by the third administrator; the fund's statement confirms them.
        from fund.services.fund_bank import fund_statement_upload
        from fund.services.payouts import fund_bank_account_set, payout_batch_create
        from fund.statement_samples import payout_statement_csv

        fund_bank_account_set(
            actor=sender,
            fund=fund,
            account_holder=fund.name[:70],
            iban="IT60X0542811101000000123456",
            bic="BPMOIT22XXX",
        )
        batch = payout_batch_create(actor=sender, fund=fund, claims=to_pay)
        claims = list(batch.claims.select_related("guarantee__lease__landlord"))
        fund_statement_upload(
            actor=sender,
            fund=fund,
            file_name="estratto-conto-fondo.csv",
            content=payout_statement_csv(claims=claims, booked_on=today),
        )


def _evictions(*, leases, behind, operators, rng, today):
    """Eviction prevention cases for some leases well behind, through the service."""
    from tenancies.services.eviction import eviction_case_open

    far_behind = [lease for lease in leases if lease.pk in behind and behind[lease.pk] < today]
    wanted = max(2, len(leases) // 250)
    for lease in rng.sample(far_behind, min(wanted, len(far_behind))):
        try:
            eviction_case_open(
                actor=operators[0],
                lease=Lease.objects.get(pk=lease.pk),
                on=today - timedelta(days=rng.randint(1, 20)),
                cause=rng.choice(["unemployment", "reduced_hours", "illness", "separation"]),
                note="Il nucleo si presenta allo sportello.",
            )
        except DomainError:
            continue
